"""HTTP for the API and feed connectors: the crawler's polite fetcher plus rate-limit headers and JSON pages.

`HttpFetcher` already retries timeouts, 5xx and 429 and waits for `Retry-After`; this adds what public social
APIs say on *successful* responses: `X-RateLimit-Remaining`/`-Reset` (Mastodon) and `RateLimit-Remaining`/
`-Reset` (Bluesky), so a long pagination slows down before the server has to refuse it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
import time
from collections.abc import Coroutine
from datetime import date
from typing import Any, TypeVar

from pydantic import Field

from ..errors import FetchError, SourceError
from ._posts import parse_date
from .base import CollectContext, ConnectorOptions
from .http import FetchResponse, FetchSettings, HttpFetcher

log = logging.getLogger(__name__)

T = TypeVar("T")

_HINTS = {
    400: "the API refused the request; check the account, handle or URL",
    401: "the API wants authentication; only public accounts and feeds can be read",
    403: "access refused; the account or feed may be private or the server blocks this client",
    404: "not found; check the account, handle or URL",
    410: "gone; the account or feed was removed",
}


class ApiOptions(ConnectorOptions):
    """Options shared by the connectors that read an HTTP API or feed."""

    since: date | None = None  # posts dated before this day are not audited (and stop the pagination)
    max_posts: int = Field(200, ge=1)
    max_pages: int = Field(20, ge=1)
    timeout: float = Field(20.0, gt=0)  # seconds per request
    retries: int = Field(2, ge=0, le=10)  # extra attempts on timeouts, 5xx and 429
    backoff: float = Field(0.5, ge=0)  # first retry delay in seconds, doubling each time
    # Wait at most this long for a Retry-After or a rate-limit reset; longer ends the collection.
    max_retry_after: float = Field(120.0, ge=0)


def fetch_settings(options: ApiOptions, context: CollectContext) -> FetchSettings:
    return FetchSettings(
        user_agent=context.user_agent,
        timeout=options.timeout,
        retries=options.retries,
        backoff=options.backoff,
        max_retry_after=options.max_retry_after,
        concurrency=1,
        request_seconds=context.limits.request_seconds,
    )


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from synchronous code, also when the caller already has an event loop running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def rate_limit_wait(headers: Any, now: float | None = None) -> float | None:
    """Seconds until the rate-limit window resets when the response says no request is left, else None.

    Reads `X-RateLimit-*` (Mastodon: the reset is an ISO 8601 time) and `RateLimit-*` (Bluesky: epoch
    seconds; the IETF draft: delta seconds).
    """
    remaining = headers.get("x-ratelimit-remaining") or headers.get("ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset") or headers.get("ratelimit-reset")
    if remaining is None or reset is None:
        return None
    try:
        if float(remaining) > 0:
            return None
    except ValueError:
        return None
    now = time.time() if now is None else now
    value = reset.strip()
    try:
        number = float(value)
    except ValueError:
        moment = parse_date(value)
        return None if moment is None else max(0.0, moment.timestamp() - now)
    # Large numbers are epoch seconds; small ones a delay.
    return max(0.0, number - now) if number > 1_000_000_000 else max(0.0, number)


def fetch_error(error: FetchError) -> SourceError:
    """The fetcher's error with a hint on what to do for the usual API refusals."""
    hint = _HINTS.get(error.status or 0)
    if error.status == 429:
        hint = "rate limited even after waiting; try again later or lower max_posts"
    reason = f"{error.reason} ({hint})" if hint else error.reason
    return SourceError(error.source, reason, error.status, error.attempts)


class ApiSession:
    """Sequential GETs against one API: rate-limit headers honoured between requests, JSON decoded."""

    def __init__(self, fetcher: HttpFetcher, options: ApiOptions) -> None:
        self.fetcher = fetcher
        self.options = options
        self.requests = 0
        self.waited = 0.0
        self._next_allowed = 0.0
        self._exhausted: float | None = None  # seconds to the reset, when more than max_retry_after

    async def get(self, url: str) -> FetchResponse:
        if self._exhausted is not None:
            raise SourceError(
                url,
                f"the API's rate limit is used up and resets in {self._exhausted:.0f} s, more than "
                f"max_retry_after ({self.options.max_retry_after:g} s); what was read before is kept",
            )
        delay = self._next_allowed - time.monotonic()
        if delay > 0:
            log.info("%s: rate limit reached; waiting %.1f s for the reset", url, delay)
            self.waited += delay
            await asyncio.sleep(delay)
        try:
            response = await self.fetcher.fetch(url, use_cache=False)
        except FetchError as exc:
            raise fetch_error(exc) from None
        self.requests += 1
        wait = rate_limit_wait(response.headers)
        if wait is not None:
            if wait > self.options.max_retry_after:
                self._exhausted = wait
            else:
                self._next_allowed = time.monotonic() + wait
        return response

    async def get_json(self, url: str) -> Any:
        response = await self.get(url)
        text = response.content.decode(response.charset or "utf-8", errors="replace")
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            kind = "an HTML page" if text.lstrip().startswith("<") else f"{response.content_type or 'text'}"
            raise SourceError(url, f"expected JSON from the API but got {kind}; check the URL") from None


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")


def parse_link_header(value: str | None) -> dict[str, str]:
    """`Link: <url>; rel="next", <url>; rel="prev"` (RFC 8288) as {"next": url, "prev": url}."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(value or ""):
        for param in match.group(2).split(";"):
            key, _, rel = param.partition("=")
            if key.strip().lower() == "rel":
                for name in rel.strip().strip('"').split():
                    links.setdefault(name.lower(), match.group(1).strip())
    return links
