"""Write outputs atomically: the .apkg deck and CSV/TSV/JSON/Markdown lists of the terms.

Every file is written to a temporary file in the same folder and renamed into place, so a reader
(or a crash) sees the old file or the new one, never half of one; the files of one run (a deck and
its exports) are replaced all together or not at all (Outputs).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vocab.errors import VocabError
from vocab.leftovers import remove_leftovers
from vocab.reading.articles import VOCAB_OUTPUT_MARK
from vocab.terms.glossary import Term

if TYPE_CHECKING:
    import genanki

FORMATS = ("csv", "tsv", "json", "md")
APKG_COMPRESSION = 1  # zlib level: 600 KB for the sample deck in a third of level 6's time (460 KB)
FORMULA_STARTS = frozenset("=+-@\t\r")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
TABLE_COLUMNS = ("word", "reading", "kind", "jlpt", "zipf", "count", "score", "meaning", "sentence", "source")


def build_timestamp() -> float:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds. Anki updates an existing note only
    from a newer package, so real runs must use the current time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return float(epoch) if epoch and epoch.isdigit() else time.time()


def check_output(out: Path, *, example: str = "vocab.apkg") -> None:
    """Raise VocabError unless a file can be written at `out`: it is not a folder, and its folder
    (its target's folder if it is a symlink) exists and takes new files (probed with a real
    temporary file: permissions, read-only disks). Called before the work starts, so a bad output
    path fails at once, not after the build. `example` is the file name suggested when `out` is a
    folder."""
    _temporary_beside(out, example).unlink()


def destination(out: Path) -> Path:
    """Where writing `out` lands: the file a symlink points to (so the link is written through
    and kept, as `>` in a shell does), else `out` itself."""
    return Path(os.path.realpath(out)) if out.is_symlink() else out


def _temporary_beside(out: Path, example: str = "vocab.apkg") -> Path:
    """A new empty temporary file in the folder of `out`'s destination, hidden and named after it:
    the same folder, so the final rename is atomic."""
    target = destination(out)
    if target.is_dir():
        raise VocabError(f"{out}: is a folder; give a file name such as {out / example}")
    if target.parent.exists() and not target.parent.is_dir():
        raise VocabError(f"{out}: {target.parent} is a file, not a folder; choose another output path")
    if not target.parent.is_dir():
        raise VocabError(f"{out}: folder {target.parent} does not exist; create it or choose another output path")
    remove_leftovers(target.parent, target.name)  # this output's temporary files left by killed runs
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise VocabError(f"{out}: cannot write here ({exc.strerror}); choose another output path") from None
    os.close(fd)
    return Path(name)


def _cannot_write(out: Path, exc: OSError) -> VocabError:
    return VocabError(f"{out}: cannot write ({exc.strerror}); choose another output path")


@dataclass(frozen=True, slots=True)
class _Staged:
    out: Path     # the path the user named (for messages)
    target: Path  # where it lands (a symlink's target)
    tmp: Path     # the complete new content, beside `target`


class Outputs:
    """The files of one run, replaced all together or not at all.

    Each file is written to a temporary file beside its destination (`stage`); `commit` renames
    them into place only when every one is complete. If a write fails (a full disk, a folder in
    the way, permission denied on one), no destination is touched; if a rename fails half-way,
    the files already renamed are put back from hard links to their old content. Either way no
    temporary is left behind (`discard`)."""

    def __init__(self) -> None:
        self._staged: list[_Staged] = []

    @contextlib.contextmanager
    def stage(self, out: Path) -> Iterator[Path]:
        """Yield a temporary path to write `out`'s new content to; renamed into place by commit."""
        staged = _Staged(out, destination(out), _temporary_beside(out))
        self._staged.append(staged)
        try:
            yield staged.tmp
        except OSError as exc:
            raise _cannot_write(out, exc) from None

    def write_text(self, text: str, out: Path) -> None:
        """Stage `text` as `out`'s new content (UTF-8). A character UTF-8 cannot hold (a file
        name's undecodable byte, kept by Python as a lone surrogate) is written as a backslash
        escape, which JSON reads back as the same character, instead of failing the run."""
        with self.stage(out) as tmp:
            tmp.write_text(text, encoding="utf-8", errors="backslashreplace")

    def write_apkg(self, deck: genanki.Deck, out: Path, *, timestamp: float,
                   media: Mapping[str, Path] | None = None) -> None:
        """Stage `deck` as an Anki package, byte-for-byte reproducible for a given `timestamp`
        (genanki's own writer stamps the zip entry with the file's mtime), with the files of
        `media` (name in the deck → file), in name order."""
        collection = _collection_bytes(deck, timestamp)
        stamp = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
        names = sorted(media or {})
        with self.stage(out) as tmp, zipfile.ZipFile(tmp, "w") as package:
            # A ZipInfo carries its own compression (stored by default), not the archive's.
            package.writestr(zipfile.ZipInfo("collection.anki2", stamp), collection,
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=APKG_COMPRESSION)
            # Anki's package layout: entry "0", "1", … holds a file; "media" maps entries to names.
            manifest = json.dumps({str(i): name for i, name in enumerate(names)}, separators=(",", ":"))
            package.writestr(zipfile.ZipInfo("media", stamp), manifest, compress_type=zipfile.ZIP_DEFLATED)
            for i, name in enumerate(names):  # MP3 is compressed already: stored
                package.writestr(zipfile.ZipInfo(str(i), stamp), media[name].read_bytes())  # type: ignore[index]

    def commit(self) -> None:
        """Rename every staged file into place; if one rename fails, restore the ones done."""
        for staged in self._staged:
            if staged.target.is_dir():  # appeared since staging: fail before anything is replaced
                raise VocabError(f"{staged.out}: is a folder; remove it or choose another output path")
        backups: list[Path | None] = []
        done: list[tuple[_Staged, Path | None]] = []
        try:
            for staged in self._staged:
                backups.append(_backup(staged))
            for staged, backup in zip(self._staged, backups):
                try:
                    os.chmod(staged.tmp, 0o644)  # mkstemp makes it 0600; a deck is not a secret
                    os.replace(staged.tmp, staged.target)
                except OSError as exc:
                    raise _cannot_write(staged.out, exc) from None
                done.append((staged, backup))
        except BaseException:
            for staged, backup in reversed(done):
                _restore(staged.target, backup)
            raise
        finally:
            for backup in backups:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        backup.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove every temporary file still present (all of them, unless commit succeeded)."""
        for staged in self._staged:
            with contextlib.suppress(OSError):  # best effort: never hide the error being reported
                staged.tmp.unlink(missing_ok=True)


def _backup(staged: _Staged) -> Path | None:
    """A second name for the destination's old content (a hard link: no copy), beside it; None if
    there is no old file. A file system without hard links gets a copy."""
    if not staged.target.is_file():
        return None
    backup = staged.tmp.with_name(staged.tmp.name + ".old")
    try:
        try:
            os.link(staged.target, backup)
        except OSError:
            shutil.copy2(staged.target, backup)
    except OSError as exc:
        raise _cannot_write(staged.out, exc) from None
    return backup


def _restore(target: Path, backup: Path | None) -> None:
    """Put `target` back as it was before commit: its old content, or no file."""
    with contextlib.suppress(OSError):  # best effort: the error that caused it is reported
        if backup is None:
            target.unlink()
        else:
            os.replace(backup, target)


@contextlib.contextmanager
def outputs() -> Iterator[Outputs]:
    """An Outputs to stage a run's files in; they are committed when the block ends without an
    error, else none is replaced. No temporary file is left behind either way."""
    batch = Outputs()
    try:
        yield batch
        batch.commit()
    finally:
        batch.discard()


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside `out` (beside its target if it is a symlink); on success
    rename it to `out`, else remove it.

    Whatever stops the write (an error, a full disk, Ctrl-C), `out` keeps its old content and
    no temporary file is left behind."""
    with outputs() as batch, batch.stage(out) as tmp:
        yield tmp


def write_text(text: str, out: Path) -> None:
    """Write `text` (UTF-8) to `out` atomically (see Outputs.write_text)."""
    with outputs() as batch:
        batch.write_text(text, out)


def write_apkg(deck: genanki.Deck, out: Path, *, timestamp: float, media: Mapping[str, Path] | None = None) -> None:
    """Write `deck` as an Anki package, atomically (see Outputs.write_apkg)."""
    with outputs() as batch:
        batch.write_apkg(deck, out, timestamp=timestamp, media=media)


def _collection_bytes(deck: genanki.Deck, timestamp: float) -> bytes:
    """The deck's Anki collection (SQLite), built in memory: it only exists to be zipped."""
    import genanki

    connection = sqlite3.connect(":memory:")
    try:
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


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
    return [spreadsheet_safe(cell) for cell in (
        term.word, term.reading, term.kind, term.jlpt or "", f"{term.zipf:.2f}", str(term.count),
        f"{term.score:.2f}", term.meaning, first.sentence.text, first.sentence.source)]


def spreadsheet_safe(cell: str) -> str:
    """`cell` as a spreadsheet will not run it: a cell that opens with = + - @, a tab or a
    carriage return gets a leading apostrophe, as OWASP's CSV injection advice says; a plain
    number (-0.25) is left as a number."""
    if cell[:1] in FORMULA_STARTS and NUMBER.fullmatch(cell) is None:
        return "'" + cell
    return cell


def render(terms: Sequence[Term], fmt: str, titles: Mapping[str, str] | None = None) -> str:
    """The terms as csv, tsv, json or md text (UTF-8, one term a row, best first).

    CSV and TSV open with the file headers of Anki's text importer (Anki 2.1.55+), so File >
    Import takes them as they are: `#separator:Comma` (without it Anki guesses semicolon from the
    meanings' "; "), `#html:false`, and `#columns:word,reading,…` naming the columns instead of
    a header row (which Anki would import as a note). Other readers skip the `#` lines. Their
    cells are spreadsheet_safe: article text never becomes a formula."""
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
