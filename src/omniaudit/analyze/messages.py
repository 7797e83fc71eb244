"""Message coverage (key message x channel) and channel alignment (channel x channel), by embeddings.

All comparisons are matrix products over L2-normalized vectors, chunked so memory stays bounded; nothing
loops over pairs of segments in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import KeyMessage
from ..models import CUSTOMER_SCOPES, CoverageCell, Evidence, Finding, Segment

# Sentences from these scopes say what a channel communicates; titles and meta descriptions count too.
CHUNK_ROWS = 2048
# Alignment compares at most this many segments per channel (evenly spaced, deterministic): the mean of
# best matches is stable long before that, and it keeps a 5,000-page site from costing minutes here.
ALIGNMENT_SAMPLE = 1500


@dataclass(frozen=True)
class ChannelVectors:
    """The segments of one channel and their embedding rows."""

    channel_id: str
    segments: tuple[Segment, ...]
    vectors: np.ndarray  # (len(segments), dim)


def group_by_channel(
    channel_ids: Sequence[str], segments: Sequence[Segment], vectors: np.ndarray
) -> list[ChannelVectors]:
    rows: dict[str, list[int]] = {channel_id: [] for channel_id in channel_ids}
    for index, segment in enumerate(segments):
        rows.setdefault(segment.channel_id, []).append(index)
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    return [
        ChannelVectors(
            channel_id,
            tuple(segments[i] for i in rows[channel_id]),
            vectors[rows[channel_id]] if rows[channel_id] else np.zeros((0, dim), dtype=np.float32),
        )
        for channel_id in channel_ids
    ]


def best_matches(queries: np.ndarray, corpus: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the best cosine similarity in `corpus` and its row index (chunked)."""
    if len(corpus) == 0 or len(queries) == 0:
        return np.full(len(queries), -1.0, dtype=np.float32), np.full(len(queries), -1, dtype=np.int64)
    best = np.empty(len(queries), dtype=np.float32)
    where = np.empty(len(queries), dtype=np.int64)
    for start in range(0, len(queries), CHUNK_ROWS):
        scores = queries[start : start + CHUNK_ROWS] @ corpus.T
        where[start : start + CHUNK_ROWS] = scores.argmax(axis=1)
        best[start : start + CHUNK_ROWS] = scores.max(axis=1)
    return best, where


def _brand_rows(channel: ChannelVectors) -> np.ndarray:
    """The rows of the channel's own sentences: a customer's turn in a script is never the brand carrying
    its message."""
    rows = [i for i, segment in enumerate(channel.segments) if segment.scope not in CUSTOMER_SCOPES]
    return np.asarray(rows, dtype=np.int64)


def message_coverage(
    messages: Sequence[KeyMessage],
    message_vectors: Sequence[np.ndarray],
    channels: Sequence[ChannelVectors],
    threshold: float,
) -> list[CoverageCell]:
    """For each key message x channel: the best-matching brand sentence and whether it clears `threshold`.

    `message_vectors[i]` holds one row per wording of message i (its text and its variants); the best wording
    counts, so a translated variant covers a channel in another language.
    """
    cells: list[CoverageCell] = []
    brand_rows = [_brand_rows(channel) for channel in channels]
    for message, wordings in zip(messages, message_vectors, strict=True):
        for channel, rows in zip(channels, brand_rows, strict=True):
            if len(rows) == 0:
                cells.append(CoverageCell(message.id, channel.channel_id, 0.0, False))
                continue
            best, where = best_matches(wordings, channel.vectors[rows])
            pick = int(best.argmax())
            segment = channel.segments[int(rows[int(where[pick])])]
            similarity = float(best[pick])
            cells.append(
                CoverageCell(
                    message.id,
                    channel.channel_id,
                    round(similarity, 4),
                    similarity >= threshold,
                    segment.text,
                    segment.location,
                )
            )
    return cells


def coverage_findings(messages: Sequence[KeyMessage], cells: Sequence[CoverageCell]) -> list[Finding]:
    """One finding per key message that some channels do not carry, naming every such channel with the
    score of its closest sentence (one problem: the message is missing; the channels are where)."""
    missing: dict[str, list[CoverageCell]] = {}
    for cell in cells:
        if not cell.covered:
            missing.setdefault(cell.message_id, []).append(cell)
    findings = []
    for message in messages:
        gaps = missing.get(message.id)
        if not gaps:
            continue
        head = f"Key message '{message.id}' ({message.kind}) is not carried by"
        if len(gaps) == 1:
            text = f"{head} channel '{gaps[0].channel_id}': closest sentence scores {gaps[0].similarity:.2f}"
        else:
            scores = ", ".join(f"{cell.channel_id} {cell.similarity:.2f}" for cell in gaps)
            text = f"{head} {len(gaps)} channels; closest sentence scores: {scores}"
        findings.append(
            Finding(
                rule_id="messages.missing",
                dimension="messages",
                severity="warning",
                message=text,
                evidence=tuple(
                    Evidence(cell.channel_id, cell.quote, cell.location) for cell in gaps if cell.location
                ),
                channels=tuple(cell.channel_id for cell in gaps),
                key=message.id,
                subject=message.id,
            )
        )
    return findings


def _sample(vectors: np.ndarray, limit: int) -> np.ndarray:
    if len(vectors) <= limit:
        return vectors
    picks = np.linspace(0, len(vectors) - 1, limit).round().astype(np.int64)
    return vectors[picks]


def channel_alignment(channels: Sequence[ChannelVectors]) -> list[list[float]]:
    """Symmetric channel x channel alignment: the mean best-match similarity of each channel's sentences in
    the other, averaged both ways. 1.0 on the diagonal; 0.0 where a channel has no text."""
    sampled = [_sample(channel.vectors, ALIGNMENT_SAMPLE) for channel in channels]
    size = len(channels)
    matrix = [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            if len(sampled[i]) == 0 or len(sampled[j]) == 0:
                continue
            forward, _ = best_matches(sampled[i], sampled[j])
            backward, _ = best_matches(sampled[j], sampled[i])
            value = round(float((forward.mean() + backward.mean()) / 2), 4)
            matrix[i][j] = matrix[j][i] = value
    return matrix
