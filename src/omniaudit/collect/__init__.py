"""Collect stage: connectors read each channel's source into Documents.

Every module in this package registers its connectors on import; importing them all here keeps the
registry complete, so a new source kind is one new file.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import (
    CONNECTORS,
    CollectContext,
    CollectResult,
    Connector,
    ConnectorOptions,
    get_connector,
    register,
)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base" and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "CONNECTORS",
    "CollectContext",
    "CollectResult",
    "Connector",
    "ConnectorOptions",
    "get_connector",
    "register",
]
