"""The canonical report: an AuditResult as one JSON-ready dict that every renderer reads.

Renderers never look at the dataclasses; they read this dict, so a report saved as JSON can be rendered again
in any format and every format shows the same data in the same order.
"""

from __future__ import annotations

import math
from typing import Any

from ..models import AuditResult, Fact, Failure, Finding, Location
from .fix_first import FIX_FIRST_LIMIT, fix_first

SCHEMA_VERSION = "1.0"
TOOL_NAME = "omniaudit"

# Most severe first: the order findings are listed in, in every format.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _number(value: float, digits: int) -> float | None:
    # NaN or inf are not JSON: an unmeasured similarity reads as null.
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _location(location: Location | None) -> dict[str, Any] | None:
    return None if location is None else location.to_dict()


def finding_sort_key(finding: Finding) -> tuple[Any, ...]:
    """Severity (error, warning, info), dimension, rule, message; channels and fingerprint break ties."""
    return (
        SEVERITY_RANK.get(finding.severity, len(SEVERITY_RANK)),
        finding.dimension,
        finding.rule_id,
        finding.message,
        finding.channels,
        finding.fingerprint,
    )


def _failure(failure: Failure) -> dict[str, Any]:
    return {
        "channel": failure.channel_id,
        "source": failure.source,
        "error": failure.error,
        "status": failure.status,
        "attempts": failure.attempts,
    }


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind,
        "value": fact.value,
        "unit": fact.unit,
        "subject": fact.subject,
        "text": fact.text,
        "channel": fact.channel_id,
        "location": _location(fact.location),
    }


def _coverage(result: AuditResult) -> dict[str, Any]:
    # A channel that was not audited has no column: it was not read, so it neither carries nor misses.
    skipped = {channel.id for channel in result.channels if not channel.audited}
    channel_ids = [channel.id for channel in result.channels if channel.id not in skipped]
    cells_shown = [cell for cell in result.coverage if cell.channel_id not in skipped]
    by_key = {(cell.message_id, cell.channel_id): cell for cell in cells_shown}
    # Messages and channels the analysis did not list (should not happen) still get shown, after the others.
    message_ids = list(result.message_ids)
    for cell in cells_shown:
        if cell.message_id not in message_ids:
            message_ids.append(cell.message_id)
        if cell.channel_id not in channel_ids:
            channel_ids.append(cell.channel_id)
    cells = []
    for message_id in message_ids:
        for channel_id in channel_ids:
            found = by_key.get((message_id, channel_id))
            if found is None:
                continue
            cells.append(
                {
                    "message": found.message_id,
                    "channel": found.channel_id,
                    "similarity": _number(found.similarity, 4),
                    "covered": found.covered,
                    "quote": found.quote,
                    "location": _location(found.location),
                }
            )
    return {"messages": message_ids, "channels": channel_ids, "cells": cells}


def _alignment(result: AuditResult) -> dict[str, Any]:
    """Channel x channel similarity among the audited channels (one that was not read compares with none)."""
    shown = [i for i, channel in enumerate(result.channels) if channel.audited]
    return {
        "channels": [result.channels[i].id for i in shown],
        "matrix": [
            [_number(result.alignment[i][j], 4) for j in shown if j < len(result.alignment[i])]
            for i in shown
            if i < len(result.alignment)
        ],
    }


def result_to_dict(result: AuditResult, *, fix_first_limit: int = FIX_FIRST_LIMIT) -> dict[str, Any]:
    """The canonical report structure (what `--format json` writes), with findings in their stable order and
    `fix_first`, the top `fix_first_limit` errors and warnings by impact (see report/fix_first.py)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "brand": result.brand,
        "started_at": result.started_at,
        "config": result.config_path,
        "verdict": result.verdict,
        "overall": _number(result.overall, 2),
        "scores": [
            {"name": score.name, "score": _number(score.score, 2), "explanation": score.explanation}
            for score in result.scores
        ],
        "channels": [
            {
                "id": channel.id,
                "type": channel.type,
                "connector": channel.connector,
                "source": channel.source,
                "documents": channel.documents,
                "blocks": channel.blocks,
                "segments": channel.segments,
                "languages": list(channel.languages),
                "failures": channel.failures,
                "skipped": [{"file": file, "reason": reason} for file, reason in channel.skipped],
                "audited": channel.audited,
            }
            for channel in result.channels
        ],
        "coverage": _coverage(result),
        "alignment": _alignment(result),
        "fix_first": fix_first(result, limit=fix_first_limit),
        "findings": [finding.to_dict() for finding in sorted(result.findings, key=finding_sort_key)],
        "ignored": [entry.to_dict() for entry in result.ignored],
        "failures": [_failure(failure) for failure in result.failures],
        "facts": [_fact(fact) for fact in result.facts],
        "stats": result.stats,
    }
