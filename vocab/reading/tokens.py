"""Tokenize with fugashi + unidic-lite: surface, dictionary form, reading, POS and accent."""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, NamedTuple

from vocab.errors import ResourceError
from vocab.resources.kana import has_japanese

if TYPE_CHECKING:
    import fugashi

# UniDic part-of-speech values (pos1: part of speech; pos2, pos3: its finer classes), by name.
NOUN = "名詞"
VERB = "動詞"
ADJECTIVE = "形容詞"
ADJECTIVAL_NOUN = "形状詞"
ADVERB = "副詞"
SUFFIX = "接尾辞"
PREFIX = "接頭辞"
NUMERAL = "数詞"
COMMON_NOUN = "普通名詞"
PROPER_NOUN = "固有名詞"
PLACE_NAME = "地名"
PERSON_NAME = "人名"
COUNTER = "助数詞"
COUNTER_ABLE = "助数詞可能"
ADVERBIAL = "副詞可能"
NOUN_LIKE = "名詞的"
ADJECTIVAL_LIKE = "形状詞的"
GENERAL = "一般"
PUNCTUATION = "補助記号"
SYMBOL = "記号"
SPACE = "空白"
PARTICLE = "助詞"
AUXILIARY = "助動詞"
PRONOUN = "代名詞"
# Not running words: punctuation, symbols and spaces; affixes (UniDic cuts 国際的 into 国際 + 的,
# and the affix would count as a word of its own); numerals.
NOT_WORDS = frozenset({PUNCTUATION, SYMBOL, SPACE})
AFFIXES = frozenset({PREFIX, SUFFIX})
KATAKANA_WORD = re.compile(r"^[\u30a1-\u30fa\u30fc・ヽヾ]+$")
LEMMA_GLOSS = re.compile(r"-.*$")  # ロシア-Rossiya, プーチン-外国: UniDic appends a gloss or class
# The foreign source UniDic gives a loanword's lemma: パートナー-partner, グローバル-global.
LEMMA_ORIGIN = re.compile(r"-([A-Za-z][A-Za-z' .]*)$")


class Token(NamedTuple):
    """One UniDic token.

    A named tuple, not a dataclass: a corpus has hundreds of thousands of tokens, and a tuple is
    built from the tag cache's word row and offset in one step (a frozen dataclass sets each
    field through `object.__setattr__`, 4× slower); `token[:-1]` is that word row.
    """

    surface: str       # as written in the sentence
    base: str          # orthBase (行っ → 行く); not lemma, which can be 為る or ロシア-Rossiya
    lemma: str         # UniDic lemma without its hyphenated suffix: 中ロ → 中露
    reading: str       # kana of the surface form, katakana ("" if UniDic does not know the word)
    base_reading: str  # kanaBase: reading of the dictionary form, katakana
    pos: tuple[str, str, str, str]
    accent: str | None  # UniDic aType ("0", "1,0"); None where UniDic has "*" or nothing
    unknown: bool       # not in UniDic: foreign names (ラヴロフ, マドゥロ) often land here
    origin: str         # a loanword's source word from UniDic's lemma (パートナー → partner), else ""
    start: int          # offset of the surface in the sentence, to highlight the word on a card

    @property
    def pos1(self) -> str:
        """UniDic's part of speech (名詞, 動詞, 接尾辞 …): the tokens module names each value (NOUN …)."""
        return self.pos[0]

    @property
    def pos2(self) -> str:
        """Its first finer class (普通名詞, 固有名詞, 数詞, 名詞的 …)."""
        return self.pos[1]

    @property
    def pos3(self) -> str:
        """Its second finer class (地名, 人名, 助数詞可能, 副詞可能 …)."""
        return self.pos[2]

    @property
    def end(self) -> int:
        """Offset just past the surface in the sentence."""
        return self.start + len(self.surface)


def is_running_word(token: Token) -> bool:
    """True if `token` counts towards a text's length: a word with kana or kanji in it (not
    punctuation, symbols, digits or Latin script) that is not a numeral (二, 三) or an affix (的)."""
    return is_running_form(token.surface, token.pos)


@functools.lru_cache(maxsize=65536)  # asked for every token read; a corpus has a few thousand words
def is_running_form(surface: str, pos: tuple[str, str, str, str]) -> bool:
    """`is_running_word` of a token written `surface` with UniDic's `pos`."""
    return not (pos[0] in NOT_WORDS or pos[0] in AFFIXES or pos[1] == NUMERAL) and has_japanese(surface)


Word = tuple  # Token's fields but the last (start): what a word is wherever it stands


@functools.cache
def tagger() -> fugashi.Tagger:
    """The process-wide UniDic tagger (fugashi finds unidic-lite itself)."""
    try:
        import fugashi

        return fugashi.Tagger()
    except (ImportError, RuntimeError) as exc:  # fugashi says RuntimeError when it finds no UniDic
        raise ResourceError("the tagger (fugashi + unidic-lite)", exc) from None


def tokenize(text: str) -> list[Token]:
    """Tokenize one sentence."""
    return [Token(*word, start) for word, start in words_at(text)]


def words_at(text: str) -> list[tuple[Word, int]]:
    """One sentence's tokens as (word, offset) pairs: each word a tuple of Token's fields but
    the offset, shared by every token of that word in this process."""
    words = []
    position = 0
    for node in tagger()(text):
        surface = node.surface
        # MeCab drops white space; find the surface again to keep offsets into `text` exact.
        found = text.find(surface, position)
        start = found if found >= 0 else position
        position = start + len(surface)
        words.append((_word(surface, node), start))
    return words


# Words seen in this process, by surface and MeCab's feature string. fugashi parses the feature
# string into a 26-field named tuple on every `node.feature`, which took 60 % of tagging; a
# corpus has a few thousand distinct words among hundreds of thousands of tokens, so each is
# parsed once. The strings are interned, so every token of a word shares them (in memory and in
# the tag cache, where marshal writes a shared string once). Feature strings that differ only in
# fields vocab drops make one word: the same word is always the same tuple.
_WORDS: dict[tuple[str, str], Word] = {}
_SAME_WORDS: dict[Word, Word] = {}
_SAME_POS: dict[tuple[str, str, str, str], tuple[str, str, str, str]] = {}


def _word(surface: str, node: fugashi.UnidicNode) -> Word:
    key = (surface, node.feature_raw)
    word = _WORDS.get(key)
    if word is None:
        word = tuple(sys.intern(v) if isinstance(v, str) else v for v in _parse(surface, node))
        word = _WORDS[key] = _SAME_WORDS.setdefault(word, word)
    return word


def _parse(surface: str, node: fugashi.UnidicNode) -> Word:
    f = node.feature
    pos = tuple(sys.intern(p or "*") for p in (f.pos1, f.pos2, f.pos3, f.pos4))
    pos = _SAME_POS.setdefault(pos, pos)  # one tuple a part of speech: a cache record writes it once a sentence
    if node.is_unk or f.lemma is None:
        reading = surface if KATAKANA_WORD.match(surface) else ""
        return (surface, surface, surface, reading, reading, pos, None, True, "")
    accent = f.aType if f.aType and f.aType != "*" else None
    origin = LEMMA_ORIGIN.search(f.lemma)
    return (surface, f.orthBase or surface, LEMMA_GLOSS.sub("", f.lemma) or surface, f.kana or "",
            f.kanaBase or f.kana or "", pos, accent, False, origin.group(1).lower() if origin else "")
