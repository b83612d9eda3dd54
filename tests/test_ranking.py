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


def test_a_word_is_known_by_any_of_its_spellings() -> None:
    # One definition of "known" for the deck and for coverage: the form written, or UniDic's lemma.
    from vocab.learner.coverage import Learner, knows
    from vocab.reading.sentences import Sentence
    from vocab.reading.tokens import tokenize
    from vocab.terms.candidates import find_candidates
    from vocab.terms.glossary import gloss

    texts = ["危険にさらす政策だ。", "国民を危険にさらす。"]
    sentences = [Sentence("a.txt", i, text) for i, text in enumerate(texts)]
    terms = gloss(find_candidates((s, tokenize(s.text)) for s in sentences))
    sarasu = next(t for t in terms if t.word == "さらす")
    every_level = ("N5", "N4", "N3", "N2", "N1", "none")
    assert sarasu.lemma == "晒す"
    assert rank([sarasu], 100, Selection(levels=every_level, general=True, max_zipf=8))
    assert not rank([sarasu], 100, Selection(levels=every_level, general=True, max_zipf=8, known=frozenset({"晒す"})))
    token = next(t for t in tokenize(texts[1]) if t.base == "さらす")
    assert knows(token, Learner("N5", frozenset({"晒す"})))
    assert not knows(token, Learner("N5"))
