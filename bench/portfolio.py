"""Portfolio benchmark: N generated brands audited in-process one after another, by 2 worker processes, on
a local Ray instance (2 CPUs), and in-process pinned to one core; wall time and its ratio to sequential, model
loads, peak memory per worker, and the most N workers can gain on this machine.

    .venv/bin/python bench/portfolio.py --brands 12 --size tiny [--workers 2] [--json FILE]
                                        [--backends sequential,workers,ray,one-core]

Each backend runs in a fresh Python process on its own copy of the brands (so no backend finds another's
embedding cache, and each pays its own imports and model loads, as a weekly run does) and writes its figures
as JSON; this script prints them as a Markdown table. The per-client findings of every backend are compared:
a backend that is faster but finds something else is a failure (exit 1).

Brands are `make_brand.generate(size, seed=i)` for i in 0..N-1: same pages, posts and planted differences
per size, different filler text per seed; the website channel reads the generated `site/` folder (no HTTP),
so the figure is the audit work, not a crawl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import make_brand  # noqa: E402

# "one-core" is the sequential backend pinned to one core: how much of the sequential run's speed comes from
# the embedding engine's own threads, which bounds what N workers can add (N x one-core throughput at best).
BACKENDS = ("sequential", "workers", "ray", "one-core")


def build_portfolio(folder: Path, brands: int, *, size: str = "tiny", extra_clients: Sequence[str] = (),
                    defaults: dict[str, Any] | None = None, agency: dict[str, Any] | None = None) -> Path:
    """Generate `brands` brands under `folder/brands/brand-NNN/` and write `folder/portfolio.yaml` listing
    them (and `extra_clients`, paths relative to `folder`). Returns the portfolio file."""
    for seed in range(brands):
        make_brand.generate(size, folder / "brands" / f"brand-{seed:03d}", seed=seed)
    portfolio: dict[str, Any] = {"clients": [*extra_clients, "brands/*/omniaudit.yaml"], "output": "out"}
    if defaults:
        portfolio["defaults"] = defaults
    if agency:
        portfolio["agency"] = agency
    path = folder / "portfolio.yaml"
    path.write_text(yaml.safe_dump(portfolio, sort_keys=False), encoding="utf-8")
    return path


def findings_digest(output: Path) -> dict[str, str]:
    """Per client, a digest of its findings (rule, severity, message, fingerprint) from its JSON report."""
    digests = {}
    for report in sorted(output.glob("clients/*/report.json")):
        data = json.loads(report.read_text(encoding="utf-8"))
        lines = [f"{f['rule_id']}|{f['severity']}|{f['message']}|{f['fingerprint']}"
                 for f in data["findings"]]
        digests[report.parent.name] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]
    return digests


def run_backend(backend: str, portfolio_file: Path, workers: int, result_file: Path) -> None:
    """In a fresh process: audit the portfolio on `backend` and write the figures to `result_file`."""
    if backend == "one-core" and hasattr(os, "sched_setaffinity"):
        # Before anything is imported: the engines size their thread pools from the cores allowed.
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    from omniaudit.portfolio import load_portfolio, run_portfolio
    from omniaudit.portfolio.executors import Executor, ProcessExecutor, RayExecutor, SequentialExecutor

    imported = time.perf_counter() - started
    executor: Executor
    ray_start = 0.0
    if backend == "ray":
        import ray

        before = time.perf_counter()
        ray.init(num_cpus=workers, include_dashboard=False, logging_level=logging.ERROR)
        ray_start = time.perf_counter() - before
        executor = RayExecutor()
    elif backend == "workers":
        executor = ProcessExecutor(workers)
    else:
        executor = SequentialExecutor()
    portfolio = load_portfolio(portfolio_file)
    result = run_portfolio(portfolio, executor, fail_on="never")
    wall = time.perf_counter() - started
    if backend == "ray":
        import ray

        ray.shutdown()
    figures = {
        "backend": backend,
        # This process and the worker processes it started and reaped (Ray's workers are the raylet's
        # children, not ours: not counted).
        "cpu_seconds": _cpu_seconds(),
        "description": executor.description + (", pinned to 1 core" if backend == "one-core" else ""),
        "wall_seconds": round(wall, 2),  # from process start: imports, Ray start, model loads included
        "import_seconds": round(imported, 2),
        "ray_start_seconds": round(ray_start, 2),
        "portfolio_seconds": result.wall_seconds,
        "clients": len(result.outcomes),
        "ok": sum(1 for outcome in result.outcomes if outcome.status == "ok"),
        "client_seconds": [outcome.seconds for outcome in result.outcomes],
        "workers": [
            {"pid": w.pid, "kind": w.kind, "model_loads": w.model_loads, "peak_rss_mib": w.peak_rss_mib}
            for w in result.workers
        ],
        "driver_peak_rss_mib": _peak_rss_mib(),
        "history_kib_per_client": _history_kib(portfolio_file.parent),
        "findings": findings_digest(portfolio.output),
    }
    result_file.write_text(json.dumps(figures, indent=1), encoding="utf-8")


def _history_kib(folder: Path) -> float:
    """The mean size of the clients' run histories (database and write-ahead log) after this one run."""
    sizes = [sum(f.stat().st_size for f in db.parent.glob("history.db*"))
             for db in folder.glob("brands/*/.omniaudit/history.db")]
    return round(sum(sizes) / len(sizes) / 1024, 1) if sizes else 0.0


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 1)


def _peak_rss_mib() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _load() -> str:
    try:
        return "/".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def _table(rows: list[dict[str, Any]]) -> str:
    sequential = next((row["wall_seconds"] for row in rows if row["backend"] == "sequential"), None)
    lines = [
        "| backend | wall s | speed-up vs sequential | CPU s | clients ok | model loads (per worker) | "
        "peak RSS per worker MiB | driver peak RSS MiB | same findings |",
        "|---|---:|---:|---:|---:|---|---|---:|---|",
    ]
    reference = rows[0]["findings"]
    for row in rows:
        loads = [w["model_loads"] for w in row["workers"] if w["kind"] != "ray task"]
        rss = [w["peak_rss_mib"] for w in row["workers"]]
        ratio = f"{sequential / row['wall_seconds']:.2f}x" if sequential else ""
        lines.append(
            f"| {row['description']} | {row['wall_seconds']:.1f} | {ratio} | "
            f"{row['cpu_seconds'] if row['backend'] != 'ray' else 'n/a'} | {row['ok']}/{row['clients']} | "
            f"{sum(loads)} ({', '.join(map(str, loads))}) | {', '.join(f'{v:.0f}' for v in rss)} | "
            f"{row['driver_peak_rss_mib']:.0f} | {'yes' if row['findings'] == reference else 'NO'} |"
        )
    return "\n".join(lines)


def _ceiling(rows: list[dict[str, Any]], workers: int) -> str:
    """What N workers can gain over sequential on this machine: sequential already runs the embedding engine
    on every core, and N workers run N one-core audits at best. Compares the audits alone (portfolio
    seconds), without each process's imports."""
    by = {row["backend"]: row for row in rows}
    if not {"sequential", "one-core"} <= set(by):
        return ""
    one, sequential = by["one-core"]["portfolio_seconds"], by["sequential"]["portfolio_seconds"]
    cores = min(workers, os.cpu_count() or 1)
    return (f"\nThe engine's own threads make sequential {one / sequential:.2f}x faster than on one core, so "
            f"{cores} workers can be at most {cores * sequential / one:.2f}x faster than sequential here "
            f"({cores} x the one-core throughput, before each worker's start-up).")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brands", type=int, default=12)
    parser.add_argument("--size", choices=sorted(make_brand.SIZES), default="tiny")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help="comma-separated, of: " + ", ".join(BACKENDS))
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="default: bench/.data/portfolio-<size>-<N>")
    parser.add_argument("--json", type=Path, default=None, help="write every figure here")
    # Internal: run one backend in this process.
    parser.add_argument("--run", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--portfolio", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.run:
        run_backend(opts.run, opts.portfolio, opts.workers, opts.result)
        return 0

    data = opts.data_dir or BENCH / ".data" / f"portfolio-{opts.size}-{opts.brands}"
    if data.exists():
        shutil.rmtree(data)
    base = data / "base"
    build_portfolio(base, opts.brands, size=opts.size)
    backends = [b for b in BACKENDS if b in opts.backends.split(",")]
    rows = []
    for backend in backends:
        copy = data / backend
        shutil.copytree(base, copy)
        result = data / f"{backend}.json"
        load_before = _load()
        command = [sys.executable, str(Path(__file__).resolve()), "--run", backend, "--portfolio",
                   str(copy / "portfolio.yaml"), "--workers", str(opts.workers), "--result", str(result)]
        subprocess.run(command, check=True)
        row = json.loads(result.read_text(encoding="utf-8"))
        row["load_before"], row["load_after"] = load_before, _load()
        rows.append(row)
        print(f"{backend}: {row['wall_seconds']:.1f} s (load {row['load_before']} -> {row['load_after']})",
              file=sys.stderr)
    print(f"{opts.brands} generated {opts.size} brands, {opts.workers} workers, {os.cpu_count()} cores\n")
    print(_table(rows))
    print(_ceiling(rows, opts.workers))
    if opts.json:
        opts.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    same = all(row["findings"] == rows[0]["findings"] for row in rows)
    complete = all(row["ok"] == row["clients"] for row in rows)
    return 0 if same and complete else 1


if __name__ == "__main__":
    sys.exit(main())
