"""A hand-built AuditResult with four channels, English and Arabic evidence, a failure and hostile text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omniaudit.models import (
    AuditResult,
    ChannelSummary,
    CoverageCell,
    DimensionScore,
    Evidence,
    Fact,
    Failure,
    Finding,
    Location,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "report"

ARABIC_QUOTE = "يمكنك إرجاع المنتج خلال 14 يومًا من تاريخ الاستلام."
HOSTILE = "Price | <script>alert(1)</script> | only today"
CHANNELS = ("website", "instagram", "call-centre", "app-ar")


def build_result(stats: dict | None = None) -> AuditResult:
    site = Location("https://northwind.example/returns", line=12, column=5, section="main")
    script = Location("service/returns_call.txt", line=7, section="turn 3 (Agent)")
    insta = Location("social/instagram.json", section="post 1234")
    arabic = Location("app/ar/faq.html", line=3, section="faq")
    findings = (
        # Deliberately out of order: the report must sort them.
        Finding(
            rule_id="terminology.banned",
            dimension="terminology",
            severity="warning",
            message='Banned word "cheap" used',
            evidence=(Evidence("instagram", "Cheap gear | great\nprices", insta),),
            channels=("instagram",),
            key="cheap",
        ),
        Finding(
            rule_id="messages.missing",
            dimension="messages",
            severity="info",
            message="Key message tagline not carried by call-centre",
            channels=("call-centre",),
            key="tagline",
        ),
        Finding(
            rule_id="facts.contradiction",
            dimension="facts",
            severity="error",
            message="Return window differs: 30 days (website) vs 14 days (call-centre, app-ar)",
            evidence=(
                Evidence("website", "Returns are accepted within 30 days of delivery.", site),
                Evidence("call-centre", "You have 14 days to send it back.", script),
                Evidence("app-ar", ARABIC_QUOTE, arabic),
            ),
            channels=("website", "call-centre", "app-ar"),
            key="returns",
        ),
        Finding(
            rule_id="facts.price_mismatch",
            dimension="facts",
            severity="warning",
            message="Trail Jacket price differs",
            evidence=(Evidence("instagram", HOSTILE, insta),),
            channels=("instagram", "website"),
            key="price:trail jacket",
        ),
        Finding(
            rule_id="facts.contradiction",
            dimension="facts",
            severity="error",
            message="Delivery time differs: 3-5 business days vs 2 days",
            evidence=(Evidence("website", "Delivery in 3-5 business days.", site),),
            channels=("website", "instagram"),
            key="delivery",
        ),
    )
    coverage = []
    similarities = {
        "value_proposition": (0.81, 0.62, 0.58, 0.71),
        "tagline": (0.92, 0.77, 0.21, float("nan")),
    }
    for message, row in similarities.items():
        for channel, similarity in zip(CHANNELS, row, strict=True):
            covered = similarity == similarity and similarity >= 0.55
            coverage.append(
                CoverageCell(
                    message_id=message,
                    channel_id=channel,
                    similarity=similarity,
                    covered=covered,
                    quote=HOSTILE if channel == "instagram" else f"Best sentence on {channel}",
                    location=insta if channel == "instagram" else site,
                )
            )
    return AuditResult(
        brand="Northwind & Co <Outfitters>",
        verdict="multichannel",
        overall=62.3456,
        scores=(
            DimensionScore("messages", 71.0, "7 of 8 message x channel pairs covered"),
            DimensionScore("alignment", 66.4, "mean pairwise similarity 0.66"),
            DimensionScore("facts", 38.0, "2 contradictions over 9 shared facts"),
            DimensionScore("terminology", 85.0, "1 banned word | 0 preferred-term slips"),
            DimensionScore("integration", 50.0, "2 of 4 channels link to the website"),
        ),
        findings=findings,
        failures=(
            Failure(
                "instagram",
                "https://graph.example/posts",
                "HTTP 503 Service Unavailable",
                status=503,
                attempts=3,
            ),
        ),
        channels=(
            ChannelSummary("website", "website", "website", "site/", 12, 340, ("en",)),
            ChannelSummary("instagram", "social", "social_export", "social/instagram.json", 40, 95, ("en",)),
            ChannelSummary("call-centre", "service", "service_folder", "service/", 6, 120, ("en",)),
            ChannelSummary("app-ar", "app", "website", "app/ar/", 4, 30, ("ar",)),
        ),
        coverage=tuple(coverage),
        message_ids=("value_proposition", "tagline"),
        alignment=(
            (1.0, 0.72, 0.55, 0.61),
            (0.72, 1.0, 0.48, 0.5),
            (0.55, 0.48, 1.0, 0.43),
            (0.61, 0.5, 0.43, 1.0),
        ),
        facts=(
            Fact(
                "duration",
                "30",
                "day",
                "returns",
                "30 days",
                "Returns are accepted within 30 days.",
                "website",
                site,
            ),
            Fact("duration", "14", "day", "returns", "14 يومًا", ARABIC_QUOTE, "app-ar", arabic),
        ),
        stats={"documents": 62, "segments": 585, "timings": {"collect_s": 3.2, "analyze_s": 1.25}}
        if stats is None
        else stats,
        started_at="2026-11-23T10:00:00Z",
        tool_version="0.1.0",
        config_path="samples/northwind/omniaudit.yaml",
    )


@pytest.fixture
def result() -> AuditResult:
    return build_result()


@pytest.fixture
def result_with_sections() -> AuditResult:
    stats = {"documents": 62, **json.loads((FIXTURES / "stats_sections.json").read_text(encoding="utf-8"))}
    return build_result(stats)
