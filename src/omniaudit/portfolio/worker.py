"""What lives in a worker: the models it loaded (each once), and the loop of a local worker process.

A worker audits many clients; loading the embedding model is the one expensive thing they share, so a worker
keeps every model it loaded (keyed by what `model:` selects) and hands it to each client's audit, behind that
client's own embedding cache. `SharedModels.loads` counts the loads, which the benchmark reports.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from ..analyze.embed import Embedder, choose_model, load_embedder
from .task import ClientTask, WorkerInfo, audit_client, peak_rss_mib


@contextlib.contextmanager
def _thread_budget(cores: Sequence[int]) -> Iterator[None]:
    """While a model loads, this process may run only on `cores`: each engine (onnxruntime, the USE runtime)
    sizes its thread pool from the cores it may use. Afterwards the process may run on any core again, so a
    core that something else keeps busy does not hold the worker back."""
    if not cores or not hasattr(os, "sched_setaffinity"):
        yield
        return
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(cores))
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


class SharedModels:
    """An EmbedderLoader that counts the models this process loaded. `load_embedder` keeps each model once
    per process, so every client audited here after the first gets the model already in memory. With `cores`,
    a model is sized to that many threads (a worker's share of the machine)."""

    def __init__(self, cores: Sequence[int] = ()) -> None:
        self.cores = tuple(cores)
        self.loads = 0
        self._seen: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    def __call__(
        self,
        name: str,
        *,
        batch_size: int = 64,
        device: str = "auto",
        languages: Iterable[str] | None = None,
        backend: str = "auto",
    ) -> Embedder:
        languages = list(languages or [])
        choice = choose_model(name, languages, backend)
        key = (choice.backend, choice.cache_id, device)
        with self._lock, _thread_budget(self.cores if key not in self._seen else ()):
            embedder = load_embedder(name, batch_size=batch_size, device=device, languages=languages,
                                     backend=backend)
            if key not in self._seen:
                self._seen.add(key)
                self.loads += 1
        return embedder

    def info(self, kind: str) -> WorkerInfo:
        return WorkerInfo(os.getpid(), kind, self.loads, peak_rss_mib())


class _PipeLogHandler(logging.Handler):
    """A worker's library warnings go to the parent, which logs them where the CLI said (stderr)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(logging.WARNING)
        self._conn = conn

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._conn.send(("log", record.levelno, record.getMessage()))
        except (OSError, ValueError):
            pass


def _send_stage(conn: Connection, client: str, stage: str) -> None:
    conn.send(("stage", client, stage))


def worker_main(conn: Connection, cores: Sequence[int]) -> None:
    """A local worker process: receive ClientTasks until None, answer ("stage", client, stage) while auditing
    and ("done", ClientOutcome) at the end. Started with the spawn method, so nothing is inherited.

    Its models run `len(cores)` threads: N workers on N cores compute with one thread each instead of N
    threads each fighting for the cores."""
    if cores:
        # Read by torch's OpenMP pool when torch is first imported; the other engines: see _thread_budget.
        os.environ["OMP_NUM_THREADS"] = str(len(cores))
    root = logging.getLogger("omniaudit")
    root.handlers[:] = [_PipeLogHandler(conn)]
    root.propagate = False
    root.setLevel(logging.WARNING)
    models = SharedModels(cores)
    try:
        while True:
            task: ClientTask | None = conn.recv()
            if task is None:
                return
            outcome = audit_client(
                task,
                models,
                on_stage=functools.partial(_send_stage, conn, task.id),
                worker=lambda: models.info("worker process"),
            )
            conn.send(("done", outcome))
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        # Ctrl-C reaches the whole process group, and the parent reports it; a closed pipe means the parent
        # is gone. Either way, leave quietly.
        return


# What a client task asks its model actor for: name, batch size, device, the brand's languages, engine.
ModelSpec = tuple[str, int, str, list[str], str]


class ModelHost:
    """A long-lived Ray actor that holds the models and embeds for every client task sent its way."""

    def __init__(self) -> None:
        self._models = SharedModels()

    def describe(self, model: ModelSpec) -> tuple[str, bool, tuple[str, ...] | None]:
        """Load the model (once) and say what the proxy must report: model id, multilingual, languages."""
        embedder = self._load(model)
        return embedder.model_id, embedder.multilingual, getattr(embedder, "languages", None)

    def encode(self, model: ModelSpec, texts: list[str]) -> np.ndarray:
        return self._load(model).encode(texts)

    def info(self) -> WorkerInfo:
        return self._models.info("ray model actor")

    def _load(self, model: ModelSpec) -> Embedder:
        name, batch_size, device, languages, backend = model
        return self._models(name, batch_size=batch_size, device=device, languages=languages, backend=backend)


class ActorEmbedder:
    """The Embedder a Ray client task uses: the model stays in its actor; only texts and vectors travel."""

    def __init__(self, actor: Any, model: ModelSpec) -> None:
        import ray

        self._actor = actor
        self._model = model
        self.model_id, self.multilingual, self.languages = ray.get(actor.describe.remote(model))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import ray

        return np.asarray(ray.get(self._actor.encode.remote(self._model, list(texts))), dtype=np.float32)


def ray_audit_client(task: ClientTask, actor: Any) -> Any:
    """A Ray task: one client's audit, embedding through `actor`."""

    def loader(name: str, *, batch_size: int = 64, device: str = "auto",
               languages: Iterable[str] | None = None, backend: str = "auto") -> Embedder:
        return ActorEmbedder(actor, (name, batch_size, device, list(languages or []), backend))

    return audit_client(task, loader, worker=lambda: WorkerInfo(os.getpid(), "ray task", 0, peak_rss_mib()))
