"""Plain records that flow between the pipeline stages: collect -> extract -> analyze -> report.

Every record is a frozen dataclass so a stage can never change what an earlier stage produced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CHANNEL_TYPES = ("website", "social", "service", "app")
SEVERITIES = ("info", "warning", "error")
# Blocks that are not the brand speaking: a customer's turns in a script, navigation labels. They are never
# the brand's claims, procedures or tone.
CUSTOMER_SCOPES = frozenset({"customer", "user", "nav"})
VERDICTS = ("omnichannel", "multichannel", "fragmented")


def content_hash(text: str) -> str:
    """Stable short hash of a text: used to tell changed documents and to key caches."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Location:
    """Where a piece of text was read: a URL or file, plus whatever finer position the source has."""

    uri: str
    line: int | None = None
    column: int | None = None
    section: str | None = None  # e.g. "footer", "post 1234", "turn 3 (Agent)", "intent: returns"

    def __str__(self) -> str:
        text = self.uri
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.section:
            text += f" [{self.section}]"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"uri": self.uri, "line": self.line, "column": self.column, "section": self.section}


@dataclass(frozen=True)
class TextBlock:
    """A run of text with its scope (main, header, footer, title, meta, post, agent, customer, ...)."""

    text: str
    scope: str
    location: Location


@dataclass(frozen=True)
class Document:
    """One page, post, script or message as collected from a channel."""

    channel_id: str
    channel_type: str
    uri: str
    title: str
    blocks: tuple[TextBlock, ...]
    language: str | None = None
    fetched_at: str = ""
    links: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class Segment:
    """A sentence of a document, the unit that is embedded and matched against key messages."""

    channel_id: str
    doc_uri: str
    text: str
    scope: str
    location: Location
    language: str | None = None


@dataclass(frozen=True)
class Fact:
    """A checkable statement: a normalized value (e.g. 30 + "day") about a subject (e.g. "returns")."""

    kind: str  # money | duration | percentage | hours | phone | email | url | hashtag | handle | promo_code
    value: str  # normalized, comparable across channels ("30", "+18005550199", "09:00-17:00 mon-fri")
    unit: str  # "day", "business_day", "USD", "%", "" ...
    subject: str  # "returns", "delivery", "support_hours", "price:trail jacket", "" when unknown
    text: str  # the exact matched text ("30 days")
    quote: str  # the sentence it was found in
    channel_id: str
    location: Location

    @property
    def display_value(self) -> str:
        return f"{self.value} {self.unit}".strip()


@dataclass(frozen=True)
class Value:
    """One typed value in a claim, normalized so that two channels' wordings compare equal."""

    kind: str  # money | duration | percentage | hours | time_range | phone | email | url | hashtag | handle |
    # promo_code | number | code | keyword | enumeration | frequency | availability | name | title
    value: str  # "49.00 USD", "30", "3000000", "per_month", "24/7", "EPA,FDIC,GSA"
    unit: str  # "day", "business_day", "USD", the counted noun ("users"), "" ...
    text: str  # the exact text in the sentence
    qualifier: str = ""  # a bound written before the value: up_to | at_least | about | more_than | less_than


@dataclass(frozen=True)
class Claim:
    """A sentence that asserts something checkable: its values, polarity and qualifiers.

    The analyze stage compares claims and never re-reads their text.
    """

    segment: Segment
    values: tuple[Value, ...]
    negated: bool
    restrictions: tuple[str, ...]  # only | except | condition: who or when the statement is limited to
    key: str = ""  # the catalogue message key, when the sentence comes from one (aligns translations)
    # Every number the sentence states, however written ("two", "300万", "dwudziestodniowy"), and those
    # written in digits: translations are compared by them.
    numbers: frozenset[Decimal] = frozenset()
    digits: frozenset[Decimal] = frozenset()

    @property
    def channel_id(self) -> str:
        return self.segment.channel_id

    @property
    def text(self) -> str:
        return self.segment.text


@dataclass(frozen=True)
class Evidence:
    """A quote that backs a finding, with where it came from."""

    channel_id: str
    quote: str
    location: Location
    # The message as written in its source file (markup and placeholders kept), when that differs from the
    # quote: what the person fixing a catalogue searches for.
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = {"channel": self.channel_id, "quote": self.quote, "location": self.location.to_dict()}
        if self.source:
            data["source"] = self.source
        return data


@dataclass(frozen=True)
class Stated:
    """One side of a difference: a value as the channels (or the brand book) write it, and where."""

    value: str  # as written: "14 days", "$59", "in store only", "log in"
    channels: tuple[str, ...]  # who states it; "brand_book" for the brand book
    evidence: tuple[Evidence, ...] = ()  # where it is stated: on the odd side, the places to change


@dataclass(frozen=True)
class Difference:
    """What a finding's channels disagree on, as the analyzer read it (reports never re-parse messages): the
    odd value and where it is, and the value the other channels or the brand book give."""

    what: str  # "Return window", "returns and exchanges: receipt", "Term"
    odd: Stated
    expected: Stated | None = None  # None when nothing says what it should be (a banned word)


def normalized_quote(text: str) -> str:
    """A quote as fingerprints compare it: case and runs of whitespace do not make another problem."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Finding:
    rule_id: str  # e.g. "facts.contradiction", "terminology.banned", "style.Microsoft.We"
    dimension: str  # messages | facts | terminology | integration | experience | style
    severity: str  # info | warning | error
    message: str
    evidence: tuple[Evidence, ...] = ()
    channels: tuple[str, ...] = ()
    # The stable part of the finding used for diffs: never positions or timestamps.
    key: str = ""
    # What the finding is about: a fact subject ("returns"), a term, a hashtag, a message id...
    subject: str = ""
    # How sure the analysis is (0..1), for findings that are judgements (claims); None for rule matches.
    confidence: float | None = None
    # The odd value and the expected one, for findings about values that differ (facts, procedures, terms).
    difference: Difference | None = None
    # How many identical findings this one stands for (the same text on duplicate pages): its evidence holds
    # every location.
    count: int = 1

    @property
    def fingerprint(self) -> str:
        """Stable across runs while nothing changes: rule, channels, key and the evidence's text (case and
        whitespace normalised, never positions), so two alerts on different sentences never collide and one
        sentence repeated on several pages is one problem."""
        quotes = sorted({normalized_quote(evidence.quote) for evidence in self.evidence})
        basis = "|".join([self.rule_id, ",".join(sorted(self.channels)), self.key or self.message, *quotes])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """The finding as it appears in JSON reports and the run history."""
        return {
            "rule_id": self.rule_id,
            "dimension": self.dimension,
            "severity": self.severity,
            "message": self.message,
            "channels": list(self.channels),
            "fingerprint": self.fingerprint,
            **({"confidence": round(self.confidence, 3)} if self.confidence is not None else {}),
            **({"count": self.count} if self.count > 1 else {}),
            "evidence": [evidence.to_dict() for evidence in self.evidence],
        }


@dataclass(frozen=True)
class Failure:
    """A source that could not be collected or read. Recorded in the report; never a crash."""

    channel_id: str
    source: str
    error: str
    status: int | None = None
    attempts: int = 1


@dataclass(frozen=True)
class CoverageCell:
    message_id: str
    channel_id: str
    similarity: float
    covered: bool
    quote: str = ""
    location: Location | None = None


@dataclass(frozen=True)
class DimensionScore:
    name: str
    score: float  # 0..100
    explanation: str


@dataclass(frozen=True)
class ChannelSummary:
    id: str
    type: str
    connector: str
    source: str
    documents: int
    segments: int
    languages: tuple[str, ...] = ()
    blocks: int = 0
    # Files the connector passed over on purpose, each with why ("redirect-only page", "not a catalogue").
    skipped: tuple[tuple[str, str], ...] = ()
    failures: int = 0
    # False when nothing readable came from the channel: it is named in a warning and left out of every score.
    audited: bool = True


@dataclass(frozen=True)
class IgnoredCount:
    """How many findings one `ignore:` entry or one rule turned `off` left out of the report, and why."""

    reason: str
    count: int
    until: str | None = None  # ISO date after which the entry stops applying
    expired: bool = False  # the date has passed: the entry left nothing out, its findings are reported

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "count": self.count, "until": self.until, "expired": self.expired}


@dataclass(frozen=True)
class AuditResult:
    brand: str
    verdict: str
    overall: float
    scores: tuple[DimensionScore, ...]
    findings: tuple[Finding, ...]
    failures: tuple[Failure, ...]
    channels: tuple[ChannelSummary, ...]
    coverage: tuple[CoverageCell, ...]
    message_ids: tuple[str, ...]
    alignment: tuple[tuple[float, ...], ...]  # channel x channel, in the order of `channels`
    facts: tuple[Fact, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    started_at: str = ""
    tool_version: str = ""
    config_path: str = ""
    # Findings left out by the config's `rules:` (off) and `ignore:` entries, counted per reason.
    ignored: tuple[IgnoredCount, ...] = ()
    # The collected documents, for the run store (texts, hashes); not part of the rendered reports.
    documents: tuple[Document, ...] = field(default=(), compare=False, hash=False, repr=False)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)
