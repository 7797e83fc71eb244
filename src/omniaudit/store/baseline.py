"""Baselines for CI: the findings a team has accepted, so only new ones fail the build.

A baseline file is JSON: {"omniaudit_baseline": 1, "brand", "created_at", "run", "findings": [{"fingerprint",
"rule_id", "severity", "message", "channels"}]}. Only the fingerprints count; the rest is there for the people
who review the file. A plain JSON list of fingerprints (or of such objects) is accepted too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..errors import OmniauditError
from ..models import Finding
from .history import RunStore, StoredRun

BASELINE_VERSION = 1


@dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    source: str  # the file, or "run 12" for --baseline last

    def new_findings(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings that are not in the baseline (what a CI gate counts)."""
        return [finding for finding in findings if finding.fingerprint not in self.fingerprints]


def baseline_dict(
    findings: Sequence[Finding], *, brand: str = "", run_id: int | None = None
) -> dict[str, Any]:
    seen: set[str] = set()
    items = []
    for finding in findings:
        if finding.fingerprint in seen:
            continue
        seen.add(finding.fingerprint)
        items.append(
            {
                "fingerprint": finding.fingerprint,
                "rule_id": finding.rule_id,
                "severity": finding.severity,
                "message": finding.message,
                "channels": list(finding.channels),
            }
        )
    items.sort(key=lambda item: (item["rule_id"], item["message"], item["fingerprint"]))
    return {
        "omniaudit_baseline": BASELINE_VERSION,
        "brand": brand,
        "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "run": run_id,
        "findings": items,
    }


def write_baseline(path: str | Path, run: StoredRun) -> int:
    """Write the findings of a stored run as a baseline file; returns how many findings it holds."""
    data = baseline_dict(run.findings, brand=run.summary.brand, run_id=run.summary.id)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", what="the baseline")
    return len(data["findings"])


def read_baseline(path: str | Path) -> Baseline:
    """Read a baseline file; any problem is an OmniauditError naming the file and what to do."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OmniauditError(
            f"{file}: baseline file not found; write one with `omniaudit baseline`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OmniauditError(f"{file}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise OmniauditError(f"{file}:{exc.lineno}: the baseline is not valid JSON: {exc.msg}") from None
    items = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise OmniauditError(
            f"{file}: not an omniaudit baseline (expected a 'findings' list); "
            "write one with `omniaudit baseline`"
        )
    fingerprints: set[str] = set()
    for index, item in enumerate(items):
        value = item.get("fingerprint") if isinstance(item, dict) else item
        if not isinstance(value, str) or not value:
            raise OmniauditError(f"{file}: findings.{index}: expected a fingerprint string")
        fingerprints.add(value)
    return Baseline(frozenset(fingerprints), str(file))


def resolve_baseline(spec: str, store: RunStore | None, *, brand: str | None = None) -> Baseline:
    """`--baseline FILE|last`: a baseline file, or the findings of the brand's newest stored run."""
    if spec != "last":
        return read_baseline(spec)
    if store is None:
        raise OmniauditError(
            "--baseline last needs the run history: drop --no-history or set history.enabled: true"
        )
    run = store.latest_run(brand=brand)
    if run is None:
        # The first scheduled run has nothing to compare with: every finding counts, and this run becomes the
        # baseline of the next one (an error here would stop the history from ever starting).
        return Baseline(frozenset(), "none (no earlier run: every finding counts)")
    return Baseline(frozenset(f.fingerprint for f in run.findings), f"run {run.summary.id}")
