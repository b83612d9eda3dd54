"""Scripts of Japanese text: kana conversion, kanji tests, morae and furigana alignment."""

from __future__ import annotations

import functools
import re

KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")  # kana, kanji, half-width kana
KANA_ONLY = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\u30fc]+$")
HIRAGANA_ONLY = re.compile(r"[\u3041-\u309fー]+")
KATAKANA_ONLY = re.compile(r"[\u30a0-\u30ff]+")  # ー and ・ included
# Small kana join the mora before them (キャ, ティ); the long mark and ん/っ are morae of their own.
SMALL_KANA = set("ゃゅょぁぃぅぇぉゎャュョァィゥェォヮ")
_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def hiragana(text: str) -> str:
    """Katakana → hiragana (ー and other characters unchanged)."""
    return text.translate(_TO_HIRAGANA)


def has_japanese(text: str) -> bool:
    """True if `text` contains any kana or kanji."""
    return JAPANESE.search(text) is not None


def has_kanji(text: str) -> bool:
    """True if `text` has at least one kanji (々 counts)."""
    return KANJI.search(text) is not None


def is_kana(text: str) -> bool:
    """True if `text` is only hiragana, katakana and ー."""
    return KANA_ONLY.match(text) is not None


def is_hiragana(text: str) -> bool:
    """True if `text` is hiragana (with ー) and nothing else."""
    return HIRAGANA_ONLY.fullmatch(text) is not None


def is_katakana(text: str) -> bool:
    """True if `text` is katakana (with ー and ・) and nothing else: a loanword or foreign name."""
    return KATAKANA_ONLY.fullmatch(text) is not None


def morae(reading: str) -> list[str]:
    """Split a kana reading into morae: キョウリョク → キョ・ウ・リョ・ク."""
    result: list[str] = []
    for ch in reading:
        if ch in SMALL_KANA and result:
            result[-1] += ch
        else:
            result.append(ch)
    return result


def furigana_pairs(surface: str, reading: str) -> list[tuple[str, str]]:
    """Align a reading to a written form: [(text, ruby)] with ruby "" over kana.

    取り巻く + とりまく → [("取", "と"), ("り", ""), ("巻", "ま"), ("く", "")]. When the kana in
    the written form cannot be matched (an irregular reading), the whole word gets the reading.
    """
    reading = hiragana(reading)
    if not has_kanji(surface) or not reading:
        return [(surface, "")]
    parts, pattern = _alignment(surface)
    match = pattern.fullmatch(reading)
    if not match:
        return [(surface, reading)]
    return [(part, ruby if has_kanji(part) else "") for part, ruby in zip(parts, match.groups())]


# Compiled once per written form: a deck has more distinct forms than re's own cache keeps (512),
# and compiling again was 15 % of building a thousand articles' cards.
@functools.lru_cache(maxsize=65536)
def _alignment(surface: str) -> tuple[tuple[str, ...], re.Pattern[str]]:
    """`surface` cut into kanji and kana runs, and a pattern matching its reading, a group a run."""
    parts = tuple(re.findall(r"[^\u3041-\u309f\u30a0-\u30ff]+|[\u3041-\u309f\u30a0-\u30ff]+", surface))
    pattern = "".join(
        "(.+?)" if has_kanji(part) or not is_kana(part) else f"({re.escape(hiragana(part))})"
        for part in parts
    )
    return parts, re.compile(pattern)
