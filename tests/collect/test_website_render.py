"""JavaScript pages with the real Chromium: `render: auto` reads an app shell's script-written text, the
browser starts only when needed, and it is closed even when the crawl is interrupted with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.collect.test_website import FAST, SITE, collect
from tests.servers import Reply, page, serve

APP_TEXT = "Our Portland flagship store is open every day from 10am to 6pm."
HTML_PAGES = [r"\.html$"]  # the fixture site's pages, without the behaviour routes
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.mark.slow
@needs_chromium
def test_render_auto_reads_text_that_only_javascript_writes(tmp_path: Path) -> None:
    with serve(SITE) as server:
        options = {**FAST, "timeout": 10, "include": HTML_PAGES, "cache": str(tmp_path)}
        static = collect(server.url + "/", **{**options, "render": "never", "cache": False})
        auto = collect(server.url + "/", **{**options, "render": "auto"})
        server.clear()
        again = collect(server.url + "/", **{**options, "render": "auto"})
        browser_paths = server.paths()
    static_app = next(doc for doc in static.documents if doc.uri.endswith("/app.html"))
    auto_app = next(doc for doc in auto.documents if doc.uri.endswith("/app.html"))
    assert APP_TEXT not in static_app.text
    assert APP_TEXT in [block.text for block in auto_app.blocks if block.scope == "main"]
    assert auto_app.metadata["rendered"] is True
    # Only the app shell needed the browser: pages with real text (or no scripts) are read as static HTML.
    assert auto.stats["rendered"] == 1
    assert [doc.uri for doc in auto.documents if doc.metadata["rendered"]] == [auto_app.uri]
    # A re-crawl renders the app shell again (its scripts could load new data) but nothing changed.
    assert again.stats["rendered"] == 1 and again.stats["changed"] == 0
    assert APP_TEXT in next(doc for doc in again.documents if doc.uri.endswith("/app.html")).text
    assert not any(path.startswith("/private/") for path in browser_paths)


@pytest.mark.slow
@needs_chromium
def test_render_always_blocks_robots_disallowed_resources_in_the_browser() -> None:
    shell = """<html><body><div id="out"></div>
      <script src="/private/tracker.js"></script>
      <script>
        document.getElementById("out").textContent = "Rendered " + (window.tracked ? "tracked" : "clean");
      </script></body></html>"""
    routes = {
        "/": page(shell),
        "/private/tracker.js": lambda request: Reply(
            200, "window.tracked = true;", content_type="text/javascript"
        ),
    }
    with serve(SITE, routes) as server:
        result = collect(server.url + "/", **{**FAST, "timeout": 10, "render": "always", "sitemaps": False})
        assert "/private/tracker.js" not in server.paths()
    assert [doc.text for doc in result.documents] == ["Rendered clean"]


def test_missing_browser_is_one_failure_and_pages_are_read_as_static_html() -> None:
    with serve(SITE) as server:
        result = collect(
            server.url + "/",
            **{**FAST, "include": HTML_PAGES, "render": "auto", "browser": "/nonexistent/chromium"},
        )
    assert [f.error for f in result.failures] == [
        "cannot start the browser for JavaScript pages (/nonexistent/chromium: Chromium not found; "
        "install it (apt-get install chromium) or set the channel's options.browser, or use render: never); "
        "pages were read as static HTML"
    ]
    assert any(doc.uri.endswith("/app.html") for doc in result.documents)
    assert result.stats["rendered"] == 0


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _is_chromium(pid: int) -> bool:
    try:
        return "chrom" in Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").lower()
    except OSError:
        return False


@pytest.mark.slow
@needs_chromium
def test_ctrl_c_during_rendering_closes_the_browser() -> None:
    hang = '<html><body><p id="x"></p><script src="/never.js"></script></body></html>'
    routes = {
        "/": page(hang),
        "/never.js": lambda request: Reply(200, "", delay=30, content_type="text/javascript"),
    }
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from omniaudit.collect import CollectContext, get_connector
        from omniaudit.config import Channel
        channel = Channel(id="web", type="website", connector="website", source=sys.argv[1],
                          options={"render": "always", "timeout": 60, "sitemaps": False})
        try:
            get_connector(channel, CollectContext(base_dir=Path("."))).collect()
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """)
    with serve(routes=routes) as server:
        process = subprocess.Popen(
            [sys.executable, "-c", script, server.url + "/"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            deadline = time.monotonic() + 30
            while "/never.js" not in server.paths() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "/never.js" in server.paths(), "the browser never started rendering"
            browsers = {pid for pid in _descendants(process.pid) if _is_chromium(pid)}
            assert browsers, "no Chromium process found under the crawl"
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 130, err
    assert out.strip() == "interrupted"
    time.sleep(0.5)
    assert not [pid for pid in browsers if Path(f"/proc/{pid}").exists() and _is_chromium(pid)]
