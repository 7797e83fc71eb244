"""Baseline files: written from a stored run, read back, and every bad file is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omniaudit.errors import OmniauditError
from omniaudit.store import open_store, read_baseline, resolve_baseline, write_baseline

from .conftest import BuildResult, finding

OLD = finding("facts.contradiction", "Return window differs", ("website", "call-centre"), key="returns")
NEW = finding("terminology.banned", "'cheap' is banned", ("facebook",), key="cheap")


def test_written_baseline_lists_fingerprints_for_humans(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.record_run(make_result([OLD, OLD]))
        count = write_baseline(tmp_path / "ci" / "baseline.json", store.load_run())
    data = json.loads((tmp_path / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert count == 1  # the same problem twice is one entry
    assert data["omniaudit_baseline"] == 1 and data["brand"] == "Acme" and data["run"] == 1
    assert data["findings"] == [
        {
            "fingerprint": OLD.fingerprint,
            "rule_id": "facts.contradiction",
            "severity": "error",
            "message": "Return window differs",
            "channels": ["website", "call-centre"],
        }
    ]
    baseline = read_baseline(tmp_path / "ci" / "baseline.json")
    assert baseline.new_findings([OLD, NEW]) == [NEW]


def test_a_plain_list_of_fingerprints_is_a_baseline(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps([NEW.fingerprint]), encoding="utf-8")
    assert read_baseline(path).new_findings([OLD, NEW]) == [OLD]


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        (None, ": baseline file not found; write one with `omniaudit baseline`"),
        ('{"findings": [\n', ":2: the baseline is not valid JSON: Expecting value"),
        (
            '{"runs": []}',
            ": not an omniaudit baseline (expected a 'findings' list); write one with `omniaudit baseline`",
        ),
        ('{"findings": [{"rule_id": "x"}]}', ": findings.0: expected a fingerprint string"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, text: str | None, suffix: str) -> None:
    path = tmp_path / "baseline.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(OmniauditError) as info:
        read_baseline(path)
    assert str(info.value) == f"{path}{suffix}"


def test_baseline_last_is_the_newest_run_of_the_brand(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.record_run(make_result([OLD], brand="Acme"))
        store.record_run(make_result([NEW], brand="Other"))
        baseline = resolve_baseline("last", store, brand="Acme")
    assert baseline.source == "run 1"
    assert baseline.new_findings([OLD, NEW]) == [NEW]


def test_baseline_last_on_a_first_run_counts_everything(tmp_path: Path) -> None:
    with open_store(tmp_path / "h.db") as store:
        baseline = resolve_baseline("last", store, brand="Acme")
    assert baseline.new_findings([OLD]) == [OLD]
    assert baseline.source.startswith("none")


def test_baseline_last_needs_the_history() -> None:
    with pytest.raises(OmniauditError) as info:
        resolve_baseline("last", None)
    assert (
        str(info.value)
        == "--baseline last needs the run history: drop --no-history or set history.enabled: true"
    )
