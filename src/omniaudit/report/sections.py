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


SEVERITIES = ("error", "warning", "info")


def plural(count: int, noun: str, many: str = "") -> str:
    """ "1 failure", "2 failures"; `many` for irregular plurals ("1 info", "3 info")."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def severity_counts(report: dict[str, Any]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in report.get("findings", []):
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return counts


@dataclass(frozen=True)
class RuleGroup:
    """The findings of one rule, in report order; `severity` is the most severe among them."""

    rule_id: str
    dimension: str
    severity: str
    findings: tuple[dict[str, Any], ...]


def rule_groups(report: dict[str, Any]) -> list[RuleGroup]:
    """Findings grouped by rule id, the groups in the order their first finding comes in the report (most
    severe first, then dimension and rule, as the canonical order sorts them)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for finding in report.get("findings", []):
        groups.setdefault(str(finding["rule_id"]), []).append(finding)
    rank = {name: i for i, name in enumerate(SEVERITIES)}
    return [
        RuleGroup(
            rule_id=rule_id,
            dimension=str(findings[0].get("dimension", "")),
            severity=min((str(f["severity"]) for f in findings), key=lambda s: rank.get(s, len(rank))),
            findings=tuple(findings),
        )
        for rule_id, findings in groups.items()
    ]


def channel_counts(report: dict[str, Any]) -> list[tuple[str, int]]:
    """How many findings involve each channel: the report's channels in their order, then any other."""
    counts: dict[str, int] = {str(channel["id"]): 0 for channel in report.get("channels", [])}
    for finding in report.get("findings", []):
        for channel in finding.get("channels") or ():
            counts[str(channel)] = counts.get(str(channel), 0) + 1
    return [(channel, count) for channel, count in counts.items() if count]


@dataclass(frozen=True)
class Value:
    """A value as one channel states it (`odd`) or as the others and the brand book give it (`expected`)."""

    value: str
    channel: str = ""
    quote: str = ""
    location: str = ""
    source: str = ""


@dataclass(frozen=True)
class FixItem:
    """One line of the fix-first list (see the package docstring for the JSON it is read from)."""

    rank: int
    rule_id: str
    severity: str
    title: str
    fix: str = ""
    fingerprint: str = ""
    confidence: float | None = None
    impact: float | None = None
    odd: Value | None = None
    expected: Value | None = None
    locations: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()


def _where(value: Any) -> str:
    """A location given as a dict (uri, line, column, section) or already as text."""
    if isinstance(value, dict):
        return location_text(value)
    return "" if value is None else str(value)


def _value(raw: Any) -> Value | None:
    if not isinstance(raw, dict) or raw.get("value") in (None, ""):
        return None
    return Value(
        value=str(raw["value"]),
        channel=str(raw.get("channel") or ""),
        quote=str(raw.get("quote") or ""),
        location=_where(raw.get("location")),
        source=str(raw.get("source") or ""),
    )


def _strings(raw: Any) -> tuple[str, ...]:
    return tuple(text for text in (_where(item) for item in raw) if text) if isinstance(raw, list) else ()


def fix_first(report: dict[str, Any]) -> list[FixItem]:
    """The report's `fix_first` list in rank order; items without a rule or a title are skipped."""
    raw = report.get("fix_first")
    if raw is None:
        return []
    if not isinstance(raw, list):
        log.warning("report: fix_first is not a list; section skipped")
        return []
    items = []
    for position, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not item.get("rule_id") or not item.get("title"):
            log.warning("report: fix_first item %d lacks rule_id or title; skipped", position)
            continue
        rank = item.get("rank")
        items.append(
            FixItem(
                rank=rank if isinstance(rank, int) and not isinstance(rank, bool) else position,
                rule_id=str(item["rule_id"]),
                severity=str(item.get("severity") or "warning"),
                title=str(item["title"]),
                fix=str(item.get("fix") or ""),
                fingerprint=str(item.get("fingerprint") or ""),
                confidence=_float(item.get("confidence")),
                impact=_float(item.get("impact")),
                odd=_value(item.get("odd")),
                expected=_value(item.get("expected")),
                locations=_strings(item.get("locations")),
                channels=_strings(item.get("channels")),
            )
        )
    return sorted(items, key=lambda fix: fix.rank)


@dataclass(frozen=True)
class Ignored:
    reason: str
    count: int
    until: str = ""
    expired: bool = False  # the entry's date has passed: it hid nothing and its findings are reported


def ignored(report: dict[str, Any]) -> list[Ignored]:
    """Why findings were left out (the config's `ignore:` entries and rules turned off), with how many each
    reason hid; expired entries too, so the user sees that they no longer apply."""
    raw = report.get("ignored")
    if not isinstance(raw, list):
        return []
    rows = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        count = item.get("count")
        count = count if isinstance(count, int) and not isinstance(count, bool) else 0
        expired = item.get("expired") is True
        if count > 0 or expired:
            reason = str(item.get("reason") or "no reason given")
            rows.append(Ignored(reason, count, str(item.get("until") or ""), expired))
    return rows


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
