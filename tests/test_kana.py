"""Kana conversion, morae and furigana alignment."""

from __future__ import annotations

import pytest

from vocab.resources.kana import furigana_pairs, has_japanese, has_kanji, hiragana, is_katakana, morae

FURIGANA = [
    ("外相", "ガイショウ", [("外相", "がいしょう")]),
    ("取り巻く", "トリマク", [("取", "と"), ("り", ""), ("巻", "ま"), ("く", "")]),
    ("行っ", "イッ", [("行", "い"), ("っ", "")]),
    ("パートナー", "パートナー", [("パートナー", "")]),
]


@pytest.mark.parametrize(("text", "reading", "expected"), FURIGANA)
def test_furigana_sits_over_kanji_only(text: str, reading: str, expected: list) -> None:
    assert furigana_pairs(text, reading) == expected


def test_morae_join_small_kana() -> None:
    assert morae("キョウリョク") == ["キョ", "ウ", "リョ", "ク"]


def test_script_tests() -> None:
    assert hiragana("ガイショウ") == "がいしょう"
    assert has_kanji("中ロ") and not has_kanji("ロシア")
    assert is_katakana("ウラジーミル・プーチン") and not is_katakana("中ロ")


@pytest.mark.parametrize(("text", "expected"), [("外相", True), ("ひらがな", True), ("ｶﾀｶﾅ", True),
                                                ("Hello", False), ("中文", True), ("한국어", False), ("", False)])
def test_has_japanese(text: str, expected: bool) -> None:
    assert has_japanese(text) is expected
