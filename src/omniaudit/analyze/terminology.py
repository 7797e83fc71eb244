"""Terminology: banned terms and non-preferred variants of the brand's words, per channel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..config import Terminology
from ..models import Difference, Evidence, Finding, Segment, Stated

QUOTES_PER_FINDING = 3


@dataclass(frozen=True)
class TermRule:
    term: str  # what is matched
    rule_id: str
    severity: str
    advice: str
    preferred: str = ""  # the brand book's word for it; "" for a banned term


def _rules(terminology: Terminology) -> list[TermRule]:
    rules = [
        TermRule(term, "terminology.banned", "error", "is banned by the brand book")
        for term in terminology.banned
    ]
    for preferred, variants in terminology.preferred.items():
        rules.extend(
            TermRule(variant, "terminology.preferred", "warning", f"should be '{preferred}'", preferred)
            for variant in variants
        )
    return rules


def _pattern(rules: Sequence[TermRule], case_sensitive: bool) -> regex.Pattern[str]:
    # One alternation for all terms, longest first, bounded by non-letters so "cheap" skips "cheaper" only
    # when the brand book lists the exact word; \p{L} boundaries work for every script, unlike \b on Arabic.
    alternatives = sorted({rule.term for rule in rules}, key=len, reverse=True)
    body = "|".join(regex.escape(term).replace(r"\ ", r"\s+") for term in alternatives)
    flags = regex.UNICODE | (0 if case_sensitive else regex.IGNORECASE)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])", flags)


def check_terminology(terminology: Terminology, segments: Sequence[Segment]) -> list[Finding]:
    rules = _rules(terminology)
    if not rules:
        return []
    pattern = _pattern(rules, terminology.case_sensitive)
    by_term = {rule.term if terminology.case_sensitive else rule.term.lower(): rule for rule in rules}
    hits: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for segment in segments:
        for match in pattern.finditer(segment.text):
            found = regex.sub(r"\s+", " ", match.group(0))
            key = found if terminology.case_sensitive else found.lower()
            rule = by_term.get(key)
            if rule is not None:
                hits[(rule.term, segment.channel_id)].append(segment)
    # A sentence that uses a term twice is quoted once, but both uses are counted.
    findings = []
    for (term, channel_id), segments_hit in sorted(hits.items()):
        rule = by_term[term if terminology.case_sensitive else term.lower()]
        count = len(segments_hit)
        findings.append(
            Finding(
                rule_id=rule.rule_id,
                dimension="terminology",
                severity=rule.severity,
                message=(
                    f"'{term}' {rule.advice}: used {count} time{'s' if count > 1 else ''} in '{channel_id}'"
                ),
                evidence=tuple(
                    Evidence(channel_id, segment.text, segment.location)
                    for segment in list(dict.fromkeys(segments_hit))[:QUOTES_PER_FINDING]
                ),
                channels=(channel_id,),
                key=term.lower(),
                subject=term.lower(),
                difference=Difference(
                    "Preferred term" if rule.preferred else "Banned term",
                    Stated(
                        f"'{term}'",
                        (channel_id,),
                        tuple(Evidence(channel_id, s.text, s.location) for s in dict.fromkeys(segments_hit)),
                    ),
                    Stated(f"'{rule.preferred}'", ("brand_book",)) if rule.preferred else None,
                ),
            )
        )
    return findings
