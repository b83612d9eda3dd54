"""Zipf frequencies (wordfreq 3.1.1), read from the cached copy of wordfreq's table (issue 7)."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vocab.resources import frequency

WORDS = ["外相", "する", "包括", "パートナーシップ", "ベネズエラ", "ありえない語彙ですよ"]


@pytest.fixture
def fresh_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and no table loaded in this process yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    frequency._table.cache_clear()
    yield tmp_path / "vocab"
    frequency._table.cache_clear()


@pytest.fixture(scope="module")
def wordfreq_zipfs() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    table = get_frequency_dict("ja")
    # wordfreq's own Zipf (zipf_frequency needs MeCab for Japanese): log10 of the frequency + 9.
    return {w: round(math.log10(table[w]) + 9, 2) if w in table else 0.0 for w in WORDS}


pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME moves the cache on Linux only")


def test_the_cached_table_gives_wordfreqs_values(fresh_table: Path, wordfreq_zipfs: dict[str, float]) -> None:
    assert {w: frequency.zipf(w) for w in WORDS} == wordfreq_zipfs
    assert frequency.zipf("する") == 6.76  # orthBase, not UniDic's lemma 為る (1.98)
    assert frequency.zipf("ありえない語彙ですよ") == frequency.UNLISTED_ZIPF
    assert list(fresh_table.glob("wordfreq-ja-*.sqlite3")) == [frequency.table_path()]


def test_a_corrupt_table_is_rebuilt(fresh_table: Path, wordfreq_zipfs: dict[str, float]) -> None:
    path = frequency.table_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database")
    assert {w: frequency.zipf(w) for w in WORDS} == wordfreq_zipfs
    assert path.read_bytes().startswith(b"SQLite format 3")


def test_an_unwritable_cache_folder_falls_back_to_wordfreq(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          wordfreq_zipfs: dict[str, float]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    frequency._table.cache_clear()
    try:
        assert {w: frequency.zipf(w) for w in WORDS} == wordfreq_zipfs
        assert isinstance(frequency._table(), dict)
    finally:
        frequency._table.cache_clear()


def test_preloaded_words_need_no_query_of_their_own(fresh_table: Path, wordfreq_zipfs: dict[str, float]) -> None:
    frequency.preload([*WORDS, "\ud800"])  # a lone surrogate can't be bound: its batch is skipped
    frequency.preload(WORDS[:2])
    table = frequency._table()
    table._connection.close()  # any further query would raise
    assert {w: frequency.zipf(w) for w in WORDS} == wordfreq_zipfs
