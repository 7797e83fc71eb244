"""bluesky: getAuthorFeed from a real local server: cursor pages, UTF-8 byte facets, rate-limit headers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.collect.bluesky import facet_features
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "social" / "bluesky"
ENDPOINT = "/xrpc/app.bsky.feed.getAuthorFeed"

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Server:
    base: str
    requests: list[tuple[float, str, dict[str, list[str]]]] = field(default_factory=list)
    route: Callable[[str, dict[str, list[str]]], Reply] | None = None


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            state.requests.append((time.monotonic(), parts.path, query))
            assert state.route is not None
            status, headers, body = state.route(parts.path, query)
            self.send_response(status)
            for key, value in {"Content-Type": "application/json; charset=utf-8", **headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def appview(server: Server, *, remaining_zero_for: float | None = None, fail: int | None = None) -> None:
    """Three cursor pages; page 1 can say the rate limit is used up for `remaining_zero_for` seconds."""

    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if fail is not None:
            return fail, {}, b'{"error": "InvalidRequest", "message": "Profile not found"}'
        if path != ENDPOINT:
            return 404, {}, b'{"error": "MethodNotImplemented"}'
        cursor = query.get("cursor", [None])[0]
        page = {None: "feed_1.json", "2026-02-01T09:00:00.000Z::3lnw0003ccc2k": "feed_2.json"}.get(
            cursor, "feed_3.json"
        )
        headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999", "RateLimit-Policy": "3000;w=300"}
        if page == "feed_1.json" and remaining_zero_for is not None:
            headers.update(
                {"RateLimit-Remaining": "0", "RateLimit-Reset": str(time.time() + remaining_zero_for)}
            )
        else:
            headers["RateLimit-Reset"] = str(int(time.time()) + 300)
        return 200, headers, (FIXTURES / page).read_bytes()

    server.route = route


def collect(source: str, server: Server, **options: Any) -> CollectResult:
    options = {"service": server.base, "backoff": 0.01, **options}
    channel = Channel(id="bluesky", type="social", connector="bluesky", source=source, options=options)
    return get_connector(channel, CollectContext()).collect()


def test_author_feed_across_cursor_pages_with_facets(server: Server) -> None:
    appview(server)
    result = collect("@northwind.bsky.social", server)
    assert result.failures == []
    assert [doc.metadata["post_id"] for doc in result.documents] == [
        "3lnw0001aaa2k",
        "3lnw0002bbb2k",
        "3lnw0003ccc2k",
        "3lnw0004ddd2k",
        "3lnw0005eee2k",
    ]
    assert result.stats["reposts"] == 1
    queries = [query for _, _, query in server.requests]
    assert queries[0] == {
        "actor": ["northwind.bsky.social"],
        "limit": ["100"],
        "filter": ["posts_with_replies"],
    }
    assert queries[1]["cursor"] == ["2026-02-01T09:00:00.000Z::3lnw0003ccc2k"]
    assert len(queries) == 3

    french = result.documents[0]
    assert french.uri == "https://bsky.app/profile/northwind.bsky.social/post/3lnw0001aaa2k"
    assert french.language == "fr"
    assert french.metadata["account"] == "@northwind.bsky.social"
    assert french.metadata["date"] == "2026-02-12T10:00:00Z"
    # Offsets are UTF-8 bytes: "é", "🧵" and "à" come before the facets and must not shift them.
    assert french.metadata["hashtags"] == ["#GoFurtherTogether"]
    assert french.metadata["mentions"] == ["@atelier.bsky.social"]
    assert french.metadata["mention_dids"] == ["did:plc:atelier123"]
    # The link facet holds the full URL that the text shortened.
    assert french.links == ("https://northwind.example/fr/reparations", french.uri)

    card = result.documents[1]
    assert card.metadata["hashtags"] == ["#returns"]  # from the record's tags, not the text
    assert "https://northwind.example/returns" in card.links
    assert result.documents[2].metadata["reply"] is True


def test_since_ends_the_pagination(server: Server) -> None:
    appview(server)
    result = collect("northwind.bsky.social", server, since="2026-01-01", replies=False)
    assert [doc.metadata["post_id"] for doc in result.documents][-1] == "3lnw0004ddd2k"
    assert result.stats["older_than_since"] == 1
    assert len(server.requests) == 2
    assert server.requests[0][2]["filter"] == ["posts_no_replies"]


def test_rate_limit_remaining_zero_waits_for_the_reset(server: Server) -> None:
    appview(server, remaining_zero_for=0.6)
    result = collect("https://bsky.app/profile/northwind.bsky.social", server)
    assert len(result.documents) == 5
    assert server.requests[1][0] - server.requests[0][0] >= 0.4


def test_max_posts_and_refusals(server: Server) -> None:
    appview(server)
    assert len(collect("northwind.bsky.social", server, max_posts=2).documents) == 2
    appview(server, fail=400)
    (failure,) = collect("nobody.bsky.social", server).failures
    assert failure.status == 400
    assert failure.error == "HTTP 400 (the API refused the request; check the account, handle or URL)"
    appview(server, fail=500)
    (failure,) = collect("northwind.bsky.social", server, retries=0).failures
    assert failure.error == "HTTP 500 (1 attempt)"
    (failure,) = collect("not a handle", server).failures
    assert failure.error.startswith("not a Bluesky account")


def test_an_html_page_instead_of_the_api_is_one_clear_failure(server: Server) -> None:
    server.route = lambda path, query: (200, {"Content-Type": "text/html"}, b"<!doctype html><p>Hi</p>")
    (failure,) = collect("northwind.bsky.social", server).failures
    assert failure.error == "expected JSON from the API but got an HTML page; check the URL"


def test_facet_offsets_are_bytes_not_characters() -> None:
    text = "Café ☕ #Menu @bar.bsky.social"
    data = text.encode("utf-8")
    start = data.index(b"#Menu")
    facets = [
        {
            "index": {"byteStart": start, "byteEnd": start + 5},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Menu"}],
        },
        {
            "index": {"byteStart": start + 6, "byteEnd": len(data)},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bar"}],
        },
        {
            "index": {"byteStart": 999, "byteEnd": 1005},
            "features": [{"$type": "app.bsky.richtext.facet#mention"}],
        },
    ]
    assert facet_features(text, facets) == ([], ["#Menu"], ["@bar.bsky.social"], ["did:plc:bar"])


# Saved responses: the same getAuthorFeed pages, read from files instead of an AppView.


def collect_saved(base_dir: Path, source: str, **options: Any) -> CollectResult:
    channel = Channel(id="bluesky", type="social", connector="bluesky", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def save_feed(tmp_path: Path) -> Path:
    folder = tmp_path / "bluesky"
    folder.mkdir()
    for name in ("feed_1.json", "feed_2.json", "feed_3.json"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    return folder


def test_saved_feed_pages_read_exactly_like_the_live_appview(server: Server, tmp_path: Path) -> None:
    appview(server)
    live = collect("northwind.bsky.social", server).documents
    save_feed(tmp_path)
    saved = collect_saved(tmp_path, "bluesky/")
    assert saved.failures == []
    assert (saved.stats["pages"], saved.stats["reposts"]) == (3, 1)
    assert [doc.metadata["post_id"] for doc in saved.documents] == [doc.metadata["post_id"] for doc in live]
    for got, want in zip(saved.documents, live, strict=True):
        assert (got.uri, got.text, got.links, got.language) == (
            want.uri,
            want.text,
            want.links,
            want.language,
        )
        for key in ("account", "date", "hashtags", "mentions", "mention_dids", "reply"):
            assert got.metadata[key] == want.metadata[key]
    # UTF-8 byte facets work the same from a file.
    assert saved.documents[0].metadata["hashtags"] == ["#GoFurtherTogether"]
    assert str(saved.documents[0].blocks[0].location) == "bluesky/feed_1.json [post 3lnw0001aaa2k]"
    assert str(saved.documents[-1].blocks[0].location) == "bluesky/feed_2.json [post 3lnw0005eee2k]"


def test_one_saved_page_with_since_replies_and_max_posts(tmp_path: Path) -> None:
    save_feed(tmp_path)
    source = "bluesky/feed_1.json"
    result = collect_saved(tmp_path, source)
    assert [doc.metadata["post_id"] for doc in result.documents] == [
        "3lnw0001aaa2k",
        "3lnw0002bbb2k",
        "3lnw0003ccc2k",
    ]
    # The server-side posts_no_replies filter cannot act on a saved page: replies are dropped here.
    result = collect_saved(tmp_path, source, replies=False)
    assert [doc.metadata["post_id"] for doc in result.documents] == ["3lnw0001aaa2k", "3lnw0002bbb2k"]
    result = collect_saved(tmp_path, "bluesky", since="2026-02-03")
    assert [doc.metadata["post_id"] for doc in result.documents] == ["3lnw0001aaa2k", "3lnw0002bbb2k"]
    assert (result.stats["older_than_since"], result.stats["pages"]) == (1, 1)
    assert len(collect_saved(tmp_path, "bluesky", max_posts=4).documents) == 4
    assert len(collect_saved(tmp_path, "bluesky", reposts=True).documents) == 6


def test_bad_saved_feed_files_are_one_failure_line_each(tmp_path: Path) -> None:
    (failure,) = collect_saved(tmp_path, "feed.json").failures
    assert failure.error == "not found; check the channel's source path (a saved .json file or folder)"
    (tmp_path / "statuses.json").write_text('[{"id": "1"}]', encoding="utf-8")
    (failure,) = collect_saved(tmp_path, "statuses.json").failures
    assert (failure.source, failure.error) == (
        "statuses.json",
        "expected a getAuthorFeed response with a 'feed' list; save the response body as it is",
    )
    (tmp_path / "page.json").write_text("<!doctype html><p>Sign in</p>", encoding="utf-8")
    (failure,) = collect_saved(tmp_path, "page.json").failures
    assert failure.error == "an HTML or XML page, not JSON; check the source path or the connector"
