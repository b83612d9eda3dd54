"""The learner's known words: read from word lists, CSV/TSV or Anki packages; a saved default list.

Known words never reach the deck. The default list lives in the user's data folder
(platformdirs), one word a line, so `vocab known add` persists across runs.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from vocab.errors import VocabError

WORD_COLUMNS = ("word", "expression", "front", "vocab", "kanji", "単語", "語")
ANKI_SUFFIXES = (".apkg", ".colpkg")
COLLECTION_NAMES = ("collection.anki21", "collection.anki2")


def known_path() -> Path:
    """The default known-words file in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("vocab", appauthor=False) / "known.txt"


def default_known() -> list[str]:
    """The saved known words ([] if none saved yet)."""
    path = known_path()
    return read_word_list(path.read_text(encoding="utf-8")) if path.exists() else []


def read_known(path: Path) -> list[str]:
    """Known words from a word list (one a line, # comments), a CSV/TSV with a word column, or
    an Anki .apkg/.colpkg (the first field of every note)."""
    if not path.exists():
        raise VocabError(f"{path}: no such known-words file")
    if path.suffix.lower() in ANKI_SUFFIXES:
        return _anki_words(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VocabError(f"{path}: known-words file is not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:
        raise VocabError(f"{path}: cannot read known-words file ({exc.strerror})") from None
    if path.suffix.lower() in (".csv", ".tsv"):
        return _table_words(text, "\t" if path.suffix.lower() == ".tsv" else ",", path)
    return read_word_list(text)


def read_word_list(text: str) -> list[str]:
    """Words from a plain list: one a line; blank lines and # comments ignored."""
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [w for w in words if w]


def _table_words(text: str, delimiter: str, path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(name) for name in WORD_COLUMNS if name in header), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    return [row[column].strip() for row in body if len(row) > column and row[column].strip()]


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
            name = next((n for n in COLLECTION_NAMES if n in package.namelist()), None)
            if name is None:
                raise VocabError(f"{path}: no Anki collection inside (is it an .apkg or .colpkg?)")
            db = Path(work) / "collection.db"
            db.write_bytes(package.read(name))
            connection = sqlite3.connect(db)
            try:
                rows = connection.execute("SELECT flds FROM notes ORDER BY id").fetchall()
            finally:
                connection.close()
    except (zipfile.BadZipFile, sqlite3.DatabaseError):
        raise VocabError(f"{path}: not a readable Anki package (corrupt or not .apkg/.colpkg)") from None
    words = (field_text(flds.split("\x1f", 1)[0]) for (flds,) in rows)
    return [w for w in words if w]


def save_known(words: Iterable[str]) -> tuple[Path, int]:
    """Add `words` to the default list; return its path and how many were new."""
    path = known_path()
    current = default_known()
    new = [w for w in dict.fromkeys(w.strip() for w in words) if w and w not in set(current)]
    if new:
        from vocab.export import write_text

        path.parent.mkdir(parents=True, exist_ok=True)
        write_text("\n".join(current + new) + "\n", path)
    return path, len(new)
