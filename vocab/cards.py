"""Card fields as HTML: furigana, pitch accent, kanji breakdown and highlighted sentences."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from vocab import dictionary, jlpt
from vocab.candidates import Occurrence
from vocab.glossary import Term
from vocab.kana import furigana_pairs, has_kanji, hiragana, is_katakana, morae
from vocab.sentences import Sentence
from vocab.tokens import Token

FIELDS = (
    "Word", "Reading", "Furigana", "Pitch", "PitchNumber", "Meaning", "PartOfSpeech",
    "Sentence", "SentenceFurigana", "Examples", "Source", "Kanji", "JLPT", "Frequency", "Kind",
)
MAX_KANJI_MEANINGS = 3
TAG_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, slots=True)
class Card:
    """One note's fields (in FIELDS order, HTML) and tags."""

    word: str
    reading: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]

    def field(self, name: str) -> str:
        """The value of field `name`."""
        return self.fields[FIELDS.index(name)]


@functools.lru_cache(maxsize=65536)  # the same words recur across a deck's sentences
def ruby(text: str, reading: str) -> str:
    """`text` with its reading as <ruby> over the kanji only (取り巻く → 取<rt>と</rt>り…)."""
    out = []
    for part, rt in furigana_pairs(text, reading):
        out.append(f"<ruby>{html.escape(part)}<rt>{html.escape(rt)}</rt></ruby>" if rt else html.escape(part))
    return "".join(out)


def sentence_html(sentence: Sentence, start: int, end: int, tokens: Sequence[Token] = (),
                  *, furigana: bool = False) -> str:
    """The sentence with text[start:end] in <b>…</b>; with `furigana`, kanji tokens get <ruby>
    readings from the tagger, so they match the text (行った → 行[い]った)."""
    if not furigana or not tokens:
        return _marked(sentence.text, 0, len(sentence.text), start, end)
    return highlighted(sentence.text, furigana_segments(sentence.text, tokens), start, end)


Segment = tuple[int, int, str, bool]  # (start, end, html, has ruby)


def furigana_segments(text: str, tokens: Sequence[Token]) -> tuple[Segment, ...]:
    """The sentence cut at token boundaries, each piece as HTML (ruby over kanji tokens), so one
    sentence is rendered once however many cards highlight a word in it."""
    segments: list[Segment] = []
    position = 0
    previous: Token | None = None
    for token in tokens:
        if token.start < position:
            continue
        if position < token.start:
            segments.append((position, token.start, html.escape(text[position:token.start]), False))
        # A counter's reading depends on the number before it (30日 is さんじゅうにち, not か).
        counter = previous is not None and previous.pos[1] == "数詞" and not has_kanji(previous.surface)
        previous = token
        with_ruby = bool(has_kanji(token.surface) and token.reading and not counter)
        piece = ruby(token.surface, token.reading) if with_ruby else html.escape(token.surface)
        segments.append((token.start, token.end, piece, with_ruby))
        position = token.end
    if position < len(text):
        segments.append((position, len(text), html.escape(text[position:]), False))
    return tuple(segments)


def highlighted(text: str, segments: Sequence[Segment], start: int, end: int) -> str:
    """The segments' HTML with text[start:end] in <b>; a segment the highlight cuts through
    loses its ruby (習近平 inside the token 平氏)."""
    out = []
    for lo, hi, piece, with_ruby in segments:
        if start <= lo and hi <= end:
            out.append(f"<b>{piece}</b>")
        elif hi <= start or end <= lo:
            out.append(piece)
        else:
            out.append(_marked(text, lo, hi, start, end))
    # Adjacent highlighted pieces read better as one <b> element.
    return "".join(out).replace("</b><b>", "")


def _marked(text: str, lo: int, hi: int, start: int, end: int) -> str:
    """text[lo:hi] escaped, with the part inside [start, end) in <b>."""
    if lo >= hi:
        return ""
    a, b = max(lo, min(start, hi)), min(hi, max(end, lo))
    if a >= b:
        return html.escape(text[lo:hi])
    return html.escape(text[lo:a]) + "<b>" + html.escape(text[a:b]) + "</b>" + html.escape(text[b:hi])


def accent_number(accent: str | None) -> int | None:
    """UniDic aType "1,0" → 1 (the first, most common pattern); None if unknown."""
    if not accent:
        return None
    first = accent.split(",")[0].strip()
    return int(first) if first.isdigit() else None


def pitch_html(reading: str, accent: int | None) -> str:
    """The reading with high morae overlined and a drop mark where the pitch falls.
    Tokyo pattern: 0 heiban (low-high…, no fall), 1 atamadaka, n: high from mora 2 to n."""
    if accent is None or not reading:
        return ""
    moras = morae(reading)
    spans = []
    for index, mora in enumerate(moras, start=1):
        high = (index > 1 and (accent == 0 or index <= accent)) or (accent == 1 and index == 1)
        drop = index == accent
        classes = "pitch-high" if high else "pitch-low"
        if drop:
            classes += " pitch-drop"
        spans.append(f'<span class="{classes}">{html.escape(mora)}</span>')
    if accent == len(moras):
        spans.append('<span class="pitch-particle">&#xA0;</span>')  # odaka: the fall comes after
    return f'<span class="pitch" data-accent="{accent}">{"".join(spans)}</span>'


def kanji_html(word: str, info: Mapping[str, dictionary.KanjiInfo]) -> str:
    """One row a kanji: the character, its meanings, on/kun readings and JLPT kanji level."""
    rows = []
    for char in dict.fromkeys(ch for ch in word if has_kanji(ch)):
        kanji = info.get(char)
        if kanji is None:
            continue
        level = jlpt.kanji_level(char)
        rows.append(
            '<div class="kanji-row">'
            f'<span class="kanji-char">{html.escape(char)}</span>'
            f'<span class="kanji-meaning">{html.escape(", ".join(kanji.meanings[:MAX_KANJI_MEANINGS]))}</span>'
            f'<span class="kanji-on">{html.escape("、".join(kanji.onyomi[:3]))}</span>'
            f'<span class="kanji-kun">{html.escape("、".join(kanji.kunyomi[:3]))}</span>'
            + (f'<span class="kanji-level">{level}</span>' if level else "")
            + "</div>"
        )
    return "".join(rows)


def meaning_html(term: Term) -> str:
    """Numbered senses (best fit first) and, for a compound, its parts with their glosses."""
    parts = " · ".join(f'{html.escape(piece)} <i>{html.escape(gloss)}</i>' for piece, gloss in term.part_glosses)
    parts_html = f'<div class="parts-gloss">{parts}</div>' if parts else ""
    if not term.meanings:
        return parts_html
    items = "".join(f"<li>{html.escape('; '.join(glosses))}</li>" for glosses in term.senses)
    return f'<ol class="senses">{items}</ol>{parts_html}'


def tag(prefix: str, value: str) -> str:
    """An Anki tag (no spaces): source::000_17ad8956b995fb24."""
    return f"{prefix}::{TAG_UNSAFE.sub('_', value).strip('_') or 'none'}"


def make_cards(terms: Sequence[Term], tokens_of: Mapping[Sentence, Sequence[Token]],
               titles: Mapping[str, str]) -> list[Card]:
    """A Card for each term, in order. `tokens_of` gives each sentence's tokens (for furigana),
    `titles` each article name's title (for the Source field)."""
    info = dictionary.kanji_info(ch for term in terms for ch in term.word)
    segments: dict[Sentence, tuple[Segment, ...]] = {}

    def with_furigana(o: Occurrence) -> str:
        if o.sentence not in segments:
            segments[o.sentence] = furigana_segments(o.sentence.text, tokens_of.get(o.sentence, ()))
        return highlighted(o.sentence.text, segments[o.sentence], o.start, o.end)

    return [_card(term, with_furigana, titles, info) for term in terms]


def _card(term: Term, with_furigana: Callable[[Occurrence], str], titles: Mapping[str, str],
          info: Mapping[str, dictionary.KanjiInfo]) -> Card:
    first = term.examples[0]
    reading = term.reading if not is_katakana(term.word) else term.word
    accent = accent_number(term.accent)
    # An inflected form (交わし in 交わした) gets its dictionary form beside the sentence, so the
    # learner sees how the highlighted text relates to the card's word.
    surface = first.sentence.text[first.start:first.end]
    hint = f' <span class="dictionary-form">→ {html.escape(term.word)}</span>' if surface != term.word else ""
    fields = {
        "Word": html.escape(term.word),
        "Reading": html.escape(reading),
        "Furigana": ruby(term.word, reading) if has_kanji(term.word) else html.escape(term.word),
        "Pitch": pitch_html(hiragana(reading) if not is_katakana(term.word) else reading, accent),
        "PitchNumber": "" if accent is None else str(accent),
        "Meaning": meaning_html(term),
        "PartOfSpeech": html.escape(", ".join(term.pos)) if term.pos else term.kind,
        "Sentence": sentence_html(first.sentence, first.start, first.end) + hint,
        "SentenceFurigana": with_furigana(first) + hint,
        "Examples": _examples_html(term.examples[1:], with_furigana, titles),
        "Source": html.escape(titles.get(first.sentence.source, first.sentence.source)),
        "Kanji": kanji_html(term.word, info),
        "JLPT": term.jlpt or "",
        "Frequency": f"{term.zipf:.1f}",
        "Kind": term.kind,
    }
    tags = (tag("jlpt", term.jlpt or "none"), tag("kind", term.kind),
            *(tag("source", _stem(source)) for source in term.sources))
    return Card(term.word, term.reading, tuple(fields[name] for name in FIELDS), tags)


def _examples_html(examples: Sequence[Occurrence], with_furigana: Callable[[Occurrence], str],
                   titles: Mapping[str, str]) -> str:
    return "".join(
        '<div class="example">'
        f'<div class="example-text">{with_furigana(o)}</div>'
        f'<div class="example-source">{html.escape(titles.get(o.sentence.source, o.sentence.source))}</div>'
        "</div>"
        for o in examples
    )


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name
