"""General-Japanese word frequency from wordfreq, on the Zipf scale (0–8; 3 ≈ once per million words).

`wordfreq.zipf_frequency(word, "ja")` re-tokenizes with MeCab, which we do not install; the
frequency table wordfreq ships (`get_frequency_dict("ja")`) needs nothing extra.

Importing wordfreq and unpacking that table (215,000 words) takes ≈ 0.45 s, longer than the rest
of a small run's lookups together, which need a few thousand words. So the first run copies the
table into an indexed SQLite file in the user's cache folder, and later runs look up only the
words they meet (≈ 5 ms for the sample articles), without importing wordfreq at all.

The copy is a cache, so damage to it never fails a run nor changes its output. Opening checks the
file's 100-byte header against its size (SQLite's page count × page size: a truncated or extended
file fails) and the application id and layout version this code writes (any other SQLite file
fails); a failed check rebuilds the copy, over whatever stands in its place. A page damaged inside
a whole-looking file is met by a query as an SQLite error: the run goes on with wordfreq's own
table, and writes a fresh copy for the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import math
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from vocab.leftovers import remove_leftovers
from vocab.resources.database import per_process

# wordfreq's "not in the list" is Zipf 0, not "rare". Its Japanese list stops near Zipf 1.0, so an
# unlisted word is treated as slightly rarer than the rarest listed one when scoring keyness.
UNLISTED_ZIPF = 0.0
FLOOR_ZIPF = 1.0
BATCH = 900  # bound parameters a query (older SQLite builds allow 999)
TABLE_PREFIX = "wordfreq-ja-"  # the cached table's file name: wordfreq-ja-<data hash>.sqlite3
# Written into the copy's header (PRAGMA application_id, user_version): a file without them is not
# a whole copy made by this code. Bump TABLE_LAYOUT when the table's schema changes.
APPLICATION_ID = 0x766F6362  # "vocb"
TABLE_LAYOUT = 1
SQLITE_HEADER = 100


class _CachedTable:
    """wordfreq's Japanese table in SQLite: `get(word)` like the dict, one indexed query a new word."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._connection.execute("SELECT word, value FROM frequency LIMIT 1").fetchall()  # fails if corrupt
        self._seen: dict[str, float | None] = {}
        self._fallback: dict[str, float] | None = None  # wordfreq's own table, once the copy failed

    def get(self, word: str) -> float | None:
        """The frequency of `word` (a fraction of running words), None if it is not listed."""
        if word not in self._seen:
            self._seen[word] = self._lookup(word)
        return self._seen[word]

    def _lookup(self, word: str) -> float | None:
        if self._fallback is None:
            try:
                row = self._connection.execute("SELECT value FROM frequency WHERE word = ?", (word,)).fetchone()
                return row[0] if row else None
            except UnicodeEncodeError:  # a lone surrogate: not a word wordfreq could list
                return None
            except sqlite3.DatabaseError:
                self._replace_damaged_copy()
        return self._fallback.get(word)

    def preload(self, words: Iterable[str]) -> None:
        """Look up all of `words` not seen yet in batched, indexed queries."""
        if self._fallback is not None:
            return  # a dict: get() is as quick
        # A lone surrogate can't be bound to a query; get() answers None for it.
        new = sorted({w for w in words if w not in self._seen and _encodable(w)})
        for i in range(0, len(new), BATCH):
            chunk = new[i:i + BATCH]
            try:
                rows = self._connection.execute(
                    f"SELECT word, value FROM frequency WHERE word IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            except sqlite3.DatabaseError:
                self._replace_damaged_copy()
                return
            self._seen.update(dict.fromkeys(chunk))
            self._seen.update(rows)

    def _replace_damaged_copy(self) -> None:
        # A page damaged inside a file whose header looked whole: answer from wordfreq's own
        # table from now on (the values the copy was made from), and make a fresh copy for the
        # next runs. The answers given so far came from pages SQLite read without complaint.
        self._connection.close()
        self._fallback = _wordfreq_table()
        with contextlib.suppress(OSError, sqlite3.Error):
            _write_table(self._path, self._fallback)


def _encodable(word: str) -> bool:
    try:
        word.encode()
    except UnicodeEncodeError:
        return False
    return True


@per_process
def _table() -> _CachedTable | dict[str, float]:
    """The frequency table: the cached copy, (re)built when missing or damaged; wordfreq's own
    dict if the cache folder can't be written."""
    path = table_path()
    remove_leftovers(path.parent)  # copies a killed run left half-written (a few entries: cheap)
    for _ in range(2):
        try:
            if not _is_whole_copy(path):
                _write_table(path, _wordfreq_table())
            return _CachedTable(path)
        except sqlite3.DatabaseError:  # damaged past what the header shows: build it again, once
            with contextlib.suppress(OSError):
                _remove(path)
        except OSError:
            break
    return _wordfreq_table()


def _is_whole_copy(path: Path) -> bool:
    """True if `path` is a complete copy written by `_write_table`, judged from its header and
    size alone (no page is read): SQLite's magic, a current page count that times the page size
    is the file's size, and this code's application id and layout version."""
    try:
        with open(path, "rb") as file:
            header = file.read(SQLITE_HEADER)
            size = os.fstat(file.fileno()).st_size
    except OSError:  # missing, unreadable, or a folder where the file should be
        return False
    if len(header) < SQLITE_HEADER or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size  # 1 stands for 65536
    pages = int.from_bytes(header[28:32], "big")
    return (header[24:28] == header[92:96]  # the page count is valid for this change counter
            and pages * page_size == size
            and int.from_bytes(header[60:64], "big") == TABLE_LAYOUT
            and int.from_bytes(header[68:72], "big") == APPLICATION_ID)


def _remove(path: Path) -> None:
    """Remove whatever stands at `path`: a damaged copy, or a folder in its place."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def table_path() -> Path:
    """Where the cached table lives, named for the wordfreq data it was copied from."""
    from vocab.reading.cache import cache_root

    # Named by the size and time of wordfreq's data files rather than its version, which would
    # cost an importlib.metadata import (60 ms) or importing wordfreq itself.
    spec = importlib.util.find_spec("wordfreq")
    data = Path(spec.origin).parent / "data" if spec and spec.origin else Path()
    stamp = "-".join(f"{f.stat().st_size}.{f.stat().st_mtime_ns}" for f in sorted(data.glob("*_ja.msgpack.gz")))
    return cache_root() / f"{TABLE_PREFIX}{hashlib.sha256(stamp.encode()).hexdigest()[:12]}.sqlite3"


def _wordfreq_table() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("ja")


def _write_table(path: Path, table: dict[str, float]) -> None:
    """Write `table` to `path` atomically (temporary file, then rename); drop older copies."""
    from vocab.reading.cache import make_cache_folder, replace_entry

    make_cache_folder(path.parent, path.parent)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        connection = sqlite3.connect(name)
        try:
            # A temporary file, renamed only once complete: no journal or syncs needed (build 1.4× faster).
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {TABLE_LAYOUT}")
            connection.execute("CREATE TABLE frequency (word TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID")
            connection.executemany("INSERT INTO frequency VALUES (?, ?)", sorted(table.items()))
            connection.commit()
        finally:
            connection.close()
        replace_entry(Path(name), path)
    finally:
        Path(name).unlink(missing_ok=True)
    for old in path.parent.glob(f"{TABLE_PREFIX}*.sqlite3"):
        if old != path:
            old.unlink(missing_ok=True)


def preload(words: Iterable[str]) -> None:
    """Fetch the frequencies of `words` at once: a stage that will ask for thousands of words
    saves a query each."""
    table = _table()
    if isinstance(table, _CachedTable):
        table.preload(words)


def zipf(word: str) -> float:
    """Zipf frequency of `word` in general Japanese, 0.0 if wordfreq does not list it."""
    frequency = _table().get(word)
    return round(math.log10(frequency) + 9, 2) if frequency else UNLISTED_ZIPF


def compound_zipf(word: str, parts: Sequence[str]) -> float:
    """Zipf of a compound: its own if listed, else combined from its parts as wordfreq does for
    multi-token text (1/f = Σ 1/fᵢ), which is why a long unlisted term still gets a value."""
    own = zipf(word)
    if own or not parts:
        return own
    zipfs = [zipf(part) for part in parts]
    if not all(zipfs):
        return UNLISTED_ZIPF
    combined = 1 / sum(10 ** -(z - 9) for z in zipfs)
    return round(math.log10(combined) + 9, 2)


def relative_frequency(zipf_value: float) -> float:
    """Zipf → frequency per word of running text (the floor stands in for unlisted words)."""
    return 10 ** (max(zipf_value, FLOOR_ZIPF) - 9)
