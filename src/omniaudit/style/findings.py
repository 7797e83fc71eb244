"""Style alerts as audit findings, one per alert, with the channel, document and location. Only the brand's
own words are linted: a customer's turn in a script is quoted as the customer said it."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import CUSTOMER_SCOPES, Document, Evidence, Finding, Location
from .config import StyleSet
from .lint import Alert, lint_source

SEVERITY = {"suggestion": "info", "warning": "warning", "error": "error"}


def _quote(text: str, alert: Alert) -> str:
    lines = text.split("\n")
    if 1 <= alert.line <= len(lines):
        return lines[alert.line - 1].strip()
    return alert.match


def style_findings(style: StyleSet, documents: Sequence[Document]) -> list[Finding]:
    """Lint each text block of each document separately and map every alert to a Finding."""
    findings: list[Finding] = []
    for doc in documents:
        for block in doc.blocks:
            if not block.text.strip() or block.scope in CUSTOMER_SCOPES:
                continue
            alerts = lint_source(style, block.text, "block.txt", ext=".txt")
            base_line = block.location.line
            uri = block.location.uri or doc.uri
            for alert in alerts:
                line = alert.line + (base_line - 1 if base_line else 0)
                findings.append(Finding(
                    rule_id=f"style.{alert.check}",
                    dimension="style",
                    severity=SEVERITY.get(alert.level, "info"),
                    message=alert.message,
                    evidence=(Evidence(
                        doc.channel_id,
                        quote=_quote(block.text, alert),
                        location=Location(uri=uri, line=line, column=alert.column,
                                          section=block.location.section or block.scope),
                    ),),
                    channels=(doc.channel_id,),
                    key=f"{alert.check}|{alert.match.strip().lower()}",
                ))
    return findings
