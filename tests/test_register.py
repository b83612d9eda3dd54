"""Register: general words and transparent loanwords are not political-news vocabulary."""

from __future__ import annotations

import pytest

from vocab.reading.tokens import tokenize
from vocab.terms import register


@pytest.mark.parametrize(("origin", "glosses", "transparent"), [
    ("missile", ["missile"], True),
    ("partner", ["partner", "companion"], True),
    ("video message", ["video message"], True),
    ("rare earth", ["rare-earth element"], True),     # a longer source may open the gloss
    ("governance", ["governance (esp. corporate)"], True),
    ("on", ["on air"], False),                         # a one-word source must be the whole gloss
    ("maker", ["manufacturer (esp. a major company)"], False),
    ("", ["anything"], False),                         # no source known
])
def test_transparent_loanwords(origin: str, glosses: list[str], transparent: bool) -> None:
    assert register.is_transparent_loanword(origin, glosses) is transparent


def test_a_prefix_english_shares_keeps_a_loanword_transparent() -> None:
    assert register.is_transparent_loanword("fascism", ["anti-fascism"], prefixed=True)


@pytest.mark.parametrize(("text", "origin"), [("ミサイル", "missile"), ("グローバル", "global"), ("外相", "")])
def test_unidic_gives_the_source_of_a_loanword(text: str, origin: str) -> None:
    assert tokenize(text)[0].origin == origin


@pytest.mark.parametrize(("word", "general"), [("目的", True), ("方法", True), ("参加", True),
                                               ("外交", False), ("制裁", False), ("維持", False)])
def test_general_words(word: str, general: bool) -> None:
    assert register.is_general_word(word) is general


@pytest.mark.parametrize(("katakana", "gloss", "transparent"), [
    ("パートナーシップ", "partnership", True),   # UniDic gives no source for this one
    ("デカップリング", "decoupling", True),
    ("サプライチェーン", "supply chain", True),
    ("マンション", "apartment", False),
    ("ノルマ", "quota", False),
])
def test_katakana_without_a_source_is_compared_by_its_sounds(katakana: str, gloss: str, transparent: bool) -> None:
    assert register.is_transparent_loanword("", [gloss], katakana=katakana) is transparent
