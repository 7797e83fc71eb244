"""Portfolio progress on stderr for the CLI: a line when a client starts and when it ends, with the count.

    omniaudit: [brightmart] started (pid 4242)
    omniaudit: [2/7] brightmart: multichannel 63/100, 50 findings (3 errors, 21 warnings) in 8.1 s; ~40 s left

On a terminal a status line below them also shows each running client's stage (collect, extract, embed,
analyze). The library only calls `progress(event)`; drawing is the CLI's business.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .task import ClientEvent, ClientOutcome


def describe(outcome: ClientOutcome) -> str:
    """A client's result in a few words, as the progress and the final line show it."""
    row = outcome.row
    if outcome.status == "failed":
        # A config error may list every problem, one per line: the first one stands for them here.
        first, *rest = row["reason"].splitlines() or [""]
        more = f" (and {len(rest)} more line{'s' if len(rest) > 1 else ''})" if rest else ""
        return f"failed: {first}{more}"
    counts = row["findings"] or {}
    total = sum(counts.values())
    text = (f"{row['verdict']} {row['overall']:.0f}/100, {total} finding{'s' if total != 1 else ''} "
            f"({counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings)")
    if outcome.status == "incomplete":
        text += f"; incomplete: {row['reason']}"
    return text


class PortfolioProgress:
    def __init__(self, total: int, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.done = 0
        self._audited = 0
        self._running: dict[str, str] = {}
        self._started = time.perf_counter()

    def __call__(self, event: ClientEvent) -> None:
        if not self.enabled:
            return
        if event.kind == "start":
            self._running[event.client] = "starting"
            where = f" (pid {event.worker})" if event.worker else ""
            self._line(f"omniaudit: [{event.client}] started{where}")
        elif event.kind == "stage":
            self._running[event.client] = event.stage
        elif event.outcome is not None:
            self._running.pop(event.client, None)
            self.done += 1
            outcome = event.outcome
            if outcome.resumed:
                timing = " (finished in the run being resumed)"
            elif outcome.seconds:
                timing = f" in {outcome.seconds:.1f} s"
            else:
                timing = ""
            self._audited += 0 if outcome.resumed or outcome.worker is None else 1
            elapsed = time.perf_counter() - self._started
            left = self.total - self.done
            # From the clients audited in this run: resumed and broken ones took no time.
            eta = f"; ~{elapsed / self._audited * left:.0f} s left" if left and self._audited else ""
            count = f"[{self.done}/{self.total}]"
            self._line(f"omniaudit: {count} {event.client}: {describe(outcome)}{timing}{eta}")
        self._status()

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def _status(self) -> None:
        if not self.tty or not self._running:
            return
        running = ", ".join(f"{client} ({stage})" for client, stage in sorted(self._running.items()))
        elapsed = time.perf_counter() - self._started
        self.stream.write(f"\r\033[K{self.done}/{self.total} done, {elapsed:.0f} s: {running}"[:200])
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
