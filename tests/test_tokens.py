"""Tokens from the real tagger (unidic-lite 1.0.8)."""

from __future__ import annotations

import pytest

from vocab.reading.tokens import tokenize

BASE_FORMS = [
    ("外相が会談した", ["外相", "が", "会談", "する", "た"]),
    ("行った", ["行く", "た"]),  # conjugated verb → written dictionary form
]


@pytest.mark.parametrize(("text", "expected"), BASE_FORMS)
def test_base_forms(text: str, expected: list[str]) -> None:
    assert [t.base for t in tokenize(text)] == expected


def test_lemma_loses_unidic_suffix() -> None:
    (token,) = tokenize("ロシア")
    assert token.lemma == "ロシア"  # UniDic: ロシア-Rossiya


def test_reading_and_accent_come_from_unidic() -> None:
    (token,) = tokenize("外相")
    assert (token.reading, token.base_reading, token.accent) == ("ガイショウ", "ガイショウ", "0")


def test_unknown_words_are_marked_and_keep_katakana_reading() -> None:
    token = tokenize("マドゥロ大統領")[0]
    assert token.unknown and token.surface == "マドゥロ" and token.reading == "マドゥロ"


def test_offsets_point_into_the_text_even_with_spaces() -> None:
    text = "APEC フォーラムへの 参加"
    for token in tokenize(text):
        assert text[token.start:token.end] == token.surface
