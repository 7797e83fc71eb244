"""Bidi and control characters from channels and file names are neutralised in every format (issue 16)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from bs4 import BeautifulSoup

from omniaudit.models import Evidence, Failure, Finding, Location
from omniaudit.report import render
from omniaudit.report.safe_text import display_data, display_text

from .conftest import ARABIC_QUOTE, build_result

RLO = "\u202e"
SPOOFED = f"social/{RLO}dm.exe-cheap.md"  # shows as "social/dm.paehc-exe.md" when the override acts
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
TERMINAL = "Sale \x1b[2J\x1b]0;pwned\x07 now\x9b31m"


def test_display_text_removes_bidi_controls_and_shows_other_controls() -> None:
    assert display_text(SPOOFED) == "social/dm.exe-cheap.md"
    assert display_text(f"a{BIDI}b") == "ab"
    assert display_text(TERMINAL) == "Sale ␛[2J␛]0;pwned␇ now<U+009B>31m"
    assert display_text("line\r\nnext\tcol\u2028end") == "line\nnext\tcol\nend"
    # Arabic, emoji and the joiners that build emoji and shape Arabic are left alone.
    family = "👨\u200d👩\u200d👧 ok"
    assert display_text(ARABIC_QUOTE) == ARABIC_QUOTE and display_text(family) == family
    assert display_text(None) == "" and display_text(42) == "42"
    assert display_data({"a\x1b": [RLO + "x", 1, None]}) == {"a␛": ["x", 1, None]}


def _hostile_result():  # type: ignore[no-untyped-def]
    location = Location(SPOOFED, line=3, section=f"post {RLO}1")
    finding = Finding(
        rule_id="terminology.banned",
        dimension="terminology",
        severity="warning",
        message=f"Banned word in {TERMINAL}",
        evidence=(Evidence("instagram", f'=HYPERLINK("x") {TERMINAL} {RLO}reversed', location),),
        channels=("instagram",),
    )
    failure = Failure("instagram", f"social/{RLO}feed.json", f"bad byte \x1b[31m{RLO}", attempts=1)
    return replace(build_result(), findings=(finding,), failures=(failure,), brand=f"Brand {RLO}X\x07")


def _assert_clean(text: str) -> None:
    for char in BIDI + "\x1b\x07\x9b":
        assert char not in text, f"{char!r} reached the output"


def test_html_markdown_and_text_neutralise_bidi_and_controls() -> None:
    result = _hostile_result()
    for fmt in ("html", "markdown", "text"):
        output = render(result, fmt)
        _assert_clean(output)
        assert "dm.exe-cheap.md" in output, fmt
        assert "␛[2J" in output, fmt  # shown, not acted on
    soup = BeautifulSoup(render(result, "html"), "lxml")
    cite = soup.find("cite").get_text()
    assert cite == "social/dm.exe-cheap.md:3 [post 1]"
    # The location is isolated left to right; channel text takes its own direction.
    css = soup.style.get_text()
    assert "direction: ltr" in css and "unicode-bidi: isolate" in css and "unicode-bidi: plaintext" in css


def test_csv_neutralises_controls_and_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(render(_hostile_result(), "csv"))))
    text = render(_hostile_result(), "csv")
    _assert_clean(text)
    assert rows[0]["quote"].startswith('\'=HYPERLINK("x") Sale ␛[2J')
    assert rows[0]["location"] == "social/dm.exe-cheap.md:3 [post 1]"


def test_sarif_neutralises_text_and_encodes_uris() -> None:
    result = _hostile_result()
    result = replace(
        result,
        findings=result.findings
        + (
            Finding(
                rule_id="facts.contradiction",
                dimension="facts",
                severity="error",
                message="Price differs",
                evidence=(Evidence("website", "Now $5", Location(f"https://shop.example/{RLO}gpj.exe")),),
                channels=("website",),
            ),
        ),
    )
    text = render(result, "sarif")
    log = json.loads(text)
    _assert_clean(json.dumps(log, ensure_ascii=False))
    results = log["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert "https://shop.example/%E2%80%AEgpj.exe" in uris
    assert any("%E2%80%AEdm.exe-cheap.md" in uri for uri in uris)  # a file path is percent-encoded too
    snippets = [
        r["locations"][0]["physicalLocation"].get("region", {}).get("snippet", {}).get("text")
        for r in results
    ]
    assert any(s and "␛[2J" in s for s in snippets)
