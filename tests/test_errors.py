"""Bad input, end to end (issue 8): one clear line on stderr naming the file and what to do, a
non-zero exit (1 input, 2 usage, 3 some inputs skipped, 130 Ctrl-C), never a traceback, and
nothing half-written: the output folder holds what it held before."""

from __future__ import annotations

import ctypes
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import ARTICLES
from vocab.cli import (EXIT_BROKEN_PIPE, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_SKIPPED, EXIT_TERMINATED,
                       EXIT_USAGE, app)
from vocab.errors import InputError

SUFFIXES = ".txt, .text, .md, .markdown, .html, .htm"
OLD_DECK = b"an earlier deck"  # stands in for a good deck: a failed run must leave it alone
GOOD = sorted(ARTICLES.glob("*.txt"))[0]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)
NO_ENCODING = bytes(range(0x80, 0x100)) * 4  # not UTF-8, and no Japanese encoding fits
# Before issue 8 this decoded as UTF-16-BE "肁\ufeff邑慢揀" and became a one-card deck.
CJK_LOOKALIKE = b"\x80\x81\xfe\xff\x90\x91abc\xc0"


def zip_bytes() -> bytes:
    """A small zip archive, as a user might pass by mistake."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "外相が会談した。")
    return buffer.getvalue()


def vocab(*args: str | Path, stdin: bytes | None = None) -> Result:
    """Run the CLI in-process, as a user would type it."""
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin, prog_name="vocab")


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden temporaries too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding an earlier deck."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "vocab.apkg").write_bytes(OLD_DECK)
    return folder


def assert_failed(result: Result, line: str, code: int, out: Path) -> None:
    """One exact line on stderr, the exit code, no traceback, the output folder untouched."""
    assert result.stderr == line + "\n", result.stderr
    assert result.exit_code == code
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert listing(out) == {"vocab.apkg": OLD_DECK}


# ── Bad article files: (file name, bytes, the problem reported after "error: <path>: ") ──────

BAD_FILES = [
    ("empty.txt", b"", "empty file: add the article text or leave the file out"),
    ("blank.txt", b" \n\t\r\n", "empty file: add the article text or leave the file out"),
    ("photo.png", PNG, "binary file (image or archive), not text: pass .txt, .md or .html"),
    ("photo.txt", PNG, "binary file (image or archive), not text: pass .txt, .md or .html"),
    ("articles.zip", zip_bytes(), "binary file (image or archive), not text: pass .txt, .md or .html"),
    ("nul.txt", b"\x00\xff" * 64, "binary file, not text: pass .txt, .md or .html"),
    ("english.txt", b"Hello world. Only English here.\n", "no Japanese text found: vocab reads Japanese articles"),
    ("english.html", b"<html><body><p>Breaking news</p></body></html>",
     "no Japanese text found: vocab reads Japanese articles"),
    ("symbols.txt", "📘 ✅ ⇒ 【】\n\x07\x1b[31m".encode(), "no Japanese text found: vocab reads Japanese articles"),
    ("latin1.txt", NO_ENCODING, "cannot tell the text encoding: save the file as UTF-8"),
    ("garbled.txt", CJK_LOOKALIKE, "cannot tell the text encoding: save the file as UTF-8"),  # issue 8
    ("sjis-short.txt", "外相".encode("shift_jis"), "cannot tell the text encoding: save the file as UTF-8"),
]


@pytest.mark.parametrize(("name", "data", "problem"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_article_file(tmp_path: Path, out: Path, name: str, data: bytes, problem: str) -> None:
    article = tmp_path / name
    article.write_bytes(data)
    result = vocab("build", article, "-o", out / "vocab.apkg")
    assert_failed(result, f"error: {article}: {problem}", EXIT_INPUT, out)


def test_missing_path(tmp_path: Path, out: Path) -> None:
    missing = tmp_path / "no-such-articles"
    result = vocab("build", missing, "-o", out / "vocab.apkg")
    assert_failed(result, f"error: {missing}: no such file or folder: check the path", EXIT_INPUT, out)


@pytest.mark.parametrize("files", [(), ("notes.py", "photo.png", "data.json")], ids=["empty", "no-articles"])
def test_folder_without_articles(tmp_path: Path, out: Path, files: tuple[str, ...]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in files:
        (folder / name).write_text("外相が会談した。")
    result = vocab("build", folder, "-o", out / "vocab.apkg")
    assert_failed(result, f"error: {folder}: no article files ({SUFFIXES}) in this folder: "
                          "add some or pass another folder", EXIT_INPUT, out)


def test_folder_of_bad_articles_reports_the_first(tmp_path: Path, out: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.txt").write_text("English only.")
    result = vocab("build", folder, "-o", out / "vocab.apkg")
    assert_failed(result, f"error: {folder / 'a.txt'}: empty file: add the article text or leave the file out",
                  EXIT_INPUT, out)


def test_fifty_megabyte_file(tmp_path: Path, out: Path) -> None:
    article = tmp_path / "dump.txt"
    line = "外相が会談した。\n".encode()
    article.write_bytes(line * (50 * 2**20 // len(line) + 1))
    result = vocab("build", article, "-o", out / "vocab.apkg")
    assert_failed(result, f"error: {article}: file too large (50 MB, limit 5 MB): split it into articles",
                  EXIT_INPUT, out)


def test_brackets_in_a_path_are_not_markup(tmp_path: Path, out: Path) -> None:
    folder = tmp_path / "[red]news"
    folder.mkdir()
    (folder / "[b]a.txt").write_text("English only.")
    result = vocab("build", folder, "-o", out / "vocab.apkg")
    assert_failed(result, f"error: {folder / '[b]a.txt'}: no Japanese text found: vocab reads Japanese articles",
                  EXIT_INPUT, out)


def test_device_is_not_an_article(out: Path) -> None:
    result = vocab("build", "/dev/null", "-o", out / "vocab.apkg")
    assert_failed(result, "error: /dev/null: not a file or folder (a device or pipe?): pass article files, "
                          "or - for standard input", EXIT_INPUT, out)


def test_empty_standard_input(out: Path) -> None:
    result = vocab("build", "-", "-o", out / "vocab.apkg", stdin=b"")
    assert_failed(result, "error: <stdin>: empty file: add the article text or leave the file out", EXIT_INPUT, out)


def test_nothing_left_after_filtering(out: Path) -> None:
    result = vocab("build", GOOD, "-o", out / "vocab.apkg", "--jlpt", "N5", "--max-zipf", "0.1")
    assert_failed(result, "error: no vocabulary left after filtering: loosen --jlpt, --max-zipf or --known",
                  EXIT_INPUT, out)


# ── Bad output paths: checked before the work, so they fail at once ──────────────────────────

def test_output_folder_missing(tmp_path: Path, out: Path) -> None:
    # One missing folder (decks/ in a fresh folder) is created: see test_cli; two are a typo.
    target = tmp_path / "no-such" / "folder" / "vocab.apkg"
    result = vocab("build", GOOD, "-o", target)
    assert_failed(result, f"error: {target}: folder {target.parent} does not exist; create it or choose "
                          "another output path", EXIT_INPUT, out)
    assert not target.parent.parent.exists()


def test_output_is_a_folder(out: Path) -> None:
    result = vocab("build", GOOD, "-o", out)
    assert_failed(result, f"error: {out}: is a folder; give a file name such as {out / 'vocab.apkg'}",
                  EXIT_INPUT, out)


def test_export_beside_deck_is_a_folder(out: Path) -> None:
    (out / "vocab.csv").mkdir()
    result = vocab("build", GOOD, "-o", out / "vocab.apkg", "--format", "csv")
    (out / "vocab.csv").rmdir()
    assert_failed(result, f"error: {out / 'vocab.csv'}: is a folder; give a file name such as "
                          f"{out / 'vocab.csv' / 'vocab.csv'}", EXIT_INPUT, out)


def test_extract_output_folder_missing(tmp_path: Path, out: Path) -> None:
    target = tmp_path / "missing" / "folder" / "terms.json"  # one missing folder would be created
    result = vocab("extract", GOOD, "--format", "json", "-o", target)
    assert_failed(result, f"error: {target}: folder {target.parent} does not exist; create it or choose "
                          "another output path", EXIT_INPUT, out)


def test_preview_output_is_a_folder(out: Path) -> None:
    result = vocab("preview", GOOD, "-o", out)
    assert_failed(result, f"error: {out}: is a folder; give a file name such as {out / 'preview.html'}",
                  EXIT_INPUT, out)


# ── A corrupt --known file ──────────────────────────────────────────────────────────────────

BAD_KNOWN = [
    ("broken.apkg", b"PK\x03\x04 not really a zip",
     "not a readable Anki package (corrupt or not .apkg/.colpkg)"),
    ("empty.apkg", b"", "not a readable Anki package (corrupt or not .apkg/.colpkg)"),
    ("known.txt", "外相\n会談\n".encode("shift_jis"), "known-words file is not UTF-8 text: save it as UTF-8"),
]


@pytest.mark.parametrize(("name", "data", "problem"), BAD_KNOWN, ids=[case[0] for case in BAD_KNOWN])
def test_corrupt_known_file(tmp_path: Path, out: Path, name: str, data: bytes, problem: str) -> None:
    known = tmp_path / name
    known.write_bytes(data)
    result = vocab("build", GOOD, "-o", out / "vocab.apkg", "--known", known)
    assert_failed(result, f"error: {known}: {problem}", EXIT_INPUT, out)


def test_anki_package_without_collection(tmp_path: Path, out: Path) -> None:
    known = tmp_path / "other.apkg"
    with zipfile.ZipFile(known, "w") as package:
        package.writestr("media", "{}")
    result = vocab("build", GOOD, "-o", out / "vocab.apkg", "--known", known)
    assert result.exit_code == EXIT_INPUT
    assert result.stderr.startswith(f"error: {known}: ") and result.stderr.count("\n") == 1
    assert listing(out) == {"vocab.apkg": OLD_DECK}


def test_missing_known_file(tmp_path: Path, out: Path) -> None:
    known = tmp_path / "known.txt"
    result = vocab("build", GOOD, "-o", out / "vocab.apkg", "--known", known)
    assert_failed(result, f"error: {known}: no such known-words file", EXIT_INPUT, out)


# ── Usage errors: typer's exit 2, but one line like every other error ────────────────────────

USAGE_ERRORS = [
    (["build", "--format", "xls"],
     "error: Invalid value for --format: 'xls' is not one of csv, tsv, json, md (see vocab build --help)"),
    (["build", "--jlpt", "N9"],
     "error: Invalid value for --jlpt: unknown JLPT level 'N9': use N5, N4, N3, N2, N1 or none "
     "(see vocab build --help)"),  # was "internal error (BadParameter…)", exit 1
    (["build", "--limit", "0"],
     "error: Invalid value for '--limit': 0 is not in the range x>=1. (see vocab build --help)"),
    (["build", "--bogus"], "error: No such option: --bogus (see vocab build --help)"),
    (["extract", "--format", "xml"],
     "error: Invalid value for --format: 'xml' is not one of table, csv, tsv, json, md (see vocab extract --help)"),
    (["frobnicate"], "error: No such command 'frobnicate'. (see vocab --help)"),
]


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_error(out: Path, args: list[str], line: str) -> None:
    # -o goes last: typer stops at the first bad option, and a real path keeps `build` from
    # reading articles/ if the option were accepted.
    extra = ["-o", str(out / "vocab.apkg"), str(GOOD)] if args[0] == "build" else []
    result = vocab(*args, *extra)
    assert_failed(result, line, EXIT_USAGE, out)


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = vocab("--debug", "build", tmp_path / "missing", "-o", tmp_path / "vocab.apkg")
    assert result.exit_code == EXIT_INPUT
    assert isinstance(result.exception, InputError)  # raised through, so Python prints it


# ── Mixed good and bad inputs: a deck from the good ones, the bad ones named, exit 3 ─────────

def test_mixed_good_and_bad_inputs(tmp_path: Path, out: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "english.md").write_text("Only English.")
    (folder / "photo.html").write_bytes(PNG)
    result = vocab("--quiet", "build", folder, "-o", out / "vocab.apkg")
    assert result.stderr.splitlines() == [
        f"warning: {folder / 'empty.txt'}: empty file: add the article text or leave the file out (skipped)",
        f"warning: {folder / 'english.md'}: no Japanese text found: vocab reads Japanese articles (skipped)",
        f"warning: {folder / 'photo.html'}: binary file (image or archive), not text: pass .txt, .md or .html "
        "(skipped)",
    ]
    assert result.exit_code == EXIT_SKIPPED
    assert sorted(listing(out)) == ["vocab.apkg"]
    assert (out / "vocab.apkg").read_bytes().startswith(b"PK")


def test_bad_file_named_beside_a_good_one_is_skipped(tmp_path: Path, out: Path) -> None:
    bad = tmp_path / "english.txt"
    bad.write_text("English only.")
    result = vocab("--quiet", "extract", GOOD, bad, "--format", "json", "-o", out / "terms.json")
    assert result.stderr == f"warning: {bad}: no Japanese text found: vocab reads Japanese articles (skipped)\n"
    assert result.exit_code == EXIT_SKIPPED
    assert sorted(listing(out)) == ["terms.json", "vocab.apkg"]


# ── An earlier good deck survives a failed build ─────────────────────────────────────────────

def test_earlier_deck_survives_failed_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    deck = out / "vocab.apkg"
    first = vocab("--quiet", "build", GOOD, "-o", deck, "--format", "csv")
    assert (first.exit_code, first.stderr) == (0, "")
    before = listing(out)
    assert sorted(before) == ["vocab.apkg", "vocab.csv"]
    english = tmp_path / "english.txt"
    english.write_text("English only.")
    second = vocab("--quiet", "build", english, "-o", deck, "--format", "csv")
    assert second.exit_code == EXIT_INPUT
    assert listing(out) == before


# ── Permissions: root reads anything, so the run drops root's file powers first ─────────────

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_file_powers() -> None:
    """In the child, before exec: as root, drop the capabilities that bypass file permissions
    (a root process gets its bounding set at exec), so chmod 000 means something."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def vocab_process(*args: str | Path, **popen: object) -> subprocess.CompletedProcess[str]:
    """Run the installed `vocab` command in a new process."""
    return subprocess.run([*VOCAB_COMMAND, *map(str, args)], capture_output=True, text=True, timeout=120,
                          env=_child_env(), **popen)  # type: ignore[call-overload]


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "80"}


def _vocab_command() -> list[str]:
    script = Path(sys.executable).parent / "vocab"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from vocab.cli import main; main()"]


VOCAB_COMMAND = _vocab_command()


def _permissions_can_be_tested() -> bool:
    if sys.platform != "linux" and os.geteuid() == 0:
        return False
    try:
        subprocess.run(["true"], preexec_fn=_without_file_powers, check=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


needs_permissions = pytest.mark.skipif(not _permissions_can_be_tested(),
                                       reason="running as root without the capability to drop root's file powers")


@needs_permissions
def test_unreadable_article(tmp_path: Path, out: Path) -> None:
    article = tmp_path / "secret.txt"
    shutil.copy(GOOD, article)
    article.chmod(0)
    result = vocab_process("build", article, "-o", out / "vocab.apkg", preexec_fn=_without_file_powers)
    assert result.stderr == f"error: {article}: permission denied: make the file readable\n"
    assert result.returncode == EXIT_INPUT
    assert listing(out) == {"vocab.apkg": OLD_DECK}


@needs_permissions
def test_unreadable_folder(tmp_path: Path, out: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(GOOD, folder / "a.txt")
    folder.chmod(0)
    try:
        result = vocab_process("build", folder, "-o", out / "vocab.apkg", preexec_fn=_without_file_powers)
    finally:
        folder.chmod(0o755)
    assert result.stderr == f"error: {folder}: permission denied: make the folder readable\n"
    assert result.returncode == EXIT_INPUT
    assert listing(out) == {"vocab.apkg": OLD_DECK}


@needs_permissions
def test_unwritable_output_folder(out: Path) -> None:
    out.chmod(0o555)
    try:
        result = vocab_process("build", GOOD, "-o", out / "vocab.apkg", preexec_fn=_without_file_powers)
    finally:
        out.chmod(0o755)
    assert result.stderr == (f"error: {out / 'vocab.apkg'}: cannot write here (Permission denied); "
                             "choose another output path\n")
    assert result.returncode == EXIT_INPUT
    assert listing(out) == {"vocab.apkg": OLD_DECK}


@needs_permissions
@pytest.mark.parametrize(("name", "problem"), [
    ("known.apkg", "permission denied: check its permissions"),  # was "internal error (PermissionError…)"
    ("known.txt", "cannot read known-words file (Permission denied)"),
])
def test_unreadable_known_file(tmp_path: Path, out: Path, name: str, problem: str) -> None:
    known = tmp_path / name
    known.write_text("外相\n", encoding="utf-8")
    known.chmod(0)
    result = vocab_process("build", GOOD, "-o", out / "vocab.apkg", "--known", known,
                           preexec_fn=_without_file_powers)
    assert result.stderr == f"error: {known}: {problem}\n"
    assert result.returncode == EXIT_INPUT
    assert listing(out) == {"vocab.apkg": OLD_DECK}


# ── Ctrl-C: exit 130, one line, nothing half-written, the earlier deck intact ───────────────

def _session_maps(session: int) -> str:
    """The memory maps of every process in `session` (the build and any workers it started)."""
    maps = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # field 6 of /proc/pid/stat: the session id
                maps.append((stat.parent / "maps").read_text())
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    return "".join(maps)


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"vocab ended before Ctrl-C: {process.communicate()}"
        assert time.monotonic() < deadline, "vocab never started tagging"
        time.sleep(0.05)


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_reader_gone_ends_quietly(fmt: str) -> None:
    """`vocab extract | head`: the reader leaves early. No traceback, the shell's 141 (SIGPIPE)."""
    process = subprocess.Popen([*VOCAB_COMMAND, "extract", str(GOOD), "--format", fmt], env=_child_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before vocab writes anything: its first write finds no reader
    assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert process.stderr.read() == b""
    process.stderr.close()


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four hundred distinct articles: far more than a run can tag before the Ctrl-C lands."""
    folder = tmp_path_factory.mktemp("many")
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    for i in range(400):
        # A number in every sentence, so no cache or memo can reuse another article's work.
        text = texts[i % len(texts)].replace("。", f"。第{i}項では、")
        (folder / f"{i:03}.txt").write_text(text, encoding="utf-8")
    return folder


STOPS = {  # how a run is stopped → what vocab says and its exit code
    "ctrl-c": ("interrupted: stopped; no half-written files were left\n", EXIT_INTERRUPTED),
    "sigterm": ("terminated: stopped; no half-written files were left\n", EXIT_TERMINATED),
}


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc to see the tagger start")
@pytest.mark.parametrize("stop", list(STOPS))
def test_stopped_during_build(many_articles: Path, out: Path, tmp_path: Path, stop: str) -> None:
    env = {**_child_env(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    # A terminal starts commands with Ctrl-C at its default action; a test run started in the
    # background of a script inherits it ignored (sh does that to `&` jobs), and so would vocab.
    process = subprocess.Popen([*VOCAB_COMMAND, "build", str(many_articles), "-o", str(out / "vocab.apkg"),
                                "--format", "json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        # UniDic's dictionary is mapped when the tagger starts: from then on the run is working.
        _wait_until(lambda: "unidic" in _session_maps(process.pid), process, seconds=60)
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # a terminal's Ctrl-C goes to the whole group
        else:
            process.send_signal(signal.SIGTERM)  # `kill`: to vocab only, not its workers
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert (stderr, process.returncode) == STOPS[stop]
    assert stdout == ""
    assert listing(out) == {"vocab.apkg": OLD_DECK}


# A dictionary install that is missing or damaged: one line naming it and the fix, never a traceback.
DAMAGED_DATABASES = [
    ("missing", None),
    ("not a database", b"this is not SQLite" * 100),
    ("empty", b""),
]


@pytest.mark.parametrize(("case", "content"), DAMAGED_DATABASES)
def test_a_damaged_dictionary_install_is_one_named_line(tmp_path: Path, case: str, content: bytes | None) -> None:
    database = tmp_path / "jamdict.db"
    if content is not None:
        database.write_bytes(content)
    script = ("import sys; from pathlib import Path; from vocab.resources import dictionary; "
              f"dictionary.database_path = lambda: Path({str(database)!r}); "
              "from vocab.cli import main; sys.argv = ['vocab', 'extract', sys.argv[1]]; main()")
    result = subprocess.run([sys.executable, "-c", script, str(GOOD)], capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_INPUT
    assert result.stderr.startswith("error: JMdict (jamdict-data) cannot be opened (") and "make setup" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
