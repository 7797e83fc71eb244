"""Read the optional sections that later stages put in `stats`, tolerating anything malformed.

A section that is absent or does not have the documented shape (see the package docstring) is skipped with a
log line: a report is never lost because of an extra.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# Keys of `stats` that have their own section and are left out of the plain stats table.
SECTION_KEYS = ("since_last_run", "topics")


@dataclass(frozen=True)
class FindingRef:
    severity: str
    rule_id: str
    message: str
    channels: tuple[str, ...] = ()
    fingerprint: str = ""


@dataclass(frozen=True)
class SinceLastRun:
    previous_started_at: str = ""
    previous_verdict: str = ""
    previous_overall: float | None = None
    overall_delta: float | None = None
    score_deltas: tuple[tuple[str, float], ...] = ()
    new: tuple[FindingRef, ...] = ()
    resolved: tuple[FindingRef, ...] = ()
    unchanged: int | None = None


@dataclass(frozen=True)
class Topics:
    topics: tuple[str, ...]
    channels: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Per cell, True where this channel's procedure or tone on the topic disagrees with another channel's.
    disagree: tuple[tuple[bool, ...], ...] = ()

    def disagrees(self, row: int, col: int) -> bool:
        return bool(self.disagree) and self.disagree[row][col]


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _finding_refs(items: Any) -> tuple[FindingRef, ...]:
    refs = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            refs.append(FindingRef(severity="", rule_id="", message=item))
        elif isinstance(item, dict):
            channels = item.get("channels") or ()
            refs.append(
                FindingRef(
                    severity=str(item.get("severity", "")),
                    rule_id=str(item.get("rule_id", "")),
                    message=str(item.get("message", "")),
                    channels=tuple(str(c) for c in channels) if isinstance(channels, (list, tuple)) else (),
                    fingerprint=str(item.get("fingerprint", "")),
                )
            )
    return tuple(refs)


def since_last_run(report: dict[str, Any]) -> SinceLastRun | None:
    raw = (report.get("stats") or {}).get("since_last_run")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        log.warning("report: stats.since_last_run is not a mapping; section skipped")
        return None
    deltas = raw.get("score_deltas") or {}
    score_deltas = tuple(
        (str(name), value)
        for name, value in ((n, _float(v)) for n, v in (deltas.items() if isinstance(deltas, dict) else ()))
        if value is not None
    )
    previous_overall = _float(raw.get("previous_overall"))
    overall_delta = _float(raw.get("overall_delta"))
    current = _float(report.get("overall"))
    if overall_delta is None and previous_overall is not None and current is not None:
        overall_delta = round(current - previous_overall, 2)
    unchanged = raw.get("unchanged")
    return SinceLastRun(
        previous_started_at=str(raw.get("previous_started_at") or ""),
        previous_verdict=str(raw.get("previous_verdict") or ""),
        previous_overall=previous_overall,
        overall_delta=overall_delta,
        score_deltas=score_deltas,
        new=_finding_refs(raw.get("new")),
        resolved=_finding_refs(raw.get("fixed")),
        unchanged=unchanged if isinstance(unchanged, int) and not isinstance(unchanged, bool) else None,
    )


def topics(report: dict[str, Any]) -> Topics | None:
    raw = (report.get("stats") or {}).get("topics")
    if raw is None:
        return None
    try:
        names = tuple(str(t) for t in raw["topics"])
        channels = tuple(str(c) for c in raw.get("channels") or [c["id"] for c in report.get("channels", [])])
        rows = tuple(tuple(_float(v) for v in row) for row in raw["values"])
    except (KeyError, TypeError, AttributeError):
        log.warning("report: stats.topics lacks topics/values lists; section skipped")
        return None
    if len(rows) != len(names) or any(len(row) != len(channels) for row in rows):
        log.warning("report: stats.topics values are not a topics x channels matrix; section skipped")
        return None
    disagree: tuple[tuple[bool, ...], ...] = ()
    cells = raw.get("cells")
    if isinstance(cells, list) and len(cells) == len(names):
        try:
            disagree = tuple(
                tuple(isinstance(c, dict) and c.get("status") == "disagree" for c in row) for row in cells
            )
        except TypeError:
            disagree = ()
        if any(len(row) != len(channels) for row in disagree):
            disagree = ()
    label = str(raw.get("label") or "")
    return Topics(topics=names, channels=channels, values=rows, label=label, disagree=disagree)


def plain_stats(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The stats without the sections above, flattened to ("a.b", "value") rows in their given order."""
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, float):
            rows.append((prefix, f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"))
        elif isinstance(value, str):
            rows.append((prefix, value))
        else:
            rows.append((prefix, json.dumps(value, ensure_ascii=False, default=str)))

    stats = report.get("stats") or {}
    for key, value in stats.items():
        if key not in SECTION_KEYS:
            walk(str(key), value)
    return rows


def severity_counts(report: dict[str, Any]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in report.get("findings", []):
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return counts


def grouped_findings(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Findings by dimension; dimensions ordered by their most severe finding, then name."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for finding in report.get("findings", []):
        groups.setdefault(finding["dimension"], []).append(finding)
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(
        groups.items(),
        key=lambda item: (min(rank.get(f["severity"], 3) for f in item[1]), item[0]),
    )


def location_text(location: dict[str, Any] | None) -> str:
    """`uri:line:column [section]`, as models.Location prints it."""
    if not location:
        return ""
    text = str(location.get("uri") or "")
    if location.get("line") is not None:
        text += f":{location['line']}"
        if location.get("column") is not None:
            text += f":{location['column']}"
    if location.get("section"):
        text += f" [{location['section']}]"
    return text
