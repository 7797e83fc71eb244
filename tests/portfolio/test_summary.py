"""Summary rows from canonical reports (with and without a fix-first list), spreadsheet-safe CSV, and the
per-host rule that keeps two clients of one web host from running at once."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from omniaudit.config import parse_config
from omniaudit.portfolio.config import Client
from omniaudit.portfolio.executors import _take_next
from omniaudit.portfolio.summary import (
    PortfolioSummary,
    client_row,
    gating_count,
    render_summary_csv,
    render_summary_html,
)
from omniaudit.portfolio.task import ClientTask


def _config(name: str, *sources: str) -> Any:
    return parse_config({
        "brand": {"name": name},
        "brand_book": {"key_messages": [{"id": "tagline", "text": "Simple."}]},
        "channels": [{"id": f"c{i}", "type": "website", "connector": "website", "source": source}
                     for i, source in enumerate(sources)],
    }, base_dir=Path("."))


def _finding(severity: str, message: str) -> dict[str, Any]:
    return {"rule_id": f"facts.{severity}", "severity": severity, "message": message, "fingerprint": "0" * 16}


REPORT: dict[str, Any] = {
    "brand": "Acme",
    "verdict": "multichannel",
    "overall": 61.5,
    "scores": [{"name": "messages", "score": 70.0}, {"name": "facts", "score": 40.0}],
    "findings": [_finding("error", "=HYPERLINK(\"x\")"), _finding("warning", "Tone differs"),
                 _finding("info", "Note"), _finding("warning", "Hashtag missing")],
    "failures": [],
    "stats": {"since_last_run": {"previous_verdict": "fragmented", "overall_delta": 4.5,
                                 "new": [{"rule_id": "a"}], "fixed": [{"rule_id": "b"}, {"rule_id": "c"}]}},
}


def test_row_without_fix_first_takes_the_first_errors_and_warnings() -> None:
    row = client_row(Client("acme", "acme/omniaudit.yaml", None), REPORT, status="ok", reports=["html"])
    assert [(p["rank"], p["severity"], p["title"]) for p in row["fix_first"]] == [
        (1, "error", "=HYPERLINK(\"x\")"), (2, "warning", "Tone differs"), (3, "warning", "Hashtag missing")
    ]
    assert row["findings"] == {"error": 1, "warning": 2, "info": 1}
    assert row["scores"] == {"messages": 70.0, "facts": 40.0}
    assert row["change"] == {"previous_started_at": None, "previous_verdict": "fragmented",
                             "overall_delta": 4.5, "new": 1, "fixed": 2}
    assert row["reports"] == {"html": "clients/acme/report.html"}
    assert (gating_count(row, "error"), gating_count(row, "warning"), gating_count(row, "never")) == (1, 3, 0)


def test_row_with_fix_first_uses_the_reports_ranking() -> None:
    ranked = {**REPORT, "fix_first": [
        {"rank": 1, "title": "Return window differs", "fix": "Say 30 days in the chatbot",
         "severity": "error", "rule_id": "facts.contradiction", "channels": ["chatbot"]},
        {"rank": 2, "title": "Tone differs", "fix": "", "severity": "warning", "rule_id": "tone.drift"},
    ]}
    row = client_row(Client("acme", "acme/omniaudit.yaml", None), ranked, status="ok", reports=[])
    assert row["fix_first"] == [
        {"rank": 1, "title": "Return window differs", "fix": "Say 30 days in the chatbot",
         "severity": "error", "rule_id": "facts.contradiction"},
        {"rank": 2, "title": "Tone differs", "fix": "", "severity": "warning", "rule_id": "tone.drift"},
    ]


def test_csv_cells_never_run_as_spreadsheet_formulas() -> None:
    report = {**REPORT, "brand": "=1+1"}  # a brand name is whatever the config says
    row = client_row(Client("acme", "acme/omniaudit.yaml", None), report, status="ok", reports=["html"])
    text = render_summary_csv(PortfolioSummary("p.yaml", "2026-12-04T09:00:00+00:00", "error", (row,)))
    line = next(csv.DictReader(io.StringIO(text)))
    assert line["brand"] == "'=1+1"
    assert line["fix_first_1"] == "error: =HYPERLINK(\"x\")"  # starts with the severity: safe as it is
    assert line["score_messages"] == "70.0" and line["overall_delta"] == "4.5"
    assert line["errors"] == "1"


def test_html_shows_channel_text_without_bidi_or_control_characters() -> None:
    report = {**REPORT, "findings": [_finding("error", "Price \u202eeerf si\u202c here\x1b[31m")]}
    row = client_row(Client("acme", "acme/omniaudit.yaml", None), report, status="ok", reports=["html"])
    html = render_summary_html(PortfolioSummary("p.yaml", "2026-12-04T09:00:00+00:00", "error", (row,)))
    assert "\u202e" not in html and "\x1b" not in html
    assert "Price eerf si here␛[31m" in html


def test_clients_of_one_host_are_never_taken_together() -> None:
    def task(client_id: str, *sources: str) -> ClientTask:
        return ClientTask(Client(client_id, f"{client_id}.yaml", _config(client_id, *sources)), ("json",))

    shop = task("shop", "https://www.example.com/", "social/ig.json")
    outlet = task("outlet", "https://WWW.example.com/outlet/")
    other = task("other", "https://other.example.org/")
    assert shop.hosts == frozenset({"www.example.com"}) and outlet.hosts == frozenset({"www.example.com"})
    pending = [outlet, other]
    assert _take_next(pending, set(shop.hosts)) is other  # outlet waits for shop to finish
    assert _take_next(pending, set(shop.hosts)) is None
    assert _take_next(pending, set()) is outlet
