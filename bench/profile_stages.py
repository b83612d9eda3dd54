"""Where a build's seconds and memory go: vocab's stages run one after another on one corpus.

`python bench/profile_stages.py [FOLDER] [--kind news|wire] [--articles N]` (without FOLDER it
writes the benchmark corpus of that kind and size to a temporary folder) prints, for each stage,
its wall seconds, the process's resident memory after it and the peak so far (this process; the
tagging pool's workers are counted apart, as "workers' peak"):

    read articles → tag + find in sentences, cold (empty tag cache, through the pool, whose
    workers find each sentence's candidates) → tag, warm (from the tag cache) → [find in
    sentences here, as a warm build does: not counted] → merge candidates → gloss → rank →
    cards → write deck

Each stage is vocab's public function (vocab.reading.articles.read_articles,
vocab.reading.corpus.iter_tagged and tag_articles, vocab.terms.candidates.find_candidates,
vocab.terms.glossary.gloss, vocab.terms.ranking.rank, vocab.output.cards.make_cards,
vocab.pipeline.write_deck). Unlike `vocab build` (vocab.pipeline.analyse), which streams each
tagged article through candidate finding and drops it, this holds the whole tagged corpus
between stages, so that each stage can be timed alone: the peak here is higher than a build's.
`--whole` adds `analyse` + `write_deck` end to end (warm), as `vocab build` runs them.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run from anywhere: `import corpus`

import corpus  # noqa: E402 - after the path is set

T = TypeVar("T")


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident memory of this process (or of its waited-for children), in MB."""
    return resource.getrusage(who).ru_maxrss / 1024  # KB on Linux


class Stages:
    """Runs stages, printing a line for each as it ends."""

    def __init__(self) -> None:
        print(f"{'stage':<38} {'seconds':>8} {'RSS MB':>7} {'peak MB':>8}  note", flush=True)
        self.total = 0.0

    def run(self, name: str, work: Callable[[], T], note: Callable[[T], str] = lambda _: "", *,
            counted: bool = True) -> T:
        """Time `work()` (the garbage collector paused, as vocab.pipeline does) and print its
        line; `counted` adds its time to the total of a cold build."""
        gc.disable()
        start = time.perf_counter()
        try:
            result = work()
        finally:
            elapsed = time.perf_counter() - start
            gc.enable()
        self.total += elapsed if counted else 0.0
        print(f"{name:<38} {elapsed:8.2f} {rss_mb():7.0f} {peak_mb():8.0f}  {note(result)}", flush=True)
        return result


def profile(folder: Path, cache_root: Path, out: Path, whole: bool = False) -> None:
    """Run and print every stage on the articles in `folder`."""
    from vocab.output.cards import make_cards
    from vocab.pipeline import Vocabulary, analyse, write_deck
    from vocab.reading.articles import read_articles
    from vocab.reading.cache import TagCache
    from vocab.reading.corpus import SentenceWork, iter_tagged, running_words, tag_articles
    from vocab.terms.candidates import find_candidates, find_in_sentence
    from vocab.terms.glossary import gloss
    from vocab.terms.ranking import rank

    stages = Stages()
    read = stages.run("read articles", lambda: read_articles([folder]),
                      lambda r: f"{len(r.articles):,} articles, {sum(len(a.text) for a in r.articles):,} characters")
    cold_cache = TagCache(cache_root)
    finds = SentenceWork(find_in_sentence)  # as in a build: the workers find each sentence's candidates
    tagged = stages.run("tag + find in sentences, cold (pool)", lambda: list(iter_tagged(read.articles, cold_cache, beside=finds)),
                        lambda t: f"{sum(len(a.sentences) for a in t):,} sentences, {len(finds.done):,} texts; "
                                  f"workers' peak {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    del tagged
    gc.collect()
    tagged = stages.run("tag, warm (from the tag cache)", lambda: tag_articles(read.articles, TagCache(cache_root)),
                        counted=False)
    words = running_words(tagged)
    stages.run("find in sentences, here (warm builds)", lambda: find_candidates(p for t in tagged for p in t.sentences),
               counted=False)
    candidates = stages.run("merge candidates (pool's finds)",
                            lambda: find_candidates((p for t in tagged for p in t.sentences), dict(finds.done)),
                            lambda c: f"{len(c):,} candidates, {words:,} running words")
    terms = stages.run("gloss", lambda: gloss(candidates), lambda t: f"{len(t):,} terms")
    ranked = stages.run("rank", lambda: rank(terms, words), lambda r: f"{len(r):,} kept")
    titles = {t.article.name: t.article.title for t in tagged}
    stages.run("cards", lambda: make_cards(ranked, titles), lambda c: f"{len(c):,} cards")
    vocabulary = _vocabulary(Vocabulary, terms=ranked, titles=titles, skipped=read.skipped, token_count=words)
    stages.run("write deck", lambda: write_deck(vocabulary, out, timestamp=0, audio=False),
               lambda _: f"{out.stat().st_size / 2**20:.1f} MB .apkg")
    print(f"{'all stages but the warm tag':<38} {stages.total:8.2f}", flush=True)
    if whole:
        del tagged, candidates, terms, ranked, vocabulary
        gc.collect()
        stages.run("analyse + write_deck (warm)",
                   lambda: write_deck(analyse([folder]), out, timestamp=0, audio=False), lambda _: "as `vocab build` runs",
                   counted=False)


def _vocabulary(kind: type, **values: object) -> object:
    """A vocab.pipeline.Vocabulary from the fields it has among `values` (its fields may grow)."""
    return kind(**{f.name: values[f.name] for f in dataclasses.fields(kind) if f.name in values})


def main(argv: Sequence[str] | None = None) -> None:
    """Profile the folder given, or a benchmark corpus written for the purpose."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", help="articles to profile (default: a bench corpus)")
    parser.add_argument("--kind", choices=corpus.KINDS, default="news", help="bench corpus: news (a) or wire (b)")
    parser.add_argument("--articles", type=int, default=corpus.ARTICLES, help="bench corpus size (default 1000)")
    parser.add_argument("--whole", action="store_true", help="also time analyse + write_deck end to end")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vocab-profile-") as tmp:
        root = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")  # analyse's TagCache: not the user's
        os.environ["XDG_DATA_HOME"] = str(root / "data")    # no saved known words
        folder = args.folder
        if folder is None:
            made = corpus.write_corpus(root / "corpus", args.kind, args.articles)
            print(f"corpus: {made.articles:,} {args.kind} articles, {made.characters:,} characters", flush=True)
            folder = made.folder
        profile(folder, root / "cache" / "vocab", root / "deck.apkg", args.whole)


if __name__ == "__main__":
    main()
