"""The tagging floor: fugashi + unidic-lite tagging a folder of articles, and nothing else.

`python bench/floor.py FOLDER` reads every .txt file, cuts each at line breaks and after 。！？
and tags each piece in a process pool of one worker a usable core (at most 8, as vocab's pool),
each worker with its own `fugashi.Tagger`, reading of every node what vocab must read: the
surface, every UniDic feature field (MeCab's feature string, split into fugashi's named fields
once per distinct string: splitting it again for every node is work no careful user does, and
would inflate the floor by half) and whether the word is unknown. It prints the number of
tokens. The benchmark times it as its own process, like a `vocab` run, so no vocab run on the
same text on the same cores can be faster than this: vocab's time is reported as a ratio to it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PIECE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
MAX_WORKERS = 8
CHUNKS_PER_WORKER = 32
_tagger = None


def usable_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_worker() -> None:
    import fugashi

    global _tagger
    _tagger = fugashi.Tagger()


def tag_texts(texts: Sequence[str]) -> int:
    """Tag `texts` piece by piece with this worker's tagger; the number of tokens."""
    tokens = 0
    fields: dict[str, tuple] = {}
    for text in texts:
        for piece in PIECE.findall(text):
            for node in _tagger(piece):
                # What vocab reads of every node: its surface, all features, unknown or not.
                _ = node.surface, node.is_unk
                raw = node.feature_raw
                if raw not in fields:
                    fields[raw] = tuple(node.feature)
                tokens += 1
    return tokens


def tag_folder(folder: Path, workers: int | None = None) -> int:
    """Tag every .txt article under `folder` in a pool of `workers`; the number of tokens."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    workers = workers or min(usable_cores(), MAX_WORKERS)
    size = max(1, len(texts) // (workers * CHUNKS_PER_WORKER))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        return sum(pool.map(tag_texts, chunks))


def main(argv: Sequence[str] | None = None) -> None:
    """Tag the folder given and print how many tokens it held."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=None, help="default: one a usable core, at most 8")
    args = parser.parse_args(argv)
    print(f"{tag_folder(args.folder, args.workers):,} tokens")


if __name__ == "__main__":
    main()
