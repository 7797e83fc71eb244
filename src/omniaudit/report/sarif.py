"""SARIF 2.1.0: the findings in the format code-scanning UIs (GitHub, Azure DevOps, VS Code viewers) read.

One `reportingDescriptor` per rule id; one `result` per finding with its level (error / warning / note), the
first evidence as its location and the other evidence as related locations, and the finding's fingerprint as
a partial fingerprint so the UI tracks an alert across weekly runs. File paths are written relative to `root`
(the repository root the workflow runs in, by default the working directory) so the UI can open them.
Every text from a channel or a file name is neutralised (safe_text: no bidi overrides, no raw controls), and
bidi or control characters in a URL are percent-encoded, so a code-scanning UI shows what is really there.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from ..models import AuditResult, Evidence, Finding, Location
from .safe_text import display_text
from .schema import TOOL_NAME, finding_sort_key

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "omniaudit/v1"
_LEVEL_RANK = {"note": 0, "warning": 1, "error": 2}
_URI_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _safe_uri(uri: str) -> str:
    """A URI as written, with spaces, controls and bidi characters percent-encoded."""
    return _URI_UNSAFE.sub(lambda match: quote(match.group(), safe=""), uri)


def _score(value: float) -> float | None:
    return round(float(value), 2) if math.isfinite(value) else None


def _iso_utc(value: str) -> str | None:
    """An ISO 8601 timestamp as SARIF's UTC date-time ("2026-11-23T04:26:52Z"), or None if unparseable."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Paths:
    """Turns a Location.uri into a SARIF artifact URI: URLs as they are, files relative to `root`."""

    def __init__(self, config_path: str, root: Path | None) -> None:
        self.base = Path(config_path).resolve().parent if config_path else Path.cwd()
        self.root = (root or Path.cwd()).resolve()

    def uri(self, location_uri: str, *, base: Path | None = None) -> str:
        if "://" in location_uri or location_uri.startswith(("mailto:", "tel:")):
            return _safe_uri(location_uri)
        path = Path(location_uri)
        if not path.is_absolute():
            path = (base or self.base) / path
        path = path.resolve()
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return path.as_uri()
        return quote(PurePosixPath(*relative.parts).as_posix(), safe="/-._~!$&'()*+,;=:@")


def _region(location: Location, quote_text: str = "") -> dict[str, Any] | None:
    if location.line is None or location.line < 1:
        return None
    region: dict[str, Any] = {"startLine": location.line}
    if location.column is not None and location.column >= 1:
        region["startColumn"] = location.column
    if quote_text:
        region["snippet"] = {"text": display_text(quote_text)}
    return region


def _location(location: Location, paths: _Paths, *, quote_text: str = "", index: int | None = None,
              base: Path | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": paths.uri(location.uri, base=base)}}
    region = _region(location, quote_text)
    if region is not None:
        physical["region"] = region
    item: dict[str, Any] = {"physicalLocation": physical}
    if index is not None:
        item["id"] = index
    if location.section:
        item["message"] = {"text": display_text(location.section)}
    return item


def _evidence_location(evidence: Evidence, paths: _Paths, index: int | None = None) -> dict[str, Any]:
    item = _location(evidence.location, paths, quote_text=evidence.quote, index=index)
    item.setdefault("properties", {})["channel"] = display_text(evidence.channel_id)
    return item


def _rules(findings: list[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        level = LEVELS.get(finding.severity, "warning")
        rule = rules.get(finding.rule_id)
        if rule is None:
            rules[finding.rule_id] = {
                "id": finding.rule_id,
                "name": finding.rule_id,
                "shortDescription": {"text": f"{finding.dimension}: {finding.rule_id}"},
                "defaultConfiguration": {"level": level},
                "properties": {"dimension": finding.dimension, "tags": ["omnichannel", finding.dimension]},
            }
        elif _LEVEL_RANK[level] > _LEVEL_RANK[rule["defaultConfiguration"]["level"]]:
            rule["defaultConfiguration"]["level"] = level
    ordered = [rules[rule_id] for rule_id in sorted(rules)]
    return ordered, {rule["id"]: i for i, rule in enumerate(ordered)}


def _new_fingerprints(result: AuditResult) -> set[str] | None:
    since = result.stats.get("since_last_run")
    if not isinstance(since, dict) or not isinstance(since.get("new"), list):
        return None
    return {item["fingerprint"] for item in since["new"] if isinstance(item, dict) and "fingerprint" in item}


def result_to_sarif(result: AuditResult, *, root: str | Path | None = None) -> dict[str, Any]:
    """The SARIF log (a JSON-ready dict) for `result`; file paths relative to `root` (default: cwd)."""
    paths = _Paths(result.config_path, Path(root) if root is not None else None)
    findings = sorted(result.findings, key=finding_sort_key)
    rules, rule_index = _rules(findings)
    new = _new_fingerprints(result)
    results = []
    for finding in findings:
        item: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": rule_index[finding.rule_id],
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": display_text(finding.message)},
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
            "properties": {
                "channels": [display_text(channel) for channel in finding.channels],
                "dimension": finding.dimension,
                "severity": finding.severity,
                **({"subject": display_text(finding.subject)} if finding.subject else {}),
            },
        }
        located = [e for e in finding.evidence if e.location.uri]
        if located:
            item["locations"] = [_evidence_location(located[0], paths)]
            if len(located) > 1:
                item["relatedLocations"] = [
                    _evidence_location(evidence, paths, index=i) for i, evidence in enumerate(located[1:], 1)
                ]
        elif result.config_path:
            # A finding about something missing has no quote: point at the config that asked for it, so
            # code-scanning UIs (which need a location) still show it.
            item["locations"] = [_location(Location(uri=result.config_path, line=1), paths, base=Path.cwd())]
        if new is not None:
            item["baselineState"] = "new" if finding.fingerprint in new else "unchanged"
        results.append(item)

    invocation: dict[str, Any] = {"executionSuccessful": True}
    started = _iso_utc(result.started_at) if result.started_at else None
    if started:
        invocation["startTimeUtc"] = started
    if result.failures:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {"text": display_text(f"{failure.source}: {failure.error}")},
                "properties": {"channel": failure.channel_id, "status": failure.status},
            }
            for failure in result.failures
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": result.tool_version or "0",
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"{TOOL_NAME}/{display_text(result.brand)}/"},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "brand": display_text(result.brand),
            "verdict": result.verdict,
            "overall": _score(result.overall),
            "scores": {score.name: _score(score.score) for score in result.scores},
        },
    }
    if result.tool_version:
        run["tool"]["driver"]["semanticVersion"] = result.tool_version
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(result: AuditResult, *, root: str | Path | None = None) -> str:
    """The SARIF 2.1.0 log for `result` as JSON text, ending with a newline."""
    return json.dumps(result_to_sarif(result, root=root), ensure_ascii=False, indent=2) + "\n"
