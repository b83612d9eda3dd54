"""The whole pipeline, stage by stage: articles → sentences → tokens → candidates → terms → ranking."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vocab.articles import Article, read_articles
from vocab.cards import Card, make_cards
from vocab.deck import build_deck
from vocab.candidates import find_candidates
from vocab.errors import InputError
from vocab.export import render, write_apkg, write_text
from vocab.glossary import Term, gloss
from vocab.ranking import Selection, rank
from vocab.sentences import Sentence, split_sentences
from vocab.tokens import Token, tokenize

Progress = Callable[[Article], None]
# Punctuation and symbols are not words: they don't count towards the text's length in keyness.
NOT_WORDS = ("補助記号", "空白", "記号")


@dataclass(frozen=True, slots=True)
class TaggedArticle:
    """An article split into sentences, each with its tokens."""

    article: Article
    sentences: tuple[tuple[Sentence, tuple[Token, ...]], ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The ranked vocabulary of a set of articles, with what was read and what was skipped."""

    terms: list[Term]
    articles: list[TaggedArticle]
    skipped: list[InputError]
    token_count: int


def tag_article(article: Article) -> TaggedArticle:
    """Split `article` into sentences and tokenize each."""
    return TaggedArticle(article, tuple((s, tuple(tokenize(s.text))) for s in split_sentences(article)))


def word_count(tagged: Sequence[TaggedArticle]) -> int:
    """Running words (tokens that are not punctuation) in the articles."""
    return sum(1 for t in tagged for _, tokens in t.sentences for token in tokens if token.pos[0] not in NOT_WORDS)


def vocabulary_of(tagged: Sequence[TaggedArticle], selection: Selection = Selection()) -> list[Term]:
    """The ranked, filtered terms of already tagged articles."""
    candidates = find_candidates(pair for t in tagged for pair in t.sentences)
    return rank(gloss(candidates), word_count(tagged), selection)


def analyse(paths: Sequence[str | Path], selection: Selection = Selection(), *,
            stdin: bytes | None = None, progress: Progress | None = None) -> Vocabulary:
    """Read, tag and rank the articles under `paths`; `progress` is called after each article."""
    read = read_articles(paths, stdin=stdin)
    tagged = []
    for article in read.articles:
        tagged.append(tag_article(article))
        if progress is not None:
            progress(article)
    return Vocabulary(vocabulary_of(tagged, selection), tagged, read.skipped, word_count(tagged))


def titles_of(vocabulary: Vocabulary) -> dict[str, str]:
    """Article name → title, for Source fields."""
    return {t.article.name: t.article.title for t in vocabulary.articles}


def tokens_of(vocabulary: Vocabulary) -> dict[Sentence, tuple[Token, ...]]:
    """Sentence → its tokens, for furigana on cards."""
    return {sentence: tokens for t in vocabulary.articles for sentence, tokens in t.sentences}


def cards_of(vocabulary: Vocabulary) -> list[Card]:
    """The Anki cards for the vocabulary's terms, in rank order."""
    return make_cards(vocabulary.terms, tokens_of(vocabulary), titles_of(vocabulary))


def write_deck(vocabulary: Vocabulary, out: Path, *, timestamp: float,
               formats: Sequence[str] = ()) -> list[Path]:
    """Write the .apkg (and any export formats beside it, same name); return the paths written."""
    write_apkg(build_deck(cards_of(vocabulary)), out, timestamp=timestamp)
    written = [out]
    for fmt in formats:
        path = out.with_suffix(f".{fmt}")
        write_text(render(vocabulary.terms, fmt, titles_of(vocabulary)), path)
        written.append(path)
    return written
