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
DECK_NAME = "Japanese political news"
TEMPLATES = Path(__file__).parent / "templates"


def template(name: str) -> str:
    """A card template or stylesheet shipped in vocab/templates/."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def model() -> genanki.Model:
    """The note type: FIELDS, one card (word + sentence → reading, pitch, meaning, kanji)."""
    import genanki

    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Recognise", "qfmt": template("front.html"), "afmt": template("back.html")}],
        css=template("style.css"),
        sort_field_index=0,
    )


def note_guid(word: str, reading: str) -> str:
    """The note's identity: the word and its reading only, so better glosses or new example
    sentences update the note on re-import instead of adding a duplicate."""
    import genanki

    return genanki.guid_for("vocab", word, reading)


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


def build_deck(cards: Sequence[Card], name: str = DECK_NAME) -> genanki.Deck:
    """A genanki deck with one note a card, in the cards' order."""
    import genanki

    deck = genanki.Deck(DECK_ID, name)
    note = escaped_note()
    for card in cards:
        deck.add_note(note(model=model(), fields=list(card.fields), tags=card.tags,
                           guid=note_guid(card.word, card.reading), sort_field=card.fields[0]))
    return deck
