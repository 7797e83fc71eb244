"""The terminal summary: whole lines for pipes and files, wrapped to the terminal when there is one."""

from __future__ import annotations

from dataclasses import replace

from omniaudit.models import Finding
from omniaudit.report import render
from omniaudit.report.schema import result_to_dict
from omniaudit.report.text import render_text

from .conftest import ARABIC_QUOTE, build_result

LONG = "Our customer care team is available " + "every day of the week, " * 8 + "including holidays."


def test_text_summary_lists_verdict_scores_findings_and_failures(result) -> None:
    lines = render(result, "text").splitlines()

    assert lines[0] == "omniaudit 0.1.0 — Northwind & Co <Outfitters>"
    assert lines[1] == "Verdict: multichannel (overall 62/100)"
    assert "  facts         38.0  2 contradictions over 9 shared facts" in lines
    assert "Findings: 5 (2 errors, 2 warnings, 1 info)" in lines
    start = lines.index(
        "error facts.contradiction [website, call-centre, app-ar] "
        "Return window differs: 30 days (website) vs 14 days (call-centre, app-ar)"
    )
    assert lines[start + 1 : start + 4] == [
        '    website: "Returns are accepted within 30 days of delivery." '
        "(https://northwind.example/returns:12:5 [main])",
        '    call-centre: "You have 14 days to send it back." (service/returns_call.txt:7 [turn 3 (Agent)])',
        f'    app-ar: "{ARABIC_QUOTE}" (app/ar/faq.html:3 [faq])',
    ]
    assert '    instagram: "Cheap gear | great prices" (social/instagram.json [post 1234])' in lines
    assert lines[-2:] == [
        "Failures: 1",
        "  instagram https://graph.example/posts: HTTP 503 Service Unavailable (status 503, 3 attempts)",
    ]


def test_fix_first_heads_the_text_report(result) -> None:
    report = result_to_dict(result)
    report["fix_first"] = [
        {
            "rank": 1,
            "rule_id": "facts.contradiction",
            "severity": "error",
            "title": "Return window differs: 14 days on call-centre vs 30 days elsewhere",
            "fix": "Change turn 3 (Agent) in service/returns_call.txt to 30 days, as website says",
            "odd": {"value": "14 days", "location": "service/returns_call.txt:7 [turn 3 (Agent)]"},
            "locations": ["service/returns_call.txt"],
        }
    ]
    lines = render_text(report).splitlines()
    start = lines.index("Fix first:")
    assert start < lines.index("Scores:") and lines[start + 1 : start + 4] == [
        "  1. error   Return window differs: 14 days on call-centre vs 30 days elsewhere",
        "             Fix: Change turn 3 (Agent) in service/returns_call.txt to 30 days, as website says",
        "             At: service/returns_call.txt:7 [turn 3 (Agent)]",
    ]


def test_without_a_width_lines_are_whole_and_with_one_they_wrap() -> None:
    long = Finding("facts.contradiction", "facts", "error", LONG, channels=("website",))
    report = result_to_dict(replace(build_result(), findings=(long,)))

    whole = render_text(report).splitlines()
    assert f"error facts.contradiction [website] {LONG}" in whole  # not cut at ~120 characters

    for width in (60, 100):
        lines = render_text(report, width=width).splitlines()
        assert max(len(line) for line in lines) <= width
        start = next(i for i, line in enumerate(lines) if line.startswith("error facts.contradiction"))
        assert lines[start + 1].startswith("  ") and "every day" in lines[start + 1]
        joined = " ".join(line.strip() for line in lines[start : start + 8])
        assert LONG in joined  # wrapped, nothing lost
    assert render_text(report, width=12) == render_text(report)  # too narrow to wrap usefully


def test_text_shows_terminal_control_sequences_instead_of_sending_them() -> None:
    hostile = Finding(
        "style.x", "style", "info", "Bold \x1b[1mtext\x1b[0m\r\nhere\x07", channels=("website",)
    )
    text = render(replace(build_result(), findings=(hostile,)), "text")

    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "info style.x [website] Bold ␛[1mtext␛[0m here␇" in text.splitlines()


def test_since_last_run_line(result_with_sections) -> None:
    lines = render(result_with_sections, "text").splitlines()

    assert (
        lines[2]
        == "Since last run (2026-11-16T09:00:00Z): overall +21, was fragmented, 1 new, 1 resolved findings"
    )
