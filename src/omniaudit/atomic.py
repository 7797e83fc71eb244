"""Writing files so that a failure never leaves half of one: every report, export and baseline goes through
`write_atomic`, and every write failure (disk full, no permission, read-only) becomes one StorageError line
that names the file and says what to do.

    write_atomic("report.html", html, what="the report")

The data goes to a temporary file in the target's folder (same file system, so the final rename is atomic),
is flushed to disk, then replaces the target with `os.replace`. On any failure the temporary file is removed:
the target is either its old self or the complete new file, never empty or cut short.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
import stat
from pathlib import Path

from .errors import StorageError

# errno -> (what went wrong, what to do), in the words of someone who has to fix it.
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space or write it elsewhere"),
    errno.EFBIG: (
        "the file is larger than this process may write",
        "raise the file size limit (ulimit -f) or write it elsewhere",
    ),
    errno.EACCES: ("permission denied", "choose a folder you can write to, or fix its permissions"),
    errno.EPERM: ("permission denied", "choose a folder you can write to, or fix its permissions"),
    errno.EROFS: ("the file system is read-only", "write it elsewhere"),
    errno.EISDIR: ("it is a folder", "give a file name"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
    errno.EEXIST: ("a file is in the way of its folder", "move that file or choose another path"),
}
if hasattr(errno, "EDQUOT"):
    _OS_REASONS[errno.EDQUOT] = ("the disk quota is used up", "free some space or write it elsewhere")


def os_error_reason(exc: OSError) -> tuple[str, str]:
    """(reason, advice) for an OSError from writing a file."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return (exc.strerror or str(exc), "check the path and the disk")


def sqlite_error_reason(exc: sqlite3.Error) -> tuple[str, str]:
    """(reason, advice) for an SQLite error while writing the history; the error name (Python 3.11+) when
    there is one, else SQLite's own message."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return ("the disk is full", "free some space and run the audit again")
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return (
            "the history database is read-only",
            "make the file and its folder writable, or set a different history.path",
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return (
            "another program holds the history database",
            "close it (an SQLite browser, another audit) and run the audit again",
        )
    if name.startswith("SQLITE_PERM") or name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return ("the history database cannot be opened for writing", "check the permissions of its folder")
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return (
            f"a disk error ({exc})",
            "check that the disk has space and works (and the file size limit, ulimit -f), then run the "
            "audit again",
        )
    return (str(exc), "check the history file and its disk, then run the audit again")


def write_atomic(path: str | Path, data: str | bytes, *, what: str = "the file") -> None:
    """Write `data` (text as UTF-8) to `path` atomically; a StorageError names `path` and `what` it was."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason, advice = os_error_reason(exc)
        raise StorageError(f"{target}: cannot create its folder for {what}: {reason}; {advice}") from None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # Hidden, unique, and in the same folder: os.replace is atomic only within one file system.
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):  # a file the user replaces keeps the permissions they gave it
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            reason, advice = os_error_reason(exc)
            raise StorageError(f"{target}: cannot write {what}: {reason}; {advice}") from None
        raise
