"""The crawl: discovery (start URLs, sitemaps, links), scope, URL normalisation, robots.txt, breadth-first
fetching with the polite fetcher, optional JavaScript rendering, and the per-URL outcome records.

`Crawler(...).run()` is a coroutine returning a `CrawlOutcome`; `website.py` turns that into Documents.
Breadth-first is level by level: all pages of depth d are fetched (concurrently) before any of depth d+1 are
scheduled, and links are queued in page order, so which pages fall under `max_pages` does not depend on
which response happened to arrive first.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from ..errors import FetchError
from ..extract.html import ParsedPage, html_to_blocks
from ..models import content_hash
from .http import FetchResponse, HttpFetcher, RedirectSkipped
from .robots import READ_AT_LEAST, RobotsRules

log = logging.getLogger(__name__)

# Query parameters that only say where a visitor came from: the same page under many URLs otherwise.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|gclid|gclsrc|dclid|fbclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|_hsenc|_hsmi|"
    r"mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|__s|ref_src|s_cid|trk|srsltid)$",
    re.I,
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_MAX_SITEMAPS = 200  # sitemap files per crawl: an index that points at itself must still end
_MAX_SITEMAP_BYTES = 50_000_000  # the sitemap protocol's own limit for one uncompressed file


# ---------------------------------------------------------------------------------------------------------
# URLs


def clean_url(url: str) -> str:
    """The URL to request: fragment and tracking parameters gone, scheme and host lower-cased, default port
    dropped, percent-escapes upper-cased. Path case and remaining query order are kept (they can matter)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    path = _requote(parts.path) or "/"
    query_pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)
    ]
    query = urlencode(query_pairs, doseq=True) if query_pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def _requote(path: str) -> str:
    # Decode then re-encode so "/caf%c3%a9", "/café" and "/caf%C3%A9" are one path; keep encoded slashes.
    return quote(unquote(path.replace("%2F", "%252F").replace("%2f", "%252F")), safe="/:@!$&'()*+,;=-._~%")


def url_key(url: str) -> str:
    """The identity of a page for de-duplication: `clean_url` plus http/https, www./bare host, trailing slash
    and query order all treated as the same page."""
    parts = urlsplit(clean_url(url))
    host = site_host(parts.netloc)
    path = parts.path.rstrip("/") or "/"
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return f"{host}{path}{'?' + query if query else ''}"


def site_host(netloc_or_host: str) -> str:
    host = netloc_or_host.lower()
    return host[4:] if host.startswith("www.") else host


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ---------------------------------------------------------------------------------------------------------
# Scope


@dataclass(frozen=True)
class Scope:
    """Which URLs belong to the crawl: the start hosts (www and bare host are one site) plus `hosts`, then
    `include` (any must match, when given) and `exclude` (none may match) regular expressions."""

    hosts: frozenset[str]
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def build(
        cls,
        start_urls: Sequence[str],
        extra_hosts: Sequence[str] = (),
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> Scope:
        hosts = {site_host(urlsplit(url).netloc) for url in start_urls}
        hosts |= {site_host(host) for host in extra_hosts}
        return cls(
            frozenset(hosts), tuple(re.compile(p) for p in include), tuple(re.compile(p) for p in exclude)
        )

    def on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and site_host(parts.netloc) in self.hosts

    def reason_out(self, url: str, *, seed: bool = False) -> str | None:
        """None when `url` is in scope, else why not. Seeds skip the include/exclude patterns."""
        if not self.on_site(url):
            return "outside the site"
        if seed:
            return None
        if self.include and not any(p.search(url) for p in self.include):
            return "not matched by include"
        if any(p.search(url) for p in self.exclude):
            return "matched by exclude"
        return None


# ---------------------------------------------------------------------------------------------------------
# Sitemaps


def parse_sitemap(data: bytes) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) from a sitemap or sitemap index; gzip is detected by its magic bytes.
    A plain-text sitemap (one URL per line) is accepted too."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    stripped = data.lstrip()
    if not stripped.startswith(b"<"):
        lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
        return [line for line in lines if line.startswith(("http://", "https://"))], []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(stripped, parser=parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    pages: list[str] = []
    children: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local != "loc" or not element.text:
            continue
        parent = element.getparent()
        parent_name = etree.QName(parent).localname if parent is not None else ""
        (children if parent_name == "sitemap" else pages).append(element.text.strip())
    return pages, children


def _gunzip(data: bytes) -> bytes:
    # Bounded: a sitemap is at most 50 MB uncompressed; a gzip bomb stops there.
    decompressor = zlib.decompressobj(16 + 15)
    out = decompressor.decompress(data, _MAX_SITEMAP_BYTES)
    return bytes(out)


# ---------------------------------------------------------------------------------------------------------
# The crawl


class Renderer(Protocol):
    """Renders a URL with a real browser and returns the resulting HTML (see browser.py)."""

    async def render(self, url: str) -> str: ...


@dataclass(frozen=True)
class PageResult:
    """A fetched and parsed HTML page."""

    url: str  # the final URL (after redirects)
    requested: str
    depth: int
    status: int
    page: ParsedPage
    changed: bool
    not_modified: bool
    rendered: bool
    redirects: tuple[str, ...] = ()
    content_type: str = "text/html"
    text_hash: str = (
        ""  # of the page's text: two URLs with the same text are one page ("/" and "/index.html")
    )


@dataclass(frozen=True)
class OtherResult:
    """A non-HTML response someone wants whole (a PDF for the document reader)."""

    url: str
    response: FetchResponse
    changed: bool
    not_modified: bool
    text_hash: str


@dataclass(frozen=True)
class UrlFailure:
    url: str
    error: str
    status: int | None = None
    attempts: int = 1


@dataclass
class CrawlOutcome:
    pages: list[PageResult] = field(default_factory=list)
    failures: list[UrlFailure] = field(default_factory=list)
    others: list[tuple[str, FetchResponse]] = field(default_factory=list)  # PDFs etc. wanted by a reader
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CrawlSettings:
    max_pages: int = 200
    max_depth: int | None = None
    respect_robots: bool = True
    user_agent: str = "omniaudit/0.1"
    sitemaps: bool | tuple[str, ...] = True
    render: str = "never"  # never | auto | always
    render_min_chars: int = 200
    want_types: frozenset[str] = frozenset()  # extra content types to hand back whole (e.g. PDFs)


class Crawler:
    def __init__(
        self,
        start_urls: Sequence[str],
        scope: Scope,
        fetcher: HttpFetcher,
        settings: CrawlSettings,
        *,
        renderer_factory: Callable[[], Renderer | None] | None = None,
        progress: Callable[[int, int | None, str], None] | None = None,
    ) -> None:
        self.start_urls = [clean_url(url) for url in start_urls]
        self.scope = scope
        self.fetcher = fetcher
        self.settings = settings
        self.renderer_factory = renderer_factory
        self.progress = progress
        self.outcome = CrawlOutcome()
        self._robots: dict[str, RobotsRules | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._seen: set[str] = set()
        self._fetched_keys: set[str] = set()
        self._text_hashes: set[str] = set()
        self._renderer: Renderer | None = None
        self._renderer_failed = False
        self._render_lock = asyncio.Lock()
        self._done = 0
        self._total = 0
        self._counts: dict[str, int] = {
            "pages": 0,
            "changed": 0,
            "not_modified": 0,
            "unchanged": 0,
            "failed": 0,
            "bytes": 0,
            "rendered": 0,
            "skipped_robots": 0,
            "skipped_scope": 0,
            "skipped_non_html": 0,
            "duplicates": 0,
            "sitemap_urls": 0,
            "requests": 0,
        }

    # -- robots ---------------------------------------------------------------------------------------

    async def robots_for(self, url: str) -> RobotsRules | None:
        origin = _origin(url)
        if origin in self._robots:
            return self._robots[origin]
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin in self._robots:
                return self._robots[origin]
            rules = await self._load_robots(origin)
            self._robots[origin] = rules
            if rules is not None and rules.crawl_delay:
                # Crawl-delay is honoured, capped so a hostile value cannot stall the audit for hours.
                self.fetcher.set_delay(url, min(rules.crawl_delay, self.fetcher.settings.max_retry_after))
            return rules

    async def _load_robots(self, origin: str) -> RobotsRules | None:
        robots_url = f"{origin}/robots.txt"
        try:
            response = await self.fetcher.fetch(robots_url, read_at_least=READ_AT_LEAST)
        except FetchError as exc:
            if exc.status is not None and 300 <= exc.status < 500:
                # No robots.txt (4xx), or redirects that cannot be followed: RFC 9309 says allow everything.
                return RobotsRules()
            if exc.status is None:
                # Unreachable host: the page fetches will fail with the real reason.
                return None
            self._fail(
                robots_url,
                f"robots.txt unavailable ({exc.reason}); the site is treated as disallowed "
                "as RFC 9309 requires (set respect_robots: false to crawl anyway)",
                exc.status,
                exc.attempts,
            )
            return RobotsRules(disallow_all=True)
        limit = max(self.fetcher.settings.max_bytes, READ_AT_LEAST)
        return RobotsRules.from_bytes(
            response.content, self.settings.user_agent, truncated=len(response.content) >= limit
        )

    async def disallowed(self, url: str) -> bool:
        if not self.settings.respect_robots:
            return False
        rules = await self.robots_for(url)
        return rules is not None and not rules.allowed(url)

    def allow_redirect(self, url: str) -> str | None:
        """For the fetcher: may a redirect go to `url`? (robots.txt of its host must already be known)."""
        if url_key(url) in self._fetched_keys:
            raise RedirectSkipped(url)
        if not self.scope.on_site(url):
            return "outside the crawl's site"
        if self.settings.respect_robots:
            rules = self._robots.get(_origin(url))
            if rules is not None and not rules.allowed(url):
                return "disallowed by robots.txt"
        return None

    def blocked_for_browser(self, url: str) -> bool:
        """For the browser: abort a same-site request that robots.txt disallows (other hosts' scripts and
        styles are needed to render the page and are left alone)."""
        if not self.settings.respect_robots or not self.scope.on_site(url):
            return False
        rules = self._robots.get(_origin(url))
        return rules is not None and not rules.allowed(url)

    # -- bookkeeping ----------------------------------------------------------------------------------

    def _fail(self, url: str, error: str, status: int | None = None, attempts: int = 1) -> None:
        self.outcome.failures.append(UrlFailure(url, error, status, attempts))
        self._counts["failed"] += 1

    def _tick(self) -> None:
        self._done += 1
        if self.progress is not None:
            queued = max(self._total - self._done, 0)
            self.progress(self._done, self._total, f"{queued} queued, {self._counts['failed']} failed")

    def _admit(self, url: str, *, seed: bool) -> bool:
        key = url_key(url)
        if key in self._seen:
            return False
        reason = self.scope.reason_out(url, seed=seed)
        if reason is not None:
            self._counts["skipped_scope"] += 1
            return False
        self._seen.add(key)
        return True

    # -- discovery ------------------------------------------------------------------------------------

    async def _sitemap_urls(self) -> list[str]:
        option = self.settings.sitemaps
        if option is False:
            return []
        # (url, explicit): a failure of a sitemap someone named is worth reporting; of /sitemap.xml it is not.
        queue: list[tuple[str, bool]] = []
        from_robots: set[str] = set()
        if isinstance(option, tuple):
            base = self.start_urls[0] if self.start_urls else ""
            queue = [(urljoin(base, url), True) for url in option]
        else:
            origins = []
            for url in self.start_urls:
                origin = _origin(url)
                if origin not in origins:
                    origins.append(origin)
            for origin in origins:
                rules = await self.robots_for(origin + "/")
                listed = list(rules.sitemaps) if rules is not None else []
                if listed:
                    queue.extend((url, True) for url in listed)
                    from_robots.update(listed)
                else:
                    queue.append((f"{origin}/sitemap.xml", False))
        pages: list[str] = []
        seen: set[str] = set()
        count = 0
        while queue and count < _MAX_SITEMAPS:
            url, explicit = queue.pop(0)
            if url in seen or not self.scope.on_site(url):
                continue
            seen.add(url)
            if url not in from_robots and await self.disallowed(url):
                continue
            count += 1
            try:
                response = await self.fetcher.fetch(url)
            except FetchError as exc:
                if explicit:
                    self._fail(url, f"sitemap: {exc.reason}", exc.status, exc.attempts)
                continue
            found, children = parse_sitemap(response.content)
            pages.extend(found)
            queue.extend((child, True) for child in children)
        return pages

    # -- the crawl ------------------------------------------------------------------------------------

    async def run(self) -> CrawlOutcome:
        started = time.monotonic()
        try:
            level: list[tuple[str, int]] = []
            for url in self.start_urls:
                if self._admit(url, seed=True):
                    level.append((url, 0))
            for url in await self._sitemap_urls():
                self._counts["sitemap_urls"] += 1
                if self._admit(clean_url(url), seed=False):
                    level.append((clean_url(url), 0))
            budget = self.settings.max_pages
            while level and budget > 0:
                batch = level[:budget]
                budget -= len(batch)
                self._total = self._done + len(batch)
                results = await asyncio.gather(*(self._visit(url, depth) for url, depth in batch))
                next_level: list[tuple[str, int]] = []
                # Results are taken in the order the URLs were queued, not the order they arrived in, so
                # which of two identical pages is kept (and so the output) does not depend on timing.
                for (_, depth), result in zip(batch, results, strict=True):
                    if result is None:
                        continue
                    duplicate = result.text_hash in self._text_hashes
                    if duplicate:
                        self._counts["duplicates"] += 1
                    else:
                        self._text_hashes.add(result.text_hash)
                        self._count_change(result.changed, result.not_modified)
                    if isinstance(result, OtherResult):
                        if not duplicate:
                            self.outcome.others.append((result.url, result.response))
                        continue
                    if not duplicate:
                        self.outcome.pages.append(result)
                    # A duplicate's links are still followed: same text does not mean same links.
                    if self.settings.max_depth is not None and depth + 1 > self.settings.max_depth:
                        continue
                    for link in result.page.links:
                        cleaned = clean_url(link)
                        if self._admit(cleaned, seed=False):
                            next_level.append((cleaned, depth + 1))
                level = next_level
        finally:
            await self._close_renderer()
        self._counts["pages"] = len(self.outcome.pages)
        self._counts["requests"] = self.fetcher.requests
        self._counts["bytes"] = self.fetcher.bytes_received  # robots.txt and sitemaps included
        self.outcome.stats = {**self._counts, "seconds": round(time.monotonic() - started, 3)}
        return self.outcome

    def _want(self, content_type: str) -> bool:
        return content_type in HTML_TYPES or content_type in self.settings.want_types

    async def _visit(self, url: str, depth: int) -> PageResult | OtherResult | None:
        try:
            return await self._visit_inner(url, depth)
        finally:
            self._tick()

    async def _visit_inner(self, url: str, depth: int) -> PageResult | OtherResult | None:
        if await self.disallowed(url):
            self._counts["skipped_robots"] += 1
            rules = self._robots.get(_origin(url))
            unreadable = rules is not None and rules.disallow_all  # already reported once, for robots.txt
            if depth == 0 and url in self.start_urls and not unreadable:
                self._fail(url, "disallowed by robots.txt (set respect_robots: false to crawl it anyway)")
            return None
        try:
            response = await self.fetcher.fetch(url, want=self._want)
        except FetchError as exc:
            self._fail(url, exc.reason, exc.status, exc.attempts)
            return None
        except RedirectSkipped as skipped:
            log.debug("%s: redirects to %s, already read", url, skipped.url)
            self._counts["duplicates"] += 1
            return None
        if not 200 <= response.status < 300:
            self._fail(url, f"HTTP {response.status}", response.status, response.attempts)
            return None
        final_key = url_key(response.final_url)
        if final_key in self._fetched_keys:
            self._counts["duplicates"] += 1
            return None
        self._fetched_keys.add(final_key)
        self._seen.add(final_key)
        content_type = response.content_type
        if response.body_skipped or content_type not in HTML_TYPES:
            if content_type in self.settings.want_types and not response.body_skipped:
                digest = hashlib.sha256(response.content).hexdigest()
                return OtherResult(
                    response.final_url, response, response.changed, response.not_modified, digest
                )
            else:
                self._counts["skipped_non_html"] += 1
                log.debug("%s: skipped (%s is not HTML)", url, content_type)
            return None
        changed = response.changed
        page = html_to_blocks(response.content, response.final_url, encoding=response.charset)
        rendered = False
        mode = self.settings.render
        if mode == "always" or (
            mode == "auto" and page.scripts > 0 and page.text_length() < self.settings.render_min_chars
        ):
            html = await self._render(response.final_url)
            if html is not None:
                page = html_to_blocks(html, response.final_url)
                rendered = True
                self._counts["rendered"] += 1
                changed = self._rendered_changed(response.final_url, page, changed)
        return PageResult(
            url=response.final_url,
            requested=url,
            depth=depth,
            status=response.status,
            page=page,
            changed=changed,
            not_modified=response.not_modified,
            rendered=rendered,
            redirects=response.redirects,
            content_type=content_type or "text/html",
            text_hash=content_hash("\n".join(block.text for block in page.blocks)),
        )

    def _count_change(self, changed: bool, not_modified: bool) -> None:
        key = "changed" if changed else "not_modified" if not_modified else "unchanged"
        self._counts[key] += 1

    def _rendered_changed(self, url: str, page: ParsedPage, html_changed: bool) -> bool:
        """A rendered page is re-rendered on every crawl (its scripts may load new data even when its HTML
        answers 304); it counts as changed when the rendered text differs from last time."""
        cache = self.fetcher.cache
        if cache is None:
            return html_changed
        digest = content_hash("\n".join(block.text for block in page.blocks)).encode("ascii")
        previous = cache.body(url, "rendered-hash")
        cache.put_extra(url, "rendered-hash", digest)
        return previous != digest

    async def _render(self, url: str) -> str | None:
        if self.renderer_factory is None or self._renderer_failed:
            return None
        async with self._render_lock:
            if self._renderer is None and not self._renderer_failed:
                try:
                    self._renderer = self.renderer_factory()
                    if self._renderer is not None and hasattr(self._renderer, "start"):
                        await self._renderer.start()
                except Exception as exc:  # noqa: BLE001 - any browser start problem degrades to static HTML
                    self._renderer_failed = True
                    self._renderer = None
                    self._fail(
                        url,
                        f"cannot start the browser for JavaScript pages ({exc}); pages were read "
                        "as static HTML",
                    )
                    return None
        if self._renderer is None:
            return None
        try:
            return await self._renderer.render(url)
        except Exception as exc:  # noqa: BLE001 - a page that will not render keeps its static text
            log.warning("%s: rendering failed (%s); using the static HTML", url, exc)
            return None

    async def _close_renderer(self) -> None:
        renderer, self._renderer = self._renderer, None
        if renderer is not None and hasattr(renderer, "close"):
            try:
                await renderer.close()
            except Exception as exc:  # noqa: BLE001 - closing must never mask the crawl's own result
                log.warning("closing the browser failed: %s", exc)
