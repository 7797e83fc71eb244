"""Run history in SQLite (runs, documents, facts, findings), diffs between runs, CI baselines and the
embedding cache. See `history.py` for the API; `open_store(path)` is the way in."""

from __future__ import annotations

from .baseline import Baseline, read_baseline, resolve_baseline, write_baseline
from .cache import CachedEmbedder, cached_embedder
from .db import SCHEMA_VERSION
from .history import (
    RunDiff,
    RunStore,
    RunSummary,
    StoredRun,
    compare_with_previous,
    config_digest,
    diff_runs,
    history_path,
    open_store,
    stored_from_result,
    track_run,
)

__all__ = [
    "SCHEMA_VERSION",
    "Baseline",
    "CachedEmbedder",
    "RunDiff",
    "RunStore",
    "RunSummary",
    "StoredRun",
    "cached_embedder",
    "compare_with_previous",
    "config_digest",
    "diff_runs",
    "history_path",
    "open_store",
    "read_baseline",
    "resolve_baseline",
    "stored_from_result",
    "track_run",
    "write_baseline",
]
