"""Hostile and unlucky inputs for known words (issue 13): concurrent writers lose nothing, a
killed writer leaves the old list, bombs and huge files stay within bounded memory and disk, and
every odd file gives its words or one line naming it.

Real processes, real files, real SQLite and zip; the memory of a read is the peak RSS of a fresh
Python process that does only that read.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard
from typer.testing import CliRunner

from conftest import ARTICLES
from vocab.cli import EXIT_INPUT, app
from vocab.errors import VocabError
from vocab.learner.known import (MAX_COLLECTION_BYTES, MAX_KNOWN_WORDS, MAX_LINE_CHARS, default_known, known_path,
                         read_known, remove_known, save_known)

VOCAB = Path(sys.executable).parent / "vocab"
GOOD = sorted(ARTICLES.glob("*.txt"))[0]
MB = 2**20


def vocab(*args: str | Path, stdin: str | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin, prog_name="vocab")


def one_line_error(result, path: Path) -> str:
    """The single stderr line of a failed run, which must name `path`; exit 1, no traceback."""
    assert result.exit_code == EXIT_INPUT, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {path}: "), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    return result.stderr


# ── 1. Concurrent writers lose nothing; a killed writer leaves the old list ─────────────────

def test_ten_concurrent_adds_keep_every_word() -> None:
    """The issue's reproduction, with real processes: 1 + 10 × 2 words, all kept (was 3 to 5)."""
    assert vocab("known", "add", "基準").exit_code == 0
    runs = [subprocess.Popen([VOCAB, "-q", "known", "add", f"語{i}", f"単{i}"]) for i in range(10)]
    assert [run.wait(timeout=60) for run in runs] == [0] * 10
    words = default_known()
    assert len(words) == 21 and words[0] == "基準"
    assert set(words) == {"基準", *(f"語{i}" for i in range(10)), *(f"単{i}" for i in range(10))}


def test_concurrent_add_remove_and_import_interleave_exactly(tmp_path: Path) -> None:
    """Adds, removes and imports at once: every command's effect is kept, none is undone."""
    save_known([f"消{i}" for i in range(8)] + ["残"])
    imported = tmp_path / "words.csv"
    imported.write_text("word\n" + "".join(f"輸{i}\n" for i in range(200)), encoding="utf-8")
    commands = [["known", "add", f"足{i}"] for i in range(8)]
    commands += [["known", "remove", f"消{i}"] for i in range(8)]
    commands += [["known", "import", str(imported)]]
    runs = [subprocess.Popen([VOCAB, "-q", *command]) for command in commands]
    assert [run.wait(timeout=60) for run in runs] == [0] * len(commands)
    assert set(default_known()) == {"残", *(f"足{i}" for i in range(8)), *(f"輸{i}" for i in range(200))}


WRITER = """
import sys
from vocab.learner.known import save_known
for i in range(100_000):
    save_known([f"新{i}"])
"""


def test_a_killed_writer_leaves_a_whole_list() -> None:
    """kill -9 at random moments of a writer: the list is always whole (every earlier word, every
    line complete); the next writer removes the temporary file the killed one left."""
    first = [f"語{i}" for i in range(3000)]  # large enough that a write takes a while
    save_known(first)
    for delay in (0.3, 0.45, 0.6, 0.75):
        writer = subprocess.Popen([sys.executable, "-c", WRITER])
        with contextlib.suppress(subprocess.TimeoutExpired):
            writer.wait(timeout=delay)
        writer.kill()
        writer.wait()
        text = known_path().read_text(encoding="utf-8")
        assert text.endswith("\n")
        words = text.splitlines()
        assert words[:3000] == first and all(w.startswith("新") for w in words[3000:])
    save_known(["最後"])
    assert not list(known_path().parent.glob("*.tmp"))


def test_a_leftover_temporary_file_is_removed() -> None:
    known_path().parent.mkdir(parents=True, exist_ok=True)
    orphan = known_path().parent / ".known.txt.abcd1234.tmp"  # as a killed writer leaves it
    orphan.write_text("外\n", encoding="utf-8")
    save_known(["外相"])
    assert not orphan.exists() and default_known() == ["外相"]


def test_a_symlinked_list_is_written_through(tmp_path: Path) -> None:
    """A learner who keeps the list in a synced folder and links it: the link stays, the file
    it points to gets the words."""
    synced = tmp_path / "Dropbox" / "known.txt"
    synced.parent.mkdir()
    synced.write_text("外相\n", encoding="utf-8")
    known_path().parent.mkdir(parents=True, exist_ok=True)
    known_path().symlink_to(synced)
    save_known(["会談"])
    remove_known(["外相"])
    assert known_path().is_symlink() and synced.read_text(encoding="utf-8") == "会談\n"


def test_the_list_keeps_its_permissions() -> None:
    save_known(["外相"])
    known_path().chmod(0o600)
    save_known(["会談"])
    assert known_path().stat().st_mode & 0o777 == 0o600


# ── 3. Bombs and huge files: bounded memory, bounded disk, one named line ───────────────────

def zstd_bomb(path: Path, size: int) -> Path:
    """An .apkg whose zstd collection.anki21b unpacks to `size` zero bytes (no content size in
    the frame, as Anki writes it), beside the dummy collection.anki2 Anki writes."""
    with zipfile.ZipFile(path, "w") as package:
        with package.open("collection.anki21b", "w", force_zip64=True) as member:
            with zstandard.ZstdCompressor(level=3).stream_writer(member, closefd=False) as writer:
                for _ in range(size // MB):
                    writer.write(bytes(MB))
        package.writestr("collection.anki2", b"")
    return path


def deflate_bomb(path: Path, size: int, member: str = "collection.anki2") -> Path:
    """An .apkg whose deflated collection unpacks to `size` zero bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        with package.open(member, "w", force_zip64=True) as out:
            for _ in range(size // MB):
                out.write(bytes(MB))
    return path


def many_words_csv(path: Path, words: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        file.write("word,meaning\n")
        file.writelines(f"語{i},meaning {i}\n" for i in range(words))
    return path


def repeated_words(path: Path, size: int) -> Path:
    """A big CSV or tab-separated list of few different words (a long review log, say):
    readable, in little memory."""
    separator = "," if path.suffix == ".csv" else "\t"
    rows = "".join(f"語{i}{separator}{'とても長い説明' * 20}\n" for i in range(1000))
    with path.open("w", encoding="utf-8") as file:
        file.write(f"word{separator}meaning\n" if separator == "," else "")
        for _ in range(size // len(rows.encode())):
            file.write(rows)
    return path


def one_endless_line(path: Path, size: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        for _ in range(size // MB):
            file.write("語" * (MB // 3))
    return path


PEAK = """
import resource, sys
from pathlib import Path
from vocab.errors import VocabError
from vocab.learner.known import read_known
try:
    words = len(read_known(Path(sys.argv[1])))
    outcome = f"words {words}"
except VocabError as exc:
    outcome = f"error {exc}"
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)  # KB on Linux → MB
print(outcome)
"""


def peak_read(path: Path) -> tuple[int, str]:
    """(peak RSS in MB, "words N" or "error …") of a fresh process reading `path` as known words."""
    run = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    peak, outcome = run.stdout.splitlines()
    return int(peak), outcome


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory: pytest.TempPathFactory) -> int:
    tiny = tmp_path_factory.mktemp("tiny") / "known.txt"
    tiny.write_text("外相\n", encoding="utf-8")
    return peak_read(tiny)[0]


# (name, how to make it, the outcome's start). Before issue 13: the zstd bomb asked for its
# whole size in memory (8 GiB for the 274 KB package), the deflate bomb held 2.1 GB, a
# 100 MB CSV 1.4 GB.
BOMBS = [
    ("zstd.apkg", lambda p: zstd_bomb(p, MAX_COLLECTION_BYTES + 64 * MB), "error"),
    ("deflate.apkg", lambda p: deflate_bomb(p, MAX_COLLECTION_BYTES + 64 * MB), "error"),
    ("deflate.colpkg", lambda p: deflate_bomb(p, MAX_COLLECTION_BYTES + 64 * MB, "collection.anki21"), "error"),
    ("many.csv", lambda p: many_words_csv(p, MAX_KNOWN_WORDS + 10_000), "error"),
    ("repeated.csv", lambda p: repeated_words(p, 60 * MB), "words 1000"),
    ("repeated.txt", lambda p: repeated_words(p, 60 * MB), "words 1000"),
    ("endless.txt", lambda p: one_endless_line(p, MAX_LINE_CHARS * 3 + 4 * MB), "error"),
]


@pytest.mark.parametrize(("name", "make", "outcome"), BOMBS, ids=[b[0] for b in BOMBS])
def test_bombs_and_huge_files_stay_in_bounded_memory(tmp_path: Path, baseline_mb: int, name: str,
                                                     make, outcome: str) -> None:
    path = make(tmp_path / name)
    peak, result = peak_read(path)
    assert result.startswith(outcome), result
    # A line of MAX_LINE_CHARS is the most one read holds: 16 M characters (UCS-2 here) plus its
    # bytes as read, so ~100 MB; a bomb's full size (≥ 512 MB) would be far above it.
    assert peak - baseline_mb < 160, f"{name}: peak {peak} MB (baseline {baseline_mb} MB)"
    assert not list(tmp_path.glob("vocab-known-*"))


@pytest.mark.parametrize(("name", "problem"), [
    ("zstd.apkg", "its Anki collection unpacks to more than 512 MB"),
    ("many.csv", f"holds more than {MAX_KNOWN_WORDS:,} different words"),
    ("endless.txt", "has a line longer than 16 M characters"),
])
def test_bomb_errors_are_one_line_naming_the_file(tmp_path: Path, name: str, problem: str) -> None:
    make = {b[0]: b[1] for b in BOMBS}[name]
    path = make(tmp_path / name)
    result = vocab("known", "import", path)
    assert problem in one_line_error(result, path)
    assert default_known() == []


def test_a_bomb_leaves_no_temporary_file(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    bomb = zstd_bomb(tmp_path / "bomb.apkg", MAX_COLLECTION_BYTES + 8 * MB)
    run = subprocess.run([VOCAB, "build", GOOD, "-o", tmp_path / "deck.apkg", "--known", bomb],
                         capture_output=True, text=True, env={**os.environ, "TMPDIR": str(scratch)}, timeout=120)
    assert run.returncode == EXIT_INPUT and run.stderr.startswith(f"error: {bomb}: its Anki collection unpacks")
    assert list(scratch.iterdir()) == [] and not (tmp_path / "deck.apkg").exists()


# ── 7. The saved list in another encoding ───────────────────────────────────────────────────

WORDS = "外相\n会談\n"
READABLE_ENCODINGS = ["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32", "utf-32-be-bom"]


def encoded(text: str, encoding: str) -> bytes:
    """`text` in `encoding`; "-bom" names a byte order with its BOM written explicitly."""
    if encoding.endswith("-bom"):
        plain = encoding.removesuffix("-bom")
        return "\ufeff".encode(plain) + text.encode(plain)
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", READABLE_ENCODINGS)
def test_a_saved_list_with_a_bom_is_read_and_rewritten_as_utf8(encoding: str) -> None:
    """Notepad's "Unicode" (UTF-16 with BOM) and friends: unambiguous, so read; a change
    rewrites the list as the UTF-8 `vocab known path` promises, every word kept."""
    known_path().parent.mkdir(parents=True, exist_ok=True)
    known_path().write_bytes(encoded(WORDS, encoding))
    assert default_known() == ["外相", "会談"]
    assert vocab("known", "add", "首脳").exit_code == 0
    assert known_path().read_text(encoding="utf-8") == "外相\n会談\n首脳\n"


OTHER_ENCODINGS = [
    ("shift_jis", WORDS.encode("shift_jis")),
    ("euc_jp", WORDS.encode("euc_jp")),
    ("utf-16 without BOM", WORDS.encode("utf-16-le")),
    ("latin-1", "外相\ncafé\n".encode("utf-8").replace("é".encode(), "é".encode("latin-1"))),
]
COMMANDS = [["known", "list"], ["known", "add", "首脳"], ["known", "remove", "外相"],
            ["extract", GOOD], ["coverage", GOOD]]


@pytest.mark.parametrize(("encoding", "data"), OTHER_ENCODINGS, ids=[e[0] for e in OTHER_ENCODINGS])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[1] if c[0] == "known" else c[0] for c in COMMANDS])
def test_a_saved_list_in_another_encoding_is_named_and_kept(encoding: str, data: bytes, command: list) -> None:
    """Every command names the list and says what to do (was "internal error"); nothing
    rewrites the learner's file."""
    known_path().parent.mkdir(parents=True, exist_ok=True)
    known_path().write_bytes(data)
    result = vocab(*command)
    assert "your known-words list is not UTF-8 text: save it as UTF-8" in one_line_error(result, known_path())
    assert known_path().read_bytes() == data


# ── 7. Odd but valid Anki collections, and invalid ones: words, or one named line ───────────

def minimal_collection(path: Path, notes: list[tuple[int, object]], models: object = None,
                       fields: list[tuple] | None = None) -> Path:
    """An Anki collection with only the tables vocab reads: `col.models` (JSON, schema 11,
    as genanki and Anki before 2.1.28 write it) or a `fields` table (schema 18)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE col (id INTEGER PRIMARY KEY, models TEXT)")
    db.execute("INSERT INTO col (models) VALUES (?)", (models if isinstance(models, (str, type(None)))
                                                      else json.dumps(models),))
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, mid INTEGER, flds TEXT)")
    db.executemany("INSERT INTO notes (mid, flds) VALUES (?, ?)", notes)
    if fields is not None:
        db.execute("CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT)")
        db.executemany("INSERT INTO fields VALUES (?, ?, ?)", fields)
    db.commit()
    db.close()
    return path


JAPANESE_MODEL = {"7": {"flds": [{"name": "Reading", "ord": 0}, {"name": "Expression", "ord": 1}]}}
ODD_COLLECTIONS = [
    ("no notes", [], JAPANESE_MODEL, None, []),
    ("empty fields", [(7, ""), (7, "\x1f"), (7, "がいしょう\x1f外相")], JAPANESE_MODEL, None, ["外相"]),
    ("NULL fields", [(7, None), (7, "かいだん\x1f会談")], JAPANESE_MODEL, None, ["会談"]),
    ("fields as bytes", [(7, "かいだん\x1f会談".encode()), (7, b"\xff\xfe\x1f\xff")], JAPANESE_MODEL, None, ["会談"]),
    ("bad UTF-8 in one note", [(7, b"x\x1f\xe5\xa4"), (7, "かいだん\x1f会談")], JAPANESE_MODEL, None, ["会談"]),
    ("models not JSON", [(7, "外相\x1fがいしょう")], "{not json", None, ["外相"]),
    ("models a list", [(7, "外相\x1fがいしょう")], [1, 2], None, ["外相"]),
    ("models NULL", [(7, "外相")], None, None, ["外相"]),
    ("unknown note type", [(99, "外相\x1fがいしょう")], JAPANESE_MODEL, None, ["外相"]),
    ("field ord out of range", [(7, "外相")], {"7": {"flds": [{"name": "Expression", "ord": 5}]}}, None, ["外相"]),
    ("schema 18 fields", [(7, "がいしょう\x1f外相")], "", [(7, 0, "Reading"), (7, 1, "Expression")], ["外相"]),
    ("schema 18 NULL names", [(7, "外相\x1fがいしょう")], "", [(7, None, None), (7, 1, None)], ["外相"]),
    ("a sentence, not a word", [(7, "x\x1f" + "長い文" * 40), (7, "x\x1f外相")], JAPANESE_MODEL, None, ["外相"]),
]


@pytest.mark.parametrize(("case", "notes", "models", "fields", "expected"), ODD_COLLECTIONS,
                         ids=[c[0] for c in ODD_COLLECTIONS])
@pytest.mark.parametrize("packed", [False, True], ids=["anki2", "apkg"])
def test_odd_collections_give_their_words(tmp_path: Path, case: str, notes, models, fields, expected,
                                          packed: bool) -> None:
    path = minimal_collection(tmp_path / "collection.anki2", notes, models, fields)
    if packed:
        apkg = tmp_path / "odd.apkg"
        with zipfile.ZipFile(apkg, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(path, "collection.anki2")
        path = apkg
    assert read_known(path) == expected


def test_a_collection_given_by_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--known collection.anki2` from the profile folder (was "internal error (ValueError…)")."""
    minimal_collection(tmp_path / "collection.anki2", [(7, "がいしょう\x1f外相")], JAPANESE_MODEL)
    monkeypatch.chdir(tmp_path)
    assert read_known(Path("collection.anki2")) == ["外相"]
    result = vocab("extract", GOOD, "-f", "json", "--known", "collection.anki2")
    assert result.exit_code == 0, result.output


def placeholder_only(path: Path) -> Path:
    """A modern export whose collection.anki21b was lost (re-zipped by hand): only the dummy."""
    db = minimal_collection(path.with_suffix(".anki2"), [(1, "Please update to the latest Anki version, then "
                                                             "import the .colpkg/.apkg file again.\x1f")], {})
    with zipfile.ZipFile(path, "w") as package:
        package.write(db, "collection.anki2")
    return path


def not_a_collection(path: Path) -> Path:
    db = sqlite3.connect(path.with_suffix(".anki2"))
    db.execute("CREATE TABLE photos (id INTEGER)")
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as package:
        package.write(path.with_suffix(".anki2"), "collection.anki2")
    return path


def truncated_member(path: Path) -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("collection.anki2", os.urandom(300_000))
    path.write_bytes(data.getvalue()[:150_000])
    return path


def corrupt_zstd(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(b"x" * 1000)[:-4] + b"junk")
    return path


def bad_crc(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        package.writestr("collection.anki2", b"SQLite format 3\x00" + bytes(4000))
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF  # inside the member: its CRC no longer matches
    path.write_bytes(bytes(data))
    return path


BAD_PACKAGES = [
    ("placeholder.apkg", placeholder_only, "holds only the placeholder of a newer Anki's export"),
    ("photos.apkg", not_a_collection, "not a readable Anki collection"),
    ("truncated.apkg", truncated_member, "not a readable Anki package"),
    ("zstd.apkg", corrupt_zstd, "the Anki collection inside is corrupt"),
    ("crc.apkg", bad_crc, "not a readable Anki package"),
]


@pytest.mark.parametrize(("name", "make", "problem"), BAD_PACKAGES, ids=[b[0] for b in BAD_PACKAGES])
def test_bad_packages_are_one_named_line(tmp_path: Path, name: str, make, problem: str) -> None:
    path = make(tmp_path / name)
    result = vocab("extract", GOOD, "--known", path)
    assert problem in one_line_error(result, path)


# ── 7. CSV fields over csv's 128 KB default ─────────────────────────────────────────────────

BIG = "画像" * 100_000  # 200,000 characters: an embedded image, a pasted article
BIG_FIELDS = [
    (".csv", f'word,meaning\n外相,"{BIG}"\n会談,x\n', ["外相", "会談"]),
    (".tsv", f"単語\t意味\n外相\t{BIG}\n会談\tx\n", ["外相", "会談"]),
    (".txt", f"#separator:tab\n#html:true\n外相\t<img src=\"data:image/png;base64,{BIG}\">\n会談\tx\n", ["外相", "会談"]),
    (".csv", f'word,meaning\n"{BIG}",x\n外相,y\n', ["外相"]),  # the word column itself: too long to be a word
    (".txt", f"外相\t{BIG}\n{BIG}\n会談\n", ["外相", "会談"]),
]


@pytest.mark.parametrize(("suffix", "text", "expected"), BIG_FIELDS)
def test_fields_over_128_kb_are_read(tmp_path: Path, suffix: str, text: str, expected: list[str]) -> None:
    path = tmp_path / f"known{suffix}"
    path.write_text(text, encoding="utf-8")
    assert read_known(path) == expected
    result = vocab("known", "import", path)
    assert result.exit_code == 0, result.output
    assert default_known() == expected


def test_a_field_over_the_line_limit_is_one_named_line(tmp_path: Path) -> None:
    path = tmp_path / "known.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write('word,meaning\n外相,"')
        for _ in range(MAX_LINE_CHARS // (MB // 2) + 1):
            file.write(("x" * (MB // 2 - 1)) + "\n")  # one quoted field over many lines
        file.write('"\n')
    with pytest.raises(VocabError, match=r"not a readable CSV/TSV \(field larger than field limit"):
        read_known(path)
    import csv

    assert csv.field_size_limit() == 128 * 1024  # the process-wide default is restored


def test_standard_input_is_streamed_too() -> None:
    result = vocab("known", "import", "-", stdin="外相\tがいしょう\n" + "会談\n" * 1000)
    assert result.exit_code == 0 and default_known() == ["外相", "会談"]


# ── 7. A full or unusable temporary folder while unpacking a package ─────────────────────────

@pytest.fixture
def real_package(tmp_path: Path) -> Path:
    """An .apkg whose collection is ~2 MB unpacked (more than the small folders below hold)."""
    notes = [(7, f"よみ\x1f語{i}\x1f{'説明' * 500}") for i in range(1000)]
    db = minimal_collection(tmp_path / "collection.anki2", notes, JAPANESE_MODEL)
    path = tmp_path / "deck.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.write(db, "collection.anki2")
    return path


@contextlib.contextmanager
def tiny_tmpfs(folder: Path) -> Iterator[Path]:
    """A 256 KB filesystem at `folder` (needs root, as in CI containers), unmounted after."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _limit_file_size() -> None:
    # A process limit on file size: writes beyond 256 KB fail with EFBIG, as on a full disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_full_temporary_folder_is_one_named_line(tmp_path: Path, real_package: Path) -> None:
    """Was a traceback (OSError: No space left on device)."""
    assert len(read_known(real_package)) == 1000  # it reads where there is room
    with tiny_tmpfs(tmp_path / "tiny") as tiny:
        run = subprocess.run([VOCAB, "known", "import", real_package], capture_output=True, text=True,
                             env={**os.environ, "TMPDIR": str(tiny)}, timeout=60)
        assert run.returncode == EXIT_INPUT
        assert run.stderr == (f"error: {real_package}: cannot unpack its collection into the temporary folder "
                              f"{tiny} (No space left on device): free some space there, or set TMPDIR to a "
                              "folder with room\n")
        assert list(tiny.iterdir()) == []
    assert default_known() == []


def test_a_file_size_limit_while_unpacking_is_one_named_line(tmp_path: Path, real_package: Path) -> None:
    run = subprocess.run([VOCAB, "build", GOOD, "-o", tmp_path / "deck.apkg", "--known", real_package],
                         capture_output=True, text=True, preexec_fn=_limit_file_size, timeout=60)
    assert run.returncode == EXIT_INPUT
    assert run.stderr.startswith(f"error: {real_package}: cannot unpack its collection into the temporary folder")
    assert "File too large" in run.stderr and run.stderr.count("\n") == 1


def test_no_usable_temporary_folder_is_one_named_line(tmp_path: Path, real_package: Path) -> None:
    """TMPDIR gone and every fallback unwritable (here: the working folder, with TMPDIR unset)."""
    code = ("import tempfile, sys; from pathlib import Path; tempfile.tempdir = sys.argv[2];"
            "from vocab.learner.known import read_known; from vocab.errors import VocabError\n"
            "try: read_known(Path(sys.argv[1]))\nexcept VocabError as e: print(e)")
    run = subprocess.run([sys.executable, "-c", code, real_package, tmp_path / "gone"], capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.startswith(f"{real_package}: cannot unpack it: no usable temporary folder"), run
    assert "set TMPDIR to a writable folder" in run.stdout
