"""Glossing: JMdict meanings, compounds glossed by parts, names, examples."""

from __future__ import annotations

from vocab.reading.sentences import Sentence
from vocab.reading.tokens import tokenize
from vocab.terms.candidates import find_candidates
from vocab.terms.glossary import gloss


def terms_of(*texts: str) -> dict[str, object]:
    sentences = [Sentence(f"{i}.txt", 0, text) for i, text in enumerate(texts)]
    return {t.word: t for t in gloss(find_candidates((s, tokenize(s.text)) for s in sentences))}


def test_unlisted_compound_is_glossed_by_its_parts() -> None:
    term = terms_of("両国は包括的戦略パートナーシップを結んだ。", "包括的戦略パートナーシップの強化。")["包括的戦略パートナーシップ"]
    assert term.kind == "compound" and not term.meanings
    assert term.parts_gloss == "comprehensive · strategy · partnership"


def test_listed_compound_uses_its_own_entry() -> None:
    term = terms_of("内政干渉に反対する。")["内政干渉"]
    assert term.meanings and "interference" in term.meaning


def test_kanji_words_get_hiragana_readings() -> None:
    assert terms_of("中ロ関係は深い。")["中ロ"].reading == "ちゅうろ"


def test_names_get_jmnedict_readings_and_glosses() -> None:
    term = terms_of("習近平国家主席は述べた。")["習近平"]
    assert term.kind == "name" and term.reading == "しゅうきんぺい" and term.meanings == ("Xi Jinping",)


def test_examples_come_from_different_articles_first() -> None:
    term = terms_of("外相が来た。", "外相は述べた。", "外相と会談。", "外相だ。")["外相"]
    assert [o.sentence.source for o in term.examples] == ["0.txt", "1.txt", "2.txt"]
    assert term.sources == ("0.txt", "1.txt", "2.txt", "3.txt")


def test_listed_compound_also_shows_its_parts() -> None:
    term = terms_of("国連安全保障理事会が開かれた。")["安全保障理事会"]
    assert term.meanings and [piece for piece, _ in term.part_glosses] == ["安全保障", "理事会"]


def test_organisation_is_a_name_with_its_jmnedict_gloss() -> None:
    term = terms_of("上海協力機構の首脳会議。", "上海協力機構に加盟した。")["上海協力機構"]
    assert term.kind == "name" and term.name_type == "organization"
    assert term.meanings == ("Shanghai Cooperation Organization",)


def test_an_abbreviation_beside_its_full_form_is_left_out() -> None:
    words = terms_of("自民党の総裁。", "自民の議員。")
    assert "自民党" in words and "自民" not in words


def test_an_abbreviation_the_articles_use_more_on_its_own_stays() -> None:
    words = terms_of("総理が述べた。", "新しい総理が誕生した。", "石破総理大臣は答えた。")
    assert {"総理", "総理大臣"} <= set(words)


def test_era_names_are_not_vocabulary() -> None:
    assert "令和" not in terms_of("令和5年度の予算。")


# Sentences a wire story and a quote print again and again, between sentences of each article's own.
REPRINTED = ("外相は制裁の強化を求めた。", "首脳会談で外相が制裁に触れた。", "制裁は続く。")
OWN = ("外相が来日した。", "外相と首相が会った。", "制裁について外相は述べた。", "両国の外相会談。")


def reprinted_corpus() -> list[Sentence]:
    """Eight articles whose sentences repeat across articles in shifting order."""
    sentences = []
    for article in range(8):
        texts = [REPRINTED[(article + k) % 3] if k % 2 else OWN[(article * k) % 4] for k in range(5)]
        sentences += [Sentence(f"{article}.txt", index, text) for index, text in enumerate(texts)]
    return sentences


def test_a_sentence_text_is_one_occurrence_counted_for_every_article_that_prints_it() -> None:
    sentences = reprinted_corpus()
    found = {c.word: c for c in find_candidates((s, tokenize(s.text)) for s in sentences)}
    assert found["外相"].count == sum(s.text.count("外相") for s in sentences)
    assert len(found["外相"].occurrences) == len({s.text for s in sentences if "外相" in s.text})
    assert found["制裁"].sources == tuple(dict.fromkeys(s.source for s in sentences if "制裁" in s.text))


def test_examples_from_shared_sentence_texts_are_those_of_every_sentence_walked_in_order() -> None:
    """pick_examples on one occurrence per text chooses what it chose from every occurrence."""
    from vocab.pipeline import unknown_to
    from vocab.terms.glossary import NewWords, pick_examples

    sentences = reprinted_corpus()
    for candidate in find_candidates((s, tokenize(s.text)) for s in sentences):
        each = [o._replace(instances=()) for _, _, o in sorted(
            (n, k, o) for k, occurrence in enumerate(candidate.occurrences) for n, o in occurrence.each())]
        assert len(each) == candidate.count
        for new_words in (None, NewWords(unknown_to(frozenset({"会談", "首相"})))):
            chosen = pick_examples(candidate.occurrences, candidate.word, new_words=new_words)
            walked = pick_examples(each, candidate.word, new_words=new_words)
            assert [(o.sentence, o.start) for o in chosen] == [(o.sentence, o.start) for o in walked], candidate.word
