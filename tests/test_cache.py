"""The tag cache, with the real tagger: a hit gives what tagging gives, anything unreadable is
tagged again, and a changed text is a miss (issue 7)."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

import pytest

from vocab.reading import cache as tag_cache
from vocab.reading.articles import Article, article_from_text, read_article
from vocab.reading.cache import FOLDER_PREFIX, TagCache
from vocab.reading.corpus import tag_article, tag_articles

from conftest import ARTICLES

FIRST = sorted(ARTICLES.glob("*.txt"))[0]


@pytest.fixture
def article() -> Article:
    return read_article(FIRST)


@pytest.fixture
def cache(tmp_path: Path) -> TagCache:
    return TagCache(tmp_path / "cache")


def test_a_hit_returns_the_same_tagged_article(article: Article, cache: TagCache,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = tag_article(article)  # no cache
    assert tag_article(article, cache) == fresh  # miss: tagged, then stored
    assert cache.load(article.digest) is not None

    def refuse(text: str) -> list:
        raise AssertionError("tagged again")

    monkeypatch.setattr(tag_cache, "words_at", refuse)
    assert tag_article(article, cache) == fresh  # hit: read back, same sentences and tokens


def test_a_hit_keeps_the_names_of_the_articles_that_share_the_text(article: Article, cache: TagCache) -> None:
    copy = Article("copy.txt", article.title, article.text, article.digest)
    first, second = tag_articles([article, copy], cache)
    assert {s.source for s, _ in first.sentences} == {article.name}
    assert {s.source for s, _ in second.sentences} == {"copy.txt"}
    assert [tokens for _, tokens in first.sentences] == [tokens for _, tokens in second.sentences]


CORRUPTIONS = [
    b"",                                          # empty (a crash before anything was written)
    b"\x00\xffnot marshal at all",
    "外相が会談した".encode(),                    # text, not a record
    marshal.dumps(("another digest", ())),        # a record for another text
    marshal.dumps(["a list", "not a tuple"]),
]


@pytest.mark.parametrize("garbage", CORRUPTIONS)
def test_an_unreadable_file_is_ignored_and_rebuilt(article: Article, cache: TagCache, garbage: bytes) -> None:
    fresh = tag_article(article)
    cache.folder.mkdir(parents=True)
    cache.path(article.digest).write_bytes(garbage)
    assert tag_article(article, cache) == fresh
    assert cache.load(article.digest) is not None  # repaired


def test_a_truncated_file_is_ignored_and_rebuilt(article: Article, cache: TagCache) -> None:
    fresh = tag_article(article, cache)
    path = cache.path(article.digest)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert tag_article(article, cache) == fresh
    assert cache.load(article.digest) is not None


def test_a_record_of_the_wrong_shape_is_tagged_again(article: Article, cache: TagCache) -> None:
    fresh = tag_article(article)
    cache.store(article.digest, (("外相", (("too", "few", "fields"),)),))
    assert tag_article(article, cache) == fresh


def test_changed_text_misses(article: Article, cache: TagCache) -> None:
    tag_article(article, cache)
    edited = article_from_text(article.name, article.text + "\n外相が会談した。")
    assert edited.digest != article.digest
    assert cache.load(edited.digest) is None
    tagged = tag_article(edited, cache)
    assert tagged == tag_article(edited)
    assert tagged.sentences[-1][0].text == "外相が会談した。"
    assert len(list(cache.folder.iterdir())) == 2


@pytest.fixture
def tagged_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sentences the tagger is asked for from now on (the process's memory of sentences
    emptied first, so that only the cache or that memory can spare the tagger)."""
    texts: list[str] = []
    words_at = tag_cache.words_at

    def counting(text: str) -> list:
        texts.append(text)
        return words_at(text)

    monkeypatch.setattr(tag_cache, "words_at", counting)
    return texts


def test_adding_an_article_tags_only_that_one(article: Article, cache: TagCache, tagged_texts: list[str]) -> None:
    tag_articles([article], cache)
    added = article_from_text("new.txt", "ロシアの外相が会談した。")
    tagged_texts.clear()
    tag_articles([article, added], cache)
    assert tagged_texts == ["ロシアの外相が会談した。"]


def test_a_sentence_printed_again_is_tagged_once(tagged_texts: list[str]) -> None:
    wire = "中国外務省の報道官は会見で、米国の制裁を強く非難した。"
    articles = [article_from_text(f"{i}.txt", f"{wire}\n今日は{i}日目の会談だった。") for i in range(4)]
    tagged = tag_articles(articles)  # no cache: each article is new
    assert tagged_texts.count(wire) == 1 and len(tagged_texts) == 5
    assert tagged[3] == tag_article(articles[3])


def test_records_of_other_versions_are_removed(article: Article, cache: TagCache) -> None:
    old = cache.folder.parent / f"{FOLDER_PREFIX}0.0.1-unidic2.1.2-0123456789ab"
    old.mkdir(parents=True)
    (old / f"{article.digest}.marshal").write_bytes(b"old")
    tag_article(article, cache)
    assert not old.exists() and cache.has(article.digest)


def test_an_unwritable_cache_only_costs_time(article: Article, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file of the user's above the cache folder (one in its place is removed: issue 13)")
    cache = TagCache(blocker / "cache")
    assert tag_article(article, cache) == tag_article(article)
    assert not cache.has(article.digest)


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs reads XDG_CACHE_HOME on Linux only")
def test_the_default_cache_lives_in_the_user_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert TagCache().folder.parent == tmp_path / "vocab"
