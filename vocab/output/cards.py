"""Card fields as HTML: furigana, pitch accent, kanji breakdown and highlighted sentences."""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from vocab.learner.selection import level_of
from vocab.output.english import compound_english, frequency_words, plain_gloss, plain_pos
from vocab.output.labels import article_label
from vocab.reading.sentences import Sentence
from vocab.reading.tokens import NUMERAL, Token
from vocab.resources import dictionary, jlpt
from vocab.resources.accent import Accent, accents_beside
from vocab.resources.kana import furigana_pairs, has_kanji, hiragana, is_katakana, morae
from vocab.terms.candidates import HONORIFIC, Occurrence, name_spans
from vocab.terms.glossary import Term

FIELDS = (
    "Word", "Reading", "Furigana", "Pitch", "PitchNumber", "Meaning", "PartOfSpeech",
    "Sentence", "SentenceFurigana", "Examples", "Source", "Kanji", "JLPT", "Frequency", "Kind",
    "WordAudio", "SentenceAudio",  # [sound:…] of vocab.output.audio, or empty
)
MAX_KANJI_MEANINGS = 3
TAG_UNSAFE = re.compile(r"[^\w.-]+")
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")  # the kana furigana_pairs aligns on
Key = TypeVar("Key")
Value = TypeVar("Value")


@dataclass(frozen=True, slots=True)
class Card:
    """One note's fields (in FIELDS order, HTML) and tags."""

    word: str
    reading: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cloze: str = ""  # the first example with the word blanked, for the production card

    def field(self, name: str) -> str:
        """The value of field `name`."""
        return self.fields[FIELDS.index(name)]


def escape(text: str) -> str:
    """`text` as inert field content: html.escape(text), and Anki's own syntax neutralised: `[`
    as `&#91;` (so `[sound:x.mp3]` or `[anki:tts]` in an article is shown, not played) and `{`
    as `&#123;` (so `{{Field}}` is never read as a template). Both render as the characters.
    Most Japanese text has nothing to escape: `in` tests find that in half the time of
    html.escape's replace calls, the most frequent call in making cards."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        text = html.escape(text)
    if "[" in text or "{" in text:
        text = text.replace("[", "&#91;").replace("{", "&#123;")
    return text


@functools.lru_cache(maxsize=65536)  # the same words recur across a deck's sentences
def ruby(text: str, reading: str) -> str:
    """`text` with its reading as <ruby> over the kanji only (取り巻く → 取<rt>と</rt>り…)."""
    out = []
    for part, rt in _aligned(text, reading):
        out.append(f"<ruby>{escape(part)}<rt>{escape(rt)}</rt></ruby>" if rt else escape(part))
    return "".join(out)


def _aligned(text: str, reading: str) -> list[tuple[str, str]]:
    """furigana_pairs(text, reading). Kanji without kana (外相, 3割) leave nothing to align: the
    whole reading goes over the whole word, which is what furigana_pairs returns too (its one
    group `.+?` takes any reading without a line break), but without building and compiling a
    regex for the word (three words in four)."""
    if reading and "\n" not in reading and KANA.search(text) is None and has_kanji(text):
        return [(text, hiragana(reading))]
    return furigana_pairs(text, reading)


def sentence_html(sentence: Sentence, start: int, end: int, tokens: Sequence[Token] = (),
                  *, furigana: bool = False) -> str:
    """The sentence with text[start:end] in <b>…</b>; with `furigana`, kanji tokens get <ruby>
    readings from the tagger, so they match the text (行った → 行[い]った)."""
    if not furigana or not tokens:
        return _marked(sentence.text, 0, len(sentence.text), start, end)
    return Furigana.of(sentence.text, tokens).highlighted(start, end)


Segment = tuple[int, int, str, bool]  # (start, end, html, has ruby)


@dataclass(frozen=True)
class Reader:
    """Whom the sentence furigana is for: words of the `easy` JLPT levels or `known` to the
    learner get their reading on hover or tap only, the rest always."""

    easy: frozenset[str] = frozenset({"N5", "N4"})
    known: frozenset[str] = frozenset()
    # Names the corpus stage found whole (新華社, 上海協力機構: JMnedict forms UniDic cuts into
    # common words), read whole or not at all like the names name_spans finds in one sentence.
    names: frozenset[str] = frozenset()

    @functools.cached_property
    def name_prefixes(self) -> frozenset[str]:
        """Every prefix of every name: a token run is followed only while it can still be one."""
        return frozenset(name[:end] for name in self.names for end in range(1, len(name) + 1))

    def name_spans(self, tokens: Sequence[Token]) -> dict[int, int]:
        """first → last+1 token index of each run of tokens that spells one of `names`,
        longest first, left to right."""
        spans: dict[int, int] = {}
        i = 0
        while i < len(tokens):
            text, end, j = "", 0, i
            while j < len(tokens) and (j == i or tokens[j].start == tokens[j - 1].end):
                text += tokens[j].surface
                if text not in self.name_prefixes:
                    break
                j += 1
                if text in self.names and j - i > 1:
                    end = j
            if end:
                spans[i] = end
                i = end
            else:
                i += 1
        return spans

    def knows(self, token: Token) -> bool:
        """Whether the learner reads `token` without help."""
        return token.base in self.known or token.surface in self.known or _level(token.base) in self.easy


@functools.lru_cache(maxsize=65536)  # a few thousand distinct words a deck
def _level(word: str) -> str | None:
    return jlpt.word_level(word)


DEFAULT_READER = Reader()
JLPT_LEVELS = ("N5", "N4", "N3", "N2", "N1")


def reader_for(levels: Sequence[str], known: frozenset[str] = frozenset(),
               names: frozenset[str] = frozenset()) -> Reader:
    """The Reader of a deck built for these kept JLPT `levels`: the levels left out are the ones
    the learner has, `known` are the words they know; `names` the corpus's whole names."""
    return Reader(easy=frozenset(level for level in JLPT_LEVELS if level not in levels), known=known,
                  names=frozenset(name for name in names if has_kanji(name)))


def furigana_segments(text: str, tokens: Sequence[Token], reader: Reader = DEFAULT_READER) -> tuple[Segment, ...]:
    """The sentence cut at token boundaries, each piece as HTML (ruby over kanji tokens), so one
    sentence is rendered once however many cards highlight a word in it. A name is one piece,
    read as JMnedict reads the whole name or not at all: UniDic's pieces of a name carry the
    readings of other words (習近 + 平 read たいら). A word the `reader` knows gets its ruby
    with class "known", which the stylesheet shows on hover or tap only."""
    segments: list[Segment] = []
    position = 0
    after_number = False
    names = {i: j for i, j, _ in name_spans(tokens)}
    if reader.names:
        names = _with_whole_names(names, reader.name_spans(tokens))
    skip_to = 0
    for index, token in enumerate(tokens):
        start = token.start
        if start < position or index < skip_to:
            continue
        if index in names and has_kanji(text[start:tokens[names[index] - 1].end]):
            if position < start:
                segments.append((position, start, escape(text[position:start]), False))
            skip_to = names[index]
            position = tokens[skip_to - 1].end
            segments.extend(_name_segments(text, start, position))
            after_number = False
            continue
        if position < start:
            segments.append((position, start, escape(text[position:start]), False))
        surface = token.surface
        position = start + len(surface)
        # A counter's reading depends on the number before it (30日 is さんじゅうにち, not か).
        piece, with_ruby = token_html(surface, "" if after_number else token.reading,
                                      has_kanji(surface) and reader.knows(token))
        segments.append((start, position, piece, with_ruby))
        after_number = token.pos2 == NUMERAL and not has_kanji(surface)
    if position < len(text):
        segments.append((position, len(text), escape(text[position:]), False))
    return _overhanging(segments)


SENTENCE_RUBY_SCALE = 0.5  # a reading's characters against its base's in sentences (style.css)
MAX_OVERHANG_EM = 0.5      # one character of the reading (JIS X 4051 lets ruby overhang kana that far; the sentence pads for it)
RUBY_ELEMENT = re.compile(r"<ruby[^>]*>(?P<base>[^<]*)<rt>(?P<reading>[^<]*)</rt></ruby>")


def _overhanging(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """The segments with a word whose reading is wider than its kanji (中国 ちゅうごく) drawn
    over what stands beside it, as Japanese typesetting lets ruby overhang kana, instead of
    leaving a gap on each side of the word: a negative margin on each side, as far as the
    neighbour allows. Plain text (okurigana included: 行 of 行われる) allows one character of
    the reading; a neighbour with a reading narrower than its own kanji (務 む) the room its reading
    leaves; a wider or equal one none, so two readings never collide."""
    # Each segment's HTML cut into its ruby elements and the plain text between them.
    atoms = [[index, part, excess] for index, (_, _, piece, with_ruby) in enumerate(segments)
             for part, excess in (_ruby_parts(piece) if with_ruby else ((piece, None),)) if part]
    for k, atom in enumerate(atoms):
        wider = atom[2]
        if wider is None or wider <= 0:
            continue
        left, right = (_overhang(wider, atoms[j][2]) if 0 <= j < len(atoms) else 0.0 for j in (k - 1, k + 1))
        if left or right:
            style = f"margin:0 {-right:g}em 0 {-left:g}em".replace(" 0em", " 0").replace(" -0em", " 0")
            atom[1] = atom[1].replace("<ruby", f'<ruby style="{style}"', 1)
    pieces: dict[int, list[str]] = defaultdict(list)
    for index, part, _ in atoms:
        pieces[index].append(part)
    return tuple((lo, hi, "".join(pieces[index]), with_ruby) for index, (lo, hi, _, with_ruby) in enumerate(segments))


@functools.lru_cache(maxsize=65536)  # pieces are token_html's, which recur as words do
def _ruby_parts(piece: str) -> tuple[tuple[str, float | None], ...]:
    """The piece's ruby elements and the plain text between them, each with how much wider (in em
    of the base) its reading is than its kanji in a sentence; None for plain text."""
    parts: list[tuple[str, float | None]] = []
    position = 0
    for match in RUBY_ELEMENT.finditer(piece):
        parts.append((piece[position:match.start()], None))
        wider = len(html.unescape(match["reading"])) * SENTENCE_RUBY_SCALE - len(html.unescape(match["base"]))
        parts.append((match.group(), wider))
        position = match.end()
    parts.append((piece[position:], None))
    return tuple(parts)


def _overhang(wider: float, neighbour: float | None) -> float:
    room = MAX_OVERHANG_EM if neighbour is None else max(0.0, -neighbour / 2)
    return min(wider / 2, room)


def _with_whole_names(spans: dict[int, int], whole: Mapping[int, int]) -> dict[int, int]:
    """`spans` with each `whole` name span added where it covers the spans it overlaps (アメリカ of
    アメリカ合衆国 gives way to the whole name); one that cuts across a span is left out."""
    merged = dict(spans)
    for i, j in whole.items():
        overlapping = [a for a, b in merged.items() if a < j and i < b]
        if all(i <= a and merged[a] <= j for a in overlapping):
            for a in overlapping:
                del merged[a]
            merged[i] = j
    return dict(sorted(merged.items()))


def _name_segments(text: str, start: int, end: int) -> list[Segment]:
    """A name as segments: the name with JMnedict's reading as ruby (none if JMnedict lacks it),
    then an honorific UniDic joined to its last piece (平氏) as plain text."""
    name = text[start:end]
    honorific = name.endswith(HONORIFIC) and len(name) > 1
    if honorific:
        name, end = name[:-1], end - 1
    reading = name_reading(name)
    piece = ruby(name, reading) if reading else escape(name)
    segments: list[Segment] = [(start, end, piece, bool(reading))]
    if honorific:
        segments.append((end, end + 1, escape(HONORIFIC), False))
    return segments


@functools.lru_cache(maxsize=4096)
def name_reading(name: str) -> str:
    """JMnedict's reading of a whole name in hiragana (習近平 → しゅうきんぺい), "" if it has none."""
    entry = dictionary.lookup_names([name]).get(name)
    return hiragana(entry.reading) if entry and entry.reading != name else ""


@functools.lru_cache(maxsize=65536)  # a deck's sentences repeat the same words thousands of times
def token_html(surface: str, reading: str, known: bool = False) -> tuple[str, bool]:
    """A token as HTML: ruby over its kanji if it has any and a `reading` (else just escaped),
    and whether it got ruby; a `known` word's ruby has class "known" (reading on hover/tap)."""
    if reading and has_kanji(surface):
        html_ruby = ruby(surface, reading)
        return (html_ruby.replace("<ruby>", '<ruby class="known">') if known else html_ruby), True
    return escape(surface), False


def highlighted(text: str, segments: Sequence[Segment], start: int, end: int) -> str:
    """The segments' HTML with text[start:end] in <b>; a segment the highlight cuts through
    loses its ruby (習近平 inside the token 平氏)."""
    out = []
    for lo, hi, piece, _ in segments:
        if start <= lo and hi <= end:
            out.append(f"<b>{piece}</b>")
        elif hi <= start or end <= lo:
            out.append(piece)
        else:
            out.append(_marked(text, lo, hi, start, end))
    # Adjacent highlighted pieces read better as one <b> element.
    return "".join(out).replace("</b><b>", "")


@dataclass(frozen=True, slots=True)
class Furigana:
    """A sentence's furigana segments, rendered once and highlighted for each card using it."""

    text: str
    segments: tuple[Segment, ...]
    starts: tuple[int, ...]  # each segment's start and end, ascending: the highlight is found
    ends: tuple[int, ...]    # by bisection instead of by walking the whole sentence
    pieces: tuple[str, ...]  # each segment's HTML

    @classmethod
    def of(cls, text: str, tokens: Sequence[Token], reader: Reader = DEFAULT_READER) -> Furigana:
        """The furigana of `text`, cut at its `tokens`, for `reader`."""
        segments = furigana_segments(text, tokens, reader)
        starts, ends, pieces, _ = zip(*segments) if segments else ((), (), (), ())
        return cls(text, segments, starts, ends, pieces)

    def highlighted(self, start: int, end: int) -> str:
        """`highlighted` over the whole sentence. Only the segments that touch [start, end) can
        change; those before and after are joined as they are. Their pieces hold no <b> (text is
        escaped, ruby has no <b>), so merging </b><b> within the touched ones is the same as
        merging it over the whole."""
        first = bisect.bisect_left(self.ends, start)
        last = bisect.bisect_right(self.starts, end, first)
        return ("".join(self.pieces[:first]) + highlighted(self.text, self.segments[first:last], start, end)
                + "".join(self.pieces[last:]))


def _marked(text: str, lo: int, hi: int, start: int, end: int) -> str:
    """text[lo:hi] escaped, with the part inside [start, end) in <b>."""
    if lo >= hi:
        return ""
    a, b = max(lo, min(start, hi)), min(hi, max(end, lo))
    if a >= b:
        return escape(text[lo:hi])
    return escape(text[lo:a]) + "<b>" + escape(text[a:b]) + "</b>" + escape(text[b:hi])


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
    return f'<span class="pitch" data-accent="{accent}">{_phrase_spans(morae(reading), accent)}</span>'


def pitch_phrases_html(reading: str, phrases: Accent) -> str:
    """pitch_html for a word said as one or more accent phrases (包括的 | 戦略パートナーシップ):
    each phrase rises and falls on its own, with a thin gap between phrases."""
    moras = morae(reading)
    if not phrases or sum(size for size, _ in phrases) != len(moras):
        return ""
    if len(phrases) == 1:
        return pitch_html(reading, phrases[0][1])
    out, start = [], 0
    for size, accent in phrases:
        out.append(f'<span class="pitch-phrase">{_phrase_spans(moras[start:start + size], accent)}</span>')
        start += size
    numbers = ",".join(str(accent) for _, accent in phrases)
    return f'<span class="pitch" data-accent="{numbers}">{"".join(out)}</span>'


def _phrase_spans(moras: Sequence[str], accent: int) -> str:
    spans = [_mora_span(mora, (index > 1 and (accent == 0 or index <= accent)) or (accent == 1 and index == 1),
                        index == accent)
             for index, mora in enumerate(moras, start=1)]
    if accent == len(moras):
        spans.append('<span class="pitch-particle">&#xA0;</span>')  # odaka: the fall comes after
    return "".join(spans)


def word_accent(term: Term, reading: str, computed: Mapping[tuple[str, str], Accent]) -> Accent:
    """The term's accent phrases: UniDic's accent of a single word, else OpenJTalk's (`computed`,
    from resources.accent) for a compound or a word UniDic has no accent for."""
    accent = accent_number(term.accent)
    if accent is not None:
        return ((len(morae(reading)), accent),)
    return computed.get((term.word, reading), ())


@functools.lru_cache(maxsize=4096)  # a few hundred morae, each high or low, with or without the drop
def _mora_span(mora: str, high: bool, drop: bool) -> str:
    classes = ("pitch-high" if high else "pitch-low") + (" pitch-drop" if drop else "")
    return f'<span class="{classes}">{escape(mora)}</span>'


def kanji_rows(info: Mapping[str, dictionary.KanjiInfo]) -> dict[str, str]:
    """Each kanji's row of the Kanji field: the character, its meanings, on/kun readings and
    JLPT kanji level. Built once a deck: the same kanji recur in many words."""
    rows = {}
    for char, kanji in info.items():
        level = jlpt.kanji_level(char)
        readings = "　".join(filter(None, ("、".join(kanji.onyomi[:3]), "、".join(kanji.kunyomi[:3]))))
        # The level stays on the readings' line (a no-break space before it): on a phone it never
        # wraps onto a line of its own.
        rows[char] = (
            '<div class="kanji-row">'
            f'<span class="kanji-char">{escape(char)}</span>'
            '<span class="kanji-text">'
            f'<span class="kanji-meaning">{escape(", ".join(kanji.meanings[:MAX_KANJI_MEANINGS]))}</span>'
            f'<span class="kanji-readings">{escape(readings)}'
            + (f'&#xA0;<span class="kanji-level">{level}</span>' if level else "")
            + "</span></span></div>"
        )
    return rows


def kanji_html(word: str, rows: Mapping[str, str]) -> str:
    """One row a distinct kanji of `word` that has a row in `rows` (from kanji_rows)."""
    return "".join(rows[char] for char in dict.fromkeys(word) if char in rows)


def meaning_html(term: Term, english: str = "") -> str:
    """Numbered senses (best fit first), or for a compound JMdict lacks its `english` phrase;
    then, for a compound, its parts with their glosses."""
    parts = " · ".join(f'{escape(piece)} <i>{escape(plain_gloss(gloss))}</i>' for piece, gloss in term.part_glosses)
    parts_html = f'<div class="parts-gloss">{parts}</div>' if parts else ""
    if not term.meanings:
        return (f'<div class="compound-english">{escape(english)}</div>' if english else "") + parts_html
    items = "".join(f"<li>{escape('; '.join(glosses))}</li>" for glosses in term.senses)
    return f'<ol class="senses">{items}</ol>{parts_html}'


def _adjectives(terms: Sequence[Term]) -> dict[str, str]:
    """For each modifier part of an unlisted compound, JMdict's gloss of part+的 (戦略 → strategic)."""
    parts = {part for term in terms if not term.meanings for part, _ in term.part_glosses[:-1]
             if not part.endswith("的") and has_kanji(part)}
    queries = [(f"{part}的", "", "noun") for part in parts]
    found = dictionary.lookup(queries) if queries else {}
    return {query[0][:-1]: entry.short_gloss() for query, entry in found.items() if entry.short_gloss()}


@functools.lru_cache(maxsize=4096)  # every card has a jlpt:: and a kind:: tag, of a few values
def tag(prefix: str, value: str) -> str:
    """An Anki tag (no spaces): source::000_17ad8956b995fb24."""
    return f"{prefix}::{TAG_UNSAFE.sub('_', value).strip('_') or 'none'}"


Sounds = Callable[[Term], tuple[str, str]]  # a term's WordAudio and SentenceAudio values


# Below this many cards, drafting them takes less time than the accent child's start-up and
# pyopenjtalk's import (the sample deck's 504: 0.1 s against 0.6 s), so the accents are worked out
# in this process; 1,418 cards took 1 s.
ACCENT_CHILD_MIN_CARDS = 1000


def make_cards(terms: Sequence[Term], titles: Mapping[str, str], reader: Reader = DEFAULT_READER,
               sounds: Sounds | None = None) -> list[Card]:
    """A Card for each term, in order. `titles` gives each article name's title (for the Source
    field); the examples carry their sentences' tokens (for furigana, written for `reader`);
    `sounds` gives the sound fields (vocab.output.audio.DeckAudio.sounds), empty without it."""
    deck = _DeckParts(titles, kanji_rows(dictionary.kanji_info(ch for term in terms for ch in term.word)), reader)
    deck.adjectives = _adjectives(terms)
    deck.sounds = sounds or _no_sounds
    computed = ((term.word, _card_reading(term)) for term in terms if accent_number(term.accent) is None)
    with accents_beside(computed, child=len(terms) >= ACCENT_CHILD_MIN_CARDS) as said:
        drafts = [_draft(term, deck) for term in terms]  # all but the pitch, while the accents are worked out
        accents = said()
    return [_card(term, draft, accents) for term, draft in zip(terms, drafts)]


def _card_reading(term: Term) -> str:
    return term.word if is_katakana(term.word) else term.reading


class _Made(dict[Key, Value]):
    """A dict that fills itself: a missing key's value is made by `make`, once."""

    def __init__(self, make: Callable[[Key], Value]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Key) -> Value:
        value = self[key] = self.make(key)
        return value


class _DeckParts:
    """The HTML that many cards of one deck share, each piece made once: a sentence's furigana
    (a sentence gives examples to many words), an article's escaped title and its source tag (a
    common word occurs in hundreds of articles) and each kanji's row."""

    def __init__(self, titles: Mapping[str, str], kanji: Mapping[str, str], reader: Reader) -> None:
        self.kanji = kanji
        self.reader = reader
        self.furigana: dict[Sentence, Furigana] = {}
        self.title_text = titles
        self.titles = _Made(lambda source: _source_html(source, article_label(source, titles.get(source, ""))))
        self.source_tags = _Made(lambda source: tag("source", article_label(source, titles.get(source, ""))))
        self.adjectives: Mapping[str, str] = {}
        self.sounds: Sounds = _no_sounds

    def source_line(self, o: Occurrence) -> str:
        """The article's label for an example, or "" when the label is the example's own sentence
        cut short (an article without a headline, opening with this sentence)."""
        label = article_label(o.sentence.source, self.title_text.get(o.sentence.source, ""))
        if label.endswith("…") and o.sentence.text.startswith(label[:-1]):
            return ""
        return self.titles[o.sentence.source]

    def with_furigana(self, o: Occurrence) -> str:
        """The occurrence's sentence with ruby readings and the word in <b>."""
        furigana = self.furigana.get(o.sentence)
        if furigana is None:
            furigana = self.furigana[o.sentence] = Furigana.of(o.sentence.text, o.tokens, self.reader)
        return furigana.highlighted(o.start, o.end)


class _Draft(NamedTuple):
    """A card but its pitch: what needs no accent."""

    fields: dict[str, str]
    tags: tuple[str, ...]
    cloze: str


def _card(term: Term, draft: _Draft, accents: Mapping[tuple[str, str], Accent]) -> Card:
    reading = _card_reading(term)
    phrases = word_accent(term, reading, accents)
    fields = {**draft.fields, "Pitch": pitch_phrases_html(reading, phrases),
              "PitchNumber": ", ".join(str(accent) for _, accent in phrases)}
    return Card(term.word, term.reading, tuple(fields[name] for name in FIELDS), draft.tags, cloze=draft.cloze)


def _draft(term: Term, deck: _DeckParts) -> _Draft:
    first = term.examples[0]
    reading = _card_reading(term)
    # An inflected form (交わし in 交わした) gets its dictionary form beside the sentence, so the
    # learner sees how the highlighted text relates to the card's word.
    surface = first.sentence.text[first.start:first.end]
    hint = f' <span class="dictionary-form">→ {escape(term.word)}</span>' if surface != term.word else ""
    english = "" if term.meanings else compound_english(term.part_glosses, deck.adjectives.get)
    fields = {
        "Word": escape(term.word),
        "Reading": escape(reading),
        "Furigana": ruby(term.word, reading) if has_kanji(term.word) else escape(term.word),
        "Meaning": meaning_html(term, english),
        "PartOfSpeech": escape(_part_of_speech(term)),
        "Sentence": sentence_html(first.sentence, first.start, first.end) + hint,
        "SentenceFurigana": deck.with_furigana(first) + hint,
        "Examples": _examples_html(term.examples[1:], deck),
        "Source": deck.source_line(first),
        "Kanji": kanji_html(term.word, deck.kanji),
        "JLPT": term.jlpt or "",
        "Frequency": escape(frequency_words(term.zipf, term.news_rank)),
        "Kind": term.kind,
    }
    fields["WordAudio"], fields["SentenceAudio"] = deck.sounds(term)
    tags = (tag("jlpt", level_of(term.jlpt)), tag("kind", term.kind),
            *map(deck.source_tags.__getitem__, tagged_sources(term)))
    return _Draft(fields, tags, cloze_html(first.sentence.text, first.start, first.end))


# A word of a big corpus occurs in thousands of articles: tagged with each, a note was
# unbrowsable in Anki and the .apkg's writing held millions of tags (10,000 articles: 3.8 M).
MAX_SOURCE_TAGS = 20


def tagged_sources(term: Term) -> tuple[str, ...]:
    """The articles a note is tagged with: those of its example sentences, then the rest in
    reading order, MAX_SOURCE_TAGS at most."""
    if len(term.sources) <= MAX_SOURCE_TAGS:
        return term.sources
    return tuple(dict.fromkeys([*(o.sentence.source for o in term.examples), *term.sources]))[:MAX_SOURCE_TAGS]


def cloze_html(text: str, start: int, end: int) -> str:
    """The sentence with text[start:end] replaced by a blank, for recalling the word."""
    return f'{escape(text[:start])}<span class="blank">［…］</span>{escape(text[end:])}'


def _part_of_speech(term: Term) -> str:
    """"noun, する verb"; a compound JMdict lacks is a "compound noun", a name says what it names."""
    if term.kind == "name":
        return f"name ({term.name_type})" if term.name_type else "name"
    plain = plain_pos(term.pos)
    if term.kind == "compound":
        return f"compound {plain}" if plain.startswith("noun") else plain or "compound noun"
    return plain


def _no_sounds(term: Term) -> tuple[str, str]:
    return ("", "")


def _examples_html(examples: Sequence[Occurrence], deck: _DeckParts) -> str:
    return "".join(
        '<div class="example">'
        f'<div class="example-text">{deck.with_furigana(o)}</div>'
        f'<div class="example-source">{deck.source_line(o)}</div>'
        "</div>"
        for o in examples
    )


def _source_html(source: str, title: str) -> str:
    """An article's title; a link to it for an article fetched from the web (named by its URL)."""
    if source.startswith(("http://", "https://")):
        return f'<a href="{escape(source)}">{escape(title)}</a>'
    return escape(title)
