"""The terminal summary: verdict, fix-first list, scores, one line per finding with its quotes, failures.

`width` is the terminal's width when the report goes to a terminal (the CLI passes it): long lines wrap
under their own indent. Without a width (a pipe, a file) every line is written whole, so `grep` and `cut`
see one finding per line. Channel text never reaches the terminal raw: see safe_text.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from . import sections
from .safe_text import display_text
from .sections import plural

_SPACE = re.compile(r"\s+")
# Below this the terminal is too narrow to wrap usefully: lines are written whole.
_MIN_WIDTH = 40


def one_line(text: Any, limit: int = 0) -> str:
    """Safe to show (see safe_text), whitespace collapsed; cut to `limit` characters with an ellipsis."""
    clean = _SPACE.sub(" ", display_text(text)).strip()
    if limit and len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean


class _Lines:
    """Collects output lines, wrapping each to `width` with a hanging indent when a width is given."""

    def __init__(self, width: int | None) -> None:
        self.width = width if width and width >= _MIN_WIDTH else None
        self.lines: list[str] = []

    def add(self, text: str = "", indent: int | None = None) -> None:
        """One logical line; `indent` is where its continuation lines start (default: under its first
        non-blank character, plus two)."""
        if self.width is None or len(text) <= self.width:
            self.lines.append(text)
            return
        lead = len(text) - len(text.lstrip(" "))
        hanging = " " * (lead + 2 if indent is None else indent)
        self.lines += textwrap.wrap(
            text.strip(),
            width=self.width,
            initial_indent=" " * lead,
            subsequent_indent=hanging,
            break_on_hyphens=False,
        ) or [text]


def render_text(report: dict[str, Any], width: int | None = None) -> str:
    out = _Lines(width)
    tool = report.get("tool", {})
    out.add(
        f"{tool.get('name', 'omniaudit')} {tool.get('version', '')}".strip()
        + f" — {one_line(report['brand'])}"
    )
    overall = report.get("overall")
    overall_text = "n/a" if overall is None else f"{overall:.0f}/100"
    findings = report.get("findings", [])
    counts = sections.severity_counts(report)
    out.add(f"Verdict: {one_line(report['verdict'])} (overall {overall_text})")

    diff = sections.since_last_run(report)
    if diff is not None:
        parts = []
        if diff.overall_delta is not None:
            parts.append(
                "overall ±0" if round(diff.overall_delta) == 0 else f"overall {diff.overall_delta:+.0f}"
            )
        if diff.previous_verdict and diff.previous_verdict != report["verdict"]:
            parts.append(f"was {one_line(diff.previous_verdict)}")
        parts.append(f"{len(diff.new)} new, {len(diff.resolved)} resolved findings")
        since = f" ({one_line(diff.previous_started_at)})" if diff.previous_started_at else ""
        out.add(f"Since last run{since}: " + ", ".join(parts))

    fixes = sections.fix_first(report)
    if fixes:
        out.add()
        out.add("Fix first:")
        number_width = len(str(fixes[-1].rank))
        for item in fixes:
            head = f"  {item.rank:>{number_width}}. {item.severity:<7} "
            out.add(head + one_line(item.title), indent=len(head))
            if item.fix:
                out.add(" " * len(head) + "Fix: " + one_line(item.fix), indent=len(head) + 5)
            where = item.odd.location if item.odd and item.odd.location else ", ".join(item.locations)
            if where:
                out.add(" " * len(head) + "At: " + one_line(where), indent=len(head) + 4)

    if report.get("scores"):
        out.add()
        out.add("Scores:")
        name_width = max(len(one_line(score["name"])) for score in report["scores"])
        for score in report["scores"]:
            value = "n/a" if score["score"] is None else f"{score['score']:5.1f}"
            head = f"  {one_line(score['name']):<{name_width}}  {value:>5}  "
            out.add(head + one_line(score["explanation"]), indent=len(head))

    out.add()
    out.add(
        f"Findings: {len(findings)} ({plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info)"
    )
    for entry in sections.ignored(report):
        if entry.expired:
            out.add(
                f"  (an ignore entry expired{' on ' + one_line(entry.until) if entry.until else ''}: "
                f"{one_line(entry.reason)}; its findings are listed)"
            )
        else:
            until = f", until {one_line(entry.until)}" if entry.until else ""
            out.add(f"  ({plural(entry.count, 'finding')} left out: {one_line(entry.reason)}{until})")
    for finding in findings:
        channels = f" [{', '.join(one_line(c) for c in finding['channels'])}]" if finding["channels"] else ""
        count = finding.get("count")
        times = f" (×{count})" if isinstance(count, int) and count > 1 else ""
        out.add(
            f"{finding['severity']} {one_line(finding['rule_id'])}{channels} "
            f"{one_line(finding['message'])}{times}"
        )
        for evidence in finding["evidence"]:
            where = sections.location_text(evidence.get("location"))
            where_text = f" ({one_line(where)})" if where else ""
            out.add(
                f'    {one_line(evidence["channel"])}: "{one_line(evidence["quote"])}"{where_text}', indent=6
            )

    failures = report.get("failures", [])
    if failures:
        out.add()
        out.add(f"Failures: {len(failures)}")
        for failure in failures:
            detail = []
            if failure.get("status") is not None:
                detail.append(f"status {failure['status']}")
            if failure.get("attempts", 1) != 1:
                detail.append(plural(failure["attempts"], "attempt"))
            extra = f" ({', '.join(detail)})" if detail else ""
            out.add(
                f"  {one_line(failure['channel'])} {one_line(failure['source'])}: "
                f"{one_line(failure['error'])}{extra}"
            )
    return "\n".join(out.lines) + "\n"
