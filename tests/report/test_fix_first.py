"""Fix first: the errors and warnings by impact, each with what differs, where, the expected value and a fix.

The BrightMart golden file is the list a brand team reads first; regenerate it after a deliberate change with
`OMNIAUDIT_UPDATE_GOLDEN=1 pytest tests/report/test_fix_first.py` and review the diff.
"""

from __future__ import annotations

import json
import os

import pytest

from omniaudit.models import (
    AuditResult,
    ChannelSummary,
    Difference,
    Evidence,
    Finding,
    Location,
    Stated,
)
from omniaudit.report import result_to_dict
from omniaudit.report.fix_first import fix_first, impact

from ..conftest import FIXTURES, SAMPLES
from ..expected import matches, planted_differences

GOLDEN = FIXTURES / "fix_first" / "brightmart.json"
RECORD_KEYS = [
    "rank", "fingerprint", "rule_id", "severity", "confidence", "impact", "title", "odd", "expected", "fix",
    "locations", "channels",
]  # fmt: skip


def _channel(id: str, type: str) -> ChannelSummary:
    return ChannelSummary(id, type, "files", f"{id}/", documents=1, segments=5)


def _result(*findings: Finding) -> AuditResult:
    return AuditResult(
        brand="Test",
        verdict="multichannel",
        overall=50.0,
        scores=(),
        findings=findings,
        failures=(),
        channels=(
            _channel("website", "website"),
            _channel("instagram", "social"),
            _channel("help", "service"),
        ),
        coverage=(),
        message_ids=(),
        alignment=((1.0, 0.5, 0.5), (0.5, 1.0, 0.5), (0.5, 0.5, 1.0)),
    )


POST = Location("social/instagram.json", line=2, section="post ig-002")
PAGE = Location("site/returns.html", line=12, section="main")

RETURNS = Finding(
    rule_id="facts.contradiction",
    dimension="facts",
    severity="error",
    message="Return window differs across channels: instagram says 14 days; website says 30 days",
    evidence=(
        Evidence("instagram", "Return it within 14 days.", POST),
        Evidence("website", "You can return any item within 30 days.", PAGE),
    ),
    channels=("instagram", "website"),
    key="duration|returns|instagram=14|website=30",
    subject="returns",
    difference=Difference(
        "Return window",
        Stated("14 days", ("instagram",), (Evidence("instagram", "Return it within 14 days.", POST),)),
        Stated("30 days", ("brand_book", "website")),
    ),
)
PASSIVE = Finding(
    rule_id="style.Vale.Passive",
    dimension="style",
    severity="warning",
    message="'is picked' may be passive voice.",
    evidence=(Evidence("website", "Every piece is picked by hand.", PAGE),),
    channels=("website",),
    key="Vale.Passive|is picked",
)
NOTE = Finding("style.Vale.Note", "style", "info", "A suggestion.", channels=("website", "help"))


def test_a_fact_difference_becomes_one_actionable_record() -> None:
    (record,) = fix_first(_result(RETURNS))

    assert list(record) == RECORD_KEYS
    assert record == {
        "rank": 1,
        "fingerprint": RETURNS.fingerprint,
        "rule_id": "facts.contradiction",
        "severity": "error",
        "confidence": None,
        # error 3 x confidence 1.0 x reach (website 1.0 + social 0.5)
        "impact": 4.5,
        "title": "Return window differs: 14 days on instagram vs 30 days elsewhere",
        "odd": {
            "value": "14 days",
            "channel": "instagram",
            "quote": "Return it within 14 days.",
            "location": "social/instagram.json:2 [post ig-002]",
        },
        "expected": {"value": "30 days", "source": "brand book, website"},
        "fix": "Change post ig-002 in social/instagram.json to 30 days, as the brand book and website say",
        "locations": ["social/instagram.json"],
        "channels": ["instagram", "website"],
    }


def test_impact_is_severity_times_confidence_times_reach_and_info_is_left_out() -> None:
    unsure = Finding(
        "claims.value_conflict", "facts", "error", "Two prices", channels=("website", "help"), confidence=0.5
    )
    channel_types = {"website": "website", "instagram": "social", "help": "service"}

    assert impact(unsure, channel_types) == 3.0 * 0.5 * 2.0
    assert impact(PASSIVE, channel_types) == 1.0
    records = fix_first(_result(PASSIVE, NOTE, unsure, RETURNS))
    assert [(r["rank"], r["rule_id"], r["impact"]) for r in records] == [
        (1, "facts.contradiction", 4.5),
        (2, "claims.value_conflict", 3.0),
        (3, "style.Vale.Passive", 1.0),
    ]
    assert records[1]["confidence"] == 0.5 and records[1]["odd"] is None
    assert records[2]["fix"] == "'is picked' may be passive voice. (site/returns.html)"


def test_a_banned_term_has_no_expected_value_and_the_list_is_capped() -> None:
    banned = Finding(
        "terminology.banned",
        "terminology",
        "error",
        "'cheap' is banned by the brand book: used 1 time in 'instagram'",
        evidence=(Evidence("instagram", "Cheap and cheerful.", POST),),
        channels=("instagram",),
        key="cheap",
        difference=Difference(
            "Banned term",
            Stated("'cheap'", ("instagram",), (Evidence("instagram", "Cheap and cheerful.", POST),)),
        ),
    )
    (record,) = fix_first(_result(banned))
    assert record["title"] == "Banned term: 'cheap' on instagram"
    assert record["expected"] is None
    assert record["fix"] == "Remove or reword 'cheap' in post ig-002 in social/instagram.json"
    assert len(result_to_dict(_result(RETURNS, PASSIVE, banned), fix_first_limit=2)["fix_first"]) == 2


@pytest.fixture(scope="module")
def brightmart(real_embedder) -> AuditResult:  # type: ignore[no-untyped-def]
    from omniaudit.app import run_audit
    from omniaudit.config import load_config

    return run_audit(load_config(SAMPLES / "brightmart" / "omniaudit.yaml"), embedder=real_embedder)


def test_brightmart_fix_first_matches_the_golden_file(brightmart: AuditResult) -> None:
    records = result_to_dict(brightmart)["fix_first"]
    if os.environ.get("OMNIAUDIT_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert records == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_brightmart_first_five_are_planted_contradictions_and_procedure_differences(
    brightmart: AuditResult,
) -> None:
    by_fingerprint = {finding.fingerprint: finding for finding in brightmart.findings}
    planted = [
        p
        for p in planted_differences(SAMPLES / "brightmart" / "EXPECTED.md")
        if p.rule.startswith(("facts.", "experience.")) and p.rule != "experience.tone"
    ]
    first = [by_fingerprint[record["fingerprint"]] for record in result_to_dict(brightmart)["fix_first"][:5]]
    assert [next((p.id for p in planted if matches(p, finding)), finding.rule_id) for finding in first] == [
        "D1",
        "D11",
        "D4",
        "D3",
        "D2",
    ]


def test_no_customer_turn_is_linted_scored_for_tone_or_a_key_message(brightmart: AuditResult) -> None:
    from omniaudit.models import CUSTOMER_SCOPES

    customer = {
        (block.location.uri, " ".join(block.text.split()))
        for document in brightmart.documents
        for block in document.blocks
        if block.scope in CUSTOMER_SCOPES and block.text.strip()
    }
    assert len(customer) >= 5  # the call-centre scripts and the chatbot flows have customer turns
    quiet = [
        f
        for f in brightmart.findings
        if f.rule_id.startswith(("style.", "messages.")) or f.rule_id == "experience.tone"
    ]
    assert quiet, "BrightMart has style, message and tone findings"
    quoted = [(f.rule_id, e.location.uri, " ".join(e.quote.split())) for f in quiet for e in f.evidence]
    closest = [("closest match", c.location.uri, c.quote) for c in brightmart.coverage if c.location]

    def said_by_a_customer(uri: str, quote: str) -> bool:
        return any(uri == where and quote in text for where, text in customer)

    assert [item for item in [*quoted, *closest] if said_by_a_customer(item[1], item[2])] == []
