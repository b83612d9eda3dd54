"""Known words from the learner's own Anki collection, read without disturbing Anki.

A word is *known* when a card of a note holding it is mature (a review card with an interval of
at least `mature_days`, Anki's own 21 by default); words of young or new cards are *in Anki
already*: they stay out of the deck (the learner studies them there) but do not count as known
in coverage.

Reading safely. Anki opens its collection in WAL mode with `locking_mode=exclusive`: while it
runs, no other process can read the file through SQLite ("database is locked"), and reading the
bytes around SQLite (`immutable=1`, or copying the file) ignores the write-ahead log and can
see a half-written state. So vocab reads the file only when Anki has it closed, read-only and
in one short transaction (never holding a lock Anki could meet when it starts), and when Anki
has it open asks Anki itself, through AnkiConnect, for the same card data.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vocab.errors import VocabError

MATURE_DAYS = 21           # Anki's own threshold for a "mature" card
COLLECTION_FILE = "collection.anki2"
# Field names that hold the word, best first (case-insensitive); then any field whose name
# starts with one of WORD_FIELD_PREFIXES (Core 2k/6k's "Vocabulary-Kanji"), else the first field.
WORD_FIELD_NAMES = ("word", "expression", "vocab", "vocabulary", "vocabulary-kanji", "kanji", "単語", "語", "front")
WORD_FIELD_PREFIXES = ("vocab", "word", "expression")
MAX_WORD_CHARS = 64        # as in known.py: a longer "word" is a sentence or a definition
MAX_FIELDS_CHARS = 2**20   # what one note's fields may hold in memory while it is read
LOCK_WAIT = 1.0            # seconds to wait for Anki to finish closing or opening the file

NEW, YOUNG, MATURE = 0, 1, 2
STATE_NAMES = ("new", "young", "mature")


@dataclass(frozen=True, slots=True)
class NoteTypeCount:
    """What was read from one note type: the field holding the word, and its notes by state."""

    name: str
    field: str
    fields: tuple[str, ...]
    mature: int = 0
    young: int = 0
    new: int = 0


@dataclass(frozen=True, slots=True)
class AnkiWords:
    """The learner's words in Anki by the best state of their cards."""

    source: str                         # the collection file, or the AnkiConnect address
    mature: frozenset[str]              # known
    young: frozenset[str]               # studied, not yet mature
    new: frozenset[str]                 # in Anki, never studied
    note_types: tuple[NoteTypeCount, ...] = field(default=())

    @property
    def in_anki(self) -> frozenset[str]:
        """Every word the learner has in Anki: none of them belongs in a new deck."""
        return self.mature | self.young | self.new


class AnkiBusy(VocabError):
    """Anki has the collection open (exclusively): it cannot be read from the file now."""


# ── Where the collection is ─────────────────────────────────────────────────────────────────

def anki_base() -> Path:
    """Anki's data folder: $ANKI_BASE as Anki itself honours it, else the platform's place
    (~/.local/share/Anki2, ~/Library/Application Support/Anki2, %APPDATA%\\Anki2)."""
    if os.environ.get("ANKI_BASE"):
        return Path(os.environ["ANKI_BASE"])
    from platformdirs import user_data_path

    return user_data_path("Anki2", appauthor=False, roaming=True)


def profiles(base: Path) -> list[str]:
    """The profile names under `base` that hold a collection, sorted as Anki lists them."""
    try:
        return sorted(d.name for d in base.iterdir() if (d / COLLECTION_FILE).is_file())
    except OSError:
        return []


def collection_path(spec: str | None = None) -> Path:
    """The collection file `spec` names: a collection.anki2 path, a profile folder, a profile
    name in Anki's data folder, or (None/"") the first profile there."""
    base = anki_base()
    if spec:
        given = Path(spec).expanduser()
        if given.is_file():
            return given
        if (given / COLLECTION_FILE).is_file():
            return given / COLLECTION_FILE
        if (base / spec / COLLECTION_FILE).is_file():
            return base / spec / COLLECTION_FILE
        known = ", ".join(profiles(base)) or "none"
        raise VocabError(f"{spec}: no such Anki profile or collection file (profiles in {base}: {known}); "
                         f"pass a profile name or the path of its {COLLECTION_FILE}")
    names = profiles(base)
    if not names:
        raise VocabError(f"{base}: no Anki profile found; pass the profile's {COLLECTION_FILE}: "
                         "--known-from-anki PATH")
    return base / names[0] / COLLECTION_FILE


# ── The word field of each note type ────────────────────────────────────────────────────────

def parse_field_choices(choices: Iterable[str]) -> dict[str, str]:
    """"Note type:Field" items → {note type: field}. Anki forbids ':' in field names, so the
    last colon splits (a note type's name may hold colons); raises ValueError if one has none."""
    chosen = {}
    for item in choices:
        note_type, colon, name = item.rpartition(":")
        if not colon or not note_type.strip() or not name.strip():
            raise ValueError(f"{item!r} is not \"Note type:Field\" (e.g. \"Japanese Core:Expression\")")
        chosen[note_type.strip()] = name.strip()
    return chosen


def word_field(fields: Sequence[str]) -> int:
    """The index of the field most likely to hold the word (see WORD_FIELD_NAMES)."""
    lowered = [name.strip().lower() for name in fields]
    for name in WORD_FIELD_NAMES:
        if name in lowered:
            return lowered.index(name)
    return next((i for i, name in enumerate(lowered) if name.startswith(WORD_FIELD_PREFIXES)), 0)


def _chosen_fields(note_types: Mapping[int, tuple[str, tuple[str, ...]]],
                   choices: Mapping[str, str], source: object) -> dict[int, int]:
    """Note type id → index of its word field: the learner's choice, else the guess."""
    names = {name for name, _ in note_types.values()}
    for note_type in choices:
        if note_type not in names:
            raise VocabError(f"{source}: has no note type {note_type!r} (--anki-field); it has: "
                             f"{', '.join(sorted(names)) or 'none'}")
    chosen = {}
    for ntid, (name, fields) in note_types.items():
        if name in choices:
            if choices[name] not in fields:
                raise VocabError(f"{source}: note type {name!r} has no field {choices[name]!r} (--anki-field); "
                                 f"its fields: {', '.join(fields)}")
            chosen[ntid] = fields.index(choices[name])
        else:
            chosen[ntid] = word_field(fields)
    return chosen


# ── Reading: cards by state, words by note ──────────────────────────────────────────────────

def card_state(card_type: int, interval: int, mature_days: int = MATURE_DAYS) -> int:
    """NEW, YOUNG or MATURE for Anki's card type (0 new, 1 learning, 2 review, 3 relearning)
    and interval in days (a relearning card lapsed: it is young whatever its interval)."""
    if card_type == 2 and interval >= mature_days:
        return MATURE
    return YOUNG if card_type in (1, 2, 3) else NEW


def _word(field_html: str) -> str:
    from vocab.learner.known import field_text

    word = unicodedata.normalize("NFC", field_text(field_html[:MAX_FIELDS_CHARS]))
    return word if len(word) <= MAX_WORD_CHARS and "\ufffd" not in word else ""


def words_by_state(notes: Iterable[tuple[int, str, int]], note_types: Mapping[int, tuple[str, tuple[str, ...]]],
                   choices: Mapping[str, str], source: str) -> AnkiWords:
    """AnkiWords from (note type id, fields joined by \\x1f, best card state) per note."""
    fields_of = _chosen_fields(note_types, choices, source)
    best: dict[str, int] = {}
    counts: dict[int, list[int]] = {}
    for ntid, flds, state in notes:
        if ntid not in note_types:
            continue
        values = flds.split("\x1f")
        index = fields_of[ntid]
        word = _word(values[index] if index < len(values) else "")
        counts.setdefault(ntid, [0, 0, 0])[state] += 1
        if word:
            best[word] = max(state, best.get(word, NEW))
    reports = tuple(NoteTypeCount(name, fields[fields_of[ntid]] if fields else "", fields,
                                  mature=counts[ntid][MATURE], young=counts[ntid][YOUNG], new=counts[ntid][NEW])
                    for ntid, (name, fields) in sorted(note_types.items(), key=lambda item: item[1][0])
                    if ntid in counts)
    by_state: list[set[str]] = [set(), set(), set()]
    for word, state in best.items():
        by_state[state].add(word)
    return AnkiWords(source, frozenset(by_state[MATURE]), frozenset(by_state[YOUNG]), frozenset(by_state[NEW]), reports)


# The best state of each note's cards, computed by SQLite in one pass over the cards.
NOTES_BY_STATE = """
SELECT n.mid, substr(n.flds, 1, :limit),
       max(CASE WHEN c.type = 2 AND c.ivl >= :mature THEN 2 WHEN c.type IN (1, 2, 3) THEN 1 ELSE 0 END)
FROM notes n JOIN cards c ON c.nid = n.id
GROUP BY n.id ORDER BY n.id
"""


def read_collection(path: Path, mature_days: int = MATURE_DAYS, choices: Mapping[str, str] | None = None) -> AnkiWords:
    """The words of the collection file `path`, read-only, in one short read transaction.
    Raises AnkiBusy when Anki has it open, VocabError when it is no Anki collection."""
    try:
        # mode=ro: never written. The timeout covers Anki closing or opening the file right now;
        # a running Anki holds its exclusive lock for as long as it runs, so waiting longer is useless.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT)
    except sqlite3.Error as exc:
        raise VocabError(f"{path}: cannot open it as an Anki collection ({exc}); check the path") from None
    try:
        connection.text_factory = lambda data: data.decode("utf-8", "replace")
        with connection:  # one transaction: note types and notes from the same state of the file
            connection.execute("BEGIN")
            note_types = _note_types(connection, path)
            rows = connection.execute(NOTES_BY_STATE, {"limit": MAX_FIELDS_CHARS, "mature": mature_days}).fetchall()
        return words_by_state(rows, note_types, choices or {}, str(path))
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise AnkiBusy(f"{path}: Anki has this collection open") from None
        raise VocabError(f"{path}: not a readable Anki collection ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise VocabError(f"{path}: not a readable Anki collection ({exc})") from None
    finally:
        connection.close()


def _note_types(connection: sqlite3.Connection, path: Path) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Note type id → (name, field names in order), from the tables of Anki 2.1.28+."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"notetypes", "fields", "notes", "cards"} <= tables:
        raise VocabError(f"{path}: not an Anki 2.1.28+ collection (no notetypes/fields tables): "
                         "open it once in a current Anki, or export it as .apkg and use --known")
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in connection.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(ntid, []).append((ord_, name))
    return {ntid: (name, tuple(n for _, n in sorted(fields.get(ntid, []))))
            for ntid, name in connection.execute("SELECT id, name FROM notetypes")}


def anki_words(spec: str | None = None, mature_days: int = MATURE_DAYS,
               choices: Mapping[str, str] | None = None, *, url: str | None = None) -> AnkiWords:
    """The learner's words in Anki: from the collection file when Anki has it closed, else
    from the running Anki through AnkiConnect; neither possible is one VocabError saying what to do."""
    path = collection_path(spec)
    try:
        return read_collection(path, mature_days, choices)
    except AnkiBusy:
        from vocab.output.ankiconnect import AnkiConnect, AnkiConnectUnreachable

        client = AnkiConnect(url)
        try:
            return words_through_ankiconnect(client, mature_days, choices or {})
        except AnkiConnectUnreachable:
            raise VocabError(f"{path}: Anki has this collection open and AnkiConnect is not reachable at "
                             f"{client.url}: close Anki (vocab then reads the file), or install the "
                             "AnkiConnect add-on (code 2055492159) so vocab can ask Anki") from None


def words_through_ankiconnect(client: object, mature_days: int = MATURE_DAYS,
                              choices: Mapping[str, str] | None = None) -> AnkiWords:
    """The same AnkiWords, asked of a running Anki (`client`: an AnkiConnect)."""
    card_ids = client.call("findCards", query="")  # type: ignore[attr-defined]
    note_types: dict[int, tuple[str, tuple[str, ...]]] = {}
    ids_of: dict[str, int] = {}
    notes: dict[int, list] = {}
    for info in _batched_cards_info(client, card_ids):
        name = info["modelName"]
        if name not in ids_of:
            ids_of[name] = len(ids_of)
            fields = sorted(info["fields"].items(), key=lambda item: item[1]["order"])
            note_types[ids_of[name]] = (name, tuple(n for n, _ in fields))
        state = card_state(info["type"], info["interval"], mature_days)
        names = note_types[ids_of[name]][1]
        flds = "\x1f".join(info["fields"][n]["value"] for n in names)
        entry = notes.setdefault(info["note"], [ids_of[name], flds, state])
        entry[2] = max(entry[2], state)
    rows = [tuple(notes[nid]) for nid in sorted(notes)]
    return words_by_state(rows, note_types, choices or {}, client.url)  # type: ignore[attr-defined]


def _batched_cards_info(client: object, card_ids: Sequence[int], size: int = 500) -> Iterator[dict]:
    for start in range(0, len(card_ids), size):
        yield from client.call("cardsInfo", cards=list(card_ids[start:start + size]))  # type: ignore[attr-defined]
