"""Reproducible benchmark corpora that look like the work: political news of real length.

Where the text comes from: only what the repository already holds, the 5 sample articles
(`articles/*.txt`) and the 36 real news pages of the precision set (`eval/pages/dev`,
`eval/pages/test`; outlet and URL of each in `eval/pages/sources.tsv`). No other news text.

How the sentence pool is built (`sentence_pool`), step by step:
1. Each file is read and cleaned by `vocab.reading.articles.read_articles` (site furniture,
   menus and bylines dropped). Its lines without 。 of 8–40 characters are the headlines.
2. Lines are cut after each 。 (closing brackets stay with it). A sentence counts when it ends in
   。, has 20–160 characters and balanced 「」『』（）: ≈ 440 distinct real sentences.
3. Each real sentence is cut into clauses after each 、 outside brackets (so a quote 「…」 is never
   cut, and the clause boundaries が、 て、 し、 are cuts too). A clause ending in 、 is a *lead*, the
   last one (ending in 。) an *end*. A clause is never changed, only placed beside others.
4. New sentences: 0–3 leads and one end, each from a different real sentence, joined, kept when
   20–160 characters long and not already in the pool. A quarter of the new sentences carry a
   quote (`QUOTE_SHARE`, as in the real sentences): exactly one clause holding 「…」 (a lead put
   at a random place, or the end); the others take clauses without one.
   Drawn from one seeded generator until the pool holds `POOL_SENTENCES` distinct sentences, the
   real ones included.
Every number of the pool (distinct clauses, sentences, quote share) is in `Pool.summary()`.

The corpora (`write_corpus`), each article its own seeded generator (seed, kind, index), so the
first n articles of a bigger corpus are the smaller one (the 250 prefix, the 10,000 corpus):
- "news" (a): a headline, then paragraphs of 1–4 pool sentences until the article holds
  3,500–4,000 characters. Pool sentences recur ≈ 7 times in 1,000 articles, so terms recur as
  in news, but no article repeats another.
- "wire" (b): the same, with heavy exact repetition: one wire story (`WIRE_SENTENCES` pool
  sentences in 8 paragraphs) is reprinted whole in every other article under the outlet's own
  headline and before its own sentences; one quoted sentence stands in 2 articles of every 5.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "articles", ROOT / "eval" / "pages" / "dev", ROOT / "eval" / "pages" / "test")
SEED = 20260101
ARTICLES = 1000
KINDS = ("news", "wire")
POOL_SENTENCES = 8000
MIN_SENTENCE_CHARS, MAX_SENTENCE_CHARS = 20, 160
MIN_HEADLINE_CHARS, MAX_HEADLINE_CHARS = 8, 40
MIN_ARTICLE_CHARS, MAX_ARTICLE_CHARS = 3500, 4000
MAX_LEADS = 3
QUOTE_SHARE = 0.25       # of sentences: 113 of the 439 real ones carry 「…」
MAX_PARAGRAPH_SENTENCES = 4
WIRE_SENTENCES = 40      # ≈ 2,500 characters: two thirds of a reprinting article
WIRE_EVERY = 2           # every other article reprints the wire story
QUOTE_IN = (0, 1)        # articles whose index % 5 is one of these carry the shared quote
SENTENCE = re.compile(r"[^。]*。[」』）)]*")
OPENING, CLOSING = "「『（(", "」』）)"


@dataclass(frozen=True, slots=True)
class Pool:
    """The sentences articles are made of, and the counts that describe them."""

    sentences: tuple[str, ...]   # distinct: the real ones first, then the recombined ones
    headlines: tuple[str, ...]
    real_sentences: int
    leads: int                   # distinct clauses ending in 、
    ends: int                    # distinct clauses ending in 。

    def summary(self) -> str:
        """One line of the pool's numbers."""
        quoted = sum("「" in s for s in self.sentences) / len(self.sentences)
        return (f"sentence pool: {len(self.sentences):,} distinct sentences ({self.real_sentences} real, "
                f"the rest recombined from {self.leads + self.ends:,} distinct real clauses: "
                f"{self.leads:,} leads, {self.ends} ends), {quoted:.0%} with a quote 「…」, "
                f"{len(self.headlines)} real headlines")


@dataclass(frozen=True, slots=True)
class Corpus:
    """What was written: the folder, and its size in articles, sentences and characters."""

    folder: Path
    articles: int
    sentences: int
    characters: int


def source_lines(folders: Sequence[Path] = SOURCES) -> list[str]:
    """The cleaned lines of every source article, in file order."""
    from vocab.reading.articles import read_articles

    return [line for article in read_articles(list(folders)).articles for line in article.text.splitlines()]


def real_sentences(lines: Iterable[str]) -> list[str]:
    """The distinct full sentences of `lines` that can go into an article as they are."""
    found = (m.group().strip() for line in lines for m in SENTENCE.finditer(line))
    return list(dict.fromkeys(s for s in found if _usable(s)))


def headlines(lines: Iterable[str]) -> list[str]:
    """The distinct lines that read as headlines: no full stop, 8–40 characters."""
    return list(dict.fromkeys(line.strip() for line in lines
                              if "。" not in line and MIN_HEADLINE_CHARS <= len(line.strip()) <= MAX_HEADLINE_CHARS))


def clauses(sentence: str) -> list[str]:
    """`sentence` cut after each 、 that stands outside brackets; joined, they are the sentence."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        depth += (ch in OPENING) - (ch in CLOSING)
        if ch == "、" and depth == 0:
            pieces.append(sentence[start:i + 1])
            start = i + 1
    return [*pieces, sentence[start:]] if start < len(sentence) else pieces


Clause = tuple[int, str]  # (the real sentence it comes from, its text)


def sentence_pool(size: int = POOL_SENTENCES, seed: int = SEED, folders: Sequence[Path] = SOURCES) -> Pool:
    """The real sentences of `folders` and recombinations of their clauses: `size` in all."""
    lines = source_lines(folders)
    real = real_sentences(lines)
    # Clauses keyed by their sentence, so a new sentence never takes two from the same one.
    leads = [(n, c) for n, s in enumerate(real) for c in clauses(s)[:-1]]
    ends = [(n, clauses(s)[-1]) for n, s in enumerate(real)]
    rng = random.Random(f"{seed}:pool")
    pool = dict.fromkeys(real)
    # Quotes are drawn apart: among all the clauses they are too few for a quarter of random
    # sentences to hold one.
    plain_leads, quoted_leads = _split_quoted(leads)
    plain_ends, quoted_ends = _split_quoted(ends)
    while len(pool) < size:
        parts = [rng.choice(plain_leads) for _ in range(rng.randint(0, MAX_LEADS))]
        end = rng.choice(plain_ends)
        if rng.random() < QUOTE_SHARE:
            quote = rng.choice(quoted_leads + quoted_ends)
            if quote in quoted_ends:
                end = quote
            else:
                parts.insert(rng.randint(0, len(parts)), quote)
        parts.append(end)
        sentence = "".join(c for _, c in parts)
        if len({n for n, _ in parts}) == len(parts) and _usable(sentence):
            pool.setdefault(sentence)
    return Pool(tuple(pool), tuple(headlines(lines)), len(real),
                len({c for _, c in leads}), len({c for _, c in ends}))


def _split_quoted(clauses: Sequence[Clause]) -> tuple[list[Clause], list[Clause]]:
    """(clauses without 「, clauses with 「)."""
    return [c for c in clauses if "「" not in c[1]], [c for c in clauses if "「" in c[1]]


def _usable(sentence: str) -> bool:
    balanced = all(sentence.count(o) == sentence.count(c) for o, c in zip(OPENING, CLOSING))
    return balanced and sentence.endswith("。") and MIN_SENTENCE_CHARS <= len(sentence) <= MAX_SENTENCE_CHARS


def write_corpus(out: Path, kind: str = "news", count: int = ARTICLES, seed: int = SEED,
                 pool: Pool | None = None) -> Corpus:
    """Write `count` articles (00000.txt …) of `kind` ("news" or "wire") into `out`; the same
    seed gives the same files, and the first n files do not depend on `count`."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    pool = pool or sentence_pool(seed=seed)
    wire = _wire_story(pool, seed)
    quote = _shared_quote(pool)
    out.mkdir(parents=True, exist_ok=True)
    sentences = characters = 0
    for index in range(count):
        rng = random.Random(f"{seed}:{kind}:{index}")
        fixed: list[list[str]] = []
        if kind == "wire" and index % WIRE_EVERY == 0:
            fixed.extend(wire)
        if kind == "wire" and index % 5 in QUOTE_IN:
            fixed.append([quote])
        title, paragraphs = _article(rng, pool, fixed)
        text = "\n\n".join([title, *("".join(p) for p in paragraphs)]) + "\n"
        (out / f"{index:05d}.txt").write_text(text, encoding="utf-8")
        sentences += 1 + sum(map(len, paragraphs))
        characters += len(text)
    return Corpus(out, count, sentences, characters)


def _article(rng: random.Random, pool: Pool, fixed: Sequence[Sequence[str]]) -> tuple[str, list[list[str]]]:
    """A headline and paragraphs: the article's own first paragraph, the `fixed` ones (a wire
    story, a quote), then its own until it holds MIN–MAX_ARTICLE_CHARS characters."""
    title = rng.choice(pool.headlines)
    paragraphs = [_paragraph(rng, pool), *map(list, fixed)]
    size = len(title) + sum(sum(map(len, p)) + 2 for p in paragraphs)  # + 2: the blank line
    target = rng.randint(MIN_ARTICLE_CHARS, MAX_ARTICLE_CHARS - MAX_SENTENCE_CHARS - 2)
    while size < target:
        paragraph = _paragraph(rng, pool)
        size += 2
        # Sentence by sentence, so the article never runs past MAX_ARTICLE_CHARS.
        for n, sentence in enumerate(paragraph):
            size += len(sentence)
            if size >= target:
                del paragraph[n + 1:]
                break
        paragraphs.append(paragraph)
    return title, paragraphs


def _paragraph(rng: random.Random, pool: Pool) -> list[str]:
    return [rng.choice(pool.sentences) for _ in range(rng.randint(1, MAX_PARAGRAPH_SENTENCES))]


def _wire_story(pool: Pool, seed: int) -> list[list[str]]:
    """The one story every reprinting article carries, word for word: 8 paragraphs of 5."""
    sentences = random.Random(f"{seed}:wire").sample(pool.sentences, WIRE_SENTENCES)
    return [sentences[i:i + 5] for i in range(0, len(sentences), 5)]


def _shared_quote(pool: Pool) -> str:
    """The quote printed again and again: the longest real sentence holding 「…」."""
    return max((s for s in pool.sentences[:pool.real_sentences] if "「" in s), key=len)


def main(argv: Sequence[str] | None = None) -> None:
    """Write one corpus (for bench/profile_stages.py or a look at the text) and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the articles into")
    parser.add_argument("--kind", choices=KINDS, default="news", help="news (a) or wire (b)")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    pool = sentence_pool(seed=args.seed)
    print(pool.summary())
    corpus = write_corpus(args.out, args.kind, args.articles, args.seed, pool)
    print(f"{corpus.articles:,} {args.kind} articles, {corpus.sentences:,} sentences, "
          f"{corpus.characters:,} characters in {corpus.folder}")


if __name__ == "__main__":
    main()
