"""The one small interface every connector implements, and the registry that finds them by name.

A new source kind is one new module in this package that subclasses `Connector` and decorates it with
`@register`; `omniaudit.collect.__init__` imports the modules so the registry is complete.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from ..config import Channel, Limits, did_you_mean
from ..errors import ConfigError, SourceError
from ..models import Document, Failure
from ._files import LocalFiles

log = logging.getLogger(__name__)


class ConnectorOptions(BaseModel):
    """Base for each connector's `options:`; unknown keys are errors, like everywhere in the config."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ProgressFn(Protocol):
    """Progress callback: channel id, documents done, total (None when unknown), and a short detail such as
    "12 queued, 1 failed"."""

    def __call__(self, channel: str, done: int, total: int | None, detail: str = "") -> None: ...


@dataclass
class CollectContext:
    """What a connector may use beyond its channel config: seams that tests replace with real local things."""

    base_dir: Path = Path(".")
    cache_dir: Path | None = None
    progress: ProgressFn | None = None
    user_agent: str = "omniaudit/0.1 (+https://github.com/omniaudit/omniaudit)"
    # The config's `limits:`, read once by whoever builds the context and handed to every reader.
    limits: Limits = field(default_factory=Limits)
    extra: dict[str, Any] = field(default_factory=dict)

    def resolve(self, source: str) -> Path:
        path = Path(source).expanduser()
        return path if path.is_absolute() else self.base_dir / path


@dataclass
class CollectResult:
    documents: list[Document] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


class Connector:
    """Reads one channel's source into Documents. Per-source failures go into `CollectResult.failures`."""

    name: ClassVar[str]
    Options: ClassVar[type[ConnectorOptions]] = ConnectorOptions

    def __init__(self, channel: Channel, context: CollectContext) -> None:
        self.channel = channel
        self.context = context
        self.options = self._parse_options(channel)

    def _parse_options(self, channel: Channel) -> Any:
        try:
            return self.Options.model_validate(channel.options)
        except ValidationError as exc:
            first = exc.errors()[0]
            dotted = ".".join(str(part) for part in first["loc"])
            message = (
                "unknown option" + did_you_mean(self.Options, tuple(first["loc"]))
                if first["type"] == "extra_forbidden"
                else first["msg"]
            )
            raise ConfigError(
                f"channel {channel.id!r}: options.{dotted}: {message} (connector {self.name!r})"
            ) from None

    def collect(self) -> CollectResult:
        raise NotImplementedError

    @functools.cached_property
    def files(self) -> LocalFiles:
        """The only way a connector reads local files: confined to the brand's folder, within the limits."""
        return LocalFiles.for_channel(self.channel, self.context.base_dir, self.context.limits)

    # Helpers shared by connectors.
    def failure(self, source: str, error: str, status: int | None = None, attempts: int = 1) -> Failure:
        log.warning("%s: %s", source, error)
        return Failure(self.channel.id, source, error, status, attempts)

    def failure_from(self, error: SourceError) -> Failure:
        return self.failure(error.source, error.reason, error.status, error.attempts)

    def report_progress(self, done: int, total: int | None, detail: str = "") -> None:
        if self.context.progress is not None:
            self.context.progress(self.channel.id, done, total, detail)


CONNECTORS: dict[str, type[Connector]] = {}


def register(name: str) -> Callable[[type[Connector]], type[Connector]]:
    def decorate(cls: type[Connector]) -> type[Connector]:
        if name in CONNECTORS:
            raise RuntimeError(f"connector {name!r} registered twice")
        cls.name = name
        CONNECTORS[name] = cls
        return cls

    return decorate


def get_connector(channel: Channel, context: CollectContext) -> Connector:
    try:
        cls = CONNECTORS[channel.connector]
    except KeyError:
        known = ", ".join(sorted(CONNECTORS))
        raise ConfigError(
            f"channel {channel.id!r}: unknown connector {channel.connector!r} (valid: {known})"
        ) from None
    return cls(channel, context)


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
