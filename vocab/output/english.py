"""Plain English on cards: a compound JMdict lacks as an English phrase, parts of speech as a
learner names them, frequency in words."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

PARENTHESES = re.compile(r"\s*\([^()]*\)")
# An -ic/-al adjective JMdict gives for X的 is X's relational adjective (戦略 strategy → 戦略的
# strategic) when it shares X's gloss stem; "peaceful" or "developmental" are not (平和会議 is a
# peace conference), so only these endings count, and -mental is left out.
RELATIONAL = re.compile(r"(?:ic|ical|al)$")
MIN_STEM = 4
NEWS_COMMON_RANK = 12_000  # JMdict's nf01–nf24: the top half of its newspaper ranking

# JMdict's part-of-speech names (jamdict spells them out) → what a learner calls them.
POS_NAMES = {
    "noun (common) (futsuumeishi)": "noun",
    "noun or participle which takes the aux. verb suru": "noun, する verb",
    "nouns which may take the genitive case particle 'no'": "noun (+の)",
    "adjectival nouns or quasi-adjectives (keiyodoshi)": "な adjective",
    "adjective (keiyoushi)": "い adjective",
    "'taru' adjective": "たる adjective",
    "adverb (fukushi)": "adverb",
    "adverb taking the 'to' particle": "adverb (+と)",
    "transitive verb": "transitive",
    "intransitive verb": "intransitive",
    "Ichidan verb": "verb (ichidan)",
    "suru verb - special class": "する verb",
    "suru verb - included": "する verb",
    "noun, used as a suffix": "suffix",
    "noun, used as a prefix": "prefix",
    "prefix": "prefix",
    "suffix": "suffix",
    "expressions (phrases, clauses, etc.)": "expression",
    "conjunction": "conjunction",
    "pronoun": "pronoun",
    "counter": "counter",
    "numeric": "number",
    "interjection (kandoushi)": "interjection",
    "pre-noun adjectival (rentaishi)": "pre-noun adjective",
    "organization": "organisation",
    "name": "name",
}
GODAN = re.compile(r"^Godan verb with '(\w+)' ending")
ROMAJI_NOTE = re.compile(r"\s*\((?:[a-z]+)\)$")


def plain_pos(pos: Sequence[str]) -> str:
    """JMdict parts of speech as a learner reads them, verbs first: "verb (godan), transitive"."""
    # "noun" and "noun, する verb" say noun once: each name's pieces are kept once, in order.
    names = [piece for p in pos for piece in _plain_one(p).split(", ") if piece]
    names = sorted(dict.fromkeys(names), key=lambda n: not n.startswith("verb"))
    return ", ".join(names)


@functools.lru_cache(maxsize=256)
def _plain_one(pos: str) -> str:
    if pos in POS_NAMES:
        return POS_NAMES[pos]
    if GODAN.match(pos):
        return "verb (godan)"
    return ROMAJI_NOTE.sub("", pos)  # "… (keiyoushi)": the Japanese term in romaji helps no one


def plain_gloss(gloss: str) -> str:
    """A gloss without its notes and a verb's "to": "trade (foreign)" → "trade"."""
    gloss = " ".join(PARENTHESES.sub("", gloss).split()) or gloss
    return gloss[3:] if gloss.startswith("to ") else gloss


def compound_english(part_glosses: Sequence[tuple[str, str]],
                     adjective_of: Callable[[str], str | None] = lambda part: None) -> str:
    """A compound JMdict lacks, as an English phrase from its parts' glosses: modifiers first, the
    head last, as Japanese has them (包括的戦略パートナーシップ → "comprehensive strategic partnership").
    `adjective_of(part)` is the gloss of part+的 if JMdict lists it (戦略 → "strategic"), used for
    a modifier when it is the part's relational adjective. A head in -ing takes its modifier
    after "of" (協力強化 → "strengthening of cooperation")."""
    words = [plain_gloss(gloss) for _, gloss in part_glosses]
    if not words:
        return ""
    for index, (part, _) in enumerate(part_glosses[:-1]):
        adjective = adjective_of(part)
        if adjective and _relational(words[index], plain_gloss(adjective)):
            words[index] = plain_gloss(adjective)
    head = words[-1]
    if len(words) > 1 and head.endswith("ing") and " " not in head:
        return f"{head} of {' '.join(words[:-1])}"
    return " ".join(words)


def _relational(noun: str, adjective: str) -> bool:
    if " " in adjective or not RELATIONAL.search(adjective) or adjective.endswith("mental"):
        return False
    stem = min(len(noun), len(adjective)) - 1
    return stem >= MIN_STEM and noun[:MIN_STEM].lower() == adjective[:MIN_STEM].lower()


def frequency_words(zipf: float, news_rank: int | None) -> str:
    """How common a word is, as a person says it: "common in news, rare in general use".
    `news_rank` is its rank in newspaper text (JMdict's nf bands); the top half counts as common."""
    general = ("very common" if zipf >= 5 else "common" if zipf >= 4 else "less common" if zipf >= 3
               else "rare" if zipf > 0 else "very rare")
    if news_rank is None or news_rank > NEWS_COMMON_RANK:
        return f"{general} in general use"
    if zipf >= 4:
        return "common in news and in general use"
    return f"common in news, {general} in general use"
