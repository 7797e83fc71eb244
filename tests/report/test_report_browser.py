"""The HTML report in a real headless Chromium: no errors, no script runs, it renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from omniaudit.report import render

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_html_report_opens_in_chromium_without_errors_or_scripts(
    result_with_sections, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    report = tmp_path / "report.html"
    report.write_text(render(result_with_sections, "html"), encoding="utf-8")
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.add_init_script("window.alert = () => { window.__alerted = true; };")
            page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
            page.on(
                "console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None
            )
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report.as_uri(), wait_until="load")
            alerted = page.evaluate("typeof window.__alerted")
            visible_text = page.inner_text("body")
            svg_count = page.locator("svg").count()
            screenshot = tmp_path / "report.png"
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()

    assert errors == []
    assert alerted == "undefined"
    assert "<script>alert(1)</script>" in visible_text  # the channel text shows as text
    assert svg_count >= 4  # ring, bars, heatmap, coverage grid (+ topics)
    assert requests == [report.as_uri()]  # nothing but the file itself is loaded
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
