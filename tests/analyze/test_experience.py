"""Experience consistency end to end: the bundled samples collected, segmented and embedded with the real
model, then topics, procedures and tone compared across channels."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from omniaudit.analyze.embed import Embedder, load_embedder
from omniaudit.analyze.experience import ExperienceResult, analyze_experience
from omniaudit.app import collect_channels, embed_segments
from omniaudit.collect import CollectContext
from omniaudit.config import BrandBook, KeyMessage, Voice, load_config
from omniaudit.extract.claims import read_claims
from omniaudit.extract.facts import extract_facts
from omniaudit.extract.segment import segment_documents
from omniaudit.models import Location, Segment

from ..conftest import SAMPLES
from ..expected import matches, planted_differences

pytestmark = pytest.mark.slow


def _experience(
    brand: str, embedder: Embedder, tmp: Any
) -> tuple[list[Segment], ExperienceResult, np.ndarray]:
    config = load_config(SAMPLES / brand / "omniaudit.yaml")
    collected = collect_channels(config, context=CollectContext(base_dir=config.base_dir, cache_dir=tmp))
    segments = segment_documents(collected.documents, default_language=config.brand.languages[0])
    vectors, _, _ = embed_segments(embedder, segments, [])
    types = {channel.id: channel.type for channel in config.channels}
    claims = read_claims(segments, extract_facts(segments))
    result = analyze_experience(
        segments, types, embedder, config.brand_book, segment_vectors=vectors, claims=claims
    )
    return segments, result, vectors


@pytest.fixture(scope="module")
def samples(real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("cache")
    return {brand: _experience(brand, real_embedder, tmp) for brand in ("northwind", "brightmart")}


def test_every_planted_procedure_and_tone_difference_is_found_with_quotes_from_each_side(samples) -> None:  # type: ignore[no-untyped-def]
    planted = [
        p
        for p in planted_differences(SAMPLES / "brightmart" / "EXPECTED.md")
        if p.rule.startswith("experience.")
    ]
    assert {p.rule for p in planted} >= {
        "experience.requirement",
        "experience.place",
        "experience.fee",
        "experience.tone",
    }
    _, result, _ = samples["brightmart"]
    for row in planted:
        found = [f for f in result.findings if matches(row, f)]
        assert found, (row, [f.message for f in result.findings])
        finding = found[0]
        quoted = {e.channel_id for e in finding.evidence}
        # Both sides are quoted: every planted channel, and for tone the brand book's own voice.
        assert set(row.channels) <= quoted, (row, finding.evidence)
        assert len(quoted) >= 2, finding.evidence
        assert finding.dimension == "experience" and finding.severity in ("warning", "error")


def test_the_omnichannel_sample_reports_no_procedure_or_tone_finding(samples) -> None:  # type: ignore[no-untyped-def]
    _, result, _ = samples["northwind"]
    assert result.findings == (), [f.message for f in result.findings]
    assert result.score == 100.0
    assert result.explanation.startswith("Procedures for ") and "returns and exchanges" in result.explanation


def test_the_multichannel_sample_scores_lower_and_its_explanation_quotes_evidence(samples) -> None:  # type: ignore[no-untyped-def]
    northwind, brightmart = samples["northwind"][1], samples["brightmart"][1]
    assert brightmart.score < northwind.score - 20
    assert (
        brightmart.explanation.startswith("Experience differs by channel") and '"' in brightmart.explanation
    )
    assert "tiktok" in brightmart.explanation


def test_the_topic_grid_shows_coverage_and_disagreement(samples) -> None:  # type: ignore[no-untyped-def]
    for brand, (_, result, _) in samples.items():
        grid = result.topic_grid
        json.dumps(grid)  # goes into result.stats as is
        config = load_config(SAMPLES / brand / "omniaudit.yaml")
        assert grid["channels"] == [c.id for c in config.channels]
        assert grid["topics"][0] == "returns" and "other" not in grid["topics"]
        assert len(grid["cells"]) == len(grid["topics"]) == len(grid["labels"])
        assert all(len(row) == len(grid["channels"]) for row in grid["cells"])
        assert len(grid["values"]) == len(grid["topics"])
        for row, shares in zip(grid["cells"], grid["values"], strict=True):
            for cell, share in zip(row, shares, strict=True):
                assert (cell["status"] == "absent") == (cell["segments"] == 0) == (share is None)
                assert share is None or 0 < share <= 1
    northwind = samples["northwind"][1].topic_grid
    returns = northwind["cells"][northwind["topics"].index("returns")]
    assert all(cell["status"] == "ok" for cell in returns)  # every channel tells the same return procedure
    brightmart = samples["brightmart"][1].topic_grid
    returns = dict(
        zip(brightmart["channels"], brightmart["cells"][brightmart["topics"].index("returns")], strict=True)
    )
    assert returns["chatbot"]["status"] == returns["website"]["status"] == "disagree"
    assert samples["brightmart"][1].stats() == {"topics": brightmart}
    details = samples["brightmart"][1].details()
    assert details["tone"]["tiktok"]["emoji"] > 1 and details["tone"]["website"]["emoji"] == 0
    chatbot = next(p for p in details["procedures"] if p["channel"] == "chatbot" and p["topic"] == "returns")
    assert "receipt" in chatbot["requirements"] and "store only" in chatbot["places"]


class _Counting:
    """The real model, counting what it is asked to encode."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.model_id, self.multilingual = inner, inner.model_id, inner.multilingual
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts)


def test_segment_vectors_are_reused_and_topic_examples_encoded_once(samples, real_embedder) -> None:  # type: ignore[no-untyped-def]
    from omniaudit.analyze.topics import load_taxonomy

    segments, expected, vectors = samples["northwind"]
    book = load_config(SAMPLES / "northwind" / "omniaudit.yaml").brand_book
    types = {s.channel_id: "website" for s in segments}
    counting = _Counting(real_embedder)
    first = analyze_experience(segments, types, counting, book, segment_vectors=vectors)
    # Only the taxonomy's English examples were encoded (an English-only model), never a segment.
    english = [e for t in load_taxonomy(languages=["en"]) for e in t.examples]
    assert counting.texts == english
    analyze_experience(segments, types, counting, book, segment_vectors=vectors)
    assert counting.texts == english  # the taxonomy's vectors are cached per model
    assert first.segment_topics == expected.segment_topics


def test_procedures_are_compared_across_languages_with_the_multilingual_model() -> None:
    embedder = load_embedder("multilingual")
    lines = {
        ("boutique", "fr"): [
            "Retours et échanges",
            "Vous pouvez retourner un article sous 30 jours.",
            "Rapportez l'article en magasin avec votre ticket de caisse.",
        ],
        ("chatbot", "en"): [
            "Returns and exchanges",
            "You can return any item within 30 days.",
            "You do not need a receipt: bring the item to any of our stores.",
        ],
        ("sklep", "pl"): [
            "Zwroty i wymiany",
            "Możesz zwrócić produkt w ciągu 14 dni.",
            "Przynieś produkt do sklepu razem z paragonem.",
        ],
    }
    segments = [
        Segment(channel, f"{channel}.md", text, "main", Location(f"{channel}.md", line), language)
        for (channel, language), texts in lines.items()
        for line, text in enumerate(texts, start=1)
    ]
    book = BrandBook(
        key_messages=[KeyMessage(id="tagline", text="Go further.")], voice=Voice(adjectives=["warm"])
    )
    result = analyze_experience(
        segments,
        dict.fromkeys(["boutique", "chatbot", "sklep"], "website"),
        embedder,
        book,
        claims=read_claims(segments, extract_facts(segments)),
    )
    assert set(result.segment_topics) == {"returns"}, result.segment_topics
    rules = {f.rule_id: f for f in result.findings}
    assert set(rules["experience.requirement"].channels) == {"boutique", "chatbot", "sklep"}
    assert "sklep: 14 day" in rules["experience.limit"].message
    quotes = {e.channel_id: e.quote for e in rules["experience.requirement"].evidence}
    assert (
        quotes["chatbot"].startswith("You do not need a receipt") and "ticket de caisse" in quotes["boutique"]
    )
