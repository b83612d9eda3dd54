"""Benchmark vocab end to end: start-up, the sample articles and a 1000-article corpus to .apkg,
each against the same pipeline glossing with one `Jamdict.lookup()` per word.

Run `make bench` (or `python bench/bench_pipeline.py`). Every case is its own `vocab` process,
so the figures include start-up. Wall time is the best of `--repeat` runs (other work on the
machine only ever adds time); peak RSS is the largest process of those runs, a tagging worker
included (wait4's rusage covers the descendants a process has waited for). The corpus is built
in a temporary folder from a fixed seed, so every run measures the same text. Python's bytecode
cache is on (in that folder), as on a user's machine, and an untimed run fills it first: an
environment with PYTHONDONTWRITEBYTECODE set would otherwise add compiling vocab to every run.

Nothing here asserts: timings vary with the machine and its load, so they are printed, never
tested.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import baseline
import corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "articles"
# Targets from issue 7, on a 2-core machine.
HELP_TARGET_S = 0.3
SAMPLE_TARGET_S = 1.0
CORPUS_TARGET_S = 20.0
RSS_TARGET_MB = 400
SCALES = (250, 500)  # corpus prefixes timed too, to show the cost grows with the text
DEFAULT_LOOKUP_WORDS = 20  # jamdict's default lookup takes ≈ 60 ms a word: time a few only


@dataclass(frozen=True, slots=True)
class Run:
    """The best wall time of some runs of one command, and the largest peak RSS among them."""

    wall: float  # seconds
    rss: float   # MB


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table."""

    case: str
    chars: int | None
    run: Run
    target: str = ""
    note: str = ""


def vocab_command() -> list[str]:
    """The `vocab` console script beside this Python (what users run), else the same via -c."""
    script = Path(sys.executable).with_name("vocab")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from vocab.cli import main; sys.argv[0] = 'vocab'; main()"]


def baseline_command() -> list[str]:
    """`vocab` glossing with one Jamdict.lookup() per word (bench/baseline.py)."""
    return [sys.executable, str(Path(__file__).with_name("baseline.py"))]


def timed(argv: Sequence[str], env: dict[str, str], repeat: int = 1) -> Run:
    """Run `argv` `repeat` times: the best wall time and the largest peak RSS."""
    walls, peaks = [], []
    for _ in range(repeat):
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=errors)
            _, status, usage = os.wait4(process.pid, 0)
            walls.append(time.perf_counter() - start)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                errors.seek(0)
                raise SystemExit(f"{' '.join(argv)} exited {process.returncode}:\n"
                                 f"{errors.read().decode(errors='replace')[-3000:]}")
        peaks.append(usage.ru_maxrss / 1024)  # KB on Linux
    return Run(min(walls), max(peaks))


class Workspace:
    """Temporary folders: cache roots (XDG_CACHE_HOME), a data home, outputs, corpora."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data_home = root / "data"  # no saved known words: every run keeps the same terms
        self.primed = root / "cache-primed"  # holds the frequency table, built once
        self.count = 0

    def env(self, cache: Path) -> dict[str, str]:
        """The environment for a run with `cache` as XDG_CACHE_HOME."""
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(self.data_home),
               "PYTHONPYCACHEPREFIX": str(self.root / "pycache"),
               "VOCAB_NO_AUDIO": "1"}  # audio has its own rows (bench_audio.py)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def cache(self, *, frequency_table: bool = True) -> Path:
        """A new, empty cache root; with `frequency_table`, holding only the cached wordfreq table
        (built once per install, so most runs find it)."""
        self.count += 1
        path = self.root / f"cache-{self.count}"
        shutil.rmtree(path, ignore_errors=True)
        (path / "vocab").mkdir(parents=True)
        if frequency_table:
            for table in (self.primed / "vocab").glob("wordfreq-ja-*.sqlite3"):
                shutil.copy(table, path / "vocab" / table.name)
        return path

    def output(self) -> Path:
        """A fresh .apkg path."""
        self.count += 1
        return self.root / f"out-{self.count}.apkg"


def text_size(folder: Path) -> int:
    """Characters in the .txt files under `folder`."""
    return sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))


def subset(source: Path, out: Path, count: int) -> Path:
    """The first `count` articles of `source`, copied to `out`."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.txt"))[:count]:
        shutil.copy(path, out / path.name)
    return out


def lookup_comparison(folder: Path, repeat: int) -> tuple[int, float, float]:
    """(queries, ours s, baseline s): glossing's dictionary lookups for the articles in `folder`,
    batched (`vocab.resources.dictionary.lookup`) against one Jamdict.lookup() per query; best of `repeat`."""
    from vocab.resources import dictionary
    from vocab.reading.articles import read_articles
    from vocab.terms.candidates import find_candidates
    from vocab.terms.glossary import gloss
    from vocab.reading.cache import TagCache
    from vocab.reading.corpus import tag_articles

    tagged = tag_articles(read_articles([folder]).articles, TagCache())
    calls: list[list[tuple]] = []
    batched = dictionary.lookup

    def recording(queries):  # noqa: ANN001, ANN202 - same signature as dictionary.lookup
        calls.append(list(queries))
        return batched(calls[-1])

    dictionary.lookup = recording
    try:
        gloss(find_candidates(pair for t in tagged for pair in t.sentences))
    finally:
        dictionary.lookup = batched
    ours = best_time(lambda: [batched(call) for call in calls], repeat)
    theirs = best_time(lambda: [baseline.jamdict_lookup(call) for call in calls], repeat)
    return sum(len(set(call)) for call in calls), ours, theirs


def default_lookup_cost(folder: Path) -> float:
    """Seconds a word for jamdict's default lookup (kanji and name searches on), over a few words."""
    from vocab.reading.articles import read_articles
    from vocab.terms.candidates import find_candidates
    from vocab.reading.cache import TagCache
    from vocab.reading.corpus import tag_articles

    tagged = tag_articles(read_articles([folder]).articles, TagCache())
    words = [(c.word, c.reading, c.pos_class) for c in find_candidates(p for t in tagged for p in t.sentences)]
    sample = words[:DEFAULT_LOOKUP_WORDS]
    return best_time(lambda: baseline.jamdict_lookup(sample, defaults=True), 1) / len(sample)


def best_time(work: Callable[[], object], repeat: int) -> float:
    """The best wall time of `repeat` calls of `work`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def verdict(value: float, target: float, unit: str = "s") -> str:
    """"≤ 1.0 s ✓" when `value` meets the target, "≤ 1.0 s ✗" when it misses."""
    return f"≤ {target:.1f} {unit} {'✓' if value <= target else '✗'}".replace(".0 MB", " MB")


def main(argv: Sequence[str] | None = None) -> None:
    """Build the corpus, run every case, print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=corpus.ARTICLES, help="corpus size (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="skip the scaling runs and the corpus baseline")
    args = parser.parse_args(argv)
    vocab, base = vocab_command(), baseline_command()
    big_repeat = max(1, args.repeat - 1)
    rows: list[Row] = []

    with tempfile.TemporaryDirectory(prefix="vocab-bench-") as tmp:
        ws = Workspace(Path(tmp))
        big = corpus.write_corpus(ws.root / "corpus", SAMPLES, args.articles)
        sample_chars, big_chars = text_size(SAMPLES), text_size(big.folder)
        print(f"corpus: {big.articles} articles, {big.sentences} sentences, {big_chars:,} characters "
              f"({big_chars / sample_chars:.0f}× the {len(list(SAMPLES.glob('*.txt')))} sample articles); "
              f"{os.cpu_count()} cores", flush=True)
        # Shared and virtual machines slow down and speed up: a fixed loop puts figures from
        # different runs on one scale.
        print(f"machine speed: sum(range(10**7)) takes {best_time(lambda: sum(range(10**7)), 5):.3f} s "
              f"(best of 5)", flush=True)

        def build(tool: list[str], folder: Path, cache: Callable[[], Path] | Path, repeat: int) -> Run:
            """`tool -q build folder`, `repeat` times; `cache` is a cache root, or makes a new one
            for each run."""
            runs = [timed([*tool, "-q", "build", str(folder), "-o", str(ws.output())],
                          ws.env(cache() if callable(cache) else cache))
                    for _ in range(repeat)]
            return Run(min(r.wall for r in runs), max(r.rss for r in runs))

        # Untimed: fills the bytecode cache, as installing would.
        timed([*vocab, "-q", "build", str(SAMPLES), "-o", str(ws.output())], ws.env(ws.cache()))
        help_run = timed([*vocab, "--help"], ws.env(ws.cache(frequency_table=False)), args.repeat + 2)
        rows.append(Row("vocab --help", None, help_run, verdict(help_run.wall, HELP_TARGET_S)))

        # First run after installing: builds the frequency table and tags everything.
        first = build(vocab, SAMPLES, lambda: ws.cache(frequency_table=False), args.repeat)
        shutil.rmtree(ws.primed, ignore_errors=True)
        timed([*vocab, "-q", "build", str(SAMPLES), "-o", str(ws.output())], ws.env(ws.primed))
        rows.append(Row("sample → .apkg, first run (empty cache)", sample_chars, first))
        new = build(vocab, SAMPLES, ws.cache, args.repeat)
        rows.append(Row("sample → .apkg, articles not yet tagged", sample_chars, new))
        warm_cache = ws.cache()
        timed([*vocab, "-q", "build", str(SAMPLES), "-o", str(ws.output())], ws.env(warm_cache))
        sample = build(vocab, SAMPLES, warm_cache, args.repeat)
        rows.append(Row("sample → .apkg, articles tagged before", sample_chars, sample,
                        verdict(sample.wall, SAMPLE_TARGET_S)))
        sample_base = build(base, SAMPLES, warm_cache, args.repeat)
        rows.append(Row("  baseline: Jamdict.lookup() per word", sample_chars, sample_base,
                        note=f"{sample_base.wall / sample.wall:.1f}× ours"))

        scale_runs = []
        for count in () if args.quick else [n for n in SCALES if n < big.articles]:
            folder = subset(big.folder, ws.root / f"corpus-{count}", count)
            chars = text_size(folder)
            run = build(vocab, folder, ws.cache, big_repeat)
            scale_runs.append((chars, run))
            rows.append(Row(f"{count} articles → .apkg, not yet tagged", chars, run,
                            note=f"{run.wall / chars * 1e5:.2f} s per 100k chars"))
        cold = build(vocab, big.folder, ws.cache, big_repeat)
        rows.append(Row(f"{big.articles} articles → .apkg, not yet tagged", big_chars, cold,
                        f"{verdict(cold.wall, CORPUS_TARGET_S)}, {verdict(cold.rss, RSS_TARGET_MB, 'MB')}",
                        f"{cold.wall / big_chars * 1e5:.2f} s per 100k chars"))
        big_cache = ws.cache()
        timed([*vocab, "-q", "build", str(big.folder), "-o", str(ws.output())], ws.env(big_cache))
        warm = build(vocab, big.folder, big_cache, big_repeat)
        rows.append(Row(f"{big.articles} articles → .apkg, tagged before", big_chars, warm,
                        f"{verdict(warm.wall, CORPUS_TARGET_S)}, {verdict(warm.rss, RSS_TARGET_MB, 'MB')}"))
        added = ws.root / "corpus" / f"{big.articles:04d}.txt"
        shutil.copy(SAMPLES / sorted(p.name for p in SAMPLES.glob("*.txt"))[0], added)
        plus_one = build(vocab, big.folder, big_cache, 1)
        added.unlink()
        rows.append(Row(f"{big.articles} + 1 new article → .apkg", big_chars, plus_one,
                        note="re-tags the new article only"))
        if not args.quick:
            big_base = build(base, big.folder, big_cache, 1)
            rows.append(Row("  baseline: Jamdict.lookup() per word", big_chars, big_base,
                            note=f"{big_base.wall / warm.wall:.1f}× ours (tagged before)"))

        print_table(rows)
        os.environ["XDG_CACHE_HOME"] = str(big_cache)  # the in-process comparisons read this cache
        os.environ["XDG_DATA_HOME"] = str(ws.data_home)
        print_lookups(SAMPLES, big.folder, args.repeat)


def print_table(rows: Sequence[Row]) -> None:
    """The results as an aligned plain-text table."""
    header = ("case", "chars", "wall s", "peak RSS MB", "target", "")
    lines = [(r.case, f"{r.chars:,}" if r.chars else "", f"{r.run.wall:.2f}", f"{r.run.rss:.0f}",
              r.target, r.note) for r in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    print()
    for line in [header, tuple("-" * w for w in widths), *lines]:
        print("  ".join(cell.ljust(w) if i in (0, 4, 5) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(line, widths))).rstrip())


def print_lookups(samples: Path, big: Path, repeat: int) -> None:
    """In-process: glossing's dictionary lookups, batched against one Jamdict.lookup() a query."""
    print("\nglossing lookups alone (in process, best of", repeat, "runs):")
    for label, folder in (("sample", samples), ("corpus", big)):
        queries, ours, theirs = lookup_comparison(folder, repeat if label == "sample" else 1)
        print(f"  {label}: {queries:,} queries: batched {ours:.3f} s, Jamdict.lookup() per query "
              f"{theirs:.3f} s → {theirs / ours:.1f}× ({ours / queries * 1e6:.0f} vs "
              f"{theirs / queries * 1e6:.0f} µs a query)")
    per_word = default_lookup_cost(samples)
    print(f"  Jamdict.lookup() with its defaults (kanji and name searches): {per_word * 1e3:.0f} ms a "
          f"word over {DEFAULT_LOOKUP_WORDS} words")


if __name__ == "__main__":
    main()
