"""Markdown for tickets: tables stay intact and channel text reads as written, without stray backslashes."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from omniaudit.models import Evidence, Finding, Location
from omniaudit.report import render
from omniaudit.report.markdown import MAX_PER_RULE, code, escape, render_markdown
from omniaudit.report.schema import result_to_dict

from .conftest import ARABIC_QUOTE

markdown_it = pytest.importorskip("markdown_it")


def _html(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(
        markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown), "lxml"
    )


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


@pytest.mark.parametrize(
    "text",
    [
        "Returns (within 30 days)! Great.",
        "Save 20% - today only. #sale @brightmart",
        "Use snake_case names and 5 * 3 = 15; a < b > c; AT&T",
        "Price: $49.99 + tax. [Terms apply]",
        "C:\\path\\file and a trailing backslash\\",
    ],
)
def test_ordinary_punctuation_is_not_escaped_and_renders_as_written(text: str) -> None:
    escaped = escape(text)
    assert "\\(" not in escaped and "\\!" not in escaped and "\\." not in escaped and "\\-" not in escaped
    assert _html(f"> {escape(text, line_start=True)}").blockquote.get_text(strip=True) == text


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script> <img src=x onerror=alert(1)>",
        "[click me](https://evil.example) ![pixel](https://evil.example/p.png)",
        "<https://evil.example> &lt;b&gt; &#60;i&#62;",
        "**bold** _em_ ~~gone~~ `code`",
        "| a | b |",
    ],
)
def test_markup_in_channel_text_stays_text(hostile: str) -> None:
    soup = _html(f"> {escape(hostile, line_start=True)}")
    assert soup.blockquote.get_text(strip=True) == hostile
    assert not soup.find(["script", "img", "a", "strong", "em", "del", "code", "table", "i", "b"])


@pytest.mark.parametrize(
    "start", ["# Heading", "> quote", "- item", "1. item", "[label]: https://x.example", "---"]
)
def test_block_syntax_at_the_start_of_a_quote_does_not_act(start: str) -> None:
    soup = _html(f"> {escape(start, line_start=True)}")
    assert soup.blockquote.find(["h1", "blockquote", "ul", "ol", "hr"]) is None
    assert soup.blockquote.get_text(strip=True) == start


def test_code_spans_show_backticks_and_pipes() -> None:
    assert code("style.write-good.Passive") == "`style.write-good.Passive`"
    assert code("a`b") == "``a`b``" and code("`x") == "`` `x ``"
    soup = _html(f"| h |\n| --- |\n| {code('a|b', in_table=True)} |")
    assert soup.find("td").get_text() == "a|b"


def test_every_table_row_has_as_many_cells_as_its_header(result_with_sections) -> None:
    markdown = render(result_with_sections, "markdown")
    tables = _tables(markdown)

    # scores, coverage, topics, failures, channels, stats
    assert len(tables) == 6
    for table in tables:
        assert len({_unescaped_pipes(line) for line in table}) == 1, table
    assert "| terminology | 85 | 1 banned word \\| 0 preferred-term slips |" in markdown
    assert "| `value_proposition` | ✓ 0.81 | ✓ 0.62 | ✓ 0.58 | ✓ 0.71 |" in markdown
    assert "| `tagline` | ✓ 0.92 | ✓ 0.77 | ✗ 0.21 | ✗ n/a |" in markdown


def test_markdown_renders_to_the_same_tables_and_no_html(result_with_sections) -> None:
    soup = _html(render(result_with_sections, "markdown"))

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
    assert any(q.startswith("Cheap gear | great prices") for q in quotes)  # a multi-line quote stays in one
    headings = [h.get_text() for h in soup.find_all("h3")]
    assert headings == [
        "facts.contradiction — 2 errors",
        "facts.price_mismatch — 1 warning",
        "terminology.banned — 1 warning",
        "messages.missing — 1 info",
    ]
    assert soup.h1.get_text() == "Omnichannel audit: Northwind & Co <Outfitters>"
    h2 = [h.get_text() for h in soup.find_all("h2")]
    assert h2[:3] == ["Fix first", "Since last run", "Findings"]
    assert "-5.0" in soup.get_text() and "+12.5" in soup.get_text()


def test_fix_first_heads_the_markdown(result) -> None:
    report = result_to_dict(result)
    report["fix_first"] = [
        {
            "rank": 1,
            "fingerprint": "0123456789abcdef",
            "rule_id": "facts.contradiction",
            "severity": "error",
            "confidence": None,
            "impact": 12.0,
            "title": "Price of trail jacket differs: $59 on instagram vs $49 elsewhere",
            "odd": {
                "value": "$59",
                "channel": "instagram",
                "quote": "Now $59!",
                "location": "social/ig.json [post 7]",
            },
            "expected": {"value": "$49", "source": "brand book, website"},
            "fix": "Change post 7 in social/ig.json to $49, as the brand book and website say",
            "locations": ["social/ig.json"],
            "channels": ["instagram", "website"],
        }
    ]
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    start = lines.index("## Fix first")
    assert lines[start + 2 : start + 4] == [
        "1. **error** Price of trail jacket differs: $59 on instagram vs $49 elsewhere",
        "   - Fix: Change post 7 in social/ig.json to $49, as the brand book and website say"
        " · at social/ig.json [post 7] · `facts.contradiction`",
    ]
    assert start < lines.index("## Findings") < lines.index("## Scores")
    item = _html(markdown).find("ol").li
    assert item.strong.get_text() == "error" and item.ul.li.get_text().startswith("Fix: Change post 7")
    assert "\\\n" not in markdown  # no hard line breaks: Jira would show the backslash


def test_a_big_rule_lists_its_first_findings_and_counts_the_rest(result) -> None:
    base = result.findings[0]
    many = tuple(
        replace(
            base,
            message=f"Banned word #{i}",
            key=f"k{i}",
            evidence=(Evidence("instagram", f"q{i}", Location("a")),),
        )
        for i in range(MAX_PER_RULE + 7)
    )
    markdown = render(replace(result, findings=many), "markdown")
    assert markdown.count("- Banned word #") == MAX_PER_RULE
    assert "… and 7 more: see the JSON or HTML report." in markdown


def test_markdown_without_optional_sections(result) -> None:
    markdown = render(replace(result, findings=(Finding("x.y", "style", "info", "one"),)), "markdown")

    assert "## Since last run" not in markdown and "## Topics by channel" not in markdown
    assert "| timings.collect_s | 3.2 |" in markdown  # an underscore inside a word needs no backslash
    assert "0 errors, 0 warnings, 1 info · 1 failure" in markdown
