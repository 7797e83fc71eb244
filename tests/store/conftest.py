"""Hand-built audit results for the history tests: small, exact, and independent of the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from omniaudit.models import AuditResult, DimensionScore, Evidence, Fact, Finding, Location

BuildResult = Callable[..., AuditResult]


def finding(
    rule: str,
    message: str,
    channels: Sequence[str] = ("website",),
    severity: str = "error",
    key: str = "",
    line: int | None = 3,
    uri: str = "site/index.html",
) -> Finding:
    evidence = tuple(
        Evidence(channel, f"quote from {channel}", Location(uri=uri, line=line, section="main"))
        for channel in channels
    )
    return Finding(
        rule_id=rule,
        dimension=rule.split(".")[0],
        severity=severity,
        message=message,
        evidence=evidence,
        channels=tuple(channels),
        key=key,
    )


def build_result(
    findings: Sequence[Finding] = (),
    *,
    scores: dict[str, float] | None = None,
    documents: Sequence[dict[str, Any]] = (),
    brand: str = "Acme",
    overall: float = 60.0,
    verdict: str = "multichannel",
    started_at: str = "2026-11-16T09:00:00+00:00",
) -> AuditResult:
    scores = scores if scores is not None else {"messages": 70.0, "facts": 50.0}
    fact = Fact(
        kind="duration",
        value="30",
        unit="day",
        subject="returns",
        text="30 days",
        quote="Returns within 30 days.",
        channel_id="website",
        location=Location("site/returns.html", 4),
    )
    return AuditResult(
        brand=brand,
        verdict=verdict,
        overall=overall,
        scores=tuple(DimensionScore(name, value, f"{name} explained") for name, value in scores.items()),
        findings=tuple(findings),
        failures=(),
        channels=(),
        coverage=(),
        message_ids=(),
        alignment=(),
        facts=(fact,),
        stats={"documents": [dict(d) for d in documents]},
        started_at=started_at,
        tool_version="0.1.0",
        config_path="omniaudit.yaml",
    )


@pytest.fixture
def make_result() -> BuildResult:
    return build_result
