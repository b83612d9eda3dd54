"""JMdict, JMnedict and KANJIDIC2 from the installed jamdict-data database."""

from __future__ import annotations

import os

import pytest

from vocab.resources import dictionary


def test_reading_in_the_text_chooses_the_entry() -> None:
    entries = dictionary.lookup([("外相", "ガイショウ", "noun"), ("中ロ", "チュウロ", "noun")])
    assert entries[("外相", "ガイショウ", "noun")].reading == "がいしょう"
    assert "Foreign Minister" in entries[("外相", "ガイショウ", "noun")].glosses()
    assert entries[("中ロ", "チュウロ", "noun")].glosses()[0] == "Sino-Russian"


def test_kanji_forms_never_match_through_kana_alone() -> None:
    # 中露 is not a JMdict headword; its reading ちゅうろ belongs to 中呂 (a musical note).
    assert dictionary.lookup([("中露", "チュウロ", "noun")]) == {}


def test_senses_that_fit_the_part_of_speech_come_first() -> None:
    entry = dictionary.lookup([("的", "テキ", "suffix")])[("的", "テキ", "suffix")]
    assert any("suffix" in p for p in entry.senses[0].pos)


def test_news_rank_comes_from_the_nf_band() -> None:
    entry = dictionary.lookup([("外相", "ガイショウ", "noun")])[("外相", "ガイショウ", "noun")]
    assert entry.news_rank == 250  # nf01


def test_listed_forms_batch() -> None:
    assert dictionary.listed_forms(["安全保障理事会", "内政干渉", "包括的戦略パートナーシップ"]) == {
        "安全保障理事会", "内政干渉"}


def test_names_from_jmnedict() -> None:
    names = dictionary.lookup_names(["習近平", "上海協力機構"])
    assert names["習近平"].reading == "しゅうきんぺい" and "person" in names["習近平"].types
    assert "organization" in names["上海協力機構"].types


def test_kanji_info_from_kanjidic() -> None:
    info = dictionary.kanji_info("外相")
    assert "outside" in info["外"].meanings and "ガイ" in info["外"].onyomi and info["相"].strokes == 9


# Issue 12: the first gloss is the one political news means (teachers' choice, field tags, POS).
NEWS_SENSE_CASES = [
    ("会談", "カイダン", "noun", "conference"),
    ("機関", "キカン", "noun", "agency"),
    ("浮き彫り", "ウキボリ", "noun", "bringing to the fore"),
    ("取り組み", "トリクミ", "noun", "effort"),
    ("務める", "ツトメル", "verb", "to serve (as)"),
    ("拡大", "カクダイ", "noun", "expansion"),
    ("見通し", "ミトオシ", "noun", "outlook"),
]


@pytest.mark.parametrize(("word", "reading", "pos", "first"), NEWS_SENSE_CASES)
def test_first_gloss_is_the_news_sense(word: str, reading: str, pos: str, first: str) -> None:
    entry = dictionary.lookup([(word, reading, pos)])[(word, reading, pos)]
    assert entry.glosses()[0].startswith(first)


@pytest.mark.parametrize(("word", "reading", "not_first"), [
    ("命令", "メイレイ", "(software)"),   # a computing sense (JMdict field tag)
    ("役", "ヤク", "scoring combination"),  # a mahjong sense
    ("レベル", "レベル", "minor release"),  # a software sense that once won on "war" in "software"
])
def test_senses_of_other_fields_do_not_lead(word: str, reading: str, not_first: str) -> None:
    entry = dictionary.lookup([(word, reading, "noun")])[(word, reading, "noun")]
    assert not entry.glosses()[0].startswith(not_first)


def test_news_senses_file_matches_the_database() -> None:
    # Each line names a gloss by number and by text: a JMdict update that moves glosses fails here.
    moved = []
    for idseq, (sense, gloss) in dictionary.news_senses().items():
        senses = dictionary._senses({idseq}).get(idseq, [])
        texts = [s.glosses for s, _, _ in senses]
        line = next(l for l in dictionary.NEWS_SENSES.read_text(encoding="utf-8").splitlines() if l.startswith(f"{idseq}\t"))
        if sense >= len(texts) or line.split("\t")[3] not in texts[sense]:
            moved.append(idseq)
    assert not moved


def test_compound_parts_are_glossed_without_notes() -> None:
    entry = dictionary.lookup([("会談", "カイダン", "noun")])[("会談", "カイダン", "noun")]
    assert entry.short_gloss() == "conference"


@pytest.mark.parametrize(("word", "reading", "part"), [("禁止条約", "キンシジョウヤク", "ban (treaty)"),
                                                       ("交流", "コウリュウ", "exchange")])
def test_a_short_qualifier_stays_in_a_part_gloss(word: str, reading: str, part: str) -> None:
    assert dictionary.lookup([(word, reading, "noun")])[(word, reading, "noun")].short_gloss() == part


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_opens_its_own_connections() -> None:
    """SQLite connections must not cross fork(): the tagging pool's workers, forked from a process
    that has looked words up, open the databases again."""
    from vocab.resources import frequency, jlpt

    dictionary.connection()
    jlpt._connection()
    frequency.zipf("外相")
    pid = os.fork()
    if pid == 0:  # the child: nothing open yet, and lookups work
        fresh = not any(f.cache_info().currsize for f in (dictionary.connection, jlpt._connection, frequency._table))
        os._exit(0 if fresh and dictionary.name_types("習近平") and frequency.zipf("外相") > 0 else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert dictionary.connection.cache_info().currsize == 1  # the parent keeps its own
