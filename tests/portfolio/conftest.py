"""Portfolios for the tests: copies of the bundled samples plus the benchmark's tiny generated brands."""

from __future__ import annotations

import base64
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "bench"))

from portfolio import build_portfolio  # noqa: E402  (bench/portfolio.py)

# A 1x1 PNG, the agency's logo in the tests.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
BROKEN = """\
brand:
  name: Broken Ltd
brand_book:
  key_messages:
    - {id: tagline, text: Broken things fixed.}
channels:
  - id: site
    source: site/
"""


def copy_samples(folder: Path) -> None:
    for sample in sorted(path.parent for path in SAMPLES.glob("*/omniaudit.yaml")):
        shutil.copytree(sample, folder / "samples" / sample.name, ignore=shutil.ignore_patterns(".omniaudit"))


def write_broken(folder: Path) -> Path:
    path = folder / "broken" / "omniaudit.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN, encoding="utf-8")
    return path


def reports(output: Path) -> dict[str, dict[str, Any]]:
    """Each client's JSON report in an output folder."""
    return {
        path.parent.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(output.glob("clients/*/report.json"))
    }


def findings_of(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(f["rule_id"], f["severity"], f["message"], f["fingerprint"]) for f in report["findings"]]


@pytest.fixture(scope="module")
def sample_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four bundled samples, a client with a broken config and two tiny generated brands, with shared
    defaults and an agency's logo and colours."""
    folder = tmp_path_factory.mktemp("portfolio")
    copy_samples(folder)
    write_broken(folder)
    (folder / "logo.png").write_bytes(PIXEL)
    return build_portfolio(
        folder,
        2,
        size="tiny",
        extra_clients=["samples/*/omniaudit.yaml", "broken/omniaudit.yaml"],
        defaults={"thresholds": {"confidence": 0.2}},
        agency={"name": "Northlight Agency", "logo": "logo.png", "colors": {"primary": "#0a2540"}},
    )
