"""The tagged corpus and its plumbing for speed (issue 7): the tag cache, the process pool and the paused
garbage collector never change what comes out, nor its order. Timings live in bench/."""

from __future__ import annotations

import gc
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vocab.output.export import render
from vocab.pipeline import analyse, bulk_allocation
from vocab.reading import corpus
from vocab.reading.articles import read_articles
from vocab.reading.cache import TagCache
from vocab.reading.cache import tag_record, tag_sentence_tokens
from vocab.reading.corpus import tag_article, tag_articles
from vocab.terms.candidates import find_candidates, find_in_sentence

from conftest import ARTICLES


@pytest.fixture(scope="module")
def articles():
    return read_articles([ARTICLES]).articles


def test_tokens_cover_each_sentence_and_the_cache_gives_them_back(articles, tmp_path: Path) -> None:
    tagged = tag_articles(articles)
    for article in tagged:
        assert article.sentences
        for sentence, tokens in article.sentences:
            # Every character but spaces belongs to exactly one token, in order.
            assert "".join(t.surface for t in tokens) == "".join(sentence.text.split())
            assert all(sentence.text[t.start:t.end] == t.surface for t in tokens)
    cache = TagCache(tmp_path / "cache")
    assert tag_articles(articles, cache) == tagged    # tagged, and stored
    assert tag_articles(articles, cache) == tagged    # read back
    assert [tag_article(a, cache) for a in articles] == tagged


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two cores")
def test_the_pool_gives_what_one_process_gives(articles, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = tag_articles(articles)
    monkeypatch.setattr(corpus, "POOL_MIN_ARTICLES", 1)  # five articles are enough for a pool
    assert tag_articles(articles * 3) == alone * 3


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two cores")
def test_the_pool_tags_each_distinct_sentence_once(articles, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the workers are given: every distinct sentence of the articles once, in the order
    they first occur, however often the articles print it (reprints, a sentence twice in one)."""
    given: list[str] = []
    in_order = corpus._in_order
    monkeypatch.setattr(corpus, "_in_order", lambda pool, work, chunks, ahead: given.extend(
        s for chunk in chunks for s in chunk) or in_order(pool, work, chunks, ahead))
    monkeypatch.setattr(corpus, "POOL_MIN_ARTICLES", 1)
    reprints = [corpus.Article(f"{i}.txt", "", f"第{i}報。\n" + a.text, f"digest-{i}") for i, a in enumerate(articles * 2)]
    tagged = tag_articles(reprints)
    assert given == list(dict.fromkeys(s.text for t in tagged for s, _ in t.sentences))
    assert len(given) < sum(len(t.sentences) for t in tagged)
    assert tagged == [tag_article(a) for a in reprints]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two cores")
def test_pool_workers_find_each_sentence_s_candidates_beside_the_tagger(articles, monkeypatch: pytest.MonkeyPatch) -> None:
    """`beside`: the workers find every distinct sentence's candidates as they tag it, what this
    process would find; candidates from those finds are the candidates found here."""
    monkeypatch.setattr(corpus, "POOL_MIN_ARTICLES", 1)
    beside = corpus.SentenceWork(find_in_sentence)
    tagged = list(corpus.iter_tagged(articles, beside=beside))
    distinct = {s.text: tokens for t in tagged for s, tokens in t.sentences}
    assert list(beside.done) == list(distinct)
    assert beside.done == {text: find_in_sentence(text, tokens) for text, tokens in distinct.items()}
    sentences = [pair for t in tagged for pair in t.sentences]
    assert render_candidates(find_candidates(sentences, dict(beside.done))) == render_candidates(find_candidates(sentences))
    monkeypatch.setattr(corpus, "POOL_MIN_ARTICLES", 20)
    without = corpus.SentenceWork(find_in_sentence)
    list(corpus.iter_tagged(articles, beside=without))
    assert without.done == {}  # a few articles are tagged here: the caller finds their candidates itself


def render_candidates(candidates) -> list[tuple]:
    return [(c.word, c.reading, c.kind, c.name_type, c.count, c.sources) for c in candidates]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two cores")
def test_a_pooled_run_stores_every_article(articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a pooled run every article is in the cache, and reading it back (no tagger) gives
    the same."""
    monkeypatch.setattr(corpus, "POOL_MIN_ARTICLES", 1)
    cache = TagCache(tmp_path / "cache")
    tagged = tag_articles(articles, cache)
    assert tagged == tag_articles(articles)
    assert sorted(p.stem for p in cache.folder.glob("*.marshal")) == sorted(a.digest for a in articles)
    assert [cache.load_tagged(a.digest, a.name) for a in articles] == [
        (t.sentences, t.running_words) for t in tagged]


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc to see what is mapped")
def test_a_new_article_among_many_cached_is_tagged_outside_the_process(articles, tmp_path: Path) -> None:
    """Adding an article to a big corpus must not add UniDic's mapped dictionary (≈ 60 MB) to the
    process that holds the corpus: the article goes to a worker."""
    cached = [corpus.Article(f"{i}.txt", "", a.text + f"\n第{i}項。", f"digest-{i}")
              for i, a in enumerate(articles * 5)]  # more than POOL_MIN_ARTICLES
    tag_articles(cached, TagCache(tmp_path / "cache"))
    (tmp_path / "texts.json").write_text(json.dumps([a.text for a in cached]), encoding="utf-8")
    script = (
        "import json, sys; from pathlib import Path; from vocab.reading import corpus; from vocab.reading.cache import TagCache\n"
        "folder = Path(sys.argv[1]); texts = json.loads((folder / 'texts.json').read_text(encoding='utf-8'))\n"
        "cached = [corpus.Article(f'{i}.txt', '', t, f'digest-{i}') for i, t in enumerate(texts)]\n"
        "new = corpus.Article('new.txt', '', '新しい記事です。外相が会談した。', 'digest-new')\n"
        "tagged = corpus.tag_articles([*cached, new], TagCache(folder / 'cache'))\n"
        "assert tagged[-1].sentences[-1][0].text == '外相が会談した。'\n"
        "print('unidic' in Path('/proc/self/maps').read_text())\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"


def test_progress_is_reported_once_per_article_in_order(articles, tmp_path: Path) -> None:
    cache = TagCache(tmp_path)
    tag_articles(articles[:2], cache)  # two cached, the rest not
    seen: list[str] = []
    tag_articles(articles, cache, progress=lambda a: seen.append(a.name))
    assert seen == [a.name for a in articles]


def test_analyse_is_the_same_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cold = analyse([ARTICLES])
    warm = analyse([ARTICLES])
    assert warm.titles == cold.titles
    assert render(warm.terms, "json") == render(cold.terms, "json")


def test_records_are_plain_data_with_shared_strings(articles) -> None:
    record = tag_record(articles[0].text)
    assert marshal.loads(marshal.dumps(record)) == record
    assert all(isinstance(text, str) and isinstance(tokens, bytes) for text, tokens in record)
    tagged = tag_article(articles[0])
    assert len(tagged.sentences) == len(record)
    for (sentence, tokens), (text, data) in zip(tagged.sentences, record):
        assert sentence.text == text
        flat = marshal.loads(data)
        assert list(tokens) == [(*row, start) for row, start in zip(flat[::2], flat[1::2])]
        assert tag_sentence_tokens(text) == (data, tokens)  # what a pool worker finds candidates in
    first = {}
    for token in (t for _, tokens in tagged.sentences for t in tokens):
        # one string object per distinct surface and lemma
        assert first.setdefault(token.surface, token.surface) is token.surface
        assert first.setdefault(token.lemma, token.lemma) is token.lemma


@pytest.mark.parametrize("enabled", [True, False])
def test_bulk_allocation_restores_the_collector(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with bulk_allocation():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
