"""Candidates: compound terms, names kept whole, and what is never a candidate."""

from __future__ import annotations

import pytest

from vocab.candidates import find_candidates, name_spans
from vocab.sentences import Sentence
from vocab.tokens import tokenize


def candidates_of(*texts: str) -> dict[str, object]:
    sentences = [Sentence("a.txt", i, text) for i, text in enumerate(texts)]
    return {c.word: c for c in find_candidates((s, tokenize(s.text)) for s in sentences)}


def names_in(text: str) -> list[str]:
    tokens = tokenize(text)
    return ["".join(t.surface for t in tokens[i:j]) for i, j, _ in name_spans(tokens)]


@pytest.mark.parametrize("term", ["包括的戦略パートナーシップ", "国連安全保障理事会", "人類運命共同体", "国家主席"])
def test_compound_terms_are_found(term: str) -> None:
    found = candidates_of(f"両国は{term}について協議した。", f"{term}の役割は大きい。")
    assert found[term].kind == "compound"


def test_useful_parts_are_kept_too() -> None:
    found = candidates_of("両国は包括的戦略パートナーシップを確認した。", "包括的戦略パートナーシップを結ぶ。")
    assert {"包括的戦略パートナーシップ", "戦略", "パートナーシップ", "包括的"} <= set(found)


@pytest.mark.parametrize(("text", "name"), [
    ("習近平国家主席は述べた。", "習近平"),          # UniDic: 習近 (unknown) + 平
    ("習近平氏と会談した。", "習近平"),               # UniDic: 習近 + 平氏
    ("ユーリー・ウシャコフ氏は述べた。", "ユーリー・ウシャコフ"),
    ("ラヴロフ外相は述べた。", "ラヴロフ"),            # unknown to UniDic, a common noun tag
    ("マドゥロ大統領を拉致した。", "マドゥロ"),
])
def test_names_are_never_split(text: str, name: str) -> None:
    assert any(span.startswith(name) for span in names_in(text))
    found = candidates_of(text)
    assert found[name].kind == "name"
    assert not any(w in found for w in ("習近", "平", "ウシャ", "コフ"))


def test_a_name_seen_with_a_title_is_a_name_everywhere() -> None:
    found = candidates_of("トランプ大統領は述べた。", "トランプの平和評議会。")
    assert found["トランプ"].kind == "name" and found["トランプ"].count == 2


def test_institutional_terms_are_vocabulary_not_names() -> None:
    found = candidates_of("国連安全保障理事会の事務局長が述べた。")
    assert found["安全保障理事会"].kind == "compound" and found["事務局長"].kind == "compound"


@pytest.mark.parametrize("noise", ["2017年以来", "年以来", "80", "周年", "は", "が", "。", "た"])
def test_numbers_counters_and_particles_are_not_candidates(noise: str) -> None:
    found = candidates_of("2017年以来、80周年を記念する。")
    assert noise not in found


def test_spelling_variants_share_one_candidate() -> None:
    found = candidates_of("取り組みを進める。", "取組を進める。", "取り組みが遅れた。")
    assert "取り組み" in found and "取組" not in found and found["取り組み"].count == 3


def test_katakana_spellings_of_one_loanword_share_one_candidate() -> None:
    found = candidates_of("イニシアティブを取る。", "イニシアチブを発揮する。", "イニシアティブだ。")
    assert "イニシアティブ" in found and "イニシアチブ" not in found and found["イニシアティブ"].count == 3


def test_occurrences_point_at_the_word() -> None:
    found = candidates_of("両国の外相が会談した。")
    occurrence = found["外相"].occurrences[0]
    assert occurrence.sentence.text[occurrence.start:occurrence.end] == "外相"
