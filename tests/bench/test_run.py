"""A tiny run of the benchmark (bench/run.py --size tiny): the table's columns are printed and every planted
difference is found. The benchmark itself is not part of the suite; this keeps it from rotting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_tiny_benchmark_prints_the_table_and_finds_every_planted_difference(tmp_path: Path) -> None:
    figures_path = tmp_path / "tiny.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--size", "tiny",
         "--data-dir", str(tmp_path / "brand"), "--json", str(figures_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    table = completed.stdout
    assert "| stage " in table and "| seconds " in table and "| share " in table
    for stage in ("collect", "extract", "embed", "analyze", "report", "total"):
        assert f"| {stage} " in table
    for figure in ("documents/s (end to end)", "segments/s (end to end)", "peak RSS",
                   "raw encode of the same texts", "embed stage / raw encode", "planted-difference recall"):
        assert f"| {figure} " in table
    assert "machine: " in table

    figures = json.loads(figures_path.read_text(encoding="utf-8"))
    assert figures["recall"] == 1.0 and figures["missed"] == []
    assert figures["extra_contradictions"] == []
    # 10 pages crawled over HTTP, 30 posts, 3 service documents
    assert figures["counts"]["documents"] == 10 + 30 + 3
    assert figures["counts"]["failures"] == 0
    # the raw baseline ran on exactly the texts the audit embedded
    assert figures["embedded_texts"] == figures["counts"]["unique_texts_embedded"]
    assert figures["raw_encode_s"] > 0 and figures["peak_rss_mib"] > 0
    assert set(figures["timings"]) == {"collect", "extract", "embed", "analyze", "report"}
    for name in ("report.html", "report.json", "report.md"):
        assert (tmp_path / "brand" / name).stat().st_size > 0
