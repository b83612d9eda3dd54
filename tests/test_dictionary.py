"""JMdict, JMnedict and KANJIDIC2 from the installed jamdict-data database."""

from __future__ import annotations

from vocab import dictionary


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
