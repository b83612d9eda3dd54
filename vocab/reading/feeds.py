"""News feeds: the learner's saved RSS/Atom feeds, and collecting their new articles.

The feed list is `<user data>/web/feeds.json` (URL, title, and the ETag/Last-Modified of the
last fetch, so an unchanged feed costs one 304). `update_feeds` fetches every feed, then each
item not fetched before (`vocab.reading.web` keeps them), and returns the URLs of all articles
collected so far from the saved feeds: building from them gives one deck that grows each day.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from vocab.errors import InputError, VocabError
from vocab.leftovers import write_atomically
from vocab.reading import web

FEED_TYPES = ("xml", "rss", "atom", "rdf")  # application/rss+xml, text/xml, application/atom+xml…
LOCK_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Feed:
    """A saved feed."""

    url: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: the article's address, title and date."""

    url: str
    title: str
    date: str


@dataclass(frozen=True, slots=True)
class Update:
    """What `update_feeds` did: the articles collected so far, the new ones, what failed."""

    urls: list[str]          # every stored article of the saved feeds, oldest first
    new: int                 # articles fetched this time
    problems: list[InputError]


def feeds_path() -> Path:
    """The saved feed list."""
    return web.web_folder() / "feeds.json"


def saved_feeds() -> list[Feed]:
    """The saved feeds, in the order they were added ([] if none)."""
    path = feeds_path()
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        return [Feed(**record) for record in records]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError) as exc:
        raise VocabError(f"{path}: your feed list cannot be read ({exc}); fix or remove it") from None


@contextlib.contextmanager
def _changing_feeds() -> Iterator[list[Feed]]:
    """The saved feeds, locked, to change in place; written back atomically at the end. Two
    vocab runs at once (a cron job and the learner) must not lose a feed."""
    from filelock import FileLock, Timeout

    path = feeds_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT):
            feeds = saved_feeds()
            yield feeds
            write_atomically(path, json.dumps([asdict(f) for f in feeds], ensure_ascii=False,
                                                  indent=1).encode())
    except Timeout:
        raise VocabError(f"{path}: another vocab is changing your feeds; try again when it is done") from None


def add_feed(url: str, fetcher: web.Fetcher) -> Feed:
    """Fetch `url`, check it is an RSS or Atom feed, and save it (again: its title is renewed)."""
    web.check_scheme(url)
    response = fetcher.get(url, allow_private=True)
    title, _ = parse_feed(url, response.body, response.content_type)
    feed = Feed(url, title)  # no validators yet: the first update must read its items
    with _changing_feeds() as feeds:
        feeds[:] = [f for f in feeds if f.url != url] + [feed]
    return feed


def remove_feed(url: str) -> bool:
    """Forget the saved feed `url` (its articles stay in the store, out of `--feeds` builds);
    False if it was not saved."""
    with _changing_feeds() as feeds:
        kept = [f for f in feeds if f.url != url]
        removed = len(kept) < len(feeds)
        feeds[:] = kept
    return removed


def parse_feed(url: str, data: bytes, content_type: str = "") -> tuple[str, list[FeedItem]]:
    """The title and items of an RSS or Atom feed; InputError(url) if `data` is not one."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        kind = f" ({content_type})" if content_type and not content_type.endswith(FEED_TYPES) else ""
        raise InputError(url, f"not an RSS or Atom feed{kind}: give the feed's address (often …/rss or …/feed)")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", ()) if l.get("href")), "")
        if link:
            items.append(FeedItem(urljoin(url, link.strip()), " ".join(entry.get("title", "").split()),
                                  _entry_date(entry)))
    return " ".join(parsed.feed.get("title", "").split()), items


def _entry_date(entry: dict) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return entry.get("published") or entry.get("updated") or ""


def update_feeds(fetcher: web.Fetcher) -> Update:
    """Fetch each saved feed (conditionally), then each of its items not fetched before; the
    URLs of all articles collected from the saved feeds so far. A feed or article that fails
    is one problem naming its URL; the others go on."""
    problems: list[InputError] = []
    new = 0
    renewed: dict[str, Feed] = {}
    for feed in saved_feeds():
        try:
            items, renewed[feed.url] = _feed_items(feed, fetcher)
        except InputError as exc:
            problems.append(exc)
            continue
        allow_private = web.is_private_host(urlsplit(feed.url).hostname or "")
        for item in items:
            if web.saved_page(item.url) is not None:
                continue  # nothing is fetched twice
            try:
                _check_item(feed, item, allow_private)
                web.fetch_page(item.url, fetcher, allow_private=allow_private, feed=feed.url,
                               title=item.title, date=item.date)
                new += 1
            except InputError as exc:
                problems.append(exc)
    if renewed:
        with _changing_feeds() as feeds:
            feeds[:] = [renewed.get(f.url, f) for f in feeds]
    return Update(collected_urls(), new, problems)


def _feed_items(feed: Feed, fetcher: web.Fetcher) -> tuple[list[FeedItem], Feed]:
    """The feed's items ([] if unchanged since the last fetch) and its renewed record."""
    response = fetcher.get(feed.url, allow_private=True, etag=feed.etag, last_modified=feed.last_modified)
    if response.not_modified:
        return [], feed
    title, items = parse_feed(feed.url, response.body, response.content_type)
    return items, replace(feed, title=title or feed.title, etag=response.etag, last_modified=response.last_modified)


def _check_item(feed: Feed, item: FeedItem, allow_private: bool) -> None:
    """A feed item must be an http(s) page; a public feed may not send vocab to a local or
    private address (the learner's router, a cloud metadata service)."""
    if urlsplit(item.url).scheme.lower() not in web.WEB_SCHEMES:
        raise InputError(item.url, f"a {urlsplit(item.url).scheme or 'non-web'}: address in the feed "
                                   f"{feed.url}: only http:// and https:// are fetched")
    host = urlsplit(item.url).hostname or ""
    if not allow_private and web.is_private_host(host):
        raise InputError(item.url, f"points at a local or private address ({host}) from the public feed "
                                   f"{feed.url}: refused")


def collected_urls() -> list[str]:
    """The stored articles that came through the saved feeds, oldest first."""
    subscribed = {f.url for f in saved_feeds()}
    return [page.url for page in web.saved_pages() if page.feed in subscribed]
