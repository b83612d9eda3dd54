"""The learner's known words: read from word lists, CSV/TSV or Anki packages; a saved default list.

Known words never reach the deck. The default list lives in the user's data folder
(platformdirs), one word a line, so `vocab known add` persists across runs.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import itertools
import json
import os
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from vocab.errors import VocabError, file_error

WORD_COLUMNS = ("word", "expression", "front", "vocab", "kanji", "単語", "語")
ANKI_SUFFIXES = (".apkg", ".colpkg")
MODERN_COLLECTION = "collection.anki21b"                    # zstd-compressed SQLite
COLLECTION_NAMES = ("collection.anki21", "collection.anki2")  # plain SQLite, newest first
COLLECTION_SUFFIXES = (".anki2", ".anki21")                   # an Anki profile's collection file
# The one note of the dummy collection.anki2 that Anki 2.1.50+ writes beside the real one.
NEWER_ANKI_PLACEHOLDER = "Please update to the latest Anki version"
# The file headers of Anki's text import/export (`#separator:tab`); a word list's own comment
# ("# politics: week 3") is not one.
ANKI_TEXT_HEADER = re.compile(r"^#(?:separator|html|tags|columns|notetype|deck|if matches|match scope"
                              r"|(?:guid|notetype|deck|tags) column):", re.IGNORECASE)
ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
# Byte-order marks, UTF-32 before UTF-16: FF FE 00 00 also starts with UTF-16-LE's FF FE.
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))

# Limits that keep a hostile or mistaken file from taking the machine's memory or disk. Each is
# far beyond any real learner's file, so only a bomb or a file of the wrong kind meets one.
# An Anki collection without media: a heavy user's, review history included, is tens of MB, and
# AnkiWeb refuses to sync one of a few hundred MB. The package's collection is unpacked (to a
# temporary file, in chunks) only up to this size; a 300 KB zstd bomb would otherwise write GBs.
MAX_COLLECTION_BYTES = 512 * 2**20
# One line (or one CSV field) of a word list, CSV/TSV or Anki text export. Anki's text export
# keeps HTML, so a field with an embedded image (a data: URI) may run to megabytes; Python's csv
# stops at 128 KB by default. Bounds what one line holds in memory.
MAX_LINE_CHARS = 16 * 2**20
# A "word" longer than this is a sentence or a definition: it can never match a term of an
# article, so it is not kept (it would only take memory).
MAX_WORD_CHARS = 64
# JMdict has about 210,000 entries (some 400,000 written forms); nobody knows more. Bounds the
# words held from one file (and so the memory) when a huge file of something else is passed.
MAX_KNOWN_WORDS = 500_000
# How long `vocab known add` waits for another vocab changing the saved list at the same time.
LOCK_TIMEOUT = 60.0
COPY_CHUNK = 2**20


def known_path() -> Path:
    """The default known-words file in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("vocab", appauthor=False) / "known.txt"


def default_known() -> list[str]:
    """The saved known words ([] if none saved yet)."""
    return _saved_words(known_path())


def _saved_words(path: Path) -> list[str]:
    """The words of the saved list at `path` ([] if it does not exist)."""
    if not path.exists():
        return []
    if path.is_dir():
        raise VocabError(f"{path}: your known-words list is a folder; move it away (vocab known path)")
    with _text_file(path, "your known-words list") as lines:
        return _unique(path, _word_list_words(lines))


def read_known(path: Path) -> list[str]:
    """Known words from `path`, in file order without repeats:

    - a word list (.txt or anything else): one word a line, # comments, only the first
      tab-separated column counts;
    - a CSV/TSV: the column named word/expression/front/vocab/kanji/単語/語, else the first;
    - Anki's "Notes in Plain Text" export, or our own CSV/TSV (`#separator:` headers): the
      column `#columns:` names like a word, else the first note field;
    - an Anki .apkg/.colpkg from any Anki version or genanki, or a collection.anki2 file: the
      word field (named as above, else the first) of every note.

    Text is read line by line and a package unpacked in chunks, within the MAX_* limits above:
    a file beyond them is reported (VocabError naming it), never read whole into memory.
    """
    if not path.exists():
        raise VocabError(f"{path}: no such known-words file")
    if path.is_dir():
        raise VocabError(f"{path}: is a folder; pass a word list, CSV/TSV or Anki .apkg file")
    suffix = path.suffix.lower()
    if suffix in ANKI_SUFFIXES:
        return _anki_words(path)
    if suffix in COLLECTION_SUFFIXES:
        return _collection_words(path)
    with _text_file(path, "known-words file") as lines:
        return _unique(path, _text_words(path, lines, suffix))


def read_known_stream(stream: IO[str], name: str = "-", suffix: str = ".txt") -> list[str]:
    """Known words from an open text stream (standard input), read as read_known reads a file."""
    try:
        return _unique(name, _text_words(name, _bounded_lines(stream, name), suffix))
    except UnicodeDecodeError:
        raise VocabError(f"{name}: known words are not UTF-8 text: give them as UTF-8") from None


def known_from_text(text: str, suffix: str = ".txt") -> list[str]:
    """Known words from the text of a word list, a CSV/TSV (`suffix` .csv/.tsv) or an Anki
    plain-text export (recognised by its `#separator:` header whatever the suffix)."""
    return read_known_stream(io.StringIO(text, newline=""), "text", suffix)


def read_word_list(text: str) -> list[str]:
    """Words from a plain list: one a line (first tab-separated column); blank lines and
    # comments ignored."""
    return list(_word_list_words(io.StringIO(text, newline="")))


# ── Text files, streamed ─────────────────────────────────────────────────────────────────────

@contextlib.contextmanager
def _text_file(path: Path, what: str) -> Iterator[Iterator[str]]:
    """The lines of a text file (UTF-8, or UTF-16/32 with a byte-order mark), read lazily; a
    decoding error or an unreadable file becomes one VocabError naming the file."""
    try:
        with path.open("rb") as raw:
            start = raw.read(4)
        encoding = next((name for bom, name in BOMS if start.startswith(bom)), "utf-8-sig")
        with path.open(encoding=encoding, newline="") as file:
            yield _bounded_lines(file, path)
    except UnicodeDecodeError:
        raise VocabError(f"{path}: {what} is not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:
        raise VocabError(f"{path}: cannot read {what} ({exc.strerror})") from None


def _bounded_lines(file: IO[str], path: Path | str) -> Iterator[str]:
    """The lines of `file`, each at most MAX_LINE_CHARS long (a longer one is an error, not read
    whole: a file of one endless line must not fill the memory)."""
    while line := file.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS and line[-1] not in "\r\n":
            raise VocabError(f"{path}: has a line longer than {MAX_LINE_CHARS // 2**20} M characters: "
                             "pass a word list, CSV/TSV or Anki export")
        yield line


def _text_words(path: Path | str, lines: Iterator[str], suffix: str) -> Iterator[str]:
    """The words of a word list, CSV/TSV or Anki text export, told apart by the first line."""
    first = next(lines, "")
    lines = itertools.chain([first], lines)
    if ANKI_TEXT_HEADER.match(first):
        return _anki_text_words(path, lines)
    if suffix in (".csv", ".tsv"):
        return _table_words(path, lines, "\t" if suffix == ".tsv" else ",")
    return _word_list_words(lines)


def _word_list_words(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        word = line.split("#", 1)[0].split("\t", 1)[0].strip()
        if word:
            yield word


def _unique(path: Path | str, words: Iterable[str]) -> list[str]:
    """`words` NFC-normalised, stripped, without repeats, in order; words too long to be a word
    are dropped; more than MAX_KNOWN_WORDS different ones is an error naming `path`."""
    kept: dict[str, None] = {}
    for word in words:
        if len(word) > 4 * MAX_WORD_CHARS:  # NFC may shorten a word, but not by 4×
            continue
        # NFC: a word typed on macOS (NFD) must match the same word in an article.
        word = unicodedata.normalize("NFC", word).strip()
        if not word or len(word) > MAX_WORD_CHARS or word in kept:
            continue
        if len(kept) >= MAX_KNOWN_WORDS:
            raise VocabError(f"{path}: holds more than {MAX_KNOWN_WORDS:,} different words, more than "
                             "Japanese has: pass a list of the words you know")
        kept[word] = None
    return list(kept)


@contextlib.contextmanager
def _csv_fields_up_to_line_limit() -> Iterator[None]:
    """Let csv read fields up to MAX_LINE_CHARS (its default stops at 128 KB), then restore."""
    previous = csv.field_size_limit(MAX_LINE_CHARS)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _csv_rows(path: Path | str, lines: Iterable[str], delimiter: str) -> Iterator[list[str]]:
    """csv.reader over `lines`, its errors (a field over the limit, a bad quote) named."""
    with _csv_fields_up_to_line_limit():
        try:
            yield from csv.reader(lines, delimiter=delimiter)
        except csv.Error as exc:
            raise VocabError(f"{path}: not a readable CSV/TSV ({exc}); check the file") from None


def _table_words(path: Path | str, lines: Iterable[str], delimiter: str) -> Iterator[str]:
    rows = _csv_rows(path, lines, delimiter)
    first = next(rows, None)
    if first is None:
        return
    header = [cell.strip().lower() for cell in first]
    column = next((header.index(name) for name in WORD_COLUMNS if name in header), None)
    body = rows if column is not None else itertools.chain([first], rows)
    column = column or 0
    for row in body:
        if len(row) > column and row[column].strip():
            yield row[column].strip()


def _anki_text_words(path: Path | str, lines: Iterator[str]) -> Iterator[str]:
    """The first note field of each row of Anki's plain-text export. Its header lines
    (`#separator:tab`, `#html:true`, `#guid column:1`, `#notetype column:2`, …), at the top,
    say how to read the rows; the columns they name (1-based) are not note fields."""
    settings = {}
    line = next(lines, "")
    while line and ANKI_TEXT_HEADER.match(line):
        key, _, value = line[1:].partition(":")
        settings[key.strip().lower()] = value.strip("\r\n")
        line = next(lines, "")
    body = itertools.chain([line] if line else [], lines)
    separator = settings.get("separator", "tab").strip()
    delimiter = ANKI_SEPARATORS.get(separator.lower(), separator[:1] or "\t")
    special = {int(v) - 1 for k, v in settings.items() if k.endswith(" column") and v.strip().isdigit()}
    # `#columns:` names the columns (our own CSV/TSV export has it): take the word column by name.
    labels = next(csv.reader([settings.get("columns", "")], delimiter=delimiter), [])
    named = [label.strip().lower() for label in labels]
    column = next((named.index(name) for name in WORD_COLUMNS if name in named), None)
    for row in _csv_rows(path, body, delimiter):
        fields = [cell for i, cell in enumerate(row) if i not in special] if column is None else row[column:column + 1]
        if fields:
            word = field_text(fields[0])
            if word:
                yield word


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001 - HTMLParser's signature
        if tag in ("rt", "rp", "script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("rt", "rp", "script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):  # noqa: ANN001
        if not self.skip:
            self.parts.append(data)


def field_text(field: str) -> str:
    """The plain text of an Anki field (HTML and ruby readings removed, 外相[がいしょう] too)."""
    parser = _Text()
    parser.feed(field)
    parser.close()
    text = "".join(parser.parts)
    # Anki's furigana syntax: 漢字[かんじ]
    return re.sub(r"\[[^\]]*\]", "", text).strip()


def _anki_words(path: Path, max_bytes: int = MAX_COLLECTION_BYTES) -> list[str]:
    """The words of an .apkg/.colpkg: its collection unpacked to a temporary file (at most
    `max_bytes`), then read with SQLite."""
    try:
        with zipfile.ZipFile(path) as package, _scratch_folder(path) as work:
            db = work / "collection.db"
            name = _unpack_collection(package, path, db, max_bytes)
            words = _collection_words(db, label=path)
            if name == "collection.anki2" and _is_newer_anki_placeholder(db):
                raise VocabError(f"{path}: holds only the placeholder of a newer Anki's export "
                                 f"({MODERN_COLLECTION} is missing); export it again from Anki")
            return words
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error):
        # NotImplementedError: a compression method zipfile lacks; the rest: damaged data.
        raise VocabError(f"{path}: not a readable Anki package (corrupt or not .apkg/.colpkg)") from None
    except OSError as exc:  # the package itself (its temporary copy has its own messages)
        raise file_error(path, exc) from None


@contextlib.contextmanager
def _scratch_folder(path: Path) -> Iterator[Path]:
    """A temporary folder for unpacking `path`; no usable temporary folder is a VocabError."""
    try:
        folder = tempfile.TemporaryDirectory(prefix="vocab-known-")
    except OSError as exc:
        raise VocabError(f"{path}: cannot unpack it: no usable temporary folder "
                         f"({exc.strerror or exc}); set TMPDIR to a writable folder") from None
    with folder as name:
        yield Path(name)


def _unpack_collection(package: zipfile.ZipFile, path: Path, out: Path, max_bytes: int) -> str:
    """Unpack the package's collection (SQLite) to `out`, in chunks, at most `max_bytes`; return
    the member's name. Anki 2.1.50+ exports write the real collection as zstd-compressed
    `collection.anki21b` beside a dummy `collection.anki2` whose one note says "Please update to
    the latest Anki version", so the newest format goes first."""
    names = set(package.namelist())
    name = next((n for n in (MODERN_COLLECTION, *COLLECTION_NAMES) if n in names), None)
    if name is None:
        raise VocabError(f"{path}: no Anki collection inside (is it an .apkg or .colpkg?)")
    if package.getinfo(name).file_size > max_bytes:  # the zip says so: no need to unpack
        raise _too_big(path, max_bytes)
    import zstandard

    try:
        with package.open(name) as member:
            if name == MODERN_COLLECTION:
                # Anki streams the frame without a content size: read it as a stream too.
                with zstandard.ZstdDecompressor().stream_reader(member) as reader:
                    _copy_at_most(reader, out, path, max_bytes)
            else:
                _copy_at_most(member, out, path, max_bytes)
    except zstandard.ZstdError:
        raise VocabError(f"{path}: the Anki collection inside is corrupt; export it again") from None
    except RuntimeError:  # zipfile's word for an encrypted member
        raise VocabError(f"{path}: the Anki collection inside is encrypted; export it again from Anki") from None
    return name


def _copy_at_most(source: IO[bytes], out: Path, path: Path, max_bytes: int) -> None:
    """Copy `source` to the new file `out` in chunks; more than `max_bytes` is an error."""
    written = 0
    try:
        with out.open("wb") as sink:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise _too_big(path, max_bytes)
                sink.write(chunk)
    except OSError as exc:
        raise VocabError(f"{path}: cannot unpack its collection into the temporary folder {out.parent.parent} "
                         f"({exc.strerror or exc}): {_temporary_folder_hint(exc)}") from None


def _temporary_folder_hint(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space there, or set TMPDIR to a folder with room"
    return "set TMPDIR to a writable folder with free space"


def _too_big(path: Path, max_bytes: int) -> VocabError:
    return VocabError(f"{path}: its Anki collection unpacks to more than {max_bytes // 2**20} MB, far beyond "
                      "a real one (or a damaged file): export just the deck of words you know")


def _collection_words(db: Path, label: Path | None = None) -> list[str]:
    """The word of every note in an Anki collection file, in note-creation order. Odd rows (no
    fields, bytes, bad UTF-8) give what they can; a file that is no collection at all, one line."""
    name = label or db
    try:
        # resolve(): a relative path has no file: URI. Read-only: the learner's file is not touched.
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # A damaged note (bad UTF-8) costs its own characters, not the whole collection.
            connection.text_factory = lambda data: data.decode("utf-8", "replace")
            fields = _word_fields(connection)
            # Iterated, not fetched whole; substr bounds what one note can hold in memory.
            rows = connection.execute("SELECT mid, substr(flds, 1, ?) FROM notes ORDER BY id", (MAX_LINE_CHARS,))
            return _unique(name, _note_words(rows, fields))
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise VocabError(f"{name}: not a readable Anki collection (corrupt, or not an Anki file)") from None


def _note_words(rows: Iterable[tuple[object, object]], fields: dict[int, int]) -> Iterator[str]:
    for mid, flds in rows:
        if isinstance(flds, bytes):
            flds = flds.decode("utf-8", "replace")
        if isinstance(flds, str):
            word = field_text(_nth_field(flds, fields.get(mid, 0)))  # type: ignore[arg-type]
            if "\ufffd" not in word:  # a damaged word matches no article word: leave it out
                yield word


def _is_newer_anki_placeholder(db: Path) -> bool:
    """Whether the collection is the dummy a newer Anki writes beside its real collection."""
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT flds FROM notes LIMIT 2").fetchall()
    finally:
        connection.close()
    return len(rows) == 1 and str(rows[0][0]).startswith(NEWER_ANKI_PLACEHOLDER)


def _word_fields(connection: sqlite3.Connection) -> dict[int, int]:
    """Note type id → index of its word field: the first named like WORD_COLUMNS, else 0.

    Schema 18 (Anki 2.1.28+) has a `fields` table; older collections, genanki's included, keep
    note types as JSON in `col.models`. Note types that cannot be read use field 0."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "fields" in tables:
        names: dict[int, list[tuple[int, str]]] = {}
        for ntid, ord_, name in connection.execute("SELECT ntid, ord, name FROM fields"):
            names.setdefault(ntid, []).append((ord_, name))
    else:
        names = _json_note_types(connection) if "col" in tables else {}
    chosen = {}
    for ntid, fields in names.items():
        by_name = {str(name or "").strip().lower(): ord_ for ord_, name in fields if isinstance(ord_, int)}
        chosen[ntid] = next((by_name[c] for c in WORD_COLUMNS if c in by_name), 0)
    return chosen


def _json_note_types(connection: sqlite3.Connection) -> dict[int, list[tuple[int, str]]]:
    """Note type id → (ord, name) of its fields, from the JSON in `col.models` ({} if unreadable)."""
    row = connection.execute("SELECT models FROM col").fetchone()
    try:
        models = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}
    names = {}
    for ntid, model in (models.items() if isinstance(models, dict) else ()):
        flds = model.get("flds") if isinstance(model, dict) else None
        if str(ntid).lstrip("-").isdigit() and isinstance(flds, list):
            names[int(ntid)] = [(f.get("ord", i), f.get("name", "")) for i, f in enumerate(flds) if isinstance(f, dict)]
    return names


def _nth_field(flds: str, index: int) -> str:
    parts = flds.split("\x1f")
    return parts[index] if 0 <= index < len(parts) else parts[0]


# ── The saved list: locked while it changes, replaced whole ─────────────────────────────────

def save_known(words: Iterable[str]) -> tuple[Path, int]:
    """Add `words` to the default list; return its path and how many were new.

    Safe against other vocab commands changing the list at the same time (a file lock around
    read-change-write) and against a crash or kill (the new list replaces the old one whole)."""
    path = known_path()
    wanted = _unique(path, words)
    with _locked(path) as target:
        current = _saved_words(target)
        saved = set(current)
        new = [w for w in wanted if w not in saved]
        if new:
            _replace_list(path, target, _unique(path, current + new))
    return path, len(new)


def remove_known(words: Iterable[str]) -> tuple[Path, int]:
    """Remove `words` from the default list; return its path and how many were removed."""
    path = known_path()
    dropped = set(_unique(path, words))
    with _locked(path) as target:
        current = _saved_words(target)
        kept = [w for w in current if w not in dropped]
        if len(kept) != len(current):
            _replace_list(path, target, kept)
    return path, len(current) - len(kept)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[Path]:
    """Hold the saved list's lock (a hidden file beside it) and yield the file to change: the
    target of `path` if it is a symlink, so a list kept elsewhere (a synced folder) is written
    there. Temporary files of a writer that was killed are removed."""
    from filelock import FileLock, Timeout

    target = path.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VocabError(f"{target.parent}: cannot create the folder for your known words "
                         f"({exc.strerror}); check its permissions") from None
    lock = FileLock(target.parent / f".{target.name}.lock", timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise VocabError(f"{path}: another vocab command has been changing your known words for "
                         f"{LOCK_TIMEOUT:.0f} s; let it finish, then try again") from None
    except OSError as exc:
        raise VocabError(f"{path}: cannot lock your known words ({exc.strerror}); check the folder's "
                         "permissions") from None
    try:
        for orphan in target.parent.glob(f".{target.name}.*.tmp"):  # no writer is alive: we hold the lock
            orphan.unlink(missing_ok=True)
        yield target
    finally:
        lock.release()


def _replace_list(path: Path, target: Path, words: list[str]) -> None:
    """Write `words` to a temporary file beside `target`, flush it to disk, and rename it over
    `target`: a crash at any moment leaves the old list or the new one, never a part."""
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise VocabError(f"{path}: cannot save your known words ({exc.strerror}); check the folder") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.writelines(f"{w}\n" for w in words)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(tmp, _list_mode(target))
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise VocabError(f"{path}: cannot save your known words ({exc.strerror}); the list is unchanged") from None
    finally:
        tmp.unlink(missing_ok=True)


def _list_mode(target: Path) -> int:
    """The saved list's permissions: kept as they are, else the usual ones for a new file."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry of the renamed file to disk (POSIX; Windows has no folder fsync)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
