"""Where clients are audited: in this process, in local worker processes, or on a Ray cluster.

Every backend has one method, `run(tasks, on_event) -> [WorkerInfo]`: audit every task, report progress
through `on_event`, and send exactly one "done" event per task, also when the worker auditing it died (then
the outcome is failed, with the reason, and the other clients go on). Clients that fetch from the same web
host never run at the same time, so a host sees the crawl rate of one audit whatever the number of workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from ..errors import MissingDependency
from .task import ClientEvent, ClientTask, WorkerInfo, audit_client, failed_outcome
from .worker import ModelHost, SharedModels, ray_audit_client, worker_main

log = logging.getLogger(__name__)

EventSink = Callable[[ClientEvent], None]
# How long a worker gets to finish its loop once told to stop, before it is terminated.
_STOP_SECONDS = 10.0


class Executor(Protocol):
    @property
    def description(self) -> str:
        """How clients run, e.g. "2 worker processes": shown in progress and in the summary."""
        ...

    def run(self, tasks: Sequence[ClientTask], on_event: EventSink) -> list[WorkerInfo]:
        """Audit every task; one "done" event per task. Returns what each worker ended with."""
        ...


def _take_next(pending: list[ClientTask], busy_hosts: set[str]) -> ClientTask | None:
    """The first pending task that fetches from no host a running task fetches from."""
    for index, task in enumerate(pending):
        if not task.hosts & busy_hosts:
            return pending.pop(index)
    return None


class SequentialExecutor:
    """One client after another in this process, with one copy of each model."""

    description = "in-process, one client at a time"

    def __init__(self) -> None:
        self.models = SharedModels()

    def run(self, tasks: Sequence[ClientTask], on_event: EventSink) -> list[WorkerInfo]:
        pid = os.getpid()
        for task in tasks:
            on_event(ClientEvent("start", task.id, pid))

            def stage(name: str, client: str = task.id) -> None:
                on_event(ClientEvent("stage", client, pid, name))

            outcome = audit_client(
                task, self.models, on_stage=stage, worker=lambda: self.models.info("in-process")
            )
            on_event(ClientEvent("done", task.id, pid, outcome=outcome))
        return [self.models.info("in-process")]


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    cores: tuple[int, ...]
    task: ClientTask | None = None
    info: WorkerInfo | None = None


def _core_shares(workers: int) -> list[tuple[int, ...]]:
    """Each of `workers` processes' share of the cores this process may use, which sizes its models' thread
    pools (one core each, round robin, when there are more workers than cores); empty where the platform
    cannot say."""
    if not hasattr(os, "sched_getaffinity"):
        return [()] * workers
    cores = sorted(os.sched_getaffinity(0))
    size = max(1, len(cores) // workers)
    return [tuple(cores[(index * size + offset) % len(cores)] for offset in range(size))
            for index in range(workers)]


def _death(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exit status {code}"
    return (f"its worker process (pid {process.pid}) died while auditing this client ({how}); the other "
            "clients were not affected")


@dataclass
class ProcessExecutor:
    """`workers` local processes (spawned, so each starts clean), each loading every model it needs once and
    auditing one client at a time; a worker that dies fails only the client it held and is replaced."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def description(self) -> str:
        return f"{self.workers} worker process{'es' if self.workers != 1 else ''}"

    def run(self, tasks: Sequence[ClientTask], on_event: EventSink) -> list[WorkerInfo]:
        context = multiprocessing.get_context("spawn")
        count = max(1, min(self.workers, len(tasks)))
        shares = _core_shares(count)
        ended: list[WorkerInfo] = []

        def start(share: tuple[int, ...]) -> _Slot:
            parent, child = context.Pipe()
            process = context.Process(target=worker_main, args=(child, share), daemon=True,
                                      name="omniaudit-portfolio-worker")
            process.start()
            child.close()
            return _Slot(process, parent, share)

        pending = list(tasks)
        slots: list[_Slot] = []
        try:
            slots = [start(share) for share in shares] if tasks else []
            while pending or any(slot.task for slot in slots):
                busy = {host for slot in slots if slot.task for host in slot.task.hosts}
                for slot in slots:
                    if slot.task is None and pending and (task := _take_next(pending, busy)) is not None:
                        slot.task = task
                        busy |= task.hosts
                        slot.conn.send(task)
                        on_event(ClientEvent("start", task.id, slot.process.pid))
                working = [slot for slot in slots if slot.task]
                wait([slot.conn for slot in working] + [slot.process.sentinel for slot in working])
                for slot in list(slots):
                    self._read(slot, on_event)
                    if slot.process.is_alive():
                        continue
                    self._read(slot, on_event)  # what it sent just before it ended
                    if slot.task is not None:
                        outcome = failed_outcome(slot.task, _death(slot.process))
                        on_event(ClientEvent("done", slot.task.id, slot.process.pid, outcome=outcome))
                        slot.task = None
                    ended.append(slot.info or WorkerInfo(slot.process.pid or 0, "worker process (died)"))
                    slot.conn.close()
                    slots.remove(slot)
                    if pending:
                        slots.append(start(slot.cores))  # the replacement loads its models again
        finally:
            for slot in slots:
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
            for slot in slots:
                slot.process.join(_STOP_SECONDS)
                if slot.process.is_alive():
                    slot.process.terminate()
                    slot.process.join()
                slot.conn.close()
        return ended + [slot.info or WorkerInfo(slot.process.pid or 0, "worker process") for slot in slots]

    @staticmethod
    def _read(slot: _Slot, on_event: EventSink) -> None:
        pid = slot.process.pid
        try:
            while slot.conn.poll():
                message = slot.conn.recv()
                if message[0] == "stage":
                    on_event(ClientEvent("stage", message[1], pid, message[2]))
                elif message[0] == "log":
                    log.log(message[1], "%s", message[2])
                elif message[0] == "done":
                    outcome = message[1]
                    slot.info = outcome.worker or slot.info
                    slot.task = None
                    on_event(ClientEvent("done", outcome.client, pid, outcome=outcome))
        except (EOFError, OSError):
            return  # the worker is gone; the caller sees it in is_alive()


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MissingDependency(
            "the Ray backend needs the package ray: pip install 'omniaudit[ray]'"
        ) from None
    return ray


def _ray_failure(exc: Exception) -> str:
    ray = _import_ray()
    if isinstance(exc, ray.exceptions.WorkerCrashedError):
        return "its Ray worker died while auditing this client; the other clients were not affected"
    if isinstance(exc, ray.exceptions.RayActorError):
        return "its model actor died while embedding this client's text; the other clients were not affected"
    first = str(exc).strip().splitlines()
    return f"Ray could not run this client: {first[0] if first else type(exc).__name__}"


@dataclass
class RayExecutor:
    """One Ray task per client (1 CPU each); the models live in `actors` long-lived actors, spread over the
    nodes, that every task embeds through: the cluster loads each model once per actor, not once per client.
    Connects to `address` ("auto": the cluster of RAY_ADDRESS or of `ray start` on this machine, else a local
    instance) unless Ray is already initialised in this process."""

    address: str = "auto"
    actors: int | None = None  # default: one per GPU of the cluster, else one per two CPUs

    @property
    def description(self) -> str:
        return f"Ray ({self.address})"

    def run(self, tasks: Sequence[ClientTask], on_event: EventSink) -> list[WorkerInfo]:
        ray = _import_ray()
        started_here = not ray.is_initialized()
        if started_here:
            # Ray's own start-up notices would interleave with the progress lines; its errors still show.
            ray.init(address=None if self.address == "auto" else self.address, include_dashboard=False,
                     logging_level=logging.ERROR)
        hosts: list[Any] = []
        try:
            resources = ray.cluster_resources()
            cpus = max(1, int(resources.get("CPU", 1)))
            gpus = int(resources.get("GPU", 0))
            # With GPUs, one model actor per GPU does the embedding; without, one per two CPUs, whose threads
            # share the CPUs with the client tasks (which mostly wait for them).
            count = max(1, self.actors or gpus or cpus // 2)
            host_class = ray.remote(
                num_cpus=0, num_gpus=min(1.0, gpus / count) if gpus else 0, max_restarts=1,
                scheduling_strategy="SPREAD",
            )(ModelHost)
            hosts = [host_class.remote() for _ in range(count)]
            audit = ray.remote(num_cpus=1, max_retries=0)(ray_audit_client)
            pending = list(tasks)
            running: dict[Any, ClientTask] = {}
            submitted = 0

            def submit() -> None:
                nonlocal submitted
                busy = {host for task in running.values() for host in task.hosts}
                # At most one client per CPU in flight: a task waiting for its model actor gives its CPU back
                # to Ray, which would otherwise start more tasks (each a worker process importing everything)
                # than there are CPUs to run them.
                while len(running) < cpus and pending and (task := _take_next(pending, busy)) is not None:
                    busy |= task.hosts
                    running[audit.remote(task, hosts[submitted % count])] = task
                    submitted += 1

            submit()
            infos: dict[int, WorkerInfo] = {}
            while running:
                ready, _ = ray.wait(list(running), num_returns=1)
                task = running.pop(ready[0])
                try:
                    outcome = ray.get(ready[0])
                except ray.exceptions.RayError as exc:
                    outcome = failed_outcome(task, _ray_failure(exc))
                if outcome.worker is not None:
                    infos[outcome.worker.pid] = outcome.worker
                on_event(ClientEvent("done", task.id, outcome.worker.pid if outcome.worker else None,
                                     outcome=outcome))
                submit()
            return [*infos.values(), *ray.get([host.info.remote() for host in hosts])]
        finally:
            for host in hosts:
                ray.kill(host)
            if started_here:
                ray.shutdown()
