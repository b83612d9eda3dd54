"""A real HTTP server on 127.0.0.1 for the web and feed tests: pages made of the sample articles'
real text inside a news site's furniture, RSS 2.0 and Atom feeds, a Shift-JIS page, a redirect
(and a loop), a 404, a slow response, a huge one, and counters of what was requested."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
SITE_TOP = ('<header class="site-header"><a href="/">ニュースサイト</a></header>'
            '<nav class="global-nav"><ul><li><a href="/politics">政治</a></li><li><a href="/economy">経済</a></li>'
            '<li><a href="/world">国際</a></li></ul></nav>'
            '<div class="breadcrumb">トップ &gt; 政治 &gt; 記事</div>')
SITE_BOTTOM = ('<aside class="ranking"><h2>アクセスランキング</h2><ol>'
               '<li><a href="/a/9">人気の記事の見出しがここに並ぶ</a></li>'
               '<li><a href="/a/8">別の記事の見出しもここに並ぶ</a></li></ol></aside>'
               '<footer><p>利用規約 ・ プライバシーポリシー ・ お問い合わせ</p>'
               '<p>Copyright ニュースサイト All rights reserved. 無断転載を禁じます。</p></footer>')


def sample_text(index: int) -> tuple[str, list[str]]:
    """The title and paragraphs of sample article `index` (real news text)."""
    path = sorted(ARTICLES.glob("*.txt"))[index]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[0], [line for line in lines[1:] if "。" in line][:8]


def news_page(index: int, *, charset: str = "utf-8", date: str = "2026-02-04T09:00:00+09:00") -> str:
    """A news page: the sample article's text in <article>, the site's furniture around it."""
    title, paragraphs = sample_text(index)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="{charset}"><title>{title} | ニュースサイト</title>'
            f'<meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{date}"></head><body>{SITE_TOP}'
            f'<main><article><h1>{title}</h1><time datetime="{date}">2026年2月4日</time>{body}</article></main>'
            f'{SITE_BOTTOM}</body></html>')


def rss(base: str, items: list[tuple[str, str]], title: str = "ニュース 政治") -> bytes:
    """An RSS 2.0 feed of (path, title) items."""
    entries = "".join(f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
                      f"<pubDate>Wed, 04 Feb 2026 0{i}:00:00 +0900</pubDate></item>" for i, (p, t) in enumerate(items))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f'<link>{base}/</link><description>d</description>{entries}</channel></rss>').encode()


def atom(base: str, items: list[tuple[str, str]], title: str = "国際ニュース") -> bytes:
    """An Atom feed of (path, title) items (relative links, resolved against the feed)."""
    entries = "".join(f'<entry><title>{t}</title><link href="{p}"/><id>{base}{p}</id>'
                      f"<updated>2026-02-05T0{i}:00:00Z</updated></entry>" for i, (p, t) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>{base}/atom</id><updated>2026-02-05T00:00:00Z</updated>{entries}</feed>").encode()


Route = tuple[int, dict[str, str], bytes] | Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    """Serves `server.routes`; answers conditional requests on routes with an ETag."""

    server: "Server"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.hits[self.path] += 1
        self.server.agents.append(self.headers.get("User-Agent", ""))
        self.server.times.append(time.monotonic())
        route = self.server.routes.get(self.path)
        if route is None:
            self._send(404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>")
        elif callable(route):
            route(self)
        else:
            status, headers, body = route
            if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                self.server.not_modified += 1
                self._send(304, {"ETag": headers["ETag"]}, b"")
            else:
                self._send(status, headers, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    """The test server, with what it was asked."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.times: list[float] = []
        self.not_modified = 0

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def html(self, path: str, text: str, charset: str = "utf-8", **headers: str) -> None:
        """Serve `text` as an HTML page at `path`."""
        self.routes[path] = (200, {"Content-Type": f"text/html; charset={charset}", **headers},
                             text.encode(charset))


def slow(seconds: float) -> Callable[[Handler], None]:
    """A route that sends its headers, then waits `seconds` before the body."""
    def respond(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        handler.wfile.flush()
        time.sleep(seconds)
        handler.wfile.write(b"<html><body><p>\xe9\x81\x85\xe3\x81\x84\xe3\x80\x82</p></body></html>")
    return respond


def huge(megabytes: int, declare: bool) -> Callable[[Handler], None]:
    """A route that streams `megabytes` of HTML, with or without a Content-Length."""
    def respond(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if declare:
            handler.send_header("Content-Length", str(megabytes * 2**20))
        handler.end_headers()
        chunk = ("<p>" + "政治" * 20_000 + "。</p>").encode()[: 2**16]
        try:
            for _ in range(megabytes * 16):
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            handler.server.aborted += 1  # type: ignore[attr-defined]
    return respond


def start() -> tuple[Server, threading.Thread]:
    """A running server (stop it with server.shutdown())."""
    server = Server()
    server.aborted = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
