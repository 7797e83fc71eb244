"""Progress on stderr for the CLI: a redrawn status line on a terminal, one line per stage otherwise.

The library only calls `progress(stage, done, total)`; drawing is the CLI's business.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class Progress:
    """Callable progress sink. On a TTY it redraws one line at most 10 times a second; elsewhere (cron logs,
    CI) it prints a line when a stage starts and when it ends, so logs stay short."""

    def __init__(self, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self._stage = ""
        self._last_draw = 0.0
        self._started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int | None, detail: str = "") -> None:
        if not self.enabled:
            return
        if stage != self._stage:
            self._finish_line()
            self._stage = stage
            if not self.tty:
                self.stream.write(f"omniaudit: {stage}...\n")
                self.stream.flush()
        if self.tty:
            now = time.perf_counter()
            if now - self._last_draw < 0.1 and (total is None or done < total):
                return
            self._last_draw = now
            count = f"{done}/{total}" if total is not None else f"{done}"
            bar = ""
            if total:
                filled = int(20 * min(done, total) / total)
                bar = "[" + "#" * filled + "." * (20 - filled) + "] "
            elapsed = now - self._started
            note = f"  ({detail})" if detail else ""
            self.stream.write(f"\r\033[K{stage}: {bar}{count}{note}  {elapsed:5.1f}s")
            self.stream.flush()

    def _finish_line(self) -> None:
        if self.tty and self._stage:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.enabled:
            self._finish_line()
