"""The deck in real Anki: import, fields, rendered cards, and re-imports that never duplicate."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from anki.collection import Collection

from anki_helpers import import_apkg, notes_by_word, rendered
from conftest import ARTICLES, TIMESTAMP
from vocab.output.cards import FIELDS
from vocab.output.deck import note_guid
from vocab.pipeline import analyse, write_deck

TAG = re.compile(r"<[^>]+>")


def plain(field: str) -> str:
    """Field text without tags and without ruby readings."""
    return html.unescape(TAG.sub("", re.sub(r"<rt>.*?</rt>", "", field)))


@pytest.fixture
def collection(tmp_path: Path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture(scope="module")
def imported(sample_deck: Path, tmp_path_factory: pytest.TempPathFactory):
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    log = import_apkg(col, sample_deck)
    yield col, log
    col.close()


def test_every_note_is_imported(imported, sample_vocabulary) -> None:
    col, log = imported
    assert len(log.new) == len(sample_vocabulary.terms) >= 100
    assert len(col.find_notes("")) == len(sample_vocabulary.terms)


def test_note_type_has_the_promised_fields(imported) -> None:
    col, _ = imported
    note = next(iter(notes_by_word(col).values()))
    assert list(note.keys()) == list(FIELDS)


def test_no_note_has_an_empty_meaning(imported) -> None:
    col, _ = imported
    assert all(plain(note["Meaning"]).strip() for note in notes_by_word(col).values())


def test_the_word_is_highlighted_in_its_sentence(imported) -> None:
    col, _ = imported
    notes = list(notes_by_word(col).values())
    highlighted = [n for n in notes if re.search(r"<b>[^<]+</b>", n["Sentence"])]
    literal = [n for n in notes if plain(n["Word"]) in plain(n["Sentence"])]
    assert len(highlighted) == len(notes)
    assert len(literal) / len(notes) >= 0.95


def test_rendered_card_shows_furigana_pitch_kanji_and_highlight(imported) -> None:
    col, _ = imported
    note = notes_by_word(col)["外相"]
    question, answer = rendered(note.cards()[0])
    assert "<b>外相</b>" in question
    assert "<ruby>外相<rt>がいしょう</rt></ruby>" in answer
    assert 'class="pitch"' in answer and "[0]" in answer
    assert 'class="kanji-char">外<' in answer and 'class="kanji-char">相<' in answer
    assert "Foreign Minister" in answer
    assert "<ruby>" in note["SentenceFurigana"] and "<b>" in note["SentenceFurigana"]


def test_tags_name_level_kind_and_source(imported) -> None:
    col, _ = imported
    tags = notes_by_word(col)["外相"].tags
    assert "jlpt::N1" in tags and "kind::word" in tags
    assert any(t.startswith("source::") for t in tags)


def test_importing_twice_adds_no_notes(sample_deck: Path, collection: Collection) -> None:
    first = import_apkg(collection, sample_deck)
    second = import_apkg(collection, sample_deck)
    assert len(second.new) == 0 and len(second.updated) == 0
    assert len(second.duplicate) == len(first.new)
    assert len(collection.find_notes("")) == len(first.new)


def test_rebuilding_with_more_articles_updates_and_never_duplicates(tmp_path: Path, collection: Collection) -> None:
    four = sorted(ARTICLES.glob("*.txt"))[:4]
    small, full = tmp_path / "four.apkg", tmp_path / "five.apkg"
    write_deck(analyse(four), small, timestamp=TIMESTAMP, audio=False)
    write_deck(analyse([ARTICLES]), full, timestamp=TIMESTAMP + 60, audio=False)
    first = import_apkg(collection, small)
    before = {word: note["Source"] + note["Examples"] for word, note in notes_by_word(collection).items()}
    second = import_apkg(collection, full)
    after = notes_by_word(collection)
    assert len(after) == len(set(after)) == len(first.new) + len(second.new)
    assert len(second.new) > 0 and len(second.updated) > 0
    changed = [w for w in before if w in after and after[w]["Source"] + after[w]["Examples"] != before[w]]
    assert changed, "new articles should bring new example sentences to existing notes"
    third = import_apkg(collection, full)
    assert len(third.new) == 0 and len(collection.find_notes("")) == len(after)


def test_study_progress_survives_an_update(tmp_path: Path, collection: Collection) -> None:
    deck = tmp_path / "deck.apkg"
    write_deck(analyse([ARTICLES]), deck, timestamp=TIMESTAMP, audio=False)
    import_apkg(collection, deck)
    card = notes_by_word(collection)["外相"].cards()[0]
    card.start_timer()
    collection.sched.answerCard(card, 3)  # "Good": the card leaves the new queue
    reviewed = {c.id: (c.type, c.ivl, c.due) for c in (collection.get_card(cid) for cid in collection.find_cards(""))}
    assert collection.get_card(card.id).type != 0
    write_deck(analyse([ARTICLES]), deck, timestamp=TIMESTAMP + 60, audio=False)
    import_apkg(collection, deck)
    after = {c.id: (c.type, c.ivl, c.due) for c in (collection.get_card(cid) for cid in collection.find_cards(""))}
    assert after == reviewed


def test_guid_depends_on_word_and_reading_only() -> None:
    # Pinned: a changed GUID would make every learner's next import a new note, losing its history.
    assert note_guid("外相", "がいしょう") == "Ncrqz>Xr5N"
    assert note_guid("外相", "そとしょう") == "l+y]Ptf)Qb"


def test_fields_pass_genankis_html_check_that_the_deck_skips(sample_vocabulary) -> None:
    """Notes skip genanki's scan for unescaped HTML (a third of writing the package) because cards
    escape every text they put in a field: the scan, run here on every note, finds nothing."""
    import warnings

    import genanki

    from vocab.output.deck import build_deck
    from vocab.pipeline import cards_of

    deck = build_deck(cards_of(sample_vocabulary))
    assert len(deck.notes) == len(sample_vocabulary.terms)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for note in deck.notes:
            genanki.Note._check_invalid_html_tags_in_fields(note)


# ── The optional production card (meaning → word) ─────────────────────────────────────────────

def test_production_card_is_off_by_default(imported) -> None:
    col, _ = imported
    assert {m["name"] for m in col.models.all() if m["name"].startswith("vocab")} == {"vocab: political news word"}


def test_production_on_never_disturbs_the_recognition_cards(tmp_path: Path, collection: Collection) -> None:
    """Import, study a card, rebuild with --production, re-import: every recognition card keeps
    its id and scheduling, its note keeps its type; the production notes are added beside them."""
    from vocab.output.deck import PRODUCTION_MODEL_NAME

    vocabulary = analyse([ARTICLES])
    deck = tmp_path / "deck.apkg"
    write_deck(vocabulary, deck, timestamp=TIMESTAMP, audio=False)
    import_apkg(collection, deck)
    card = notes_by_word(collection)["外相"].cards()[0]
    card.start_timer()
    collection.sched.answerCard(card, 3)
    before = {c.id: (c.nid, c.type, c.ivl, c.due, c.note().mid)
              for c in (collection.get_card(cid) for cid in collection.find_cards(""))}
    write_deck(vocabulary, deck, timestamp=TIMESTAMP + 60, production=True, audio=False)
    log = import_apkg(collection, deck)
    assert len(log.new) == len(vocabulary.terms)  # one production note a word, nothing else new
    after = {c.id: (c.nid, c.type, c.ivl, c.due, c.note().mid)
             for c in (collection.get_card(cid) for cid in collection.find_cards(""))}
    assert {cid: after[cid] for cid in before} == before
    produce = collection.models.by_name(PRODUCTION_MODEL_NAME)
    production_notes = collection.find_notes(f"mid:{produce['id']}")
    assert len(production_notes) == len(vocabulary.terms)
    question, answer = rendered(collection.get_note(production_notes[0]).cards()[0])
    word = collection.get_note(production_notes[0])["Word"]
    assert word not in plain(question) and word in plain(answer)  # the meaning asks for the word
    # Built again without it: the recognition cards are still untouched.
    write_deck(vocabulary, deck, timestamp=TIMESTAMP + 120, audio=False)
    import_apkg(collection, deck)
    again = {c.id: (c.nid, c.type, c.ivl, c.due, c.note().mid) for c in (collection.get_card(cid) for cid in before)}
    assert again == before
