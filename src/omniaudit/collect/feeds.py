"""`feed`: RSS 2.0, RSS 1.0 and Atom feeds (company blog, newsroom, YouTube channel), from a URL or file.

One Document per item: its title, then the text of its full content (`content:encoded`, Atom `content`) or
else its summary (`description`, `summary`, YouTube's `media:description`), HTML reduced to text. A feed
that pages with RFC 5005 `<link rel="next">` is followed up to `max_pages`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from ..errors import SourceError
from ..models import Document, Location
from ._api import ApiOptions, ApiSession, fetch_settings, run_sync
from ._posts import before, html_text, parse_date, post_document, relative
from .base import CollectResult, Connector, now_iso, register
from .http import HttpFetcher

log = logging.getLogger(__name__)

ATOM = "http://www.w3.org/2005/Atom"
YOUTUBE = "http://www.youtube.com/xml/schemas/2015"
_FEED_LINK = re.compile(r"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)


class FeedOptions(ApiOptions):
    platform: str | None = None  # default: "youtube" for YouTube feeds, else "rss" or "atom"
    max_pages: int = 5


@dataclass(frozen=True)
class FeedItem:
    post_id: str
    title: str
    body_html: str
    url: str | None
    date: str | None
    categories: tuple[str, ...]
    line: int | None


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # rss | atom | youtube
    title: str
    items: tuple[FeedItem, ...]
    next_url: str | None


def _local(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child) == name]


def _text(element: Any, *names: str) -> str:
    """The text of the first child with one of `names` (namespace-agnostic), in that order of preference."""
    for name in names:
        for child in _children(element, name):
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return ""


def _atom_link(element: Any, rel: str = "alternate") -> str | None:
    for link in _children(element, "link"):
        if link.get("href") and (link.get("rel") or "alternate") == rel:
            return str(link.get("href"))
    return None


def _html_page_error(data: bytes, where: str) -> SourceError:
    head = data[:200_000].decode("utf-8", errors="replace")
    for tag in _FEED_LINK.findall(head):
        href = _HREF.search(tag)
        if href:
            feed = urljoin(where, href.group(1)) if "://" in where else href.group(1)
            return SourceError(where, f"an HTML page, not an RSS/Atom feed; its feed is at {feed}: use that")
    return SourceError(
        where, "an HTML page, not an RSS/Atom feed; use the feed's URL (often /feed or /rss.xml)"
    )


def parse_feed(data: bytes, where: str) -> ParsedFeed:
    """Items of an RSS or Atom document; SourceError when it is an HTML page or not a feed at all."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise SourceError(where, "empty response; expected an RSS/Atom feed")
    if re.match(rb"(?i)<!doctype html|<html", stripped):
        raise _html_page_error(data, where)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(stripped, parser=parser)
    except etree.XMLSyntaxError as exc:
        if b"<html" in stripped[:2000].lower():
            raise _html_page_error(data, where) from None
        message = re.sub(r"(, line \d+)?, column \d+$", "", str(exc.msg)).strip().split("\n", 1)[0]
        if message.startswith("Premature end of data"):
            raise SourceError(
                where, f"not a valid RSS/Atom feed: it ends early at line {exc.lineno} (truncated?)"
            ) from None
        raise SourceError(where, f"not a valid RSS/Atom feed: {message} (line {exc.lineno})") from None
    name = _local(root)
    if name == "html":
        raise _html_page_error(data, where)
    if name == "feed":
        return _atom(root, where)
    if name in ("rss", "RDF"):
        return _rss(root, where)
    raise SourceError(where, f"not an RSS/Atom feed (its root element is <{name}>)")


def _rss(root: Any, where: str) -> ParsedFeed:
    channel = next(iter(_children(root, "channel")), root)
    # RSS 2.0 nests items in <channel>; RSS 1.0 (RDF) puts them next to it.
    elements = _children(channel, "item") or _children(root, "item")
    items = []
    for index, item in enumerate(elements, start=1):
        link = _text(item, "link") or None
        guid = _text(item, "guid") or link or str(index)
        items.append(
            FeedItem(
                post_id=guid,
                title=_text(item, "title"),
                body_html=_text(item, "encoded", "description"),
                url=link,
                date=_text(item, "pubDate", "date", "published", "updated") or None,
                categories=tuple("".join(c.itertext()).strip() for c in _children(item, "category")),
                line=item.sourceline,
            )
        )
    next_url = next(
        (str(link.get("href")) for link in _children(channel, "link") if link.get("rel") == "next"), None
    )
    return ParsedFeed("rss", _text(channel, "title"), tuple(items), next_url and urljoin(where, next_url))


def _atom(root: Any, where: str) -> ParsedFeed:
    youtube = any(ns == YOUTUBE for ns in (root.nsmap or {}).values())
    items = []
    for index, entry in enumerate(_children(root, "entry"), start=1):
        group = next(iter(_children(entry, "group")), None)  # YouTube's media:group
        body = _text(entry, "content", "summary") or (
            _text(group, "description") if group is not None else ""
        )
        link = _atom_link(entry)
        items.append(
            FeedItem(
                post_id=_text(entry, "videoId", "id") or link or str(index),
                title=_text(entry, "title"),
                body_html=body,
                url=urljoin(where, link) if link and "://" in where else link,
                date=_text(entry, "published", "updated") or None,
                categories=tuple(str(c.get("term")) for c in _children(entry, "category") if c.get("term")),
                line=entry.sourceline,
            )
        )
    author = next(iter(_children(root, "author")), None)
    title = _text(root, "title") or (_text(author, "name") if author is not None else "")
    next_url = _atom_link(root, "next")
    return ParsedFeed(
        "youtube" if youtube else "atom", title, tuple(items), next_url and urljoin(where, next_url)
    )


@register("feed")
class FeedConnector(Connector):
    """RSS/Atom items as posts; `source` is a feed URL or a saved .xml/.rss/.atom file."""

    Options = FeedOptions
    options: FeedOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"posts": 0, "pages": 0, "older_than_since": 0})
        source = self.channel.source
        fetched_at = now_iso()
        try:
            if "://" in source:
                run_sync(self._fetch_pages(source, result, fetched_at))
            else:
                path = self.context.resolve(source)
                shown = relative(path, self.context.base_dir)
                feed = parse_feed(self.files.read_bytes(path, shown), shown)
                result.stats["pages"] = 1
                self._add(feed, shown, result, fetched_at)
        except SourceError as exc:
            result.failures.append(self.failure_from(exc))
        result.stats["posts"] = len(result.documents)
        return result

    async def _fetch_pages(self, url: str, result: CollectResult, fetched_at: str) -> None:
        async with HttpFetcher(fetch_settings(self.options, self.context)) as fetcher:
            session = ApiSession(fetcher, self.options)
            seen: set[str] = set()
            next_url: str | None = url
            while next_url and next_url not in seen and result.stats["pages"] < self.options.max_pages:
                seen.add(next_url)
                response = await session.get(next_url)
                # Sniffed, not trusted from Content-Type: many servers send feeds as text/html or text/plain.
                feed = parse_feed(response.content, next_url)
                result.stats["pages"] += 1
                if not self._add(feed, next_url, result, fetched_at):
                    return
                next_url = feed.next_url

    def _add(self, feed: ParsedFeed, where: str, result: CollectResult, fetched_at: str) -> bool:
        """Add a page's items; False when paging should stop (all older than `since`, or max_posts)."""
        platform = self.options.platform or feed.kind
        kept = 0
        for item in feed.items:
            moment = parse_date(item.date)
            if before(moment, self.options.since):
                result.stats["older_than_since"] += 1
                continue
            document = self._document(item, feed, platform, where, fetched_at)
            if document is None:
                continue
            result.documents.append(document)
            kept += 1
            if len(result.documents) >= self.options.max_posts:
                return False
        self.report_progress(len(result.documents), None)
        return kept > 0 or not feed.items

    def _document(
        self, item: FeedItem, feed: ParsedFeed, platform: str, where: str, fetched_at: str
    ) -> Document | None:
        body, anchors = html_text(item.body_html, item.url or where) if item.body_html else ("", ())
        title, _ = html_text(item.title, where) if item.title else ("", ())
        text = "\n".join(part for part in (title, body) if part)
        if not text:
            return None
        return post_document(
            self.channel,
            platform=platform,
            account=feed.title or None,
            post_id=item.post_id,
            text=text,
            url=item.url,
            moment=parse_date(item.date),
            links=anchors,
            location=Location(uri=where, line=item.line, section=f"post {item.post_id}"),
            fetched_at=fetched_at,
            title=title or None,
            extra={"categories": list(item.categories), "feed": where},
        )
