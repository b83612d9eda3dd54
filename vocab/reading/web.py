"""Fetch articles from the web, politely and safely, and keep them in the user's data folder.

A page is fetched once: its bytes and what we know of it (URL, title, date, validators) are kept
in `<user data>/web/articles/`, so a rebuild reads them offline and the learner can see what was
read. Fetching is done with requests (urllib3 underneath) with:

- a User-Agent naming vocab, connect/read timeouts and a deadline for the whole response;
- a delay between two requests to the same host (VOCAB_HOST_DELAY seconds, default 1);
- redirects followed by hand, at most MAX_REDIRECTS, each hop checked like the first URL;
- the body streamed and refused once it passes the article limit (never read whole first);
- only http and https; a private or loopback address only when the caller allows it.

Every failure is an InputError naming the URL and what happened.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from vocab import __version__
from vocab.errors import InputError
from vocab.leftovers import write_atomically

if TYPE_CHECKING:
    import requests

    from vocab.reading.articles import Article

WEB_SCHEMES = ("http", "https")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")  # https://x, file:///x, ftp://x
USER_AGENT = f"vocab/{__version__} (Japanese news vocabulary for Anki; fetches one article at a time)"
CONNECT_TIMEOUT = 10.0   # seconds to open a connection
READ_TIMEOUT = 20.0      # seconds without a byte
TOTAL_TIMEOUT = 60.0     # seconds for the whole response: a server that drips bytes is cut off
DEFAULT_HOST_DELAY = 1.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
STATUS_HINTS = {401: "login required", 403: "forbidden", 404: "not found", 410: "gone",
                429: "too many requests: try again later", 451: "unavailable for legal reasons"}


def is_web_address(entry: str) -> bool:
    """True if `entry` names something by URL scheme (https://…, file://…) rather than a path."""
    return SCHEME.match(entry) is not None


def check_scheme(url: str) -> None:
    """Raise InputError unless `url` is an http or https address with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise InputError(url, f"{parts.scheme or 'this'}: addresses are not fetched: only http:// and https://")
    if not parts.hostname:
        raise InputError(url, "no host in this address: give a full http:// or https:// URL")


def is_private_host(host: str) -> bool:
    """True if `host` is, or resolves to, a loopback, private, link-local or otherwise
    non-public address (localhost, 10.x, 192.168.x, 169.254.169.254, ::1…). A name that does
    not resolve is not private: fetching it will say it is unreachable."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError, OSError):
        return False
    return any(not ipaddress.ip_address(a.split("%", 1)[0]).is_global for a in addresses)


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched resource: where it ended up, its bytes and what the server said of them."""

    url: str                 # after redirects
    body: bytes
    content_type: str        # "text/html", lower-case, without parameters
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304: the copy we have is current (body is empty)


class Fetcher:
    """One polite HTTP client for a run: a connection pool, and the time of the last request
    to each host (so a feed of 30 articles on one site is fetched at the site's pace)."""

    def __init__(self, *, host_delay: float | None = None, timeout: float = TOTAL_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, max_bytes: int | None = None) -> None:
        from vocab.reading.articles import MAX_ARTICLE_BYTES

        self.host_delay = _env_delay() if host_delay is None else host_delay
        self.timeout = timeout
        self.read_timeout = min(read_timeout, timeout)
        self.max_bytes = MAX_ARTICLE_BYTES if max_bytes is None else max_bytes
        self._session: requests.Session | None = None
        self._last_request: dict[str, float] = {}

    def get(self, url: str, *, allow_private: bool = False, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET `url` (conditionally, if `etag`/`last_modified` are given), following at most
        MAX_REDIRECTS redirects; raise InputError(url, what happened) on any failure."""
        import requests

        check_scheme(url)
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_address(url, current, allow_private)
            self._wait_for_host(current)
            try:
                with self._client().get(current, headers=headers, stream=True, allow_redirects=False,
                                        timeout=(CONNECT_TIMEOUT, self.read_timeout)) as reply:
                    if reply.is_redirect:
                        current = self._redirect_target(url, current, reply)
                        continue
                    return self._response(url, current, reply)
            except (requests.Timeout, requests.ConnectionError) as exc:
                if not _timed_out(exc):
                    raise InputError(url, f"unreachable ({_reason(exc)}): check the address or your connection") from None
                raise InputError(url, f"timed out (no answer within {self.read_timeout:g} s): try again later") from None
            except requests.RequestException as exc:
                raise InputError(url, f"cannot fetch ({_reason(exc)})") from None
        raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})")

    def close(self) -> None:
        """Close the connection pool."""
        if self._session is not None:
            self._session.close()

    def _client(self) -> requests.Session:
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers.update({"User-Agent": USER_AGENT,
                                          "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                                                    "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
                                          "Accept-Language": "ja,en;q=0.5"})
            self._session.trust_env = False  # no netrc credentials sent to article sites
        return self._session

    def _check_address(self, url: str, current: str, allow_private: bool) -> None:
        check_scheme(current) if current == url else _check_redirect_scheme(url, current)
        host = urlsplit(current).hostname or ""
        if not allow_private and is_private_host(host):
            raise InputError(url, f"points at a local or private address ({host}): refused")

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request[host] = time.monotonic()

    @staticmethod
    def _redirect_target(url: str, current: str, reply: requests.Response) -> str:
        location = reply.headers.get("Location")
        if not location:
            raise InputError(url, f"HTTP {reply.status_code} redirect without a Location")
        return urljoin(current, location)

    def _response(self, url: str, current: str, reply: requests.Response) -> Response:
        etag, modified = reply.headers.get("ETag"), reply.headers.get("Last-Modified")
        if reply.status_code == 304:
            return Response(current, b"", "", None, etag, modified, not_modified=True)
        if reply.status_code >= 400 or reply.status_code < 200:
            hint = STATUS_HINTS.get(reply.status_code, reply.reason or "error")
            raise InputError(url, f"HTTP {reply.status_code} ({str(hint).lower()})")
        content_type, charset = _content_type(reply.headers.get("Content-Type", ""))
        return Response(current, self._body(url, reply), content_type, charset, etag, modified)

    def _body(self, url: str, reply: requests.Response) -> bytes:
        """The body, read in chunks and refused as soon as it passes max_bytes (a declared
        Content-Length is refused before reading) or the deadline."""
        limit_mb = f"{self.max_bytes / 2**20:g} MB"
        declared = reply.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise InputError(url, f"too large ({int(declared) / 2**20:.0f} MB, article limit {limit_mb}): refused")
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        for chunk in reply.iter_content(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise InputError(url, f"too large (over the article limit of {limit_mb}): refused")
            if time.monotonic() > deadline:
                raise InputError(url, f"timed out (the page took over {self.timeout:g} s): try again later")
            chunks.append(chunk)
        return b"".join(chunks)


def _check_redirect_scheme(url: str, target: str) -> None:
    if urlsplit(target).scheme.lower() not in WEB_SCHEMES:
        raise InputError(url, f"redirects to a non-web address ({target[:80]}): refused")


def _env_delay() -> float:
    # A learner may ask for a slower pace; tests run against their own server without one.
    with contextlib.suppress(ValueError):
        return max(0.0, float(os.environ.get("VOCAB_HOST_DELAY", DEFAULT_HOST_DELAY)))
    return DEFAULT_HOST_DELAY


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return kind.strip().lower(), match.group(1).lower() if match else None


def _timed_out(exc: Exception) -> bool:
    # A read timeout in the middle of the body reaches us as a ConnectionError (urllib3's
    # ReadTimeoutError wrapped by requests' iter_content).
    import requests

    return isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower()


def _reason(exc: Exception) -> str:
    """A short reason from requests' nested exception text: "connection refused", "name not known"."""
    text = str(exc)
    for pattern, reason in ((r"refused", "connection refused"), (r"Name or service not known|nodename nor servname"
                            r"|getaddrinfo failed|Temporary failure in name resolution", "host not found"),
                            (r"reset by peer", "connection reset"), (r"CERTIFICATE_VERIFY_FAILED|SSLError",
                            "TLS certificate not trusted"), (r"RemoteDisconnected|closed connection",
                            "the server closed the connection")):
        if re.search(pattern, text):
            return reason
    return type(exc).__name__


# ── The fetched-article store ─────────────────────────────────────────────────────────────────

@dataclass(frozen=True, slots=True)
class SavedPage:
    """What is kept of a fetched article beside its bytes."""

    url: str                 # the address asked for: the article's identity and source link
    file: str                # the bytes' file name in the store
    title: str = ""          # the page's (or the feed item's) title; "" = the text's first line
    date: str = ""           # publication date as the page or feed gave it (ISO 8601 when known)
    feed: str = ""           # the feed it came through, if any
    fetched: str = ""        # when it was fetched (UTC, ISO 8601)
    content_type: str = "text/html"
    charset: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def web_folder() -> Path:
    """The folder of vocab's web data (feeds, fetched articles) in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("vocab", appauthor=False) / "web"


def articles_folder() -> Path:
    """Where fetched articles are kept: one page file and one .json of facts each."""
    return web_folder() / "articles"


def page_key(url: str) -> str:
    """The store's file stem for `url`: its host and a hash (names stay short and safe)."""
    host = re.sub(r"[^a-z0-9.-]", "_", (urlsplit(url).hostname or "web").lower())[:60]
    return f"{host}_{hashlib.sha256(url.encode()).hexdigest()[:20]}"


def saved_page(url: str, folder: Path | None = None) -> SavedPage | None:
    """The stored facts of `url`, or None if it was never fetched (or its record is damaged)."""
    path = (folder or articles_folder()) / f"{page_key(url)}.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        page = SavedPage(**record)
    except (OSError, ValueError, TypeError):
        return None
    return page if page.url == url else None


def saved_pages(folder: Path | None = None) -> list[SavedPage]:
    """Every stored article's facts, by date then URL (a stable order for a stable deck)."""
    folder = folder or articles_folder()
    pages = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        with contextlib.suppress(OSError, ValueError, TypeError):
            pages.append(SavedPage(**json.loads(path.read_text(encoding="utf-8"))))
    return sorted(pages, key=lambda p: (p.date, p.url))


def save_page(url: str, response: Response, *, title: str = "", date: str = "", feed: str = "",
              folder: Path | None = None) -> SavedPage:
    """Keep a fetched page: its bytes, then its facts (the .json is written last, atomically,
    so a page is either wholly stored or not at all)."""
    folder = folder or articles_folder()
    folder.mkdir(parents=True, exist_ok=True)
    key = page_key(url)
    suffix = ".txt" if response.content_type in TEXT_TYPES else ".html"
    page = SavedPage(url=url, file=key + suffix, title=title, date=date, feed=feed,
                     fetched=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     content_type=response.content_type, charset=response.charset,
                     extra={"final_url": response.url} if response.url != url else {})
    write_atomically(folder / page.file, response.body)
    write_atomically(folder / f"{key}.json", json.dumps(asdict(page), ensure_ascii=False, indent=1).encode())
    return page


# ── Articles from the web ─────────────────────────────────────────────────────────────────────

def article_from_page(page: SavedPage, folder: Path | None = None) -> Article:
    """The Article of a stored page: named by its URL, titled by its page or feed title."""
    from vocab.reading.articles import decode_web, article_from_text, is_html_text

    path = (folder or articles_folder()) / page.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(page.url, f"the saved copy cannot be read ({exc.strerror}): fetch it again") from None
    text = decode_web(data, page.url, page.charset)
    article = article_from_text(page.url, text, is_html=page.content_type in HTML_TYPES or is_html_text(text),
                                title=page.title)
    return article


def fetch_article(url: str, fetcher: Fetcher, *, allow_private: bool = True, feed: str = "",
                  title: str = "", date: str = "", folder: Path | None = None) -> Article:
    """The article at `url`: read from the store if it was fetched before (nothing is fetched
    twice), else fetched, checked to be an article, stored, and read."""
    page = saved_page(url, folder)
    if page is None:
        page = fetch_page(url, fetcher, allow_private=allow_private, feed=feed, title=title, date=date,
                          folder=folder)
    return article_from_page(page, folder)


def fetch_page(url: str, fetcher: Fetcher, *, allow_private: bool = True, feed: str = "",
               title: str = "", date: str = "", folder: Path | None = None) -> SavedPage:
    """Fetch `url`, check it is an HTML (or plain text) page with Japanese article text, and
    store it; raise InputError naming the URL otherwise."""
    from vocab.reading.articles import decode_web, page_facts

    response = fetcher.get(url, allow_private=allow_private)
    if response.content_type and response.content_type not in HTML_TYPES + TEXT_TYPES:
        raise InputError(url, f"not an HTML page ({response.content_type}): give the article's page")
    text = decode_web(response.body, url, response.charset)
    facts = page_facts(text) if response.content_type != "text/plain" else {}
    page = save_page(url, response, title=title or facts.get("title", ""), date=date or facts.get("date", ""),
                     feed=feed, folder=folder)
    try:
        article_from_page(page, folder)  # no article text: say so now, and keep nothing
    except InputError:
        forget_page(page, folder)
        raise
    return page


def forget_page(page: SavedPage, folder: Path | None = None) -> None:
    """Remove a stored page (its facts first, so a half-removed page reads as not stored)."""
    folder = folder or articles_folder()
    for name in (f"{page_key(page.url)}.json", page.file):
        with contextlib.suppress(OSError):
            (folder / name).unlink()


@contextlib.contextmanager
def fetching() -> Iterator[Fetcher]:
    """A Fetcher for the length of a `with` block, its connections closed after."""
    fetcher = Fetcher()
    try:
        yield fetcher
    finally:
        fetcher.close()
