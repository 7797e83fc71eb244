"""feed: RSS 2.0, Atom and YouTube feeds from files and from a real local HTTP server (with paging)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEEDS = FIXTURES / "social" / "feeds"


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, list[str]]]:
    """A blog: /journal/feed.xml (page 1 of 2), /journal/ (HTML), /broken.xml, /down (always 503)."""
    requests: list[str] = []
    routes = {
        "/journal/feed.xml": ("application/rss+xml", FEEDS / "blog.rss"),
        "/journal/feed.xml?page=2": ("text/html; charset=utf-8", FEEDS / "blog-2.rss"),  # a lying type
        "/journal/": ("text/html", FEEDS / "journal.html"),
        "/broken.xml": ("application/xml", FEEDS / "truncated.rss"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            if self.path not in routes:
                self.send_response(503 if self.path == "/down" else 404)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            kind, path = routes[self.path]
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def collect(source: str, **options: Any) -> CollectResult:
    options = {"backoff": 0.01, **options}
    channel = Channel(id="blog", type="social", connector="feed", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=FIXTURES)).collect()


def test_rss_feed_over_http_follows_the_next_page(site: tuple[str, list[str]]) -> None:
    base, requests = site
    requests.clear()
    result = collect(f"{base}/journal/feed.xml")
    assert result.failures == []
    assert requests == ["/journal/feed.xml", "/journal/feed.xml?page=2"]
    assert [doc.title for doc in result.documents] == [
        "Repairs, free for life",
        "Winter delivery times",
        "Black Friday",
    ]
    first = result.documents[0]
    assert first.uri == "https://northwind.example/journal/repairs-for-life"
    assert first.text == (
        "Repairs, free for life\n"
        "Outdoor gear built to last a lifetime, repaired free for as long as you own it.\n"
        "Book a repair at our repair desk. #GoFurtherTogether"
    )
    assert first.metadata["platform"] == "rss"
    assert first.metadata["account"] == "Northwind Journal"
    assert first.metadata["post_id"] == "nw-journal-0042"
    assert first.metadata["date"] == "2026-02-10T09:00:00Z"
    assert first.metadata["hashtags"] == ["#GoFurtherTogether"]
    assert first.metadata["categories"] == ["Repairs"]
    assert first.links == ("https://northwind.example/repairs", first.uri)
    assert first.blocks[0].location.uri == f"{base}/journal/feed.xml"
    assert first.blocks[0].location.line == 10
    # An escaped-HTML description is reduced to text, entities decoded.
    assert result.documents[1].text.endswith("Orders arrive in 3–5 business days, even in winter.")


def test_since_drops_old_items_and_stops_paging(site: tuple[str, list[str]]) -> None:
    base, requests = site
    requests.clear()
    result = collect(f"{base}/journal/feed.xml", since="2026-01-20")
    assert [doc.title for doc in result.documents] == ["Repairs, free for life"]
    # Page 2 holds nothing new enough, so no page 3 would be asked for.
    assert result.stats["older_than_since"] == 2
    assert requests == ["/journal/feed.xml", "/journal/feed.xml?page=2"]
    requests.clear()
    collect(f"{base}/journal/feed.xml", max_pages=1)
    assert requests == ["/journal/feed.xml"]


def test_atom_file_and_youtube_feed() -> None:
    (press,) = collect("social/feeds/newsroom.atom").documents
    assert press.metadata["platform"] == "atom"
    assert press.uri == "https://northwind.example/fr/presse/retours-30-jours"
    assert press.text == "Retours gratuits pendant 30 jours\nLes retours sont gratuits pendant 30 jours."
    assert press.metadata["account"] == "Northwind — Salle de presse"
    assert str(press.blocks[0].location).startswith("social/feeds/newsroom.atom:9 [post urn:uuid:0b7d2c3e")

    (video,) = collect("social/feeds/youtube.xml").documents
    assert video.metadata["platform"] == "youtube"
    assert video.metadata["post_id"] == "nwRepair001"
    assert video.uri == "https://www.youtube.com/watch?v=nwRepair001"
    assert video.text.startswith("How our free repairs work\nWe repair your gear free")
    assert video.metadata["hashtags"] == ["#GoFurtherTogether"]
    assert "https://northwind.example/repairs" in video.links
    assert video.metadata["date"] == "2026-01-25T17:00:00Z"


def test_an_html_page_names_its_real_feed(site: tuple[str, list[str]]) -> None:
    base, _ = site
    (failure,) = collect(f"{base}/journal/").failures
    assert (
        failure.error
        == f"an HTML page, not an RSS/Atom feed; its feed is at {base}/journal/feed.xml: use that"
    )
    (failure,) = collect("social/feeds/journal.html").failures
    assert failure.source == "social/feeds/journal.html"
    assert failure.error == "an HTML page, not an RSS/Atom feed; its feed is at /journal/feed.xml: use that"


def test_broken_feeds_and_server_errors_are_one_line_each(site: tuple[str, list[str]]) -> None:
    base, _ = site
    (failure,) = collect(f"{base}/broken.xml").failures
    assert failure.error == "not a valid RSS/Atom feed: it ends early at line 13 (truncated?)"
    started = time.monotonic()
    (failure,) = collect(f"{base}/down", retries=1).failures
    assert (failure.status, failure.error) == (503, "HTTP 503 (2 attempts)")
    assert time.monotonic() - started < 5
    (failure,) = collect("social/feeds/missing.xml").failures
    assert failure.error == "file not found; check the channel's source path"
