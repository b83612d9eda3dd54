"""Candidate vocabulary: single content words, compound terms and names, with where they occur.

UniDic splits terms finely (包括/的/戦略/パートナーシップ) and leaves many foreign names unknown or
tagged as common nouns (ラヴロフ, マドゥロ), so this stage rebuilds both from token runs:
names from proper-noun and unknown tokens next to a title (大統領, 外相, 氏) or joined by ・,
compounds from noun runs, kept when JMdict lists them, when they recur, or when every part is a
dictionary word.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from vocab import dictionary, frequency
from vocab.kana import has_kanji, hiragana, is_kana, is_katakana
from vocab.sentences import Sentence
from vocab.tokens import Token

# Words that follow a person's name in news copy; what stands right before one is a name.
TITLES = frozenset({
    "氏", "さん", "様", "大統領", "首相", "外相", "主席", "国家主席", "総書記", "議長", "長官", "大臣",
    "報道官", "教授", "大使", "総統", "国王", "首脳", "補佐官", "顧問", "書記長", "事務局長", "総裁",
    "代表", "議員", "知事", "市長", "委員長", "司令官", "元首", "政権", "国防相", "財務相", "蔵相",
})
HONORIFIC = "氏"
PERSON, PLACE = "person", "place"
CONTENT_POS = {"名詞": "noun", "動詞": "verb", "形容詞": "adjective", "形状詞": "noun", "副詞": "adverb"}
# Noun subtypes that never make a vocabulary item on their own (numbers, pronouns).
NOT_CONTENT_POS2 = {"数詞", "代名詞"}
MAX_COMPOUND_PARTS = 8
MAX_UNLISTED_PARTS = 5  # an unlisted compound longer than this is a phrase, not a term
NAME_SEPARATOR = "・"


class Occurrence(NamedTuple):
    """Where a candidate occurs: a sentence and the character span of the word in it."""

    sentence: Sentence
    start: int
    end: int


class Mention(NamedTuple):
    """One candidate found in one sentence, before the corpus decides what to keep."""

    word: str
    reading: str                 # katakana, as UniDic gives it
    kind: str                    # "word", "compound" or "name"
    parts: tuple[Token, ...]
    start: int
    end: int
    maximal: bool = False        # a compound: the whole noun run, not a piece of it
    name_type: str | None = None


@dataclass(slots=True)
class Candidate:
    """A word, compound or name with every place it occurs in the articles."""

    word: str                    # dictionary form as written (行く, 包括的戦略パートナーシップ)
    reading: str                 # hiragana (katakana words keep katakana)
    kind: str
    parts: tuple[Token, ...]     # the tokens of the first occurrence
    name_type: str | None = None
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How often the candidate occurs in the articles."""
        return len(self.occurrences)

    @property
    def pos_class(self) -> str | None:
        """noun/verb/adjective/adverb of the head (last) token, for choosing JMdict senses."""
        return CONTENT_POS.get(self.parts[-1].pos[0]) if self.kind == "word" else "noun"

    @property
    def accent(self) -> str | None:
        """UniDic accent type of a single word (compounds change accent; we don't guess)."""
        return self.parts[0].accent if len(self.parts) == 1 else None

    @property
    def part_words(self) -> tuple[str, ...]:
        """The dictionary forms of the parts (包括, 的, 戦略, パートナーシップ)."""
        return tuple(t.base for t in self.parts)


class WordClass(NamedTuple):
    """What a word can be in a candidate, wherever it stands. Computed once per distinct word:
    a corpus has a few thousand among hundreds of thousands of tokens (12 k among 500 k in
    1000 articles), so the passes over every token only read flags."""

    name: bool          # a person or place name, or an unknown word (is_name_token)
    title_name: bool    # a katakana common noun, a name when a title follows (トランプ大統領)
    content: bool       # a word to learn on its own
    compoundable: bool  # can stand in a compound
    head_noun: bool     # a real noun: a compound needs one
    noun_suffix: bool   # 的, 化, 間: heads a compound when something follows (二国間協議)
    number: bool        # a numeral: what follows it is a counter (80周年, 2カ国)


_CLASSES: dict[tuple, WordClass] = {}


def word_classes(tokens: Sequence[Token]) -> list[WordClass]:
    """The WordClass of each token."""
    classes = []
    for token in tokens:
        key = (token.surface, token.base, token.pos, token.unknown)
        word_class = _CLASSES.get(key)
        if word_class is None:
            word_class = _CLASSES[key] = WordClass(
                is_name_token(token), _katakana_common_noun(token), _is_content_word(token),
                _compoundable(token), _is_head_noun(token), _is_noun_suffix(token), token.pos[1] == "数詞")
        classes.append(word_class)
    return classes


def is_name_token(token: Token) -> bool:
    """Proper nouns for people and places, and unknown words (foreign names land there)."""
    return (token.pos[1] == "固有名詞" and token.pos[2] in ("人名", "地名")) or (
        token.unknown and not token.surface.isascii() and token.pos[1] != "数詞")


def _name_type(tokens: Sequence[Token]) -> str:
    return PLACE if all(t.pos[2] == "地名" for t in tokens) else PERSON


def _title_follows(tokens: Sequence[Token], i: int) -> bool:
    """A title right after token i, or after a one-kanji country (トランプ米大統領, 王毅中国外相)."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and len(nxt.surface) == 1 and i + 2 < len(tokens) and _is_title(tokens[i + 2]):
        return True
    return _is_title(nxt)


def _is_title(token: Token | None) -> bool:
    return token is not None and (token.surface in TITLES or token.base in TITLES)


def name_spans(tokens: Sequence[Token], classes: Sequence[WordClass] | None = None) -> list[tuple[int, int, str]]:
    """(first, last+1, type) token spans that form one name each: 習近 + 平 → 習近平,
    ウラジーミル ・ プーチン → one name. Unknown common-noun katakana words count as names only
    next to a title (ラヴロフ外相) or a name separator. `classes`: the tokens' word_classes."""
    if classes is None:
        classes = word_classes(tokens)
    spans = []
    i = 0
    while i < len(tokens):
        # Most tokens are none of what can start a name: skip them without looking around.
        if not (tokens[i].unknown or classes[i].name or classes[i].title_name) or not _starts_name(tokens, classes, i):
            i += 1
            continue
        j = _known_name_end(tokens, i) or i + 1
        while j < len(tokens):
            if tokens[j].surface == NAME_SEPARATOR and j + 1 < len(tokens) and _name_type([tokens[j - 1]]) == PERSON \
                    and is_katakana(tokens[j - 1].surface) \
                    and (classes[j + 1].name and _name_type([tokens[j + 1]]) == PERSON
                         or is_katakana(tokens[j + 1].surface)):
                j += 2  # ドナルド・トランプ: after a katakana given name, any katakana word is the surname
            elif classes[j].name and (tokens[j].unknown or tokens[j - 1].unknown
                                      or (tokens[j].pos[2] == tokens[j - 1].pos[2] == "人名")):
                j += 1
            else:
                break
        spans.append((i, j, _name_type(tokens[i:j])))
        i = j
    return spans


PERSON_TYPES = frozenset({"person", "surname", "given", "masc", "fem"})
MAX_NAME_PIECES = 3


def _known_name_end(tokens: Sequence[Token], i: int) -> int | None:
    """End of the longest run from an unknown token that JMnedict knows as a person: UniDic cuts
    習近平 into 習近 + 平 (平 as a common noun)."""
    if not tokens[i].unknown or tokens[i].surface.isascii():
        return None
    for j in range(min(len(tokens), i + MAX_NAME_PIECES), i + 1, -1):
        if any(tokens[k].end != tokens[k + 1].start for k in range(i, j - 1)):
            continue
        form = "".join(t.surface for t in tokens[i:j])
        if PERSON_TYPES & set(dictionary.name_types(form)):
            return j
    return None


def _starts_name(tokens: Sequence[Token], classes: Sequence[WordClass], i: int) -> bool:
    token = tokens[i]
    if _known_name_end(tokens, i):
        return True
    if not classes[i].name:
        return classes[i].title_name and _title_follows(tokens, i)
    if token.unknown and not token.surface.endswith(HONORIFIC):
        # An unknown word is a name only with evidence: a title or another name next to it.
        if i + 1 < len(tokens) and (classes[i + 1].name or tokens[i + 1].surface == NAME_SEPARATOR):
            return True
        return _title_follows(tokens, i)
    return True


def _katakana_common_noun(token: Token) -> bool:
    """Katakana words UniDic takes for common nouns (トランプ, a card game): a name before a title."""
    return (is_kana(token.surface) and hiragana(token.surface) != token.surface
            and token.pos[1] == "普通名詞" and len(token.surface) > 2)


class SentenceMentions(NamedTuple):
    """The candidates found in one sentence. Single words stay tokens until the corpus is read:
    most mentions are words (209 k of 290 k in 1000 articles), and a Mention each for all of
    them at once was a third of the stage's peak memory."""

    sentence: Sentence
    names: list[Mention]
    words: list[Token]
    compounds: list[Mention]


def sentence_mentions(sentence: Sentence, tokens: Sequence[Token]) -> SentenceMentions:
    """Every candidate in one tagged sentence: names, single words and compound pieces."""
    classes = word_classes(tokens)
    names: list[Mention] = []
    in_name = [False] * len(tokens)
    lone_place = [False] * len(tokens)
    for i, j, name_type in name_spans(tokens, classes):
        names.append(_name_mention(sentence, tokens[i:j], name_type))
        in_name[i:j] = [True] * (j - i)
        lone_place[i] = j == i + 1 and name_type == PLACE
    words = [token for i, token in enumerate(tokens)  # not after a number: 80周年, 2カ国 are counters
             if classes[i].content and not in_name[i] and not (i > 0 and classes[i - 1].number)]
    compounds = [mention for start, end in _noun_runs(tokens, classes, in_name, lone_place)
                 for mention in _compound_mentions(sentence, tuple(tokens[start:end]), classes[start:end])]
    return SentenceMentions(sentence, names, words, compounds)


def _name_mention(sentence: Sentence, parts: Sequence[Token], name_type: str) -> Mention:
    start, end = parts[0].start, parts[-1].end
    word = sentence.text[start:end]
    if word.endswith(HONORIFIC) and len(word) > 1:
        # 習近 + 平氏: UniDic reads 平氏 as one name; 氏 is the honorific, not part of the name.
        word, end = word[:-1], end - 1
    reading = "".join(t.reading for t in parts) if all(t.reading for t in parts) else ""
    if reading.endswith("シ") and word != sentence.text[start:parts[-1].end]:
        reading = ""  # the reading included 氏; better none than a wrong one
    return Mention(word, reading, "name", tuple(parts), start, end, name_type=name_type)


def _is_content_word(token: Token) -> bool:
    pos_class = CONTENT_POS.get(token.pos[0])
    if pos_class is None or token.pos[1] in NOT_CONTENT_POS2 or token.unknown:
        return False
    if token.pos[1] == "固有名詞" and token.pos[2] in ("人名", "地名"):
        return False
    text = token.base
    if text.endswith("ふ") and has_kanji(text):
        return False  # 習ふ: a classical verb in modern news is a misparse (プーチンと習は → 習ふ)
    # No lone kana, no Latin, no digits: a learner can't study them as words.
    if len(text) < 2 and not has_kanji(text):
        return False
    return any(not ch.isascii() for ch in text) and not any(ch.isdigit() for ch in text)


def _compoundable(token: Token) -> bool:
    if token.unknown or not (has_kanji(token.surface) or is_kana(token.surface)):
        return False
    if not has_kanji(token.surface) and hiragana(token.surface) == token.surface:
        return False  # とも, こと: hiragana pieces glue phrases, not terms
    if token.pos[0] == "名詞":
        # Kanji numerals build terms (二国間, 五カ年計画); digits never do.
        return token.pos[1] in ("普通名詞", "固有名詞") or (token.pos[1] == "数詞" and has_kanji(token.surface))
    if token.pos[0] == "形状詞":
        return token.pos[1] == "一般"  # グローバル + サウス, 重要 + 課題
    if token.pos[0] == "接頭辞":
        return True
    return token.pos[0] == "接尾辞" and token.pos[1] in ("名詞的", "形状詞的") and token.pos[2] != "助数詞"


def _noun_runs(tokens: Sequence[Token], classes: Sequence[WordClass], in_name: Sequence[bool],
               lone_place: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of nouns, prefixes and noun-making suffixes (的, 化, 性, 国, 間), without
    person names, as (first, last+1) token spans; a leading one-word place name stays
    (上海協力機構) and is judged later."""
    runs: list[tuple[int, int]] = []
    start = None  # of the current run
    for i, token in enumerate(tokens):
        joins = (classes[i].compoundable and not in_name[i]) or (lone_place[i] and start is None)
        if start is not None and (not joins or tokens[i - 1].end != token.start):
            runs.append(_trimmed(tokens, start, i))
            start = None
        if not joins or (start is None and (token.pos[0] == "接尾辞" or (i > 0 and classes[i - 1].number))):
            continue  # a suffix or a counter (2017年, 5番目) cannot start a term
        if start is None:
            start = i
    if start is not None:
        runs.append(_trimmed(tokens, start, len(tokens)))
    return [(start, end) for start, end in runs if end - start >= 2]


def _trimmed(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """The run without prefixes at its end: a prefix needs something after it."""
    while end > start and tokens[end - 1].pos[0] == "接頭辞":
        end -= 1
    return start, end


def _is_head_noun(token: Token) -> bool:
    """Not a numeral or counter: 第二 and 数週間 are numbers with a counter, not terms."""
    pos = token.pos
    return pos[0] == "形状詞" or (pos[0] == "名詞" and pos[1] != "数詞" and pos[2] != "助数詞可能")


def _is_noun_suffix(token: Token) -> bool:
    return token.pos[0] == "接尾辞" and token.pos[1] == "名詞的"


def _compound_mentions(sentence: Sentence, run: tuple[Token, ...], classes: Sequence[WordClass]) -> Iterable[Mention]:
    for i in range(len(run)):
        if run[i].pos[0] == "接尾辞":
            continue
        for j in range(i + 2, min(len(run), i + MAX_COMPOUND_PARTS) + 1):
            parts = run[i:j]
            if parts[-1].pos[0] == "接頭辞" or not _has_head_noun(classes[i:j]):
                continue
            word = sentence.text[parts[0].start:parts[-1].end]
            reading = "".join(t.reading for t in parts)
            yield Mention(word, reading, "compound", parts, parts[0].start, parts[-1].end,
                          maximal=(i == 0 and j == len(run)) or (i == 1 and _is_place(run[0]) and j == len(run)))


def _has_head_noun(classes: Sequence[WordClass]) -> bool:
    return any(c.head_noun for c in classes) or any(c.noun_suffix for c in classes[:-1])  # 二国間


def _is_place(token: Token) -> bool:
    return token.pos[1] == "固有名詞" and token.pos[2] == "地名"


def find_candidates(tagged: Iterable[tuple[Sentence, Sequence[Token]]]) -> list[Candidate]:
    """Collect candidates over all sentences, keep the compounds worth learning, and merge
    every occurrence of the same (word, reading). Order: first occurrence in the articles."""
    found = [sentence_mentions(sentence, tokens) for sentence, tokens in tagged]
    names = {m.word for f in found for m in f.names}
    kept = _compounds_to_keep([m for f in found for m in f.compounds], names)
    merged = _Merged()
    for sentence, found_names, words, compounds in found:
        for mention in found_names:
            merged.add_name(sentence, mention, mention.name_type)
        for token in words:
            if token.base in names or token.surface in names:
                # トランプ, 習: a name elsewhere in these articles (トランプ大統領, 習主席), so a name here
                # too, whatever UniDic made of it (習 → the verb 習う).
                merged.add_name(sentence, Mention(token.surface, token.reading, "name", (token,), token.start,
                                                  token.end), PERSON)
            else:
                merged.add_word(sentence, token)
        for mention in compounds:
            if mention.word in kept:
                kind, name_type = kept[mention.word]
                merged.add(sentence, mention, kind, name_type)
    candidates = merged.candidates()
    bound = _bound_pieces(candidates)
    return [c for c in candidates if id(c) not in bound]


class _Merged:
    """Mentions merged into one Candidate per (identity, card reading), in order of first
    occurrence. Identity is UniDic's lemma for single words, so spelling variants share a card
    (中ロ and 中露 → 中露), and the written form for the rest."""

    def __init__(self) -> None:
        self._candidates: dict[tuple[str, str], Candidate] = {}
        self._spellings: dict[tuple[str, str], dict[str, int]] = {}  # key → spelling → count

    def add_word(self, sentence: Sentence, token: Token) -> None:
        """A single content word (the common case: no Mention is built for it)."""
        base = token.base
        reading = _card_reading(base, token.base_reading or token.reading)
        key = (token.lemma, reading)
        candidate = self._candidates.get(key) or self._new(key, Candidate(base, reading, "word", (token,)))
        candidate.occurrences.append(Occurrence(sentence, token.start, token.start + len(token.surface)))
        counts = self._spellings[key]
        counts[base] = counts.get(base, 0) + 1

    def add_name(self, sentence: Sentence, mention: Mention, name_type: str | None) -> None:
        """A name, unless it is in Latin script (Xi, Putin): that is not Japanese vocabulary."""
        if not mention.word.isascii():
            self.add(sentence, mention, "name", name_type)

    def add(self, sentence: Sentence, mention: Mention, kind: str, name_type: str | None) -> None:
        """Any mention, as `kind`."""
        reading = _card_reading(mention.word, mention.reading)
        key = (mention.parts[0].lemma if kind == "word" else mention.word, reading)
        candidate = self._candidates.get(key) or self._new(
            key, Candidate(mention.word, reading, kind, mention.parts, name_type))
        self._occurs(candidate, key, mention.word, Occurrence(sentence, mention.start, mention.end))

    def _new(self, key: tuple[str, str], candidate: Candidate) -> Candidate:
        self._candidates[key] = candidate
        self._spellings[key] = {}
        return candidate

    def _occurs(self, candidate: Candidate, key: tuple[str, str], spelling: str, occurrence: Occurrence) -> None:
        candidate.occurrences.append(occurrence)
        counts = self._spellings[key]
        counts[spelling] = counts.get(spelling, 0) + 1

    def candidates(self) -> list[Candidate]:
        """The candidates, each named by the spelling these articles use most (first seen on a tie)."""
        for key, candidate in self._candidates.items():
            candidate.word = max(self._spellings[key].items(), key=lambda item: item[1])[0]
        return list(self._candidates.values())


@functools.lru_cache(maxsize=65536)  # called for every mention; words recur
def _card_reading(word: str, reading: str) -> str:
    """The reading a card shows: hiragana, but katakana for katakana words (loanwords, names)."""
    return reading if is_katakana(word) else hiragana(reading)


def _bound_pieces(candidates: Sequence[Candidate]) -> set[int]:
    """Words that occur only inside one compound (the shortest around them) and are rarer alone
    than that compound in general Japanese: UniDic's pieces (衆議 of 衆議院, 導体 of 半導体).
    Pieces that live on their own (干渉 of 内政干渉) stay. Returns the candidates' ids."""
    compound_spans: dict[Sentence, list[tuple[int, int, Candidate]]] = defaultdict(list)
    for c in candidates:
        if c.kind == "compound":
            for o in c.occurrences:
                compound_spans[o.sentence].append((o.start, o.end, c))
    bound = set()
    for c in candidates:
        if c.kind != "word":
            continue
        hosts = set()
        for o in c.occurrences:
            covering = [(end - start, start, host.word) for start, end, host in compound_spans.get(o.sentence, ())
                        if start <= o.start and o.end <= end and host is not c]
            if not covering:
                break
            hosts.add(min(covering)[2])
        else:
            # Compare only with a compound wordfreq lists itself: its tokenizer splits most terms,
            # and a Zipf combined from parts is always below each part.
            host = hosts.pop() if len(hosts) == 1 else None
            if host is not None and 0 < frequency.zipf(c.word) < frequency.zipf(host):
                bound.add(id(c))
    return bound


def _compounds_to_keep(compounds: list[Mention], names: set[str]) -> dict[str, tuple[str, str | None]]:
    """Compound forms worth a card, each with its (kind, name type).

    Kept: forms JMdict lists; organisations JMnedict lists that recur (上海協力機構); and whole
    noun runs that recur or are built from dictionary words, unless they are phrases (a name
    inside, a counter or adverbial suffix at the end, too many parts). A listed form that starts
    with a place name (アメリカ合衆国, カリブ海) is itself a place name.
    """
    forms = {m.word for m in compounds}
    listed = dictionary.listed_forms(forms)
    named = dictionary.lookup_names(forms)
    known_parts = dictionary.listed_forms({t.base for m in compounds for t in m.parts})
    counts: dict[str, int] = defaultdict(int)
    for m in compounds:
        counts[m.word] += 1
    keep: dict[str, tuple[str, str | None]] = {}
    for m in compounds:
        if m.word in keep:
            continue
        organisation = m.word in named and {"organization", "company"} & set(named[m.word].types)
        if organisation and counts[m.word] >= 2:
            keep[m.word] = ("compound", None)
        elif _is_place(m.parts[0]):
            if m.word in listed or m.word in named:
                keep[m.word] = ("name", PLACE)
        elif any(t.surface in names for t in m.parts):
            continue
        elif m.word in listed:
            keep[m.word] = ("word" if not has_kanji(m.word) else "compound", None)
        elif m.maximal and _term_like(m.parts, counts[m.word], known_parts):
            keep[m.word] = ("compound", None)
    return keep


# Endings that make a phrase of a noun run (安全保障上, 2017年以来, 任期中), not a term.
PHRASE_ENDINGS = frozenset({"上", "中", "下", "後", "前", "以来", "以降", "以外", "以上", "以内", "ぶり", "目"})


def _term_like(parts: Sequence[Token], count: int, known_parts: set[str]) -> bool:
    """An unlisted noun run that reads as a term: few parts, all dictionary words, at least two
    real nouns, no adverbial ending; seen once, it must not end in an action noun (大統領拉致)."""
    words = [t for t in parts if t.pos[0] in ("名詞", "形状詞")]
    if len(words) < 2 or len(parts) > MAX_UNLISTED_PARTS or parts[-1].surface in PHRASE_ENDINGS:
        return False
    if not all(t.base in known_parts for t in parts):
        return False
    return count >= 2 or parts[-1].pos[2] != "サ変可能"
