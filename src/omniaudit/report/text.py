"""The terminal summary: verdict, scores, one line per finding with its quotes below, failures."""

from __future__ import annotations

import re
from typing import Any

from . import sections

# Channel text goes to a terminal: control characters (ANSI escapes included) must not reach it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def one_line(text: Any, limit: int = 0) -> str:
    """Collapse whitespace and drop control characters; cut to `limit` characters with an ellipsis."""
    clean = _SPACE.sub(" ", _CONTROL.sub("", str(text))).strip()
    if limit and len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean


def render_text(report: dict[str, Any]) -> str:
    lines: list[str] = []
    tool = report.get("tool", {})
    lines.append(
        f"{tool.get('name', 'omniaudit')} {tool.get('version', '')}".strip()
        + f" — {one_line(report['brand'])}"
    )
    overall = report.get("overall")
    overall_text = "n/a" if overall is None else f"{overall:.0f}/100"
    lines.append(f"Verdict: {report['verdict']} (overall {overall_text})")

    diff = sections.since_last_run(report)
    if diff is not None:
        parts = []
        if diff.overall_delta is not None:
            parts.append(f"overall {diff.overall_delta:+.0f}")
        if diff.previous_verdict and diff.previous_verdict != report["verdict"]:
            parts.append(f"was {diff.previous_verdict}")
        parts.append(f"{len(diff.new)} new, {len(diff.resolved)} resolved findings")
        since = f" ({one_line(diff.previous_started_at)})" if diff.previous_started_at else ""
        lines.append(f"Since last run{since}: " + ", ".join(parts))

    if report.get("scores"):
        lines.append("")
        lines.append("Scores:")
        width = max(len(score["name"]) for score in report["scores"])
        for score in report["scores"]:
            value = "n/a" if score["score"] is None else f"{score['score']:5.1f}"
            lines.append(f"  {score['name']:<{width}}  {value}  {one_line(score['explanation'], 100)}")

    findings = report.get("findings", [])
    counts = sections.severity_counts(report)
    lines.append("")
    lines.append(
        f"Findings: {len(findings)} ({counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['info']} info)"
    )
    for finding in findings:
        channels = f" [{', '.join(one_line(c) for c in finding['channels'])}]" if finding["channels"] else ""
        lines.append(f"{finding['severity']} {finding['rule_id']}{channels} {one_line(finding['message'])}")
        for evidence in finding["evidence"]:
            where = sections.location_text(evidence.get("location"))
            where_text = f" ({one_line(where)})" if where else ""
            lines.append(
                f'    {one_line(evidence["channel"])}: "{one_line(evidence["quote"], 160)}"{where_text}'
            )

    failures = report.get("failures", [])
    if failures:
        lines.append("")
        lines.append(f"Failures: {len(failures)}")
        for failure in failures:
            detail = []
            if failure.get("status") is not None:
                detail.append(f"status {failure['status']}")
            if failure.get("attempts", 1) != 1:
                detail.append(f"{failure['attempts']} attempts")
            extra = f" ({', '.join(detail)})" if detail else ""
            lines.append(
                f"  {one_line(failure['channel'])} {one_line(failure['source'])}: "
                f"{one_line(failure['error'])}{extra}"
            )
    return "\n".join(lines) + "\n"
