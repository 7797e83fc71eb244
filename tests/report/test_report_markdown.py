"""Markdown for tickets: tables stay intact whatever the channels say."""

from __future__ import annotations

import re

import pytest

from omniaudit.report import render

from .conftest import ARABIC_QUOTE


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def _tables(markdown: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def test_every_table_row_has_as_many_cells_as_its_header(result_with_sections) -> None:
    markdown = render(result_with_sections, "markdown")
    tables = _tables(markdown)

    # scores, coverage, topics, failures, channels, stats
    assert len(tables) == 6
    for table in tables:
        widths = {_unescaped_pipes(line) for line in table}
        assert len(widths) == 1, table
    assert (
        "| terminology | 85 | 1 banned word \\| 0 preferred\\-term slips |" not in markdown
    )  # '-' kept as is
    assert "| terminology | 85 | 1 banned word \\| 0 preferred-term slips |" in markdown
    assert "| `value_proposition` | ✓ 0.81 | ✓ 0.62 | ✓ 0.58 | ✓ 0.71 |" in markdown
    assert "| `tagline` | ✓ 0.92 | ✓ 0.77 | ✗ 0.21 | ✗ n/a |" in markdown


def test_markdown_renders_to_the_same_tables_and_no_html(result_with_sections) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    from bs4 import BeautifulSoup

    html = (
        markdown_it.MarkdownIt("commonmark").enable("table").render(render(result_with_sections, "markdown"))
    )
    soup = BeautifulSoup(html, "lxml")

    assert soup.find("script") is None
    assert "<script>alert(1)</script>" in soup.get_text()
    coverage = soup.find_all("table")[1]
    assert [th.get_text() for th in coverage.find_all("th")] == [
        "Message",
        "website",
        "instagram",
        "call-centre",
        "app-ar",
    ]
    assert all(len(tr.find_all(["td", "th"])) == 5 for tr in coverage.find_all("tr"))
    quotes = [bq.get_text(" ", strip=True) for bq in soup.find_all("blockquote")]
    assert any(q.startswith("Price | <script>alert(1)</script> | only today") for q in quotes)
    assert any(q.startswith(ARABIC_QUOTE) and "app/ar/faq.html:3 [faq]" in q for q in quotes)
    # The multi-line quote stays inside its blockquote.
    assert any(q.startswith("Cheap gear | great prices") for q in quotes)
    headings = [h.get_text() for h in soup.find_all("h3")]
    assert headings == ["facts (3)", "terminology (1)", "messages (1)"]
    assert soup.h1.get_text() == "Omnichannel audit: Northwind & Co <Outfitters>"
    assert "Since last run" in [h.get_text() for h in soup.find_all("h2")]


def test_markdown_without_optional_sections(result) -> None:
    markdown = render(result, "markdown")

    assert "## Since last run" not in markdown
    assert "## Topics by channel" not in markdown
    assert "| timings.collect\\_s | 3.2 |" in markdown
