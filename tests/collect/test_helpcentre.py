"""zendesk_guide: Help Center article JSON from an export file and from a real local API with next_page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
API = FIXTURES / "service" / "zendesk" / "api"
ARTICLES = "/api/v2/help_center/articles.json"


def collect(source: str, base_dir: Path = FIXTURES, **options: Any) -> CollectResult:
    options = {"backoff": 0.01, **options}
    channel = Channel(id="help", type="service", connector="zendesk_guide", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


@pytest.fixture(scope="module")
def api() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == ARTICLES:
                body = (API / "api-page-1.json").read_text().replace('"NEXT"', f'"{base}{ARTICLES}?page=2"')
                status = 200
            elif self.path == f"{ARTICLES}?page=2":
                body, status = (API / "api-page-2.json").read_text(), 200
            else:
                body, status = '{"error": "Forbidden"}', 403
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def test_export_file_articles_locales_and_drafts() -> None:
    result = collect("service/zendesk/articles.json")
    assert result.failures == []
    assert result.stats["drafts"] == 1
    english, french = result.documents
    assert english.uri == "https://northwind.zendesk.com/hc/en-us/articles/360010001-returns-and-refunds"
    assert english.title == "Returns and refunds"
    assert english.language == "en"
    assert english.metadata["locale"] == "en-us"
    assert english.metadata["labels"] == ["returns"]
    assert [(b.scope, str(b.location), b.text) for b in english.blocks] == [
        ("title", "service/zendesk/articles.json [article 360010001, title]", "Returns and refunds"),
        ("main", "service/zendesk/articles.json [article 360010001]", "Free returns"),
        (
            "main",
            "service/zendesk/articles.json [article 360010001]",
            "You can return any item free within 30 days.",
        ),
        ("main", "service/zendesk/articles.json [article 360010001]", "Print the label from your account."),
        ("main", "service/zendesk/articles.json [article 360010001]", "Refunds take 5 business days."),
    ]
    assert english.links == ("https://northwind.example/account",)
    assert french.language == "fr"
    assert len(collect("service/zendesk/articles.json", drafts=True).documents) == 3


def test_help_center_api_follows_next_page(api: tuple[str, list[str]]) -> None:
    base, requests = api
    requests.clear()
    result = collect(f"{base}{ARTICLES}")
    assert result.failures == []
    assert requests == [ARTICLES, f"{ARTICLES}?page=2"]
    assert [doc.title for doc in result.documents] == ["Returns and refunds", "Retours et remboursements"]
    assert result.documents[0].blocks[0].location.uri == f"{base}{ARTICLES}"


def test_refused_api_and_wrong_json_are_one_line(api: tuple[str, list[str]], tmp_path: Path) -> None:
    base, _ = api
    (failure,) = collect(f"{base}/api/v2/help_center/en-us/sections.json").failures
    assert (failure.status, failure.error) == (
        403,
        "HTTP 403 (access refused; the account or feed may be private or the server blocks this client)",
    )
    (tmp_path / "sections.json").write_text('{"sections": [], "next_page": null}', encoding="utf-8")
    (tmp_path / "cut.json").write_text('{"articles": [{"id": 1, "title": "Ret', encoding="utf-8")
    result = collect(".", base_dir=tmp_path)
    assert [(f.source, f.error) for f in result.failures] == [
        ("cut.json", "invalid JSON: the file ends early at line 1 (truncated export?); re-export it"),
        (
            "sections.json",
            'expected {"articles": [...]} from the Help Center API (found: sections, next_page)',
        ),
    ]
