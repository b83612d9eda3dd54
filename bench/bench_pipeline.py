"""Benchmark vocab end to end: start-up, the sample deck, and corpora of real-length political
news (bench/corpus.py) to .apkg, each case against a floor or a baseline.

Run `make bench` (or `python bench/bench_pipeline.py`); `make bench-large` adds the 10,000-article
corpus (`--large 10000`). Every case is its own `vocab` process, so the figures include start-up.
Wall time is the best of `--repeat` runs for the small cases and of PAIRS builds for (a) and (b),
one for (c) (other work on the machine only ever adds time); peak RSS is the largest process of
those runs, a tagging worker included (wait4's rusage covers the descendants a process has
waited for).

The scaling table times, for the first 250 and 1,000 articles of corpus (a), for (b) and with
`--large` for (c): the tagging floor (bench/floor.py: fugashi alone tagging the same text on the
same cores) and a cold build (empty tag cache) right after it, PAIRS times, then warm builds (the
cache a cold build filled), and gives each build as seconds per 100k characters and as a ratio
to the floor (a cold build's: the median of its pairs, which drift on a shared machine cancels);
(b) is also built in pairs with (a), for "no slower than (a)". The corpora are
built in a temporary folder from a fixed seed, so every run measures the same text. Python's
bytecode cache is on (in that folder), as on a user's machine, and an untimed run fills it
first: an environment with PYTHONDONTWRITEBYTECODE set would otherwise add compiling vocab to
every run.

Nothing here asserts: timings vary with the machine and its load, so they are printed, never
tested. The targets (issue 7 for the sample, issue 15 for the corpora) are marked ✓ or ✗.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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
# Targets from issues 7 and 15, on a 2-core machine.
HELP_TARGET_S = 0.3
SAMPLE_TARGET_S = 1.0        # tagged before
SAMPLE_UNTAGGED_TARGET_S = 1.5
NEWS_TARGET_S = 15.0         # corpus (a), 1,000 articles, cold
FLOOR_TARGET = 2.0           # × the tagging floor
RSS_TARGET_MB = 400          # (a) and (b)
LARGE_RSS_TARGET_MB = 600    # (c)
LARGE_TIME_TARGET = 10.0     # (c) ≤ 10 × (a)
# (a) and (b): this many pairs of a floor run and a cold build, one right after the other, and
# as many warm builds. On a shared machine whose speed drifts, a floor and a build timed minutes
# apart moved the ratio by 30 %; the median of paired ratios is what the ratio target reads.
# (c): one pair.
PAIRS = 3
PREFIX = 250                 # the first articles of (a), timed too, to show how cost grows
DEFAULT_LOOKUP_WORDS = 20  # jamdict's default lookup takes ≈ 60 ms a word: time a few only


@dataclass(frozen=True, slots=True)
class Run:
    """The best wall time of some runs of one command, the largest peak RSS among them, and the
    least CPU time (user + system, the process and the workers it waited for)."""

    wall: float  # seconds
    rss: float   # MB
    cpu: float = 0.0  # seconds: steadier than wall time on a machine shared with other work


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
    walls, peaks, cpus = [], [], []
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
        cpus.append(usage.ru_utime + usage.ru_stime)
    return Run(min(walls), max(peaks), min(cpus))


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


def floor_command() -> list[str]:
    """fugashi alone tagging a folder (bench/floor.py)."""
    return [sys.executable, str(Path(__file__).with_name("floor.py"))]


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


def best(runs: Sequence[Run]) -> Run:
    """The best wall and CPU time of `runs`, and the largest peak memory."""
    return Run(min(r.wall for r in runs), max(r.rss for r in runs), min(r.cpu for r in runs))


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
    return f"≤ {target:.1f} {unit} {'✓' if value <= target else '✗'}".replace(".0 MB", " MB").replace(" ×", "×")


@dataclass(frozen=True, slots=True)
class Scale:
    """One corpus of the scaling table: the floor, a cold build and a warm one."""

    label: str
    articles: int
    chars: int
    floor: Run   # best of the floor runs
    cold: Run    # best of the cold builds
    warm: Run
    cache: Path  # the tag cache the last cold build filled
    ratio: float  # cold build ÷ floor: the median over the pairs

    @property
    def warm_ratio(self) -> float:
        """The best warm build ÷ the best floor."""
        return self.warm.wall / self.floor.wall


def main(argv: Sequence[str] | None = None) -> None:
    """Build the corpora, run every case, print the tables and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=corpus.ARTICLES, help="size of (a) and (b) (default 1000)")
    parser.add_argument("--large", type=int, default=0, help="size of (c), timed too (make bench-large: 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per small case; the best counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="skip the prefix, (b) and the lookup comparison")
    args = parser.parse_args(argv)
    vocab, base = vocab_command(), baseline_command()
    rows: list[Row] = []

    with tempfile.TemporaryDirectory(prefix="vocab-bench-") as tmp:
        ws = Workspace(Path(tmp))
        pool = corpus.sentence_pool()
        news = corpus.write_corpus(ws.root / "news", "news", args.articles, pool=pool)
        sample_chars = text_size(SAMPLES)
        print(f"{pool.summary()}; {usable_cores()} usable cores", flush=True)
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
            return best(runs)

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
        rows.append(Row("sample → .apkg, articles not yet tagged", sample_chars, new,
                        verdict(new.wall, SAMPLE_UNTAGGED_TARGET_S)))
        warm_cache = ws.cache()
        timed([*vocab, "-q", "build", str(SAMPLES), "-o", str(ws.output())], ws.env(warm_cache))
        sample = build(vocab, SAMPLES, warm_cache, args.repeat)
        rows.append(Row("sample → .apkg, articles tagged before", sample_chars, sample,
                        verdict(sample.wall, SAMPLE_TARGET_S)))
        sample_base = build(base, SAMPLES, warm_cache, args.repeat)
        rows.append(Row("  baseline: Jamdict.lookup() per word", sample_chars, sample_base,
                        note=f"{sample_base.wall / sample.wall:.1f}× ours"))
        print_table(rows)

        def scale(label: str, folder: Path, pairs: int = PAIRS) -> Scale:
            """`pairs` × (floor, cold build in a new tag cache), then as many warm builds (reading
            the last cold build's cache)."""
            floors: list[Run] = []
            colds: list[Run] = []
            caches: list[Path] = []
            for _ in range(pairs):
                floors.append(timed([*floor_command(), str(folder)], ws.env(ws.cache()), 1))
                caches.append(ws.cache())
                colds.append(build(vocab, folder, caches[-1], 1))
            warm = build(vocab, folder, caches[-1], pairs)
            ratio = statistics.median(cold.wall / floor.wall for floor, cold in zip(floors, colds))
            result = Scale(label, len(list(folder.glob("*.txt"))), text_size(folder), best(floors), best(colds),
                           warm, caches[-1], ratio)
            print(f"  {label}: floor {result.floor.wall:.1f} s, cold {result.cold.wall:.1f} s "
                  f"({result.cold.rss:.0f} MB, {ratio:.2f}× the floor, median of {pairs}), warm {warm.wall:.1f} s "
                  f"({warm.rss:.0f} MB); machine reference now {best_time(lambda: sum(range(10**7)), 3):.3f} s",
                  flush=True)
            return result

        print(f"\ncorpora ({PAIRS} pairs of a floor run and a cold build each, (c) one; times are the best, "
              f"ratios the median of the pairs):", flush=True)
        scales = []
        if not args.quick and PREFIX < args.articles:
            scales.append(scale(f"(a) first {PREFIX}", subset(news.folder, ws.root / f"news-{PREFIX}", PREFIX)))
        scales.append(scale("(a) news", news.folder))
        news_cache = scales[-1].cache  # the in-process lookup comparison reads (a) from it
        wire_against_news = None
        if not args.quick:
            wire = corpus.write_corpus(ws.root / "wire", "wire", args.articles, pool=pool)
            scales.append(scale("(b) wire + quote", wire.folder))
            # (b) against (a) in pairs too: a cold build of each, one right after the other.
            wire_against_news = statistics.median(
                build(vocab, wire.folder, ws.cache(), 1).wall / build(vocab, news.folder, ws.cache(), 1).wall
                for _ in range(PAIRS))
        if args.large:
            large = corpus.write_corpus(ws.root / "large", "news", args.large, pool=pool)
            scales.append(scale("(c) news", large.folder, pairs=1))
        print_scales(scales, wire_against_news)

        if not args.quick:
            os.environ["XDG_CACHE_HOME"] = str(news_cache)
            os.environ["XDG_DATA_HOME"] = str(ws.data_home)
            print_lookups(SAMPLES, news.folder, args.repeat)


def usable_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def print_scales(scales: Sequence[Scale], wire_against_news: float | None = None) -> None:
    """The scaling table, and the verdicts against issue 15's targets; `wire_against_news`: a
    cold build of (b) ÷ one of (a), the median of pairs."""
    header = ("corpus", "articles", "chars", "floor s", "cold s", "warm s", "peak RSS MB cold/warm",
              "s per 100k chars cold/warm", "× floor cold/warm", "CPU s floor/cold/warm", "CPU × floor cold/warm")
    lines = [(s.label, f"{s.articles:,}", f"{s.chars:,}", f"{s.floor.wall:.1f}", f"{s.cold.wall:.1f}",
              f"{s.warm.wall:.1f}", f"{s.cold.rss:.0f} / {s.warm.rss:.0f}",
              f"{s.cold.wall / s.chars * 1e5:.2f} / {s.warm.wall / s.chars * 1e5:.2f}",
              f"{s.ratio:.1f} / {s.warm_ratio:.1f}",
              f"{s.floor.cpu:.1f} / {s.cold.cpu:.1f} / {s.warm.cpu:.1f}",
              f"{s.cold.cpu / s.floor.cpu:.1f} / {s.warm.cpu / s.floor.cpu:.1f}") for s in scales]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    print()
    for line in [header, tuple("-" * w for w in widths), *lines]:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(line, widths))).rstrip())
    by = {s.label.split()[0]: s for s in scales if "first" not in s.label}
    print("\ntargets (issue 15):")
    if a := by.get("(a)"):
        print(f"  (a) cold {a.cold.wall:.1f} s {verdict(a.cold.wall, NEWS_TARGET_S)}; "
              f"{a.ratio:.2f}× the floor {verdict(a.ratio, FLOOR_TARGET, '×')}; "
              f"peak {max(a.cold.rss, a.warm.rss):.0f} MB {verdict(max(a.cold.rss, a.warm.rss), RSS_TARGET_MB, 'MB')}")
    if (b := by.get("(b)")) and wire_against_news is not None:
        ok = "✓" if wire_against_news <= 1.0 else "✗"
        print(f"  (b) cold {b.cold.wall:.1f} s, {b.ratio:.2f}× its floor; {wire_against_news:.2f}× (a) in "
              f"{PAIRS} paired cold builds: no slower than (a) {ok}; "
              f"peak {max(b.cold.rss, b.warm.rss):.0f} MB {verdict(max(b.cold.rss, b.warm.rss), RSS_TARGET_MB, 'MB')}")
    if (c := by.get("(c)")) and a:
        ratio = c.cold.wall / a.cold.wall
        print(f"  (c) cold {ratio:.1f}× (a) {verdict(ratio, LARGE_TIME_TARGET, '×')}; "
              f"peak {max(c.cold.rss, c.warm.rss):.0f} MB {verdict(max(c.cold.rss, c.warm.rss), LARGE_RSS_TARGET_MB, 'MB')}")


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
    for label, folder in (("sample", samples), ("corpus (a)", big)):
        queries, ours, theirs = lookup_comparison(folder, repeat if label == "sample" else 1)
        print(f"  {label}: {queries:,} queries: batched {ours:.3f} s, Jamdict.lookup() per query "
              f"{theirs:.3f} s → {theirs / ours:.1f}× ({ours / queries * 1e6:.0f} vs "
              f"{theirs / queries * 1e6:.0f} µs a query)")
    per_word = default_lookup_cost(samples)
    print(f"  Jamdict.lookup() with its defaults (kanji and name searches): {per_word * 1e3:.0f} ms a "
          f"word over {DEFAULT_LOOKUP_WORDS} words")


if __name__ == "__main__":
    main()
