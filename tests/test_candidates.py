"""Candidates: compound terms, names kept whole, and what is never a candidate."""

from __future__ import annotations

import pytest

from vocab.reading.sentences import Sentence
from vocab.reading.tokens import tokenize
from vocab.terms.candidates import find_candidates, name_spans


def candidates_of(*texts: str) -> dict[str, object]:
    sentences = [Sentence("a.txt", i, text) for i, text in enumerate(texts)]
    return {c.word: c for c in find_candidates((s, tokenize(s.text)) for s in sentences)}


def names_in(text: str) -> list[str]:
    tokens = tokenize(text)
    return ["".join(t.surface for t in tokens[i:j]) for i, j, _ in name_spans(tokens)]


@pytest.mark.parametrize("term", ["包括的戦略パートナーシップ", "国連安全保障理事会", "人類運命共同体", "国家主席"])
def test_compound_terms_are_found(term: str) -> None:
    found = candidates_of(f"両国は{term}について協議した。", f"{term}の役割は大きい。")
    assert found[term].kind == "compound"


def test_useful_parts_are_kept_too() -> None:
    found = candidates_of("両国は包括的戦略パートナーシップを確認した。", "包括的戦略パートナーシップを結ぶ。")
    assert {"包括的戦略パートナーシップ", "戦略", "パートナーシップ", "包括的"} <= set(found)


@pytest.mark.parametrize(("text", "name"), [
    ("習近平国家主席は述べた。", "習近平"),          # UniDic: 習近 (unknown) + 平
    ("習近平氏と会談した。", "習近平"),               # UniDic: 習近 + 平氏
    ("ユーリー・ウシャコフ氏は述べた。", "ユーリー・ウシャコフ"),
    ("ラヴロフ外相は述べた。", "ラヴロフ"),            # unknown to UniDic, a common noun tag
    ("マドゥロ大統領を拉致した。", "マドゥロ"),
])
def test_names_are_never_split(text: str, name: str) -> None:
    assert any(span.startswith(name) for span in names_in(text))
    found = candidates_of(text)
    assert found[name].kind == "name"
    assert not any(w in found for w in ("習近", "平", "ウシャ", "コフ"))


def test_a_name_seen_with_a_title_is_a_name_everywhere() -> None:
    found = candidates_of("トランプ大統領は述べた。", "トランプの平和評議会。")
    assert found["トランプ"].kind == "name" and found["トランプ"].count == 2


def test_institutional_terms_are_vocabulary_not_names() -> None:
    found = candidates_of("国連安全保障理事会の事務局長が述べた。")
    assert found["安全保障理事会"].kind == "compound" and found["事務局長"].kind == "compound"


@pytest.mark.parametrize("noise", ["2017年以来", "年以来", "80", "周年", "は", "が", "。", "た"])
def test_numbers_counters_and_particles_are_not_candidates(noise: str) -> None:
    found = candidates_of("2017年以来、80周年を記念する。")
    assert noise not in found


def test_spelling_variants_share_one_candidate() -> None:
    found = candidates_of("取り組みを進める。", "取組を進める。", "取り組みが遅れた。")
    assert "取り組み" in found and "取組" not in found and found["取り組み"].count == 3


def test_katakana_spellings_of_one_loanword_share_one_candidate() -> None:
    found = candidates_of("イニシアティブを取る。", "イニシアチブを発揮する。", "イニシアティブだ。")
    assert "イニシアティブ" in found and "イニシアチブ" not in found and found["イニシアティブ"].count == 3


def test_occurrences_point_at_the_word() -> None:
    found = candidates_of("両国の外相が会談した。")
    occurrence = found["外相"].occurrences[0]
    assert occurrence.sentence.text[occurrence.start:occurrence.end] == "外相"


# Issue 12: names and their pieces, as a strict teacher reads them (UniDic 2.1.2 via unidic-lite).
NAME_CASES = [
    ("日米首脳会談が開かれた。", "日米"),          # countries as abbreviations: a name, not a word
    ("中ロ関係は深い。", "中ロ"),
    ("米大統領が述べた。", "米"),                  # 米 read ベイ, not コメ
    ("岩屋外相は述べた。", "岩屋"),                # UniDic: 岩屋 "cavern"; before 外相 a surname
    ("東南アジア諸国連合の会議。", "東南アジア諸国連合"),  # JMnedict lists the whole organisation
    ("東南アジアの国々。", "東南アジア"),          # JMdict lists it too: a place all the same
]


@pytest.mark.parametrize(("text", "name"), NAME_CASES)
def test_names_a_teacher_sees_as_names(text: str, name: str) -> None:
    assert name in names_in(text)
    assert candidates_of(text)[name].kind == "name"


def test_a_common_noun_before_a_title_stays_a_word_when_it_is_common() -> None:
    # 政府 is a JMnedict surname too, but a frequent word: 政府報道官 is not a person's name.
    assert "政府" not in names_in("政府報道官は述べた。")


def test_a_compound_after_a_country_group_is_still_a_term() -> None:
    found = candidates_of("日米首脳会談が開かれた。")
    assert found["首脳会談"].kind == "compound" and "日米首脳会談" not in found


def test_a_listed_term_led_by_a_country_group_is_a_name() -> None:
    # The strict teacher: 日米安全保障条約, 米政府 are proper names, like 上海協力機構.
    assert candidates_of("日米地位協定を見直す。")["日米地位協定"].kind == "name"


@pytest.mark.parametrize("text", ["中国に対する制裁。", "問題をめぐって対立した。", "対話を通じて解決する。",
                                  "日本に関する報告。", "問題について話した。", "報道によると合意した。"])
def test_verbs_of_compound_particles_are_grammar(text: str) -> None:
    verbs = {"対する", "めぐる", "通じる", "通ずる", "関する", "つく", "因る", "よる"}
    assert not verbs & set(candidates_of(text))


# Fragments: a piece that only occurs inside a longer word is not a word to study.
FRAGMENT_CASES = [
    ("衆議院本会議で可決した。", "衆議"),         # UniDic's stem, rare alone
    ("キーワードは協力だ。", "キー"),             # inside a katakana word
    ("和平案を示した。和平案を拒んだ。", "案"),    # a one-kanji suffix
    ("具体的な措置をとる。", "具体"),             # the stem of an -的 adjective
    ("人民大会堂で会談した。", "会堂"),           # inside a name JMnedict lists
]


@pytest.mark.parametrize(("text", "fragment"), FRAGMENT_CASES)
def test_pieces_of_longer_words_are_not_candidates(text: str, fragment: str) -> None:
    assert fragment not in candidates_of(*text.split("。")[:-1])


@pytest.mark.parametrize(("text", "word"), [("内政干渉に反対する。", "干渉"), ("同盟国と協議した。", "同盟")])
def test_words_inside_a_compound_that_live_on_their_own_stay(text: str, word: str) -> None:
    assert word in candidates_of(text)


@pytest.mark.parametrize(("text", "word", "reading"), [
    ("手離せる状況ではない。", "手離す", "てばなす"),     # UniDic: a potential form as its own word
    ("役割を果たせる。", "果たす", "はたす"),
    ("要求に応じた。", "応じる", "おうじる"),             # UniDic's dated 応ずる
])
def test_a_verb_is_carded_in_its_plain_modern_form(text: str, word: str, reading: str) -> None:
    found = candidates_of(text)
    assert found[word].reading == reading and not {"手離せる", "果たせる", "応ずる"} & set(found)


# Unlisted compounds: terms a teacher keeps, phrases a teacher drops.
UNLISTED_CASES = [
    (("両首脳は電話会談を行った。", "電話会談の内容。"), "電話会談", True),   # recurs, two words
    (("北朝鮮の挑発行為を非難した。",), "挑発行為", False),               # seen once
    (("国際行事に参加した。", "国際行事が続く。"), "国際行事", False),       # 行事 is general
    (("外交的孤立を深めた。", "外交的孤立が続く。"), "外交的孤立", False),   # -的 adjective + word
    (("外交パートナーと話す。", "外交パートナーだ。"), "外交パートナー", False),  # word + loanword
    (("来月二十日に迫った。",), "来月二十", False),                      # a date
    (("同日夜に発表した。", "同日夜だった。"), "同日夜", False),          # time words
    (("外遊先で述べた。", "外遊先の国。"), "外遊先", False),             # one-kanji suffix
    (("二国間関係を重視する。", "二国間関係が深まる。"), "二国間関係", True),  # a numeral inside a listed word
    # Inside different longer runs, cut at word boundaries: a term of its own, not a cut across 安全保障.
    (("国家安全保障戦略を改定した。", "国家安全保障会議を開いた。"), "国家安全保障", True),
    (("国家安全保障戦略を改定した。", "国家安全保障会議を開いた。"), "国家安全", False),
    (("国家安全保障戦略を改定した。", "国家安全保障戦略を読む。"), "国家安全保障", False),  # one run only
]


@pytest.mark.parametrize(("texts", "compound", "kept"), UNLISTED_CASES)
def test_unlisted_compounds_are_kept_only_when_they_read_as_terms(texts: tuple[str, ...], compound: str, kept: bool) -> None:
    assert (compound in candidates_of(*texts)) is kept


def test_compound_readings_keep_their_katakana() -> None:
    found = candidates_of("戦略的パートナーシップを結ぶ。")
    assert found["戦略的パートナーシップ"].reading == "せんりゃくてきパートナーシップ"


def test_a_candidate_s_articles_come_in_reading_order_from_their_bits() -> None:
    """Sources joined as one bit an article give what walking every sentence gives: the
    articles each candidate occurs in, in reading order, over the sample articles printed out of
    order and twice (a reprint: one sentence text, many articles)."""
    from conftest import ARTICLES
    from vocab.reading.articles import read_articles
    from vocab.reading.corpus import tag_articles

    articles = read_articles([ARTICLES]).articles
    tagged = tag_articles([*articles[::-1], *articles])
    renamed = [(Sentence(f"{k}-{s.source}", s.index, s.text), tokens)
               for k, t in enumerate(tagged) for s, tokens in t.sentences]
    candidates = find_candidates(renamed)
    for candidate in candidates:
        walked = dict.fromkeys(s.source for s, tokens in renamed
                               if any(o.sentence.text == s.text for o in candidate.occurrences))
        assert candidate.sources == tuple(walked), candidate.word


def test_article_order_names_the_bits_set() -> None:
    from vocab.terms.candidates import ArticleOrder

    order = ArticleOrder()
    for name in ["c", "a", "b", "a", "d"]:
        order.place(name)
    assert order.names == ["c", "a", "b", "d"]
    assert order.named(0b1011) == ("c", "a", "d") and order.named(0) == ()
