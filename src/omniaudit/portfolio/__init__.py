"""Portfolios: an agency's client brands audited in one run, on one machine or a Ray cluster.

    from omniaudit.portfolio import ProcessExecutor, load_portfolio, run_portfolio

    portfolio = load_portfolio("portfolio.yaml")
    result = run_portfolio(portfolio, ProcessExecutor(workers=2))
    print(result.summary.totals(), result.exit_code())

Modules: `config` (the portfolio file), `task` (one client's audit as a unit of work), `worker` (models loaded
once per worker), `executors` (sequential, local processes, Ray), `run` (the whole run, its state and files),
`summary` (the summary in JSON, Markdown, CSV and HTML), `progress` (lines on stderr for the CLI).
"""

from __future__ import annotations

from .config import Portfolio, load_portfolio
from .executors import Executor, ProcessExecutor, RayExecutor, SequentialExecutor
from .run import PortfolioResult, run_portfolio
from .summary import PortfolioSummary
from .task import ClientEvent, ClientOutcome, ClientTask

__all__ = [
    "ClientEvent",
    "ClientOutcome",
    "ClientTask",
    "Executor",
    "Portfolio",
    "PortfolioResult",
    "PortfolioSummary",
    "ProcessExecutor",
    "RayExecutor",
    "SequentialExecutor",
    "load_portfolio",
    "run_portfolio",
]
