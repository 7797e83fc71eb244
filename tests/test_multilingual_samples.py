"""Acceptance on the multilingual sample brands: Arabic (nakheel) and French/Polish (lumea), audited with the
model `load_embedder` picks for the brand's languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SAMPLES
from .expected import planted_differences, unmatched

pytestmark = pytest.mark.slow

BRANDS = ["nakheel", "lumea"]


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    from omniaudit.analyze.embed import load_embedder
    from omniaudit.app import run_audit
    from omniaudit.config import load_config

    out = {}
    for brand in BRANDS:
        config = load_config(SAMPLES / brand / "omniaudit.yaml")
        embedder = load_embedder(config.model.name, languages=config.brand.languages)
        out[brand] = run_audit(config, embedder=embedder)
    return out


@pytest.mark.parametrize("brand", BRANDS)
def test_every_planted_cross_language_difference_is_found(results, brand: str) -> None:  # type: ignore[no-untyped-def]
    planted = planted_differences(SAMPLES / brand / "EXPECTED.md")
    assert len(planted) >= 4
    missing = unmatched(planted, results[brand].findings)
    assert missing == [], f"{brand}: not found: {[p.id for p in missing]}"


@pytest.mark.parametrize("brand", BRANDS)
def test_non_english_brands_use_the_multilingual_model(results, brand: str) -> None:  # type: ignore[no-untyped-def]
    assert results[brand].stats["model"] == "use-multilingual-v3"
    assert not any(f.rule_id == "messages.unjudged_language" for f in results[brand].findings)


def test_facts_that_agree_across_languages_are_not_reported(results) -> None:  # type: ignore[no-untyped-def]
    # Delivery is "3 à 5 jours ouvrés" in French and "3–5 dni roboczych" in Polish everywhere.
    lumea = [f for f in results["lumea"].findings if f.dimension == "facts"]
    assert not [f for f in lumea if f.subject in ("delivery", "phone", "email")]
    # "٣٠ يومًا" on the website and "ثلاثين يومًا" in the help centre are the same 30 days.
    returns = next(
        f
        for f in results["nakheel"].findings
        if f.rule_id == "facts.contradiction" and f.subject == "returns"
    )
    assert "١٤ يومًا" in returns.message
    assert not [f for f in results["nakheel"].findings if f.subject in ("phone", "email")]


def test_channel_languages_are_detected_and_reported(results) -> None:  # type: ignore[no-untyped-def]
    languages = {c.id: c.languages for c in results["lumea"].channels}
    assert languages == {
        "website": ("fr", "pl"),
        "instagram": ("pl",),
        "service": ("fr",),
        "app": ("fr", "pl"),
    }
    assert {c.languages for c in results["nakheel"].channels} == {("ar",)}


def test_french_key_messages_are_found_in_polish_channels(results) -> None:  # type: ignore[no-untyped-def]
    tagline = {c.channel_id: c for c in results["lumea"].coverage if c.message_id == "tagline"}
    assert tagline["instagram"].covered and tagline["instagram"].quote.startswith("Len, po prostu")


def test_reports_keep_arabic_text_unescaped(results) -> None:  # type: ignore[no-untyped-def]
    from omniaudit.report import render

    as_json, as_markdown = render(results["nakheel"], "json"), render(results["nakheel"], "markdown")
    assert "خلال ١٤ يومًا" in as_json and "\\u0" not in as_json
    assert "خلال ١٤ يومًا" in as_markdown
    quotes = [e["quote"] for f in json.loads(as_json)["findings"] for e in f.get("evidence", [])]
    assert "يمكنك إرجاع المنتج خلال ١٤ يومًا فقط." in quotes


def test_sample_folders_hold_what_their_configs_name() -> None:
    for brand in BRANDS:
        assert (SAMPLES / brand / "omniaudit.yaml").is_file() and Path(
            SAMPLES / brand / "EXPECTED.md"
        ).is_file()
