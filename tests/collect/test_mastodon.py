"""mastodon: an account's statuses from a real local server speaking the Mastodon REST API.

The server pages with `Link: <...>; rel="next"`, sends `X-RateLimit-*` headers and can refuse with
401/429/500, so pagination, rate limits and Retry-After are exercised over real HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "social" / "mastodon"
ACCOUNT_ID = "109000000000000001"

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Server:
    base: str
    requests: list[tuple[float, str]] = field(default_factory=list)
    route: Callable[[str, dict[str, list[str]]], Reply] | None = None

    def paths(self) -> list[str]:
        return [path for _, path in self.requests]


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.requests.append((time.monotonic(), self.path))
            parts = urlsplit(self.path)
            assert state.route is not None
            status, headers, body = state.route(parts.path, parse_qs(parts.query))
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
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def mastodon_api(
    server: Server, *, reset_in: float | None = None, page2_429: int = 0, fail: int | None = None
) -> None:
    """Three pages of statuses; page 1 says the rate limit is used up until `reset_in` seconds from now."""
    refusals = {"left": page2_429}

    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if fail is not None:
            return fail, {}, b'{"error": "refused"}'
        if path == "/api/v1/accounts/lookup":
            return (200, {}, fixture("account.json")) if query["acct"] == ["northwind"] else (404, {}, b"{}")
        if path != f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
            return 404, {}, b'{"error": "Record not found"}'
        statuses = f"{server.base}/api/v1/accounts/{ACCOUNT_ID}/statuses"
        max_id = query.get("max_id", [None])[0]
        if max_id is None:
            headers = {
                "Link": f'<{statuses}?limit=40&max_id=109000000000000103>; rel="next", '
                f'<{statuses}?limit=40&min_id=109000000000000105>; rel="prev"'
            }
            if reset_in is not None:
                reset = datetime.now(timezone.utc) + timedelta(seconds=reset_in)
                headers.update(
                    {
                        "X-RateLimit-Limit": "300",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z"),
                    }
                )
            return 200, headers, fixture("statuses_1.json")
        if max_id == "109000000000000103":
            if refusals["left"]:
                refusals["left"] -= 1
                return 429, {"Retry-After": "1"}, b'{"error": "Too many requests"}'
            return (
                200,
                {"Link": f'<{statuses}?limit=40&max_id=109000000000000101>; rel="next"'},
                fixture("statuses_2.json"),
            )
        return 200, {}, b"[]"

    server.route = route


def collect(source: str, **options: Any) -> CollectResult:
    options = {"backoff": 0.01, **options}
    channel = Channel(id="mastodon", type="social", connector="mastodon", source=source, options=options)
    return get_connector(channel, CollectContext()).collect()


def test_statuses_across_pages_with_text_tags_mentions_and_links(server: Server) -> None:
    mastodon_api(server)
    result = collect(f"{server.base}/@northwind")
    assert result.failures == []
    ids = [doc.metadata["post_id"] for doc in result.documents]
    # The boost (…103) is someone else's post; the empty page ends the pagination.
    assert ids == ["109000000000000105", "109000000000000104", "109000000000000102", "109000000000000101"]
    assert server.paths()[0] == "/api/v1/accounts/lookup?acct=northwind"
    assert len(server.requests) == 4
    first = result.documents[0]
    assert first.uri == "https://mastodon.example/@northwind/109000000000000105"
    assert first.title == "mastodon post 109000000000000105"
    assert first.text == (
        "Go further, together. Repairs are free for as long as you own your gear #GoFurtherTogether\n"
        "Details: https://northwind.example/repairs thanks @repairs"
    )
    assert first.metadata["account"] == f"@northwind@127.0.0.1:{server.base.rsplit(':', 1)[1]}"
    assert first.metadata["date"] == "2026-02-10T15:00:00Z"
    assert first.metadata["hashtags"] == ["#gofurthertogether"]
    assert first.metadata["mentions"] == ["@repairs@other.example"]
    # Hashtag and profile anchors are not links; the article link and the post's own URL are.
    assert first.links == ("https://northwind.example/repairs", first.uri)
    assert first.language == "en"
    reply = result.documents[1]
    assert reply.text == "@sam Returns are free within 30 days & we email a prepaid label."
    assert reply.metadata["reply"] is True
    # A content warning is kept in front of the text.
    assert result.documents[2].text == "Winter sale\nDelivery in 3-5 business days on every order."


def test_since_stops_the_pagination_at_the_first_older_status(server: Server) -> None:
    mastodon_api(server)
    result = collect(f"{server.base}/@northwind", since="2026-01-20")
    assert [doc.metadata["post_id"] for doc in result.documents] == [
        "109000000000000105",
        "109000000000000104",
    ]
    # Page 2 starts older than the window: it is the last page asked for.
    assert result.stats["older_than_since"] == 2
    assert len(server.requests) == 3
    result = collect(f"{server.base}/@northwind", since="2026-01-01")
    assert [doc.metadata["post_id"] for doc in result.documents][-1] == "109000000000000102"
    assert result.stats["older_than_since"] == 1


def test_rate_limit_headers_make_it_wait_for_the_reset(server: Server) -> None:
    mastodon_api(server, reset_in=0.6)
    result = collect(f"{server.base}/@northwind")
    assert result.failures == []
    assert len(result.documents) == 4
    (page1_at, _), (page2_at, page2) = server.requests[1], server.requests[2]
    assert "max_id=109000000000000103" in page2
    assert page2_at - page1_at >= 0.4
    assert result.stats["rate_limit_wait_s"] > 0


def test_a_reset_too_far_away_keeps_what_was_read_and_reports_it(server: Server) -> None:
    mastodon_api(server, reset_in=600)
    result = collect(f"{server.base}/@northwind", max_retry_after=5)
    assert len(result.documents) == 2
    (failure,) = result.failures
    assert "max_id=109000000000000103" in failure.source
    assert failure.error.startswith("the API's rate limit is used up and resets in ")
    assert failure.error.endswith("s, more than max_retry_after (5 s); what was read before is kept")


def test_429_with_retry_after_is_honoured_then_retried(server: Server) -> None:
    mastodon_api(server, page2_429=1)
    result = collect(f"{server.base}/@northwind")
    assert result.failures == []
    assert len(result.documents) == 4
    times = [at for at, path in server.requests if "max_id=109000000000000103" in path]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95


def test_429_every_time_is_one_failure_after_the_retries(server: Server) -> None:
    mastodon_api(server, page2_429=10)
    result = collect(f"{server.base}/@northwind", retries=1)
    assert len(result.documents) == 2  # page 1 is kept
    (failure,) = result.failures
    assert (failure.status, failure.attempts) == (429, 2)
    assert failure.error == (
        "HTTP 429 (2 attempts) (rate limited even after waiting; try again later or lower max_posts)"
    )


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, "HTTP 401 (the API wants authentication; only public accounts and feeds can be read)"),
        (
            403,
            "HTTP 403 (access refused; the account or feed may be private or the server blocks this client)",
        ),
        (500, "HTTP 500 (2 attempts)"),
    ],
)
def test_refusals_are_one_failure_line(server: Server, status: int, error: str) -> None:
    mastodon_api(server, fail=status)
    result = collect(f"{server.base}/@northwind", retries=1)
    assert result.documents == []
    (failure,) = result.failures
    assert failure.source == f"{server.base}/api/v1/accounts/lookup?acct=northwind"
    assert (failure.status, failure.error) == (status, error)


def test_unknown_account_and_bad_source(server: Server) -> None:
    mastodon_api(server)
    (failure,) = collect(f"{server.base}/@nobody").failures
    assert failure.error == "HTTP 404 (not found; check the account, handle or URL)"
    (failure,) = collect("northwind").failures
    assert failure.error == "not a Mastodon account; write it as https://server/@name or @name@server"


# Saved responses: the same statuses pages, read from files instead of a server.


def collect_saved(base_dir: Path, source: str, **options: Any) -> CollectResult:
    channel = Channel(id="mastodon", type="social", connector="mastodon", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def save_pages(tmp_path: Path, names: tuple[str, str] = ("page_1.json", "page_2.json")) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, page in zip(names, ("statuses_1.json", "statuses_2.json"), strict=True):
        (folder / name).write_bytes(fixture(page))
    return folder


def test_saved_pages_read_exactly_like_the_live_api(server: Server, tmp_path: Path) -> None:
    mastodon_api(server)
    live = collect(f"{server.base}/@northwind").documents
    save_pages(tmp_path)
    saved = collect_saved(tmp_path, "saved/")
    assert saved.failures == []
    assert saved.stats["pages"] == 2
    assert "requests" not in saved.stats
    assert [doc.metadata["post_id"] for doc in saved.documents] == [doc.metadata["post_id"] for doc in live]
    for got, want in zip(saved.documents, live, strict=True):
        assert (got.uri, got.text, got.links, got.language) == (
            want.uri,
            want.text,
            want.links,
            want.language,
        )
        for key in ("date", "hashtags", "mentions", "reply", "boost"):
            assert got.metadata[key] == want.metadata[key]
    first = saved.documents[0]
    # The handle comes from the status' own account; the location names the saved file.
    assert first.metadata["account"] == "@northwind@mastodon.example"
    assert str(first.blocks[0].location) == "saved/page_1.json [post 109000000000000105]"
    assert str(saved.documents[-1].blocks[0].location) == "saved/page_2.json [post 109000000000000101]"


def test_one_saved_file_with_since_replies_and_boosts(tmp_path: Path) -> None:
    (tmp_path / "statuses.json").write_bytes(fixture("statuses_1.json"))
    result = collect_saved(tmp_path, "statuses.json")
    assert [doc.metadata["post_id"] for doc in result.documents] == [
        "109000000000000105",
        "109000000000000104",
    ]
    # A reply to another account is dropped when replies are off, as exclude_replies does on the server.
    result = collect_saved(tmp_path, "statuses.json", replies=False)
    assert [doc.metadata["post_id"] for doc in result.documents] == ["109000000000000105"]
    result = collect_saved(tmp_path, "statuses.json", boosts=True)
    boost = result.documents[-1]
    assert boost.metadata["boost"] is True
    result = collect_saved(tmp_path, "statuses.json", since="2026-02-05")
    assert [doc.metadata["post_id"] for doc in result.documents] == ["109000000000000105"]
    assert result.stats["older_than_since"] == 1


def test_saved_page_files_are_read_in_natural_order(tmp_path: Path) -> None:
    # "statuses_10" sorts before "statuses_9" as text; the newer page (9) must still come first.
    save_pages(tmp_path, ("statuses_9.json", "statuses_10.json"))
    result = collect_saved(tmp_path, "saved", since="2026-01-10")
    assert [doc.metadata["post_id"] for doc in result.documents] == [
        "109000000000000105",
        "109000000000000104",
        "109000000000000102",
    ]
    assert collect_saved(tmp_path, "saved", max_pages=1).stats["pages"] == 1


def test_bad_saved_files_are_one_failure_line_each(tmp_path: Path) -> None:
    (failure,) = collect_saved(tmp_path, "missing.json").failures
    assert (failure.source, failure.error) == (
        "missing.json",
        "not found; check the channel's source path (a saved .json file or folder)",
    )
    (tmp_path / "empty").mkdir()
    (failure,) = collect_saved(tmp_path, "empty/").failures
    assert failure.error == "no .json files in this folder; save the API's responses as .json files"
    folder = save_pages(tmp_path)
    (folder / "page_3.json").write_text('{"error": "Record not found"}', encoding="utf-8")
    (folder / "page_0.json").write_text('[{"id": "1", "content": "<p>cut', encoding="utf-8")
    result = collect_saved(tmp_path, "saved/")
    assert len(result.documents) == 4  # the good pages are still read
    assert [(f.source, f.error) for f in result.failures] == [
        (
            "saved/page_0.json",
            "invalid JSON: the file ends early at line 1 (truncated export?); re-export it",
        ),
        (
            "saved/page_3.json",
            "expected a JSON array of statuses (GET /api/v1/accounts/:id/statuses)",
        ),
    ]
