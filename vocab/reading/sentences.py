"""Split an article into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from vocab.reading.articles import Article
from vocab.reading.tokens import Token

# A sentence ends at 。！？!? (with any closing quotes or brackets after it) or at a line break.
SENTENCE_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』）)】〕\"']*|\n|$)")
MAX_SENTENCE_CHARS = 400  # a "sentence" longer than this is a list or a table: cut it at 、


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, with where it came from."""

    source: str  # Article.name
    index: int   # position in the article, from 0
    text: str


class TaggedSentence(NamedTuple):
    """A sentence with its tokens."""

    sentence: Sentence
    tokens: tuple[Token, ...]


def split_sentences(article: Article) -> list[Sentence]:
    """The sentences of `article`, in order, stripped, none empty."""
    return [Sentence(article.name, i, text) for i, text in enumerate(split_text(article.text))]


def split_text(text: str) -> list[str]:
    """The sentences of `text`, in order, stripped, none empty."""
    pieces = (piece.strip() for match in SENTENCE_END.finditer(text) for piece in _cut_long(match.group()))
    return [piece for piece in pieces if piece]


def _cut_long(text: str) -> list[str]:
    if len(text) <= MAX_SENTENCE_CHARS:
        return [text]
    pieces, current = [], ""
    for part in re.split(r"(?<=[、,，])", text):
        if current and len(current) + len(part) > MAX_SENTENCE_CHARS:
            pieces.append(current)
            current = ""
        current += part
        if len(current) > MAX_SENTENCE_CHARS:  # no comma to cut at: cut anywhere
            # All cuts at once: cutting one piece off the front at a time copied the rest each
            # time (quadratic in a long run without commas).
            whole = (len(current) - 1) // MAX_SENTENCE_CHARS * MAX_SENTENCE_CHARS
            pieces += [current[i:i + MAX_SENTENCE_CHARS] for i in range(0, whole, MAX_SENTENCE_CHARS)]
            current = current[whole:]
    return [*pieces, current] if current else pieces
