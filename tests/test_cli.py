"""End to end through the CLI (typer's CliRunner) on the shipped articles."""

from __future__ import annotations

import json
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
