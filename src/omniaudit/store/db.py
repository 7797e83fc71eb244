"""The SQLite file behind the run history and the embedding cache: opening, locking, schema migrations.

One audit at a time writes to a store: `open_store` takes an exclusive lock file next to the database
(`history.db.lock` through `filelock`: flock on Unix, msvcrt on Windows, released by the kernel even when the
holder is SIGKILLed; the holder's pid in `history.db.lock.pid`), and every run is
written in one transaction, so a run killed mid-way leaves the previous runs as they were. Readers (`history`,
`diff`) open without the lock: WAL mode lets them read while an audit writes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from filelock import FileLock, Timeout

from ..atomic import sqlite_error_reason
from ..errors import OmniauditError, StorageError

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


def _holder_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock.pid")


def _acquire_lock(db_path: Path, wait: float) -> FileLock:
    """The store's exclusive lock (`<db>.lock`); raises with the holder's pid when another run holds it.

    The pid goes into a file of its own: the lock file's content is the lock library's business, and on
    Windows a locked file cannot be read."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=wait, poll_interval=0.1)
    except Timeout:
        holder = _read_pid(_holder_file(db_path))
        who = f" (pid {holder})" if holder else ""
        raise OmniauditError(
            f"another omniaudit run is using {db_path}{who}; wait for it to finish or set a "
            "different history.path"
        ) from None
    except OSError as exc:
        raise OmniauditError(f"{lock_path}: cannot create the history lock: {exc.strerror or exc}") from None
    try:
        _holder_file(db_path).write_text(f"{os.getpid()}\n", encoding="ascii")
    except OSError:
        pass  # the pid only makes the "another run" message clearer
    return lock


def _release_lock(db_path: Path, lock: FileLock) -> None:
    try:
        _holder_file(db_path).unlink(missing_ok=True)
    except OSError:
        pass
    lock.release()


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


D = TypeVar("D", bound="Database")


class Database:
    """An open history database. Use `with open_store(path) as store:`; closing releases the lock."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock: FileLock | None) -> None:
        self.path = path
        self.connection = connection
        self._lock = lock

    @property
    def locked(self) -> bool:
        return self._lock is not None

    @contextmanager
    def transaction(self, action: str = "write to the run history") -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all of it is written, or none of it.

        A write the disk or the file refuses (full, read-only, locked by another program) is a StorageError
        naming the database and `action`; the database is left as it was before the transaction."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
                self.connection.execute("COMMIT")  # in WAL mode most pages reach the disk here
            except BaseException:
                if self.connection.in_transaction:
                    with suppress(sqlite3.Error):  # SQLite may already have rolled back (SQLITE_FULL)
                        self.connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):  # a bug in our statements, not the disk
                raise
            reason, advice = sqlite_error_reason(exc)
            raise StorageError(f"{self.path}: cannot {action}: {reason}; {advice}") from None

    def close(self) -> None:
        self.connection.close()
        if self._lock is not None:
            _release_lock(self.path, self._lock)
            self._lock = None

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
    held = _acquire_lock(db_path, wait) if lock else None
    try:
        connection = sqlite3.connect(db_path, timeout=30.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        if held is not None:
            _release_lock(db_path, held)
        raise OmniauditError(f"{db_path}: cannot open the history database: {exc}") from None
    try:
        # WAL: readers never block the writer, and a killed writer's partial transaction is simply ignored.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection, db_path)
    except sqlite3.DatabaseError as exc:
        connection.close()
        if held is not None:
            _release_lock(db_path, held)
        if "readonly" in str(exc).lower() or not os.access(db_path, os.W_OK):
            # A good history that cannot be written: say so, never suggest moving it away.
            raise OmniauditError(
                f"{db_path}: the history database is read-only; make it and its folder writable "
                "(chmod u+w) or set history.path to a writable file"
            ) from None
        if isinstance(exc, sqlite3.OperationalError):  # full or locked: the history itself may be fine
            reason, advice = sqlite_error_reason(exc)
            raise StorageError(f"{db_path}: cannot open the run history: {reason}; {advice}") from None
        raise OmniauditError(
            f"{db_path}: not a usable omniaudit history database ({exc}); move it away or set a different "
            "history.path"
        ) from None
    except BaseException:
        connection.close()
        if held is not None:
            _release_lock(db_path, held)
        raise
    return cls(db_path, connection, held)
