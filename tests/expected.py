"""Reads the planted-differences table of a sample's EXPECTED.md and matches it against findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from omniaudit.models import Finding


@dataclass(frozen=True)
class Planted:
    id: str
    rule: str
    subject: str
    channels: tuple[str, ...]
    values: tuple[str, ...]


def planted_differences(expected_md: Path) -> list[Planted]:
    rows: list[Planted] = []
    in_table = False
    for line in expected_md.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_table = line.strip() == "## Planted differences"
            continue
        if not in_table or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("id", "") or set(cells[0]) <= {"-"}:
            continue
        rows.append(
            Planted(
                id=cells[0],
                rule=cells[1],
                subject=cells[2],
                channels=tuple(c.strip() for c in cells[3].split(",") if c.strip()),
                values=tuple(v.strip() for v in cells[4].split(";") if v.strip()) if len(cells) > 4 else (),
            )
        )
    return rows


def matches(planted: Planted, finding: Finding) -> bool:
    if finding.rule_id != planted.rule or not set(planted.channels) <= set(finding.channels):
        return False
    if planted.subject and finding.subject.lower() != planted.subject.lower():
        return False
    quotes = " ".join(e.quote for e in finding.evidence).lower() + " " + finding.message.lower()
    return all(value.lower() in quotes for value in planted.values)


def unmatched(planted: list[Planted], findings: tuple[Finding, ...]) -> list[Planted]:
    return [p for p in planted if not any(matches(p, f) for f in findings)]
