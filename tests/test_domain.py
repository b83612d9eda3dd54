"""Recall, rank and noise of the default vocabulary against a hand-picked list of domain terms.

Run `pytest tests/test_domain.py -s` to see the report; the asserts guard against regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vocab.terms.ranking import is_noise

TERMS_FILE = Path(__file__).parent / "data" / "domain_terms.tsv"
MIN_RECALL = 0.90
MIN_COMPOUND_RECALL = 0.85
MAX_NOISE = 0.02


def domain_terms() -> dict[str, str]:
    """term → kind, from tests/data/domain_terms.tsv."""
    rows = (line.split("\t") for line in TERMS_FILE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#"))
    return {term: kind.strip() for term, kind in rows}


@pytest.fixture(scope="module")
def report(sample_vocabulary) -> dict[str, float]:
    words = [t.word for t in sample_vocabulary.terms]
    position = {w: i for i, w in enumerate(words)}
    expected = domain_terms()
    found = [t for t in expected if t in position]
    compounds = [t for t, kind in expected.items() if kind == "compound"]
    in_first_half = [t for t in found if position[t] < len(words) / 2]
    noise = [t.word for t in sample_vocabulary.terms if is_noise(t) or not (t.meanings or t.parts_gloss)]
    result = {
        "recall": len(found) / len(expected),
        "compound_recall": sum(t in position for t in compounds) / len(compounds),
        "first_half": len(in_first_half) / max(1, len(found)),
        "noise": len(noise) / max(1, len(words)),
    }
    missing = sorted(set(expected) - set(found))
    print(f"\ndomain terms: {result} of {len(words)} entries; missing: {' '.join(missing)}")
    return result


def test_recall_of_domain_terms(report: dict[str, float]) -> None:
    assert report["recall"] >= MIN_RECALL


def test_recall_of_compounds(report: dict[str, float]) -> None:
    assert report["compound_recall"] >= MIN_COMPOUND_RECALL


def test_domain_terms_rank_in_first_half(report: dict[str, float]) -> None:
    assert report["first_half"] >= 0.5


def test_noise_is_rare(report: dict[str, float]) -> None:
    assert report["noise"] <= MAX_NOISE


@pytest.mark.parametrize("word", ["今日", "する", "ロゴ", "記事", "https", "習近", "ウシャ"])
def test_no_basics_or_fragments(sample_vocabulary, word: str) -> None:
    assert word not in {t.word for t in sample_vocabulary.terms}


@pytest.mark.parametrize("name", ["習近平", "プーチン", "ラヴロフ", "マドゥロ", "ウシャコフ", "ロシア", "北京"])
def test_names_stay_out_of_the_default_vocabulary(sample_vocabulary, name: str) -> None:
    assert name not in {t.word for t in sample_vocabulary.terms}
