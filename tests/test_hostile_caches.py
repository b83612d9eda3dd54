"""Caches that heal and runs that leave nothing behind (issue 13, classes 4 and 5).

Every cache vocab keeps (the tag records, the wordfreq table copy) is damaged in each way a table
lists; the real `vocab extract` then runs twice and must print what a run with a clean cache
prints, and leave the cache whole again. A build killed with -9 must take its pool workers with
it, and temporary files that killed runs left are removed by later runs.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ARTICLES, TIMESTAMP
from vocab.cli import app
from vocab.reading import cache as tag_cache
from vocab.reading import corpus
from vocab.reading.articles import read_article
from vocab.reading.cache import TagCache, version_tag
from vocab.reading.sentences import split_text
from vocab.resources import frequency

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME moves the cache on Linux only")

runner = CliRunner()
SAMPLES = sorted(ARTICLES.glob("*.txt"))[:2]  # two articles: enough words, quick to tag again
VOCAB = Path(sys.executable).with_name("vocab")


def extract(cache_home: Path) -> str:
    """The JSON that `vocab extract` prints with its cache in `cache_home`, as a new process
    would run it (no frequency table loaded yet)."""
    frequency._table.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache_home))
        result = runner.invoke(app, ["extract", *map(str, SAMPLES), "--format", "json"])
    frequency._table.cache_clear()
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """What a run with a clean cache prints, and that clean cache's folder (…/vocab)."""
    home = tmp_path_factory.mktemp("clean-cache")
    return extract(home), home / "vocab"


def run_twice_and_compare(home: Path, clean_output: str) -> None:
    """Both runs after the damage print what the clean run printed."""
    assert extract(home) == clean_output, "first run after the damage"
    assert extract(home) == clean_output, "second run after the damage"


# --- the wordfreq table copy ---------------------------------------------------------------------

def _sqlite(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _overwrite_pages(first: int, count: int, fill: Callable[[int], bytes]) -> Callable[[Path, bytes], None]:
    def damage(path: Path, whole: bytes) -> None:
        data = bytearray(whole)
        data[first * 4096:(first + count) * 4096] = fill(count * 4096)
        path.write_bytes(bytes(data))
    return damage


def _folder(path: Path, whole: bytes) -> None:
    path.mkdir()
    (path / "inside").write_bytes(whole[:1000])


TABLE_DAMAGES: dict[str, Callable[[Path, bytes], None]] = {
    "zero bytes": lambda path, whole: path.write_bytes(b""),
    "truncated to half": lambda path, whole: path.write_bytes(whole[: len(whole) // 2]),
    "last pages cut off": lambda path, whole: path.write_bytes(whole[: -10 * 4096]),
    "bytes appended": lambda path, whole: path.write_bytes(whole + b"\0" * 5000),
    "random bytes": lambda path, whole: path.write_bytes(random.Random(1).randbytes(len(whole))),
    "random header": lambda path, whole: path.write_bytes(random.Random(2).randbytes(100) + whole[100:]),
    "pages zeroed inside": _overwrite_pages(600, 100, bytes),
    "random pages inside": _overwrite_pages(300, 800, random.Random(3).randbytes),
    "sqlite without the table": lambda path, whole: _sqlite(path, "CREATE TABLE other (x)"),
    "table of another schema": lambda path, whole: _sqlite(
        path, "CREATE TABLE frequency (value REAL)", "INSERT INTO frequency VALUES (0.5)"),
    "table with no rows": lambda path, whole: _sqlite(
        path, "CREATE TABLE frequency (word TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID"),
    "table with wrong values": lambda path, whole: _sqlite(
        path, "CREATE TABLE frequency (word TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID",
        "INSERT INTO frequency VALUES ('する', 0.5), ('外相', 0.5)"),
    "a folder in its place": _folder,
}


def _table_path(home: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        return frequency.table_path()


def _assert_whole_table(path: Path) -> None:
    from wordfreq import get_frequency_dict

    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM frequency").fetchone() == (len(get_frequency_dict("ja")),)
    finally:
        connection.close()


@pytest.mark.parametrize("damage", TABLE_DAMAGES.values(), ids=TABLE_DAMAGES.keys())
def test_a_damaged_frequency_table_is_rebuilt_and_the_run_is_unchanged(
        damage: Callable[[Path, bytes], None], clean: tuple[str, Path], tmp_path: Path) -> None:
    output, clean_folder = clean
    whole = next(clean_folder.glob(f"{frequency.TABLE_PREFIX}*.sqlite3")).read_bytes()
    path = _table_path(tmp_path)
    path.parent.mkdir(parents=True)
    damage(path, whole)
    run_twice_and_compare(tmp_path, output)
    _assert_whole_table(path)


def test_a_file_in_place_of_the_cache_folder_is_replaced(clean: tuple[str, Path], tmp_path: Path) -> None:
    output, _ = clean
    (tmp_path / "vocab").write_text("a file where vocab's cache folder should be")
    run_twice_and_compare(tmp_path, output)
    _assert_whole_table(_table_path(tmp_path))
    assert [TagCache(tmp_path / "vocab").load(read_article(p).digest) is not None for p in SAMPLES] == [True, True]


# --- the tag records -----------------------------------------------------------------------------

def _header_claiming(length: int) -> bytes:
    """A record header whose length field says `length` (and a checksum of nothing)."""
    from vocab.reading.cache import HEADER, MAGIC

    return HEADER.pack(MAGIC, length, zlib.crc32(b""))


def _flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")


def _record_of_another_text(path: Path) -> None:
    other = next(p for p in path.parent.glob("*.marshal") if p != path)
    shutil.copyfile(other, path)


def _folder_as_file(path: Path) -> None:
    shutil.rmtree(path.parent)
    path.parent.write_text("a file where the records' folder should be")


RECORD_DAMAGES: dict[str, Callable[[Path], None]] = {
    "zero bytes": lambda path: path.write_bytes(b""),
    "truncated to half": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "random bytes": lambda path: path.write_bytes(random.Random(4).randbytes(path.stat().st_size)),
    "one byte flipped": _flip_middle_byte,
    "bytes appended": lambda path: path.write_bytes(path.read_bytes() + b"\0"),
    "record of another text": _record_of_another_text,
    # Length bombs: a few bytes whose lengths ask for gigabytes.
    "5 bytes: a tuple of 2^31 items": lambda path: path.write_bytes(b"(" + (2**31 - 1).to_bytes(4, "little")),
    "5 bytes: a list of 2^28 items": lambda path: path.write_bytes(b"[" + (2**28).to_bytes(4, "little")),
    "marshal bomb after a header": lambda path: path.write_bytes(
        _header_claiming(5) + b"(" + (2**31 - 1).to_bytes(4, "little")),
    "header claiming 2^62 bytes": lambda path: path.write_bytes(_header_claiming(2**62) + b"(" * 16),
    "a folder in its place": _replace_with_folder,
    "a file in place of its folder": _folder_as_file,
}


@contextlib.contextmanager
def memory_ceiling(extra: int) -> Iterator[None]:
    """Cap this process's address space at what it uses now plus `extra` bytes, so that a run
    asking for gigabytes fails (MemoryError) instead of getting them."""
    import resource

    used = int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("VmSize:"))) * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (used + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("damage", RECORD_DAMAGES.values(), ids=RECORD_DAMAGES.keys())
def test_a_damaged_tag_record_is_tagged_again_and_the_run_is_unchanged(
        damage: Callable[[Path], None], clean: tuple[str, Path], tmp_path: Path) -> None:
    output, clean_folder = clean
    shutil.copytree(clean_folder, tmp_path / "vocab")
    digest = read_article(SAMPLES[0]).digest
    cache = TagCache(tmp_path / "vocab")
    assert cache.load(digest) is not None
    damage(cache.path(digest))
    with memory_ceiling(1 << 30):  # nothing in a run of two articles needs another GB
        run_twice_and_compare(tmp_path, output)
    assert cache.load(digest) is not None  # repaired


# --- pool workers and leftovers of killed runs ---------------------------------------------------

def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: psutil is not a dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an ended child its new parent hasn't reaped)."""
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


def _articles(folder: Path, count: int) -> Path:
    """`count` different articles (different texts, so none is a copy of another) in `folder`."""
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    for i in range(count):
        (folder / f"article-{i:03}.txt").write_text(f"{texts[i % len(texts)]}\n第{i}回の会議が開かれた。\n",
                                                   encoding="utf-8")
    return folder


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
@pytest.mark.skipif(corpus.usable_cores() < 2, reason="the pool needs two cores")
@pytest.mark.parametrize("delay", [0.0, 0.5], ids=["while the pool starts", "while workers tag"])
def test_kill_9_of_a_build_takes_its_pool_workers_with_it(tmp_path: Path, delay: float) -> None:
    articles = _articles(tmp_path / "articles", 5 * corpus.POOL_MIN_ARTICLES)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # nothing cached: all to the pool
    build = subprocess.Popen([str(VOCAB), "-q", "build", str(articles), "-o", str(tmp_path / "vocab.apkg")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and build.poll() is None and time.monotonic() < deadline:
            workers = _children(build.pid)
            time.sleep(0.01)
        assert workers, "the build started no workers"
        time.sleep(delay)
        workers = sorted(set(workers) | set(_children(build.pid)))
        assert all(_running(pid) for pid in workers), "the pool ended before the kill"
        build.kill()
        build.wait()
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if _running(pid)] == []
    finally:
        build.kill()
        for pid in workers:
            with contextlib.suppress(OSError):
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)


def test_a_cache_folder_that_cannot_be_made_leaves_the_pool_working(tmp_path: Path) -> None:
    """The cache's place under a file (or unwritable): tagging workers and all, the build runs
    without a cache, as a few articles do."""
    articles = _articles(tmp_path / "articles", 2 * corpus.POOL_MIN_ARTICLES)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "a-file" / "cache")}
    result = subprocess.run([str(VOCAB), "-q", "build", str(articles), "-o", str(tmp_path / "vocab.apkg")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "vocab.apkg").is_file()


def _leftover(folder: Path, name: str, *, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"half written")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


HOUR = 3600.0


def test_temporary_files_left_by_killed_runs_are_removed(clean: tuple[str, Path], tmp_path: Path) -> None:
    _, clean_folder = clean
    home = tmp_path / "cache"
    shutil.copytree(clean_folder, home / "vocab")  # caches already whole: nothing else to rebuild
    records = home / "vocab" / version_tag()
    table = next((home / "vocab").glob(f"{frequency.TABLE_PREFIX}*.sqlite3"))
    out = tmp_path / "out"
    out.mkdir()
    stale = [
        _leftover(records, ".0123456789abcdef.abcd_123.tmp", age=HOUR),
        _leftover(home / "vocab", f".{table.name}.x1y2z3w4.tmp", age=HOUR),
        _leftover(out, ".vocab.apkg.k8mz0q1a.tmp", age=HOUR),
        _leftover(out, ".vocab.csv.p9ri2t3s.tmp", age=2 * HOUR),
    ]
    kept = [
        _leftover(records, ".fedcba9876543210.abcd_123.tmp", age=60),  # another run may be writing it
        _leftover(out, ".vocab.apkg.young123.tmp", age=60),
        _leftover(out, ".notes.txt.k8mz0q1a.tmp", age=HOUR),  # not one of this run's outputs
        _leftover(out, "vocab.apkg.k8mz0q1a.tmp", age=HOUR),  # not hidden: not a name vocab makes
        _leftover(out, "draft.tmp", age=HOUR),
    ]
    new = tmp_path / "new.txt"  # one article not cached yet: the run writes a record
    new.write_text("外相が会談した。新しい協定について話し合った。", encoding="utf-8")
    result = subprocess.run(
        [str(VOCAB), "-q", "build", *map(str, SAMPLES), str(new), "-o", str(out / "vocab.apkg"), "--format", "csv"],
        env={**os.environ, "XDG_CACHE_HOME": str(home), "SOURCE_DATE_EPOCH": str(TIMESTAMP)},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in stale if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []
    assert (out / "vocab.apkg").is_file() and (out / "vocab.csv").is_file()


def test_the_pool_gives_the_same_records_with_its_lifeline() -> None:
    """The workers' lifeline changes nothing while the parent lives: a pool run ends normally
    and gives what tagging in this process gives."""
    sentences = list(dict.fromkeys(s for p in SAMPLES for s in split_text(p.read_text(encoding="utf-8"))))
    with corpus._tagging(sentences, pooled=True) as tagged:
        pooled = list(tagged)
    alone = tuple((s, tag_cache.tag_sentence(s)) for s in sentences)
    assert tag_cache.read_record("a", tuple(pooled)) == tag_cache.read_record("a", alone)
