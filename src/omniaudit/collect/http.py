"""Polite, bounded HTTP fetching for crawls: retries with backoff, Retry-After, per-host limits, a size cap,
redirects followed by hand (loop detection, a scope check on every hop) and an on-disk cache for
conditional requests.

`HttpFetcher.fetch(url)` either returns a `FetchResponse` or raises `FetchError` naming the URL, the status or
error, and how many attempts were made; the crawler turns those into `Failure` records.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import gzip
import hashlib
import json
import logging
import os
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectSkipped(Exception):
    """Raised by an `allow` callback to stop at a redirect without it being a failure (the target is a page
    the crawl already has)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: every delay is configurable so tests (and impatient users) can keep them small."""

    user_agent: str = "omniaudit/0.1"
    timeout: float = 20.0  # seconds per attempt (connect, read, write and pool each)
    retries: int = 2  # extra attempts after the first on timeouts, connection errors, 5xx, 429
    backoff: float = 0.5  # first retry waits this long, doubling each time (plus a little jitter)
    max_backoff: float = 30.0
    max_retry_after: float = 120.0  # a Retry-After longer than this fails the URL instead of waiting
    max_bytes: int = 10_000_000  # decoded body size cap
    max_redirects: int = 10
    concurrency: int = 4  # requests in flight per host
    delay: float = 0.0  # seconds between request starts on one host
    # Wall-clock limit for one URL, from its first byte sent: every attempt, retry wait and redirect. The
    # timeout above bounds each socket read; this bounds the whole, against a server that trickles.
    request_seconds: float = 60.0


@dataclass(frozen=True)
class FetchResponse:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # the origin's status; a 304 answered from the cache reports the cached status
    headers: httpx.Headers
    content: bytes
    attempts: int = 1
    redirects: tuple[str, ...] = ()
    not_modified: bool = False  # True when the server answered 304 and the body came from the cache
    bytes_received: int = 0  # bytes on the wire for this fetch, all hops and attempts
    body_skipped: bool = False  # the caller did not want this content type; content is empty
    previous_hash: str | None = None  # sha256 of this URL's body at the last crawl (from the cache)

    @property
    def changed(self) -> bool:
        """New or different content since the last crawl (always True without a cache)."""
        if self.not_modified:
            return False
        return self.previous_hash is None or self.previous_hash != hashlib.sha256(self.content).hexdigest()

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


# ---------------------------------------------------------------------------------------------------------
# The cache: one JSON file of validators plus a gzip body per URL, written atomically.


@dataclass
class CacheEntry:
    url: str
    status: int
    headers: dict[str, str]
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class HttpCache:
    """A small on-disk HTTP cache for conditional re-crawls: ETag / Last-Modified validators plus the body, so
    a 304 still yields the page's content without transferring it again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _key(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]

    def get(self, url: str) -> CacheEntry | None:
        path = self._key(url).with_suffix(".json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CacheEntry(**data)
        except (OSError, ValueError, TypeError):
            return None

    def body(self, url: str, name: str = "body") -> bytes | None:
        try:
            return gzip.decompress(self._key(url).with_suffix(f".{name}.gz").read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile):
            return None

    def put(self, entry: CacheEntry, content: bytes) -> None:
        entry.body_hash = hashlib.sha256(content).hexdigest()
        base = self._key(entry.url)
        _write_atomic(base.with_suffix(".body.gz"), gzip.compress(content, compresslevel=5))
        _write_atomic(base.with_suffix(".json"), json.dumps(entry.__dict__).encode("utf-8"))

    def put_extra(self, url: str, name: str, content: bytes) -> None:
        """Store a derived artefact (e.g. the rendered HTML) next to a URL's entry."""
        _write_atomic(self._key(url).with_suffix(f".{name}.gz"), gzip.compress(content, compresslevel=5))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass
class _Clock:
    """One URL's deadline, shared by its redirect hops; it starts when the first request is sent (time
    queued behind other requests to the host does not count)."""

    seconds: float
    at: float | None = None

    def start(self) -> float:
        if self.at is None:
            self.at = time.monotonic() + self.seconds
        return self.at

    def left(self) -> float:
        return self.seconds if self.at is None else self.at - time.monotonic()

    def expired(self, url: str, attempts: int, status: int | None = None) -> FetchError:
        plural = "s" if attempts > 1 else ""
        return FetchError(
            url,
            f"no complete answer within limits.request_seconds ({self.seconds:g} s, {attempts} "
            f"attempt{plural}); the server is too slow or trickles its answer (raise "
            "limits.request_seconds to wait longer)",
            status,
            attempts,
        )


# ---------------------------------------------------------------------------------------------------------


class _Host:
    """Per-host politeness: a concurrency limit and a minimum gap between request starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.delay = delay
        self.lock = asyncio.Lock()
        self.next_start = 0.0

    async def wait_turn(self) -> None:
        async with self.lock:
            now = time.monotonic()
            if self.next_start > now:
                await asyncio.sleep(self.next_start - now)
            self.next_start = max(time.monotonic(), self.next_start) + self.delay

    def pause(self, seconds: float) -> None:
        # A 429/503 with Retry-After slows every request to the host, not only the one that got it.
        self.next_start = max(self.next_start, time.monotonic() + seconds)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _describe(exc: Exception, timeout: float) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        chain = _causes(exc)
        if any(isinstance(cause, ConnectionRefusedError) for cause in chain):
            return "connection refused (is the site up?)"
        if any(isinstance(cause, socket.gaierror) for cause in chain):
            return "DNS lookup failed (check the host name)"
        if any(isinstance(cause, ssl.SSLError) for cause in chain):
            return f"TLS error: {chain[-1]}"
        return f"cannot connect: {chain[-1]}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection: {exc}"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return f"the connection failed mid-response: {_causes(exc)[-1] or exc.__class__.__name__}"
    return f"{exc.__class__.__name__}: {exc}"


class HttpFetcher:
    """Async fetcher shared by one crawl. Use as `async with HttpFetcher(settings) as fetcher:`.

    `allow(url)` is called for every redirect hop; it returns None to follow, or the reason not to (out of
    scope, disallowed by robots.txt), which fails the fetch without requesting that URL; or it raises
    `RedirectSkipped`, which propagates to the caller.
    """

    def __init__(
        self,
        settings: FetchSettings,
        cache: HttpCache | None = None,
        allow: Callable[[str], str | None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.allow = allow
        self._transport = transport
        self._hosts: dict[str, _Host] = {}
        self._client: httpx.Client | None = None
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._bytes_lock = threading.Lock()
        self.bytes_received = 0
        self.requests = 0

    async def __aenter__(self) -> HttpFetcher:
        import httpx

        from ._deadline import DeadlineTransport

        limit = max(1, self.settings.concurrency)
        # httpx's sync client on a few worker threads: its async client slows down as concurrency grows
        # (encode/httpx#3215: ~190 requests/s at 8 in flight here, against ~630 for the sync client).
        self._client = httpx.Client(
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            },
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            transport=self._transport
            or DeadlineTransport(
                httpx.Limits(max_connections=limit * 4, max_keepalive_connections=limit * 2)
            ),
        )
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=limit * 2, thread_name_prefix="omniaudit-fetch"
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Closing the client first breaks off requests still running in the threads (after Ctrl-C).
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def host(self, url: str) -> _Host:
        key = (urlsplit(url).netloc or "").lower()
        if key not in self._hosts:
            self._hosts[key] = _Host(self.settings.concurrency, self.settings.delay)
        return self._hosts[key]

    def set_delay(self, url: str, delay: float) -> None:
        host = self.host(url)
        host.delay = max(host.delay, delay)

    async def fetch(
        self,
        url: str,
        *,
        want: Callable[[str], bool] | None = None,
        use_cache: bool = True,
        read_at_least: int | None = None,
    ) -> FetchResponse:
        """GET `url`, following redirects. `want(content_type)` False skips reading the body.
        `read_at_least`: keep the first max(max_bytes, read_at_least) bytes of a bigger body instead of
        failing (robots.txt, which must be parsed even when big)."""
        visited = [url]
        current = url
        total_attempts = 0
        received = 0
        clock = _Clock(self.settings.request_seconds)
        while True:
            response, attempts, wire = await self._fetch_one(
                current, clock, want=want, use_cache=use_cache, read_at_least=read_at_least
            )
            total_attempts += attempts
            received += wire
            if response.status not in REDIRECT_STATUSES:
                return FetchResponse(
                    url=url,
                    final_url=current,
                    status=response.status,
                    headers=response.headers,
                    content=response.content,
                    attempts=total_attempts,
                    redirects=tuple(visited[1:]),
                    not_modified=response.not_modified,
                    previous_hash=response.previous_hash,
                    bytes_received=received,
                    body_skipped=response.body_skipped,
                )
            location = response.headers.get("location")
            if not location:
                raise FetchError(
                    url,
                    f"HTTP {response.status} redirect without a Location header",
                    response.status,
                    total_attempts,
                )
            target = urljoin(current, location.strip())
            if target in visited:
                chain = " -> ".join([*visited, target])
                raise FetchError(url, f"redirect loop: {chain}", response.status, total_attempts)
            if len(visited) > self.settings.max_redirects:
                raise FetchError(
                    url,
                    f"more than {self.settings.max_redirects} redirects (last: {target})",
                    response.status,
                    total_attempts,
                )
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(
                    url, f"redirected to a non-HTTP URL {target}", response.status, total_attempts
                )
            if self.allow is not None:
                reason = self.allow(target)
                if reason:
                    raise FetchError(
                        url, f"redirected to {target}, which is {reason}", response.status, total_attempts
                    )
            visited.append(target)
            current = target

    async def _fetch_one(
        self,
        url: str,
        clock: _Clock,
        *,
        want: Callable[[str], bool] | None,
        use_cache: bool,
        read_at_least: int | None = None,
    ) -> tuple[FetchResponse, int, int]:
        """One hop with retries: returns (response, attempts, bytes on the wire)."""
        import httpx

        assert self._client is not None, "use HttpFetcher as an async context manager"
        settings = self.settings
        host = self.host(url)
        entry = self.cache.get(url) if (self.cache is not None and use_cache) else None
        previous_hash = entry.body_hash if entry is not None else None
        headers: dict[str, str] = {}
        if entry is not None:
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        attempt = 0
        received = 0
        while True:
            attempt += 1
            retry_wait: float | None = None
            error: str | None = None
            status: int | None = None
            try:
                async with host.semaphore:
                    await host.wait_turn()
                    if clock.left() <= 0:
                        raise clock.expired(url, max(attempt - 1, 1))
                    self.requests += 1
                    result = await self._request(url, headers, want, read_at_least, clock.start())
                received += result.bytes_received
                status = result.status
                if status == 304 and entry is not None:
                    body = self.cache.body(url) if self.cache is not None else None
                    if body is not None:
                        return (
                            FetchResponse(
                                url,
                                url,
                                entry.status,
                                httpx.Headers(entry.headers),
                                body,
                                attempt,
                                not_modified=True,
                                previous_hash=previous_hash,
                            ),
                            attempt,
                            received,
                        )
                    # The cached body is gone: ask again without validators.
                    headers = {}
                    entry = None
                    attempt -= 1
                    continue
                if status in RETRY_STATUSES:
                    wait = (
                        retry_after_seconds(result.headers.get("retry-after"))
                        if status in (429, 503)
                        else None
                    )
                    if wait is not None and wait > settings.max_retry_after:
                        raise FetchError(
                            url,
                            f"HTTP {status}: the server asks to retry after {wait:.0f} s, "
                            f"more than max_retry_after ({settings.max_retry_after:g} s)",
                            status,
                            attempt,
                        )
                    if wait is not None:
                        host.pause(wait)
                    retry_wait = wait
                    error = f"HTTP {status}"
                else:
                    if status >= 400:
                        raise FetchError(url, f"HTTP {status}", status, attempt)
                    if (
                        self.cache is not None
                        and use_cache
                        and 200 <= status < 300
                        and not result.body_skipped
                    ):
                        # Pages without validators are stored too: the next crawl can then tell whether
                        # their content changed, even though it has to download them again.
                        etag = result.headers.get("etag")
                        modified = result.headers.get("last-modified")
                        self.cache.put(
                            CacheEntry(url, status, dict(result.headers), etag, modified), result.content
                        )
                    return replace(result, previous_hash=previous_hash), attempt, received
            except FetchError:
                raise
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if clock.left() <= 0:
                    raise clock.expired(url, attempt) from None
                error = _describe(exc, settings.timeout)
            except httpx.HTTPError as exc:
                raise FetchError(url, _describe(exc, settings.timeout), None, attempt) from None
            if attempt > settings.retries:
                plural = "s" if attempt > 1 else ""
                raise FetchError(url, f"{error} ({attempt} attempt{plural})", status, attempt)
            backoff = min(settings.max_backoff, settings.backoff * (2 ** (attempt - 1)))
            backoff += random.uniform(0, settings.backoff * 0.25)
            wait_for = max(backoff, retry_wait) if retry_wait is not None else backoff
            if wait_for >= clock.left():
                raise FetchError(
                    url,
                    f"{error} ({attempt} attempt{'s' if attempt > 1 else ''}); waiting {wait_for:.1f} s "
                    f"to retry would pass limits.request_seconds ({clock.seconds:g} s)",
                    status,
                    attempt,
                )
            log.info(
                "%s: %s; retrying in %.2f s (attempt %d of %d)",
                url,
                error,
                wait_for,
                attempt + 1,
                settings.retries + 1,
            )
            await asyncio.sleep(wait_for)

    async def _request(
        self,
        url: str,
        headers: dict[str, str],
        want: Callable[[str], bool] | None,
        read_at_least: int | None,
        deadline: float,
    ) -> FetchResponse:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool, self._request_sync, url, headers, want, read_at_least, deadline
        )

    def _request_sync(
        self,
        url: str,
        headers: dict[str, str],
        want: Callable[[str], bool] | None,
        read_at_least: int | None,
        deadline: float,
    ) -> FetchResponse:
        from ._deadline import DEADLINE

        DEADLINE.at = deadline
        try:
            return self._request_within(url, headers, want, read_at_least, deadline)
        finally:
            DEADLINE.at = None

    def _request_within(
        self,
        url: str,
        headers: dict[str, str],
        want: Callable[[str], bool] | None,
        read_at_least: int | None,
        deadline: float,
    ) -> FetchResponse:
        import httpx

        client = self._client
        if client is None:
            raise FetchError(url, "the crawl was stopped")
        max_bytes = max(self.settings.max_bytes, read_at_least or 0)
        with client.stream("GET", url, headers=headers) as response:
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            status = response.status_code
            if (
                status in REDIRECT_STATUSES
                or status == 304
                or status >= 400
                or (want is not None and content_type and not want(content_type))
            ):
                # Nobody reads these bodies: don't transfer them.
                skipped = 200 <= status < 300
                return FetchResponse(
                    url, url, status, response.headers, b"", bytes_received=0, body_skipped=skipped
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes and read_at_least is None:
                raise FetchError(
                    url, f"response is {int(declared):,} bytes, more than max_bytes ({max_bytes:,})", status
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:  # also for transports other than our own (tests' seams)
                    raise httpx.ReadTimeout("the request's deadline has passed")
                size += len(chunk)
                if size > max_bytes and read_at_least is not None:
                    chunks.append(chunk[: len(chunk) - (size - max_bytes)])  # keep the prefix, stop reading
                    break
                if size > max_bytes:
                    self._count_bytes(response.num_bytes_downloaded)
                    raise FetchError(
                        url, f"response is more than max_bytes ({max_bytes:,} bytes); stopped reading", status
                    )
                chunks.append(chunk)
            wire = response.num_bytes_downloaded
        self._count_bytes(wire)
        return FetchResponse(url, url, status, response.headers, b"".join(chunks), bytes_received=wire)

    def _count_bytes(self, count: int) -> None:
        with self._bytes_lock:
            self.bytes_received += count
