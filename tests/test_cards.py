"""Card fields: highlighted sentences with furigana, pitch accent, kanji breakdown."""

from __future__ import annotations

import pytest

from vocab.output.cards import accent_number, pitch_html, ruby, sentence_html
from vocab.reading.sentences import Sentence
from vocab.reading.tokens import tokenize

SENTENCE = Sentence("a.txt", 0, "両国の外相が会談した。")


def test_plain_sentence_marks_the_word() -> None:
    assert sentence_html(SENTENCE, 3, 5) == "両国の<b>外相</b>が会談した。"


def test_furigana_sentence_uses_the_tagger_readings() -> None:
    text = sentence_html(SENTENCE, 3, 5, tokenize(SENTENCE.text), furigana=True)
    assert "<b><ruby>外相<rt>がいしょう</rt></ruby></b>" in text
    assert "<ruby>会談<rt>かいだん</rt></ruby>した。" in text


def test_a_name_is_read_whole_apart_from_its_honorific() -> None:
    # UniDic: 習近 (unknown) + 平氏 (read へいし); issue 12: the name was read 習近 + 平 (たいら).
    sentence = Sentence("a.txt", 0, "習近平氏と会談した。")
    text = sentence_html(sentence, 0, 3, tokenize(sentence.text), furigana=True)
    assert text.startswith("<b><ruby>習近平<rt>しゅうきんぺい</rt></ruby></b>氏と")


def test_html_in_the_text_is_escaped() -> None:
    sentence = Sentence("a.txt", 0, "<script>外相</script>")
    assert "<script>" not in sentence_html(sentence, 8, 10)


@pytest.mark.parametrize(("accent", "high"), [(0, [False, True, True, True]), (1, [True, False, False, False]),
                                               (2, [False, True, False, False])])
def test_pitch_pattern(accent: int, high: list[bool]) -> None:
    html = pitch_html("がいしょう", accent)
    marks = [part.startswith('"pitch-high') for part in html.split("class=")[2:]]
    assert marks == high


def test_accent_number_takes_the_first_pattern() -> None:
    assert accent_number("0,1") == 0 and accent_number(None) is None


def test_ruby_over_kanji_only() -> None:
    assert ruby("取り巻く", "とりまく") == "<ruby>取<rt>と</rt></ruby>り<ruby>巻<rt>ま</rt></ruby>く"
