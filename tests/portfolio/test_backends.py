"""One portfolio (the bundled samples, two generated brands, a broken config) on every backend: local worker
processes, in-process, and Ray local mode give the same findings and summary rows; the broken client fails
alone; the summary opens in the real Chromium without a single request.

The three runs share the clients' histories, in this order: the first records every client, the next two
must find nothing new and nothing fixed since the run before, which is the same claim checked from the store.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from omniaudit.config import load_config
from omniaudit.errors import ConfigError
from omniaudit.portfolio import (
    PortfolioResult,
    ProcessExecutor,
    RayExecutor,
    SequentialExecutor,
    load_portfolio,
    run_portfolio,
)

from .conftest import findings_of, reports

pytestmark = pytest.mark.slow

CLIENTS = ["brightmart", "lumea", "nakheel", "northwind", "broken", "brand-000", "brand-001"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def runs(sample_portfolio: Path) -> dict[str, PortfolioResult]:
    portfolio = load_portfolio(sample_portfolio)
    folder = sample_portfolio.parent
    results = {"workers": run_portfolio(portfolio, ProcessExecutor(workers=2), output=folder / "out-workers")}
    results["sequential"] = run_portfolio(portfolio, SequentialExecutor(), output=folder / "out-sequential")
    return results


@pytest.fixture(scope="module")
def ray_run(sample_portfolio: Path, runs: dict[str, PortfolioResult]) -> PortfolioResult:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR)
    try:
        return run_portfolio(load_portfolio(sample_portfolio), RayExecutor(),
                             output=sample_portfolio.parent / "out-ray")
    finally:
        ray.shutdown()


def _rows_without_change(result: PortfolioResult) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key != "change"} for row in result.summary.rows]


def _same_as_first_run(first: PortfolioResult, later: PortfolioResult, folder: Path, name: str) -> None:
    assert [row["client"] for row in later.summary.rows] == CLIENTS
    assert _rows_without_change(later) == _rows_without_change(first)
    first_reports, later_reports = reports(folder / "out-workers"), reports(folder / f"out-{name}")
    assert sorted(later_reports) == sorted(c for c in CLIENTS if c != "broken")
    for client, report in later_reports.items():
        assert findings_of(report) == findings_of(first_reports[client]), client
    for row in later.summary.rows:
        if row["status"] != "failed":
            # The run before recorded the same findings in the client's history.
            assert row["change"]["new"] == 0 and row["change"]["fixed"] == 0, row["client"]
            assert row["change"]["overall_delta"] == 0, row["client"]


def test_worker_processes_audit_every_client_loading_each_model_once_per_worker(
    runs: dict[str, PortfolioResult], sample_portfolio: Path
) -> None:
    result = runs["workers"]
    rows = {row["client"]: row for row in result.summary.rows}
    assert list(rows) == CLIENTS
    assert {client: row["status"] for client, row in rows.items()} == {
        client: "failed" if client == "broken" else "ok" for client in CLIENTS
    }
    assert all(row["change"] is None for row in rows.values())  # the first run of every client
    assert rows["brightmart"]["brand"] == "BrightMart"
    assert rows["brightmart"]["reports"] == {"html": "clients/brightmart/report.html",
                                             "json": "clients/brightmart/report.json"}
    assert len(rows["brand-000"]["fix_first"]) == 3
    assert set(rows["brand-000"]["scores"]) >= {"messages", "facts", "terminology"}
    # The English brands share one model and the multilingual ones another: at most two loads per worker,
    # whatever the number of clients it audited.
    workers = [w for w in result.workers if w.kind == "worker process"]
    assert len(workers) == 2
    assert all(1 <= w.model_loads <= 2 for w in workers)
    assert all(w.peak_rss_mib > 0 for w in workers)
    assert len({outcome.worker.pid for outcome in result.outcomes if outcome.worker}) == 2


def test_broken_config_fails_alone_and_sets_the_exit_status(
    runs: dict[str, PortfolioResult], sample_portfolio: Path
) -> None:
    result = runs["workers"]
    broken = next(row for row in result.summary.rows if row["client"] == "broken")
    with pytest.raises(ConfigError) as audit_error:  # what `omniaudit audit` says about that config
        load_config(sample_portfolio.parent / "broken" / "omniaudit.yaml")
    assert broken["reason"] == str(audit_error.value)
    assert "channels.0.type: field required" in broken["reason"]
    assert broken["verdict"] is None and broken["reports"] == {}
    assert result.exit_code() == 2  # a client failed
    assert result.summary.totals()["failed"] == 1


def test_in_process_run_gives_the_same_findings_and_rows(
    runs: dict[str, PortfolioResult], sample_portfolio: Path
) -> None:
    _same_as_first_run(runs["workers"], runs["sequential"], sample_portfolio.parent, "sequential")
    assert [w.kind for w in runs["sequential"].workers] == ["in-process"]


def test_ray_local_mode_gives_the_same_findings_and_rows(
    runs: dict[str, PortfolioResult], ray_run: PortfolioResult, sample_portfolio: Path
) -> None:
    _same_as_first_run(runs["workers"], ray_run, sample_portfolio.parent, "ray")
    assert "ray model actor" in {w.kind for w in ray_run.workers}


def test_summary_formats_list_every_client(runs: dict[str, PortfolioResult], sample_portfolio: Path) -> None:
    output = sample_portfolio.parent / "out-workers"
    assert [path.name for path in runs["workers"].files] == [
        "summary.html", "summary.md", "summary.json", "summary.csv"
    ]
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert [row["client"] for row in data["clients"]] == CLIENTS
    assert data["agency"] == {"name": "Northlight Agency", "logo": True,
                              "colors": {"primary": "#0a2540", "accent": "#c2410c"}}
    assert data["totals"]["clients"] == 7 and data["totals"]["failed"] == 1
    table = list(csv.DictReader(io.StringIO((output / "summary.csv").read_text(encoding="utf-8"))))
    assert [line["client"] for line in table] == CLIENTS
    brightmart = data["clients"][0]
    assert table[0]["overall"] == str(brightmart["overall"])
    assert table[0]["errors"] == str(brightmart["findings"]["error"])
    assert table[0]["fix_first_1"].startswith(f"{brightmart['fix_first'][0]['severity']}: ")
    markdown = (output / "summary.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Northlight Agency: portfolio audit\n")
    assert "| broken | failed |" in markdown
    assert markdown.count("\n| ") == 2 + len(CLIENTS)  # header, rule, one line per client


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_summary_html_opens_in_chromium_without_requests_and_sorts(
    runs: dict[str, PortfolioResult], sample_portfolio: Path
) -> None:
    from playwright.sync_api import sync_playwright

    summary = sample_portfolio.parent / "out-workers" / "summary.html"
    rows = {row["client"]: row for row in runs["workers"].summary.rows}
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(summary.as_uri(), wait_until="load")
            title = page.inner_text("header h1")
            logo_width = page.evaluate("document.querySelector('header img').naturalWidth")
            order = page.eval_on_selector_all("#clients tbody", "els => els.map(e => e.dataset.client)")
            page.click("#clients thead th:nth-child(3) button")  # Overall, ascending
            ascending = page.eval_on_selector_all("#clients tbody", "els => els.map(e => e.dataset.client)")
            page.click("#clients thead th:nth-child(3) button")
            descending = page.eval_on_selector_all("#clients tbody", "els => els.map(e => e.dataset.client)")
            link = page.get_attribute("tbody[data-client=brightmart] a", "href")
        finally:
            browser.close()
    assert errors == []
    assert requests == [summary.as_uri()]  # the logo is inline: nothing else is loaded
    assert title == "Northlight Agency: portfolio audit"
    assert logo_width == 1
    assert order == CLIENTS  # without sorting: portfolio order
    audited = sorted((c for c in CLIENTS if c != "broken"),
                     key=lambda c: (rows[c]["overall"], CLIENTS.index(c)))
    assert ascending == [*audited, "broken"]  # a failed client has no score: last either way
    assert descending[-1] == "broken" and descending[0] == audited[-1]
    assert link == "clients/brightmart/report.html"
    assert (summary.parent / link).is_file()
