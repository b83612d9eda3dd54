"""Hostile outputs (issue 13): the files of a run are replaced all together or not at all; a
symlinked output is written through; article text is inert on cards, in the preview and in
spreadsheets; names reach the terminal as text, never as control sequences; an ASCII locale prints."""

from __future__ import annotations

import html
import json
import os
import resource
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection

from anki_helpers import import_apkg, notes_by_word, rendered
from conftest import ARTICLES
from test_errors import VOCAB_COMMAND, _without_file_powers, needs_permissions, vocab, vocab_process
from vocab.cli import EXIT_INPUT
from vocab.errors import VocabError
from vocab.output.export import outputs, render
from vocab.output.preview import preview_page, render_template
from vocab.pipeline import analyse, cards_of

GOOD = sorted(ARTICLES.glob("*.txt"))[0]
OLD = {"vocab.apkg": b"an earlier deck", "vocab.csv": b"an earlier csv\n", "vocab.json": b"[]\n"}


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder` (hidden temporaries too): a file's bytes, a link's target, a folder as '/'."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        entries[name] = (f"-> {os.readlink(path)}" if path.is_symlink() else "/" if path.is_dir()
                         else path.read_bytes())
    return entries


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding an earlier run's deck and exports."""
    folder = tmp_path / "out"
    folder.mkdir()
    for name, content in OLD.items():
        (folder / name).write_bytes(content)
    return folder


def one_error_line(stderr: str, *names: object) -> str:
    """The single line of `stderr`, checked to be an error naming each of `names`."""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert all(str(name) in lines[0] for name in names), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines[0]


# ── 6. All outputs of a run, or none ────────────────────────────────────────────────────────

def _file_size_limit(size: int) -> None:
    """In the child: no file may grow beyond `size` bytes (EFBIG, as a full disk gives ENOSPC)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_export_that_cannot_be_written_keeps_the_earlier_deck(tmp_path: Path, out: Path) -> None:
    """The deck is complete, then the JSON export beside it hits the file size limit: the run
    fails naming the JSON file, and the earlier deck and exports are all still there."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    first = vocab_process("-q", "build", ARTICLES, "-o", scratch / "vocab.apkg", "--format", "csv", "--format", "json")
    assert first.returncode == 0, first.stderr
    deck, export = (scratch / "vocab.apkg").stat().st_size, (scratch / "vocab.json").stat().st_size
    assert deck < export, "the JSON export must be the larger file for this test"
    result = vocab_process("build", ARTICLES, "-o", out / "vocab.apkg", "--format", "csv", "--format", "json",
                           preexec_fn=lambda: _file_size_limit((deck + export) // 2))
    assert result.returncode == EXIT_INPUT
    one_error_line(result.stderr, out / "vocab.json", "File too large")
    assert listing(out) == OLD


def test_folder_in_the_way_of_one_export(out: Path) -> None:
    (out / "vocab.json").unlink()
    (out / "vocab.json").mkdir()
    before = listing(out)
    result = vocab_process("build", GOOD, "-o", out / "vocab.apkg", "--format", "csv", "--format", "json")
    assert result.returncode == EXIT_INPUT
    one_error_line(result.stderr, out / "vocab.json", "is a folder")
    assert listing(out) == before


@needs_permissions
def test_export_into_a_read_only_folder(tmp_path: Path, out: Path) -> None:
    """vocab.csv links into a folder nobody may write: the run fails naming it, nothing changes."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "vocab.csv").write_bytes(OLD["vocab.csv"])
    (out / "vocab.csv").unlink()
    (out / "vocab.csv").symlink_to(locked / "vocab.csv")
    before, locked_before = listing(out), listing(locked)
    locked.chmod(0o555)
    try:
        result = vocab_process("build", GOOD, "-o", out / "vocab.apkg", "--format", "csv", "--format", "json",
                               preexec_fn=_without_file_powers)
    finally:
        locked.chmod(0o755)
    assert result.returncode == EXIT_INPUT
    one_error_line(result.stderr, out / "vocab.csv", "ermission denied")
    assert (listing(out), listing(locked)) == (before, locked_before)


def test_failed_rename_puts_back_the_files_already_replaced(out: Path) -> None:
    """The second rename fails after the first succeeded (its temporary file vanished): the
    first file gets its old content back, and no temporary or backup is left."""
    with pytest.raises(VocabError, match="vocab.csv: cannot write"), outputs() as batch:
        batch.write_text("new json", out / "vocab.json")
        batch.write_text("new csv", out / "vocab.csv")
        next(out.glob(".vocab.csv.*.tmp")).unlink()
    assert listing(out) == OLD


def test_folder_appearing_before_the_renames_changes_nothing(out: Path) -> None:
    with pytest.raises(VocabError, match="new.md: is a folder"), outputs() as batch:
        batch.write_text("new json", out / "vocab.json")
        batch.write_text("new md", out / "new.md")
        (out / "new.md").mkdir()
    assert listing(out) == {**OLD, "new.md": "/"}


def test_all_outputs_are_replaced_together(out: Path) -> None:
    with outputs() as batch:
        batch.write_text("new json", out / "vocab.json")
        batch.write_text("new csv", out / "vocab.csv")
        batch.write_text("new md", out / "vocab.md")
    assert listing(out) == {**OLD, "vocab.json": b"new json", "vocab.csv": b"new csv", "vocab.md": b"new md"}


@pytest.fixture
def undecodable_article(tmp_path: Path) -> Path:
    """An article whose file name holds a byte that is not UTF-8 (Python: a lone surrogate)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    name = os.fsdecode(b"news\xff\xfe.txt")
    shutil.copy(GOOD, folder / name)
    return folder / name


def test_article_name_that_is_not_utf8_is_exported(undecodable_article: Path, out: Path) -> None:
    """Before: the deck was replaced, then the CSV failed (UnicodeEncodeError, 'internal error').
    Now every export is written; JSON gives back the very name, CSV and Markdown show \\udcff."""
    result = vocab_process("-q", "build", undecodable_article.parent, "-o", out / "vocab.apkg",
                           "--format", "csv", "--format", "json", "--format", "md")
    assert (result.returncode, result.stderr) == (0, "")
    files = listing(out)
    assert all(files[name] != content for name, content in OLD.items())
    records = json.loads(files["vocab.json"])
    assert {record["examples"][0]["source"] for record in records} == {undecodable_article.name}
    assert "news\\udcff\\udcfe.txt" in files["vocab.csv"].decode("utf-8")
    assert not any(name.endswith(".tmp") for name in files)


def test_output_name_that_is_not_utf8(out: Path) -> None:
    deck = out / os.fsdecode(b"deck\xff.apkg")
    result = vocab_process("build", GOOD, "-o", deck, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert {os.fsencode(p.name) for p in out.iterdir()} >= {b"deck\xff.apkg", b"deck\xff.csv"}
    assert "deck\\xff.apkg" in result.stderr  # the byte, shown as text


# ── 10. A symlinked output is written through ───────────────────────────────────────────────

@pytest.mark.parametrize("link", ["absolute", "relative", "chain", "dangling"])
def test_symlinked_output_is_written_through(tmp_path: Path, link: str) -> None:
    real = tmp_path / "real"
    real.mkdir()
    target = real / "deck.apkg"
    if link != "dangling":
        target.write_bytes(b"an earlier deck")
    output = tmp_path / "link.apkg"
    if link == "chain":
        (tmp_path / "middle.apkg").symlink_to(target)
        output.symlink_to("middle.apkg")
    else:
        output.symlink_to(target if link in ("absolute", "dangling") else Path("real") / "deck.apkg")
    result = vocab("-q", "build", GOOD, "-o", output, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert output.is_symlink() and output.resolve() == target
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in real.iterdir()) == ["deck.apkg"]  # no temporary left; csv is beside the link
    assert (tmp_path / "link.csv").is_file()


@pytest.mark.parametrize("command", ["extract", "preview"])
def test_symlinked_text_output_is_written_through(tmp_path: Path, command: str) -> None:
    target = tmp_path / "real.txt"
    target.write_text("earlier\n")
    output = tmp_path / "link.txt"
    output.symlink_to(target)
    args = ["--format", "json"] if command == "extract" else []
    result = vocab("-q", command, GOOD, "-o", output, *args)
    assert result.exit_code == 0, result.output
    assert output.is_symlink() and target.read_text(encoding="utf-8") != "earlier\n"


# ── 9. Article text is inert: on cards, in the preview, in spreadsheets ─────────────────────

TEXT_PAYLOADS = {  # in every line
    "sound": "[sound:x.mp3]",
    "tts": "[anki:tts lang=ja_JP]外相[/anki:tts]",
    "field": "{{Word}}{{FrontSide}}",
    "entity": "&lt;script&gt;&#91;sound:y.mp3]",
}
HTML_PAYLOADS = {  # one a line: the article reader drops a line with two '>' as a breadcrumb
    "script": "<script>alert(1)",
    "img": '<img src=x onerror="alert(1)">',
    "svg": "<svg onload=alert(1)>",
}


@pytest.fixture(scope="module")
def hostile_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An article in which every line, the title too, carries payloads around its terms."""
    text = "".join(TEXT_PAYLOADS.values())
    lines = [f"外相は{text}首脳との会談で{markup}両国の関係を強化する方針を確認したと記者団に{text}述べた。"
             for markup in HTML_PAYLOADS.values()]
    path = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    path.write_text("\n".join(lines + lines) + "\n", encoding="utf-8")
    return path


def test_payloads_are_shown_not_run_by_real_anki(hostile_article: Path, tmp_path: Path) -> None:
    deck = tmp_path / "vocab.apkg"
    result = vocab("-q", "build", hostile_article, "-o", deck, "--known", os.devnull)
    assert result.exit_code == 0, result.output
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, deck)
        notes = notes_by_word(col)
        assert {"外相", "会談"} <= set(notes)
        shown = ""
        for note in notes.values():
            card = note.cards()[0]
            assert card.question_av_tags() == [] and card.answer_av_tags() == []
            for side in rendered(card):
                assert "[anki:play" not in side and "[sound:" not in side  # no audio, no TTS
                assert "<script" not in side and "<img" not in side and "<svg" not in side
                assert "{{" not in side and "外相外相" not in side  # no field filled from text
                shown += html.unescape(side)
        for payload in (*TEXT_PAYLOADS.values(), *HTML_PAYLOADS.values()):
            assert payload in shown  # shown as the article wrote it
    finally:
        col.close()


def test_preview_fills_fields_in_one_pass() -> None:
    fields = {"A": "{{B}} {{#B}}x{{/B}}", "B": "filled"}
    assert render_template("{{A}}|{{#A}}{{A}}{{/A}}|{{B}}", fields) == "{{B}} {{#B}}x{{/B}}|{{B}} {{#B}}x{{/B}}|filled"


def test_preview_page_shows_payloads_as_text(hostile_article: Path) -> None:
    page = preview_page(cards_of(analyse([hostile_article])))
    assert "<script>alert" not in page and "<img src=x" not in page and "[sound:" not in page
    assert "{{" not in page.split("<body>", 1)[1]
    assert html.escape(HTML_PAYLOADS["script"]) in page and "&#123;&#123;Word}}" in page


FORMULAS = ["=SUM(1)", "+SUM(1)", "-2+3", "@cmd"]


@pytest.fixture(scope="module")
def formula_terms(tmp_path_factory: pytest.TempPathFactory):
    """Terms whose first example sentence opens with each formula character."""
    path = tmp_path_factory.mktemp("formulas") / "formulas.txt"
    lines = ["=SUM(1)外相が会談した。", "+SUM(1)首脳が辞任した。", "-2+3両国が合意した。", "@cmd政府が発表した。"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return analyse([path]).terms


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_no_cell_opens_with_a_formula(formula_terms, fmt: str) -> None:
    import csv
    import io

    body = render(formula_terms, fmt).split("\n", 3)[3]
    rows = list(csv.reader(io.StringIO(body), delimiter="," if fmt == "csv" else "\t"))
    cells = [cell for row in rows for cell in row]
    assert {cell[1] for cell in cells if cell.startswith("'")} == set("=+-@")
    for cell in cells:
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or cell.lstrip("-").replace(".", "").isdigit(), cell


def test_numbers_stay_numbers() -> None:
    from vocab.output.export import spreadsheet_safe

    cells = ("-0.25", "3", "-7", "外相", "", "-", "-1e3", "=1", "\t=1", "\r=1", "+1", "@a", "ー長音", "－全角")
    assert [spreadsheet_safe(c) for c in cells] == \
        ["-0.25", "3", "-7", "外相", "", "'-", "'-1e3", "'=1", "'\t=1", "'\r=1", "'+1", "'@a", "ー長音", "－全角"]


# ── 9. Names reach the terminal as text ─────────────────────────────────────────────────────

NAMES = {  # file name → how the error line shows it
    "ansi": ("\x1b[31mred\x1b[0m.txt", "\\x1b[31mred\\x1b[0m.txt"),
    "carriage-return": ("ok.txt\rfake", "ok.txt\\x0dfake"),
    "bell": ("bell\x07.txt", "bell\\x07.txt"),
    "bidi-override": ("evil\u202etxt.exe.txt", "evil\\u202etxt.exe.txt"),
    "newline": ("two\nlines.txt", "two\\x0alines.txt"),
    "c1-csi": ("c1\x9b31m.txt", "c1\\x9b31m.txt"),
    "markup": ("[bold]x[red]y.txt", "[bold]x[red]y.txt"),
    "emoji-code": (":smile:.txt", ":smile:.txt"),
    "trailing-backslash": ("x\\", "x\\"),
    "not-utf8": (os.fsdecode(b"bad\xff.txt"), "bad\\xff.txt"),
}


@pytest.mark.parametrize("case", NAMES, ids=list(NAMES))
def test_names_print_literally(tmp_path: Path, out: Path, case: str) -> None:
    name, shown = NAMES[case]
    article = tmp_path / name
    article.write_text("English only.")
    result = subprocess.run([*VOCAB_COMMAND, "build", str(article), "-o", str(out / "vocab.apkg")],
                            capture_output=True, timeout=120)
    stderr = result.stderr.decode("utf-8")
    assert stderr == f"error: {tmp_path}/{shown}: no Japanese text found: vocab reads Japanese articles\n"
    assert result.returncode == EXIT_INPUT
    assert listing(out) == OLD


def test_names_in_a_table_print_literally(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    # Opening with a sentence, not a headline: the table names the article by its file name.
    (folder / "\x1b]0;title\x07news.txt").write_text("外相は会談した。\n" + GOOD.read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    result = subprocess.run([*VOCAB_COMMAND, "coverage", str(folder)], capture_output=True, timeout=120,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
    assert b"\\x1b]0;title\\x07news" in result.stdout  # its file name, as a label (no .txt)


# ── 7. An ASCII locale prints ───────────────────────────────────────────────────────────────

def ascii_locale_run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "COLUMNS": "120"}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([*VOCAB_COMMAND, *map(str, args)], capture_output=True, timeout=120, env=env)


@pytest.mark.parametrize("args", [("extract",), ("extract", "-f", "csv"), ("extract", "-f", "json"),
                                  ("coverage",)], ids=["table", "csv", "json", "coverage"])
def test_ascii_locale_prints_utf8(args: tuple[str, ...]) -> None:
    result = ascii_locale_run(*args, ARTICLES)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "会談" in result.stdout.decode("utf-8") and result.stderr == b""


def test_ascii_locale_build_and_japanese_names(tmp_path: Path) -> None:
    folder = tmp_path / "記事"
    folder.mkdir()
    shutil.copy(GOOD, folder / "外相.txt")
    (folder / "英語.txt").write_text("English only.")
    result = ascii_locale_run("build", folder, "-o", tmp_path / "デッキ.apkg")
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 3, stderr  # built; one input skipped
    assert "英語.txt: no Japanese text found" in stderr and "✓" in stderr and "デッキ.apkg" in stderr
    assert (tmp_path / "デッキ.apkg").is_file()
