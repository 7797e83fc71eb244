"""Report outputs through the CLI: the suffix picks the format (an unknown one is a usage error), PDF is
printed by the real Chromium, and the text report fits the terminal it is written to."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from omniaudit.cli import _format_for
from omniaudit.errors import OmniauditError
from omniaudit.report.pdf import render_pdf
from omniaudit.report.schema import result_to_dict

from .conftest import build_result

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"
)

TINY_CONFIG = """\
brand:
  name: Tiny Bakery
  languages: [en]
brand_book:
  key_messages:
    - id: promise
      kind: value_proposition
      text: Fresh bread delivered every morning.
  facts:
    return_window: 30 days
channels:
  - id: help
    type: service
    connector: service_folder
    source: help/
  - id: calls
    type: service
    connector: service_folder
    source: calls/
"""


def _tiny_brand(folder: Path) -> Path:
    (folder / "help").mkdir()
    (folder / "calls").mkdir()
    (folder / "help" / "returns.md").write_text(
        "# Returns\n\nYou can return any item within 30 days, and we will refund you the same week without "
        "asking why, whatever you bought and wherever you bought it.\n",
        encoding="utf-8",
    )
    (folder / "calls" / "returns.txt").write_text(
        "Agent: You can return any item within 14 days.\nCustomer: Thanks.\n", encoding="utf-8"
    )
    config = folder / "omniaudit.yaml"
    config.write_text(TINY_CONFIG, encoding="utf-8")
    return config


def test_suffix_picks_the_format_and_an_unknown_one_is_refused() -> None:
    assert _format_for(None, "r.pdf") == "pdf" and _format_for(None, "r.txt") == "text"
    assert _format_for(None, "report") == "text" and _format_for(None, "-") == "text"
    assert _format_for("json", "-") == "json" and _format_for("json", "out.data") == "json"
    assert _format_for("json", "r.md") == "markdown"  # a known suffix wins, so one run writes several
    with pytest.raises(OmniauditError) as error:
        _format_for(None, "out/report.docx")
    assert str(error.value) == (
        "out/report.docx: unknown report suffix '.docx': use .txt, .json, .md, .html, .htm, .sarif, .csv, "
        ".pdf, or say the format with --format"
    )


def test_unknown_suffix_is_a_usage_error_before_anything_runs(tmp_path: Path) -> None:
    config = _tiny_brand(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "omniaudit", "audit", str(config), "-o", str(tmp_path / "report.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        f"omniaudit: error: {tmp_path / 'report.xlsx'}: unknown report suffix '.xlsx': use .txt, .json, .md, "
        ".html, .htm, .sarif, .csv, .pdf, or say the format with --format"
    ]
    assert not (tmp_path / "report.xlsx").exists()


@pytest.mark.slow
@needs_chromium
def test_pdf_is_printed_by_chromium() -> None:
    from pypdf import PdfReader

    data = render_pdf(result_to_dict(build_result()))
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Northwind & Co <Out" in text and "Findings" in text  # (pypdf reads the "fi" ligature as one)
    assert "Search findings" not in text  # the sidebar and filter are screen-only


@pytest.mark.slow
@needs_chromium
def test_cli_writes_a_pdf_and_wraps_text_to_the_terminal(tmp_path: Path) -> None:
    """A real audit in a pseudo-terminal 60 columns wide: stdout wraps, the PDF is a PDF."""
    config = _tiny_brand(tmp_path)
    pdf = tmp_path / "out" / "report.pdf"
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "60", "LINES": "40", "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "omniaudit",
            "audit",
            str(config),
            "--no-history",
            "--fail-on",
            "never",
            "-q",
            "-o",
            str(pdf),
            "-o",
            "-",
        ],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        if not ready:
            process.kill()
            raise AssertionError("the audit did not finish")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read().decode() if process.stderr else ""
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()

    assert lines[0] == "omniaudit 0.1.0 — Tiny Bakery" or lines[0].endswith("— Tiny Bakery")
    assert max(len(line) for line in lines) <= 60
    assert any(line.startswith("error facts.contradiction") for line in lines)
    assert pdf.read_bytes().startswith(b"%PDF-")
