"""Open audit reports in the real Chromium and check what a reader relies on: every finding of the JSON is in
the HTML once, the rule filter hides the other rules, the page prints, and nothing is fetched.

    python bench/report_check.py REPORT.html ...      # each REPORT.html beside its REPORT.json

Used on the development corpus: audit each bench/realworld/*.yaml with `-o X.html -o X.json`, then run this.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from omniaudit.collect.browser import CHROMIUM_ARGS

_FINDING_IDS = "Array.from(document.querySelectorAll('#findings ol.fl > li')).map(li => li.id)"
_SHOWN_RULES = (
    "Array.from(document.querySelectorAll('#findings .g')).filter(g => !g.hidden).map(g => g.dataset.rule)"
)


def check(browser: Any, html: Path) -> dict[str, Any]:
    data = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    fingerprints = [finding["fingerprint"] for finding in data["findings"]]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(html.resolve().as_uri(), wait_until="load")
    ids = page.evaluate(_FINDING_IDS)
    filter_ok = True
    if fingerprints:
        rule = data["findings"][0]["rule_id"]
        page.fill("#rule", rule)
        time.sleep(0.5)  # the filter runs on input, debounced
        filter_ok = set(page.evaluate(_SHOWN_RULES)) == {rule}
    pdf = page.pdf()
    page.close()
    return {
        "report": html.name,
        "json findings": len(fingerprints),
        "distinct": len(set(fingerprints)),
        "html findings": len(ids),
        "same findings": sorted(ids) == sorted(fingerprints),
        "filter": filter_ok,
        "prints": pdf.startswith(b"%PDF"),
        "errors": len(errors),
        "fetched": len([url for url in fetched if not url.startswith("file:")]),
    }


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=list(CHROMIUM_ARGS))
        rows = [check(browser, Path(path)) for path in argv]
        browser.close()
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(str(value) for value in row.values()) + " |")
    good = all(r["same findings"] and r["filter"] and r["prints"] and not r["errors"] and not r["fetched"]
               and r["distinct"] == r["json findings"] for r in rows)
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
