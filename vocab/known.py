"""The learner's known words: read from word lists, CSV/TSV or Anki packages; a saved default list.

Known words never reach the deck. The default list lives in the user's data folder
(platformdirs), one word a line, so `vocab known add` persists across runs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from vocab.errors import VocabError

WORD_COLUMNS = ("word", "expression", "front", "vocab", "kanji", "単語", "語")
ANKI_SUFFIXES = (".apkg", ".colpkg")
MODERN_COLLECTION = "collection.anki21b"                    # zstd-compressed SQLite
COLLECTION_NAMES = ("collection.anki21", "collection.anki2")  # plain SQLite, newest first
COLLECTION_SUFFIXES = (".anki2", ".anki21")                   # an Anki profile's collection file
# The file headers of Anki's text import/export (`#separator:tab`); a word list's own comment
# ("# politics: week 3") is not one.
ANKI_TEXT_HEADER = re.compile(r"^#(?:separator|html|tags|columns|notetype|deck|if matches|match scope"
                              r"|(?:guid|notetype|deck|tags) column):", re.IGNORECASE)
ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}


def known_path() -> Path:
    """The default known-words file in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("vocab", appauthor=False) / "known.txt"


def default_known() -> list[str]:
    """The saved known words ([] if none saved yet)."""
    path = known_path()
    return read_word_list(path.read_text(encoding="utf-8")) if path.exists() else []


def read_known(path: Path) -> list[str]:
    """Known words from `path`, in file order without repeats:

    - a word list (.txt or anything else): one word a line, # comments, only the first
      tab-separated column counts;
    - a CSV/TSV: the column named word/expression/front/vocab/kanji/単語/語, else the first;
    - Anki's "Notes in Plain Text" export, or our own CSV/TSV (`#separator:` headers): the
      column `#columns:` names like a word, else the first note field;
    - an Anki .apkg/.colpkg from any Anki version or genanki, or a collection.anki2 file: the
      word field (named as above, else the first) of every note.
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
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VocabError(f"{path}: known-words file is not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:
        raise VocabError(f"{path}: cannot read known-words file ({exc.strerror})") from None
    return known_from_text(text, suffix)


def known_from_text(text: str, suffix: str = ".txt") -> list[str]:
    """Known words from the text of a word list, a CSV/TSV (`suffix` .csv/.tsv) or an Anki
    plain-text export (recognised by its `#separator:` header whatever the suffix)."""
    if ANKI_TEXT_HEADER.match(text):
        words = _anki_text_words(text)
    elif suffix in (".csv", ".tsv"):
        words = _table_words(text, "\t" if suffix == ".tsv" else ",")
    else:
        words = read_word_list(text)
    return _unique(words)


def read_word_list(text: str) -> list[str]:
    """Words from a plain list: one a line (first tab-separated column); blank lines and
    # comments ignored."""
    words = (line.split("#", 1)[0].split("\t", 1)[0].strip() for line in text.splitlines())
    return [w for w in words if w]


def _unique(words: Iterable[str]) -> list[str]:
    # NFC: a word typed on macOS (NFD) must match the same word in an article.
    return list(dict.fromkeys(unicodedata.normalize("NFC", w).strip() for w in words if w.strip()))


def _table_words(text: str, delimiter: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(name) for name in WORD_COLUMNS if name in header), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    return [row[column].strip() for row in body if len(row) > column and row[column].strip()]


def _anki_text_words(text: str) -> list[str]:
    """The first note field of each row of Anki's plain-text export. Its header lines
    (`#separator:tab`, `#html:true`, `#guid column:1`, `#notetype column:2`, …) say how to read
    the rows; the columns they name (1-based) are not note fields."""
    lines = text.splitlines()
    header = [line for line in lines if ANKI_TEXT_HEADER.match(line)]
    body = "\n".join(line for line in lines if not ANKI_TEXT_HEADER.match(line))
    settings = {}
    for line in header:
        key, _, value = line[1:].partition(":")
        settings[key.strip().lower()] = value.strip("\r\n")
    separator = settings.get("separator", "tab").strip()
    delimiter = ANKI_SEPARATORS.get(separator.lower(), separator[:1] or "\t")
    special = {int(v) - 1 for k, v in settings.items() if k.endswith(" column") and v.strip().isdigit()}
    # `#columns:` names the columns (our own CSV/TSV export has it): take the word column by name.
    labels = next(csv.reader([settings.get("columns", "")], delimiter=delimiter), [])
    named = [label.strip().lower() for label in labels]
    column = next((named.index(name) for name in WORD_COLUMNS if name in named), None)
    words = []
    for row in csv.reader(io.StringIO(body), delimiter=delimiter):
        fields = [cell for i, cell in enumerate(row) if i not in special] if column is None else row[column:column + 1]
        if fields:
            words.append(field_text(fields[0]))
    return [w for w in words if w]


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


def _anki_words(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as package, tempfile.TemporaryDirectory() as work:
            db = Path(work) / "collection.db"
            db.write_bytes(_collection_bytes(package, path))
            return _collection_words(db, label=path)
    except zipfile.BadZipFile:
        raise VocabError(f"{path}: not a readable Anki package (corrupt or not .apkg/.colpkg)") from None


def _collection_bytes(package: zipfile.ZipFile, path: Path) -> bytes:
    """The SQLite bytes of the package's collection. Anki 2.1.50+ exports write the real
    collection as zstd-compressed `collection.anki21b` beside a dummy `collection.anki2` whose
    one note says "Please update to the latest Anki version", so the newest format goes first."""
    names = package.namelist()
    if MODERN_COLLECTION in names:
        import zstandard

        # Anki streams the frame without a content size, which one-shot decompress() rejects.
        try:
            with zstandard.ZstdDecompressor().stream_reader(package.read(MODERN_COLLECTION)) as reader:
                return reader.read()
        except zstandard.ZstdError:
            raise VocabError(f"{path}: the Anki collection inside is corrupt; export it again") from None
    name = next((n for n in COLLECTION_NAMES if n in names), None)
    if name is None:
        raise VocabError(f"{path}: no Anki collection inside (is it an .apkg or .colpkg?)")
    return package.read(name)


def _collection_words(db: Path, label: Path | None = None) -> list[str]:
    """The word of every note in an Anki collection file, in note-creation order."""
    try:
        connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            fields = _word_fields(connection)
            rows = connection.execute("SELECT mid, flds FROM notes ORDER BY id").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise VocabError(f"{label or db}: not a readable Anki collection (corrupt, or not an Anki file)") from None
    return _unique(field_text(_nth_field(flds, fields.get(mid, 0))) for mid, flds in rows)


def _word_fields(connection: sqlite3.Connection) -> dict[int, int]:
    """Note type id → index of its word field: the first named like WORD_COLUMNS, else 0.

    Schema 18 (Anki 2.1.28+) has a `fields` table; older collections, genanki's included, keep
    note types as JSON in `col.models`."""
    names: dict[int, list[tuple[int, str]]] = {}
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "fields" in tables:
        for ntid, ord_, name in connection.execute("SELECT ntid, ord, name FROM fields"):
            names.setdefault(ntid, []).append((ord_, name))
    else:
        (models,) = connection.execute("SELECT models FROM col").fetchone() or ("{}",)
        for ntid, model in (json.loads(models or "{}") or {}).items():
            names[int(ntid)] = [(f.get("ord", i), f.get("name", "")) for i, f in enumerate(model.get("flds", []))]
    chosen = {}
    for ntid, fields in names.items():
        by_name = {name.strip().lower(): ord_ for ord_, name in fields}
        chosen[ntid] = next((by_name[c] for c in WORD_COLUMNS if c in by_name), 0)
    return chosen


def _nth_field(flds: str, index: int) -> str:
    parts = flds.split("\x1f")
    return parts[index] if index < len(parts) else parts[0]


def save_known(words: Iterable[str]) -> tuple[Path, int]:
    """Add `words` to the default list; return its path and how many were new."""
    path = known_path()
    current = default_known()
    saved = set(current)
    new = [w for w in _unique(words) if w not in saved]
    if new:
        _write_list(current + new)
    return path, len(new)


def remove_known(words: Iterable[str]) -> tuple[Path, int]:
    """Remove `words` from the default list; return its path and how many were removed."""
    path = known_path()
    current = default_known()
    dropped = set(_unique(words))
    kept = [w for w in current if w not in dropped]
    if len(kept) != len(current):
        _write_list(kept)
    return path, len(current) - len(kept)


def _write_list(words: list[str]) -> None:
    from vocab.export import write_text

    path = known_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text("".join(f"{w}\n" for w in words), path)
