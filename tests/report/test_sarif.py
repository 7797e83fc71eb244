"""SARIF 2.1.0 output: valid against the OASIS schema, and what a code-scanning UI needs is in it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from omniaudit.models import AuditResult
from omniaudit.report.sarif import FINGERPRINT_KEY, render_sarif, result_to_sarif

ROOT = Path(__file__).resolve().parent.parent.parent
# The OASIS schema (oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json), stored unmodified.
SCHEMA = json.loads(
    (ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)


def test_the_schema_check_is_real(result: AuditResult) -> None:
    log = result_to_sarif(result, root=ROOT)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


def test_output_validates_against_the_sarif_schema(result: AuditResult) -> None:
    text = render_sarif(result, root=ROOT)
    assert text.endswith("}\n")
    log = json.loads(text)
    validate(log)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")


def test_one_rule_per_rule_id_and_levels(result: AuditResult) -> None:
    run = result_to_sarif(result, root=ROOT)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [
        "facts.contradiction",
        "facts.price_mismatch",
        "messages.missing",
        "terminology.banned",
    ]
    assert {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules} == {
        "facts.contradiction": "error",
        "facts.price_mismatch": "warning",
        "messages.missing": "note",
        "terminology.banned": "warning",
    }
    levels = [(item["ruleId"], item["level"]) for item in run["results"]]
    assert levels == [
        ("facts.contradiction", "error"),
        ("facts.contradiction", "error"),
        ("facts.price_mismatch", "warning"),
        ("terminology.banned", "warning"),
        ("messages.missing", "note"),
    ]
    for item in run["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]


def test_results_carry_fingerprint_channels_and_dimension(result: AuditResult) -> None:
    results = result_to_sarif(result, root=ROOT)["runs"][0]["results"]
    by_fingerprint = {item["partialFingerprints"][FINGERPRINT_KEY]: item for item in results}
    assert set(by_fingerprint) == {finding.fingerprint for finding in result.findings}
    returns = next(f for f in result.findings if f.key == "returns")
    item = by_fingerprint[returns.fingerprint]
    assert item["message"] == {"text": returns.message}
    assert item["properties"] == {
        "channels": ["website", "call-centre", "app-ar"],
        "dimension": "facts",
        "severity": "error",
    }


def test_locations_urls_files_lines_and_related(result: AuditResult) -> None:
    results = result_to_sarif(result, root=ROOT)["runs"][0]["results"]
    returns = next(item for item in results if "Return window" in item["message"]["text"])
    # First evidence: a URL, kept as it is, with line and column.
    assert returns["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "https://northwind.example/returns"},
                "region": {
                    "startLine": 12,
                    "startColumn": 5,
                    "snippet": {"text": "Returns are accepted within 30 days of delivery."},
                },
            },
            "message": {"text": "main"},
            "properties": {"channel": "website"},
        }
    ]
    # Other evidence: files relative to the repository root (the config's folder + the channel's path).
    related = returns["relatedLocations"]
    assert [(r["id"], r["physicalLocation"]["artifactLocation"]["uri"]) for r in related] == [
        (1, "samples/northwind/service/returns_call.txt"),
        (2, "samples/northwind/app/ar/faq.html"),
    ]
    assert related[0]["physicalLocation"]["region"]["startLine"] == 7
    assert related[0]["message"] == {"text": "turn 3 (Agent)"}
    # A quote with no line gets a file location without region.
    banned = next(item for item in results if item["ruleId"] == "terminology.banned")
    assert banned["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "samples/northwind/social/instagram.json"}
    }


def test_a_finding_without_evidence_points_at_the_config(result: AuditResult) -> None:
    results = result_to_sarif(result, root=ROOT)["runs"][0]["results"]
    missing = next(item for item in results if item["ruleId"] == "messages.missing")
    assert missing["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "samples/northwind/omniaudit.yaml"},
        "region": {"startLine": 1},
    }


def test_paths_outside_the_root_become_file_uris(result: AuditResult, tmp_path: Path) -> None:
    results = result_to_sarif(result, root=tmp_path)["runs"][0]["results"]
    banned = next(item for item in results if item["ruleId"] == "terminology.banned")
    uri = banned["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (ROOT / "samples" / "northwind" / "social" / "instagram.json").as_uri()


def test_run_metadata_and_failures(result: AuditResult) -> None:
    run = result_to_sarif(result, root=ROOT)["runs"][0]
    assert run["tool"]["driver"]["name"] == "omniaudit" and run["tool"]["driver"]["version"] == "0.1.0"
    assert run["automationDetails"] == {"id": "omniaudit/Northwind & Co <Outfitters>/"}
    invocation = run["invocations"][0]
    assert invocation["startTimeUtc"] == "2026-11-23T10:00:00Z"
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "warning",
            "message": {"text": "https://graph.example/posts: HTTP 503 Service Unavailable"},
            "properties": {"channel": "instagram", "status": 503},
        }
    ]
    assert run["properties"]["verdict"] == "multichannel" and run["properties"]["overall"] == 62.35
    assert run["properties"]["scores"]["facts"] == 38.0


def test_baseline_state_from_since_last_run(result: AuditResult) -> None:
    new = next(f for f in result.findings if f.key == "cheap")
    since = {"previous_run": 3, "new": [{"fingerprint": new.fingerprint}], "fixed": [], "unchanged": 4}
    log = result_to_sarif(replace(result, stats={"since_last_run": since}), root=ROOT)
    validate(log)
    states = {
        item["partialFingerprints"][FINGERPRINT_KEY]: item["baselineState"]
        for item in log["runs"][0]["results"]
    }
    assert states.pop(new.fingerprint) == "new"
    assert set(states.values()) == {"unchanged"}
    assert "baselineState" not in result_to_sarif(result, root=ROOT)["runs"][0]["results"][0]


def test_an_empty_audit_is_a_valid_log(result: AuditResult) -> None:
    log = result_to_sarif(replace(result, findings=(), failures=(), started_at="not a date"), root=ROOT)
    validate(log)
    assert log["runs"][0]["results"] == [] and "startTimeUtc" not in log["runs"][0]["invocations"][0]


@pytest.mark.slow
def test_every_sample_audit_validates(sample_results: dict[str, AuditResult]) -> None:
    for name, sample in sample_results.items():
        log = json.loads(render_sarif(sample, root=ROOT))
        validate(log)
        uris = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for item in log["runs"][0]["results"]
            for loc in item.get("locations", [])
        }
        assert uris and all(uri.startswith(f"samples/{name}/") for uri in uris), uris
