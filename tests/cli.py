"""The `omniaudit` command in a real subprocess, as a user or a cron job runs it (never a model hub)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def omniaudit(
    *args: str, cwd: Path | None = None, preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m omniaudit ARGS`; `preexec_fn` runs in the child before it starts (resource limits)."""
    return subprocess.run(
        [sys.executable, "-m", "omniaudit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        preexec_fn=preexec_fn,
        timeout=600,
    )
