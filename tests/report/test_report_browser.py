"""The HTML report in a real headless Chromium: it renders, only its own script runs, and at 10,000
findings it stays under 3 MB while the filter and the search work (load time: bench/report_load.py)."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect.browser import CHROMIUM_ARGS
from omniaudit.report import render
from omniaudit.report.html import render_html

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("report_load", ROOT / "bench" / "report_load.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wait_for(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll `expression` until true. (wait_for_function evaluates a string, which the report's
    Content-Security-Policy forbids; page.evaluate is not subject to it.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_html_report_opens_in_chromium_without_errors_or_foreign_scripts(
    browser, result_with_sections, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    report.write_text(render(result_with_sections, "html"), encoding="utf-8")
    errors: list[str] = []
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.add_init_script("window.alert = () => { window.__alerted = true; };")
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri(), wait_until="load")
    alerted = page.evaluate("typeof window.__alerted")
    visible_text = page.inner_text("body")
    filter_bar_shown = page.locator("#filters").is_visible()
    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()

    assert errors == []  # the Content-Security-Policy admitted the report's own script, and it ran cleanly
    assert alerted == "undefined"
    assert "<script>alert(1)</script>" in visible_text  # the channel text shows as text
    assert filter_bar_shown
    assert requests == [report.as_uri()]  # nothing but the file itself is loaded
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000


def test_ten_thousand_findings_stay_small_and_filter_and_search_work(browser, tmp_path: Path) -> None:
    data = _bench().big_report(10_000)
    html = render_html(data)
    report = tmp_path / "big.html"
    report.write_text(html, encoding="utf-8")
    assert report.stat().st_size < 3_000_000

    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(report.as_uri(), wait_until="load")
    count_visible = """rule => Array.from(document.querySelectorAll('#findings .g')).map(g => [g.dataset.rule,
        g.hidden ? 0 : Array.from(g.querySelectorAll('ol.fl > li')).filter(li => !li.hidden).length])"""
    before = dict(page.evaluate(count_visible))
    assert sum(before.values()) == 10_000

    page.fill("#rule", "facts.contradiction")
    _wait_for(page, "document.getElementById('shown').textContent.includes('findings shown')")
    after = dict(page.evaluate(count_visible))
    expected = sum(1 for f in data["findings"] if f["rule_id"] == "facts.contradiction")
    assert after == {rule: (expected if rule == "facts.contradiction" else 0) for rule in before}
    assert page.inner_text("#shown") == f"{expected} of 10000 findings shown"
    # The group's folded findings open while filtering, so every match is on screen.
    assert page.evaluate("document.querySelector('#findings .g:not([hidden]) details.more').open")

    page.click("#clear")
    page.fill("#q", "ARABIC-NOT-THERE")
    _wait_for(page, "document.getElementById('shown').textContent.startsWith('0 of')")
    needle = next(f for f in data["findings"][5000:] if f["severity"] == "warning")["fingerprint"]
    page.fill("#q", needle)  # a fingerprint from the folded part of a group
    _wait_for(page, "document.getElementById('shown').textContent.startsWith('1 of')")
    assert page.locator(f"[id='{needle}']").is_visible()

    page.fill("#q", "")
    page.uncheck("input[data-sev='w']")
    _wait_for(page, "document.getElementById('shown').textContent.includes('findings shown')")
    warnings = sum(1 for f in data["findings"] if f["severity"] == "warning")
    assert page.inner_text("#shown") == f"{10_000 - warnings} of 10000 findings shown"
    page.close()
    assert errors == []


def test_with_scripts_off_everything_is_there(browser, result, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render(result, "html"), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report.as_uri(), wait_until="load")
    shown = page.locator("ol.fl > li:visible").count()
    filters_hidden = not page.locator("#filters").is_visible()
    context.close()

    assert shown == len(result.findings) and filters_hidden


@pytest.mark.parametrize("width", [360, 768, 1400])
def test_no_horizontal_scroll_at_any_width(browser, result_with_sections, tmp_path: Path, width: int) -> None:
    report = tmp_path / "report.html"
    report.write_text(render(result_with_sections, "html"), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(report.as_uri(), wait_until="load")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    # Grid labels stay at least 11 px high however narrow the page: they reflow instead of shrinking.
    smallest = page.evaluate(
        "Math.min(...Array.from(document.querySelectorAll('table.grid th, table.grid td'))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    page.close()
    assert overflow == 0 and smallest >= 11
