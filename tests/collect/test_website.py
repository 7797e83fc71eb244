"""The website connector against a real local HTTP server: every behaviour route ends as the right page
content or the right failure record, and the server's log shows nothing out of scope or disallowed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel
from omniaudit.errors import ConfigError
from omniaudit.models import Document
from tests.servers import (
    Reply,
    TestServer,
    behaviour_routes,
    closed_port_url,
    fails_then_ok,
    page,
    redirect,
    serve,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SITE = FIXTURES / "site"
# Small delays keep the suite fast: a 0.5 s timeout against a 2 s page, 50 ms backoff.
FAST = {"timeout": 0.5, "retries": 1, "backoff": 0.05, "render": "never"}


def collect(
    source: str,
    *,
    base_dir: Path = FIXTURES,
    cache_dir: Path | None = None,
    progress: list[tuple[int, int | None]] | None = None,
    details: list[str] | None = None,
    extra: dict[str, Any] | None = None,
    **options: Any,
) -> CollectResult:
    channel = Channel(id="web", type="website", connector="website", source=source, options=options)
    context = CollectContext(base_dir=base_dir, cache_dir=cache_dir, extra=extra or {})
    if progress is not None:
        def record(channel_id: str, done: int, total: int | None, detail: str = "") -> None:
            progress.append((done, total))
            if details is not None:
                details.append(detail)

        context.progress = record
    return get_connector(channel, context).collect()


def by_path(result: CollectResult, server: TestServer) -> dict[str, Document]:
    return {doc.uri[len(server.url) :]: doc for doc in result.documents}


@pytest.fixture
def other() -> Iterator[TestServer]:
    """A second site: nothing may ever be requested from it."""
    with serve(routes={"/": page("<p>Another site</p>"), "/*": page("<p>Another page</p>")}) as server:
        yield server


@pytest.fixture
def site(other: TestServer) -> Iterator[TestServer]:
    routes = behaviour_routes(slow_seconds=2.0)
    routes["/old-about"] = redirect("/about.html", 301)
    routes["/outbound"] = page(
        f'<html><body><p>Partners</p><a href="{other.url}/partner">Partner</a>'
        f'<a href="/to-other">Moved</a></body></html>'
    )
    routes["/to-other"] = redirect(f"{other.url}/landing")
    with serve(SITE, routes) as server:
        yield server


# -- a local folder ---------------------------------------------------------------------------------------


def test_folder_source_reads_every_html_file_sorted_with_relative_uris() -> None:
    result = collect("site", render="never")
    uris = [doc.uri for doc in result.documents]
    assert uris == sorted(uris)
    assert uris == [
        "site/about.html",
        "site/app.html",
        "site/arabic.html",
        "site/contact.html",
        "site/from-sitemap.html",
        "site/index.html",
        "site/malformed.html",
        "site/private/secret.html",
        "site/products/index.html",
        "site/products/trail-jacket.html",
    ]
    assert result.failures == []
    home = next(doc for doc in result.documents if doc.uri == "site/index.html")
    assert home.channel_id == "web" and home.channel_type == "website"
    assert home.title == "Northwind Outfitters | Outdoor gear built to last"
    assert home.language == "en"
    assert home.fetched_at.endswith("+00:00")
    assert home.metadata["og"]["title"] == "Northwind Outfitters"
    assert "Call us on +1 800 555 0199, Monday to Friday, 8am-8pm." in [
        b.text for b in home.blocks if b.scope == "footer"
    ]
    assert all(block.location.uri == "site/index.html" for block in home.blocks)
    arabic = next(doc for doc in result.documents if doc.uri == "site/arabic.html")
    assert arabic.title == "سياسة الإرجاع"


def test_folder_outside_base_dir_gets_absolute_uris_and_base_url_makes_links_absolute(tmp_path: Path) -> None:
    result = collect(str(SITE / "products"), base_dir=tmp_path, base_url="https://northwind.example/products")
    assert [doc.uri for doc in result.documents] == [
        str((SITE / "products" / "index.html").resolve()),
        str((SITE / "products" / "trail-jacket.html").resolve()),
    ]
    assert result.documents[0].links == ("https://northwind.example/products/trail-jacket.html",)


def test_missing_folder_is_a_failure_not_an_exception() -> None:
    result = collect("no-such-folder")
    assert result.documents == []
    assert [(f.source, f.error) for f in result.failures] == [
        ("no-such-folder", "not found: give a URL (https://...) or a folder of .html files")
    ]


# -- a crawl ----------------------------------------------------------------------------------------------


def test_crawl_ends_every_behaviour_route_as_content_or_failure(site: TestServer, other: TestServer) -> None:
    progress: list[tuple[int, int | None]] = []
    details: list[str] = []
    result = collect(site.url + "/", progress=progress, details=details, **FAST)
    pages = by_path(result, site)
    assert set(pages) == {
        "/",
        "/about.html",
        "/contact.html",
        "/products/",
        "/products/trail-jacket.html",
        "/from-sitemap.html",
        "/flaky",
        "/ratelimited",
        "/arabic.html",
        "/malformed.html",
        "/app.html",
        "/report.pdf",
    }
    failures = {f.source[len(site.url) :]: f for f in result.failures}
    assert set(failures) == {"/slow", "/status/500", "/redirect-loop/a", "/huge"}

    # 503 then 200, and 429 with Retry-After: 1 then 200, end as content after a second attempt.
    assert [b.text for b in pages["/flaky"].blocks] == ["Back after a 503."]
    assert [b.text for b in pages["/ratelimited"].blocks] == ["Served after waiting."]
    assert site.statuses("/flaky") == [503, 200] and site.statuses("/ratelimited") == [429, 200]
    # Failures say what happened, with status and attempts.
    assert failures["/status/500"].error == "HTTP 500 (2 attempts)"
    assert (failures["/status/500"].status, failures["/status/500"].attempts) == (500, 2)
    assert failures["/slow"].error == "timed out after 0.5 s (2 attempts)"
    loop = failures["/redirect-loop/a"]
    assert loop.error == (
        f"redirect loop: {site.url}/redirect-loop/a -> {site.url}/redirect-loop/b -> "
        f"{site.url}/redirect-loop/a"
    )
    assert failures["/huge"].error == "response is more than max_bytes (10,000,000 bytes); stopped reading"

    # Content: the page lying about its encoding, malformed HTML, the footer, metadata, links.
    assert pages["/arabic.html"].title == "سياسة الإرجاع"
    assert "يمكنك إرجاع المنتجات خلال 30 يومًا." in pages["/arabic.html"].text
    assert "First paragraph with bold nested text" in pages["/malformed.html"].text
    home = pages["/"]
    assert home.uri == site.url + "/" and home.metadata["status"] == 200
    assert home.metadata["hreflang"]["fr"] == site.url + "/fr/"
    assert home.metadata["social_links"] == [
        "https://instagram.com/northwind",
        "https://www.facebook.com/northwind",
    ]
    assert "https://instagram.com/northwind" in home.links
    footer = [b for b in home.blocks if b.scope == "footer"]
    assert footer[0].text == "Call us on +1 800 555 0199, Monday to Friday, 8am-8pm."
    assert footer[0].location.uri == site.url + "/" and footer[0].location.section == "footer"
    assert pages["/about.html"].metadata["depth"] == 0  # listed in the sitemap

    # Fetched once each despite #fragments, utm_ parameters, a redirect and the sitemap listing it twice over.
    paths = site.paths()
    assert paths.count("/") == 1
    assert "/about.html?utm_source=newsletter&utm_medium=email" not in paths
    assert result.stats["duplicates"] == 1  # /old-about -> /about.html, already read
    # The linked PDF is read as a document, one block per paragraph, with its page as the section.
    report = pages["/report.pdf"]
    assert report.title == "Returns policy" and report.metadata["format"] == "pdf"
    assert [(b.text, b.location.section) for b in report.blocks][:2] == [
        ("Returns policy", "page 1"),
        (
            "You can return any item free of charge within 30 days of delivery. We refund your card within "
            "5 business days of receiving the parcel.",
            "page 1",
        ),
    ]
    # Nothing disallowed by robots.txt, nothing from another site.
    assert not any(path.startswith("/private/") for path in paths)
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert "/sitemap-pages.xml.gz" in paths
    assert other.paths() == []
    assert result.stats["pages"] == 12 and result.stats["failed"] == 4
    assert result.stats["changed"] == 12 and result.stats["not_modified"] == 0
    assert result.stats["skipped_robots"] == 1
    assert result.stats["bytes"] > 10_000_000  # the huge page's bytes up to the cap were transferred
    # Progress counts every URL visited: pages, failures, and the robots/non-HTML/duplicate skips.
    visited = sum(
        result.stats[key] for key in ("pages", "failed", "skipped_robots", "skipped_non_html", "duplicates")
    )
    assert progress[-1] == (visited, visited) == (18, 18)
    assert details[-1] == f"0 queued, {len(result.failures)} failed"


def test_links_to_another_site_and_redirects_out_of_scope_are_not_followed(
    site: TestServer, other: TestServer
) -> None:
    result = collect(site.url + "/outbound", sitemaps=False, **FAST)
    assert [doc.uri for doc in result.documents] == [site.url + "/outbound"]
    assert [(f.source, f.error) for f in result.failures] == [
        (site.url + "/to-other", f"redirected to {other.url}/landing, which is outside the crawl's site")
    ]
    assert other.paths() == []


def test_site_that_is_down_is_a_failure_record() -> None:
    url = closed_port_url() + "/"
    result = collect(url, timeout=0.5, retries=1, backoff=0.01)
    assert result.documents == []
    assert [(f.source, f.error, f.status, f.attempts) for f in result.failures] == [
        (url, "connection refused (is the site up?) (2 attempts)", None, 2)
    ]
    assert result.stats["failed"] == 1


def test_unknown_host_is_a_dns_failure_record() -> None:
    # .invalid never resolves (RFC 6761), so this needs no network.
    result = collect("https://no-such-host.invalid/", retries=0, timeout=5)
    assert [(f.source, f.error, f.attempts) for f in result.failures] == [
        ("https://no-such-host.invalid/", "DNS lookup failed (check the host name) (1 attempt)", 1)
    ]


def test_site_that_answers_500_everywhere_is_recorded_as_robots_unavailable() -> None:
    with serve(routes={"/*": lambda request: Reply(500, "down")}) as server:
        result = collect(server.url + "/", **FAST)
        assert server.paths() == ["/robots.txt", "/robots.txt"]  # the site itself is never hit
    assert result.documents == []
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert failure.source == server.url + "/robots.txt" and failure.status == 500 and failure.attempts == 2
    assert "treated as disallowed as RFC 9309 requires" in failure.error


def test_second_crawl_of_unchanged_site_is_answered_by_304s(site: TestServer, tmp_path: Path) -> None:
    options = {**FAST, "exclude": ["/slow", "/huge", "/status/", "/redirect-loop/"], "cache": str(tmp_path)}
    first = collect(site.url + "/", **options)
    assert first.stats["changed"] == first.stats["pages"] == 12
    site.clear()
    second = collect(site.url + "/", **options)
    assert second.stats["pages"] == 12
    assert second.stats["changed"] == 0
    assert second.stats["not_modified"] == 10
    # /flaky and /ratelimited send no ETag or Last-Modified: downloaded again, but recognised as unchanged.
    assert second.stats["unchanged"] == 2
    assert [doc.text for doc in second.documents] == [doc.text for doc in first.documents]
    assert site.statuses("/about.html") == [304]
    assert [doc.metadata["not_modified"] for doc in second.documents if doc.uri.endswith("/about.html")] == [
        True
    ]
    # Only headers travel for the 304s: a re-crawl transfers a fraction of the first crawl.
    assert second.stats["bytes"] < first.stats["bytes"] / 4


def test_second_crawl_of_static_only_site_reports_zero_changed(tmp_path: Path) -> None:
    with serve(SITE) as server:
        options = {**FAST, "include": [r"\.html$", "/products/$"], "cache": "http-cache"}
        first = collect(server.url + "/", base_dir=tmp_path, **options)
        server.clear()
        second = collect(server.url + "/", base_dir=tmp_path, **options)
        statuses = {entry.status for entry in server.log if entry.path.endswith(".html") or entry.path == "/"}
    assert first.stats["changed"] == first.stats["pages"] > 5
    assert second.stats["changed"] == 0 and second.stats["not_modified"] == second.stats["pages"]
    assert statuses == {304}
    assert (tmp_path / "http-cache").is_dir()


def test_max_pages_max_depth_include_and_exclude(site: TestServer) -> None:
    options = {**FAST, "sitemaps": False}
    assert len(collect(site.url + "/", max_pages=3, **options).documents) == 3
    depth0 = collect(site.url + "/", max_depth=0, **options)
    assert [doc.uri for doc in depth0.documents] == [site.url + "/"]
    site.clear()
    products = collect(site.url + "/", include=["/products/"], **options)
    assert [doc.uri for doc in products.documents] == [
        site.url + "/",
        site.url + "/products/",
        site.url + "/products/trail-jacket.html",
    ]
    assert set(site.paths()) == {"/robots.txt", "/", "/products/", "/products/trail-jacket.html"}
    no_products = collect(site.url + "/", exclude=["/products/", "/slow", "/huge"], **options)
    assert not any("/products/" in doc.uri for doc in no_products.documents)


def test_retry_after_longer_than_allowed_fails_without_waiting() -> None:
    routes = {"/": fails_then_ok(429, 5, "<p>never</p>", retry_after="3600")}
    with serve(routes=routes) as server:
        result = collect(server.url + "/", sitemaps=False, **FAST)
    assert [(f.error, f.status) for f in result.failures] == [
        ("HTTP 429: the server asks to retry after 3600 s, more than max_retry_after (120 s)", 429)
    ]


def test_start_url_disallowed_by_robots_is_reported() -> None:
    with serve(SITE) as server:
        result = collect(server.url + "/private/secret.html", sitemaps=False, **FAST)
        assert "/private/secret.html" not in server.paths()
        ignored = collect(server.url + "/private/secret.html", sitemaps=False, respect_robots=False, **FAST)
    assert [f.error for f in result.failures] == [
        "disallowed by robots.txt (set respect_robots: false to crawl it anyway)"
    ]
    assert [doc.title for doc in ignored.documents] == ["Secret"]


def test_pdfs_go_to_the_document_reader_when_one_is_given(site: TestServer) -> None:
    seen: list[tuple[str, str, bytes]] = []

    def reader(data: bytes, url: str, content_type: str) -> list[Document]:
        seen.append((url, content_type, data[:8]))
        return []

    collect(
        site.url + "/",
        extra={"document_reader": reader},
        max_depth=1,
        **FAST,
        exclude=["/slow", "/huge", "/status/"],
    )
    assert seen == [(site.url + "/report.pdf", "application/pdf", b"%PDF-1.4")]


def test_other_non_html_responses_are_skipped_without_reading_them(site: TestServer) -> None:
    result = collect(site.url + "/", pdf=False, max_depth=1, exclude=["/slow", "/huge", "/status/"], **FAST)
    assert result.stats["skipped_non_html"] == 1
    assert not any(doc.uri.endswith("/report.pdf") for doc in result.documents)


def test_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError) as error:
        collect("https://example.invalid/", include=["("])
    assert str(error.value).startswith(
        "channel 'web': options.include: Value error, invalid regular expression"
    )
    with pytest.raises(ConfigError, match=r"options.render: .* \(connector 'website'\)"):
        collect("https://example.invalid/", render="sometimes")


def test_robots_txt_redirecting_off_site_counts_as_no_robots_txt(other: TestServer) -> None:
    routes = {"/robots.txt": redirect(f"{other.url}/robots.txt"), "/": page("<p>Home</p>")}
    with serve(routes=routes) as server:
        result = collect(server.url + "/", sitemaps=False, **FAST)
    assert [doc.text for doc in result.documents] == ["Home"]
    assert result.failures == []
    assert other.paths() == []


def test_two_urls_with_the_same_page_give_one_document_the_first_queued() -> None:
    with serve(SITE) as server:
        result = collect(
            server.url + "/", start_urls=[server.url + "/index.html"], max_depth=0, sitemaps=False, **FAST
        )
        assert {"/", "/index.html"} <= set(server.paths())
    assert [doc.uri for doc in result.documents] == [server.url + "/"]
    assert result.stats["duplicates"] == 1
