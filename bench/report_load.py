"""How fast does a big HTML report open, and how big is it? A generated report with N findings (default
10,000), rendered to HTML and opened in the real Chromium (Playwright, /usr/bin/chromium).

    .venv/bin/python bench/report_load.py [--findings 10000] [--runs 5] [--keep report.html]
    .venv/bin/python bench/report_load.py --screenshots docs/screenshots --html out/brightmart.html

prints the file size, the render time in Python and the load time in Chromium (navigation start to the
`load` event, plus the first full layout and paint, median of --runs fresh pages). With --screenshots it
instead photographs an existing report at 360, 768 and 1400 px wide (the top of the page, and the charts
on the phone; PNG).

The generated report has the shape of a real one at volume: mostly style alerts with one quote, terminology
slips with a few, contradictions and procedure differences quoting 2-5 channels, missing key messages with
none; quotes of 30-140 characters (85 on average, as on the bundled BrightMart sample; some Arabic, some
emoji, some with `|` and `<`), file and URL locations
with line and section. The same seed always gives the same report.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CHROMIUM = "/usr/bin/chromium"
CHANNELS = {
    "website": "website",
    "help-centre": "service",
    "call-centre": "service",
    "chatbot": "service",
    "app": "app",
    "instagram": "social",
    "facebook": "social",
    "tiktok": "social",
}
# rule id -> (dimension, severity, share of the findings, evidence count range)
RULES: dict[str, tuple[str, str, float, tuple[int, int]]] = {
    "style.write-good.Passive": ("style", "warning", 0.36, (1, 1)),
    "style.write-good.Weasel": ("style", "warning", 0.12, (1, 1)),
    "style.Microsoft.Contractions": ("style", "info", 0.08, (1, 1)),
    "style.Microsoft.We": ("style", "info", 0.06, (1, 1)),
    "terminology.preferred": ("terminology", "warning", 0.10, (1, 3)),
    "terminology.banned": ("terminology", "error", 0.03, (1, 2)),
    "messages.missing": ("messages", "warning", 0.04, (0, 0)),
    "integration.missing_reference": ("integration", "warning", 0.02, (0, 1)),
    "facts.contradiction": ("facts", "error", 0.06, (2, 5)),
    "experience.requirement": ("experience", "warning", 0.05, (2, 4)),
    "experience.tone": ("experience", "warning", 0.02, (2, 3)),
    "claims.contradiction": ("claims", "error", 0.06, (2, 2)),
}
WORDS = (
    "order delivery returns store team refund item account help page card gift voucher customer care "
    "please days week free standard express parcel courier address receipt exchange size colour stock "
    "online app email phone chat hours opening price offer sale member points basket checkout"
).split()
ARABIC = "يمكنك إرجاع المنتج خلال ١٤ يومًا من تاريخ الاستلام مع الإيصال الأصلي."
EMOJI = "🍂 Get your fave cushions before they're gone 👉 ✨"


def _sentence(rng: random.Random, low: int = 30, high: int = 140) -> str:
    target = rng.randint(low, high)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        words.append(rng.choice(WORDS))
    text = " ".join(words).capitalize() + "."
    roll = rng.random()
    if roll < 0.03:
        return ARABIC
    if roll < 0.06:
        return EMOJI
    if roll < 0.08:
        return text.replace(" ", " | ", 1).replace("order", "<b>order</b>", 1)
    return text


def _location(rng: random.Random, channel: str) -> dict[str, Any]:
    kind = CHANNELS[channel]
    if kind == "website":
        page = f"https://shop.example/products/item-{rng.randint(1, 2000):04d}"
        return {"uri": page, "line": rng.randint(5, 400), "column": None, "section": "main"}
    if kind == "social":
        post = rng.randint(1000, 99999)
        return {"uri": f"social/{channel}.json", "line": None, "column": None, "section": f"post {post}"}
    if kind == "app":
        return {"uri": "app/strings/en.json", "line": rng.randint(1, 900), "column": None, "section": "key"}
    doc = f"service/{channel}/{rng.choice(WORDS)}-{rng.randint(1, 300)}.md"
    return {
        "uri": doc,
        "line": rng.randint(1, 80),
        "column": None,
        "section": f"turn {rng.randint(1, 9)} (Agent)",
    }


def _message(rng: random.Random, rule_id: str, channels: list[str]) -> str:
    word = rng.choice(WORDS)
    if rule_id.startswith("style.write-good.Passive"):
        return f"'was {word}ed' may be passive voice"
    if rule_id.startswith("style."):
        return f"Consider removing '{word}'"
    if rule_id == "terminology.preferred":
        return f"'{word}' should be '{rng.choice(WORDS)}': used {rng.randint(1, 9)} times in '{channels[0]}'"
    if rule_id == "terminology.banned":
        return f"'{word}' is banned by the brand book: used 1 time in '{channels[0]}'"
    if rule_id == "messages.missing":
        return f"Key message '{word}_{rng.randint(1, 40)}' is not carried by {', '.join(channels)}"
    if rule_id == "integration.missing_reference":
        return f"'{channels[0]}' never links to the brand's website"
    what = rng.choice(["Delivery time", "Return window", "Price of gift card", "Support hours", "Fee"])
    return (
        f"{what} differs across channels: {channels[0]} says {rng.randint(2, 30)} days; "
        f"{', '.join(channels[1:])} say {rng.randint(2, 30)} days"
    )


def big_report(findings: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """A canonical report dict (the shape `result_to_dict` writes) with `findings` findings."""
    rng = random.Random(seed)
    rule_ids = list(RULES)
    weights = [RULES[r][2] for r in rule_ids]
    items = []
    for index in range(findings):
        rule_id = rng.choices(rule_ids, weights)[0]
        dimension, severity, _, (low, high) = RULES[rule_id]
        count = rng.randint(low, high)
        channels = rng.sample(list(CHANNELS), max(1, count)) if count != 1 else [rng.choice(list(CHANNELS))]
        evidence: list[dict[str, Any]] = []
        for i in range(count):
            channel = channels[i % len(channels)]
            evidence.append(
                {"channel": channel, "quote": _sentence(rng), "location": _location(rng, channel)}
            )
        finding: dict[str, Any] = {
            "rule_id": rule_id,
            "dimension": dimension,
            "severity": severity,
            "message": _message(rng, rule_id, channels),
            "channels": channels,
            "fingerprint": hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()[:16],
            "evidence": evidence,
        }
        if dimension == "claims":
            finding["confidence"] = round(rng.uniform(0.55, 0.97), 3)
        items.append(finding)
    rank = {"error": 0, "warning": 1, "info": 2}
    items.sort(
        key=lambda f: (rank[f["severity"]], f["dimension"], f["rule_id"], f["message"], f["fingerprint"])
    )
    fix_first = [
        {
            "rank": n,
            "fingerprint": f["fingerprint"],
            "rule_id": f["rule_id"],
            "severity": f["severity"],
            "confidence": f.get("confidence"),
            "impact": round(3.0 * len(f["channels"]), 2),
            "title": f["message"],
            "odd": None,
            "expected": None,
            "fix": f"Make {', '.join(f['channels'])} say the same",
            "locations": [e["location"]["uri"] for e in f["evidence"]],
            "channels": f["channels"],
        }
        for n, f in enumerate((f for f in items if f["severity"] == "error"), 1)
        if n <= 20
    ]
    names = list(CHANNELS)
    matrix = [[1.0 if i == j else round(rng.uniform(0.3, 0.75), 4) for j in names] for i in names]
    for i in range(len(names)):
        for j in range(i):
            matrix[i][j] = matrix[j][i]
    return {
        "schema_version": "1.0",
        "tool": {"name": "omniaudit", "version": "bench"},
        "brand": "Generated brand",
        "started_at": "2026-12-04T09:00:00Z",
        "config": "bench/generated/omniaudit.yaml",
        "verdict": "fragmented",
        "overall": 41.0,
        "scores": [
            {"name": "alignment", "score": 70.0, "explanation": "Mean channel-to-channel similarity 0.50."},
            {"name": "style", "score": 12.0, "explanation": f"{findings} style alerts."},
        ],
        "channels": [
            {
                "id": c,
                "type": t,
                "connector": "static_site",
                "source": f"{c}/",
                "documents": 100,
                "blocks": 900,
                "segments": 2000,
                "languages": ["en"],
                "failures": 0,
                "skipped": [],
                "audited": True,
            }
            for c, t in CHANNELS.items()
        ],
        "coverage": {"messages": [], "channels": [], "cells": []},
        "alignment": {"channels": names, "matrix": matrix},
        "findings": items,
        "fix_first": fix_first,
        "ignored": [],
        "failures": [],
        "facts": [],
        "stats": {},
    }


def _launch(playwright: Any) -> Any:
    from omniaudit.collect.browser import CHROMIUM_ARGS

    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def measure(html_path: Path, runs: int) -> list[float]:
    """Milliseconds from navigation start to the end of the first layout after `load`, per fresh page."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(html_path.as_uri(), wait_until="load")
                # The layout and paint after load: read a laid-out size, then wait for the next frame.
                elapsed = page.evaluate(
                    "() => new Promise(done => { document.body.getBoundingClientRect();"
                    " requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0)); })"
                )
                timings.append(float(elapsed))
                page.close()
        finally:
            browser.close()
    return timings


def screenshots(html_path: Path, out_dir: Path, widths: tuple[int, ...] = (360, 768, 1400)) -> list[Path]:
    """The top of the report at each width (a phone, a tablet, a laptop), and on the phone its charts, the
    hardest case for them, as PNG files in `out_dir`."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            for width in widths:
                page = browser.new_page(viewport={"width": width, "height": 1100})
                page.goto(html_path.as_uri(), wait_until="load")
                target = out_dir / f"report-{width}.png"
                page.screenshot(path=str(target))
                written.append(target)
                charts = [page.locator(s) for s in ("#alignment", "#coverage") if page.locator(s).count()]
                if width == min(widths) and charts:
                    boxes = [chart.bounding_box() for chart in charts]
                    top = min(box["y"] for box in boxes if box)
                    bottom = max(box["y"] + box["height"] for box in boxes if box)
                    target = out_dir / f"charts-{width}.png"
                    clip = {"x": 0, "y": top, "width": width, "height": bottom - top}
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                    written.append(target)
                page.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also write the generated HTML report here")
    parser.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="photograph --html at 360/768/1400 px"
    )
    parser.add_argument("--html", type=Path, help="an existing HTML report (for --screenshots)")
    args = parser.parse_args()

    if args.screenshots:
        if not args.html:
            parser.error("--screenshots needs --html REPORT")
        for path in screenshots(args.html, args.screenshots):
            print(f"{path} {path.stat().st_size:,} bytes")
        return

    from omniaudit.report.html import render_html

    report = big_report(args.findings, args.seed)
    started = time.perf_counter()
    html = render_html(report)
    render_ms = (time.perf_counter() - started) * 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(html, encoding="utf-8")
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        timings = measure(path, args.runs)
        size = path.stat().st_size
    print(f"findings            {args.findings:,}")
    print(
        f"html size           {size:,} bytes ({size / 1024 / 1024:.2f} MiB, "
        f"{size / args.findings:.0f} per finding)"
    )
    print(f"render in Python    {render_ms:.0f} ms")
    print(
        f"load in Chromium    median {statistics.median(timings):.0f} ms, min {min(timings):.0f}, "
        f"max {max(timings):.0f} over {len(timings)} fresh pages "
        "(navigation start to the first layout after load)"
    )


if __name__ == "__main__":
    main()
