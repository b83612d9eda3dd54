"""Invariants over arbitrary input (hypothesis), with the real tagger and dictionary:

- reading, tagging and ranking never raise, except InputError for text with no Japanese;
- decoding any bytes raises nothing but InputError;
- every card's Sentence field is its sentence, escaped, with one non-empty <b>…</b> in it.
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLES
from vocab.errors import InputError
from vocab.learner.selection import Selection
from vocab.pipeline import Vocabulary, cards_of, vocabulary_of
from vocab.reading.articles import article_from_text, decode, html_main_text
from vocab.reading.corpus import running_words, tag_article

# Modest, so the suite stays fast; the tagger and JMdict are real, so each example costs.
PIPELINE = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SAMPLE_SENTENCES = sorted({
    s.strip() + "。" for p in sorted(ARTICLES.glob("*.txt")) for s in p.read_text(encoding="utf-8").split("。")
    if 5 < len(s.strip()) < 80
})
CONTROL = st.sampled_from(["\x00", "\x07", "\x1b[31m", "\r", "\t", "\x0b", "\x85", "\u2028", "\ufeff", "\u200b"])
JAPANESE = st.text(st.one_of(st.characters(min_codepoint=0x3041, max_codepoint=0x30FF),
                             st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)), min_size=1, max_size=30)
MIXED = st.text(st.characters(codec="utf-8"), max_size=40)  # any script, surrogates excepted
PIECES = st.one_of(
    st.sampled_from(SAMPLE_SENTENCES), JAPANESE, MIXED, CONTROL,
    st.sampled_from(["\n", "。", "、", "「", "」", "<b>", "&amp;", "<p>", "</p>", "https://example.com/a", "2026年2月4日"]),
    st.builds(lambda s, n: s * n, st.sampled_from(SAMPLE_SENTENCES[:5] + ["あ", "外相"]), st.integers(20, 60)),
)
TEXTS = st.lists(PIECES, max_size=12).map("".join)


def vocabulary_from(text: str, is_html: bool) -> Vocabulary | None:
    """Read, tag and rank `text` as one article; None if it holds no Japanese."""
    try:
        article = article_from_text("fuzz.txt", text, is_html=is_html)
    except InputError as error:
        assert error.problem == "no Japanese text found: vocab reads Japanese articles"
        return None
    tagged = [tag_article(article)]
    selection = Selection(min_zipf=0.0, max_zipf=8.0, levels=ALL_LEVELS, names=True)  # keep every term
    titles = {t.article.name: t.article.title for t in tagged}
    return Vocabulary(vocabulary_of(tagged, selection), titles, [], running_words(tagged))


ALL_LEVELS = ("N5", "N4", "N3", "N2", "N1", "none")
BOLD = re.compile(r"<b>(.*?)</b>", re.DOTALL)
RUBY_TEXT = re.compile(r"<rt>.*?</rt>", re.DOTALL)
TAG = re.compile(r"</?(?:b|ruby)(?: [^>]*)?>")  # known words' ruby has a class, a wide reading a margin


@PIPELINE
@given(text=TEXTS, is_html=st.booleans())
def test_pipeline_never_raises_and_highlights_the_word(text: str, is_html: bool) -> None:
    vocabulary = vocabulary_from(text, is_html)
    if vocabulary is None:
        return
    cards = cards_of(vocabulary)
    assert len(cards) == len(vocabulary.terms)
    for card, term in zip(cards, vocabulary.terms):
        sentence = term.examples[0].sentence.text
        # A conjugated word is followed by its dictionary form: 向け → 向ける.
        hint = f' <span class="dictionary-form">→ {html.escape(term.word)}</span>'
        field = card.field("Sentence").removesuffix(hint)
        bold = BOLD.findall(field)
        assert len(bold) == 1 and bold[0], field
        assert html.unescape(bold[0]) in sentence
        assert html.unescape(field.replace("<b>", "").replace("</b>", "")) == sentence
        furigana = card.field("SentenceFurigana").removesuffix(hint)
        assert "<b>" in furigana
        assert html.unescape(TAG.sub("", RUBY_TEXT.sub("", furigana))) == sentence


@PIPELINE
@given(text=TEXTS)
def test_cleaned_article_is_one_paragraph_a_line(text: str) -> None:
    try:
        article = article_from_text("fuzz.txt", text)
    except InputError:
        return
    assert article.text.split("\n")[0].startswith(article.title.removesuffix("…"))
    for line in article.text.split("\n"):
        assert line == line.strip() and line
        assert not any(ord(ch) < 0x20 for ch in line)  # control characters never reach the tagger


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=2000))
def test_decode_raises_only_input_error(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.txt")
    except InputError as error:
        assert error.path == "fuzz.txt"
        return
    assert isinstance(text, str)


@settings(max_examples=50, deadline=None)
@given(text=st.text(st.one_of(st.characters(), st.sampled_from(list("<>/&;=\"' "))), max_size=300))
def test_html_parser_never_raises(text: str) -> None:
    assert isinstance(html_main_text(text), str)
