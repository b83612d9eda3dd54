"""Register: which words are general vocabulary rather than the language of political news.

Two kinds a strict teacher leaves off a political-news study list even when they pass the JLPT
and frequency filters: general words (目的, 方法, 参加: vocab/data/general_words.tsv, marked by
teachers, see curation/general_words/) and transparent loanwords, whose meaning is their English
source (パートナー "partner", ミサイル "missile"): UniDic gives that source in its lemma.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

GENERAL_WORDS = Path(__file__).parent / "data" / "general_words.tsv"
PARENTHESISED = re.compile(r"\([^)]*\)")
LEADING_FUNCTION_WORD = re.compile(r"^(?:to|a|an|the) ")
NOT_LETTERS = re.compile(r"[^a-z]+")
ENGLISH_PREFIX = re.compile(r"^(?:anti|non|pro|post|pre|ex|de|neo) ")


@functools.cache
def general_words() -> frozenset[str]:
    """The forms teachers marked as general vocabulary (vocab/data/general_words.tsv)."""
    if not GENERAL_WORDS.exists():
        return frozenset()
    lines = GENERAL_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_general_word(word: str) -> bool:
    """True if `word` is general vocabulary, not political-news vocabulary (目的, 参加)."""
    return word in general_words()


def is_transparent_loanword(origin: str, glosses: Iterable[str], *, prefixed: bool = False) -> bool:
    """True if a katakana word's English source (`origin`, from UniDic: "partner", "video
    message") says what one of its `glosses` says: the learner reads it as English. With
    `prefixed`, the word has a kanji prefix that English also has (反ファシズム "anti-fascism")."""
    source = _plain(origin)
    if not source:
        return False
    for gloss in glosses:
        plain = _plain(gloss)
        if prefixed:
            plain = ENGLISH_PREFIX.sub("", plain)
        # A one-word source must be the gloss ("data"); a longer one may open it ("rare earth"
        # → "rare earth element"), where a one-word source would match too much ("on" → "on air").
        if plain == source or plain.rstrip("s") == source.rstrip("s") or (" " in source and plain.startswith(source + " ")):
            return True
    return False


def _plain(text: str) -> str:
    text = LEADING_FUNCTION_WORD.sub("", PARENTHESISED.sub("", text.lower()).strip())
    return " ".join(NOT_LETTERS.sub(" ", text).split())
