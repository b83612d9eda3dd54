"""Benchmark the deck's audio (issue 17): the sample deck built with audio from an empty cache
(synthesis included) and rebuilt with the cache warm, beside the same builds with --no-audio;
the deck's size with and without audio, the clips' size and the share of notes with audio.

Run by `make bench` after bench_pipeline.py (or `python bench/bench_audio.py`). Every build is
its own `vocab` process, timed as bench_pipeline times it (wall time, best of --repeat; the
first builds run once each, since they fill their cache). Nothing here asserts.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from bench_pipeline import SAMPLES, Row, Workspace, print_table, timed, vocab_command

FIRST_TARGET_S = 60.0   # issue 17: first build with audio, 2 cores
WARM_MARGIN_S = 0.3     # issue 17: warm rebuild within this of the one without audio


def audio_stats(apkg: Path) -> dict[str, float]:
    """Share of notes with word and sentence audio, clip count and mean KB a word / sentence clip."""
    from vocab.output.cards import FIELDS

    word_at, sentence_at = FIELDS.index("WordAudio"), FIELDS.index("SentenceAudio")
    with zipfile.ZipFile(apkg) as package, tempfile.TemporaryDirectory() as folder:
        manifest = json.loads(package.read("media"))
        sizes = {name: package.getinfo(entry).file_size for entry, name in manifest.items()}
        collection = Path(folder) / "collection.anki2"
        collection.write_bytes(package.read("collection.anki2"))
        with sqlite3.connect(collection) as db:
            notes = [row[0].split("\x1f") for row in db.execute("select flds from notes")]
    words = [n[word_at][7:-1] for n in notes if n[word_at]]
    sentences = [n[sentence_at][7:-1] for n in notes if n[sentence_at]]

    def mean_kb(names: list[str]) -> float:
        distinct = set(names)
        return sum(sizes[name] for name in distinct) / len(distinct) / 1024 if distinct else 0.0

    return {"notes": len(notes), "word_share": len(words) / len(notes), "sentence_share": len(sentences) / len(notes),
            "clips": len(manifest), "word_kb": mean_kb(words), "sentence_kb": mean_kb(sentences)}


def main() -> None:
    """Time the four builds and print them with the deck sizes and clip figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm build (best is kept)")
    args = parser.parse_args()
    vocab = vocab_command()
    with tempfile.TemporaryDirectory(prefix="vocab-bench-audio-") as root:
        space = Workspace(Path(root))
        env = lambda cache: {k: v for k, v in space.env(cache).items() if k != "VOCAB_NO_AUDIO"}  # noqa: E731
        silent, spoken = space.output(), space.output()

        def build(cache: Path, out: Path, *flags: str, repeat: int = 1):  # noqa: ANN202
            return timed([*vocab, "--quiet", "build", str(SAMPLES), "-o", str(out), *flags], env(cache), repeat)

        # Each first build gets an empty cache of its own: tagging, frequency table and (with
        # audio) synthesis all included, as on a new install.
        first_silent = build(space.cache(frequency_table=False), silent, "--no-audio")
        audio_cache = space.cache(frequency_table=False)
        first_spoken = build(audio_cache, spoken)
        warm_silent = build(audio_cache, silent, "--no-audio", repeat=args.repeat)
        warm_spoken = build(audio_cache, spoken, repeat=args.repeat)
        stats = audio_stats(spoken)
        margin = warm_spoken.wall - warm_silent.wall
        rows = [
            Row("sample → .apkg --no-audio, empty cache", None, first_silent),
            Row("sample → .apkg with audio, empty cache", None, first_spoken,
                f"< {FIRST_TARGET_S:.0f} s" + (" ✓" if first_spoken.wall < FIRST_TARGET_S else " ✗"),
                f"{stats['clips']:.0f} clips spoken on {os.cpu_count()} cores"),
            Row("sample → .apkg --no-audio, warm cache", None, warm_silent),
            Row("sample → .apkg with audio, warm cache", None, warm_spoken,
                f"≤ +{WARM_MARGIN_S} s" + (" ✓" if margin <= WARM_MARGIN_S else " ✗"), f"{margin:+.2f} s"),
        ]
        print_table(rows)
        out = io.StringIO()
        print(f"deck: {silent.stat().st_size / 1e6:.2f} MB without audio, {spoken.stat().st_size / 1e6:.2f} MB with; "
              f"{stats['notes']:.0f} notes, word audio on {stats['word_share']:.1%}, sentence audio on "
              f"{stats['sentence_share']:.1%}; mean clip {stats['word_kb']:.1f} KB (word), "
              f"{stats['sentence_kb']:.1f} KB (sentence)", file=out)
        print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
