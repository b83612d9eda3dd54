"""Keyness ranking and the learner's filters."""

from __future__ import annotations

import pytest

from vocab.learner.selection import Selection, parse_levels
from vocab.terms.ranking import keyness, rank


def test_keyness_grows_with_count_and_rarity() -> None:
    assert keyness(10, 5000, 3.0) > keyness(2, 5000, 3.0) > 0
    assert keyness(5, 5000, 3.0) > keyness(5, 5000, 5.0)
    assert keyness(1, 5000, 6.8) == 0.0  # する: expected far more often than seen


def test_parse_levels() -> None:
    assert parse_levels("N1,n2 3 none") == ("N1", "N2", "N3", "none")
    with pytest.raises(ValueError, match="N7"):
        parse_levels("N7")


def test_default_selection_drops_basics_names_and_known(sample_vocabulary) -> None:
    words = {t.word: t for t in sample_vocabulary.terms}
    assert all(t.jlpt not in ("N5", "N4") and t.kind != "name" for t in words.values())
    known = frozenset(list(words)[:10])
    ranked = rank([t for t in words.values()], sample_vocabulary.token_count, Selection(known=known))
    assert not known & {t.word for t in ranked}


def test_order_is_total_and_best_first(sample_vocabulary) -> None:
    scores = [(-t.score, t.word, t.reading) for t in sample_vocabulary.terms]
    assert scores == sorted(scores)


def test_limit_and_zipf_band(sample_vocabulary) -> None:
    ranked = rank(sample_vocabulary.terms, sample_vocabulary.token_count, Selection(max_zipf=4.0, limit=20))
    assert len(ranked) == 20 and all(t.zipf <= 4.0 for t in ranked)
