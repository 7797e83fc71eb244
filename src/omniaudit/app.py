"""run_audit: the whole pipeline, collect -> extract -> analyze, as one library call (no click, no print)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from . import __version__
from .analyze.claims import book_wording, check_claims
from .analyze.consistency import check_facts
from .analyze.embed import Embedder, load_embedder, unjudged_channels, unjudged_findings
from .analyze.experience import analyze_experience
from .analyze.integration import check_integration
from .analyze.judge import judged, load_judge
from .analyze.messages import channel_alignment, coverage_findings, group_by_channel, message_coverage
from .analyze.terminology import check_terminology
from .analyze.triage import triage
from .analyze.verdict import (
    alignment_score,
    decide_verdict,
    fact_score,
    integration_score,
    message_score,
    overall_score,
    style_score,
    terminology_score,
)
from .analyze.versions import compare_versions, untranslated_findings
from .collect import CollectContext, get_connector
from .config import Config, config_error
from .errors import ConfigError, SourceError
from .extract.claims import read_claims
from .extract.facts import BRAND_BOOK, expected_facts, extract_facts
from .extract.language import block_language, channel_languages, detect_documents
from .extract.phones import brand_country
from .extract.segment import segment_documents, unique_texts
from .models import (
    CUSTOMER_SCOPES,
    AuditResult,
    ChannelSummary,
    DimensionScore,
    Document,
    Failure,
    Finding,
    Segment,
)

log = logging.getLogger(__name__)

class ProgressFn(Protocol):
    """progress(stage, done, total, detail): stage is "collect <channel>", "extract", "embed", "analyze";
    detail is a short note such as "12 queued, 1 failed" (may be empty)."""

    def __call__(self, stage: str, done: int, total: int | None, detail: str = "") -> None: ...

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _no_progress(stage: str, done: int, total: int | None, detail: str = "") -> None:
    return None


@dataclass
class _Timer:
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Any:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 4)


@dataclass
class Collected:
    documents: list[Document]
    failures: list[Failure]
    stats: dict[str, Any]


def collect_channels(
    config: Config, *, progress: ProgressFn = _no_progress, context: CollectContext | None = None
) -> Collected:
    """Run every channel's connector. A channel that fails is recorded and the others still run."""
    base = context or CollectContext(base_dir=config.base_dir)
    base.limits = config.limits  # the config's limits reach every reader, whoever built the context
    if base.cache_dir is None and config.history.enabled:
        base.cache_dir = config.base_dir / ".omniaudit" / "http-cache"

    def channel_progress(channel: str, done: int, total: int | None, detail: str = "") -> None:
        progress(f"collect {channel}", done, total, detail)

    base.progress = channel_progress
    # Instantiate all connectors first: an unknown connector or a bad option is a config error, reported
    # before any slow collection starts.
    connectors = [get_connector(channel, base) for channel in config.channels]
    documents: list[Document] = []
    failures: list[Failure] = []
    stats: dict[str, Any] = {}
    for channel, connector in zip(config.channels, connectors, strict=True):
        progress(f"collect {channel.id}", 0, None)
        try:
            result = connector.collect()
        except SourceError as exc:
            failures.append(connector.failure_from(exc))
            continue
        except Exception as exc:  # a connector bug must not lose what the other channels collected
            log.exception("connector %s crashed on %s", channel.connector, channel.source)
            failures.append(
                connector.failure(channel.source, f"connector {channel.connector!r} failed: {exc!r}")
            )
            continue
        documents.extend(result.documents)
        failures.extend(result.failures)
        stats[channel.id] = {
            "documents": len(result.documents),
            "failures": len(result.failures),
            **result.stats,
        }
        progress(f"collect {channel.id}", len(result.documents), len(result.documents))
    return Collected(documents, failures, stats)


def _message_wordings(config: Config) -> list[list[str]]:
    return [[message.text, *message.variants] for message in config.brand_book.key_messages]


def embed_segments(
    embedder: Embedder, segments: Sequence[Segment], wordings: Sequence[Sequence[str]]
) -> tuple[np.ndarray, list[np.ndarray], int]:
    """Embed every distinct text once (segments, key messages and brand-book facts in words, one batched
    call); `wordings` are groups of texts, returned as one array per group."""
    texts, order = unique_texts(segments)
    index = {text: i for i, text in enumerate(texts)}
    for group in wordings:
        for text in group:
            if text not in index:
                index[text] = len(texts)
                texts.append(text)
    vectors = embedder.encode(texts)
    segment_vectors = vectors[order] if order else np.zeros((0, vectors.shape[1]), dtype=np.float32)
    message_vectors = [vectors[[index[text] for text in group]] for group in wordings]
    return segment_vectors, message_vectors, len(texts)


def _not_covered_by_facts(experience: Sequence[Finding], facts: Sequence[Finding]) -> list[Finding]:
    """One problem, one finding: a procedure's time limit that differs between channels is already a fact
    contradiction when the channels state it as a fact, so only the contradiction is kept."""
    stated = {
        (f.subject, channel) for f in facts if f.rule_id == "facts.contradiction" for channel in f.channels
    }
    return [
        finding
        for finding in experience
        if finding.rule_id != "experience.limit"
        or not all((finding.subject, channel) in stated for channel in finding.channels)
    ]


def _model_path(config: Config, name: str) -> str:
    """A model given as a folder relative to the config (like every path in it), else the name as given."""
    resolved = config.resolve(name)
    return resolved if Path(resolved).is_dir() else name


def _new_problems(claims: Sequence[Finding], facts: Sequence[Finding]) -> list[Finding]:
    """One problem, one finding: a claim conflict whose sentences fact contradictions already quote (the
    brand book's subjects and language versions, read by their own rules) is left to those findings."""
    quoted = {e.quote for f in facts for e in f.evidence}
    return [
        finding
        for finding in claims
        if not {e.quote for e in finding.evidence if e.channel_id != BRAND_BOOK} <= quoted
    ]


def _sorted_findings(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(
        sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.dimension, f.rule_id, f.message))
    )


def run_audit(
    config: Config,
    *,
    embedder: Embedder | None = None,
    progress: ProgressFn | None = None,
    context: CollectContext | None = None,
    documents: Sequence[Document] | None = None,
) -> AuditResult:
    """Audit every channel in `config`. `embedder` and `context` are seams for tests and caches;
    `documents` skips collection (for re-analysing stored documents)."""
    report = progress or _no_progress
    timer = _Timer()
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    channel_types = {channel.id: channel.type for channel in config.channels}
    style = None
    if config.style:
        # Loaded before collecting: a broken style guide should fail in a second, not after a long crawl.
        from .style import load_style

        style = load_style(config.resolve(config.style))
    # Likewise the optional pair judge: a missing model fails now.
    judge = None
    if config.model.judge:
        judge = load_judge(_model_path(config, config.model.judge), device=config.model.device)
    # Likewise the brand book's facts: an unreadable value is a config error, found before collecting.
    default_language = config.brand.languages[0] if config.brand.languages else "en"
    country = brand_country(config.brand.country, config.brand.languages, config.brand.website)
    try:
        book_facts = expected_facts(config.brand_book.facts, language=default_language, country=country)
    except ConfigError as exc:
        dotted, _, message = str(exc).partition(": ")
        raise config_error(config, dotted, message) from None

    with timer.stage("collect"):
        if documents is None:
            collected = collect_channels(config, progress=report, context=context)
        else:
            collected = Collected(list(documents), [], {})

    with timer.stage("extract"):
        text = extract_text(config, collected, progress=report)
        docs, segments = text.documents, text.segments
        unaudited = {summary.id for summary in text.channels if not summary.audited}
        products = list(config.brand_book.facts.prices)
        facts = extract_facts(segments, products=products, country=country)
        catalogues = {d.uri for d in docs if d.metadata.get("l10n")}
        claims = read_claims(segments, facts, catalogue_uris=catalogues)
        # The brand book's facts in words ("Return window: 30 days"), read like any sentence: they are
        # matched to the channels' claims by meaning.
        book_segments = [
            Segment(BRAND_BOOK, BRAND_BOOK, book_wording(fact), "main", fact.location, default_language)
            for fact in book_facts
        ]
        book_claims = read_claims(book_segments, [])
        report("extract", len(docs), len(docs))

    with timer.stage("embed"):
        report("embed", 0, len(segments))
        if embedder is None:
            embedder = load_embedder(
                config.model.name,
                batch_size=config.model.batch_size,
                device=config.model.device,
                languages=config.brand.languages,
                backend=config.model.backend,
            )
        wordings = _message_wordings(config)
        # The brand book's facts in words go in the same batched call as the sentences and key messages.
        book_group = [claim.text for claim in book_claims]
        segment_vectors, grouped, embedded = embed_segments(embedder, segments, [*wordings, book_group])
        message_vectors, book_vectors = grouped[: len(wordings)], grouped[len(wordings)]
        report("embed", len(segments), len(segments))

    with timer.stage("analyze"):
        report("analyze", 0, None)
        channel_ids = [channel.id for channel in config.channels]
        warnings: list[str] = [
            f"channel {channel!r} is not audited: nothing readable was collected from "
            f"{next(c.source for c in config.channels if c.id == channel)} (see the report's failures and "
            "skipped files); it is left out of every score"
            for channel in channel_ids
            if channel in unaudited
        ]
        by_channel = group_by_channel(channel_ids, segments, segment_vectors)
        messages = config.brand_book.key_messages
        coverage = message_coverage(messages, message_vectors, by_channel, config.thresholds.coverage)
        alignment = channel_alignment(by_channel)
        fact_check = check_facts(facts, book_facts)
        row_of = {id(segment): row for row, segment in enumerate(segments)}
        claim_check = check_claims(
            claims,
            segment_vectors[[row_of[id(claim.segment)] for claim in claims]],
            docs,
            model_id=embedder.model_id,
            multilingual=embedder.multilingual,
            source_language=default_language,
            book=list(zip(book_facts, book_claims, book_vectors, strict=True)),
        )
        claim_findings = list(claim_check.findings)
        if judge is not None:
            claim_findings = judged(claim_findings, judge)
        # A monolingual model cannot compare a French channel with English key messages: such channels are
        # named in the report and left out of the message and alignment scores instead of scoring low.
        unjudged = unjudged_channels(embedder, segments)
        excluded = set(unjudged) | unaudited
        term_findings = check_terminology(config.brand_book.terminology, segments)
        # A channel that was not read neither links nor fails to link: it is left out of the signals.
        audited_config = config.model_copy(
            update={"channels": [c for c in config.channels if c.id not in unaudited]}
        )
        integration = check_integration(audited_config, docs, segments, facts, channel_types)
        judged_coverage = [cell for cell in coverage if cell.channel_id not in excluded]
        version_findings = compare_versions(
            docs, segments, segment_vectors, facts, judge_statements=embedder.multilingual
        )
        findings: list[Finding] = [
            *coverage_findings(messages, judged_coverage),
            *unjudged_findings(embedder, unjudged),
            *version_findings,
            *untranslated_findings(docs),
            *fact_check.findings,
            *_new_problems(
                [f for f in claim_findings if (f.confidence or 0.0) >= config.thresholds.confidence],
                [*fact_check.findings, *version_findings],
            ),
            *term_findings,
            *integration.findings,
        ]
        experience = analyze_experience(
            segments,
            channel_types,
            embedder,
            config.brand_book,
            segment_vectors=segment_vectors,
            topics=config.brand_book.topics or None,
            claims=claims,
        )
        findings.extend(_not_covered_by_facts(experience.findings, fact_check.findings))
        if style is not None:
            from .style import style_findings

            findings.extend(style_findings(style, docs))
            warnings.extend(style.warnings)
        # A channel that was not read says nothing: no finding may be about it alone.
        findings = [f for f in findings if not f.channels or not set(f.channels) <= unaudited]
        # One place for what the config decides about findings: duplicates merged, `rules:`, `ignore:`.
        triaged = triage(findings, config.rules, config.ignore, base_dir=config.base_dir)
        findings = list(triaged.findings)
        warnings.extend(triaged.warnings)
        scores: list[DimensionScore] = [
            message_score(judged_coverage),
            alignment_score(channel_ids, alignment, excluded=excluded),
            fact_score(fact_check.subjects_checked, fact_check.subjects_consistent, findings),
            terminology_score([f for f in findings if f.dimension == "terminology"]),
            integration_score(
                integration.signals_checked,
                integration.signals_present,
                integration.findings,
                integration.notes,
            ),
            DimensionScore("experience", experience.score, experience.explanation),
        ]
        if style is not None:
            words = sum(len(s.text.split()) for s in segments if s.scope not in CUSTOMER_SCOPES)
            scores.append(style_score([f for f in findings if f.dimension == "style"], words))
        weights = config.weights.model_dump()
        overall = overall_score(scores, weights)
        verdict, reason = decide_verdict(overall, findings, config.thresholds)
        report("analyze", 1, 1)

    stats: dict[str, Any] = {
        "documents": [{"channel": d.channel_id, "uri": d.uri, "hash": d.content_hash} for d in docs],
        "counts": {
            "documents": len(docs),
            "segments": len(segments),
            "unique_texts_embedded": embedded,
            "facts": len(facts),
            "findings": len(findings),
            "failures": len(collected.failures),
        },
        "timings": timer.seconds,
        "collect": collected.stats,
        "model": embedder.model_id,
        "verdict_reason": reason,
        "thresholds": config.thresholds.model_dump(),
        "warnings": warnings,
        **experience.stats(),
    }
    return AuditResult(
        brand=config.brand.name,
        verdict=verdict,
        overall=overall,
        scores=tuple(scores),
        findings=_sorted_findings(findings),
        failures=tuple(collected.failures),
        channels=text.channels,
        # An unaudited channel has no row in the coverage matrix: it was not read, so it carries nothing.
        coverage=tuple(cell for cell in coverage if cell.channel_id not in unaudited),
        message_ids=tuple(message.id for message in messages),
        alignment=tuple(tuple(row) for row in alignment),
        facts=tuple(facts),
        stats=stats,
        started_at=started,
        tool_version=__version__,
        config_path=str(config.path or ""),
        ignored=triaged.ignored,
        documents=tuple(docs),
    )


def channel_summaries(
    config: Config, collected: Collected, docs: Sequence[Document], segments: Sequence[Segment]
) -> tuple[ChannelSummary, ...]:
    """What was read from each channel: documents, blocks, sentences, files skipped (and why), failures. A
    channel with no sentence at all is not audited."""
    summaries = []
    for channel in config.channels:
        channel_docs = [d for d in docs if d.channel_id == channel.id]
        languages = sorted({s.language for s in segments if s.channel_id == channel.id and s.language})
        sentences = sum(1 for s in segments if s.channel_id == channel.id)
        stats = collected.stats.get(channel.id, {})
        listed = stats.get("skipped_files") or stats.get("skipped")
        # Connectors list skipped files as {"file", "reason"}; older counters are plain numbers.
        skipped = tuple(
            (str(item.get("file", "")), str(item.get("reason", "")))
            for item in (listed if isinstance(listed, list) else [])
            if isinstance(item, dict)
        )
        summaries.append(
            ChannelSummary(
                id=channel.id,
                type=channel.type,
                connector=channel.connector,
                source=channel.source,
                documents=len(channel_docs),
                segments=sentences,
                languages=tuple(languages),
                blocks=sum(len(d.blocks) for d in channel_docs),
                skipped=skipped,
                failures=sum(1 for f in collected.failures if f.channel_id == channel.id),
                audited=sentences > 0,
            )
        )
    return tuple(summaries)


@dataclass
class CollectedText:
    """The collect and extract stages' output: what `omniaudit collect` writes and the analysis reads."""

    collected: Collected
    documents: list[Document]
    segments: list[Segment]
    channels: tuple[ChannelSummary, ...]


def collect_text(
    config: Config,
    *,
    progress: ProgressFn | None = None,
    context: CollectContext | None = None,
    documents: Sequence[Document] | None = None,
) -> CollectedText:
    """Collect every channel and split it into sentences with their language: exactly the text an audit
    analyses."""
    report = progress or _no_progress
    if documents is None:
        collected = collect_channels(config, progress=report, context=context)
    else:
        collected = Collected(list(documents), [], {})
    return extract_text(config, collected, progress=report)


def extract_text(
    config: Config, collected: Collected, *, progress: ProgressFn | None = None
) -> CollectedText:
    """The collected documents with their languages, split into sentences."""
    report = progress or _no_progress
    docs = collected.documents
    report("extract", 0, len(docs))
    default_language = config.brand.languages[0] if config.brand.languages else "en"
    languages, pinned = config.brand.languages, channel_languages(config.channels)
    docs = detect_documents(docs, languages, pinned=pinned)
    segments = segment_documents(
        docs,
        default_language=default_language,
        language_of=block_language(languages, pinned=pinned),
        limits=config.limits,
    )
    return CollectedText(collected, docs, segments, channel_summaries(config, collected, docs, segments))


__all__ = [
    "Collected",
    "CollectedText",
    "channel_summaries",
    "collect_channels",
    "collect_text",
    "embed_segments",
    "extract_text",
    "run_audit",
]
