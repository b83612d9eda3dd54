"""The real Anki importer, for tests: import .apkg files into a fresh collection and read it back."""

from __future__ import annotations

import re
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions

STYLE = re.compile(r"<style>.*?</style>", re.S)


def import_apkg(col: Collection, apkg: Path):
    """Import `apkg` as the Anki desktop app would by default (update notes if newer)."""
    request = ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def notes_by_word(col: Collection) -> dict[str, "anki.notes.Note"]:  # noqa: F821
    """Every note in the collection, keyed by its Word field."""
    return {note["Word"]: note for note in (col.get_note(nid) for nid in col.find_notes(""))}


def rendered(card) -> tuple[str, str]:
    """(question, answer) HTML as Anki renders them, without the stylesheet."""
    return STYLE.sub("", card.question()), STYLE.sub("", card.answer())
