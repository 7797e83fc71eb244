"""The self-contained HTML report: escaped, one script of ours, no external assets, fix-first first, findings
grouped by rule, charts that say where their numbers come from."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from omniaudit.report import render
from omniaudit.report.html import COMPACT_ABOVE, SHOWN_PER_GROUP, render_html
from omniaudit.report.schema import result_to_dict
from omniaudit.report.svg import FAIR, GOOD, POOR

from .conftest import ARABIC_QUOTE, HOSTILE


def _soup(result) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(render(result, "html"), "lxml")


def _report(result, **changes):  # type: ignore[no-untyped-def]
    return {**result_to_dict(result), **changes}


def test_channel_text_is_escaped_and_only_our_script_may_run(result) -> None:
    html = render(result, "html")
    soup = BeautifulSoup(html, "lxml")

    scripts = soup.find_all("script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    code = scripts[0].string
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert "<script>alert(1)</script>" not in html
    assert HOSTILE in soup.get_text()
    assert soup.title.get_text() == "Omnichannel audit: Northwind & Co <Outfitters>"
    assert not soup.find_all(attrs=lambda attrs: any(k.startswith("on") for k in attrs or {}))


def test_no_external_resources_only_evidence_links(result) -> None:
    soup = _soup(result)
    evidence_uris = {e.location.uri for f in result.findings for e in f.evidence}

    for tag in soup.find_all(src=True):
        raise AssertionError(f"unexpected src= on <{tag.name}>")
    assert soup.find("link") is None  # no stylesheet or font links
    style = soup.style.get_text()
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    hrefs = [a["href"] for a in soup.find_all(href=True)]
    assert any(h.startswith("https://") for h in hrefs)  # the https evidence location is a link
    for href in hrefs:
        if urlsplit(href).scheme:
            assert href in evidence_uris
        else:
            assert href.startswith("#") and soup.find(id=href[1:]) is not None, href
    assert soup.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer"


def test_fonts_dark_mode_and_print_styles(result) -> None:
    style = _soup(result).style.get_text()

    assert '"Noto Color Emoji"' in style and '"DejaVu Sans"' in style and "Noto Naskh Arabic" in style
    assert "@media (prefers-color-scheme: dark)" in style
    assert "@media print" in style


def test_fix_first_opens_the_report_with_odd_and_expected_values(result) -> None:
    first = result.findings[2]  # the return-window contradiction
    fix_first = [
        {
            "rank": 1,
            "fingerprint": first.fingerprint,
            "rule_id": "facts.contradiction",
            "severity": "error",
            "confidence": None,
            "impact": 8.4,
            "title": "Return window differs: 14 days on call-centre vs 30 days elsewhere",
            "odd": {
                "value": "14 days",
                "channel": "call-centre",
                "quote": "You have 14 days to send it back.",
                "location": "service/returns_call.txt:7 [turn 3 (Agent)]",
            },
            "expected": {"value": "30 days", "source": "website, brand book"},
            "fix": "Change turn 3 (Agent) in service/returns_call.txt to 30 days, as website says",
            "locations": ["service/returns_call.txt"],
            "channels": ["website", "call-centre"],
        }
    ]
    ignored = [
        {"reason": "legal copy, reviewed", "count": 3, "until": "2027-01-31", "expired": False},
        {"reason": "old campaign", "count": 0, "until": "2026-01-01", "expired": True},
    ]
    soup = BeautifulSoup(render_html(_report(result, fix_first=fix_first, ignored=ignored)), "lxml")

    cards = soup.find_all(class_="card")
    assert cards[0].name == "header" and cards[1]["id"] == "fix-first"  # right after the verdict
    item = soup.select_one("#fix-first ol.fix > li")
    text = item.get_text(" ", strip=True)
    assert "Return window differs: 14 days on call-centre vs 30 days elsewhere" in text
    assert "Odd 14 days in call-centre · service/returns_call.txt:7 [turn 3 (Agent)]" in text
    assert "Expected 30 days (website, brand book)" in text
    assert "Fix Change turn 3 (Agent) in service/returns_call.txt to 30 days" in text
    assert item.find("a")["href"] == f"#{first.fingerprint}"
    assert soup.find(id=first.fingerprint).name == "li"
    notes = soup.find(id="ignored").get_text(" ", strip=True)
    assert "3 findings: legal copy, reviewed (until 2027-01-31)" in notes
    assert "expired on 2026-01-01, so its findings are shown: old campaign" in notes


def test_sidebar_counts_by_severity_rule_and_channel(result) -> None:
    side = _soup(result).find("nav", class_="side")

    def counts(heading: str) -> dict[str, str]:
        items = side.find("h2", string=heading).find_next_sibling("ul").find_all("li")
        return {li.contents[0].get_text(strip=True): li.find("b").get_text() for li in items}

    assert counts("Severity") == {"error": "2", "warning": "2", "info": "1"}
    assert counts("Rules") == {
        "facts.contradiction": "2",
        "facts.price_mismatch": "1",
        "terminology.banned": "1",
        "messages.missing": "1",
    }
    assert counts("Channels") == {"website": "3", "instagram": "3", "call-centre": "2", "app-ar": "1"}
    # Without scripts the filter bar stays hidden and the checkboxes do nothing.
    assert side.find(id="filters").has_attr("hidden")
    assert all(box.has_attr("disabled") for box in side.find_all("input", type="checkbox"))


def test_findings_grouped_by_rule_with_quotes_and_locations(result) -> None:
    findings = _soup(result).find(id="findings")

    groups = findings.find_all("section", class_="g")
    assert [g["data-rule"] for g in groups] == [
        "facts.contradiction",
        "facts.price_mismatch",
        "terminology.banned",
        "messages.missing",
    ]
    assert [g.find(class_="badge").get_text() for g in groups] == ["error", "warning", "warning", "info"]
    contradiction = groups[0].find_all("li")[1]
    assert [q.get_text() for q in contradiction.find_all("q")] == [
        "Returns are accepted within 30 days of delivery.",
        "You have 14 days to send it back.",
        ARABIC_QUOTE,
    ]
    cites = [c.get_text(" ", strip=True) for c in contradiction.find_all("cite")]
    assert cites == [
        "website https://northwind.example/returns:12:5",  # the plain "main" section is not repeated
        "call-centre service/returns_call.txt:7 [turn 3 (Agent)]",
        "app-ar app/ar/faq.html:3 [faq]",
    ]
    assert contradiction.find("small").get_text() == "website, call-centre, app-ar"
    assert contradiction["id"] == result.findings[2].fingerprint


def test_big_groups_fold_and_become_compact_above_the_threshold(result) -> None:
    base = result.findings[0]  # terminology.banned, one quote
    many = tuple(
        replace(base, message=f"Banned word #{i}", key=f"k{i}", evidence=base.evidence * 2) for i in range(12)
    )
    soup = _soup(replace(result, findings=many))
    group = soup.find("section", class_="g")
    shown = group.find("ol", class_="fl", recursive=False)
    folded = group.find("details", class_="more")
    assert len(shown.find_all("li")) == SHOWN_PER_GROUP
    assert folded.summary.get_text() == f"{12 - SHOWN_PER_GROUP} more" and not folded.has_attr("open")
    assert len(folded.find_all("li")) == 12 - SHOWN_PER_GROUP and folded.find("q") is not None

    huge = tuple(replace(base, message=f"Banned word #{i}", key=f"k{i}") for i in range(COMPACT_ABOVE + 1))
    soup = _soup(replace(result, findings=huge))
    folded = soup.find("details", class_="more")
    assert "one line each" in folded.summary.get_text()
    assert folded.find("q") is None and folded.find("cite") is not None  # place kept, quote left to the JSON
    assert len(soup.find("section", class_="g").find("ol").find_all("q")) == SHOWN_PER_GROUP


def test_alignment_is_one_triangle_without_the_diagonal(result) -> None:
    table = _soup(result).find(id="alignment").find("table")

    columns = [th.get_text() for th in table.thead.find_all("th")]
    rows = [tr.th.get_text() for tr in table.tbody.find_all("tr")]
    assert columns == ["website", "instagram", "call-centre"] and rows == [
        "instagram",
        "call-centre",
        "app-ar",
    ]
    values = [td.get_text() for td in table.tbody.find_all("td") if td.get_text()]
    assert values == ["0.72", "0.55", "0.48", "0.61", "0.50", "0.43"]  # 4 channels: 6 pairs, no 1.00
    assert "similarity" in table.caption.get_text()


def test_scores_show_their_measure_and_the_ring_the_verdict_colour(result) -> None:
    soup = _soup(result)
    scores = soup.find(id="scores").find(class_="scores")

    names = [n.get_text() for n in scores.find_all(class_="name")]
    whys = [w.get_text() for w in scores.find_all(class_="why")]
    assert dict(zip(names, whys, strict=True))["alignment"] == "mean pairwise similarity 0.66"
    ring = soup.find("svg", class_="ring")
    assert ring["aria-label"] == "Overall score 62 of 100"
    strokes = [c.get("stroke") for c in ring.find_all("circle")]
    assert FAIR in strokes  # multichannel: amber whatever the number

    for verdict, colour in (("omnichannel", GOOD), ("fragmented", POOR)):
        ring = BeautifulSoup(render(replace(result, verdict=verdict), "html"), "lxml").find(
            "svg", class_="ring"
        )
        assert colour in [c.get("stroke") for c in ring.find_all("circle")]


def test_coverage_and_topics_grids(result_with_sections) -> None:
    soup = _soup(result_with_sections)
    coverage = soup.find(id="coverage").find("table")
    cells = {td.get_text(" ", strip=True) for td in coverage.tbody.find_all("td")}
    assert "✗ 0.21" in cells and "✓ 0.81" in cells
    assert "value_<wbr/>proposition" in str(coverage.tbody.th) or "value_<wbr>proposition" in str(
        coverage.tbody.th
    )
    topics = soup.find(id="topics").find("table")
    assert "61%" in {td.get_text() for td in topics.find_all("td")}
    assert "–" in {td.get_text() for td in topics.find_all("td")}


def test_since_last_run_deltas_and_plurals(result_with_sections) -> None:
    soup = _soup(result_with_sections)
    since = soup.find(id="since-last-run")
    text = since.get_text(" ", strip=True)
    assert "2026-11-16T09:00:00Z (fragmented, 42/100)" in text
    assert "+20.8 overall" in text and "-5.0 facts" in text and "3 unchanged" in text
    assert "Return window differs: 30 days vs 14 days" in text
    assert since.find("b", string="+20.8")["class"] == ["up"] and since.find("b", string="-5.0")["class"] == [
        "down"
    ]
    tiles = soup.find("header").get_text(" ", strip=True)
    assert "1 failure" in tiles and "1 failures" not in tiles and "1 source could not be read" in tiles

    flat = replace(result_with_sections, stats={"since_last_run": {"score_deltas": {"facts": 0.04}}})
    tile = BeautifulSoup(render(flat, "html"), "lxml").find(id="since-last-run").find("b")
    assert tile.get_text() == "±0.0" and tile["class"] == ["flat"]  # "+0.0" is not an improvement


def test_malformed_optional_section_is_skipped(result, caplog) -> None:
    broken = replace(result, stats={"topics": {"topics": ["a"], "values": [[0.1]]}, "since_last_run": [1]})
    soup = _soup(broken)

    assert soup.find(id="topics") is None and soup.find(id="since-last-run") is None
    assert "stats.topics values are not a topics x channels matrix" in caplog.text
    assert soup.find(id="fix-first") is not None or not result_to_dict(broken)["fix_first"]


def test_topic_grid_marks_where_channels_disagree(result) -> None:
    cells = [[{"segments": 3, "status": "disagree"}, {"segments": 1, "status": "ok"}]]
    grid = {"topics": ["returns"], "channels": ["website", "chatbot"], "values": [[0.4, 0.2]], "cells": cells}
    marked = replace(result, stats={"topics": grid})
    soup = BeautifulSoup(render(marked, "html"), "lxml")
    tds = soup.find(id="topics").find("tbody").find_all("td")
    assert [td.get_text(" ", strip=True) for td in tds] == ["40% ≠", "20%"]
    assert tds[0]["class"] == ["no"]
    assert "| returns | 40% ≠ | 20% |" in render(marked, "markdown")


def test_markup_per_finding_is_compact(result) -> None:
    html = render(result, "html")
    item = re.search(r'<li class="w" id="[0-9a-f]{16}"><p>Banned word "cheap" used</p>.*?</li>', html, re.S)
    assert item is not None
    # Message, quote, place, channel and fingerprint id; the rest is at most this much markup.
    text_length = len(BeautifulSoup(item.group(), "lxml").get_text()) + 16
    assert len(item.group().encode()) - text_length < 110
