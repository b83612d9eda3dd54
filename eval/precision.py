"""Judged precision of vocab's default output, and recall of the domain terms a teacher picked.

For each corpus (the sample articles and the real news pages in eval/pages/), this runs the
default pipeline (what `vocab extract --format json` prints), takes the top 100 entries and a
seeded random 100 of the rest (kept in list order, as ../shared/JUDGE.md asks), and looks each
up in the strict teacher's labels (eval/labels/<corpus>.tsv, keyed by word, reading and first
meaning, so an entry whose meaning changes is judged again). It prints precision top / random,
recall of eval/terms/<corpus>.tsv (without the terms the strict teacher drops, eval/terms/strict.tsv), and writes the entries with no label yet to
eval/unjudged/<corpus>.tsv for the judge (see eval/README.md).

    python eval/precision.py [CORPUS ...]        # report (default: every corpus)
    python eval/precision.py --merge CORPUS FILE # add a judge's verdicts to the labels
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
CORPORA = {"samples": ROOT / "articles", "dev": EVAL / "pages" / "dev", "test": EVAL / "pages" / "test"}
SEED = 12          # random.Random(SEED).sample(rest, 100), as the judge's brief says
TOP = 100
RANDOM = 100
VERDICTS = ("KEEP", "DROP")


class Entry(NamedTuple):
    """One output entry as the judge sees it."""

    rank: int
    word: str
    reading: str
    meaning: str
    sentence: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.word, self.reading, self.meaning)


def output_entries(path: Path) -> list[Entry]:
    """The default output for the articles under `path`, best first."""
    from vocab.output.export import term_record
    from vocab.pipeline import analyse

    vocabulary = analyse([path])
    records = [term_record(t, vocabulary.titles) for t in vocabulary.terms]
    return [Entry(i, r["word"], r["reading"], r["meanings"][0] if r["meanings"] else "",
                  r["examples"][0]["sentence"] if r["examples"] else "")
            for i, r in enumerate(records, 1)]


def judged_samples(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The top TOP entries, and a seeded random RANDOM of the rest in list order."""
    rest = entries[TOP:]
    chosen = random.Random(SEED).sample(range(len(rest)), min(RANDOM, len(rest)))
    return entries[:TOP], [rest[i] for i in sorted(chosen)]


def read_labels(corpus: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(word, reading, first meaning) → (verdict, reason) from eval/labels/<corpus>.tsv."""
    path = EVAL / "labels" / f"{corpus}.tsv"
    if not path.exists():
        return {}
    labels = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#") and len(row) >= 4:
                labels[(row[0], row[1], row[2])] = (row[3], row[4] if len(row) > 4 else "")
    return labels


def read_terms(corpus: str) -> dict[str, str]:
    """Domain term → kind (word or compound), from eval/terms/<corpus>.tsv (or the tests' list)."""
    path = EVAL / "terms" / f"{corpus}.tsv"
    if corpus == "samples":
        path = ROOT / "tests" / "data" / "domain_terms.tsv"
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return {row[0].strip(): (row[1].strip() if len(row) > 1 else "word") for row in rows}


def strict_drops(corpus: str) -> set[str]:
    """Terms of the corpus's list that the strict teacher would not keep (eval/terms/strict.tsv:
    names of specific bodies and treaties, N4 words): left out of recall, as the judge drops them."""
    path = EVAL / "terms" / "strict.tsv"
    if not path.exists():
        return set()
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {row[1] for row in rows if len(row) >= 3 and row[0] == corpus and row[2] == "DROP"}


def report(corpus: str) -> dict[str, object]:
    """Precision and recall figures for one corpus; writes its unjudged entries."""
    entries = output_entries(CORPORA[corpus])
    labels = read_labels(corpus)
    top, sample = judged_samples(entries)
    result: dict[str, object] = {"entries": len(entries)}
    unjudged = []
    drops: Counter[str] = Counter()
    for name, part in (("top", top), ("random", sample)):
        verdicts = [labels.get(e.key) for e in part]
        kept = sum(1 for v in verdicts if v and v[0] == "KEEP")
        judged = sum(1 for v in verdicts if v)
        result[name] = (kept, judged, len(part))
        unjudged += [(name, e) for e, v in zip(part, verdicts) if not v]
        drops.update(v[1].split(":")[0].strip() or "?" for v in verdicts if v and v[0] == "DROP")
    result["drops"] = drops
    # Every labelled entry of the rest, not only the sample: a steadier figure while the sample
    # moves with each change (the judged sample stays the figure to report).
    rest_labels = [labels.get(e.key) for e in entries[TOP:]]
    result["labelled_rest"] = (sum(1 for v in rest_labels if v and v[0] == "KEEP"), sum(1 for v in rest_labels if v))
    all_terms = read_terms(corpus)
    terms = {t: kind for t, kind in all_terms.items() if t not in strict_drops(corpus)}
    if terms:
        words = {e.word for e in entries}
        compounds = [t for t, kind in terms.items() if kind == "compound"]
        result["recall"] = (sum(t in words for t in terms), len(terms))
        result["compound_recall"] = (sum(t in words for t in compounds), len(compounds))
        result["raw_recall"] = (sum(t in words for t in all_terms), len(all_terms))
        result["missing"] = [t for t in terms if t not in words]
    out = EVAL / "unjudged" / f"{corpus}.tsv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        f.write("rank\tword\treading\tfirst meaning\tsample\tsentence\n")
        for name, e in unjudged:
            f.write(f"{e.rank}\t{e.word}\t{e.reading}\t{e.meaning}\t{name}\t{e.sentence}\n")
    result["unjudged"] = unjudged
    return result


def merge(corpus: str, verdict_file: Path) -> int:
    """Add the judge's verdict lines (rank, word, reading, meaning, [sample,] VERDICT, reason)
    to eval/labels/<corpus>.tsv; return how many were new."""
    labels = read_labels(corpus)
    added = 0
    for line in verdict_file.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 5:
            continue
        at = next((i for i, c in enumerate(cells) if c.strip() in VERDICTS), None)
        if at is None or at < 4:
            continue
        key = (cells[1], cells[2], cells[3])
        if key not in labels:
            added += 1
        labels[key] = (cells[at].strip(), cells[at + 1].strip() if len(cells) > at + 1 else "")
    path = EVAL / "labels" / f"{corpus}.tsv"
    rows = sorted(labels.items())
    path.write_text("# word\treading\tfirst meaning\tverdict\treason (strict teacher, ../shared/JUDGE.md)\n"
                    + "".join(f"{w}\t{r}\t{m}\t{v}\t{why}\n" for (w, r, m), (v, why) in rows), encoding="utf-8")
    return added


def _fraction(figures: tuple[int, ...]) -> str:
    kept, judged, total = figures
    missing = f" ({total - judged} unjudged)" if judged < total else ""
    return f"{kept}/{judged}{missing}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help=", ".join(CORPORA))
    parser.add_argument("--merge", nargs=2, metavar=("CORPUS", "FILE"))
    parser.add_argument("--list", action="store_true", help="list every unjudged entry")
    args = parser.parse_args(argv)
    if args.merge:
        corpus, file = args.merge
        print(f"{corpus}: {merge(corpus, Path(file))} new labels")
        return 0
    unknown = set(args.corpora) - set(CORPORA)
    if unknown:
        parser.error(f"unknown corpus {sorted(unknown)[0]!r}: choose from {', '.join(CORPORA)}")
    for corpus in args.corpora or list(CORPORA):
        r = report(corpus)
        line = f"{corpus:8} {r['entries']:4} entries  precision top={_fraction(r['top'])} random={_fraction(r['random'])}"
        if "recall" in r:
            found, total = r["recall"]
            cfound, ctotal = r["compound_recall"]
            raw_found, raw_total = r["raw_recall"]
            line += (f"  recall={found}/{total} ({found / total:.0%}) compounds={cfound}/{ctotal}"
                     f" (whole list {raw_found}/{raw_total})")
        kept, labelled = r["labelled_rest"]
        line += f"  (all labelled below the top: {kept}/{labelled})"
        print(line)
        if r["drops"]:
            print("         drops: " + ", ".join(f"{k} {n}" for k, n in r["drops"].most_common()))
        if r["unjudged"]:
            shown = r["unjudged"] if args.list else r["unjudged"][:10]
            more = len(r["unjudged"]) - len(shown)
            print(f"         no label yet ({len(r['unjudged'])}, in eval/unjudged/{corpus}.tsv): "
                  + " ".join(e.word for _, e in shown) + (f" … +{more}" if more else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
