"""Known words: every file a learner has (lists, CSV/TSV, Anki exports of every age), the saved
list behind `vocab known`, and the promise that known words never reach the deck.

Anki files are made by the real `anki` package (26.9.3 when written): modern exports hold a
zstd-compressed `collection.anki21b` beside a dummy `collection.anki2`, legacy ones a plain
`collection.anki21`, genanki decks only `collection.anki2`.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions
from anki.decks import DeckId
from typer.testing import CliRunner

from anki_helpers import import_apkg, notes_by_word
from conftest import ARTICLES
from vocab.cli import app
from vocab.errors import VocabError
from vocab.learner.known import default_known, known_from_text, known_path, read_known, remove_known, save_known

runner = CliRunner()

# (front field as typed in Anki, the word it stands for)
ANKI_FRONTS = [
    ("外相", "外相"),
    ("<b>会談</b>", "会談"),              # formatting
    ("首脳[しゅのう]", "首脳"),           # Anki's furigana syntax
    ("<ruby>情勢<rt>じょうせい</rt></ruby>", "情勢"),
    ("&nbsp;強化&nbsp;", "強化"),
]
ANKI_WORDS = [word for _, word in ANKI_FRONTS]

WORD_LISTS = [
    ("外相\n会談\n", ["外相", "会談"]),
    ("# my words\n外相  # learned in May\n\n会談\n", ["外相", "会談"]),
    ("外相\tがいしょう\tforeign minister\n", ["外相"]),   # a pasted table: first column
    ("外相\n外相\n", ["外相"]),                            # repeats once
    ("外相\r\n会談\r\n", ["外相", "会談"]),                # Windows line ends
    ("# politics: week 3\n外相\n", ["外相"]),                  # a comment, not an Anki header
]


@pytest.mark.parametrize(("text", "expected"), WORD_LISTS)
def test_word_lists(text: str, expected: list[str]) -> None:
    assert known_from_text(text) == expected


def test_nfd_input_matches_nfc_articles() -> None:
    import unicodedata

    assert known_from_text(unicodedata.normalize("NFD", "ガイド\n")) == ["ガイド"]


TABLES = [
    (".csv", "word,reading\n外相,がいしょう\n会談,かいだん\n", ["外相", "会談"]),
    (".csv", "reading,Expression\nがいしょう,外相\n", ["外相"]),        # column found by name
    (".csv", "外相,がいしょう\n会談,かいだん\n", ["外相", "会談"]),        # no header: first column
    (".tsv", "単語\t意味\n外相\tforeign minister\n", ["外相"]),
    (".csv", 'word,meaning\n外相,"minister, foreign"\n', ["外相"]),
    (".csv", "#separator:Comma\n#html:false\n#columns:reading,word\nかいだん,会談\n", ["会談"]),  # Anki headers
    (".txt", "#separator:Tab\n#columns:word\treading\n会談\tかいだん\n", ["会談"]),     # any suffix
]


@pytest.mark.parametrize(("suffix", "text", "expected"), TABLES)
def test_csv_and_tsv(tmp_path: Path, suffix: str, text: str, expected: list[str]) -> None:
    path = tmp_path / f"known{suffix}"
    path.write_text(text, encoding="utf-8")
    assert read_known(path) == expected


def test_our_own_tsv_export_reads_back(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(ARTICLES), "--format", "tsv", "--limit", "20"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "vocab.tsv"
    path.write_text(result.stdout, encoding="utf-8")
    words = json.loads(runner.invoke(app, ["extract", str(ARTICLES), "-f", "json", "--limit", "20"]).stdout)
    assert read_known(path) == list(dict.fromkeys(t["word"] for t in words))


# ── Real Anki files ─────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def anki_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A real collection with Basic notes and a note type whose word field is not the first,
    exported every way Anki can."""
    folder = tmp_path_factory.mktemp("anki-exports")
    col = Collection(str(folder / "collection.anki2"))
    basic = col.models.by_name("Basic")
    for front, _ in ANKI_FRONTS:
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, "meaning"
        col.add_note(note, DeckId(1))
    # A shared Japanese deck often puts the reading first; the word is found by field name.
    japanese = col.models.copy(basic)
    japanese["name"] = "Japanese"
    col.models.rename_field(japanese, japanese["flds"][0], "Reading")
    col.models.rename_field(japanese, japanese["flds"][1], "Expression")
    col.models.update_dict(japanese)
    note = col.new_note(col.models.by_name("Japanese"))
    note["Reading"], note["Expression"] = "れんけい", "連携"
    col.add_note(note, DeckId(1))

    paths = {}
    for name, legacy in (("modern.apkg", False), ("legacy.apkg", True)):
        options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                           with_media=False, legacy=legacy)
        col.export_anki_package(out_path=str(folder / name), options=options, limit=None)
        paths[name] = folder / name
    col.export_note_csv(out_path=str(folder / "notes.txt"), limit=DeckIdLimit(DeckId(1)), with_html=True,
                        with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
    paths["notes.txt"] = folder / "notes.txt"
    col.close()
    paths["collection.anki2"] = folder / "collection.anki2"
    # Exporting a whole collection closes it; each export needs its own copy.
    for name, legacy in (("modern.colpkg", False), ("legacy.colpkg", True)):
        col = Collection(str(folder / "collection.anki2"))
        col.export_collection_package(str(folder / name), include_media=False, legacy=legacy)
        paths[name] = folder / name
    return paths


def test_modern_export_hides_its_notes_behind_a_dummy(anki_exports: dict[str, Path]) -> None:
    # Why known.py reads collection.anki21b first: the plain collection.anki2 is a decoy.
    names = zipfile.ZipFile(anki_exports["modern.apkg"]).namelist()
    assert "collection.anki21b" in names and "collection.anki2" in names


@pytest.mark.parametrize("name", ["modern.apkg", "legacy.apkg", "modern.colpkg", "legacy.colpkg",
                                  "collection.anki2"])
def test_every_anki_package_gives_its_words(anki_exports: dict[str, Path], name: str) -> None:
    assert read_known(anki_exports[name]) == [*ANKI_WORDS, "連携"]


def test_anki_text_export(anki_exports: dict[str, Path]) -> None:
    # Anki's "Notes in Plain Text": #separator/#guid/#notetype headers, quoted fields; the
    # first note field of the Japanese note type is its reading, as exported.
    assert read_known(anki_exports["notes.txt"]) == [*ANKI_WORDS, "れんけい"]


def test_our_genanki_deck_is_a_known_words_file(sample_deck: Path, sample_vocabulary) -> None:
    # Notes come back in the order they were added: the deck's rank order.
    assert read_known(sample_deck) == list(dict.fromkeys(t.word for t in sample_vocabulary.terms))


def test_our_deck_through_anki_and_back(sample_deck: Path, sample_vocabulary, tmp_path: Path) -> None:
    """A learner imports our deck, studies, and exports it from Anki: the words survive."""
    col = Collection(str(tmp_path / "collection.anki2"))
    import_apkg(col, sample_deck)
    out = tmp_path / "studied.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(out), options=options, limit=None)
    col.close()
    assert set(read_known(out)) == {t.word for t in sample_vocabulary.terms}


BAD_FILES = [
    ("broken.apkg", b"not a zip", "not a readable Anki package"),
    ("empty.apkg", b"PK\x05\x06" + bytes(18), "no Anki collection inside"),
    ("latin1.txt", "café\n".encode("latin-1"), "not UTF-8 text"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_unreadable_files_say_why(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(VocabError, match=message):
        read_known(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VocabError, match="no such known-words file"):
        read_known(tmp_path / "nope.txt")


# ── The saved list ──────────────────────────────────────────────────────────────────────────

def test_saved_list_lives_in_the_isolated_data_folder() -> None:
    assert "user-data" in str(known_path())
    assert default_known() == []


def test_save_and_remove() -> None:
    assert save_known(["外相", "会談", "外相"])[1] == 2
    assert save_known(["会談", "首脳"])[1] == 1
    assert default_known() == ["外相", "会談", "首脳"]
    assert remove_known(["会談", "存在しない"])[1] == 1
    assert default_known() == ["外相", "首脳"]


def test_cli_add_list_remove_path() -> None:
    assert runner.invoke(app, ["known", "add", "外相", "会談"]).exit_code == 0
    listed = runner.invoke(app, ["known", "list"])
    assert listed.exit_code == 0 and listed.stdout == "外相\n会談\n"
    removed = runner.invoke(app, ["known", "remove", "外相"])
    assert removed.exit_code == 0
    assert runner.invoke(app, ["known", "list"]).stdout == "会談\n"
    path = runner.invoke(app, ["known", "path"]).stdout.strip()
    assert Path(path) == known_path() and Path(path).read_text(encoding="utf-8") == "会談\n"


def test_cli_import_a_whole_deck_and_stdin(anki_exports: dict[str, Path]) -> None:
    result = runner.invoke(app, ["known", "import", str(anki_exports["modern.apkg"])])
    assert result.exit_code == 0, result.output
    assert "6 new of 6 words" in result.stderr
    result = runner.invoke(app, ["known", "import", "-"], input="外相\n深化\n")
    assert result.exit_code == 0 and "1 new of 2 words" in result.stderr
    assert default_known() == [*ANKI_WORDS, "連携", "深化"]


def test_cli_quiet_and_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--quiet", "known", "add", "外相"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    bad = tmp_path / "broken.apkg"
    bad.write_bytes(b"junk")
    result = runner.invoke(app, ["known", "import", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a readable Anki package" in result.stderr


# ── Known words never reach the deck (the acceptance test) ───────────────────────────

@pytest.fixture(scope="module")
def fifty_words(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    # An explicit empty list: module fixtures start before the per-test data folder is set.
    nothing = tmp_path_factory.mktemp("known") / "none.txt"
    nothing.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(ARTICLES), "--format", "json", "--known", str(nothing)])
    assert result.exit_code == 0, result.output
    words = list(dict.fromkeys(t["word"] for t in json.loads(result.stdout)))
    # Spread over the ranking, not only the top: 50 words from every few places.
    return words[:: max(1, len(words) // 50)][:50]


def _deck_words(apkg: Path) -> set[str]:
    """The Word of every note that the real Anki importer takes from `apkg`."""
    col = Collection(str(apkg.with_suffix(".anki2")))
    try:
        import_apkg(col, apkg)
        return set(notes_by_word(col))
    finally:
        col.close()


def test_fifty_known_words_leave_the_deck(fifty_words: list[str], tmp_path: Path) -> None:
    assert len(fifty_words) == 50
    before = tmp_path / "before.apkg"
    assert runner.invoke(app, ["build", str(ARTICLES), "-o", str(before)]).exit_code == 0
    words_before = _deck_words(before)
    assert set(fifty_words) <= words_before

    assert runner.invoke(app, ["known", "add", *fifty_words]).exit_code == 0
    after = tmp_path / "after.apkg"
    result = runner.invoke(app, ["build", str(ARTICLES), "-o", str(after)])
    assert result.exit_code == 0, result.output
    words_after = _deck_words(after)
    assert not set(fifty_words) & words_after
    assert words_after == words_before - set(fifty_words)


def test_known_file_option_works_the_same(fifty_words: list[str], tmp_path: Path) -> None:
    known = tmp_path / "known.txt"
    known.write_text("\n".join(fifty_words) + "\n", encoding="utf-8")
    out = tmp_path / "deck.apkg"
    result = runner.invoke(app, ["build", str(ARTICLES), "-o", str(out), "--known", str(known)])
    assert result.exit_code == 0, result.output
    assert not set(fifty_words) & _deck_words(out)
    extracted = runner.invoke(app, ["extract", str(ARTICLES), "-f", "json", "--known", str(known)])
    assert not set(fifty_words) & {t["word"] for t in json.loads(extracted.stdout)}


def test_a_previous_deck_marks_all_its_words_known(sample_deck: Path, tmp_path: Path) -> None:
    """Mark a whole previous deck known: a rebuild from the same articles has nothing left."""
    result = runner.invoke(app, ["extract", str(ARTICLES), "-f", "json", "--known", str(sample_deck)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
