"""An audit with its history: lock the store, reuse cached vectors, compare with the last run, publish the
reports, then record the run.

The CLI calls `tracked_audit(config, run, publish=...)` with `run(embedder) -> AuditResult` (a closure over
`app.run_audit`) and `publish(result)` (writes the reports), so this module needs nothing from the pipeline
and the pipeline nothing from the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import StorageError
from ..models import AuditResult, Finding
from .baseline import Baseline, resolve_baseline
from .cache import CachedEmbedder, EmbedderLoader, cached_embedder
from .history import compare_with_previous, history_path, open_store

if TYPE_CHECKING:
    from ..analyze.embed import Embedder
    from ..config import Config

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class TrackedAudit:
    result: AuditResult  # with stats["since_last_run"] when there was an earlier run
    run_id: int | None  # None when the history is off
    baseline: Baseline | None
    cache_hits: int = 0
    cache_misses: int = 0

    def gating_findings(self, fail_on: str) -> list[Finding]:
        """Findings at or above `fail_on` ("info" | "warning" | "error") that are not in the baseline: what
        makes `omniaudit audit` exit 1. "never" gates nothing."""
        if fail_on == "never":
            return []
        findings = list(self.result.findings)
        if self.baseline is not None:
            findings = self.baseline.new_findings(findings)
        return [f for f in findings if SEVERITY_ORDER.get(f.severity, 0) >= SEVERITY_ORDER[fail_on]]


def tracked_audit(
    config: Config,
    run: Callable[[Embedder | None], AuditResult],
    *,
    publish: Callable[[AuditResult], None] | None = None,
    baseline: str | None = None,
    history: bool = True,
    wait: float = 0.0,
    loader: EmbedderLoader | None = None,
) -> TrackedAudit:
    """Run `run(embedder)` with the history of `config` (when `history` and config.history.enabled).

    The store is locked for the whole audit, so two scheduled runs on one store never interleave: the second
    fails at once (or after `wait` seconds) with an OmniauditError naming the first one's pid. The baseline
    (`--baseline FILE|last`) is read before this run is recorded, so `last` means the previous run. `loader`
    is how the cache gets the model on its first miss (default: `load_embedder`).

    `publish(result)` writes the reports. The run is recorded only after it returned, so the history never
    holds a run whose reports failed; when recording fails (disk full, read-only), the reports stay written
    and the StorageError says so.
    """
    if not (history and config.history.enabled):
        chosen = resolve_baseline(baseline, None) if baseline else None
        result = run(None)
        if publish is not None:
            publish(result)
        return TrackedAudit(result, None, chosen)
    with open_store(history_path(config), wait=wait) as store:
        chosen = resolve_baseline(baseline, store, brand=config.brand.name) if baseline else None
        embedder: CachedEmbedder = cached_embedder(config.model, store, config.brand.languages, loader=loader)
        result = compare_with_previous(store, run(embedder))
        if publish is not None:
            publish(result)
        try:
            run_id = store.record_run(result, config)
        except StorageError as exc:
            if publish is None:
                raise
            raise StorageError(f"{exc} (the reports were written; earlier runs are unchanged)") from None
        return TrackedAudit(result, run_id, chosen, embedder.hits, embedder.misses)
