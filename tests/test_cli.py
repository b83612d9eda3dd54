"""End to end through the CLI (typer's CliRunner) on the shipped articles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ARTICLES
from vocab.cli import app

runner = CliRunner()
FILTERS = ["--min-zipf", "--max-zipf", "--jlpt", "--names", "--general", "--known"]
COMMANDS = [
    (["build"], ["--output", "--format", "--limit", "--no-audio", *FILTERS]),
    (["extract"], ["--output", "--format", "--limit", *FILTERS]),
    (["preview"], ["--output", "--count", *FILTERS]),
    (["coverage"], ["--level", "--known", "--format"]),
    (["known"], ["add", "import", "remove", "list", "path"]),
]


@pytest.mark.parametrize(("command", "options"), COMMANDS)
def test_every_command_documents_its_options(command: list[str], options: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0 and "Usage" in result.output
    assert [o for o in options if o not in result.output] == []
    assert "[default: N3,N2,N1,none]" in result.output or "--jlpt" not in options  # the library's default


def test_build_writes_a_deck_and_exports(tmp_path: Path) -> None:
    out = tmp_path / "vocab.apkg"
    result = runner.invoke(app, ["build", str(ARTICLES), "-o", str(out), "--format", "csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".csv").exists() and out.with_suffix(".json").exists()
    assert "notes from 5 articles" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vocab.apkg", "vocab.csv", "vocab.json"]


def test_extract_json_schema() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLES), "--format", "json", "--limit", "30"])
    assert result.exit_code == 0, result.output
    terms = json.loads(result.stdout)
    assert len(terms) == 30
    for term in terms:
        assert {"word", "reading", "meanings", "kind", "jlpt", "zipf", "count", "score", "examples"} <= set(term)
        assert term["kind"] in ("word", "compound", "name") and term["meanings"] and term["examples"]
        assert term["jlpt"] in (None, "N3", "N2", "N1")
        assert {"sentence", "source"} <= set(term["examples"][0])
    assert [t["score"] for t in terms] == sorted((t["score"] for t in terms), reverse=True)


def test_names_only_with_the_option() -> None:
    plain = json.loads(runner.invoke(app, ["extract", str(ARTICLES), "--format", "json"]).stdout)
    named = json.loads(runner.invoke(app, ["extract", str(ARTICLES), "--format", "json", "--names"]).stdout)
    assert not any(t["kind"] == "name" for t in plain)
    names = {t["word"]: t for t in named if t["kind"] == "name"}
    assert "習近平" in names and names["習近平"]["meanings"] == ["Xi Jinping"]


def test_jlpt_and_zipf_options() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLES), "--format", "json", "--jlpt", "N1", "--max-zipf", "4"])
    terms = json.loads(result.stdout)
    assert terms and all(t["jlpt"] == "N1" and t["zipf"] <= 4 for t in terms)


def test_table_output_is_readable() -> None:
    result = runner.invoke(app, ["extract", str(ARTICLES), "--limit", "5"])
    assert result.exit_code == 0 and "外相" in result.stdout


def test_stdin_is_an_article() -> None:
    text = (ARTICLES / "000_17ad8956b995fb24.txt").read_bytes()
    result = runner.invoke(app, ["extract", "-", "--format", "json"], input=text)
    assert result.exit_code == 0 and any(t["word"] == "封鎖" for t in json.loads(result.stdout))


def test_preview_page(tmp_path: Path) -> None:
    out = tmp_path / "preview.html"
    result = runner.invoke(app, ["preview", str(ARTICLES), "-o", str(out), "-n", "3"])
    assert result.exit_code == 0 and out.read_text().count('class="preview"') == 3


# ── Messages a learner reads ───────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("count", "word", "text"), [(0, "word", "0 words"), (1, "word", "1 word"),
                                                     (2, "article", "2 articles"), (1, "note", "1 note")])
def test_plural(count: int, word: str, text: str) -> None:
    from vocab.cli import plural

    assert plural(count, word) == text


def test_known_add_says_what_it_did(tmp_path: Path) -> None:
    first = runner.invoke(app, ["known", "add", "外相"])
    assert first.exit_code == 0 and "1 word added" in first.stderr and "already" not in first.stderr
    again = runner.invoke(app, ["known", "add", "外相", "封鎖"])
    assert "already known: 外相" in again.stderr and "1 word added" in again.stderr
    unknown = runner.invoke(app, ["known", "add", "外想"])  # a typo JMdict does not have
    assert unknown.exit_code == 0
    assert "warning: 外想 is not in the dictionary (JMdict)" in unknown.stderr and "1 word added" in unknown.stderr


def test_build_outside_the_project_says_what_to_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("build", "extract", "preview", "coverage"):
        result = runner.invoke(app, [command])
        assert result.exit_code == 1
        assert result.stderr == (f"error: no articles/ folder in {tmp_path}: pass article files or folders "
                                 f"(vocab {command} PATH…), or run vocab in the folder that has articles/\n")
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_decks_folder_creates_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", str(ARTICLES / "000_17ad8956b995fb24.txt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "decks" / "vocab.apkg").is_file() and "from 1 article →" in result.stderr


def test_a_failed_build_removes_the_folder_it_made(tmp_path: Path) -> None:
    out = tmp_path / "decks" / "vocab.apkg"
    result = runner.invoke(app, ["build", str(ARTICLES), "-o", str(out), "--jlpt", "N5", "--max-zipf", "0.1"])
    assert result.exit_code == 1 and "no vocabulary left" in result.stderr
    assert not (tmp_path / "decks").exists()


def test_help_wraps_to_the_terminal() -> None:
    """A docstring's line breaks never cut a sentence: at 200 columns each command's summary is one line."""
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    line = next(line for line in result.output.splitlines() if " build " in line)
    assert "it never duplicates them." in line


@pytest.mark.parametrize("width", [80, 100])
def test_extract_table_fits_and_never_breaks_a_word(width: int) -> None:
    # The whole list: its longest readings (40 cells) are what crowded the meaning out.
    result = runner.invoke(app, ["extract", str(ARTICLES)], terminal_width=width)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line.split("│") for line in lines if line.startswith("│")]
    words = {row[2].strip() for row in rows if len(row) > 3}
    readings = {row[3].strip() for row in rows if len(row) > 3}
    expected = {t["word"] for t in json.loads(runner.invoke(app, ["extract", str(ARTICLES), "--format", "json"]).stdout)}
    # Every word is on one line whole (or cut with …), never folded onto the next.
    assert all(w in expected or w.endswith("…") or not w for w in words), words - expected
    assert all(not r or r.endswith("…") or len(r) >= 2 for r in readings)
    # The meaning keeps room beside the longest reading (it had none below 120 columns).
    header = next(line.split("┃") for line in lines if "meaning" in line)
    assert len(header[4]) >= 14 and header[4].strip() == "meaning", header


def test_preview_open_and_heading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)  # no browser in CI
    out = tmp_path / "preview.html"
    result = runner.invoke(app, ["preview", str(ARTICLES), "-o", str(out), "-n", "1", "--open"])
    assert result.exit_code == 0, result.output
    assert opened == [out.resolve().as_uri()] and "1 card →" in result.stderr
    assert "<h1>vocab preview: the first 1 card</h1>" in out.read_text(encoding="utf-8")


def test_coverage_draws_the_curve(tmp_path: Path) -> None:
    report = tmp_path / "coverage.html"
    result = runner.invoke(app, ["coverage", str(ARTICLES), "--level", "N3", "--html", str(report)], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert "coverage as you learn the new words" in result.stdout
    assert re.search(r"90 % at \d+ words\s+95 % at \d+ words\s+98 % at \d+ words", result.stdout)
    curve = result.stdout.split("coverage as you learn the new words", 1)[1].splitlines()[1:]
    assert "┴" in result.stdout and max(len(line) for line in curve) <= 100
    page = report.read_text(encoding="utf-8")
    assert "<svg" in page and "<polyline" in page and page.count('class="mark"') == 3
    # Articles by title, never by their hash file names.
    # (the table cuts a long title to what the terminal leaves; the report has it whole)
    assert "中露はベネズエラ" in result.stdout and "中露はベネズエラ、キューバと協力維持で合意" in page
    assert "17ad8956" not in result.stdout + page


@pytest.mark.parametrize("width", [80, 120])
def test_coverage_table_fits_the_terminal_with_every_number(width: int) -> None:
    result = runner.invoke(app, ["coverage", str(ARTICLES), "--level", "N4"], terminal_width=width)
    assert result.exit_code == 0, result.output
    table = [line for line in result.stdout.splitlines() if line[:1] in "┏┃┡│├└"]
    assert table and max(len(line) for line in table) <= width
    header = next(line for line in table if "words" in line)
    assert [h for h in ("words", "known", "N3", "N2", "N1", "none", "→90%", "→95%", "→98%") if h not in header] == []
    assert re.search(r"│ all +│ +\d+ │ +[\d.]+% │( +\d+ │){7}", result.stdout)
