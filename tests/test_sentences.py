"""Sentence splitting."""

from __future__ import annotations

from vocab.reading.articles import article_from_text
from vocab.reading.sentences import MAX_SENTENCE_CHARS, split_sentences


def test_splits_on_japanese_punctuation_and_keeps_closing_quotes() -> None:
    article = article_from_text("a.txt", "外相の見出し\n「合意した。」と述べた。本当か？")
    assert [s.text for s in split_sentences(article)] == ["外相の見出し", "「合意した。」", "と述べた。", "本当か？"]


def test_sentences_know_their_article_and_position() -> None:
    sentences = split_sentences(article_from_text("a.txt", "一文目。二文目。"))
    assert [(s.source, s.index) for s in sentences] == [("a.txt", 0), ("a.txt", 1)]


def test_very_long_sentences_are_cut() -> None:
    article = article_from_text("a.txt", "外相、" * 500)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in split_sentences(article))
