"""run_portfolio: audit every client of a portfolio on a backend; write their reports, the state, the summary.

    portfolio = load_portfolio("portfolio.yaml")
    result = run_portfolio(portfolio, ProcessExecutor(workers=2), fail_on="error")
    sys.exit(result.exit_code(allow_failures=False))

Output folder: `clients/<id>/report.<ext>` per client (as `omniaudit audit -o` writes them; each client's
history goes where its own config says, as with `omniaudit audit`), `summary.{html,md,json,csv}`, and
`portfolio-state.json` for `--resume`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..atomic import write_atomic
from .config import Portfolio
from .executors import Executor
from .state import STATE_FILE, RunState
from .summary import RENDERERS, SUMMARY_FORMATS, PortfolioSummary, gating_count
from .task import ClientEvent, ClientOutcome, ClientTask, WorkerInfo, failed_outcome


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class PortfolioResult:
    summary: PortfolioSummary
    outcomes: tuple[ClientOutcome, ...]  # in portfolio order; reports already written, not kept here
    files: tuple[Path, ...]  # the summary files
    workers: tuple[WorkerInfo, ...]
    wall_seconds: float

    def exit_code(self, *, allow_failures: bool = False) -> int:
        """2 when a client failed (or could not read all its sources, unless `allow_failures`), else 1 when a
        client has findings at or above the summary's fail_on, else 0: the worst client decides."""
        rows = self.summary.rows
        if any(row["status"] == "failed" for row in rows) or (
            not allow_failures and any(row["status"] == "incomplete" for row in rows)
        ):
            return 2
        return 1 if any(gating_count(row, self.summary.fail_on) for row in rows) else 0


def _write_reports(output: Path, outcome: ClientOutcome) -> None:
    for name, text in outcome.reports.items():
        write_atomic(output / "clients" / outcome.client / name, text, what=f"{outcome.client}'s report")


def run_portfolio(
    portfolio: Portfolio,
    executor: Executor,
    *,
    fail_on: str = "error",
    history: bool = True,
    resume: bool = False,
    output: Path | None = None,
    on_event: Callable[[ClientEvent], None] | None = None,
) -> PortfolioResult:
    """Audit every client of `portfolio` on `executor` and write everything into `output` (default: the
    portfolio's). With `resume`, clients the previous run in that folder finished (with the same config) are
    taken from its state instead of audited again. `on_event` hears every client's progress."""
    started = time.perf_counter()
    out = output or portfolio.output
    notify = on_event or (lambda event: None)
    previous = RunState.load(out / STATE_FILE) if resume else None
    state = RunState(out / STATE_FILE, str(portfolio.path),
                     previous.started_at if previous and not previous.finished else _now())

    outcomes: dict[str, ClientOutcome] = {}
    clients = {client.id: client for client in portfolio.clients}
    tasks: list[ClientTask] = []

    def finish(outcome: ClientOutcome) -> None:
        if outcome.reports:
            _write_reports(out, outcome)
        outcomes[outcome.client] = replace(outcome, reports={})
        state.record(clients[outcome.client], outcome, _now())

    for client in portfolio.clients:
        kept = previous.done(client) if previous else None
        if previous is not None and kept is not None:
            state.clients[client.id] = previous.clients[client.id]
            outcomes[client.id] = kept
        elif client.config is None:
            finish(failed_outcome(ClientTask(client, portfolio.reports, history), client.error))
        else:
            tasks.append(ClientTask(client, portfolio.reports, history))
    state.save()
    for client in portfolio.clients:  # what is already known, in portfolio order, before anything runs
        if client.id in outcomes:
            notify(ClientEvent("done", client.id, outcome=outcomes[client.id]))

    def record(event: ClientEvent) -> None:
        if event.kind == "done" and event.outcome is not None:
            finish(event.outcome)
        notify(event)

    workers = executor.run(tasks, record)
    # A backend that lost a client without a word (it should not) must not lose it from the summary.
    for task in tasks:
        if task.id not in outcomes:
            finish(failed_outcome(task, "the backend returned no result for this client"))

    ordered = tuple(outcomes[client.id] for client in portfolio.clients)
    state.finished = all(outcome.status != "failed" for outcome in ordered)
    state.save()
    wall = round(time.perf_counter() - started, 3)
    summary = PortfolioSummary(
        portfolio=str(portfolio.path),
        generated_at=_now(),
        fail_on=fail_on,
        rows=tuple(outcome.row for outcome in ordered),
        branding=portfolio.branding,
        execution={
            "backend": executor.description,
            "wall_seconds": wall,
            "audited": len(tasks),
            "resumed": sum(1 for outcome in ordered if outcome.resumed),
            "workers": [asdict(info) for info in workers],
            "clients": {
                outcome.client: {
                    "seconds": outcome.seconds,
                    "worker": outcome.worker.pid if outcome.worker else None,
                    "resumed": outcome.resumed,
                }
                for outcome in ordered
            },
        },
    )
    files = []
    for fmt, name in SUMMARY_FORMATS.items():
        path = out / name
        write_atomic(path, RENDERERS[fmt](summary), what="the portfolio summary")
        files.append(path)
    return PortfolioResult(summary, ordered, tuple(files), tuple(workers), wall)
