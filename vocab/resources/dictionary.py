"""JMdict, JMnedict and KANJIDIC2 from jamdict-data's SQLite database, queried in batches.

jamdict's `Jamdict.lookup()` costs milliseconds a call (it also runs wildcard, kanji and name
searches); here each stage asks once for all its words, and every query is an indexed `IN`.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from vocab.resources.database import open_read_only, per_process
from vocab.resources.kana import has_kanji, hiragana

# SQLite's default limit on bound parameters is 999 in older builds; stay under it.
BATCH = 900
# JMdict priority tags that mark a common word (ichi1: in a basic list; news1: frequent in news).
COMMON_TAGS = frozenset({"news1", "ichi1", "spec1", "gai1", "news2", "ichi2", "spec2"})
NEWS_BAND_SIZE = 500  # JMdict's nf01…nf48: the word's 500-word band in a newspaper frequency list
# Senses with these notes rarely fit a news text; they go to the end. (JMdict's misc texts:
# "archaism", "obsolete term", "obscure term", "honorific or respectful (sonkeigo) language", …)
RARE_MISC = ("archaism", "obsolete", "rare", "obscure", "slang", "vulgar", "colloquialism", "derogatory",
             "children", "female", "male", "dated", "historical", "poetical", "jocular", "honorific",
             "humble", "familiar", "manga", "quotation")
RARE_NOTE = re.compile("|".join(RARE_MISC))
# JMdict fields a political news text can mean; a sense of any other field (computing, mahjong,
# sports, Buddhism, medicine …) goes after the senses of general use.
NEWS_FIELDS = frozenset({"law", "finance", "military", "economics", "business", "statistics"})
# Words in a gloss that mark the sense a political news text means, for entries the news-sense
# file does not cover (core ones are in vocab/data/news_senses.tsv). Whole words only: as
# substrings, "war" matched "software" and "nation" "combination".
NEWS_CUES = ("nuclear", "military", "politics", "political", "government", "diplomatic", "diplomacy",
             "election", "minister", "president", "international", "war", "treaty", "sanction",
             "parliament", "diet", "security", "economy", "economic", "trade", "summit", "leader",
             "alliance", "policy", "nation", "national")
# One pattern, not a loop over cues: ordering senses ran 140,000 substring tests for the samples.
# Searched in lower-cased text: with re.IGNORECASE the same search is 9× slower.
NEWS_CUE = re.compile(r"\b(?:" + "|".join(NEWS_CUES) + r")\b")
NEWS_SENSES = Path(__file__).parents[1] / "data" / "news_senses.tsv"
# A usage note in a gloss, dropped where a compound is glossed by its parts: "conference (usu.
# between important people)", "(one's) master". A short qualifier stays: "ban (treaty)".
GLOSS_NOTE = re.compile(r"\s*\((?:(?:e\.g\.|i\.e\.|usu\.|esp\.|lit\.|orig\.|(?:etc|one's|someone's|something|of|in|for|as"
                        r"|by|with)\b)[^)]*|[^)\s]+(?:\s+[^)\s]+){2,})\)")
# UniDic POS class → words that start the JMdict part-of-speech texts of a fitting sense.
POS_HINTS = {
    "noun": ("noun", "suru verb"),
    "verb": ("Godan verb", "Ichidan verb", "suru verb", "Kuru verb", "intransitive", "transitive"),
    "adjective": ("adjective",),
    "adjectival": ("adjectival noun",),
    "adverb": ("adverb",),
    "prefix": ("prefix",),
    "suffix": ("suffix", "counter"),
}


@dataclass(frozen=True, slots=True)
class Sense:
    """One JMdict sense: English glosses with their parts of speech and usage notes."""

    glosses: tuple[str, ...]
    pos: tuple[str, ...]
    misc: tuple[str, ...]    # JMdict misc notes ("archaism", "abbreviation", …)
    field: tuple[str, ...] = ()    # JMdict fields ("computing", "mahjong", "law", …) and dialects
    news: bool = False             # the sense political news means (vocab/data/news_senses.tsv)


@dataclass(frozen=True, slots=True)
class Entry:
    """The JMdict entry chosen for one written form and reading."""

    idseq: int
    written: str             # the form as the query gave it
    reading: str             # hiragana (katakana for loanwords, as JMdict writes them)
    senses: tuple[Sense, ...]
    news_rank: int | None    # rank in newspaper text from JMdict's nfXX band (nf01 → 250), if any

    def glosses(self, limit: int = 3) -> list[str]:
        """Up to three glosses of the best sense, then the first gloss of the next senses."""
        if not self.senses:
            return []
        firsts = [sense.glosses[0] for sense in self.senses[1:limit]]
        return list(dict.fromkeys([*self.senses[0].glosses[:3], *firsts]))

    def sense_glosses(self, limit: int = 3, per_sense: int = 3) -> tuple[tuple[str, ...], ...]:
        """The glosses of the first `limit` senses, `per_sense` each: a card's numbered meanings."""
        return tuple(sense.glosses[:per_sense] for sense in self.senses[:limit])

    def short_gloss(self) -> str:
        """The first gloss of the first sense without its notes: a compound's part in
        `comprehensive · strategy` (会談 → "conference", not "conference (usu. between …)")."""
        if not self.senses or not self.senses[0].glosses:
            return ""
        gloss = self.senses[0].glosses[0]
        return " ".join(GLOSS_NOTE.sub("", gloss).split()) or gloss


@dataclass(frozen=True, slots=True)
class NameEntry:
    """A JMnedict entry: a person, place or organisation name."""

    written: str
    reading: str
    types: tuple[str, ...]   # "person", "place", "organization", "surname", …
    glosses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KanjiInfo:
    """One KANJIDIC2 character."""

    char: str
    meanings: tuple[str, ...]
    onyomi: tuple[str, ...]  # katakana
    kunyomi: tuple[str, ...]
    strokes: int | None


def database_path() -> Path:
    """Where jamdict-data installed its SQLite database."""
    import jamdict_data

    return Path(jamdict_data.JAMDICT_DB_PATH)


@per_process
def connection() -> sqlite3.Connection:
    """The process-wide read-only connection to jamdict-data's database."""
    return open_read_only(database_path, "JMdict (jamdict-data)")


def _chunks(values: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _select_in(sql: str, values: Iterable) -> list[tuple]:
    """Run `sql` (with one `{marks}` placeholder for an IN list) over `values` in batches."""
    unique = sorted(set(values), key=str)
    rows: list[tuple] = []
    for chunk in _chunks(unique):
        marks = ",".join("?" * len(chunk))
        rows.extend(connection().execute(sql.format(marks=marks), tuple(chunk)))
    return rows


def listed_forms(forms: Iterable[str]) -> set[str]:
    """The forms JMdict has as a headword (kanji or kana)."""
    forms = list(forms)
    found = {text for (text,) in _select_in("SELECT text FROM Kanji WHERE text IN ({marks})", forms)}
    return found | {text for (text,) in _select_in("SELECT text FROM Kana WHERE text IN ({marks})", forms)}


@functools.lru_cache(maxsize=16384)
def is_common(form: str) -> bool:
    """True if JMdict marks `form` (a kanji or kana headword) as common: news1, ichi1, spec1…"""
    rows = connection().execute(
        "SELECT p.text FROM KJP p JOIN Kanji k ON k.ID = p.kid WHERE k.text = ? "
        "UNION SELECT p.text FROM KNP p JOIN Kana k ON k.ID = p.kid WHERE k.text = ?", (form, form))
    return any(tag in COMMON_TAGS for (tag,) in rows)


def lookup(queries: Iterable[tuple[str, str, str | None]]) -> dict[tuple[str, str, str | None], Entry]:
    """Find the JMdict entry for each (written form, reading, POS class) query.

    Kanji forms match JMdict's kanji headwords only (so 中ロ never falls back to 中呂 through its
    reading); kana forms match kana headwords. Among entries for one form, the one whose reading
    matches the text's reading wins, then the one with more priority tags. Senses that fit the
    POS class come first, then those that fit political news; rare and archaic senses last.
    """
    queries = list(dict.fromkeys(queries))
    kanji_forms = {q[0] for q in queries if has_kanji(q[0])}
    kana_forms = {q[0] for q in queries if not has_kanji(q[0])}
    by_form: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # form → (idseq, rowid, table)
    for rowid, idseq, text in _select_in("SELECT ID, idseq, text FROM Kanji WHERE text IN ({marks})", kanji_forms):
        by_form[text].append((idseq, rowid, "K"))
    for rowid, idseq, text in _select_in("SELECT ID, idseq, text FROM Kana WHERE text IN ({marks})", kana_forms):
        by_form[text].append((idseq, rowid, "R"))
    idseqs = {idseq for hits in by_form.values() for idseq, _, _ in hits}
    if not idseqs:
        return {}
    readings = _readings(idseqs)
    priorities, bands = _priorities([rowid for hits in by_form.values() for _, rowid, table in hits if table == "K"],
                             [rowid for rows in readings.values() for rowid, _ in rows])
    found = _Found(readings, priorities, bands, _senses(idseqs))
    result = {}
    for query in queries:
        written, reading, pos_class = query
        hits = by_form.get(written)
        entry = found.best_entry(written, hiragana(reading), pos_class, hits) if hits else None
        if entry is not None:
            result[query] = entry
    return result


Hit = tuple[int, int, str]   # (idseq, rowid, table): a headword row, "K" for kanji or "R" for kana
RawSense = tuple[Sense, tuple[str, ...], tuple[str, ...]]   # a sense with the kanji and kana it is restricted to


@dataclass(frozen=True)
class _Found:
    """What one batch of queries read from JMdict, to choose each query's entry from."""

    readings: dict[int, list[tuple[int, str]]]   # idseq → (kana rowid, kana text)
    priorities: dict[tuple[str, int], int]       # (table, rowid) → number of priority tags
    bands: dict[tuple[str, int], int]            # (table, rowid) → JMdict newspaper band (nfXX)
    senses: dict[int, list[RawSense]]            # idseq → senses in JMdict's order

    @functools.cached_property
    def entry_kana(self) -> dict[int, set[str]]:
        """Per entry: its readings in hiragana."""
        return {idseq: {hiragana(text) for _, text in rows} for idseq, rows in self.readings.items()}

    @functools.cached_property
    def kana_tags(self) -> dict[int, int]:
        """Per entry: the most priority tags any of its readings has."""
        return {idseq: max(self.priorities.get(("R", kid), 0) for kid, _ in rows) for idseq, rows in self.readings.items()}

    def best_entry(self, written: str, reading: str, pos_class: str | None, hits: list[Hit]) -> Entry | None:
        """The entry among `hits` for a form read `reading` (hiragana), its senses in order."""
        def rank(hit: Hit) -> tuple[bool, int, bool, int]:
            idseq, rowid, table = hit
            matches = reading in self.entry_kana.get(idseq, ())
            tags = (self.priorities.get(("K", rowid), 0) if table == "K" else 0) + self.kana_tags.get(idseq, 0)
            return (not matches, -tags, not self.senses.get(idseq), idseq)

        idseq, rowid, table = min(hits, key=rank)
        band = self.bands.get((table, rowid)) or min(
            (self.bands[("R", kid)] for kid, _ in self.readings.get(idseq, ()) if ("R", kid) in self.bands), default=None)
        # An entry in JMdict's newspaper bands is one the news-sense file covers (news1/news2).
        entry_senses = _fitting_senses(self.senses.get(idseq, []), written, reading, pos_class, reviewed=band is not None)
        if not entry_senses:
            return None
        kana = [text for _, text in self.readings.get(idseq, ())]
        chosen_reading = next((k for k in kana if hiragana(k) == reading), kana[0] if kana else reading)
        news_rank = round(NEWS_BAND_SIZE * (band - 0.5)) if band else None
        return Entry(idseq, written, chosen_reading, tuple(entry_senses), news_rank)


def _fitting_senses(raw: list[RawSense], written: str,
                    reading: str, pos_class: str | None, *, reviewed: bool = False) -> list[Sense]:
    """The senses that apply to this spelling and reading, best first: those that fit the part of
    speech in the text, then the one political news means (a teacher's choice, for `reviewed`
    entries), then senses of general use before rare ones and those of other fields (computing,
    mahjong), then, for entries no teacher reviewed, senses whose glosses sound like news."""
    usable = [
        sense for sense, stagk, stagr in raw
        if (not stagk or written in stagk) and (not stagr or reading in {hiragana(r) for r in stagr})
    ] or [sense for sense, _, _ in raw]
    if len(usable) < 2:
        return usable
    hints = POS_HINTS.get(pos_class or "", ())

    def order(item: tuple[int, Sense]) -> tuple[bool, bool, bool, bool, bool, int]:
        index, sense = item
        fits = not hints or any(h in p for p in sense.pos for h in hints)
        rare = any(RARE_NOTE.search(m) for m in sense.misc)
        off_field = any(f not in NEWS_FIELDS for f in sense.field)
        cue = not reviewed and any(NEWS_CUE.search(gloss.lower()) for gloss in sense.glosses)
        return (not fits, not sense.news, rare, off_field, not cue, index)

    return [sense for _, sense in sorted(enumerate(usable), key=order)]


@functools.cache
def news_senses() -> dict[int, tuple[int, int]]:
    """idseq → (sense, gloss), both 0-based, of the gloss political news means, for entries whose
    first gloss is not it (vocab/data/news_senses.tsv, built by curation/news_senses/)."""
    chosen = {}
    for line in NEWS_SENSES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            idseq, sense, gloss, _ = line.split("\t", 3)
            chosen[int(idseq)] = (int(sense) - 1, int(gloss) - 1)
    return chosen


def _with_news_lead(idseq: int, senses: list[Sense]) -> list[Sense]:
    """`senses` with the one political news means marked, its news gloss first."""
    choice = news_senses().get(idseq)
    if choice is None or choice[0] >= len(senses) or choice[1] >= len(senses[choice[0]].glosses):
        return senses
    index, gloss = choice
    sense = senses[index]
    glosses = (sense.glosses[gloss], *sense.glosses[:gloss], *sense.glosses[gloss + 1:])
    return [*senses[:index], replace(sense, glosses=glosses, news=True), *senses[index + 1:]]


def _readings(idseqs: set[int]) -> dict[int, list[tuple[int, str]]]:
    readings: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rowid, idseq, text in sorted(_select_in("SELECT ID, idseq, text FROM Kana WHERE idseq IN ({marks})", idseqs)):
        readings[idseq].append((rowid, text))
    return readings


def _priorities(kanji_ids: list[int], kana_ids: list[int]) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], int]]:
    """(priority tag counts, newspaper band) per ("K" or "R", headword row id)."""
    counts: dict[tuple[str, int], int] = defaultdict(int)
    bands: dict[tuple[str, int], int] = {}
    for table, ids in (("K", kanji_ids), ("R", kana_ids)):
        name = "KJP" if table == "K" else "KNP"
        for kid, tag in _select_in(f"SELECT kid, text FROM {name} WHERE kid IN ({{marks}})", ids):
            if tag in COMMON_TAGS:
                counts[(table, kid)] += 1
            elif tag.startswith("nf") and tag[2:].isdigit():
                bands[(table, kid)] = int(tag[2:])
    return counts, bands


def _senses(idseqs: set[int]) -> dict[int, list[RawSense]]:
    """Senses per entry in JMdict order, each with its kanji (stagk) and reading (stagr) limits."""
    sense_rows = sorted(_select_in("SELECT ID, idseq FROM Sense WHERE idseq IN ({marks})", idseqs))
    sids = [sid for sid, _ in sense_rows]
    per_sid: dict[str, dict[int, list[str]]] = {}
    for table in ("SenseGloss", "pos", "misc", "field", "dialect", "stagk", "stagr"):
        # `+lang`: without the unary plus SQLite walks the SenseGloss_lang index (every English
        # gloss, ~0.15 s a batch) instead of SenseGloss_sid.
        extra = " AND +lang = 'eng'" if table == "SenseGloss" else ""
        values: dict[int, list[str]] = defaultdict(list)
        for sid, text in _select_in(f"SELECT sid, text FROM {table} WHERE sid IN ({{marks}}){extra} ORDER BY rowid", sids):
            values[sid].append(text)
        per_sid[table] = values
    result: dict[int, list] = defaultdict(list)
    last_pos: dict[int, tuple[str, ...]] = {}
    for sid, idseq in sense_rows:
        # JMdict repeats a sense's part of speech only when it changes.
        pos = tuple(per_sid["pos"].get(sid, ())) or last_pos.get(idseq, ())
        last_pos[idseq] = pos
        sense = Sense(tuple(per_sid["SenseGloss"].get(sid, ())), pos, tuple(per_sid["misc"].get(sid, ())),
                      (*per_sid["field"].get(sid, ()), *per_sid["dialect"].get(sid, ())))
        if sense.glosses:
            result[idseq].append((sense, tuple(per_sid["stagk"].get(sid, ())), tuple(per_sid["stagr"].get(sid, ()))))
    for idseq, rows in result.items():
        marked = _with_news_lead(idseq, [sense for sense, _, _ in rows])
        result[idseq] = [(sense, stagk, stagr) for sense, (_, stagk, stagr) in zip(marked, rows)]
    return result


def lookup_names(forms: Iterable[str]) -> dict[str, NameEntry]:
    """JMnedict entries for `forms` (kanji or kana), the first listed entry per form."""
    forms = list(forms)
    hits: dict[str, int] = {}
    for table in ("NEKanji", "NEKana"):
        for idseq, text in sorted(_select_in(f"SELECT idseq, text FROM {table} WHERE text IN ({{marks}})", forms)):
            hits.setdefault(text, idseq)
    if not hits:
        return {}
    idseqs = set(hits.values())
    readings: dict[int, str] = {}
    for idseq, text in sorted(_select_in("SELECT idseq, text FROM NEKana WHERE idseq IN ({marks})", idseqs)):
        readings.setdefault(idseq, text)
    translations = sorted(_select_in("SELECT ID, idseq FROM NETranslation WHERE idseq IN ({marks})", idseqs))
    tids = [tid for tid, _ in translations]
    types: dict[int, list[str]] = defaultdict(list)
    glosses: dict[int, list[str]] = defaultdict(list)
    for tid, text in _select_in("SELECT tid, text FROM NETransType WHERE tid IN ({marks}) ORDER BY rowid", tids):
        types[tid].append(text)
    for tid, text in _select_in("SELECT tid, text FROM NETransGloss WHERE tid IN ({marks}) ORDER BY rowid", tids):
        glosses[tid].append(text)
    by_idseq_types: dict[int, list[str]] = defaultdict(list)
    by_idseq_glosses: dict[int, list[str]] = defaultdict(list)
    for tid, idseq in translations:
        by_idseq_types[idseq].extend(types[tid])
        by_idseq_glosses[idseq].extend(glosses[tid])
    return {
        form: NameEntry(form, readings.get(idseq, form), tuple(dict.fromkeys(by_idseq_types[idseq])),
                        tuple(dict.fromkeys(by_idseq_glosses[idseq])))
        for form, idseq in hits.items()
    }


@functools.lru_cache(maxsize=65536)
def name_types(form: str) -> tuple[str, ...]:
    """JMnedict's types for `form` ("person", "place", "surname", …), () if it lists none.
    Cached: the tagger meets the same unknown name fragments again and again."""
    entry = lookup_names([form]).get(form)
    return entry.types if entry else ()


def kanji_info(chars: Iterable[str]) -> dict[str, KanjiInfo]:
    """KANJIDIC2 meanings, on and kun readings and stroke counts for each kanji in `chars`."""
    chars = list(dict.fromkeys(c for c in chars if has_kanji(c)))
    rows = _select_in("SELECT ID, literal, stroke_count FROM character WHERE literal IN ({marks})", chars)
    if not rows:
        return {}
    cid_char = {cid: literal for cid, literal, _ in rows}
    groups = dict(_select_in("SELECT ID, cid FROM rm_group WHERE cid IN ({marks})", cid_char))
    meanings: dict[str, list[str]] = defaultdict(list)
    on: dict[str, list[str]] = defaultdict(list)
    kun: dict[str, list[str]] = defaultdict(list)
    # reading.gid and meaning.gid have no index: one scan each for all characters at once. The
    # unary `+` keeps SQLite from walking the m_lang/r_type indexes instead, which visits most
    # rows anyway and then sorts them back into rowid order (1.3–1.5× slower).
    for gid, value in _select_in("SELECT gid, value FROM meaning WHERE gid IN ({marks}) AND (+m_lang = '' OR +m_lang = 'en') ORDER BY rowid", groups):
        meanings[cid_char[groups[gid]]].append(value)
    for gid, kind, value in _select_in("SELECT gid, r_type, value FROM reading WHERE gid IN ({marks}) AND +r_type IN ('ja_on', 'ja_kun') ORDER BY rowid", groups):
        (on if kind == "ja_on" else kun)[cid_char[groups[gid]]].append(value)
    return {
        literal: KanjiInfo(literal, tuple(meanings[literal]), tuple(on[literal]), tuple(kun[literal]), strokes)
        for _, literal, strokes in sorted(rows)
    }
