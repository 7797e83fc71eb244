"""A server that trickles its answer one byte at a time never trips a per-read timeout: the request's total
deadline (`limits.request_seconds`) cuts it, across every retry, and the failure names the URL and the
limit."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from omniaudit.app import collect_channels
from omniaudit.collect.http import FetchSettings, HttpFetcher
from omniaudit.config import load_config
from omniaudit.errors import FetchError
from tests.servers import serve, trickle

CUT = (
    "no complete answer within limits.request_seconds (1.5 s, 1 attempt); the server is too slow or trickles "
    "its answer (raise limits.request_seconds to wait longer)"
)


async def _fetch(url: str) -> None:
    # Each byte comes well within the 5 s read timeout, and three attempts are allowed: only the deadline
    # can stop this.
    settings = FetchSettings(timeout=5.0, retries=2, backoff=0.05, request_seconds=1.5)
    async with HttpFetcher(settings) as fetcher:
        await fetcher.fetch(url)


@pytest.mark.parametrize("body_only", [False, True], ids=["headers", "body"])
def test_a_trickling_server_is_cut_at_the_deadline(body_only: bool) -> None:
    with serve(routes={"/trickle": trickle(0.2, body_only=body_only, lifetime=15.0)}) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as error:
            asyncio.run(_fetch(server.url + "/trickle"))
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 3.0
    assert (error.value.source, error.value.reason, error.value.attempts) == (server.url + "/trickle", CUT, 1)
    assert server.paths() == ["/trickle"]  # cut, not retried


def test_the_configured_limit_reaches_a_crawl_and_the_rest_completes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>Acme repairs homes.</p></body></html>", encoding="utf-8")
    with serve(routes={"/": trickle(0.2, lifetime=15.0)}) as server:
        config = tmp_path / "omniaudit.yaml"
        config.write_text(
            "brand: {name: Acme}\n"
            "brand_book: {key_messages: [{id: t, text: Acme makes home repairs simple.}]}\n"
            "limits: {request_seconds: 1.5}\n"
            "channels:\n"
            f"  - {{id: web, type: website, connector: website, source: '{server.url}/', "
            "options: {timeout: 5, retries: 2, backoff: 0.05, sitemaps: false}}\n"
            "  - {id: saved, type: website, connector: website, source: site/}\n",
            encoding="utf-8",
        )
        started = time.monotonic()
        collected = collect_channels(load_config(config))
        elapsed = time.monotonic() - started
    assert elapsed < 6.0
    [failure] = collected.failures
    assert (failure.channel_id, failure.source, failure.error) == ("web", f"{server.url}/", CUT)
    assert [doc.channel_id for doc in collected.documents] == ["saved"]
