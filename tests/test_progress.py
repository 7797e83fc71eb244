"""Progress on stderr: click's bar with an ETA on a terminal (the hand-written line had none), one plain line
per stage when stderr is a file or a pipe."""

from __future__ import annotations

import io
import os
import re
import time

import pytest

from omniaudit.progress import Progress


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_gets_a_bar_with_position_percentage_and_eta() -> None:
    leader, follower = os.openpty()
    os.set_blocking(leader, False)
    with open(follower, "w", encoding="utf-8", closefd=True) as terminal:
        assert terminal.isatty()
        with Progress(stream=terminal) as progress:
            for done in range(0, 21):
                progress("collect", done, 20, f"page {done}")
                time.sleep(0.11)  # redrawn at most 10 times a second; click estimates after a second
            progress("extract", 3, None)
        terminal.flush()
        shown = _read_all(leader)
    os.close(leader)
    assert "collect" in shown
    assert re.search(r"\b10/20\b", shown)
    assert "50%" in shown
    assert re.search(r"\b1[0-9]/20\s+\d+%\s+00:00:0\d", shown)  # the ETA
    assert "page 5" in shown
    assert "extract: 3" in shown


def test_a_log_file_gets_one_line_per_stage() -> None:
    log = io.StringIO()
    with Progress(stream=log) as progress:
        for done in range(5):
            progress("collect", done, 4)
        progress("extract", 1, None)
    assert log.getvalue() == "omniaudit: collect...\nomniaudit: extract...\n"


def test_quiet_draws_nothing() -> None:
    log = io.StringIO()
    with Progress(stream=log, enabled=False) as progress:
        progress("collect", 1, 2)
    assert log.getvalue() == ""
