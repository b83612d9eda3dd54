"""News feeds against a real HTTP server on 127.0.0.1: subscribe to two feeds (RSS 2.0 and
Atom), run one command each day, get one deck that grows, with nothing fetched twice."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from webserver import Server, atom, news_page, rss, start
from vocab.errors import InputError
from vocab.reading import feeds, web


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("VOCAB_HOST_DELAY", "0")
    server, thread = start()
    for i in range(5):
        server.html(f"/a/{i}", news_page(i))
    yield server
    server.shutdown()
    thread.join(5)


def vocab(*args: str, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VOCAB_HOST_DELAY": "0"}
    return subprocess.run([sys.executable, "-c", "from vocab.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=180)


def notes(deck: Path, tmp: Path) -> dict[str, str]:
    with zipfile.ZipFile(deck) as package:
        (tmp / "c.db").write_bytes(package.read("collection.anki2"))
    return {row[0]: row[1] for row in sqlite3.connect(tmp / "c.db").execute("select guid, flds from notes")}


def test_two_feeds_one_command_a_day_a_growing_deck_nothing_fetched_twice(server: Server, tmp_path: Path) -> None:
    b = server.base
    server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml", "ETag": '"r1"'},
                             rss(b, [("/a/0", "中露が合意"), ("/a/1", "二つ目")]))
    server.routes["/atom"] = (200, {"Content-Type": "application/atom+xml", "ETag": '"a1"'},
                              atom(b, [("/a/2", "三つ目")]))
    assert vocab("feed", "add", f"{b}/rss").returncode == 0
    assert vocab("feed", "add", f"{b}/atom").returncode == 0
    listed = vocab("feed", "list").stdout.splitlines()
    assert listed == [f"{b}/rss\tニュース 政治", f"{b}/atom\t国際ニュース"]

    deck = tmp_path / "deck.apkg"
    day1 = vocab("build", "--feeds", "-o", str(deck))
    assert day1.returncode == 0, day1.stderr
    first = notes(deck, tmp_path)
    assert f'<a href="{b}/a/0">中露が合意</a>' in "".join(first.values())

    # Day 2: the RSS feed has one new item; the Atom feed is unchanged (answers 304).
    server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml", "ETag": '"r2"'},
                             rss(b, [("/a/3", "四つ目"), ("/a/0", "中露が合意"), ("/a/1", "二つ目")]))
    day2 = vocab("build", "--feeds", "-o", str(deck))
    assert day2.returncode == 0, day2.stderr
    assert "1 new articles; 4 collected" in day2.stderr
    second = notes(deck, tmp_path)
    assert set(first) < set(second)  # the same cards (guids), and new ones
    assert all(server.hits[f"/a/{i}"] == 1 for i in range(4))  # nothing fetched twice
    assert server.not_modified >= 1  # the unchanged feed cost a 304, not a download

    # Offline: the collected articles still build.
    server.routes.clear()
    day3 = vocab("build", "--feeds", "-o", str(deck))
    assert day3.returncode == 3  # both feeds failed (named), the deck still built
    assert day3.stderr.count("HTTP 404") == 2 and set(notes(deck, tmp_path)) == set(second)


def test_a_failed_item_is_one_line_and_the_others_are_collected(server: Server) -> None:
    b = server.base
    server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml"},
                             rss(b, [("/a/0", "一"), ("/gone", "消えた"), ("/a/1", "二")]))
    with web.fetching() as fetcher:
        feeds.add_feed(f"{b}/rss", fetcher)
        update = feeds.update_feeds(fetcher)
    assert update.urls == [f"{b}/a/0", f"{b}/a/1"] and update.new == 2
    assert [str(p) for p in update.problems] == [f"{b}/gone: HTTP 404 (not found)"]


@pytest.mark.parametrize(("body", "content_type"), [
    (b"<html><body><p>\xe3\x81\x82</p></body></html>", "text/html"),
    (b'{"items": []}', "application/json"),
    (b"", "application/rss+xml"),
])
def test_what_is_not_a_feed_is_refused_on_add(server: Server, body: bytes, content_type: str) -> None:
    server.routes["/notfeed"] = (200, {"Content-Type": content_type}, body)
    with web.fetching() as fetcher, pytest.raises(InputError, match="not an RSS or Atom feed"):
        feeds.add_feed(f"{server.base}/notfeed", fetcher)
    assert feeds.saved_feeds() == []


@pytest.mark.parametrize(("link", "problem"), [
    ("file:///etc/passwd", "only http:// and https://"),
    ("ftp://127.0.0.1/a", "only http:// and https://"),
    ("http://127.0.0.1/admin", "local or private address"),
    ("http://169.254.169.254/latest/meta-data/", "local or private address"),
    ("http://[::1]/a", "local or private address"),
])
def test_a_public_feed_cannot_send_vocab_to_a_local_address_or_another_scheme(link: str, problem: str) -> None:
    public = feeds.Feed("http://93.184.216.34/rss")
    with pytest.raises(InputError, match=problem):
        feeds._check_item(public, feeds.FeedItem(link, "t", ""), allow_private=False)


def test_a_local_feed_may_point_at_local_pages(server: Server) -> None:
    feed = feeds.Feed(f"{server.base}/rss")
    feeds._check_item(feed, feeds.FeedItem(f"{server.base}/a/1", "t", ""), allow_private=True)


def test_remove_forgets_the_feed_and_its_articles_leave_feed_builds(server: Server) -> None:
    b = server.base
    server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml"}, rss(b, [("/a/0", "一")]))
    with web.fetching() as fetcher:
        feeds.add_feed(f"{b}/rss", fetcher)
        assert feeds.update_feeds(fetcher).urls == [f"{b}/a/0"]
    assert vocab("feed", "remove", f"{b}/rss").returncode == 0
    assert feeds.collected_urls() == [] and web.saved_page(f"{b}/a/0") is not None
    again = vocab("feed", "remove", f"{b}/rss")
    assert again.returncode == 1 and again.stderr.strip() == f"error: {b}/rss: not one of your feeds (see vocab feed list)"


def test_build_feeds_without_feeds_says_how_to_add_one() -> None:
    done = vocab("build", "--feeds")
    assert done.returncode == 1 and "vocab feed add URL" in done.stderr
