"""The canonical JSON report: schema fields, stable order, non-ASCII kept as is."""

from __future__ import annotations

import json

import pytest

from omniaudit.errors import OmniauditError
from omniaudit.report import SCHEMA_VERSION, render, render_data, result_to_dict

from .conftest import ARABIC_QUOTE, HOSTILE


def test_json_has_every_schema_field(result) -> None:
    data = json.loads(render(result, "json"))

    assert data["schema_version"] == SCHEMA_VERSION == "1.0"
    assert data["tool"] == {"name": "omniaudit", "version": "0.1.0"}
    assert data["brand"] == "Northwind & Co <Outfitters>"
    assert data["started_at"] == "2026-11-23T10:00:00Z"
    assert data["config"] == "samples/northwind/omniaudit.yaml"
    assert data["verdict"] == "multichannel"
    assert data["overall"] == 62.35
    assert data["scores"][2] == {
        "name": "facts",
        "score": 38.0,
        "explanation": "2 contradictions over 9 shared facts",
    }
    assert data["channels"][3] == {
        "id": "app-ar",
        "type": "app",
        "connector": "website",
        "source": "app/ar/",
        "documents": 4,
        "blocks": 0,
        "segments": 30,
        "languages": ["ar"],
        "failures": 0,
        "skipped": [],
        "audited": True,
    }
    assert data["failures"] == [
        {
            "channel": "instagram",
            "source": "https://graph.example/posts",
            "error": "HTTP 503 Service Unavailable",
            "status": 503,
            "attempts": 3,
        }
    ]
    assert data["facts"][1] == {
        "kind": "duration",
        "value": "14",
        "unit": "day",
        "subject": "returns",
        "text": "14 يومًا",
        "channel": "app-ar",
        "location": {"uri": "app/ar/faq.html", "line": 3, "column": None, "section": "faq"},
    }
    assert data["stats"] == result.stats


def test_coverage_and_alignment_matrices(result) -> None:
    data = result_to_dict(result)
    coverage = data["coverage"]

    assert coverage["messages"] == ["value_proposition", "tagline"]
    assert coverage["channels"] == ["website", "instagram", "call-centre", "app-ar"]
    assert [(c["message"], c["channel"]) for c in coverage["cells"]] == [
        (m, c) for m in coverage["messages"] for c in coverage["channels"]
    ]
    instagram = coverage["cells"][1]
    assert instagram == {
        "message": "value_proposition",
        "channel": "instagram",
        "similarity": 0.62,
        "covered": True,
        "quote": HOSTILE,
        "location": {"uri": "social/instagram.json", "line": None, "column": None, "section": "post 1234"},
    }
    # NaN is not JSON: an unmeasured similarity is null.
    assert coverage["cells"][-1]["similarity"] is None
    assert data["alignment"]["channels"] == coverage["channels"]
    assert data["alignment"]["matrix"][1] == [0.72, 1.0, 0.48, 0.5]
    json.loads(render(result, "json"))  # strict parse: no NaN literal anywhere


def test_findings_sorted_by_severity_dimension_rule_message(result) -> None:
    findings = result_to_dict(result)["findings"]

    assert [(f["severity"], f["dimension"], f["rule_id"], f["message"][:14]) for f in findings] == [
        ("error", "facts", "facts.contradiction", "Delivery time "),
        ("error", "facts", "facts.contradiction", "Return window "),
        ("warning", "facts", "facts.price_mismatch", "Trail Jacket p"),
        ("warning", "terminology", "terminology.banned", 'Banned word "c'),
        ("info", "messages", "messages.missing", "Key message ta"),
    ]
    returns = findings[1]
    assert returns["channels"] == ["website", "call-centre", "app-ar"]
    assert returns["fingerprint"] == result.findings[2].fingerprint
    assert returns["evidence"][2] == {
        "channel": "app-ar",
        "quote": ARABIC_QUOTE,
        "location": {"uri": "app/ar/faq.html", "line": 3, "column": None, "section": "faq"},
    }


def test_json_keeps_arabic_unescaped_and_is_deterministic(result) -> None:
    text = render(result, "json")

    assert ARABIC_QUOTE in text
    assert "\\u06" not in text
    assert text.startswith('{\n  "schema_version": "1.0",\n')
    assert text == render(result, "json")
    # A saved JSON report renders again to the same text.
    assert render_data(json.loads(text), "text") == render(result, "text")


def test_unknown_format_names_the_valid_ones(result) -> None:
    with pytest.raises(OmniauditError) as error:
        render(result, "pdf")
    assert str(error.value) == (
        "unknown report format 'pdf': use one of text, json, markdown, html, sarif, csv"
    )
