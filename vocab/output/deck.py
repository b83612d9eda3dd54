"""The Anki note type and deck (genanki): fixed ids, GUIDs from the word and its reading."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vocab.output.cards import FIELDS, Card

if TYPE_CHECKING:
    import genanki

# Random numbers, generated once: changing them orphans every learner's cards.
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
MODEL_NAME = "vocab: political news word"
# The production card (meaning → word) is a note type of its own, with notes of their own: adding
# or dropping it never changes the recognition note type's schema, its notes or their scheduling.
PRODUCTION_MODEL_ID = 1_883_517_042
PRODUCTION_MODEL_NAME = "vocab: political news word (production)"
PRODUCTION_FIELDS = ("Word", "Reading", "Furigana", "Pitch", "PitchNumber", "Meaning", "PartOfSpeech",
                     "SentenceFurigana", "Cloze")
DECK_NAME = "Japanese political news"
TEMPLATES = Path(__file__).parent / "templates"


def template(name: str) -> str:
    """A card template or stylesheet shipped in vocab/templates/."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def model() -> genanki.Model:
    """The note type: FIELDS, one card (word + sentence → reading, pitch, meaning, kanji)."""
    return _note_type(MODEL_ID, MODEL_NAME, FIELDS, "Recognise", "front.html", "back.html")


@functools.cache
def production_model() -> genanki.Model:
    """The production note type: meaning (and the sentence with a blank) → the word."""
    return _note_type(PRODUCTION_MODEL_ID, PRODUCTION_MODEL_NAME, PRODUCTION_FIELDS, "Produce",
                      "produce_front.html", "produce_back.html")


def _note_type(model_id: int, name: str, fields: Sequence[str], card: str, front: str, back: str) -> genanki.Model:
    import genanki

    return genanki.Model(model_id, name, fields=[{"name": field} for field in fields],
                         templates=[{"name": card, "qfmt": template(front), "afmt": template(back)}],
                         css=template("style.css"), sort_field_index=0)


def note_guid(word: str, reading: str) -> str:
    """The note's identity: the word and its reading only, so better glosses or new example
    sentences update the note on re-import instead of adding a duplicate."""
    import genanki

    return genanki.guid_for("vocab", word, reading)


def production_guid(word: str, reading: str) -> str:
    """The production note's identity: distinct from every recognition note's."""
    import genanki

    return genanki.guid_for("vocab-production", word, reading)


def production_fields(card: Card) -> list[str]:
    """The production note's fields, taken from the card's."""
    values = {**dict(zip(FIELDS, card.fields)), "Cloze": card.cloze}
    return [values[name] for name in PRODUCTION_FIELDS]


@functools.cache
def escaped_note() -> type[genanki.Note]:
    """genanki.Note for fields that are already valid HTML, as every card's fields are."""
    import genanki

    class EscapedNote(genanki.Note):
        """A note that skips genanki's scan of its fields for unescaped HTML when it is written.

        cards.py escapes every piece of text it puts in a field and adds only well-formed tags, so
        the scan cannot find anything; its regex backtracks over every tag of every field, which
        took a third of writing the package. The note is written exactly as before.
        """

        def _check_invalid_html_tags_in_fields(self) -> None:
            pass

    return EscapedNote


def build_deck(cards: Sequence[Card], name: str = DECK_NAME, *, production: bool = False) -> genanki.Deck:
    """A genanki deck with one note a card, in the cards' order; with `production`, also a
    production note a card (after all of them, so new recognition cards come first)."""
    import genanki

    deck = genanki.Deck(DECK_ID, name)
    note = escaped_note()
    for card in cards:
        deck.add_note(note(model=model(), fields=list(card.fields), tags=card.tags,
                           guid=note_guid(card.word, card.reading), sort_field=card.fields[0]))
    if production:
        for card in cards:
            deck.add_note(note(model=production_model(), fields=production_fields(card), tags=card.tags,
                               guid=production_guid(card.word, card.reading), sort_field=card.fields[0]))
    return deck
