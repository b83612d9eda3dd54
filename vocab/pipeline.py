"""The whole pipeline, stage by stage: articles → tagged corpus → candidates → terms → ranking →
cards and exports; and the learner's coverage of the same corpus."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vocab.errors import InputError
from vocab.learner.coverage import Coverage, Learner, knows
from vocab.learner.selection import Selection
from vocab.output.cards import Card, make_cards, reader_for
from vocab.output.deck import build_deck
from vocab.output.export import outputs, render
from vocab.reading.articles import read_articles
from vocab.reading.cache import TagCache
from vocab.reading.corpus import (Progress, SentenceWork, TaggedArticle, TaggedSentence, iter_tagged, running_words,
                                  tag_articles)
from vocab.reading.tokens import Token, is_running_word
from vocab.terms.candidates import find_candidates, find_in_sentence
from vocab.terms.glossary import Term, gloss
from vocab.terms.ranking import rank

if TYPE_CHECKING:
    from vocab.output.audio import DeckAudio
    from vocab.output.audio import Progress as AudioProgress


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The ranked vocabulary of a set of articles, with what was read and what was skipped."""

    terms: list[Term]
    titles: dict[str, str]   # article name → title, for every article read, in order
    skipped: list[InputError]
    token_count: int         # running words in the articles
    names: frozenset[str] = frozenset()  # every name found, kept or not (whole in sentence furigana)


@contextlib.contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while the stages build their records.

    A big corpus makes millions of small acyclic objects (tokens, occurrences, terms) that live
    to the end of the run; the collector would rescan all of them every time enough new ones
    pile up, which took a third of a 1000-article run. Nothing here builds cycles worth
    collecting early; the collector runs again as usual afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def vocabulary_of(tagged: Sequence[TaggedArticle], selection: Selection = Selection()) -> list[Term]:
    """The ranked, filtered terms of already tagged articles."""
    candidates = find_candidates(pair for t in tagged for pair in t.sentences)
    return rank(gloss(candidates, unknown_to(selection.known)), running_words(tagged), selection)


def unknown_to(known: frozenset[str]) -> Callable[[Token], bool] | None:
    """Whether a token is a running word new to a learner who knows `known` and the basics the
    deck assumes (JLPT N5, N4, grammar, names): the test for "i+1" example sentences. None
    without known words: the examples are chosen as they always were."""
    if not known:
        return None
    learner = Learner(known=known)
    return lambda token: is_running_word(token) and not knows(token, learner)


def analyse(paths: Sequence[str | Path], selection: Selection = Selection(), *,
            stdin: bytes | None = None, progress: Progress | None = None) -> Vocabulary:
    """Read, tag and rank the articles under `paths`; `progress` is called after each article.
    Each tagged article is dropped once its candidates are collected: what the terms keep of
    it (their example sentences) is all that stays."""
    read = read_articles(paths, stdin=stdin)
    finds = SentenceWork(find_in_sentence)  # the pool's workers find each sentence's candidates
    titles: dict[str, str] = {}
    words = 0

    def sentences() -> Iterator[TaggedSentence]:
        nonlocal words
        # Candidates are collected from each article as it comes, while a pool tags the rest.
        for article in iter_tagged(read.articles, TagCache(), progress=progress, beside=finds):
            titles[article.article.name] = article.article.title
            words += article.running_words
            yield from article.sentences

    with bulk_allocation():
        candidates = find_candidates(sentences(), finds.done)
        names = frozenset(c.word for c in candidates if c.kind == "name")
        return Vocabulary(rank(gloss(candidates, unknown_to(selection.known)), words, selection),
                          titles, read.skipped, words, names)


def cards_of(vocabulary: Vocabulary, selection: Selection = Selection(), audio: DeckAudio | None = None) -> list[Card]:
    """The Anki cards for the vocabulary's terms, in rank order; sentence furigana for the
    learner the `selection` implies (the JLPT levels it leaves out and the known words); with
    `audio`, their sound fields."""
    return make_cards(vocabulary.terms, vocabulary.titles,
                      reader_for(selection.levels, selection.known, vocabulary.names),
                      audio.sounds if audio is not None else None)


def audio_of(vocabulary: Vocabulary, progress: AudioProgress | None = None) -> DeckAudio:
    """Speech for every card (word and sentence), from the audio cache or spoken now;
    `progress` is called after each clip spoken."""
    from vocab.output.audio import deck_audio

    return deck_audio(vocabulary.terms, progress)


def write_deck(vocabulary: Vocabulary, out: Path, *, timestamp: float, formats: Sequence[str] = (),
               selection: Selection = Selection(), production: bool = False, audio: bool = True,
               progress: AudioProgress | None = None) -> list[Path]:
    """Write the .apkg (and any export formats beside it, same name); return the paths written.
    With `production`, the deck also has a meaning → word card a word. With `audio`, each card's
    word and sentence are spoken (see vocab.output.audio; `progress` is called after each new
    clip) and the clips go in the .apkg's media. All of them are replaced, or none is: a failed
    export leaves the earlier deck too."""
    sounds = audio_of(vocabulary, progress) if audio else None
    with bulk_allocation(), outputs() as batch:
        batch.write_apkg(build_deck(cards_of(vocabulary, selection, sounds), production=production), out,
                         timestamp=timestamp, media=sounds.media if sounds is not None else None)
        written = [out]
        for fmt in formats:
            path = out.with_suffix(f".{fmt}")
            batch.write_text(render(vocabulary.terms, fmt, vocabulary.titles), path)
            written.append(path)
    return written


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """How much of each article a learner can read, and of all of them together."""

    learner: Learner
    articles: list[Coverage]
    overall: Coverage
    titles: dict[str, str]   # article name → title
    skipped: list[InputError]


def coverage_of(paths: Sequence[str | Path], learner: Learner, *, stdin: bytes | None = None,
                progress: Progress | None = None) -> CoverageReport:
    """Read and tag the articles under `paths` (through the tag cache, as `analyse` does) and
    measure the learner's coverage of each; `progress` is called after each article."""
    from vocab.learner.coverage import combined, coverage

    read = read_articles(paths, stdin=stdin)
    tagged = tag_articles(read.articles, TagCache(), progress=progress)
    parts = [coverage(t.article.name, (token for _, tokens in t.sentences for token in tokens), learner)
             for t in tagged]
    titles = {t.article.name: t.article.title for t in tagged}
    return CoverageReport(learner, parts, combined("all", parts), titles, read.skipped)
