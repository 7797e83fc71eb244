"""The terminal summary."""

from __future__ import annotations

from omniaudit.report import render

from .conftest import ARABIC_QUOTE, build_result


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
    # A multi-line quote stays on one line.
    assert '    instagram: "Cheap gear | great prices" (social/instagram.json [post 1234])' in lines
    assert lines[-2:] == [
        "Failures: 1",
        "  instagram https://graph.example/posts: HTTP 503 Service Unavailable (status 503, 3 attempts)",
    ]


def test_text_drops_terminal_control_sequences() -> None:
    from dataclasses import replace

    from omniaudit.models import Finding

    base = build_result()
    hostile = Finding("style.x", "style", "info", "Bold \x1b[1mtext\x1b[0m\r\nhere", channels=("website",))
    text = render(replace(base, findings=(hostile,)), "text")

    assert "\x1b" not in text and "\r" not in text
    assert "info style.x [website] Bold [1mtext[0m here" in text.splitlines()


def test_since_last_run_line(result_with_sections) -> None:
    lines = render(result_with_sections, "text").splitlines()

    assert (
        lines[2]
        == "Since last run (2026-11-16T09:00:00Z): overall +21, was fragmented, 1 new, 1 resolved findings"
    )
