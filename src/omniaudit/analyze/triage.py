"""After analysis, before reporting: one problem one finding, then the config's `rules:` and `ignore:`.

Applied once, in `run_audit`, to every dimension's findings: duplicates merge first (so a fingerprint a
team copies from a report names the merged finding), then rules change severities or turn rules off, then
ignore entries leave out what a team decided not to act on. What is left out is counted, per reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from ..config import Ignore, RuleLevel, RuleSetting
from ..models import Finding, IgnoredCount

# Vale-style rules carry the levels of their own .vale.ini: a glob reaches them only when it is written for
# them ("style.*", "style.Microsoft.*"), never through a catch-all such as "*".
STYLE_PREFIX = "style."


def merge_duplicates(findings: Sequence[Finding]) -> list[Finding]:
    """Findings with one fingerprint (the same rule, channels, key and quotes: one text on duplicate pages)
    become one, with every location and a count of how many it stands for; the first keeps its place."""
    merged: dict[str, Finding] = {}
    for finding in findings:
        first = merged.get(finding.fingerprint)
        if first is None:
            merged[finding.fingerprint] = finding
            continue
        evidence = tuple(dict.fromkeys((*first.evidence, *finding.evidence)))
        merged[finding.fingerprint] = replace(first, evidence=evidence, count=first.count + finding.count)
    return list(merged.values())


def _pattern_matches(pattern: str, rule_id: str) -> bool:
    if pattern == rule_id:
        return True
    if rule_id.startswith(STYLE_PREFIX) and not pattern.startswith(STYLE_PREFIX):
        return False
    return fnmatchcase(rule_id, pattern)


def _setting(finding: Finding, rules: Mapping[str, RuleSetting]) -> tuple[str, RuleLevel] | None:
    """The entry that decides a finding's severity: an exact rule id before a glob, an entry for listed
    channels before one for all, a longer glob before a shorter one."""
    best: tuple[tuple[bool, bool, int], str, RuleLevel] | None = None
    for pattern, setting in rules.items():
        if not _pattern_matches(pattern, finding.rule_id):
            continue
        if setting.channels and not set(finding.channels) <= set(setting.channels):
            continue
        rank = (pattern == finding.rule_id, bool(setting.channels), len(pattern))
        if best is None or rank > best[0]:
            best = (rank, pattern, setting.severity)
    return None if best is None else (best[1], best[2])


def apply_rules(
    findings: Sequence[Finding], rules: Mapping[str, RuleSetting]
) -> tuple[list[Finding], list[IgnoredCount]]:
    """Findings with the severities the config sets; those of rules set `off` are left out and counted."""
    kept: list[Finding] = []
    off: dict[str, int] = {}
    for finding in findings:
        chosen = _setting(finding, rules) if rules else None
        if chosen is None:
            kept.append(finding)
        elif chosen[1] == "off":
            off[chosen[0]] = off.get(chosen[0], 0) + 1
        else:
            kept.append(finding if finding.severity == chosen[1] else replace(finding, severity=chosen[1]))
    return kept, [IgnoredCount(f"rules: {pattern} is off", count) for pattern, count in off.items()]


def _path_matches(glob: str, uri: str, base_dir: Path) -> bool:
    """A location against an ignore path: as the report shows it, or relative to the config's folder."""
    if fnmatchcase(uri, glob):
        return True
    if "://" in uri or not Path(uri).is_absolute():
        return False
    try:
        return fnmatchcase(Path(uri).relative_to(base_dir).as_posix(), glob)
    except ValueError:
        return False


def _ignored_by(entry: Ignore, finding: Finding, base_dir: Path) -> bool:
    if entry.fingerprint is not None and entry.fingerprint != finding.fingerprint:
        return False
    if entry.rule is not None and not fnmatchcase(finding.rule_id, entry.rule):
        return False
    if entry.path is not None:
        uris = {evidence.location.uri for evidence in finding.evidence}
        return bool(uris) and all(_path_matches(entry.path, uri, base_dir) for uri in uris)
    return True


def apply_ignores(
    findings: Sequence[Finding], entries: Sequence[Ignore], *, base_dir: Path, today: date
) -> tuple[list[Finding], list[IgnoredCount], list[str]]:
    """Findings no live entry matches; per entry, how many it left out (an expired entry leaves nothing out
    and counts what it would have); and one warning per expired entry that still matches findings."""
    expired = [entry.until is not None and entry.until < today for entry in entries]
    # Live entries first: an expired entry only counts what no live entry leaves out.
    order = sorted(range(len(entries)), key=lambda i: expired[i])
    kept: list[Finding] = []
    counts = [0] * len(entries)
    for finding in findings:
        taken = next((i for i in order if _ignored_by(entries[i], finding, base_dir)), None)
        if taken is not None:
            counts[taken] += 1
        if taken is None or expired[taken]:
            kept.append(finding)
    ignored: list[IgnoredCount] = []
    warnings: list[str] = []
    for index, (entry, count) in enumerate(zip(entries, counts, strict=True)):
        until = entry.until.isoformat() if entry.until else None
        if count or expired[index]:
            ignored.append(IgnoredCount(entry.reason, count, until, expired[index]))
        if expired[index] and count:
            warnings.append(
                f"ignore.{index} ({entry.reason}) expired on {until}: its {count} "
                f"finding{'s are' if count > 1 else ' is'} reported again"
            )
    return kept, ignored, warnings


@dataclass(frozen=True)
class Triaged:
    findings: tuple[Finding, ...]
    ignored: tuple[IgnoredCount, ...]
    warnings: tuple[str, ...]


def triage(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleSetting],
    ignores: Sequence[Ignore],
    *,
    base_dir: Path,
    today: date | None = None,
) -> Triaged:
    """Merge duplicates, apply `rules:`, then `ignore:` (as of `today`, default the local date)."""
    merged = merge_duplicates(findings)
    ruled, off = apply_rules(merged, rules)
    kept, ignored, warnings = apply_ignores(ruled, ignores, base_dir=base_dir, today=today or date.today())
    return Triaged(tuple(kept), (*off, *ignored), tuple(warnings))


__all__ = ["Triaged", "apply_ignores", "apply_rules", "merge_duplicates", "triage"]
