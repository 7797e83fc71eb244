"""Experience consistency: the same service procedures and the same tone of voice in every channel.

The dimension that combines topics (what each channel talks about), procedures (how each channel tells
the customer to return, get a refund, ...) and tone (how each channel sounds next to the brand voice). Its
score sits next to message and fact consistency in the verdict; its topic x channel grid shows which channel
covers which topic and where channels disagree.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..config import BrandBook
from ..models import CUSTOMER_SCOPES, Claim, Finding, Segment
from .embed import Embedder
from .procedures import Procedure, compare_procedures, read_procedures
from .tone import ToneProfile, compare_tone, profile_channels
from .topics import NONE, OTHER, TopicIndex, assign_topics, load_taxonomy

log = logging.getLogger(__name__)

DIMENSION = "experience"
# Procedures weigh more than tone: a customer told two different ways to return an item is worse served than
# one who hears two registers.
PROCEDURE_WEIGHT = 0.6
TONE_WEIGHT = 0.4
# A tone departure in this many rates (or more) counts as a channel fully off-voice in the score.
TONE_FULL_DEPARTURE = 3
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# What the explanation cites first: how to do it before how long it takes (limits echo the facts dimension).
_RULE_ORDER = {
    "experience.requirement": 0,
    "experience.place": 1,
    "experience.fee": 2,
    "experience.procedure_step": 3,
    "experience.limit": 4,
}

# Topic example vectors per (model, examples): encoding ~130 examples costs ~0.7 s on CPU with MiniLM, and an
# audit, a test session or a watch loop reuses the same model.
_INDEX_CACHE: dict[tuple[str, int, tuple[str, ...]], TopicIndex] = {}
_INDEX_CACHE_SIZE = 8


@dataclass(frozen=True)
class ExperienceResult:
    findings: tuple[Finding, ...]
    score: float  # 0..100
    explanation: str  # one sentence that cites evidence
    topic_grid: dict[str, Any]  # {"topics", "labels", "channels", "cells": [[{"segments", "status"}]]}
    segment_topics: tuple[str, ...] = ()  # the topic id of each segment ("" when none or "other")
    procedures: tuple[dict[str, Any], ...] = ()  # per (channel, topic): steps, requirements, places, ...
    tone: dict[str, dict[str, Any]] = field(default_factory=dict)  # per channel: its tone profile

    def stats(self) -> dict[str, Any]:
        """What goes into `AuditResult.stats`: `stats["topics"]` is the grid the report renders."""
        return {"topics": self.topic_grid}

    def details(self) -> dict[str, Any]:
        """Per (channel, topic) procedures and per channel tone profiles, for JSON consumers."""
        return {"procedures": list(self.procedures), "tone": self.tone}


def _topic_index(embedder: Embedder, topics: Mapping[str, Sequence[str]] | None) -> TopicIndex:
    # An English-only model reads other languages as noise: it gets the English examples only.
    languages = None if getattr(embedder, "multilingual", False) else ("en",)
    taxonomy = load_taxonomy(topics, languages=languages)
    examples = tuple(f"{t.id}\x00{e}" for t in taxonomy for e in t.examples)
    key = (getattr(embedder, "model_id", type(embedder).__name__), id(embedder), examples)
    index = _INDEX_CACHE.get(key)
    if index is None:
        index = TopicIndex.build(taxonomy, embedder)
        if len(_INDEX_CACHE) >= _INDEX_CACHE_SIZE:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[key] = index
    return index


def _encode(segments: Sequence[Segment], embedder: Embedder) -> np.ndarray:
    texts: dict[str, int] = {}
    order = [texts.setdefault(s.text, len(texts)) for s in segments]
    vectors = embedder.encode(list(texts))
    return np.asarray(vectors, dtype=np.float32)[order] if order else np.asarray(vectors, dtype=np.float32)


def _grid(
    index: TopicIndex,
    segments: Sequence[Segment],
    segment_topics: Sequence[str],
    channels: Sequence[str],
    findings: Sequence[Finding],
) -> dict[str, Any]:
    """Topics x channels: how many of the channel's own sentences are about the topic, and whether the channel
    agrees with the others there. `values` (share of the channel's sentences, None where absent) and `label`
    are what the report's heat map reads; `cells` carry the counts and the ok/disagree/absent status."""
    topics = [t for t in index.topics if t.id != OTHER]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for segment, topic_id in zip(segments, segment_topics, strict=True):
        if segment.scope in CUSTOMER_SCOPES:
            continue
        totals[segment.channel_id] += 1
        if topic_id:
            counts[(topic_id, segment.channel_id)] += 1
    disagree: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.rule_id != "experience.tone" and finding.key:
            disagree.update((finding.subject, channel) for channel in finding.channels)
    cells: list[list[dict[str, Any]]] = []
    values: list[list[float | None]] = []
    for topic in topics:
        row = []
        shares: list[float | None] = []
        for channel in channels:
            n = counts[(topic.id, channel)]
            status = "absent" if n == 0 else ("disagree" if (topic.id, channel) in disagree else "ok")
            row.append({"segments": n, "status": status})
            shares.append(round(n / totals[channel], 3) if n else None)
        cells.append(row)
        values.append(shares)
    return {
        "topics": [t.id for t in topics],
        "labels": [t.label for t in topics],
        "channels": list(channels),
        "values": values,
        "cells": cells,
        "label": "share of each channel's sentences about each topic",
    }


def _score(
    procedures: Sequence[Procedure],
    findings: Sequence[Finding],
    profiles: Mapping[str, ToneProfile],
    departures: Mapping[str, Sequence[str]],
) -> tuple[float | None, float | None]:
    channels_per_topic: dict[str, set[str]] = defaultdict(set)
    for procedure in procedures:
        channels_per_topic[procedure.topic].add(procedure.channel_id)
    compared = {(t, c) for t, cs in channels_per_topic.items() if len(cs) >= 2 for c in cs}
    disagreeing: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.rule_id != "experience.tone":
            topic = finding.key.split(":", 1)[0]
            disagreeing.update((topic, c) for c in finding.channels if (topic, c) in compared)
    procedure_score = 100.0 * (1 - len(disagreeing) / len(compared)) if compared else None
    profiled = [c for c, p in profiles.items() if p.sentences]
    tone_score = None
    if profiled:
        off = sum(min(1.0, len(departures.get(c, ())) / TONE_FULL_DEPARTURE) for c in profiled)
        tone_score = 100.0 * (1 - off / len(profiled))
    return procedure_score, tone_score


def _quote(finding: Finding, limit: int = 90) -> str:
    def short(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    sides = [e for e in finding.evidence if e.channel_id != "brand_book"]
    if len(sides) >= 2 and finding.rule_id != "experience.tone":
        return (
            f'{sides[0].channel_id} says "{short(sides[0].quote)}" while {sides[1].channel_id} says '
            f'"{short(sides[1].quote)}"'
        )
    if sides:
        return f'{sides[0].channel_id}: "{short(sides[0].quote)}"'
    return finding.message


def _explain(
    findings: Sequence[Finding],
    procedures: Sequence[Procedure],
    profiles: Mapping[str, ToneProfile],
    labels: Mapping[str, str],
) -> str:
    procedure_findings = [f for f in findings if f.rule_id != "experience.tone"]
    tone_findings = [f for f in findings if f.rule_id == "experience.tone"]
    per_topic = Counter(p.topic for p in procedures)
    compared_topics = sorted(topic for topic, n in per_topic.items() if n >= 2)
    parts = []
    if procedure_findings:
        first = min(
            procedure_findings,
            key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), _RULE_ORDER.get(f.rule_id, 9), f.key),
        )
        topic = labels.get(first.key.split(":", 1)[0], "procedures").lower()
        parts.append(
            f"{len(procedure_findings)} procedure difference{'s' if len(procedure_findings) > 1 else ''}"
            f" across channels (for {topic}, {_quote(first)})"
        )
    if tone_findings:
        names = ", ".join(f.channels[0] for f in tone_findings)
        parts.append(f"the tone of {names} departs from the brand voice ({_quote(tone_findings[0])})")
    if parts:
        return "Experience differs by channel: " + "; ".join(parts) + "."
    if compared_topics:
        topics = ", ".join(labels.get(t, t).lower() for t in compared_topics)
        channels = len({p.channel_id for p in procedures if p.topic in compared_topics})
        return (
            f"Procedures for {topics} agree across {channels} channels and every channel's tone stays within "
            f"the brand voice."
        )
    if profiles:
        return "No procedure is told by two channels; every channel's tone stays within the brand voice."
    return "No channel text to compare for experience consistency."


def analyze_experience(
    segments: Sequence[Segment],
    channel_types: Mapping[str, str],
    embedder: Embedder,
    book: BrandBook,
    *,
    segment_vectors: np.ndarray | None = None,
    topics: Mapping[str, Sequence[str]] | None = None,
    tone_overrides: Mapping[str, Mapping[str, float]] | None = None,
    claims: Sequence[Claim] = (),
) -> ExperienceResult:
    """Topics, procedures and tone across channels, as findings, a 0-100 score and a topic x channel grid.

    `segment_vectors` are the embeddings of `segments` (same order) when the caller already has them; they are
    reused, never recomputed. `topics` adds example sentences to the default taxonomy (topic id -> examples).
    `tone_overrides` maps a channel id or type to allowed tone bounds (e.g. {"social": {"emoji": 1.0}}).
    `claims` are the segments' claims (extract stage): procedures take time limits and fees from them."""
    index = _topic_index(embedder, topics)
    if segment_vectors is None:
        segment_vectors = _encode(segments, embedder)
    elif len(segment_vectors) != len(segments):
        raise ValueError(f"segment_vectors has {len(segment_vectors)} rows for {len(segments)} segments")
    assigned = (
        assign_topics(segment_vectors, index, segments) if len(segments) else np.zeros(0, dtype=np.int64)
    )
    ids = index.ids
    segment_topics = tuple("" if i == NONE or ids[i] == OTHER else ids[i] for i in assigned)
    labels = {t.id: t.label for t in index.topics}

    by_segment = {id(claim.segment): claim.values for claim in claims}
    values = [by_segment.get(id(segment), ()) for segment in segments]
    procedures = read_procedures(segments, segment_topics, values=values)
    findings = compare_procedures(procedures, segments, labels=labels)

    profiles = profile_channels(segments, book.voice.avoid)
    overrides = tone_overrides if tone_overrides is not None else getattr(book.voice, "channels", None)
    tone_findings, departures = compare_tone(
        profiles, segments, book.voice, channel_types, overrides=overrides or None
    )
    findings.extend(tone_findings)
    findings.sort(key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.rule_id, f.key, f.channels))

    channels = list(dict.fromkeys([*channel_types, *(s.channel_id for s in segments)]))
    grid = _grid(index, segments, segment_topics, channels, findings)
    procedure_score, tone_score = _score(procedures, findings, profiles, departures)
    weighted = [
        (s, w) for s, w in ((procedure_score, PROCEDURE_WEIGHT), (tone_score, TONE_WEIGHT)) if s is not None
    ]
    score = sum(s * w for s, w in weighted) / sum(w for _, w in weighted) if weighted else 100.0
    log.info(
        "experience: %d topics assigned, %d procedures, %d findings, score %.1f",
        len({t for t in segment_topics if t}),
        len(procedures),
        len(findings),
        score,
    )
    return ExperienceResult(
        findings=tuple(findings),
        score=round(score, 1),
        explanation=_explain(findings, procedures, profiles, labels),
        topic_grid=grid,
        segment_topics=segment_topics,
        procedures=tuple(
            p.to_dict(segments) for p in sorted(procedures, key=lambda p: (p.topic, p.channel_id))
        ),
        tone={c: p.to_dict() for c, p in sorted(profiles.items())},
    )
