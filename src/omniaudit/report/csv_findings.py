"""CSV of the findings: one row per finding, for spreadsheets and ticket imports.

Columns: severity, rule_id, dimension, channels (";"-separated), message, location (first evidence, as
"uri:line [section]"), quote (first evidence), evidence (how many quotes back the finding), fingerprint.
Rows are in the report's stable order. Quotes come from public pages and posts, so every cell is made safe
to open: bidi and control characters are neutralised as in every format (an ESC or BEL would act on a
terminal that `cat`s the file; see safe_text), and a cell that a spreadsheet would run as a formula
(starting with = + - @ or a tab / carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from ..models import AuditResult, Finding
from .safe_text import display_text
from .schema import finding_sort_key

COLUMNS = (
    "severity",
    "rule_id",
    "dimension",
    "channels",
    "message",
    "location",
    "quote",
    "evidence",
    "fingerprint",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = display_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def finding_row(finding: Finding) -> dict[str, str]:
    first = finding.evidence[0] if finding.evidence else None
    row = {
        "severity": finding.severity,
        "rule_id": finding.rule_id,
        "dimension": finding.dimension,
        "channels": ";".join(finding.channels),
        "message": finding.message,
        "location": str(first.location) if first else "",
        "quote": first.quote if first else "",
        "evidence": str(len(finding.evidence)),
        "fingerprint": finding.fingerprint,
    }
    return {key: _cell(value) for key, value in row.items()}


def render_csv(result: AuditResult) -> str:
    """The findings of `result` as CSV text (header row first, CRLF line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for finding in sorted(result.findings, key=finding_sort_key):
        writer.writerow(finding_row(finding))
    return buffer.getvalue()
