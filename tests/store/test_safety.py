"""Safe under schedulers: one writer at a time with a clear message, and a SIGKILL mid-run loses nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from omniaudit.errors import OmniauditError
from omniaudit.store import open_store

from .conftest import BuildResult, finding

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")

# A second process using the store the way an audit does. "hold": take the lock and wait for a line on stdin.
# "record-and-hang": record a run whose documents stop coming half-way (the process is then killed).
CHILD = """
import sys, time
from omniaudit.models import AuditResult, DimensionScore
from omniaudit.store import open_store

path, mode = sys.argv[1], sys.argv[2]
store = open_store(path)
if mode == "hold":
    print("locked", flush=True)
    sys.stdin.readline()
    store.close()
    sys.exit(0)

def documents():
    for i in range(2000):
        if i == 1000:
            print("mid-run", flush=True)
            time.sleep(600)
        text = "text " * 200 + str(i)
        yield {"channel": "website", "uri": f"site/page{i}.html", "hash": f"h{i:05d}", "text": text}

result = AuditResult(brand="Acme", verdict="omnichannel", overall=90.0,
                     scores=(DimensionScore("facts", 90.0, ""),), findings=(), failures=(), channels=(),
                     coverage=(), message_ids=(), alignment=(), started_at="2026-11-23T09:00:00+00:00")
store.record_run(result, documents=documents())
print("finished", flush=True)
"""


def _child(tmp_path: Path, db: Path, mode: str) -> subprocess.Popen[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(db), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    expected = "locked" if mode == "hold" else "mid-run"
    assert line == expected, process.stderr.read() if process.stderr else line
    return process


def test_a_second_writer_is_refused_with_the_holders_pid(tmp_path: Path, make_result: BuildResult) -> None:
    db = tmp_path / "history.db"
    with open_store(db) as store:
        store.record_run(make_result([finding("facts.off_book", "x")]))
    holder = _child(tmp_path, db, "hold")
    try:
        with pytest.raises(OmniauditError) as info:
            open_store(db)
        assert str(info.value) == (
            f"another omniaudit run is using {db} (pid {holder.pid}); "
            "wait for it to finish or set a different history.path"
        )
        # Readers (history, diff) are not blocked by a running audit.
        with open_store(db, lock=False) as reader:
            assert [run.id for run in reader.list_runs()] == [1]
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    with open_store(db) as store:  # released: the next run goes ahead
        assert store.locked


def test_a_writer_that_waits_runs_after_the_first_one(tmp_path: Path, make_result: BuildResult) -> None:
    db = tmp_path / "history.db"
    holder = _child(tmp_path, db, "hold")
    release = threading.Timer(0.5, lambda: holder.communicate("\n", timeout=30))
    release.start()
    started = time.monotonic()
    try:
        with open_store(db, wait=20) as store:
            waited = time.monotonic() - started
            store.record_run(make_result())
    finally:
        release.join()
    assert waited >= 0.4
    assert holder.returncode == 0


def test_sigkill_mid_run_leaves_the_previous_run_intact(tmp_path: Path, make_result: BuildResult) -> None:
    db = tmp_path / "history.db"
    docs = [{"channel": "website", "uri": "site/index.html", "hash": "aaa", "text": "Welcome."}]
    first = make_result([finding("facts.off_book", "Return window is 14 days")], documents=docs, overall=61.5)
    with open_store(db) as store:
        store.record_run(first)
    process = _child(tmp_path, db, "record-and-hang")
    # The child is inside record_run's transaction with 1000 documents written but not committed.
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_store(db) as store:  # the kernel released the dead process's lock
        runs = store.list_runs()
        assert [(run.id, run.overall, run.findings, run.documents) for run in runs] == [(1, 61.5, 1, 1)]
        assert store.load_run("last").findings[0].message == "Return window is 14 days"
        leftovers = store.connection.execute("SELECT COUNT(*) FROM documents WHERE run_id != 1").fetchone()[0]
        assert leftovers == 0
        assert store.connection.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 1
        # And the store keeps working: the next run is number 2.
        assert store.record_run(make_result()) == 2
