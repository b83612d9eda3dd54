"""Tokenize with fugashi + unidic-lite: surface, dictionary form, reading, POS and accent."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import fugashi

KATAKANA_WORD = re.compile(r"^[\u30a1-\u30fa\u30fc・ヽヾ]+$")
LEMMA_GLOSS = re.compile(r"-.*$")  # ロシア-Rossiya, プーチン-外国: UniDic appends a gloss or class


@dataclass(frozen=True, slots=True)
class Token:
    """One UniDic token."""

    surface: str       # as written in the sentence
    base: str          # orthBase (行っ → 行く); not lemma, which can be 為る or ロシア-Rossiya
    lemma: str         # UniDic lemma without its hyphenated suffix: 中ロ → 中露
    reading: str       # kana of the surface form, katakana ("" if UniDic does not know the word)
    base_reading: str  # kanaBase: reading of the dictionary form, katakana
    pos: tuple[str, str, str, str]
    accent: str | None  # UniDic aType ("0", "1,0"); None where UniDic has "*" or nothing
    start: int          # offset of the surface in the sentence, to highlight the word on a card
    unknown: bool       # not in UniDic: foreign names (ラヴロフ, マドゥロ) often land here

    @property
    def end(self) -> int:
        """Offset just past the surface in the sentence."""
        return self.start + len(self.surface)


@functools.cache
def tagger() -> fugashi.Tagger:
    """The process-wide UniDic tagger (fugashi finds unidic-lite itself)."""
    import fugashi

    return fugashi.Tagger()


def tokenize(text: str) -> list[Token]:
    """Tokenize one sentence."""
    tokens = []
    position = 0
    for word in tagger()(text):
        surface = word.surface
        # MeCab drops white space; find the surface again to keep offsets into `text` exact.
        found = text.find(surface, position)
        start = found if found >= 0 else position
        position = start + len(surface)
        tokens.append(_token(word, surface, start))
    return tokens


def _token(word: fugashi.UnidicNode, surface: str, start: int) -> Token:
    f = word.feature
    pos = (f.pos1 or "*", f.pos2 or "*", f.pos3 or "*", f.pos4 or "*")
    if word.is_unk or f.lemma is None:
        reading = surface if KATAKANA_WORD.match(surface) else ""
        return Token(surface, surface, surface, reading, reading, pos, None, start, True)
    accent = f.aType if f.aType and f.aType != "*" else None
    return Token(
        surface=surface,
        base=f.orthBase or surface,
        lemma=LEMMA_GLOSS.sub("", f.lemma) or surface,
        reading=f.kana or "",
        base_reading=f.kanaBase or f.kana or "",
        pos=pos,
        accent=accent,
        start=start,
        unknown=False,
    )
