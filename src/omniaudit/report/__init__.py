"""One report, many renderers: an AuditResult becomes one canonical dict, and every format renders that dict.

    from omniaudit.report import render, result_to_dict
    text = render(result, "html")          # "text" | "json" | "markdown" | "html"
    data = result_to_dict(result)          # what "json" writes; schema_version SCHEMA_VERSION

JSON is canonical (`schema_version` "1.0"): tool {name, version}, brand, started_at, config, verdict, overall,
scores [{name, score, explanation}], channels [{id, type, connector, source, documents, segments, languages}],
coverage {messages, channels, cells [{message, channel, similarity, covered, quote, location}]} (cells in
message order, then channel order), alignment {channels, matrix} (channels x channels), findings [{rule_id,
dimension, severity, message, channels, fingerprint, count (when merged from several), evidence [{channel,
quote, location {uri, line, column, section}}]}] sorted by severity (error, warning, info), dimension, rule,
message; failures [{channel, source, error, status, attempts}], facts [{kind, value, unit, subject, text,
channel, location}], stats (as given), fix_first [{rank, fingerprint, rule_id, severity, confidence, impact,
title, odd, expected, fix, locations, channels}] (the problems by impact, see report.fix_first), ignored
[{reason, count, until, expired}].
Similarities are rounded to 4 decimals and scores to 2; a non-finite number is null.

Optional sections that later stages put in `result.stats` (each is rendered when present, skipped when absent
or malformed; the JSON keeps them under `stats` as given):

    stats["since_last_run"] = {            # every key optional
        "previous_started_at": "2026-11-16T09:00:00Z",
        "previous_verdict": "multichannel",
        "previous_overall": 58.0,          # overall_delta is computed from it when not given
        "overall_delta": 4.5,
        "score_deltas": {"facts": -5.0, "messages": 10.0},          # current minus previous
        "new": [{"severity", "rule_id", "message", "channels", "fingerprint"}, ...],  # or plain strings
        "fixed": [...same shape...],       # findings of the previous run that are gone
        "unchanged": 12,                   # number of findings present in both runs
    }
    stats["topics"] = {
        "topics": ["returns", "delivery"],                 # row labels
        "channels": ["website", "instagram"],              # column labels; default: the report's channels
        "values": [[0.4, 0.0], [None, 0.25]],              # topics x channels, 0..1; None = no data
        "label": "share of segments about each topic",    # optional caption
    }

All other stats keys are shown in a plain table, nested dicts flattened to dotted keys.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import OmniauditError
from ..models import AuditResult
from .schema import SCHEMA_VERSION, result_to_dict

FORMATS = ("text", "json", "markdown", "html", "sarif", "csv")
# SARIF and CSV are built from the findings records themselves, not from the canonical dict.
_RECORD_FORMATS = ("sarif", "csv")


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n"


def render_data(report: dict[str, Any], fmt: str, *, width: int | None = None) -> str:
    """Render an already-built canonical report dict (e.g. one read back from a JSON report); `width` wraps
    the text format to a terminal's width (None: whole lines)."""
    if fmt == "json":
        return render_json(report)
    if fmt == "text":
        from .text import render_text

        return render_text(report, width=width)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    if fmt in _RECORD_FORMATS:
        raise OmniauditError(f"{fmt} reports are written during an audit, not from a saved JSON report")
    raise OmniauditError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def render(result: AuditResult, fmt: str, *, width: int | None = None) -> str:
    """The report for `result` in `fmt` (one of FORMATS), ending with a newline. PDF is bytes, not text:
    `report.pdf.render_pdf(result_to_dict(result))`."""
    if fmt not in FORMATS:
        raise OmniauditError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(result)
    if fmt == "csv":
        from .csv_findings import render_csv

        return render_csv(result)
    return render_data(result_to_dict(result), fmt, width=width)


__all__ = ["FORMATS", "SCHEMA_VERSION", "render", "render_data", "render_json", "result_to_dict"]
