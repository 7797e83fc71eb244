"""The crawl's parts: URL normalisation and scope, robots.txt, sitemaps, and the polite fetcher's limits."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import time

import pytest

from omniaudit.collect.crawl import Scope, clean_url, parse_sitemap, url_key
from omniaudit.collect.http import FetchSettings, HttpCache, HttpFetcher, retry_after_seconds
from omniaudit.collect.robots import RobotsRules
from omniaudit.errors import FetchError
from tests.servers import Reply, fails_then_ok, page, serve

# -- URLs ---------------------------------------------------------------------------------------------------


def test_clean_url_drops_fragments_tracking_and_default_ports() -> None:
    assert (
        clean_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=y#top")
        == "https://example.com/a/b?id=3"
    )
    assert clean_url("http://example.com") == "http://example.com/"
    assert clean_url("http://example.com:8080/caf%c3%a9") == "http://example.com:8080/caf%C3%A9"
    assert clean_url("http://example.com/café") == "http://example.com/caf%C3%A9"
    assert clean_url("http://example.com/a%2Fb") == "http://example.com/a%2Fb"  # an encoded slash stays


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/about/",
        "http://example.com/about",
        "https://example.com/about#team",
        "https://example.com/about?utm_campaign=spring",
        "https://EXAMPLE.com:443/about",
    ],
)
def test_url_key_treats_one_page_as_one(variant: str) -> None:
    assert url_key(variant) == url_key("https://example.com/about")


def test_url_key_keeps_different_pages_apart() -> None:
    assert url_key("https://example.com/a?page=2") != url_key("https://example.com/a?page=3")
    assert url_key("https://example.com/a?x=1&y=2") == url_key("https://example.com/a?y=2&x=1")
    assert url_key("https://example.com/About") != url_key("https://example.com/about")
    assert url_key("https://shop.example.com/") != url_key("https://example.com/")


def test_scope_same_site_hosts_and_patterns() -> None:
    scope = Scope.build(
        ["https://example.com/"],
        extra_hosts=["shop.example.com"],
        include=["/blog/", "/shop"],
        exclude=[r"/blog/drafts/", r"\.pdf$"],
    )
    assert scope.reason_out("https://www.example.com/blog/post") is None
    assert scope.reason_out("https://shop.example.com/shop/item") is None
    assert scope.reason_out("https://other.example/blog/post") == "outside the site"
    assert scope.reason_out("mailto:help@example.com") == "outside the site"
    assert scope.reason_out("https://example.com/about") == "not matched by include"
    assert scope.reason_out("https://example.com/about", seed=True) is None
    assert scope.reason_out("https://example.com/blog/drafts/x") == "matched by exclude"
    assert scope.reason_out("https://example.com/blog/report.pdf") == "matched by exclude"


# -- robots.txt ---------------------------------------------------------------------------------------------

ROBOTS = """
# comments are ignored
User-agent: *
Disallow: /private/
Allow: /private/press/
Disallow: /*.pdf$
Disallow: /search?
Crawl-delay: 2

User-agent: OmniAudit
User-agent: otherbot
Disallow: /not-for-audits/

User-agent: badbot
Disallow: /

Sitemap: https://example.com/sitemap_index.xml
"""


def test_robots_longest_match_and_wildcards_for_the_star_group() -> None:
    rules = RobotsRules.parse(ROBOTS, "somebot/1.0")
    assert not rules.allowed("https://example.com/private/x.html")
    assert rules.allowed("https://example.com/private/press/kit.html")  # the longer Allow wins
    assert not rules.allowed("https://example.com/files/report.pdf")
    assert rules.allowed("https://example.com/files/report.pdf?download=1")  # `$` anchors the end
    assert not rules.allowed("https://example.com/search?q=boots")
    assert rules.allowed("https://example.com/search")
    assert rules.allowed("https://example.com/robots.txt")
    assert rules.crawl_delay == 2.0
    assert rules.sitemaps == ["https://example.com/sitemap_index.xml"]


def test_robots_group_for_our_product_token_replaces_the_star_group() -> None:
    rules = RobotsRules.parse(ROBOTS, "omniaudit/0.1 (+https://github.com/omniaudit/omniaudit)")
    assert not rules.allowed("https://example.com/not-for-audits/page")
    assert rules.allowed("https://example.com/private/x.html")  # only our group's rules apply
    assert rules.crawl_delay is None
    assert not RobotsRules.parse(ROBOTS, "BadBot").allowed("https://example.com/")


def test_robots_edge_cases() -> None:
    assert RobotsRules.parse("User-agent: *\nDisallow:\n", "x").allowed("https://e.com/anything")
    assert RobotsRules.parse("", "x").allowed("https://e.com/")
    assert RobotsRules.parse("Disallow: /\n", "x").allowed("https://e.com/")  # no group: not a rule
    encoded = RobotsRules.parse("User-agent: *\nDisallow: /caf%C3%A9\n", "x")
    assert not encoded.allowed("https://e.com/caf%c3%a9/menu")
    assert RobotsRules(disallow_all=True).allowed("https://e.com/") is False


# -- sitemaps -----------------------------------------------------------------------------------------------

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://example.com/a </loc><lastmod>2026-01-01</lastmod></url>
  <url><loc>https://example.com/b</loc></url>
</urlset>"""
INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://example.com/s1.xml.gz</loc></sitemap></sitemapindex>"""


def test_parse_sitemap_urlset_index_gzip_and_text() -> None:
    assert parse_sitemap(URLSET) == (["https://example.com/a", "https://example.com/b"], [])
    assert parse_sitemap(gzip.compress(URLSET)) == (["https://example.com/a", "https://example.com/b"], [])
    assert parse_sitemap(INDEX) == ([], ["https://example.com/s1.xml.gz"])
    assert parse_sitemap(b"https://example.com/x\nnot a url\nhttps://example.com/y\n") == (
        ["https://example.com/x", "https://example.com/y"],
        [],
    )
    assert parse_sitemap(b"<html><body>Not found</body></html>") == ([], [])
    assert parse_sitemap(
        b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><urlset><url><loc>&e;</loc></url></urlset>"
    ) == ([], [])  # no external entities


# -- the fetcher --------------------------------------------------------------------------------------------


def test_retry_after_seconds_and_http_dates() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (retry_after_seconds(later) or 0) <= 31


def _fetch(url: str, **settings: object) -> object:
    async def run() -> object:
        async with HttpFetcher(FetchSettings(**settings)) as fetcher:  # type: ignore[arg-type]
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_declared_content_length_over_max_bytes_fails_without_reading_the_body() -> None:
    routes = {"/big": lambda request: Reply(200, b"x" * 200_000)}
    with serve(routes=routes) as server:
        with pytest.raises(FetchError) as error:
            _fetch(server.url + "/big", max_bytes=100_000)
    assert str(error.value) == f"{server.url}/big: response is 200,000 bytes, more than max_bytes (100,000)"


def test_retry_after_as_http_date_is_honoured() -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1 to 2 s from now
    routes = {"/": fails_then_ok(503, 1, "<p>ok</p>", retry_after=when)}
    with serve(routes=routes) as server:
        started = time.monotonic()
        response = _fetch(server.url + "/", backoff=0.01)
        elapsed = time.monotonic() - started
    assert response.status == 200 and response.attempts == 2  # type: ignore[attr-defined]
    assert elapsed >= 0.9  # waited for the date, not the 10 ms backoff


def test_404_is_not_retried_and_names_status() -> None:
    with serve(routes={"/gone": lambda request: Reply(404, "gone")}) as server:
        with pytest.raises(FetchError) as error:
            _fetch(server.url + "/gone", retries=3, backoff=0.01)
        assert server.paths() == ["/gone"]
    assert (error.value.status, error.value.attempts, error.value.reason) == (404, 1, "HTTP 404")


def test_per_host_concurrency_and_delay_are_respected() -> None:
    routes = {"/p*": lambda request: Reply(200, "<p>x</p>", delay=0.15)}

    async def crawl(url: str, settings: FetchSettings) -> None:
        async with HttpFetcher(settings) as fetcher:
            await asyncio.gather(*(fetcher.fetch(f"{url}/p{i}") for i in range(8)))

    with serve(routes=routes) as server:
        asyncio.run(crawl(server.url, FetchSettings(concurrency=2)))
        assert server.max_in_flight == 2
        server.clear()
        asyncio.run(crawl(server.url, FetchSettings(concurrency=8, delay=0.1)))
        starts = sorted(entry.at for entry in server.log)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.09


def test_cache_answers_304_with_the_stored_body(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    etag = '"v1"'

    def route(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, "<p>cached body</p>", {"ETag": etag})

    async def fetch_twice(url: str) -> tuple[object, object]:
        cache = HttpCache(folder)
        async with HttpFetcher(FetchSettings(), cache) as fetcher:
            first = await fetcher.fetch(url)
        async with HttpFetcher(FetchSettings(), HttpCache(folder)) as fetcher:
            second = await fetcher.fetch(url)
        return first, second

    with serve(routes={"/": route}) as server:
        first, second = asyncio.run(fetch_twice(server.url + "/"))
        assert server.statuses("/") == [200, 304]
    assert first.content == second.content == b"<p>cached body</p>"  # type: ignore[attr-defined]
    assert second.not_modified and second.status == 200 and second.bytes_received == 0  # type: ignore[attr-defined]


def test_redirect_chain_is_followed_and_recorded() -> None:
    routes = {
        "/a": lambda r: Reply(301, b"", {"Location": "/b"}),
        "/b": lambda r: Reply(302, b"", {"Location": "/c"}),
        "/c": page("<p>end</p>"),
    }
    with serve(routes=routes) as server:
        response = _fetch(server.url + "/a")
    assert response.final_url == server.url + "/c"  # type: ignore[attr-defined]
    assert response.redirects == (server.url + "/b", server.url + "/c")  # type: ignore[attr-defined]
