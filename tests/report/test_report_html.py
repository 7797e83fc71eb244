"""The self-contained HTML report: escaped, script-free, no external assets."""

from __future__ import annotations

from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from omniaudit.report import render

from .conftest import ARABIC_QUOTE, HOSTILE


def _soup(result) -> BeautifulSoup:
    return BeautifulSoup(render(result, "html"), "lxml")


def test_channel_text_is_escaped_and_no_script_exists(result) -> None:
    html = render(result, "html")
    soup = BeautifulSoup(html, "lxml")

    assert soup.find("script") is None
    assert "<script>" not in html
    assert HOSTILE in soup.get_text()
    assert soup.title.get_text() == "Omnichannel audit: Northwind & Co <Outfitters>"
    assert not soup.find_all(attrs=lambda attrs: any(k.startswith("on") for k in attrs or {}))


def test_no_external_resources_only_evidence_links(result) -> None:
    soup = _soup(result)
    evidence_uris = {e.location.uri for f in result.findings for e in f.evidence}

    for tag in soup.find_all(src=True):
        raise AssertionError(f"unexpected src= on <{tag.name}>")
    assert soup.find("link") is None  # no stylesheet or font links
    assert "@import" not in soup.style.get_text() and "url(" not in soup.style.get_text()
    hrefs = [a["href"] for a in soup.find_all(href=True)]
    assert hrefs  # the https evidence location is a link
    for href in hrefs:
        if urlsplit(href).scheme in ("http", "https"):
            assert href in evidence_uris
    for anchor in soup.find_all("a", href=True):
        assert "noopener" in anchor["rel"]


def test_sections_charts_and_findings(result) -> None:
    soup = _soup(result)

    assert soup.find(class_="verdict").get_text() == "multichannel"
    assert [svg.get("aria-label") for svg in soup.find_all("svg")] == [
        "Overall score 62 of 100",
        "Score per dimension, 0 to 100",
        "Channel alignment heatmap, 0 to 1",
        "Key message coverage by channel",
    ]
    heatmap = soup.find("svg", attrs={"aria-label": "Channel alignment heatmap, 0 to 1"})
    cell_texts = [t.get_text() for t in heatmap.find_all("text")]
    assert cell_texts.count("1.00") == 4 and "0.72" in cell_texts and "call-centre" in cell_texts
    coverage = soup.find("svg", attrs={"aria-label": "Key message coverage by channel"})
    assert "✗ 0.21" in [t.get_text() for t in coverage.find_all("text")]

    findings = soup.find(id="findings")
    assert [h.get_text(" ", strip=True) for h in findings.find_all("h3")] == [
        "facts (3)",
        "terminology (1)",
        "messages (1)",
    ]
    badges = [b.get_text() for b in findings.find_all(class_="badge")]
    assert badges == ["error", "error", "warning", "warning", "info"]
    quotes = findings.find_all("blockquote")
    assert quotes and all(q.get("dir") == "auto" for q in quotes)
    assert ARABIC_QUOTE in [q.get_text(strip=True) for q in quotes]
    assert "Noto Naskh Arabic" in soup.style.get_text()
    assert "app/ar/faq.html:3 [faq]" in findings.get_text()

    failures = soup.find(id="failures")
    assert "HTTP 503 Service Unavailable" in failures.get_text() and "503" in failures.get_text()
    channels = [tr.find("td").get_text() for tr in soup.find(id="channels").find_all("tr")[1:]]
    assert channels == ["website", "instagram", "call-centre", "app-ar"]
    stats = soup.find(id="stats").get_text(" ", strip=True)
    assert "timings.analyze_s 1.25" in stats
    assert soup.find(id="since-last-run") is None and soup.find(id="topics") is None


def test_optional_stats_sections_render_when_present(result_with_sections) -> None:
    soup = _soup(result_with_sections)

    since = soup.find(id="since-last-run").get_text(" ", strip=True)
    assert "2026-11-16T09:00:00Z (fragmented, 42/100)" in since
    assert "+20.8 overall" in since and "-5.0 facts" in since and "3 unchanged" in since
    assert "Return window differs: 30 days vs 14 days" in since
    topics = soup.find(id="topics")
    cells = [t.get_text() for t in topics.find("svg").find_all("text")]
    assert "support hours" in cells and "61%" in cells and "–" in cells
    # The sections are not repeated in the plain stats table.
    assert "since_last_run" not in soup.find(id="stats").get_text()


def test_malformed_optional_section_is_skipped(result, caplog) -> None:
    from dataclasses import replace

    broken = replace(result, stats={"topics": {"topics": ["a"], "values": [[0.1]]}, "since_last_run": [1]})
    soup = _soup(broken)

    assert soup.find(id="topics") is None and soup.find(id="since-last-run") is None
    assert "stats.topics values are not a topics x channels matrix" in caplog.text


def test_topic_grid_marks_where_channels_disagree(result) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from omniaudit.report import render

    cells = [[{"segments": 3, "status": "disagree"}, {"segments": 1, "status": "ok"}]]
    grid = {"topics": ["returns"], "channels": ["website", "chatbot"], "values": [[0.4, 0.2]], "cells": cells}
    marked = replace(result, stats={"topics": grid})
    soup = BeautifulSoup(render(marked, "html"), "lxml")
    labels = [t.get_text() for t in soup.find(id="topics").find("svg").find_all("text")]
    assert "40% ≠" in labels and "20%" in labels
    markdown = render(marked, "markdown")
    assert "| returns | 40% ≠ | 20% |" in markdown
