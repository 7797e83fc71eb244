"""One client's audit as a unit of work for any backend: a picklable task in, a picklable outcome out.

`audit_client` is what `omniaudit audit` does for one config (the audit inside its history: lock, embedding
cache, "since last run", recording), plus the rendered reports and the client's summary row. It never raises
for a problem of the client: a broken source, a config value that cannot be used or a crash in the pipeline
becomes a failed outcome with the reason, so one client never stops the others.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from ..errors import OmniauditError
from ..store.cache import EmbedderLoader
from .config import REPORT_SUFFIXES, Client
from .summary import client_row, failed_row

log = logging.getLogger(__name__)

Status = Literal["ok", "incomplete", "failed"]
# A client's history may be shared with another client (an absolute history.path in the defaults): wait for
# the other audit rather than failing at once.
HISTORY_WAIT_SECONDS = 3600.0


@dataclass(frozen=True)
class ClientTask:
    client: Client
    reports: tuple[str, ...]  # formats to render, e.g. ("html", "json")
    history: bool = True

    @property
    def id(self) -> str:
        return self.client.id

    @property
    def hosts(self) -> frozenset[str]:
        """The web hosts this client's channels fetch from: two clients sharing one never run at once, so
        each host sees the crawl rate one audit allows it, whatever the number of workers."""
        config = self.client.config
        if config is None:
            return frozenset()
        hosts = set()
        for channel in config.channels:
            parts = urlsplit(channel.source.strip())
            if parts.scheme in ("http", "https") and parts.hostname:
                hosts.add(parts.hostname.lower())
        return frozenset(hosts)


@dataclass(frozen=True)
class WorkerInfo:
    """Where a client ran: the process, how many models it had loaded by then, its peak memory so far."""

    pid: int
    kind: str  # "in-process", "worker process", "ray task", "ray model actor"
    model_loads: int = 0
    peak_rss_mib: float = 0.0


@dataclass(frozen=True)
class ClientOutcome:
    client: str
    status: Status
    row: dict[str, Any]  # the client's line in the portfolio summary
    reports: dict[str, str] = field(default_factory=dict)  # file name -> text
    seconds: float = 0.0
    worker: WorkerInfo | None = None
    resumed: bool = False  # taken from the state of an earlier, unfinished run


@dataclass(frozen=True)
class ClientEvent:
    """Progress of one client: "start" (a worker took it), "stage" (collect, extract, embed, analyze),
    "done" (with the outcome, whether the audit succeeded, failed, or its worker died)."""

    kind: Literal["start", "stage", "done"]
    client: str
    worker: int | None = None  # the pid, when known
    stage: str = ""
    outcome: ClientOutcome | None = None


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def failed_outcome(task: ClientTask, reason: str, *, seconds: float = 0.0,
                   worker: WorkerInfo | None = None) -> ClientOutcome:
    return ClientOutcome(task.id, "failed", failed_row(task.client, reason), seconds=seconds, worker=worker)


def audit_client(
    task: ClientTask,
    loader: EmbedderLoader,
    *,
    on_stage: Callable[[str], None] | None = None,
    worker: Callable[[], WorkerInfo] | None = None,
) -> ClientOutcome:
    """Audit one client with its history, render its reports and summary row. `loader` hands out the model
    (a worker's already loaded one); `on_stage` hears each stage as it starts."""
    from ..app import run_audit
    from ..report import render, result_to_dict
    from ..store.tracking import tracked_audit

    started = time.perf_counter()

    def where() -> WorkerInfo:
        return worker() if worker else WorkerInfo(os.getpid(), "in-process", 0, peak_rss_mib())

    if task.client.config is None:
        return failed_outcome(task, task.client.error, worker=None)
    config = task.client.config
    current = [""]

    def progress(stage: str, done: int, total: int | None, detail: str = "") -> None:
        name = stage.split(" ")[0]  # "collect website" -> "collect": one event per stage, not per page
        if name != current[0]:
            current[0] = name
            if on_stage is not None:
                on_stage(name)

    def run(embedder: Any) -> Any:
        model = config.model
        chosen = embedder or loader(
            model.name, batch_size=model.batch_size, device=model.device, languages=config.brand.languages,
            backend=model.backend,
        )
        return run_audit(config, embedder=chosen, progress=progress)

    reports: dict[str, str] = {}

    def publish(result: Any) -> None:
        # Rendered before the run is recorded, as `omniaudit audit` does: a report that cannot be made leaves
        # the history as it was. The parent process writes the files.
        reports.update({f"report.{REPORT_SUFFIXES[fmt]}": render(result, fmt) for fmt in task.reports})

    try:
        tracked = tracked_audit(config, run, publish=publish, history=task.history, wait=HISTORY_WAIT_SECONDS,
                                loader=loader)
        result = tracked.result
        report = result_to_dict(result)
    except OmniauditError as exc:
        return failed_outcome(task, str(exc), seconds=time.perf_counter() - started, worker=where())
    except Exception as exc:  # a bug in one client's audit must not stop the portfolio
        log.exception("the audit of client %s crashed", task.id)
        return failed_outcome(task, f"the audit crashed: {exc!r}", seconds=time.perf_counter() - started,
                              worker=where())
    status: Status = "incomplete" if result.failures else "ok"
    row = client_row(task.client, report, status=status, reports=task.reports)
    return ClientOutcome(task.id, status, row, reports, round(time.perf_counter() - started, 3), where())
