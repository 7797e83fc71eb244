"""PDF: the HTML report printed by the Chromium the website connector already drives (Playwright).

What prints is what the HTML shows with its print styles: no sidebar or filter, colours kept, and groups of
findings folded beyond their first few as in the browser (a PDF of ten thousand findings would run to
thousands of pages; the JSON and HTML reports have them all).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import MissingDependency, OmniauditError
from .html import render_html

CHROMIUM = "/usr/bin/chromium"
# Chromium gives up on a page after this long; printing 10,000 findings takes a few seconds.
TIMEOUT_MS = 120_000


def check_pdf_support(executable: str = CHROMIUM) -> None:
    """Raise MissingDependency now, before an audit runs, when a PDF could not be printed afterwards."""
    if not Path(executable).exists():
        raise MissingDependency(
            f"{executable}: Chromium not found, and PDF reports are printed with it; install it "
            "(apt-get install chromium) or write .html and print that"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise MissingDependency(
            "playwright is not installed (PDF reports need it); pip install 'omniaudit[render]'"
        ) from None


def html_to_pdf(html: str, executable: str = CHROMIUM) -> bytes:
    """`html` printed to A4 PDF bytes by headless Chromium, backgrounds included."""
    check_pdf_support(executable)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from ..collect.browser import CHROMIUM_ARGS

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                # The report loads nothing: set_content needs no server and no file on disk.
                page.set_content(html, wait_until="load")
                page.emulate_media(media="print")
                # Tagged, with an outline from the headings: screen readers and PDF bookmarks.
                return page.pdf(
                    format="A4",
                    print_background=True,
                    tagged=True,
                    outline=True,
                    margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OmniauditError(f"cannot print the PDF report with {executable}: {first}") from None


def render_pdf(report: dict[str, Any]) -> bytes:
    """The canonical report dict as a PDF (bytes starting with %PDF)."""
    return html_to_pdf(render_html(report))
