"""The `website` connector: a site crawled over HTTP, or a local folder of saved `.html` files.

`source` is either a URL (`https://brand.example/`), crawled breadth-first within the same site, or a folder
(every `*.html` / `*.htm` under it, recursively, in sorted order, and the HTML templates described below) or
a single `.html` file.

A folder may hold a site's page sources rather than saved pages. An HTML template (`page.njk`,
`index.html.erb`, `card.liquid`: a template extension from `_templates.EXTENSIONS` after `.html`/`.htm` or
after nothing) and a `.html`/`.htm` file that opens with YAML/TOML front matter or has template syntax
(`{{ }}`, `{% %}`, `{# #}`, `<% %>`) outside `<script>`, `<style>`, `<pre>`, `<code>`, `<textarea>`,
`<template>` and comments are rendered by `_templates.render_template` before block extraction, as
`static_site` renders them: tags and comments out, run-time values as the neutral `PLACEHOLDER`, literal text
kept, loops over literal lists unrolled, includes followed inside the folder; the front matter is the data
the template reads (`{{ page.title }}`), not text (the `static_site` connector reads it as text). Blocks
then carry no template syntax, and blocks that are only a placeholder are dropped. Template partials and
layouts (a name starting with `_`, or inside `_includes/`, `_layouts/`, `includes/`, `layouts/`,
`partials/`, `_partials/`) are not pages: they are listed in `stats["skipped"]` with why. Any other `.html`
file is read exactly as saved.

Each page becomes one Document whose blocks carry a scope: `title`, `meta` (meta description), `header`,
`nav`, `main`, `footer`, `aside`. Header and footer text is kept (with its scope): footers hold the phone
numbers, support hours and social links the fact and integration checks need. `metadata` holds the meta
description, `og` and `twitter` tags, `hreflang` alternates, `canonical`, `social_links`, the HTTP `status`,
and (for crawled pages) `depth`, `rendered`, `not_modified`, `redirects`.

Options (`channels[].options`), all optional:

- `max_pages` (int, default 200): visit at most this many URLs (pages, PDFs, failures and skips all count).
- `max_depth` (int, default none): how many links away from a start URL the crawl may go (start = 0).
  Pages listed in a sitemap count as depth 0.
- `include` (list of regular expressions, default []): when given, a discovered URL must match one of them
  (`re.search` on the full URL, so a plain `/blog/` works). Start URLs are always fetched.
- `exclude` (list of regular expressions, default []): discovered URLs matching any of them are not fetched.
- `start_urls` (list of URLs, default []): more start URLs besides `source`.
- `hosts` (list of host names, default []): other hosts that count as the same site (`www.` and the bare
  host are always one site).
- `render` (`never` | `auto` | `always`, default `auto`): run pages' JavaScript in Chromium. `auto` renders
  a page only when its static HTML has scripts and less than `render_min_chars` characters of main text
  (an app shell); the browser starts only if such a page turns up.
- `render_min_chars` (int, default 200): the `auto` threshold.
- `browser` (path, default `/usr/bin/chromium`): the Chromium executable Playwright drives.
- `respect_robots` (bool, default true): obey robots.txt (RFC 9309: longest match, `*`/`$` wildcards,
  `Crawl-delay`) for `user_agent`. A robots.txt that answers 5xx makes the site disallowed, as RFC 9309 says.
- `user_agent` (str, default omniaudit's own): sent with every request and matched against robots.txt.
- `concurrency` (int, default 4): requests in flight per host (and browser pages when rendering).
- `delay` (seconds, default 0): minimum gap between request starts on one host.
- `timeout` (seconds, default 20): per request attempt.
- `retries` (int, default 2): extra attempts on timeouts, connection errors, 5xx and 429.
- `backoff` (seconds, default 0.5): first retry delay, doubled on each further attempt.
- `max_retry_after` (seconds, default 120): a 429/503 `Retry-After` up to this is waited for; longer fails
  the URL instead.
- `max_bytes` (int, default 10000000): larger responses are abandoned (and recorded as failures).
- `sitemaps` (bool or list of URLs, default true): true reads robots.txt `Sitemap:` lines, else
  `/sitemap.xml`; a list names the sitemaps to read; false reads none. Indexes and gzip sitemaps are followed.
- `cache` (bool or folder, default true): keep an HTTP cache (ETag / Last-Modified plus the page) so a
  re-crawl sends conditional requests and unchanged pages cost a 304. true uses the audit's cache folder
  (`.omniaudit/http-cache/website` next to the config when history is on); a path picks the folder.
- `base_url` (URL, default none): folder sources only: the URL the folder is published at, so relative
  links become absolute.
- `template` (`auto` | `none` | `jinja` | `liquid` | `erb` | `hugo` | `handlebars`, default `auto`): folder
  sources only: the template syntax of the folder's files. `auto` picks it per file as above; `none` reads
  every file as saved HTML; a syntax renders every file with that one.
- `pdf` (bool, default true): read linked PDFs (same site, in scope) as documents, one `main` block per
  paragraph with section "page N" (needs pypdf). Other non-HTML responses are skipped without downloading.

Every URL that cannot be read is a Failure (URL, status or error, attempts) in the result, never an
exception. `CollectResult.stats` counts: `pages` (documents: HTML pages and PDFs), `changed` (new or changed
since the last crawl), `not_modified` (answered 304: the body came from the cache), `unchanged` (downloaded
again, as the server sends no ETag/Last-Modified, or rendered again, but the same as last time), `failed`,
`bytes` (received on the wire), `requests`, `rendered`, `skipped_robots`, `skipped_scope`,
`skipped_non_html`, `duplicates` (URLs that turned out to be a page already read: redirected to it, or with
the same text, like `/` and `/index.html`; the first one queued is kept), `sitemap_urls`, `seconds`.
A weekly re-crawl of an unchanged site with the cache on reports `changed: 0`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import importlib.util
import io
import logging
import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import Field, field_validator

from ..errors import SourceError
from ..extract.html import ParsedPage, decode_html, html_to_blocks
from ..models import Document, Location, TextBlock
from ..placeholders import is_placeholder_only
from ._files import split_front_matter
from ._templates import EXTENSIONS, render_template, strip_leftovers, syntaxes_for
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register
from .crawl import PDF_TYPES, Crawler, CrawlSettings, Scope
from .http import FetchSettings, HttpCache, HttpFetcher

log = logging.getLogger(__name__)

T = TypeVar("T")
_SENTENCE_END = re.compile(r"[.!?؟:…»\"')]$")

_HTML_SUFFIXES = (".html", ".htm")
# Cheap byte tests first: a saved page without any of these is read exactly as before, undecoded.
_TEMPLATE_BYTES = (b"{{", b"{%", b"{#", b"<%")
_FRONT_MATTER_START = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:---|\+\+\+)[ \t]*\r?\n")
# Where a saved page may show template syntax as text or code (a templating tutorial, an inline Handlebars
# template): it does not make the page a template.
_NOT_PAGE_TEXT = re.compile(
    r"<(script|style|pre|code|textarea|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.S | re.I
)
# Folders of template pieces: their text reaches the pages that include them.
_PARTIAL_FOLDERS = {"_includes", "_layouts", "includes", "layouts", "partials", "_partials"}
_PARTIAL_REASON = "partial or layout: its text is read where a page includes it"


class WebsiteOptions(ConnectorOptions):
    max_pages: int = Field(200, ge=1)
    max_depth: int | None = Field(None, ge=0)
    include: list[str] = []
    exclude: list[str] = []
    start_urls: list[str] = []
    hosts: list[str] = []
    render: Literal["never", "auto", "always"] = "auto"
    render_min_chars: int = Field(200, ge=0)
    browser: str = "/usr/bin/chromium"
    respect_robots: bool = True
    user_agent: str | None = None
    concurrency: int = Field(4, ge=1, le=64)
    delay: float = Field(0.0, ge=0)
    timeout: float = Field(20.0, gt=0)
    retries: int = Field(2, ge=0, le=10)
    backoff: float = Field(0.5, ge=0)
    max_retry_after: float = Field(120.0, ge=0)
    max_bytes: int = Field(10_000_000, ge=1024)
    sitemaps: bool | list[str] = True
    cache: bool | str = True
    base_url: str | None = None
    template: Literal["auto", "none", "jinja", "liquid", "erb", "hugo", "handlebars"] = "auto"
    pdf: bool = True

    @field_validator("include", "exclude")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return patterns


def pdf_paragraphs(text: str) -> list[str]:
    """A PDF page's text has a break at every printed line: join lines back into paragraphs. A paragraph
    ends at a blank line, a short line that closes a sentence, or a very short line (a heading)."""
    lines = [line.strip() for line in text.splitlines()]
    longest = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        short = len(line) < 0.8 * longest
        if current and (not line or (short and _SENTENCE_END.search(line)) or len(line) < 0.5 * longest):
            paragraphs.append(" ".join(" ".join(current).split()))
            current = []
    if current:
        paragraphs.append(" ".join(" ".join(current).split()))
    return [p for p in paragraphs if p]


def is_html_template_name(name: str) -> bool:
    """`page.njk`, `index.html.erb`: template extensions after `.html`/`.htm` or after nothing (not
    `feed.xml.erb` or `index.md.erb`, which are not web pages)."""
    pieces = ["." + part for part in name.lower().split(".")[1:]]
    if not pieces or pieces[-1] not in EXTENSIONS:
        return False
    while pieces and pieces[-1] in EXTENSIONS:
        pieces.pop()
    return not pieces or pieces[-1] in _HTML_SUFFIXES


def _folder_file(name: str) -> bool:
    return name.lower().endswith(_HTML_SUFFIXES) or is_html_template_name(name)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even when the caller is itself inside an event loop
    (a notebook): then it runs on a fresh loop in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@register("website")
class WebsiteConnector(Connector):
    Options = WebsiteOptions
    options: WebsiteOptions

    def collect(self) -> CollectResult:
        source = self.channel.source.strip()
        if is_url(source):
            return run_sync(self._crawl(source))
        return self._read_folder(source)

    # -- documents ------------------------------------------------------------------------------------

    def _document(self, uri: str, page: ParsedPage, extra: dict[str, Any]) -> Document:
        return Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=uri,
            title=page.title,
            blocks=page.blocks,
            language=page.language,
            fetched_at=now_iso(),
            links=page.links,
            metadata={**page.metadata, **extra},
        )

    # -- a local folder -------------------------------------------------------------------------------

    def _read_include(self, path: Path) -> str:
        return self.files.read_text(path, self._shown(path), "utf-8", errors="replace")

    def _shown(self, path: Path) -> str:
        base = self.context.base_dir.resolve()
        resolved = path.parent.resolve() / path.name  # a link is shown as itself, not as its target
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            return str(resolved)

    def _read_folder(self, source: str) -> CollectResult:
        root = self.context.resolve(source)
        result = CollectResult()
        skipped: list[dict[str, str]] = []
        templates = 0
        if root.is_file():
            files = [root]
        elif root.is_dir():
            files = sorted(
                (p for p in root.rglob("*") if p.is_file() and _folder_file(p.name)),
                key=lambda p: p.relative_to(root).as_posix(),
            )
            if not files:
                result.failures.append(
                    self.failure(source, "no .html files in this folder; check the source")
                )
        else:
            result.failures.append(
                self.failure(source, "not found: give a URL (https://...) or a folder of .html files")
            )
            files = []
        base_url = self.options.base_url
        folder = root if root.is_dir() else root.parent
        for index, path in enumerate(files):
            shown = self._shown(path)
            try:
                data = self.files.read_bytes(path, shown)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                continue
            link_base = None
            if base_url:
                relative = path.relative_to(root).as_posix() if root.is_dir() else path.name
                link_base = base_url.rstrip("/") + "/" + relative
            syntaxes, text = self._template_of(path.name, data)
            if text is None:
                page = html_to_blocks(data, shown, base_url=link_base)
            else:
                inside = path.relative_to(folder).as_posix()
                if root.is_dir() and self._is_partial(inside):
                    skipped.append({"file": shown, "reason": _PARTIAL_REASON})
                    self.report_progress(index + 1, len(files))
                    continue
                try:
                    page = self._rendered_page(text, syntaxes, path, folder, link_base)
                except SourceError as exc:
                    result.failures.append(self.failure_from(exc))
                    continue
                templates += 1
            result.documents.append(self._document(shown, page, {"path": shown}))
            self.report_progress(index + 1, len(files))
        result.stats = {"pages": len(result.documents), "failed": len(result.failures)}
        # Only template sources add counters: a folder of saved pages reports what it always did.
        if templates:
            result.stats["templates"] = templates
        if skipped:
            result.stats["skipped"] = skipped
        return result

    def _template_of(self, name: str, data: bytes) -> tuple[tuple[str, ...], str | None]:
        """(the syntaxes to render a folder file with, its decoded text), or ((), None) for a saved page."""
        forced = self.options.template
        if forced == "none":
            return (), None
        named = is_html_template_name(name)
        front = bool(_FRONT_MATTER_START.match(data))
        if forced == "auto" and not named and not front and not any(mark in data for mark in _TEMPLATE_BYTES):
            return (), None
        text = decode_html(data)[0]
        if forced != "auto" or named:
            return syntaxes_for(name, text, forced), text
        # Sniffed on the page's text only, so template examples in code or scripts do not decide.
        syntaxes = syntaxes_for(name, _NOT_PAGE_TEXT.sub(" ", text))
        if not syntaxes and not front:
            return (), None
        return syntaxes, text

    @staticmethod
    def _is_partial(inside: str) -> bool:
        parts = inside.split("/")
        return parts[-1].startswith("_") or any(part in _PARTIAL_FOLDERS for part in parts[:-1])

    def _rendered_page(
        self, text: str, syntaxes: tuple[str, ...], path: Path, folder: Path, link_base: str | None
    ) -> ParsedPage:
        """A template rendered without run-time data, then read as HTML; no block keeps template syntax."""
        shown = self._shown(path)
        front, body, _ = split_front_matter(text.removeprefix("\ufeff"), shown)
        # The names templates read a page's front matter by: Jekyll/Eleventy `page.x`, Middleman
        # `current_page.data.x`, and bare names.
        data = {**front, "page": front, "current_page": {"data": front}}
        rendered = render_template(
            body, syntaxes, path=path, root=folder, data=data, read=self._read_include
        ).text
        page = html_to_blocks(rendered, shown, base_url=link_base)
        blocks = []
        for block in page.blocks:
            cleaned = " ".join(strip_leftovers(block.text).split())
            if cleaned and not is_placeholder_only(cleaned):
                blocks.append(TextBlock(cleaned, block.scope, block.location))
        title = " ".join(strip_leftovers(page.title).split())
        if not title or is_placeholder_only(title):
            declared = front.get("title")
            title = " ".join(declared.split()) if isinstance(declared, str) else ""
        return dataclasses.replace(page, blocks=tuple(blocks), title=title)

    # -- a crawl --------------------------------------------------------------------------------------

    def _cache(self) -> HttpCache | None:
        option = self.options.cache
        if option is False:
            return None
        if isinstance(option, str):
            folder = self.context.resolve(option)
        elif self.context.cache_dir is not None:
            folder = Path(self.context.cache_dir) / "website"
        else:
            return None
        try:
            return HttpCache(folder)
        except OSError as exc:
            log.warning("%s: cannot use the HTTP cache (%s); crawling without it", folder, exc)
            return None

    async def _crawl(self, source: str) -> CollectResult:
        opts = self.options
        user_agent = opts.user_agent or self.context.user_agent
        start_urls = [source, *opts.start_urls]
        scope = Scope.build(start_urls, opts.hosts, opts.include, opts.exclude)
        fetch_settings = FetchSettings(
            user_agent=user_agent,
            timeout=opts.timeout,
            retries=opts.retries,
            backoff=opts.backoff,
            max_backoff=max(opts.backoff * 8, opts.backoff),
            max_retry_after=opts.max_retry_after,
            max_bytes=opts.max_bytes,
            concurrency=opts.concurrency,
            delay=opts.delay,
            request_seconds=self.context.limits.request_seconds,
        )
        pdf_reader = self._pdf_reader()
        settings = CrawlSettings(
            max_pages=opts.max_pages,
            max_depth=opts.max_depth,
            respect_robots=opts.respect_robots,
            user_agent=user_agent,
            sitemaps=tuple(opts.sitemaps) if isinstance(opts.sitemaps, list) else opts.sitemaps,
            render=opts.render,
            render_min_chars=opts.render_min_chars,
            want_types=PDF_TYPES if pdf_reader is not None else frozenset(),
        )
        result = CollectResult()
        crawler: Crawler | None = None

        def allow(url: str) -> str | None:
            return crawler.allow_redirect(url) if crawler is not None else None

        def blocked(url: str) -> bool:
            return crawler.blocked_for_browser(url) if crawler is not None else False

        async with HttpFetcher(fetch_settings, self._cache(), allow=allow) as fetcher:
            crawler = Crawler(
                start_urls,
                scope,
                fetcher,
                settings,
                renderer_factory=self._renderer_factory(blocked),
                progress=self.report_progress,
            )
            outcome = await crawler.run()
        for item in outcome.pages:
            extra: dict[str, Any] = {
                "status": item.status,
                "depth": item.depth,
                "rendered": item.rendered,
                "not_modified": item.not_modified,
            }
            if item.redirects:
                extra["redirects"] = [item.requested, *item.redirects]
            result.documents.append(self._document(item.url, item.page, extra))
        for url, response in outcome.others:
            try:
                documents = pdf_reader(response.content, url, response.content_type) if pdf_reader else None
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                outcome.stats["failed"] = outcome.stats.get("failed", 0) + 1
                continue
            for document in documents or ():
                result.documents.append(document)
        for failure in outcome.failures:
            result.failures.append(self.failure(failure.url, failure.error, failure.status, failure.attempts))
        result.stats = {**outcome.stats, "pages": len(result.documents)}
        return result

    def _pdf_reader(self) -> Callable[[bytes, str, str], list[Document]] | None:
        """`context.extra["document_reader"]` when given (a seam for other formats), else the built-in PDF
        reader when `pdf` is on and pypdf is installed."""
        given = self.context.extra.get("document_reader")
        if given is not None:
            return given
        if not self.options.pdf or importlib.util.find_spec("pypdf") is None:
            return None
        return self._read_pdf

    def _read_pdf(self, data: bytes, url: str, content_type: str) -> list[Document]:
        """A linked PDF as one Document: one `main` block per paragraph, section "page N"."""
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise SourceError(url, "the PDF is encrypted; it was skipped")
            texts = [page.extract_text() or "" for page in reader.pages]
            info: dict[str, Any] = dict(reader.metadata or {})
            title = str(info.get("/Title") or "").strip()
        except SourceError:
            raise
        except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
            raise SourceError(url, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
        blocks: list[TextBlock] = []
        for number, text in enumerate(texts, start=1):
            section = f"page {number}"
            for paragraph in pdf_paragraphs(text):
                blocks.append(TextBlock(paragraph, "main", Location(url, section=section)))
        if not blocks:
            raise SourceError(url, "the PDF has no text layer (a scan?); it was skipped")
        name = url.rstrip("/").rsplit("/", 1)[-1]
        return [
            Document(
                channel_id=self.channel.id,
                channel_type=self.channel.type,
                uri=url,
                title=title or name,
                blocks=tuple(blocks),
                fetched_at=now_iso(),
                metadata={"format": "pdf", "pages": len(texts), "status": 200, "content_type": content_type},
            )
        ]

    def _renderer_factory(self, blocked: Callable[[str], bool]) -> Any:
        if self.options.render == "never":
            return None
        opts = self.options

        def factory() -> Any:
            from .browser import BrowserRenderer

            return BrowserRenderer(
                executable=opts.browser,
                user_agent=opts.user_agent or self.context.user_agent,
                pages=opts.concurrency,
                timeout=opts.timeout,
                blocked=blocked,
            )

        return factory
