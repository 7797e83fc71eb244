"""robots.txt through Protego: the cases the hand-written parser got wrong, and a robots.txt bigger than
max_bytes, which used to block the whole site."""

from __future__ import annotations

from omniaudit.collect import CollectContext, get_connector
from omniaudit.collect.robots import READ_AT_LEAST, RobotsRules
from omniaudit.config import Channel
from tests.servers import Reply, page, serve

FAST = {"timeout": 2.0, "retries": 1, "backoff": 0.05, "render": "never", "sitemaps": False}


def test_a_misspelt_disallow_is_still_a_rule() -> None:
    # Google's parser (and Protego) accept the common misspellings; the hand-written one ignored the line.
    rules = RobotsRules.parse("User-agent: *\nDissallow: /private/\n", "omniaudit/0.1")
    assert not rules.allowed("https://e.com/private/a.html")
    assert rules.allowed("https://e.com/public.html")


def test_a_byte_order_mark_does_not_hide_the_first_group() -> None:
    rules = RobotsRules.from_bytes("User-agent: *\nDisallow: /private/\n".encode("utf-8-sig"), "omniaudit")
    assert not rules.allowed("https://e.com/private/a.html")


def test_a_truncated_file_keeps_its_complete_lines_only() -> None:
    content = b"User-agent: *\nDisallow: /a/\nDisallow: /"  # cut inside the last line
    rules = RobotsRules.from_bytes(content, "omniaudit", truncated=True)
    assert not rules.allowed("https://e.com/a/x")
    assert rules.allowed("https://e.com/b")  # the cut "Disallow: /" would have blocked everything
    assert rules.truncated


def _big_robots(request: object) -> Reply:
    head = b"User-agent: *\nDisallow: /private/\n"
    filler = b"# a long comment line, as some generated robots.txt files have them\n" * 16_000  # ~1.1 MB
    return Reply(200, head + filler + b"Disallow: /late/\n", content_type="text/plain")


def test_a_robots_txt_bigger_than_max_bytes_is_read_to_500_kib_and_never_blocks_the_site() -> None:
    routes = {
        "/robots.txt": _big_robots,
        "/": page("<p>Home</p><a href='/about.html'>About</a> <a href='/private/x.html'>Private</a>"),
        "/about.html": page("<p>About us</p>"),
        "/private/x.html": page("<p>Private</p>"),
    }
    with serve(routes=routes) as server:
        channel = Channel(id="web", type="website", connector="website", source=server.url + "/",
                          options={**FAST, "max_bytes": 100_000})
        result = get_connector(channel, CollectContext()).collect()
        requested = server.paths()
    assert result.failures == []
    assert sorted(doc.uri[len(server.url):] for doc in result.documents) == ["/", "/about.html"]
    assert "/private/x.html" not in requested
    assert result.stats["skipped_robots"] == 1
    assert READ_AT_LEAST == 500 * 1024
