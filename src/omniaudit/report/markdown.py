"""Markdown for tickets and pull requests (GitHub-flavoured tables).

Everything taken from a channel is escaped: newlines collapse to spaces and Markdown punctuation (including
`|`, `<` and `>`) is backslash-escaped, so a quote can neither break a table nor inject HTML or links.
"""

from __future__ import annotations

import re
from typing import Any

from . import sections
from .text import one_line

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")


def escape(text: Any, limit: int = 0) -> str:
    """One line of inline Markdown that renders as exactly the given text."""
    return _PUNCTUATION.sub(r"\\\1", one_line(text, limit))


def code(text: Any, in_table: bool = False) -> str:
    """An inline code span; backslash escapes do not work inside one, so backticks become quotes."""
    clean = one_line(text).replace("`", "'")
    # GFM splits table cells on `|` even inside code spans, and there `\|` is the documented escape.
    return f"`{clean.replace('|', chr(92) + '|') if in_table else clean}`"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    out: list[str] = []
    counts = sections.severity_counts(report)
    out.append(f"# Omnichannel audit: {escape(report['brand'])}")
    out.append("")
    out.append(
        f"**Verdict: {escape(report['verdict'])}** — overall **{_score(report.get('overall'))}/100** · "
        f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info · "
        f"{_plural(len(report.get('failures', [])), 'failure')}"
    )
    meta = [f"omniaudit {escape(report.get('tool', {}).get('version', ''))}"]
    if report.get("started_at"):
        meta.append(f"run {escape(report['started_at'])}")
    if report.get("config"):
        meta.append(f"config {escape(report['config'])}")
    out.append("")
    out.append("_" + " · ".join(meta) + "_")

    diff = sections.since_last_run(report)
    if diff is not None:
        out += ["", "## Since last run", ""]
        if diff.previous_started_at or diff.previous_verdict:
            was = f"{escape(diff.previous_verdict)}" if diff.previous_verdict else ""
            if diff.previous_overall is not None:
                was += f" ({_score(diff.previous_overall)}/100)"
            out.append(f"Previous run {escape(diff.previous_started_at)}: {was}".rstrip(": "))
        if diff.overall_delta is not None:
            out.append(f"- Overall: {diff.overall_delta:+.1f}")
        for name, delta in diff.score_deltas:
            out.append(f"- {escape(name)}: {delta:+.1f}")
        out.append(
            f"- New findings: {len(diff.new)}; resolved: {len(diff.resolved)}"
            + (f"; unchanged: {diff.unchanged}" if diff.unchanged is not None else "")
        )
        for title, refs in (("New", diff.new), ("Resolved", diff.resolved)):
            for ref in refs:
                parts = [f"  - {title}:"]
                if ref.severity:
                    parts.append(f"**{escape(ref.severity)}**")
                if ref.rule_id:
                    parts.append(code(ref.rule_id))
                parts.append(escape(ref.message, 200))
                out.append(" ".join(parts))

    if report.get("scores"):
        out += ["", "## Scores", ""]
        out += _table(
            ["Dimension", "Score", "Why"],
            [
                [escape(s["name"]), _score(s["score"]), escape(s["explanation"], 300)]
                for s in report["scores"]
            ],
            ["---", "---:", "---"],
        )

    coverage = report.get("coverage", {})
    if coverage.get("messages") and coverage.get("channels"):
        cells = {(c["message"], c["channel"]): c for c in coverage["cells"]}
        rows = []
        for message in coverage["messages"]:
            row = [code(message, in_table=True)]
            for channel in coverage["channels"]:
                cell = cells.get((message, channel))
                if cell is None:
                    row.append("–")
                else:
                    similarity = "n/a" if cell["similarity"] is None else f"{cell['similarity']:.2f}"
                    row.append(f"{'✓' if cell['covered'] else '✗'} {similarity}")
            rows.append(row)
        out += ["", "## Key message coverage", ""]
        out += _table(
            ["Message"] + [escape(c) for c in coverage["channels"]],
            rows,
            ["---"] + [":---:"] * len(coverage["channels"]),
        )

    topic_grid = sections.topics(report)
    if topic_grid is not None:
        out += ["", "## Topics by channel", ""]
        if topic_grid.label:
            out += [escape(topic_grid.label), ""]
        if topic_grid.disagree:
            out += ["≠: this channel's procedure or tone on the topic differs from another channel's.", ""]
        out += _table(
            ["Topic"] + [escape(c) for c in topic_grid.channels],
            [
                [escape(topic)]
                + [
                    "–" if v is None else f"{v:.0%}" + (" ≠" if topic_grid.disagrees(i, j) else "")
                    for j, v in enumerate(row)
                ]
                for i, (topic, row) in enumerate(zip(topic_grid.topics, topic_grid.values, strict=True))
            ],
            ["---"] + [":---:"] * len(topic_grid.channels),
        )

    out += ["", "## Findings", ""]
    if not report.get("findings"):
        out.append("No findings.")
    for dimension, findings in sections.grouped_findings(report):
        out += [f"### {escape(dimension)} ({len(findings)})", ""]
        for finding in findings:
            channels = ", ".join(escape(c) for c in finding["channels"])
            out.append(
                f"- **{escape(finding['severity'])}** {code(finding['rule_id'])}"
                + (f" \\[{channels}\\]" if channels else "")
                + f" {escape(finding['message'])}"
            )
            for evidence in finding["evidence"]:
                out.append("")
                # A trailing backslash is CommonMark's hard line break: the source goes on its own line.
                out.append(f"  > {escape(evidence['quote'])}\\")
                where = sections.location_text(evidence.get("location"))
                out.append(f"  > — {escape(evidence['channel'])}" + (f", {escape(where)}" if where else ""))
            out.append("")

    failures = report.get("failures", [])
    if failures:
        out += ["## Failures", ""]
        out += _table(
            ["Channel", "Source", "Error", "Status", "Attempts"],
            [
                [
                    escape(f["channel"]),
                    escape(f["source"]),
                    escape(f["error"], 300),
                    "" if f.get("status") is None else str(f["status"]),
                    str(f.get("attempts", 1)),
                ]
                for f in failures
            ],
        )
        out.append("")

    if report.get("channels"):
        out += ["## Channels", ""]
        out += _table(
            ["Channel", "Type", "Connector", "Source", "Documents", "Segments", "Languages"],
            [
                [
                    escape(c["id"]),
                    escape(c["type"]),
                    escape(c["connector"]),
                    escape(c["source"]),
                    str(c["documents"]),
                    str(c["segments"]),
                    escape(", ".join(c["languages"])),
                ]
                for c in report["channels"]
            ],
            ["---", "---", "---", "---", "---:", "---:", "---"],
        )
        out.append("")

    stats = sections.plain_stats(report)
    if stats:
        out += ["## Stats", ""]
        out += _table(["Stat", "Value"], [[escape(k), escape(v, 200)] for k, v in stats])
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
