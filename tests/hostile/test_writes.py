"""Disk and permission faults while writing reports and the history: one line naming the file and what to do,
exit 2 (never 1, which means findings), no empty or cut file, and nothing already collected lost.

Faults are real where the machine allows: a file size limit (RLIMIT_FSIZE, any user), a small tmpfs (root),
a read-only folder (chmod for users, a read-only bind mount for root). Where none is possible, the disk-full
message is checked with the fault injected at the write call.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest

from omniaudit import atomic
from omniaudit.atomic import write_atomic
from omniaudit.errors import OmniauditError, StorageError
from omniaudit.store import open_store
from tests.cli import omniaudit as run_omniaudit
from tests.store.conftest import build_result

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file size limits and mounts")

SENTENCE = "Acme makes home repairs simple and every repair comes with a written quote."
CONFIG = """\
brand: {name: Acme}
brand_book: {key_messages: [{id: simple, text: Acme makes home repairs simple.}]}
channels:
  - {id: care, type: service, connector: service_folder, source: care/}
"""


def omniaudit(*args: str, cwd: Path, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a real subprocess; `file_limit` caps every file it writes (writes beyond fail: EFBIG)."""

    def limit() -> None:
        if file_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return run_omniaudit(*args, cwd=cwd, preexec_fn=limit)


def brand(tmp_path: Path, text: str = SENTENCE) -> Path:
    (tmp_path / "care").mkdir(exist_ok=True)
    (tmp_path / "care" / "answers.txt").write_text(text, encoding="utf-8")
    config = tmp_path / "omniaudit.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def errors_of(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("omniaudit: error: ")]


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def stored_runs(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])


@pytest.mark.slow
def test_a_report_over_the_file_size_limit_leaves_the_old_file_and_keeps_the_others(tmp_path: Path) -> None:
    config = brand(tmp_path)
    (tmp_path / "report.html").write_text("the previous report", encoding="utf-8")
    # 16 KB: the JSON report (~6 KB) fits, the HTML report (~27 KB) does not.
    result = omniaudit(
        "audit", str(config), "-q", "--no-history", "--fail-on", "never", "-o", "report.json", "-o",
        "report.html", cwd=tmp_path, file_limit=16_000,
    )
    assert result.returncode == 2, result.stderr
    assert errors_of(result.stderr) == [
        "omniaudit: error: report.html: cannot write the report: the file is larger than this process may "
        "write; raise the file size limit (ulimit -f) or write it elsewhere (1 other report(s) were written)"
    ]
    assert result.stderr.count("\n") == 1
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "the previous report"
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["brand"] == "Acme"
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_run_is_recorded_only_with_its_reports(tmp_path: Path) -> None:
    config = brand(tmp_path)
    db = tmp_path / ".omniaudit" / "history.db"
    first = omniaudit("audit", str(config), "-q", "--fail-on", "never", "-o", "report.json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert stored_runs(db) == 1

    # A report that cannot be written: the others are, and the run is not recorded.
    (tmp_path / "blocker").write_text("a file where the report's folder should be", encoding="utf-8")
    (tmp_path / "report.json").unlink()
    blocked = omniaudit(
        "audit", str(config), "-q", "--fail-on", "never", "-o", "report.json", "-o", "blocker/report.html",
        cwd=tmp_path,
    )
    assert blocked.returncode == 2, blocked.stderr
    assert errors_of(blocked.stderr) == [
        "omniaudit: error: blocker/report.html: cannot create its folder for the report: a file is in the "
        "way of its folder; move that file or choose another path (1 other report(s) were written; this run "
        "is not recorded in the history)"
    ]
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["brand"] == "Acme"
    assert stored_runs(db) == 1

    # The history cannot grow (a new 64 KB document needs more than the 48 KB a file may have): the reports
    # are written, the history keeps its one run.
    brand(tmp_path, " ".join([SENTENCE] * 850))
    full = omniaudit(
        "audit", str(config), "-q", "--fail-on", "never", "-o", "report.json", cwd=tmp_path, file_limit=48_000
    )
    assert full.returncode == 2, full.stderr
    errors = errors_of(full.stderr)
    assert len(errors) == 1 and errors[0].startswith(
        f"omniaudit: error: {db}: cannot record this run in the history: "
    ), full.stderr
    assert errors[0].endswith("(the reports were written; earlier runs are unchanged)")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["stats"]["since_last_run"]["previous_run"] == 1  # this run's report, compared with run 1
    assert stored_runs(db) == 1
    assert leftovers(tmp_path) == []


def test_collected_text_over_the_file_size_limit_is_one_line_and_no_file(tmp_path: Path) -> None:
    config = brand(tmp_path, "\n\n".join(f"{SENTENCE} Number {i}." for i in range(400)))
    result = omniaudit("collect", str(config), "-q", "-o", "collected.jsonl", cwd=tmp_path, file_limit=8_000)
    assert result.returncode == 2, result.stderr
    assert errors_of(result.stderr) == [
        "omniaudit: error: collected.jsonl: cannot write the collected text: the file is larger than this "
        "process may write; raise the file size limit (ulimit -f) or write it elsewhere"
    ]
    assert not (tmp_path / "collected.jsonl").exists()
    assert leftovers(tmp_path) == []


@contextmanager
def mounted(target: Path, *options: str, source: str = "tmpfs") -> Iterator[Path]:
    """A real mount (tmpfs or a bind) at `target`; skips where this process may not mount."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting needs root")
    target.mkdir(exist_ok=True)
    args = ["mount", *options, source, str(target)]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_full_disk_leaves_no_file_and_says_so(tmp_path: Path) -> None:
    with mounted(tmp_path / "small", "-t", "tmpfs", "-o", "size=16k") as small:
        (small / "report.html").write_text("the previous report", encoding="utf-8")
        with pytest.raises(StorageError) as info:
            write_atomic(small / "report.html", "x" * 64_000, what="the report")
        assert str(info.value) == (
            f"{small / 'report.html'}: cannot write the report: the disk is full; free some space or write "
            "it elsewhere"
        )
        assert (small / "report.html").read_text(encoding="utf-8") == "the previous report"
        assert sorted(path.name for path in small.iterdir()) == ["report.html"]


def test_the_disk_full_message_where_no_small_disk_can_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same message with ENOSPC injected at the write call (runs everywhere, root or not)."""
    from omniaudit.cli import write_reports

    written: list[int] = []

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        if not written:
            written.append(fd)
            return real_write(fd, bytes(data[:100]))  # part of it reaches the disk, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_write = os.write
    monkeypatch.setattr(atomic.os, "write", full_disk)
    with pytest.raises(StorageError) as info:
        write_reports(build_result(), None, [str(tmp_path / "report.json")], history=True)
    monkeypatch.undo()
    assert str(info.value) == (
        f"{tmp_path / 'report.json'}: cannot write the report: the disk is full; free some space or write it "
        "elsewhere (this run is not recorded in the history)"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_during_the_history_commit_keeps_every_earlier_run(tmp_path: Path) -> None:
    with mounted(tmp_path / "small", "-t", "tmpfs", "-o", "size=2m") as small:
        db = small / "history.db"
        with open_store(db) as store:
            store.record_run(build_result())
            filler = small / "filler"
            with open(filler, "wb") as handle, pytest.raises(OSError):
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            documents = [{"channel": "web", "uri": f"p{i}", "text": f"page {i} " * 4000} for i in range(20)]
            with pytest.raises(StorageError) as info:
                store.record_run(build_result(documents=documents))
            assert str(info.value) == (
                f"{db}: cannot record this run in the history: the disk is full; free some space and run the "
                "audit again"
            )
        filler.unlink()
        with open_store(db, lock=False) as store:
            assert [run.id for run in store.list_runs()] == [1]


def test_a_read_only_folder_is_one_line_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.json").write_text("{}", encoding="utf-8")
    if os.geteuid() == 0:  # root ignores file modes: a read-only bind mount is the real thing
        context = mounted(tmp_path / "ro", "--bind", "-o", "ro", source=str(folder))
        expected = "the file system is read-only; write it elsewhere"
    else:
        folder.chmod(0o500)
        context = nullcontext(folder)
        expected = "permission denied; choose a folder you can write to, or fix its permissions"
    try:
        with context as target:
            with pytest.raises(StorageError) as info:
                write_atomic(target / "report.json", '{"new": true}', what="the report")
            assert str(info.value) == f"{target / 'report.json'}: cannot write the report: {expected}"
            assert (target / "report.json").read_text(encoding="utf-8") == "{}"
            assert [path.name for path in target.iterdir()] == ["report.json"]
    finally:
        folder.chmod(0o700)


def test_a_read_only_history_is_one_line_that_never_says_move_it_away(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    with open_store(folder / "history.db") as store:
        store.record_run(build_result())
    if os.geteuid() == 0:
        context = mounted(tmp_path / "ro", "--bind", "-o", "ro", source=str(folder))
    else:
        (folder / "history.db").chmod(0o400)
        folder.chmod(0o500)
        context = nullcontext(folder)
    try:
        with context as target, pytest.raises(OmniauditError) as info:
            with open_store(target / "history.db") as store:
                store.record_run(build_result())
        message = str(info.value)
        assert "\n" not in message and str(target) in message and "move it away" not in message
    finally:
        folder.chmod(0o700)
    with open_store(folder / "history.db", lock=False) as store:
        assert len(store.list_runs()) == 1


def test_an_atomic_write_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.md"
    write_atomic(target, "first")
    target.chmod(0o640)
    write_atomic(target, "second ✓")
    assert target.read_text(encoding="utf-8") == "second ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    assert leftovers(target.parent) == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_standard_output_is_one_line_and_the_run_is_not_recorded(tmp_path: Path) -> None:
    config = brand(tmp_path)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "omniaudit", "audit", str(config), "-o", "-"],
            stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
            env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=600,
        )
    assert done.returncode == 2
    assert errors_of(done.stderr) == [
        "omniaudit: error: standard output: cannot write the report: the disk is full; "
        "free some space or write it elsewhere (this run is not recorded in the history)"
    ]
    history = tmp_path / ".omniaudit" / "history.db"
    assert not history.exists() or stored_runs(history) == 0
