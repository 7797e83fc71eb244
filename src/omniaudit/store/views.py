"""Plain-text and JSON views of the history for `omniaudit history` and `omniaudit diff` (the CLI prints)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..models import Finding
from .history import RunDiff, RunSummary

_DIMENSION_SHORT = {
    "messages": "msg",
    "alignment": "align",
    "facts": "facts",
    "terminology": "terms",
    "integration": "integr",
}


def _date(started_at: str) -> str:
    # "2026-11-23T04:26:52+00:00" -> "2026-11-23 04:26"
    return started_at.replace("T", " ")[:16]


def history_text(runs: Sequence[RunSummary]) -> str:
    """A table of runs, newest first: id, date, brand, verdict, overall, each dimension, findings."""
    if not runs:
        return "No runs stored yet: run `omniaudit audit CONFIG` first.\n"
    dimensions: list[str] = []
    for run in runs:
        for name in run.scores:
            if name not in dimensions:
                dimensions.append(name)
    header = ["run", "date (UTC)", "brand", "verdict", "overall"]
    header += [_DIMENSION_SHORT.get(name, name) for name in dimensions]
    header += ["findings", "errors", "failures"]
    rows = [header]
    for run in runs:
        row = [str(run.id), _date(run.started_at), run.brand, run.verdict, f"{run.overall:.1f}"]
        row += [f"{run.scores[name]:.1f}" if name in run.scores else "-" for name in dimensions]
        row += [str(run.findings), str(run.errors), str(run.failures)]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    numeric = set(range(4, len(header)))
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def history_json(runs: Sequence[RunSummary]) -> str:
    return json.dumps({"runs": [run.to_dict() for run in runs]}, ensure_ascii=False, indent=2) + "\n"


def _signed(value: float) -> str:
    return f"{value:+.1f}"


def _finding_line(label: str, finding: Finding) -> str:
    channels = f" [{', '.join(finding.channels)}]" if finding.channels else ""
    return f"  {label:<9} {finding.severity:<7} {finding.rule_id}: {finding.message}{channels}"


def _run_label(run: RunSummary) -> str:
    return f"run {run.id} ({_date(run.started_at)}, {run.verdict} {run.overall:.1f}/100)"


def diff_text(diff: RunDiff, *, show_unchanged: bool = False) -> str:
    """What changed between two runs, in the order a reviewer reads it: findings, scores, documents."""
    lines = [f"{_run_label(diff.a)} -> {_run_label(diff.b)}", ""]
    lines.append(
        f"Findings: {len(diff.new)} new, {len(diff.fixed)} fixed, {len(diff.unchanged)} unchanged"
    )
    lines += [_finding_line("new", f) for f in diff.new]
    lines += [_finding_line("fixed", f) for f in diff.fixed]
    if show_unchanged:
        lines += [_finding_line("unchanged", f) for f in diff.unchanged]
    lines.append("")
    scores = ", ".join(f"{name} {_signed(delta)}" for name, delta in diff.score_deltas.items())
    lines.append(f"Scores: overall {_signed(diff.overall_delta)}" + (f"; {scores}" if scores else ""))
    if diff.a.verdict != diff.b.verdict:
        lines.append(f"Verdict: {diff.a.verdict} -> {diff.b.verdict}")
    lines.append("")
    lines.append(
        f"Documents: {len(diff.documents_added)} added, {len(diff.documents_changed)} changed, "
        f"{len(diff.documents_removed)} removed"
    )
    for label, keys in (("added", diff.documents_added), ("changed", diff.documents_changed),
                        ("removed", diff.documents_removed)):
        lines += [f"  {label:<9} {channel}: {uri}" for channel, uri in keys]
    return "\n".join(lines) + "\n"


def diff_json(diff: RunDiff) -> str:
    return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"
