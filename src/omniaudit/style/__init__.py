"""Vale-compatible style rules: read a `.vale.ini` and its styles, lint text and Markdown, and turn
alerts into audit findings.

    style = load_style("styles/.vale.ini")
    alerts = check_text(style, "Click here to continue.", fmt="text")
    findings = style_findings(style, documents)
"""

from __future__ import annotations

from .config import StyleSet, find_config, load_style
from .findings import style_findings
from .lint import Alert, LintResult, check_text, lint_paths, lint_source

__all__ = [
    "Alert",
    "LintResult",
    "StyleSet",
    "check_text",
    "find_config",
    "lint_paths",
    "lint_source",
    "load_style",
    "style_findings",
]
