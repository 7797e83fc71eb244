"""Typed errors. The library raises them; only the CLI turns them into one line on stderr and exit code 2."""

from __future__ import annotations


class OmniauditError(Exception):
    """An expected failure the user can fix. `str(error)` is the one line shown to them."""

    exit_code = 2


class ConfigError(OmniauditError):
    """A config or rule file is invalid: the message starts with `path:line: dotted.key:`."""


class SourceError(OmniauditError):
    """A channel source (file, export, URL) could not be read; the audit records it and goes on."""

    def __init__(self, source: str, message: str, status: int | None = None, attempts: int = 1) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message
        self.status = status
        self.attempts = attempts


class FetchError(SourceError):
    """An HTTP fetch failed after its retries."""


class MissingDependency(OmniauditError):
    """An optional component (browser, model, package) is not installed; the message says how to get it."""


class StorageError(OmniauditError):
    """A report, baseline or the run history could not be written (disk full, no permission, read-only file
    system): the message names the file, what went wrong and what to do."""
