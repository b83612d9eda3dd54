"""Temporary files left behind by runs that were killed while writing (kill -9, a power cut).

Every file vocab writes goes first to a hidden temporary file beside it, named by `tempfile.mkstemp`
as `.<name>.<8 random characters>.tmp`, and is renamed into place once complete. A run that is
killed between the two leaves the temporary file for good; nothing else would ever remove it.
`remove_leftovers` does, when a later run writes in the same folder; `write_atomically` writes
bytes that way.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

# Older than this, a temporary file is a leftover: a live run writes each of its temporary files
# in well under a minute (a tag record in milliseconds, the frequency table in a second, a deck in
# seconds), while a younger one may be another run's, still being written.
STALE_AFTER = 15 * 60
# mkstemp's random part: 8 characters of [a-z0-9_].
_RANDOM = r"[a-z0-9_]{8}"


def remove_leftovers(folder: Path, name: str | None = None, *, older_than: float = STALE_AFTER) -> int:
    """Remove the stale temporary files in `folder`: only those of the file `name` (a folder of
    the user's, e.g. an output's) or, without `name`, any of vocab's (a cache folder vocab owns).
    Only files last written more than `older_than` seconds ago count. Returns how many were
    removed; a file that can't be removed (or that another run removed first) is left alone."""
    stem = re.escape(name) if name is not None else r".+"
    pattern = re.compile(rf"\.{stem}\.{_RANDOM}\.tmp")
    cutoff = time.time() - older_than
    removed = 0
    try:
        entries = os.scandir(folder)
    except OSError:  # no folder yet, or unreadable: nothing to clean
        return 0
    with entries:
        for entry in entries:
            if entry.name.startswith(".") and pattern.fullmatch(entry.name) and _stale_file(entry, cutoff):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed


def _stale_file(entry: os.DirEntry, cutoff: float) -> bool:
    try:
        return entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff
    except OSError:
        return False


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, renamed into place once
    complete: a reader sees the old file or the new one, never half of one."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
