"""The canonical dict leaves a channel that was not audited out of the coverage and alignment matrices, and
carries the fix-first list and the ignored counts."""

from __future__ import annotations

from dataclasses import replace

from omniaudit.models import IgnoredCount
from omniaudit.report import result_to_dict

from .conftest import build_result


def test_an_unaudited_channel_has_no_coverage_column_and_no_alignment_row() -> None:
    result = build_result()
    channels = tuple(replace(c, audited=False) if c.id == "instagram" else c for c in result.channels)
    data = result_to_dict(replace(result, channels=channels))

    assert data["coverage"]["channels"] == ["website", "call-centre", "app-ar"]
    assert {cell["channel"] for cell in data["coverage"]["cells"]} == {"website", "call-centre", "app-ar"}
    assert data["alignment"] == {
        "channels": ["website", "call-centre", "app-ar"],
        "matrix": [[1.0, 0.55, 0.61], [0.55, 1.0, 0.43], [0.61, 0.43, 1.0]],
    }
    assert [c["id"] for c in data["channels"]] == ["website", "instagram", "call-centre", "app-ar"]


def test_fix_first_and_ignored_are_in_the_canonical_dict() -> None:
    result = replace(build_result(), ignored=(IgnoredCount("legal wording", 3, "2027-01-31"),))
    data = result_to_dict(result)

    assert data["ignored"] == [
        {"reason": "legal wording", "count": 3, "until": "2027-01-31", "expired": False}
    ]
    # Errors and warnings only, most impact first: the three-channel contradiction leads.
    assert [(r["rank"], r["rule_id"], r["channels"]) for r in data["fix_first"]][:2] == [
        (1, "facts.contradiction", ["website", "call-centre", "app-ar"]),
        (2, "facts.contradiction", ["website", "instagram"]),
    ]
    assert all(r["severity"] in ("error", "warning") for r in data["fix_first"])
