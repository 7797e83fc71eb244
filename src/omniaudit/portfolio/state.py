"""The run state in the output folder: which clients of the last run finished, so `--resume` skips them.

Written after every client (replaced atomically), so a run that is killed, interrupted or loses clients to
dead workers leaves a state that says exactly what is done. A client counts as done when it was audited
(status ok or incomplete) with the same config it has now; failed clients and clients never reached run again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..store.history import config_digest
from .config import Client
from .task import ClientOutcome

STATE_FILE = "portfolio-state.json"
STATE_VERSION = 1
_DONE = ("ok", "incomplete")


@dataclass
class RunState:
    path: Path
    portfolio: str
    started_at: str
    finished: bool = False
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> RunState | None:
        """The state of the previous run in this output folder, or None when there is none (or it is not
        a state file this version can read: then everything runs again)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return None
        clients = data.get("clients")
        return cls(path, str(data.get("portfolio", "")), str(data.get("started_at", "")),
                   bool(data.get("finished")), clients if isinstance(clients, dict) else {})

    def done(self, client: Client) -> ClientOutcome | None:
        """The earlier outcome of `client` when it finished with the config it has now."""
        entry = self.clients.get(client.id)
        if (
            not isinstance(entry, dict)
            or entry.get("status") not in _DONE
            or entry.get("config_digest") != config_digest(client.config)
            or not isinstance(entry.get("row"), dict)
        ):
            return None
        seconds = float(entry.get("seconds", 0.0))
        return ClientOutcome(client.id, entry["status"], entry["row"], seconds=seconds, resumed=True)

    def record(self, client: Client, outcome: ClientOutcome, finished_at: str) -> None:
        self.clients[client.id] = {
            "status": outcome.status,
            "config_digest": config_digest(client.config),
            "finished_at": finished_at,
            "seconds": outcome.seconds,
            "row": outcome.row,
        }
        self.save()

    def save(self) -> None:
        data = {"version": STATE_VERSION, "portfolio": self.portfolio, "started_at": self.started_at,
                "finished": self.finished, "clients": self.clients}
        # Atomic: a run killed while saving leaves the previous state, never half of one.
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1), what="the portfolio state")
