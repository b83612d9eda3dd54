"""Rank terms by how characteristic they are of these articles, and filter what a learner skips.

Keyness is the log-likelihood (G²) of a term's count in the articles against what general
Japanese (wordfreq) predicts for a text of this length, so a term scores high when it is both
frequent here and rare elsewhere. Harder JLPT levels and unlisted terms get a boost, since
they are what a textbook learner has not met.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from vocab.learner.selection import Selection, is_known, level_of
from vocab.resources import frequency
from vocab.resources.kana import is_hiragana, is_katakana
from vocab.terms import register
from vocab.terms.glossary import Term

# Site furniture that can survive cleaning inside a sentence ("記事を掲載"): never vocabulary.
WEB_WORDS = frozenset({"記事", "ロゴ", "メニュー", "ランキング", "クリック", "画像", "出典", "ログイン",
                       "シェア", "リンク", "外部リンク", "ページ", "サイト", "ツイート", "コメント", "ボタン", "オープナー"})
# wordfreq's Japanese table, rank against Zipf: log10(rank) ≈ (8.2 - zipf) / 1.1, fitted by eye
# to ranks 100 (5.99), 1 000 (4.96) and 10 000 (3.80) of wordfreq 3.1.1.
RANK_ZIPF_INTERCEPT, RANK_ZIPF_SLOPE = 8.2, 1.1
NEWS_WEIGHT = 1.5          # a word 10× higher in newspaper rank than in general rank gains 1.5
NEWS_BONUS_RANGE = (-1.0, 2.0)
COMPOUND_BONUS = 0.5       # terms are what a textbook never teaches
TRANSPARENT_PREFIXES = "反非親脱"  # anti-, non-, pro-, de-: a kanji prefix on a loanword English has too
GRAMMAR_ZIPF = 4.5  # a hiragana-only word this common is a function word (まま 5.0, すべて 5.2)
# Extra weight by level: N3 a little, N1 and unlisted words most.
LEVEL_WEIGHT = {"N5": 0.0, "N4": 0.0, "N3": 0.3, "N2": 0.6, "N1": 0.9, None: 0.8}


def keyness(count: int, token_count: int, zipf: float) -> float:
    """G² of `count` occurrences in `token_count` tokens against the general frequency `zipf`."""
    expected = token_count * frequency.relative_frequency(zipf)
    if count <= expected:
        return 0.0
    return 2 * (count * math.log(count / expected) - (count - expected))


def newsiness(term: Term) -> float:
    """How much higher the word ranks in newspaper text (JMdict's nf band) than in general
    Japanese (wordfreq), in powers of ten: 外相 ≈ 1.8, 政府 ≈ 0.4, 理解 ≈ -0.2; 0 if unknown."""
    if term.news_rank is None or term.zipf <= 0:
        return 0.0
    general_rank_log = (RANK_ZIPF_INTERCEPT - term.zipf) / RANK_ZIPF_SLOPE
    low, high = NEWS_BONUS_RANGE
    return min(high, max(low, general_rank_log - math.log10(term.news_rank)))


def score(term: Term, token_count: int) -> float:
    """Keyness on a log scale, weighted up for harder levels, plus the news register bonus."""
    base = math.log1p(keyness(term.count, token_count, term.zipf)) * (1 + LEVEL_WEIGHT.get(term.jlpt, 0.8))
    bonus = NEWS_WEIGHT * newsiness(term) + (COMPOUND_BONUS if term.kind == "compound" else 0.0)
    return round(base + bonus, 4)


def is_noise(term: Term) -> bool:
    """Latin-only, digits, lone kana, web furniture: never a card."""
    word = term.word
    return (word.isascii() or any(ch.isdigit() for ch in word) or word in WEB_WORDS
            or (len(word) == 1 and not ("\u3400" <= word <= "\u9fff")))


def is_general(term: Term) -> bool:
    """General vocabulary rather than the language of political news: a word teachers marked
    general (目的), or a katakana word that is its English source (パートナー, ビデオメッセージ)."""
    if term.kind == "word" and register.is_general_word(term.word):
        return True
    glosses = [gloss for sense in term.senses[:2] for gloss in sense]
    if is_katakana(term.word):
        return register.is_transparent_loanword(term.origin, glosses, katakana=term.word)
    # 反ファシズム "anti-fascism": a prefix English has too, on a transparent loanword.
    return (len(term.parts) == 2 and term.word[0] in TRANSPARENT_PREFIXES
            and is_katakana(term.word[1:]) and register.is_transparent_loanword(term.origin, glosses, prefixed=True))


def keep(term: Term, selection: Selection) -> bool:
    """True if `term` passes the learner's filters."""
    if is_noise(term) or is_known(selection.known, term.word, term.lemma):
        return False
    if term.kind == "name":
        return selection.names
    if is_hiragana(term.word) and term.zipf >= GRAMMAR_ZIPF:
        return False  # まま, とも, すべて: grammar, not vocabulary
    if not selection.general and is_general(term):
        return False
    if level_of(term.jlpt) not in selection.levels:
        return False
    # Unlisted words (Zipf 0) are rare, not common: they pass any min_zipf only if it is 0.
    return selection.min_zipf <= term.zipf <= selection.max_zipf or (term.zipf == 0 and selection.min_zipf <= 0)


def rank(terms: Iterable[Term], token_count: int, selection: Selection = Selection()) -> list[Term]:
    """The terms that pass `selection`, best first, with `score` set. The sort key is total
    (score, then word, then reading), so the order never depends on input order or hashing."""
    scored = [replace(term, score=score(term, token_count)) for term in terms if keep(term, selection)]
    scored.sort(key=lambda t: (-t.score, t.word, t.reading))
    return scored[: selection.limit] if selection.limit is not None else scored

