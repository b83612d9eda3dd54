"""Article URLs, fetched from a real HTTP server on 127.0.0.1 (no mocks of HTTP): main text,
title, date and URL kept; politeness (User-Agent, per-host delay); every failure one line
naming the URL, the other articles still read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from webserver import ARTICLES, Server, huge, news_page, slow, start
from vocab.errors import InputError
from vocab.reading import web
from vocab.reading.articles import read_articles


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("VOCAB_HOST_DELAY", "0")
    server, thread = start()
    server.html("/a/1", news_page(0))
    server.html("/a/2", news_page(1))
    yield server
    server.shutdown()
    thread.join(5)


def test_a_page_is_read_for_its_article_with_title_date_and_url(server: Server) -> None:
    url = f"{server.base}/a/1"
    [article] = read_articles([url]).articles
    assert article.name == url
    assert article.title == "中露はベネズエラ、キューバと協力維持で合意"
    assert "ロシアのウラジーミル・プーチン大統領" in article.text
    for clutter in ("アクセスランキング", "利用規約", "無断転載", "政治\n経済"):
        assert clutter not in article.text
    page = web.saved_page(url)
    assert page is not None and page.date == "2026-02-04T09:00:00+09:00"
    assert (web.articles_folder() / page.file).read_bytes().startswith(b"<!DOCTYPE html>")


def test_a_page_is_fetched_once_then_read_offline(server: Server) -> None:
    url = f"{server.base}/a/1"
    first = read_articles([url]).articles[0]
    server.shutdown()  # offline from now on
    assert read_articles([url]).articles[0] == first
    assert server.hits["/a/1"] == 1


def test_requests_name_vocab_and_keep_a_delay_per_host(server: Server) -> None:
    fetcher = web.Fetcher(host_delay=0.3)
    for path in ("/a/1", "/a/2", "/a/1"):
        fetcher.get(f"{server.base}{path}", allow_private=True)
    assert all(agent.startswith("vocab/") for agent in server.agents)
    gaps = [b - a for a, b in zip(server.times, server.times[1:])]
    assert min(gaps) >= 0.28


def test_shift_jis_page_is_decoded_as_browsers_do(server: Server) -> None:
    html = news_page(2, charset="Shift_JIS").replace("<p>", "<p>①", 1)  # ① is Windows-31J only
    server.routes["/sjis"] = (200, {"Content-Type": "text/html; charset=Shift_JIS"}, html.encode("cp932"))
    [article] = read_articles([f"{server.base}/sjis"]).articles
    assert "①" in article.text and "。" in article.text


def test_a_redirect_is_followed_and_the_url_asked_for_stays_the_name(server: Server) -> None:
    server.routes["/old"] = (301, {"Location": "/a/2"}, b"")
    [article] = read_articles([f"{server.base}/old"]).articles
    assert article.name == f"{server.base}/old" and server.hits["/a/2"] == 1


FAILURES = [  # (path, route, what the one line says)
    ("/missing", None, "HTTP 404 (not found)"),
    ("/image", (200, {"Content-Type": "image/png"}, b"\x89PNG...."), "not an HTML page (image/png)"),
    ("/loop", (302, {"Location": "/loop"}, b""), "too many redirects"),
    ("/to-file", (302, {"Location": "file:///etc/passwd"}, b""), "redirects to a non-web address"),
    ("/huge-declared", huge(8, declare=True), "too large (8 MB"),
    ("/huge-streamed", huge(8, declare=False), "too large (over the article limit"),
    ("/english", (200, {"Content-Type": "text/html"}, b"<html><body><p>No Japanese.</p></body></html>"),
     "no Japanese text found"),
    ("/error", (500, {"Content-Type": "text/html"}, b"oops"), "HTTP 500"),
]


@pytest.mark.parametrize(("path", "route", "problem"), FAILURES, ids=[f[0] for f in FAILURES])
def test_each_failure_is_one_line_naming_the_url_and_the_rest_still_read(
        server: Server, path: str, route: object, problem: str) -> None:
    if route is not None:
        server.routes[path] = route  # type: ignore[assignment]
    bad, good = f"{server.base}{path}", f"{server.base}/a/1"
    result = read_articles([bad, good])
    assert [a.name for a in result.articles] == [good]
    [error] = result.skipped
    assert str(error).startswith(f"{bad}: ") and problem in str(error) and "\n" not in str(error)
    assert web.saved_page(bad) is None  # nothing half-kept


def test_a_huge_response_is_refused_while_streaming_never_read_whole(server: Server) -> None:
    server.routes["/huge"] = huge(64, declare=False)
    started = time.perf_counter()
    with pytest.raises(InputError, match="too large"):
        web.Fetcher(max_bytes=2**20).get(f"{server.base}/huge", allow_private=True)
    assert time.perf_counter() - started < 2  # stopped after ~1 MB, not 64


def test_a_slow_response_times_out(server: Server) -> None:
    server.routes["/slow"] = slow(3)
    with pytest.raises(InputError, match=r"timed out"):
        web.Fetcher(read_timeout=0.5).get(f"{server.base}/slow", allow_private=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.html", "gopher://x/1",
                                 "javascript://alert(1)", "http:///nohost"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(InputError, match="only http:// and https://|no host"):
        web.Fetcher().get(url)
    result_error = read_articles([url, str(ARTICLES)]).skipped[0]
    assert str(result_error).startswith(url)


def test_an_unreachable_host_is_one_line() -> None:
    with pytest.raises(InputError, match="unreachable"):
        web.Fetcher().get("http://127.0.0.1:9/a", allow_private=True)  # discard port: nothing listens


@pytest.mark.parametrize(("host", "private"), [
    ("localhost", True), ("127.0.0.1", True), ("10.1.2.3", True), ("192.168.0.1", True),
    ("172.16.5.4", True), ("169.254.169.254", True), ("::1", True), ("fd00::1", True), ("0.0.0.0", True),
    ("93.184.216.34", False), ("2606:4700::1111", False),
])
def test_private_addresses_are_told_apart(host: str, private: bool) -> None:
    assert web.is_private_host(host) is private


def test_a_private_address_is_refused_when_not_allowed(server: Server) -> None:
    with pytest.raises(InputError, match="local or private address"):
        web.Fetcher().get(f"{server.base}/a/1")
    assert not server.hits


def test_cli_build_mixes_urls_and_files_and_exits_3_on_a_failed_url(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    env = {**os.environ, "VOCAB_HOST_DELAY": "0"}
    done = subprocess.run([sys.executable, "-c", "from vocab.cli import main; main()", "-q", "build",
                           f"{server.base}/a/1", f"{server.base}/missing", str(ARTICLES / sorted(os.listdir(ARTICLES))[3]),
                           "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip() == f"warning: {server.base}/missing: HTTP 404 (not found) (skipped)"
    assert out.stat().st_size > 0
    import sqlite3
    import zipfile

    with zipfile.ZipFile(out) as deck:
        (tmp_path / "c.db").write_bytes(deck.read("collection.anki2"))
    fields = "".join(row[0] for row in sqlite3.connect(tmp_path / "c.db").execute("select flds from notes"))
    assert f'<a href="{server.base}/a/1">' in fields
