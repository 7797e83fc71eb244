"""Fix first: the errors and warnings ordered by impact, each one line a brand team can act on.

    impact = severity weight x confidence x reach of the channels affected

- severity weight: error 3, warning 1 (info never makes the list);
- confidence: the finding's own (judgements such as claims), 1.0 for rule matches and read facts;
- reach: the sum, over the channels the finding involves, of how many customers a channel of that type
  reaches relative to the website (CHANNEL_REACH). The weights are a stated judgement, not fitted to any
  brand: the website and service channels (help centre, call centre, chat) are where customers go to learn
  a price or a return window and act on it; an app reaches its installed users; a social account reaches
  the followers who see a given post, and each post is soon out of the feed.

Each record says what differs (the odd value and where it is), what the other channels or the brand book
say, a suggested fix and the files or URLs to change. Values come from the finding's typed `difference`
(read by the analyzer), never from re-parsing its message.
"""

from __future__ import annotations

from typing import Any

from ..models import AuditResult, Difference, Evidence, Finding, Location

FIX_FIRST_LIMIT = 20
SEVERITY_WEIGHT = {"error": 3.0, "warning": 1.0}
CHANNEL_REACH = {"website": 1.0, "service": 1.0, "app": 0.8, "social": 0.5}
# A channel the result does not describe (a stored report from another config) counts as a social account.
UNKNOWN_REACH = 0.5
BRAND_BOOK = "brand_book"
TITLE_LIMIT = 160

# What to do about findings that carry no difference, by rule id (or its family, before the first dot).
_FIXES = {
    "messages.missing": "Say the key message '{subject}' on {channels}, in the channel's own words",
    "integration.stale_hashtag": "Replace {subject} with the current campaign hashtag on {channels}",
    "integration.campaign_missing": "Use the current campaign hashtag on {channels}",
    "experience.tone": "Rewrite {channels}'s texts in the brand voice, starting with the sentences quoted",
    "experience.procedure_step": "Tell the same steps on {channels}",
    "versions": "Bring the translations on {channels} in line with the source text",
}
_HANDOVERS = {
    "website->social": "Link to the brand's social accounts from {channels}",
    "social->website": "Link back to the website from {channels}",
    "service->digital": "Point customers of {channels} to the website, app or chat for self-service",
}


def impact(finding: Finding, channel_types: dict[str, str]) -> float:
    """Severity weight x confidence x the summed reach of the finding's channels (see the module doc)."""
    severity = SEVERITY_WEIGHT.get(finding.severity, 0.0)
    sure = 1.0 if finding.confidence is None else finding.confidence
    reach = sum(
        CHANNEL_REACH.get(channel_types.get(channel, ""), UNKNOWN_REACH)
        for channel in dict.fromkeys(finding.channels)
        if channel != BRAND_BOOK
    )
    return severity * sure * reach


def _names(channels: tuple[str, ...]) -> str:
    named = ["the brand book" if c == BRAND_BOOK else c for c in channels]
    if len(named) <= 1:
        return "".join(named)
    return ", ".join(named[:-1]) + " and " + named[-1]


def _source(channels: tuple[str, ...]) -> str:
    """Who gives the expected value, for the JSON: "brand book", "website, help-centre"."""
    return ", ".join("brand book" if c == BRAND_BOOK else c for c in channels)


def _place(location: Location) -> str:
    """A place to change as a person finds it: "post ig-002 in social/instagram.json", "site/returns.html"."""
    if location.section and location.section not in ("main", "body"):
        return f"{location.section} in {location.uri}"
    return location.uri


def _uris(evidence: tuple[Evidence, ...]) -> list[str]:
    return list(dict.fromkeys(e.location.uri for e in evidence if e.channel_id != BRAND_BOOK))


def _one_line(text: str, limit: int = TITLE_LIMIT) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _title(finding: Finding) -> str:
    difference = finding.difference
    if difference is None:
        return _one_line(finding.message)
    odd = f"{difference.odd.value} on {', '.join(difference.odd.channels)}"
    if difference.expected is None:
        return _one_line(f"{difference.what}: {odd}")
    where = "in the brand book" if difference.expected.channels == (BRAND_BOOK,) else "elsewhere"
    return _one_line(f"{difference.what} differs: {odd} vs {difference.expected.value} {where}")


def _target(difference: Difference) -> str:
    places = list(dict.fromkeys(_place(e.location) for e in difference.odd.evidence))
    if not places:
        return ", ".join(difference.odd.channels)
    more = len(places) - 1
    return places[0] + (f" and {more} other place{'s' if more > 1 else ''}" if more else "")


def _fix(finding: Finding) -> str:
    difference = finding.difference
    if difference is not None:
        if difference.expected is None:
            return f"Remove or reword {difference.odd.value} in {_target(difference)}"
        sources = difference.expected.channels
        verb = "says" if len(sources) == 1 else "say"
        return f"Change {_target(difference)} to {difference.expected.value}, as {_names(sources)} {verb}"
    channels = ", ".join(finding.channels) or "every channel"
    if finding.rule_id == "integration.missing_reference" and finding.subject in _HANDOVERS:
        return _HANDOVERS[finding.subject].format(channels=channels)
    template = _FIXES.get(finding.rule_id) or _FIXES.get(finding.rule_id.split(".", 1)[0])
    if template is not None:
        return template.format(subject=finding.subject, channels=channels)
    if finding.dimension == "style":
        where = _place(finding.evidence[0].location) if finding.evidence else channels
        return _one_line(f"{finding.message} ({where})")
    places = _uris(finding.evidence)
    return f"Make {channels} say the same" + (f", starting with {places[0]}" if places else "")


def _odd(difference: Difference | None) -> dict[str, Any] | None:
    if difference is None:
        return None
    first = difference.odd.evidence[0] if difference.odd.evidence else None
    return {
        "value": difference.odd.value,
        "channel": ", ".join(difference.odd.channels),
        "quote": first.quote if first else "",
        "location": str(first.location) if first else "",
    }


def _expected(difference: Difference | None) -> dict[str, Any] | None:
    if difference is None or difference.expected is None:
        return None
    return {"value": difference.expected.value, "source": _source(difference.expected.channels)}


def fix_first(result: AuditResult, *, limit: int = FIX_FIRST_LIMIT) -> list[dict[str, Any]]:
    """The top `limit` errors and warnings by impact, as the JSON records the renderers show first."""
    channel_types = {channel.id: channel.type for channel in result.channels}
    scored = [
        (impact(finding, channel_types), finding)
        for finding in result.findings
        if finding.severity in SEVERITY_WEIGHT
    ]
    # Ties keep the report's order (severity, rule, message) so the list is the same on every run.
    scored.sort(
        key=lambda item: (
            -item[0],
            item[1].severity != "error",
            item[1].rule_id,
            item[1].message,
            item[1].fingerprint,
        )
    )
    records = []
    for rank, (value, finding) in enumerate(scored[:limit], start=1):
        difference = finding.difference
        locations = _uris(difference.odd.evidence) if difference and difference.odd.evidence else []
        records.append(
            {
                "rank": rank,
                "fingerprint": finding.fingerprint,
                "rule_id": finding.rule_id,
                "severity": finding.severity,
                "confidence": None if finding.confidence is None else round(finding.confidence, 3),
                "impact": round(value, 2),
                "title": _title(finding),
                "odd": _odd(difference),
                "expected": _expected(difference),
                "fix": _fix(finding),
                "locations": locations or _uris(finding.evidence),
                "channels": list(finding.channels),
            }
        )
    return records


__all__ = ["CHANNEL_REACH", "FIX_FIRST_LIMIT", "SEVERITY_WEIGHT", "fix_first", "impact"]
