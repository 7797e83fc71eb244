"""Markdown for tickets and pull requests: GitHub, GitLab and Jira (which shows a backslash as typed).

Text from channels is escaped only where Markdown would act on it, so it reads as written everywhere and
still cannot inject anything: no raw HTML (`<` before a letter, `/`, `!` or `?` becomes `&lt;`), no links or
images (`](`), no emphasis or code (`*`, `_` at a word edge, `~`, backticks), no entities (`&name;` keeps its
`&` as `&amp;`), no block
syntax at the start of a line (`#`, `>`, `-`, `1.`, `[label]:`), and `|` only inside table cells. Newlines
collapse to spaces and bidi or control characters go (see safe_text). A rule lists at most MAX_PER_RULE
findings: a ticket with five thousand style alerts helps nobody (GitHub also caps a comment at 65,536
characters); the JSON and HTML reports have them all.
"""

from __future__ import annotations

import re
from typing import Any

from . import sections
from .sections import plural
from .text import one_line

MAX_PER_RULE = 25
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# What makes a line a heading, quote, list item, rule, setext underline or link definition.
_BLOCK_START = re.compile(
    r"^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|-{3,}\s*$|=+\s*$|\[[^\]]*\]:|\d{1,9}(?=[.)](?:\s|$)))"
)


def _flanking(previous: str, following: str) -> bool:
    """Whether a * or ~ between these characters can open or close emphasis: not when spaces surround it."""
    return not (previous.isspace() and following.isspace())


def escape(text: Any, limit: int = 0, *, table: bool = False, line_start: bool = False) -> str:
    """One line of inline Markdown that renders as exactly the given text, with as few backslashes as
    possible. `table` escapes `|` (a cell); `line_start` also escapes what would start a heading, a quote,
    a list or a link definition when the text begins a line."""
    clean = one_line(text, limit)
    out: list[str] = []
    size = len(clean)
    for i, char in enumerate(clean):
        previous = clean[i - 1] if i else " "
        following = clean[i + 1] if i + 1 < size else " "
        needs = False
        if char == "\\":
            needs = following in _ASCII_PUNCTUATION or i + 1 == size
        elif char == "`":
            needs = True
        elif char in "*~":
            needs = _flanking(previous, following)
        elif char == "_":
            # snake_case and other intraword underscores never open emphasis in CommonMark.
            needs = not (previous.isalnum() and following.isalnum()) and _flanking(previous, following)
        elif char == "<" and (following.isalpha() or following in "/!?"):
            # An entity, not a backslash: every Markdown flavour decodes entities, but a renderer that
            # ignores `\<` would pass `<script>` through as a tag.
            out.append("&lt;")
            continue
        elif char == "&" and _ENTITY.match(clean, i):
            out.append("&amp;")
            continue
        elif char == "]":
            needs = following in "(["
        elif char == "|":
            needs = table
        out.append("\\" + char if needs else char)
    escaped = "".join(out)
    if line_start:
        match = _BLOCK_START.match(escaped)
        if match:
            marker = match.group()
            if marker[0].isdigit():  # "1." -> "1\." : the number stays, the list does not start
                escaped = marker + "\\" + escaped[len(marker) :]
            elif not escaped.startswith("\\"):
                escaped = "\\" + escaped
    return escaped


def cell(text: Any, limit: int = 0) -> str:
    """A table cell."""
    return escape(text, limit, table=True)


def code(text: Any, in_table: bool = False) -> str:
    """An inline code span that shows `text` exactly: the fence is one backtick longer than any run of
    backticks inside (CommonMark), padded when the text starts or ends with one."""
    clean = one_line(text)
    if in_table:
        # GFM splits table cells on `|` even inside code spans, and there `\|` is the documented escape.
        clean = clean.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", clean)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if clean.startswith("`") or clean.endswith("`") else ""
    return f"{fence}{pad}{clean}{pad}{fence}"


def _many(severity: str) -> str:
    """The plural of a severity: "2 errors", "2 warnings", "2 info"."""
    return severity if severity == "info" else ""


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _delta(value: float) -> str:
    return "±0.0" if round(value, 1) == 0 else f"{value:+.1f}"


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _fix_first(report: dict[str, Any]) -> list[str]:
    items = sections.fix_first(report)
    if not items:
        return []
    out = ["", "## Fix first", ""]
    for item in items:
        # The fix is a nested item, not a hard line break (a trailing backslash shows as typed in Jira).
        out.append(f"{item.rank}. **{escape(item.severity)}** {escape(item.title)}")
        details = []
        if item.fix:
            details.append(f"Fix: {escape(item.fix)}")
        if item.odd and item.odd.location:
            details.append(f"at {escape(item.odd.location)}")
        elif item.locations:
            details.append("in " + ", ".join(escape(where) for where in item.locations))
        details.append(code(item.rule_id))
        out.append("   - " + " · ".join(details))
    return out


def _findings(report: dict[str, Any]) -> list[str]:
    out = ["", "## Findings", ""]
    groups = sections.rule_groups(report)
    if not groups:
        return out + ["No findings."]
    ignored = sections.ignored(report)
    if ignored:
        notes = [
            f"{plural(i.count, 'finding')} ({escape(i.reason)}"
            + (f", until {escape(i.until)}" if i.until else "")
            + ")"
            for i in ignored
            if not i.expired
        ]
        if notes:
            out += ["Left out by the config: " + "; ".join(notes) + ".", ""]
    for group in groups:
        count = len(group.findings)
        out += [
            f"### {code(group.rule_id)} — {plural(count, group.severity, _many(group.severity))}",
            "",
        ]
        for finding in group.findings[:MAX_PER_RULE]:
            channels = ", ".join(escape(c) for c in finding.get("channels") or [])
            severity = "" if finding["severity"] == group.severity else f"**{escape(finding['severity'])}** "
            extra = (
                f" (×{finding['count']})"
                if isinstance(finding.get("count"), int) and finding["count"] > 1
                else ""
            )
            out.append(
                f"- {severity}{escape(finding['message'])}" + (f" — {channels}" if channels else "") + extra
            )
            for evidence in finding.get("evidence") or []:
                where = sections.location_text(evidence.get("location"))
                source = f"{escape(evidence['channel'])}" + (f", {escape(where)}" if where else "")
                out += ["", f"  > {escape(evidence['quote'], line_start=True)} — {source}"]
            out.append("")
        if count > MAX_PER_RULE:
            out += [f"… and {count - MAX_PER_RULE} more: see the JSON or HTML report.", ""]
    return out


def render_markdown(report: dict[str, Any]) -> str:
    out: list[str] = []
    counts = sections.severity_counts(report)
    out.append(f"# Omnichannel audit: {escape(report['brand'])}")
    out.append("")
    out.append(
        f"**Verdict: {escape(report['verdict'])}** — overall **{_score(report.get('overall'))}/100** · "
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info · {plural(len(report.get('failures', [])), 'failure')}"
    )
    meta = [f"omniaudit {escape(report.get('tool', {}).get('version', ''))}"]
    if report.get("started_at"):
        meta.append(f"run {escape(report['started_at'])}")
    if report.get("config"):
        meta.append(f"config {code(report['config'])}")
    out += ["", "_" + " · ".join(meta) + "_"]

    out += _fix_first(report)

    diff = sections.since_last_run(report)
    if diff is not None:
        out += ["", "## Since last run", ""]
        if diff.previous_started_at or diff.previous_verdict:
            was = escape(diff.previous_verdict) if diff.previous_verdict else ""
            if diff.previous_overall is not None:
                was += f" ({_score(diff.previous_overall)}/100)"
            out.append(f"Previous run {escape(diff.previous_started_at)}: {was}".rstrip(": "))
            out.append("")
        if diff.overall_delta is not None:
            out.append(f"- Overall: {_delta(diff.overall_delta)}")
        for name, delta in diff.score_deltas:
            out.append(f"- {escape(name)}: {_delta(delta)}")
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

    out += _findings(report)

    if report.get("scores"):
        out += ["", "## Scores", ""]
        out += _table(
            ["Dimension", "Score", "Measure"],
            [[cell(s["name"]), _score(s["score"]), cell(s["explanation"], 300)] for s in report["scores"]],
            ["---", "---:", "---"],
        )

    coverage = report.get("coverage", {})
    if coverage.get("messages") and coverage.get("channels"):
        cells = {(c["message"], c["channel"]): c for c in coverage["cells"]}
        rows = []
        for message in coverage["messages"]:
            row = [code(message, in_table=True)]
            for channel in coverage["channels"]:
                found = cells.get((message, channel))
                if found is None:
                    row.append("–")
                else:
                    similarity = "n/a" if found["similarity"] is None else f"{found['similarity']:.2f}"
                    row.append(f"{'✓' if found['covered'] else '✗'} {similarity}")
            rows.append(row)
        out += ["", "## Key message coverage", ""]
        out += _table(
            ["Message"] + [cell(c) for c in coverage["channels"]],
            rows,
            ["---"] + [":---:"] * len(coverage["channels"]),
        )

    topic_grid = sections.topics(report)
    if topic_grid is not None:
        out += ["", "## Topics by channel", ""]
        if topic_grid.label:
            out += [escape(topic_grid.label, line_start=True), ""]
        if topic_grid.disagree:
            out += ["≠: this channel's procedure or tone on the topic differs from another channel's.", ""]
        out += _table(
            ["Topic"] + [cell(c) for c in topic_grid.channels],
            [
                [cell(topic)]
                + [
                    "–" if v is None else f"{v:.0%}" + (" ≠" if topic_grid.disagrees(i, j) else "")
                    for j, v in enumerate(row)
                ]
                for i, (topic, row) in enumerate(zip(topic_grid.topics, topic_grid.values, strict=True))
            ],
            ["---"] + [":---:"] * len(topic_grid.channels),
        )

    failures = report.get("failures", [])
    if failures:
        out += ["", "## Failures", ""]
        out += _table(
            ["Channel", "Source", "Error", "Status", "Attempts"],
            [
                [
                    cell(f["channel"]),
                    cell(f["source"]),
                    cell(f["error"], 300),
                    "" if f.get("status") is None else str(f["status"]),
                    str(f.get("attempts", 1)),
                ]
                for f in failures
            ],
        )

    if report.get("channels"):
        out += ["", "## Channels", ""]
        out += _table(
            ["Channel", "Type", "Connector", "Source", "Documents", "Sentences", "Languages"],
            [
                [
                    cell(c["id"]) + ("" if c.get("audited", True) else " (not audited)"),
                    cell(c["type"]),
                    cell(c["connector"]),
                    cell(c["source"]),
                    str(c["documents"]),
                    str(c["segments"]),
                    cell(", ".join(c["languages"])),
                ]
                for c in report["channels"]
            ],
            ["---", "---", "---", "---", "---:", "---:", "---"],
        )

    stats = sections.plain_stats(report)
    if stats:
        out += ["", "## Stats", ""]
        out += _table(["Stat", "Value"], [[cell(k), cell(v, 200)] for k, v in stats])
    return "\n".join(out).strip("\n") + "\n"
