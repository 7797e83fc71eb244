"""The SQLite file behind the run history and the embedding cache: opening, locking, schema migrations.

One audit at a time writes to a store: `open_store` takes an exclusive lock file next to the database
(`history.db.lock`, fcntl.flock, released by the kernel even when the holder is SIGKILLed), and every run is
written in one transaction, so a run killed mid-way leaves the previous runs as they were. Readers (`history`,
`diff`) open without the lock: WAL mode lets them read while an audit writes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from ..errors import OmniauditError

log = logging.getLogger(__name__)

# Ordered migrations: (version, statements). A database at version N gets every migration above N, each in
# its own transaction. Never edit a released migration; append a new one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                brand TEXT NOT NULL,
                config_path TEXT NOT NULL,
                config_digest TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                verdict TEXT NOT NULL,
                overall REAL NOT NULL,
                failures INTEGER NOT NULL
            )""",
            "CREATE INDEX runs_brand ON runs (brand, id)",
            """CREATE TABLE scores (
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                dimension TEXT NOT NULL,
                score REAL NOT NULL,
                explanation TEXT NOT NULL,
                PRIMARY KEY (run_id, dimension)
            )""",
            # Document texts are stored once per distinct content, however many runs saw them.
            "CREATE TABLE texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID",
            """CREATE TABLE documents (
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                uri TEXT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (run_id, channel, uri)
            )""",
            """CREATE TABLE facts (
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                unit TEXT NOT NULL,
                subject TEXT NOT NULL,
                text TEXT NOT NULL,
                quote TEXT NOT NULL,
                uri TEXT NOT NULL,
                line INTEGER
            )""",
            "CREATE INDEX facts_run ON facts (run_id)",
            """CREATE TABLE findings (
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                dimension TEXT NOT NULL,
                severity TEXT NOT NULL,
                message TEXT NOT NULL,
                channels TEXT NOT NULL,
                key TEXT NOT NULL,
                subject TEXT NOT NULL,
                evidence TEXT NOT NULL,
                PRIMARY KEY (run_id, ordinal)
            )""",
            "CREATE INDEX findings_fingerprint ON findings (run_id, fingerprint)",
        ),
    ),
    (
        2,
        (
            # Sentence vectors by (model, sha256 of the text), float32 little-endian.
            """CREATE TABLE embeddings (
                model TEXT NOT NULL,
                text_hash TEXT NOT NULL,
                dim INTEGER NOT NULL,
                vector BLOB NOT NULL,
                PRIMARY KEY (model, text_hash)
            ) WITHOUT ROWID""",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _acquire_lock(db_path: Path, wait: float) -> int:
    """An exclusive lock on `<db>.lock` holding our pid; raises with the holder's pid when it is taken."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OmniauditError(f"{lock_path}: cannot create the history lock: {exc.strerror or exc}") from None
    deadline = time.monotonic() + wait
    while True:
        try:
            _lock_fd(fd)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _read_pid(fd)
                os.close(fd)
                who = f" (pid {holder})" if holder else ""
                raise OmniauditError(
                    f"another omniaudit run is using {db_path}{who}; wait for it to finish or set a "
                    "different history.path"
                ) from None
            time.sleep(0.1)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _lock_fd(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            raise BlockingIOError from None
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


D = TypeVar("D", bound="Database")


class Database:
    """An open history database. Use `with open_store(path) as store:`; closing releases the lock."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock_fd: int | None) -> None:
        self.path = path
        self.connection = connection
        self._lock_fd = lock_fd

    @property
    def locked(self) -> bool:
        return self._lock_fd is not None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all of it is written, or none of it."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def __enter__(self: D) -> D:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def schema_version(connection: sqlite3.Connection) -> int:
    row = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    found = connection.execute("SELECT version FROM schema_version").fetchone()
    return int(found[0]) if found else 0


def migrate(connection: sqlite3.Connection, path: Path, *, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target`, one transaction per migration; returns the version reached."""
    current = schema_version(connection)
    if current > SCHEMA_VERSION:
        raise OmniauditError(
            f"{path}: the history was written by a newer omniaudit (schema {current}, this one knows "
            f"{SCHEMA_VERSION}); upgrade omniaudit or set a different history.path"
        )
    for version, statements in MIGRATIONS:
        if version <= current or version > target:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write transaction: another process may have migrated meanwhile.
            if schema_version(connection) >= version:
                connection.execute("ROLLBACK")
                continue
            for statement in statements:
                connection.execute(statement)
            connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            connection.execute("DELETE FROM schema_version")
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        log.info("history %s: schema migrated to version %d", path, version)
        current = version
    return current


def connect(
    path: str | Path, cls: type[D], *, lock: bool = True, wait: float = 0.0, create: bool = True
) -> D:
    """Open (and create or migrate) the database at `path`.

    `lock=True` (for audits, which write) takes the store's exclusive lock first, waiting up to `wait`
    seconds; `lock=False` (for history and diff, which only read) does not. `create=False` makes a missing
    file an error instead of a new empty history.
    """
    db_path = Path(path).expanduser()
    if not create and not db_path.exists():
        raise OmniauditError(
            f"{db_path}: no run history here yet; run `omniaudit audit` first (history.enabled must be true)"
        )
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OmniauditError(
            f"{db_path.parent}: cannot create the history folder: {exc.strerror or exc}"
        ) from None
    lock_fd = _acquire_lock(db_path, wait) if lock else None
    try:
        connection = sqlite3.connect(db_path, timeout=30.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        if lock_fd is not None:
            os.close(lock_fd)
        raise OmniauditError(f"{db_path}: cannot open the history database: {exc}") from None
    try:
        # WAL: readers never block the writer, and a killed writer's partial transaction is simply ignored.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection, db_path)
    except sqlite3.DatabaseError as exc:
        connection.close()
        if lock_fd is not None:
            os.close(lock_fd)
        raise OmniauditError(
            f"{db_path}: not a usable omniaudit history database ({exc}); move it away or set a different "
            "history.path"
        ) from None
    except BaseException:
        connection.close()
        if lock_fd is not None:
            os.close(lock_fd)
        raise
    return cls(db_path, connection, lock_fd)
