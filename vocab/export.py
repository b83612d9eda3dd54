"""Write outputs atomically: the .apkg deck and CSV/TSV/JSON/Markdown lists of the terms.

Every file is written to a temporary file in the same folder and renamed into place, so a reader
(or a crash) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vocab.articles import VOCAB_OUTPUT_MARK
from vocab.errors import VocabError
from vocab.glossary import Term

if TYPE_CHECKING:
    import genanki

FORMATS = ("csv", "tsv", "json", "md")
APKG_COMPRESSION = 1  # zlib level: 600 KB for the sample deck in a third of level 6's time (460 KB)
TABLE_COLUMNS = ("word", "reading", "kind", "jlpt", "zipf", "count", "score", "meaning", "sentence", "source")


def build_timestamp() -> float:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds. Anki updates an existing note only
    from a newer package, so real runs must use the current time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return float(epoch) if epoch and epoch.isdigit() else time.time()


def check_output(out: Path, *, example: str = "vocab.apkg") -> None:
    """Raise VocabError unless a file can be written at `out`: it is not a folder, and its folder
    exists and takes new files (probed with a real temporary file: permissions, read-only disks).
    Called before the work starts, so a bad output path fails at once, not after the build.
    `example` is the file name suggested when `out` is a folder."""
    _temporary_beside(out, example).unlink()


def _temporary_beside(out: Path, example: str = "vocab.apkg") -> Path:
    """A new empty temporary file in `out`'s folder, hidden and named after `out`."""
    if out.is_dir():
        raise VocabError(f"{out}: is a folder; give a file name such as {out / example}")
    if out.parent.exists() and not out.parent.is_dir():
        raise VocabError(f"{out}: {out.parent} is a file, not a folder; choose another output path")
    if not out.parent.is_dir():
        raise VocabError(f"{out}: folder {out.parent} does not exist; create it or choose another output path")
    try:
        fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise VocabError(f"{out}: cannot write here ({exc.strerror}); choose another output path") from None
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside `out`; on success rename it to `out`, else remove it.

    Whatever stops the write (an error, a full disk, Ctrl-C), `out` keeps its old content and
    no temporary file is left behind."""
    tmp = _temporary_beside(out)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a deck is not a secret
        os.replace(tmp, out)
    except OSError as exc:
        raise VocabError(f"{out}: cannot write ({exc.strerror}); choose another output path") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_text(text: str, out: Path) -> None:
    """Write `text` (UTF-8) to `out` atomically."""
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_apkg(deck: genanki.Deck, out: Path, *, timestamp: float) -> None:
    """Write `deck` as an Anki package, atomically and byte-for-byte reproducibly for a given
    `timestamp` (genanki's own writer stamps the zip entry with the file's mtime)."""
    import genanki

    # The collection is built in memory: it only exists to be zipped.
    connection = sqlite3.connect(":memory:")
    try:
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    stamp = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w") as package:
        # A ZipInfo carries its own compression (stored by default), not the archive's.
        package.writestr(zipfile.ZipInfo("collection.anki2", stamp), collection,
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=APKG_COMPRESSION)
        package.writestr(zipfile.ZipInfo("media", stamp), "{}", compress_type=zipfile.ZIP_DEFLATED)


def term_record(term: Term, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A term as plain data: the JSON export's objects."""
    titles = titles or {}
    return {
        "word": term.word,
        "reading": term.reading,
        "meanings": list(term.meanings) if term.meanings else [term.parts_gloss],
        "kind": term.kind,
        "jlpt": term.jlpt,
        "zipf": term.zipf,
        "count": term.count,
        "score": term.score,
        "pos": list(term.pos),
        "parts": list(term.parts) if term.kind == "compound" else [],
        "parts_gloss": term.parts_gloss,
        "accent": term.accent,
        "examples": [
            {"sentence": o.sentence.text, "source": o.sentence.source,
             "title": titles.get(o.sentence.source, o.sentence.source), "start": o.start, "end": o.end}
            for o in term.examples
        ],
        "sources": list(term.sources),
    }


def _row(term: Term) -> list[str]:
    first = term.examples[0]
    return [term.word, term.reading, term.kind, term.jlpt or "", f"{term.zipf:.2f}", str(term.count),
            f"{term.score:.2f}", term.meaning, first.sentence.text, first.sentence.source]


def render(terms: Sequence[Term], fmt: str, titles: Mapping[str, str] | None = None) -> str:
    """The terms as csv, tsv, json or md text (UTF-8, one term a row, best first).

    CSV and TSV open with the file headers of Anki's text importer (Anki 2.1.55+), so File >
    Import takes them as they are: `#separator:Comma` (without it Anki guesses semicolon from the
    meanings' "; "), `#html:false`, and `#columns:word,reading,…` naming the columns instead of
    a header row (which Anki would import as a note). Other readers skip the `#` lines."""
    if fmt == "json":
        return json.dumps([term_record(t, titles) for t in terms], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        buffer.write(f"#separator:{'Comma' if fmt == 'csv' else 'Tab'}\n#html:false\n#columns:")
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(TABLE_COLUMNS)
        writer.writerows(_row(t) for t in terms)
        return buffer.getvalue()
    if fmt == "md":
        lines = [VOCAB_OUTPUT_MARK, "| # | word | reading | meaning | JLPT | count |", "|---|---|---|---|---|---|"]
        lines += [f"| {i} | {t.word} | {t.reading} | {_md_cell(t.meaning)} | {t.jlpt or '–'} | {t.count} |"
                  for i, t in enumerate(terms, start=1)]
        return "\n".join(lines) + "\n"
    raise VocabError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
