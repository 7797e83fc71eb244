"""A client whose worker dies is reported as failed while the others finish; a re-run with resume audits only
it; the CLI reports a broken portfolio in one line and a failed client by exit status 2."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from omniaudit.cli import main
from omniaudit.config import load_config
from omniaudit.errors import ConfigError
from omniaudit.portfolio import (
    ClientEvent,
    ProcessExecutor,
    SequentialExecutor,
    load_portfolio,
    run_portfolio,
)

from .conftest import build_portfolio, write_broken


@pytest.mark.slow
def test_killed_worker_fails_only_its_client_and_resume_audits_only_that_client(tmp_path: Path) -> None:
    path = build_portfolio(tmp_path, 3, size="tiny")
    portfolio = load_portfolio(path)
    victim = "brand-001"
    killed: list[int] = []

    def kill_victim_mid_run(event: ClientEvent) -> None:
        # The test's hook, not the product's: the first stage the victim reaches, its worker is killed.
        if event.client == victim and event.kind == "stage" and not killed and event.worker:
            killed.append(event.worker)
            os.kill(event.worker, signal.SIGKILL)

    result = run_portfolio(portfolio, ProcessExecutor(workers=2), on_event=kill_victim_mid_run)
    rows = {row["client"]: row for row in result.summary.rows}
    assert killed
    assert {client: row["status"] for client, row in rows.items()} == {
        "brand-000": "ok", "brand-001": "failed", "brand-002": "ok"
    }
    assert rows[victim]["reason"] == (
        f"its worker process (pid {killed[0]}) died while auditing this client (killed by SIGKILL); "
        "the other clients were not affected"
    )
    assert result.exit_code() == 2
    state = json.loads((portfolio.output / "portfolio-state.json").read_text(encoding="utf-8"))
    assert state["finished"] is False
    assert {client: entry["status"] for client, entry in state["clients"].items()} == {
        "brand-000": "ok", "brand-001": "failed", "brand-002": "ok"
    }

    started: list[str] = []
    resumed = run_portfolio(
        portfolio, SequentialExecutor(), resume=True,
        on_event=lambda event: started.append(event.client) if event.kind == "start" else None,
    )
    assert started == [victim]
    assert [(o.client, o.status, o.resumed) for o in resumed.outcomes] == [
        ("brand-000", "ok", True), ("brand-001", "ok", False), ("brand-002", "ok", True)
    ]
    # The kept rows are the earlier run's, so the summary still shows every client.
    assert resumed.summary.rows[0] == rows["brand-000"]
    assert resumed.exit_code() == 1  # every client audited; the planted contradictions are errors
    assert json.loads((portfolio.output / "portfolio-state.json").read_text(encoding="utf-8"))["finished"]
    assert (portfolio.output / "clients" / victim / "report.html").is_file()


def test_cli_reports_an_invalid_portfolio_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.yaml"
    path.write_text("clients: [a/omniaudit.yaml]\noutptu: out\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["portfolio", str(path)])
    assert result.exit_code == 2
    assert result.output == (
        f"omniaudit: error: {path}:2: outptu: unknown key "
        "(check its spelling; see configs/omniaudit.example.yaml for valid keys)\n"
    )


def test_cli_failed_client_means_exit_2_with_the_reason_and_a_summary(tmp_path: Path) -> None:
    broken = write_broken(tmp_path)
    path = tmp_path / "portfolio.yaml"
    path.write_text("clients: ['*/omniaudit.yaml']\noutput: report\n", encoding="utf-8")
    with pytest.raises(ConfigError) as audit_error:
        load_config(broken)
    # A config error may list several problems, one per line: the progress shows the first.
    first, *more = str(audit_error.value).splitlines()
    assert first == f"{broken}:7: channels.0.type: field required"
    said = f"failed: {first}"
    if more:
        said += f" (and {len(more)} more line{'s' if len(more) > 1 else ''})"
    result = CliRunner().invoke(main, ["portfolio", str(path), "--workers", "0"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == f"omniaudit: portfolio {path}: 1 client, in-process, one client at a time"
    assert lines[1] == f"omniaudit: [1/1] broken: {said}"
    assert lines[-1] == (
        f"omniaudit: error: client broken: {said}; the other clients were audited; `--resume` audits again "
        "only the clients that failed"
    )
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "portfolio-state.json", "summary.csv", "summary.html", "summary.json", "summary.md"
    ]
