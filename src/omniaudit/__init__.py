"""omniaudit: tells a brand whether it is really omnichannel or only multichannel.

The library API works without the CLI:

    from omniaudit import load_config, run_audit
    result = run_audit(load_config("samples/brightmart/omniaudit.yaml"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .config import Config, load_config
from .errors import ConfigError, FetchError, MissingDependency, OmniauditError, SourceError
from .models import (
    AuditResult,
    CoverageCell,
    DimensionScore,
    Document,
    Evidence,
    Fact,
    Failure,
    Finding,
    Location,
    Segment,
    TextBlock,
)

if TYPE_CHECKING:
    from .app import run_audit


def __getattr__(name: str) -> Any:
    # run_audit pulls in the analysis stack; import it only when asked for so `omniaudit --help` stays fast.
    if name == "run_audit":
        from .app import run_audit

        return run_audit
    raise AttributeError(name)


__all__ = [
    "AuditResult",
    "Config",
    "ConfigError",
    "CoverageCell",
    "DimensionScore",
    "Document",
    "Evidence",
    "Fact",
    "Failure",
    "FetchError",
    "Finding",
    "Location",
    "MissingDependency",
    "OmniauditError",
    "Segment",
    "SourceError",
    "TextBlock",
    "__version__",
    "load_config",
    "run_audit",
]
