"""Customer-journey topics: every segment is assigned to the topic whose example sentences it is closest to.

The taxonomy (returns, refunds, delivery, ...) is package data (`data/topics.yaml`) that a config can extend.
Assignment is one matrix product of segment vectors against the topic examples, scored per topic as the mean
of the two nearest examples, so it works in any language the embedder understands. Later comparisons
(procedures, limits, fees) are made within one topic, so "30 days" for returns is never set against "30 days"
for warranty.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from ..errors import ConfigError
from ..models import Segment
from .embed import Embedder

log = logging.getLogger(__name__)

OTHER = "other"  # brand and marketing talk: assigned so it is not forced into a journey topic, never compared
NONE = -1  # the index of "no topic" in an assignment

# Per-topic score = mean similarity of the K nearest examples: steadier than the single nearest example and
# sharper than a centroid (held-out table in tests/fixtures/experience, USE: top-2 0.96, centroid 0.91).
NEAREST_EXAMPLES = 2
# Below this score a segment is about nothing in the taxonomy ("OK.", "Hi Sam!").
MIN_SIMILARITY = 0.2
# A step like "Pack the item securely." means little alone: the topic of the sentences around it (same
# document) is blended in with this weight.
CONTEXT_WEIGHT = 0.35
CONTEXT_WINDOW = 2


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    examples: tuple[str, ...]
    # The language of each example ("" for a config's own examples, which are always used).
    languages: tuple[str, ...] = ()

    def in_languages(self, languages: Sequence[str] | None) -> Topic:
        """This topic with only the examples in `languages` (and the config's own); all when None."""
        if languages is None or not self.languages:
            return self
        keep = [i for i, lang in enumerate(self.languages) if not lang or lang in languages]
        return Topic(
            self.id, self.label, tuple(self.examples[i] for i in keep), tuple(self.languages[i] for i in keep)
        )


@functools.lru_cache(maxsize=1)
def _default_taxonomy() -> tuple[Topic, ...]:
    text = resources.files("omniaudit").joinpath("data/topics.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    topics = []
    for topic_id, spec in data["topics"].items():
        pairs = [
            (str(lang), str(example)) for lang, examples in spec["examples"].items() for example in examples
        ]
        topics.append(
            Topic(
                id=str(topic_id),
                label=str(spec.get("label", topic_id)),
                examples=tuple(e for _, e in pairs),
                languages=tuple(lang for lang, _ in pairs),
            )
        )
    return tuple(topics)


def load_taxonomy(
    extra: Mapping[str, Sequence[str]] | None = None, *, languages: Sequence[str] | None = None
) -> tuple[Topic, ...]:
    """The default topics, with `extra` (topic id -> example sentences) added: a known id gains the examples,
    a new id becomes a new topic. `languages` keeps only the default examples in those languages (an
    English-only model gains nothing from Arabic examples and pays to encode them). `other` stays last."""
    topics = {topic.id: topic.in_languages(languages) for topic in _default_taxonomy()}
    for topic_id, examples in (extra or {}).items():
        if isinstance(examples, str) or not all(isinstance(e, str) and e.strip() for e in examples):
            raise ConfigError(f"brand_book.topics.{topic_id}: give a list of example sentences")
        if not examples:
            raise ConfigError(f"brand_book.topics.{topic_id}: give at least one example sentence")
        known = topics.get(topic_id)
        added = tuple(examples)
        if known is None:
            topics[topic_id] = Topic(
                topic_id, topic_id.replace("_", " ").capitalize(), added, ("",) * len(added)
            )
        else:
            topics[topic_id] = Topic(
                known.id,
                known.label,
                known.examples + added,
                (known.languages or ("",) * len(known.examples)) + ("",) * len(added),
            )
    other = topics.pop(OTHER)
    return (*topics.values(), other)


@dataclass(frozen=True)
class TopicIndex:
    """The taxonomy's example vectors, encoded once per embedder."""

    topics: tuple[Topic, ...]
    vectors: np.ndarray  # (examples, dim)
    owner: np.ndarray  # (examples,) index of the topic each example describes

    @classmethod
    def build(cls, topics: Sequence[Topic], embedder: Embedder) -> TopicIndex:
        texts = [example for topic in topics for example in topic.examples]
        owner = np.array([i for i, topic in enumerate(topics) for _ in topic.examples], dtype=np.int64)
        return cls(tuple(topics), np.asarray(embedder.encode(texts), dtype=np.float32), owner)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(topic.id for topic in self.topics)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(segments, topics): the mean similarity of each segment to each topic's nearest examples."""
        sims = np.asarray(vectors, dtype=np.float32) @ self.vectors.T
        out = np.empty((sims.shape[0], len(self.topics)), dtype=np.float32)
        for t in range(len(self.topics)):
            columns = sims[:, self.owner == t]
            k = min(NEAREST_EXAMPLES, columns.shape[1])
            out[:, t] = np.partition(columns, columns.shape[1] - k, axis=1)[:, -k:].mean(axis=1)
        return out


def _context_scores(scores: np.ndarray, segments: Sequence[Segment]) -> np.ndarray:
    """Each row blended with the mean of its neighbours in the same document (a window of
    CONTEXT_WINDOW segments each side): vectorized with cumulative sums, no pairwise loops."""
    n = len(segments)
    if n == 0:
        return scores
    # Grouped by document, not section: in a call script every turn is its own section, yet a turn's topic is
    # the conversation's.
    group_of: dict[tuple[str, str], int] = {}
    groups = np.array([group_of.setdefault((s.channel_id, s.doc_uri), len(group_of)) for s in segments])
    # Segments arrive in document order; a stable sort by group keeps that order inside each group.
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    sorted_scores = scores[order]
    cumulative = np.vstack(
        [np.zeros((1, scores.shape[1]), dtype=np.float64), np.cumsum(sorted_scores, axis=0)]
    )
    starts = np.searchsorted(sorted_groups, sorted_groups, side="left")
    ends = np.searchsorted(sorted_groups, sorted_groups, side="right")
    position = np.arange(n)
    lo = np.maximum(position - CONTEXT_WINDOW, starts)
    hi = np.minimum(position + CONTEXT_WINDOW + 1, ends)
    window_sum = cumulative[hi] - cumulative[lo] - sorted_scores
    count = (hi - lo - 1)[:, None]
    neighbours = np.where(count > 0, window_sum / np.maximum(count, 1), sorted_scores)
    blended = np.empty_like(scores)
    blended[order] = (1 - CONTEXT_WEIGHT) * sorted_scores + CONTEXT_WEIGHT * neighbours
    return blended


def assign_topics(
    vectors: np.ndarray,
    index: TopicIndex,
    segments: Sequence[Segment] | None = None,
    *,
    min_similarity: float = MIN_SIMILARITY,
) -> np.ndarray:
    """The topic index (into `index.topics`) of every row of `vectors`, or NONE. With `segments` (same order),
    neighbouring sentences of the same document lend their topic to short steps."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.int64)
    own = index.scores(vectors)
    scores = _context_scores(own, segments) if segments is not None else own
    best = scores.argmax(axis=1)
    confident = own[np.arange(len(best)), best] >= min_similarity
    if segments is not None:
        # A segment too short to carry a topic alone still follows a clear context.
        confident |= scores[np.arange(len(best)), best] >= min_similarity
    return np.where(confident, best, NONE).astype(np.int64)


def topic_of_texts(
    texts: Sequence[str], embedder: Embedder, topics: Sequence[Topic] | None = None
) -> list[str]:
    """Convenience for callers without vectors: the topic id of each text ("" when none)."""
    languages = None if getattr(embedder, "multilingual", False) else ("en",)
    index = TopicIndex.build(topics or load_taxonomy(languages=languages), embedder)
    assigned = assign_topics(embedder.encode(list(texts)), index)
    return [index.ids[i] if i != NONE else "" for i in assigned]
