"""Acceptance on the bundled sample brands, with the real embedding model."""

from __future__ import annotations

import pytest

from .conftest import SAMPLES
from .expected import planted_differences, unmatched

pytestmark = pytest.mark.slow

ENGLISH_SAMPLES = ["northwind", "brightmart"]


@pytest.mark.parametrize("brand", sorted(p.parent.name for p in SAMPLES.glob("*/EXPECTED.md")))
def test_every_planted_difference_is_found(sample_results, brand: str) -> None:  # type: ignore[no-untyped-def]
    planted = planted_differences(SAMPLES / brand / "EXPECTED.md")
    missing = unmatched(planted, sample_results[brand].findings)
    assert not missing, "\n".join(f"{p.id} {p.rule} {p.subject} {p.channels} {p.values}" for p in missing)


def test_multichannel_sample_plants_something(sample_results) -> None:  # type: ignore[no-untyped-def]
    assert len(planted_differences(SAMPLES / "brightmart" / "EXPECTED.md")) >= 9


def test_omnichannel_sample_beats_multichannel_sample(sample_results) -> None:  # type: ignore[no-untyped-def]
    northwind, brightmart = sample_results["northwind"], sample_results["brightmart"]
    assert northwind.verdict == "omnichannel", [s.explanation for s in northwind.scores]
    assert brightmart.verdict == "multichannel", [s.explanation for s in brightmart.scores]
    assert northwind.overall > brightmart.overall


def test_omnichannel_sample_has_no_fact_or_integration_findings(sample_results) -> None:  # type: ignore[no-untyped-def]
    problems = [
        f
        for f in sample_results["northwind"].findings
        if f.dimension in ("facts", "integration", "terminology")
    ]
    assert problems == [], [f.message for f in problems]


@pytest.mark.parametrize("brand", ENGLISH_SAMPLES)
def test_every_channel_carries_the_tagline(sample_results, brand: str) -> None:  # type: ignore[no-untyped-def]
    cells = [c for c in sample_results[brand].coverage if c.message_id == "tagline"]
    assert cells and all(c.covered for c in cells), [(c.channel_id, c.similarity) for c in cells]


def test_vale_style_applies_to_every_channel_kind(sample_results) -> None:  # type: ignore[no-untyped-def]
    """BrightMart's config applies the published write-good Vale style to all channels."""
    style = [f for f in sample_results["brightmart"].findings if f.dimension == "style"]
    channels = {c for f in style for c in f.channels}
    assert {"website", "call-centre", "instagram"} <= channels
    assert all(f.rule_id.startswith("style.write-good.") and f.evidence[0].location.line for f in style)
    assert not any(f.rule_id == "style.write-good.E-Prime" for f in style)  # switched off in its .vale.ini
    assert "style" in {s.name for s in sample_results["brightmart"].scores}
