"""CSV of findings: one row per finding in the report's order, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from omniaudit.models import AuditResult, Evidence, Finding, Location
from omniaudit.report.csv_findings import COLUMNS, render_csv

from .conftest import ARABIC_QUOTE


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_and_one_row_per_finding_in_report_order(result: AuditResult) -> None:
    text = render_csv(result)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert text.endswith("\r\n")
    table = rows(text)
    assert [(r["severity"], r["rule_id"]) for r in table] == [
        ("error", "facts.contradiction"),
        ("error", "facts.contradiction"),
        ("warning", "facts.price_mismatch"),
        ("warning", "terminology.banned"),
        ("info", "messages.missing"),
    ]
    assert {r["fingerprint"] for r in table} == {f.fingerprint for f in result.findings}


def test_cells_hold_the_first_evidence_and_survive_newlines(result: AuditResult) -> None:
    table = rows(render_csv(result))
    returns = next(r for r in table if r["message"].startswith("Return window"))
    assert returns == {
        "severity": "error",
        "rule_id": "facts.contradiction",
        "dimension": "facts",
        "channels": "website;call-centre;app-ar",
        "message": "Return window differs: 30 days (website) vs 14 days (call-centre, app-ar)",
        "location": "https://northwind.example/returns:12:5 [main]",
        "quote": "Returns are accepted within 30 days of delivery.",
        "evidence": "3",
        "fingerprint": next(f.fingerprint for f in result.findings if f.key == "returns"),
    }
    banned = next(r for r in table if r["rule_id"] == "terminology.banned")
    assert banned["quote"] == "Cheap gear | great\nprices"  # quoted by the writer, read back intact
    missing = next(r for r in table if r["rule_id"] == "messages.missing")
    assert (missing["location"], missing["quote"], missing["evidence"]) == ("", "", "0")


def test_formula_like_cells_are_defused(result: AuditResult) -> None:
    attack = Finding(
        rule_id="terminology.banned",
        dimension="terminology",
        severity="warning",
        message='=HYPERLINK("http://evil.example","click")',
        evidence=(Evidence("instagram", "+1 800 555 0199 @home", Location("social/x.json", 2)),),
        channels=("instagram",),
    )
    arabic = Finding(
        "facts.contradiction",
        "facts",
        "error",
        "Returns differ",
        (Evidence("app-ar", ARABIC_QUOTE, Location("app/ar/faq.html", 3)),),
        ("app-ar",),
    )
    table = rows(render_csv(replace(result, findings=(attack, arabic))))
    assert table[1]["message"] == '\'=HYPERLINK("http://evil.example","click")'
    assert table[1]["quote"] == "'+1 800 555 0199 @home"
    assert table[0]["quote"] == ARABIC_QUOTE


def test_no_findings_is_just_the_header(result: AuditResult) -> None:
    assert render_csv(replace(result, findings=())) == ",".join(COLUMNS) + "\r\n"
