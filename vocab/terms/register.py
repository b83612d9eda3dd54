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

GENERAL_WORDS = Path(__file__).parents[1] / "data" / "general_words.tsv"
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


def is_transparent_loanword(origin: str, glosses: Iterable[str], *, prefixed: bool = False,
                            katakana: str = "") -> bool:
    """True if a katakana word's English source (`origin`, from UniDic: "partner", "video
    message") says what one of its `glosses` says: the learner reads it as English. With
    `prefixed`, the word has a kanji prefix that English also has (反ファシズム "anti-fascism").
    Where UniDic gives no source, the `katakana` itself is compared with the gloss, by their
    consonants (パートナーシップ p-t-n-s-p, "partnership")."""
    source = _plain(origin)
    for gloss in glosses:
        plain = _plain(gloss)
        if prefixed:
            plain = ENGLISH_PREFIX.sub("", plain)
        if not source:
            if katakana and _sounds_alike(katakana, plain):
                return True
            continue
        # A one-word source must be the gloss ("data"); a longer one may open it ("rare earth"
        # → "rare earth element"), where a one-word source would match too much ("on" → "on air").
        if plain.replace(" ", "") == source.replace(" ", "") or plain.rstrip("s") == source.rstrip("s") \
                or (" " in source and plain.startswith(source + " ")):
            return True
    return False


# Katakana as Latin letters (Hepburn), enough to compare consonants with an English word.
KATAKANA_ROWS = ("アイウエオ", "カキクケコ", "サシスセソ", "タチツテト", "ナニヌネノ", "ハヒフヘホ", "マミムメモ",
                 "ヤ_ユ_ヨ", "ラリルレロ", "ワ___ヲ", "ガギグゲゴ", "ザジズゼゾ", "ダヂヅデド", "バビブベボ", "パピプペポ")
KATAKANA_LATIN = {kana: consonant + vowel for row, consonant in zip(KATAKANA_ROWS, ("", "k", "s", "t", "n", "h", "m", "y",
                                                                                   "r", "w", "g", "z", "d", "b", "p"))
                  for kana, vowel in zip(row, "aiueo") if kana != "_"}
KATAKANA_LATIN.update({"ン": "n", "ヴ": "bu", "シ": "si", "チ": "ti", "ツ": "tu", "フ": "fu", "ジ": "zi"})
# English spellings and Japanese sounds that meet on one consonant (l/r, v/b, th/s, c/k …).
CONSONANT_MERGES = (("ph", "f"), ("th", "s"), ("ch", "t"), ("ck", "k"), ("x", "ks"), ("qu", "kw"), ("c", "k"), ("l", "r"),
                    ("v", "b"), ("j", "z"), ("dg", "z"), ("y", ""))
NOT_CONSONANT = re.compile(r"[aeiouhw\W_]")
DOUBLED = re.compile(r"(.)\1+")
R_BEFORE_CONSONANT = re.compile(r"r(?=[^aeiou]|$)")  # partner → pa-to-na: katakana drops it


def _sounds_alike(katakana: str, english: str) -> bool:
    latin = "".join(KATAKANA_LATIN.get(ch, "") for ch in katakana)
    mine = _consonants(latin)
    return len(mine) >= 2 and mine in (_consonants(english), _consonants(R_BEFORE_CONSONANT.sub("", english)))


def _consonants(text: str) -> str:
    for spelling, sound in CONSONANT_MERGES:
        text = text.replace(spelling, sound)
    return DOUBLED.sub(r"\1", NOT_CONSONANT.sub("", text))


def _plain(text: str) -> str:
    text = LEADING_FUNCTION_WORD.sub("", PARENTHESISED.sub("", text.lower()).strip())
    return " ".join(NOT_LETTERS.sub(" ", text).split())
