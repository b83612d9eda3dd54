"""The preview page renders cards exactly as Anki does."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from anki_helpers import import_apkg, notes_by_word, rendered
from vocab.output.preview import preview_page, render_card, render_template
from vocab.pipeline import cards_of


def test_sections_follow_field_emptiness() -> None:
    template = "{{#A}}a={{A}}{{/A}}{{^B}}no b{{/B}}"
    assert render_template(template, {"A": "1", "B": ""}) == "a=1no b"
    assert render_template(template, {"A": "", "B": "x"}) == ""


def test_render_matches_real_anki(sample_deck: Path, sample_vocabulary, tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, sample_deck)
        notes = notes_by_word(col)
        for card in cards_of(sample_vocabulary)[:25]:
            assert render_card(card) == rendered(notes[card.word].cards()[0])
    finally:
        col.close()


def test_page_holds_every_card(sample_vocabulary) -> None:
    cards = cards_of(sample_vocabulary)[:5]
    page = preview_page(cards)
    assert page.count('<section class="preview">') == 5 and "<style>" in page


def test_preview_page_has_a_heading_naming_the_articles(sample_vocabulary) -> None:
    from vocab.pipeline import cards_of

    page = preview_page(cards_of(sample_vocabulary)[:3], titles=["中露はベネズエラ、キューバと協力維持で合意"])
    assert "<h1>vocab preview: the first 3 cards</h1>" in page
    assert "<li>中露はベネズエラ、キューバと協力維持で合意</li>" in page and "padding: 1em 1.5em" in page
