"""Outputs are written atomically and reproducibly: a failed or interrupted write leaves the old
file and no temporary; the same articles and options give byte-identical files (issue 8)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ARTICLES, TIMESTAMP
from vocab.errors import VocabError
from vocab.output.export import FORMATS, atomic_path, build_timestamp, check_output, render, write_apkg, write_text

OLD = "the earlier file\n"


def listing(folder: Path) -> list[str]:
    """Every name in `folder`, hidden temporaries included."""
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """A file that an earlier run wrote."""
    path = tmp_path / "terms.md"
    path.write_text(OLD, encoding="utf-8")
    return path


# ── atomic_path ─────────────────────────────────────────────────────────────────────────────

def test_atomic_write_replaces_the_file(earlier: Path) -> None:
    write_text("新しい\n", earlier)
    assert earlier.read_text(encoding="utf-8") == "新しい\n"
    assert stat.S_IMODE(earlier.stat().st_mode) == 0o644
    assert listing(earlier.parent) == ["terms.md"]


@pytest.mark.parametrize("stop", [ValueError("a bug"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_stopped_write_keeps_the_old_file(earlier: Path, stop: BaseException) -> None:
    with pytest.raises(type(stop)), atomic_path(earlier) as tmp:
        assert tmp.parent == earlier.parent and tmp.name.startswith(".terms.md.")
        tmp.write_text("half a fi", encoding="utf-8")
        raise stop
    assert earlier.read_text(encoding="utf-8") == OLD
    assert listing(earlier.parent) == ["terms.md"]


def test_failed_write_names_the_file(earlier: Path) -> None:
    with pytest.raises(VocabError) as error, atomic_path(earlier) as tmp:
        raise OSError(28, "No space left on device", str(tmp))
    assert str(error.value) == f"{earlier}: cannot write (No space left on device); choose another output path"
    assert earlier.read_text(encoding="utf-8") == OLD
    assert listing(earlier.parent) == ["terms.md"]


def test_new_file_is_not_created_by_a_failed_write(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "vocab.apkg"):
        raise RuntimeError("stop")
    assert listing(tmp_path) == []


# ── check_output: bad output paths fail before the work ────────────────────────────────────

def test_check_output_accepts_new_and_existing_files(earlier: Path) -> None:
    check_output(earlier)
    check_output(earlier.parent / "new.apkg")
    assert listing(earlier.parent) == ["terms.md"]  # the probe file is gone
    assert earlier.read_text(encoding="utf-8") == OLD


BAD_OUTPUTS = [
    ("folder", lambda d: d, "{out}: is a folder; give a file name such as {out}/vocab.apkg"),
    ("missing folder", lambda d: d / "missing" / "vocab.apkg",
     "{out}: folder {d}/missing does not exist; create it or choose another output path"),
    ("file as folder", lambda d: d / "terms.md" / "vocab.apkg",
     "{out}: {d}/terms.md is a file, not a folder; choose another output path"),
]


@pytest.mark.parametrize(("case", "target", "message"), BAD_OUTPUTS, ids=[c[0] for c in BAD_OUTPUTS])
def test_check_output_rejects(earlier: Path, case: str, target, message: str) -> None:  # noqa: ANN001
    out = target(earlier.parent)
    for attempt in (check_output, lambda out: write_text("x", out)):
        with pytest.raises(VocabError) as error:
            attempt(out)
        assert str(error.value) == message.format(out=out, d=earlier.parent)
    assert listing(earlier.parent) == ["terms.md"]


# ── Reproducible output ─────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("epoch", "expected"), [("1767225600", 1767225600.0), ("", None), ("soon", None)])
def test_build_timestamp(monkeypatch: pytest.MonkeyPatch, epoch: str, expected: float | None) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    stamp = build_timestamp()
    assert stamp == expected if expected is not None else stamp > 1_700_000_000


def test_apkg_is_byte_identical_for_a_timestamp(sample_vocabulary, tmp_path: Path) -> None:  # noqa: ANN001
    from vocab.output.deck import build_deck
    from vocab.pipeline import cards_of

    deck = build_deck(cards_of(sample_vocabulary))
    first, second, later = tmp_path / "a.apkg", tmp_path / "b.apkg", tmp_path / "c.apkg"
    write_apkg(deck, first, timestamp=TIMESTAMP)
    write_apkg(deck, second, timestamp=TIMESTAMP)
    write_apkg(deck, later, timestamp=TIMESTAMP + 60)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != later.read_bytes()  # real runs pass now: Anki takes newer notes
    with zipfile.ZipFile(first) as package:
        assert package.namelist() == ["collection.anki2", "media"]
        assert {info.date_time for info in package.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    assert listing(tmp_path) == ["a.apkg", "b.apkg", "c.apkg"]  # no work folder left


def test_exports_are_the_same_bytes_in_any_process(sample_vocabulary) -> None:  # noqa: ANN001
    """Another interpreter, with another hash seed (set and dict order of strings), reads and ranks
    the articles again and renders every format: the bytes match this process's."""
    script = ("import sys, json; from vocab.pipeline import analyse; from vocab.output.export import render, FORMATS; "
              "v = analyse([sys.argv[1]]); print(json.dumps({f: render(v.terms, f, v.titles) for f in FORMATS}))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", script, str(ARTICLES)], capture_output=True, text=True,
                            env=env, timeout=300, check=True)
    there = json.loads(result.stdout)
    for fmt in FORMATS:
        here = render(sample_vocabulary.terms, fmt, sample_vocabulary.titles)
        assert here.endswith("\n") and here == there[fmt], fmt


def _vocab_command() -> list[str]:
    script = Path(sys.executable).parent / "vocab"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from vocab.cli import main; main()"]


def _build(out: Path, hash_seed: str, cache: Path) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": str(TIMESTAMP),
           "XDG_CACHE_HOME": str(cache)}
    formats = [arg for fmt in FORMATS for arg in ("--format", fmt)]
    done = subprocess.run([*_vocab_command(), "--quiet", "build", str(ARTICLES), "-o", str(out / "vocab.apkg"),
                           *formats], env=env, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stderr) == (0, "")


def _notes(apkg: Path, work: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(apkg) as package:
        db = work / f"{apkg.parent.name}.anki2"
        db.write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    finally:
        connection.close()


def test_two_processes_build_identical_files(tmp_path: Path) -> None:
    """Same articles and options, another process with another string-hash seed, and a cache
    the first run filled: the deck and every export come out byte for byte the same."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    cache = tmp_path / "cache"
    _build(first, "1", cache)
    _build(second, "2", cache)
    names = ["vocab.apkg", *(f"vocab.{fmt}" for fmt in FORMATS)]
    assert listing(first) == listing(second) == sorted(names)
    notes = _notes(first / "vocab.apkg", tmp_path)
    assert notes == _notes(second / "vocab.apkg", tmp_path)  # fields, GUIDs and order first
    assert len({guid for guid, _, _ in notes}) == len(notes) > 100
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
