"""Progress on stderr for the CLI: click's bar with an ETA on a terminal, one line per stage otherwise.

The library only calls `progress(stage, done, total)`; drawing is the CLI's business.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


class Progress:
    """Callable progress sink. On a TTY each stage with a known total gets click's bar (count, percentage,
    ETA), redrawn at most 10 times a second; a stage without a total shows a running count. Elsewhere (cron
    logs, CI) it prints a line when a stage starts, so logs stay short."""

    def __init__(self, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self._stage = ""
        self._bar: ProgressBar[Any] | None = None
        self._last_draw = 0.0
        self._started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int | None, detail: str = "") -> None:
        if not self.enabled:
            return
        if stage != self._stage:
            self._finish_line()
            self._stage = stage
            self._started = time.perf_counter()
            if not self.tty:
                self.stream.write(f"omniaudit: {stage}...\n")
                self.stream.flush()
        if not self.tty:
            return
        now = time.perf_counter()
        if now - self._last_draw < 0.1 and (total is None or done < total):
            return
        self._last_draw = now
        if total:
            self._draw_bar(stage, done, total, detail)
            return
        note = f"  ({detail})" if detail else ""
        self.stream.write(f"\r\033[K{stage}: {done}{note}  {now - self._started:5.1f}s")
        self.stream.flush()

    def _draw_bar(self, stage: str, done: int, total: int, detail: str) -> None:
        if self._bar is None:
            self._bar = click.progressbar(
                length=total,
                label=stage,
                file=self.stream,
                show_eta=True,
                show_percent=True,
                show_pos=True,
                width=20,
                item_show_func=lambda item: item,
            )
            self._bar.render_progress()
        bar = self._bar
        bar.length = max(total, done)  # a crawl finds more pages as it goes
        bar.update(max(0, done - bar.pos), current_item=detail or None)

    def _finish_line(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None
        elif self.tty and self._stage:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.enabled:
            self._finish_line()
