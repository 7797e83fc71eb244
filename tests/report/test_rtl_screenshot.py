"""The Arabic sample's HTML report in headless Chromium: Arabic quotes render right-to-left."""

from __future__ import annotations

from pathlib import Path

import pytest

from omniaudit.collect.browser import CHROMIUM_ARGS
from omniaudit.report import render

CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = Path(__file__).resolve().parent.parent.parent / "samples" / "nakheel" / "omniaudit.yaml"
ARABIC_QUOTE = "يمكنك إرجاع المنتج خلال ١٤ يومًا فقط."


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_arabic_quotes_render_right_to_left(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from omniaudit.analyze.embed import load_embedder
    from omniaudit.app import run_audit
    from omniaudit.config import load_config

    config = load_config(SAMPLE)
    result = run_audit(config, embedder=load_embedder(config.model.name, languages=config.brand.languages))
    report = tmp_path / "nakheel.html"
    report.write_text(render(result, "html"), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(report.as_uri(), wait_until="load")
            # Channel text takes the direction of its own paragraph (unicode-bidi: plaintext, as dir="auto").
            quote = page.locator("ol.fl q", has_text=ARABIC_QUOTE).first
            quote.scroll_into_view_if_needed()
            english = page.locator("ol.fl > li > p", has_text="differs across channels").first
            text_box = (
                "el => { const r = document.createRange(); r.selectNodeContents(el);"
                " const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"
            )
            # Right-to-left text starts at the right edge of its box, left-to-right text at the left.
            box, arabic = quote.bounding_box(), quote.evaluate(text_box)
            english_box, latin = english.bounding_box(), english.evaluate(text_box)
            screenshot = tmp_path / "nakheel-rtl.png"
            quote.locator("xpath=..").screenshot(path=str(screenshot))
            page.screenshot(path=str(tmp_path / "nakheel-report.png"), full_page=True)
        finally:
            browser.close()

    assert box is not None and box["x"] + box["width"] - arabic["right"] < arabic["left"] - box["x"]
    assert english_box is not None and latin["left"] - english_box["x"] < 1
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 2_000
