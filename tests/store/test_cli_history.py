"""`omniaudit history`, `diff`, `baseline` and `audit --baseline/--no-history` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from omniaudit.store import open_store

from ..cli import omniaudit
from ..conftest import SAMPLES
from .conftest import BuildResult, finding
from .test_safety import _child

RETURNS = finding(
    "facts.contradiction",
    "Return window differs: website 30 days; call-centre 14 days",
    ("website", "call-centre"),
    key="returns",
)
CHEAP = finding("terminology.banned", "'cheap' is banned", ("facebook",), severity="warning", key="cheap")
CONFIG = """\
brand:
  name: Acme
brand_book:
  key_messages:
    - id: tagline
      text: Acme makes it easy.
channels:
  - id: site
    type: website
    connector: website
    source: site/
"""


@pytest.fixture
def project(tmp_path: Path, make_result: BuildResult) -> Path:
    """A config whose history holds two runs: run 2 fixed the returns contradiction and changed one page."""
    (tmp_path / "omniaudit.yaml").write_text(CONFIG, encoding="utf-8")
    docs = [
        {"channel": "site", "uri": "site/index.html", "hash": "aaa"},
        {"channel": "site", "uri": "site/returns.html", "hash": "bbb"},
    ]
    with open_store(tmp_path / ".omniaudit" / "history.db") as store:
        store.record_run(
            make_result([RETURNS, CHEAP], documents=docs, overall=60, scores={"messages": 70, "facts": 50})
        )
        store.record_run(
            make_result(
                [CHEAP],
                documents=[docs[0], {**docs[1], "hash": "ccc"}],
                overall=66.25,
                scores={"messages": 70, "facts": 62.5},
                started_at="2026-11-23T09:00:00+00:00",
            )
        )
        store.record_run(make_result(brand="Someone else"))
    return tmp_path


def test_history_lists_the_configs_runs(project: Path) -> None:
    result = omniaudit("history", "-c", str(project / "omniaudit.yaml"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "run",
        "date",
        "(UTC)",
        "brand",
        "verdict",
        "overall",
        "msg",
        "facts",
        "findings",
        "errors",
        "failures",
    ]
    assert lines[1].split() == [
        "2",
        "2026-11-23",
        "09:00",
        "Acme",
        "multichannel",
        "66.2",
        "70.0",
        "62.5",
        "1",
        "0",
        "0",
    ]
    assert lines[2].split()[0] == "1" and len(lines) == 3  # the other brand's run is not listed


def test_history_json_and_db(project: Path) -> None:
    result = omniaudit("history", "--db", str(project / ".omniaudit" / "history.db"), "-f", "json")
    runs = json.loads(result.stdout)["runs"]
    assert [run["id"] for run in runs] == [3, 2, 1]
    assert runs[1]["overall"] == 66.25 and runs[1]["scores"] == {"messages": 70.0, "facts": 62.5}


def test_diff_defaults_to_the_last_two_runs(project: Path) -> None:
    result = omniaudit("diff", "-c", str(project / "omniaudit.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "run 1 (2026-11-16 09:00, multichannel 60.0/100) -> run 2 (2026-11-23 09:00, multichannel 66.2/100)\n"
        "\n"
        "Findings: 0 new, 1 fixed, 1 unchanged\n"
        "  fixed     error   facts.contradiction: Return window differs: website 30 days; call-centre 14 days"
        " [website, call-centre]\n"
        "\n"
        "Scores: overall +6.2; messages +0.0, facts +12.5\n"
        "\n"
        "Documents: 0 added, 1 changed, 0 removed\n"
        "  changed   site: site/returns.html\n"
    )


def test_diff_json_between_named_runs(project: Path) -> None:
    result = omniaudit("diff", "2", "1", "-c", str(project / "omniaudit.yaml"), "-f", "json")
    data = json.loads(result.stdout)
    assert (data["from"]["id"], data["to"]["id"]) == (2, 1)
    assert [f["fingerprint"] for f in data["findings"]["new"]] == [RETURNS.fingerprint]
    assert data["score_deltas"] == {"messages": 0.0, "facts": -12.5}


def test_diff_errors_are_one_line(project: Path, tmp_path: Path) -> None:
    result = omniaudit("diff", "7", "-c", str(project / "omniaudit.yaml"))
    assert result.returncode == 2
    assert result.stderr == (
        f"omniaudit: error: {project / '.omniaudit' / 'history.db'}: no run 7; "
        "see `omniaudit history` for the stored runs\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "omniaudit.yaml").write_text(CONFIG, encoding="utf-8")
    missing = omniaudit("diff", cwd=empty)
    assert missing.returncode == 2
    assert "no run history here yet; run `omniaudit audit` first" in missing.stderr
    (empty / "omniaudit.yaml").unlink()
    nowhere = omniaudit("history", cwd=empty)
    assert nowhere.stderr == "omniaudit: error: which history? pass --config CONFIG (or --db FILE)\n"


def test_baseline_command_writes_the_last_run(project: Path) -> None:
    out = project / "ci" / "baseline.json"
    result = omniaudit("baseline", "-c", str(project / "omniaudit.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"omniaudit: wrote 1 findings of run 2 to {out}\n"
    assert [f["fingerprint"] for f in json.loads(out.read_text(encoding="utf-8"))["findings"]] == [
        CHEAP.fingerprint
    ]
    quiet = omniaudit("baseline", "1", "-c", str(project / "omniaudit.yaml"), "-o", str(out), "-q")
    assert quiet.stderr == "" and len(json.loads(out.read_text(encoding="utf-8"))["findings"]) == 2


def test_audit_refuses_to_run_while_another_holds_the_store(project: Path, tmp_path: Path) -> None:
    db = project / ".omniaudit" / "history.db"
    holder = _child(tmp_path, db, "hold")
    try:
        result = omniaudit("audit", str(project / "omniaudit.yaml"), "-o", str(project / "report.json"))
    finally:
        holder.communicate("\n", timeout=30)
    assert result.returncode == 2
    assert result.stderr == (
        f"omniaudit: error: another omniaudit run is using {db} (pid {holder.pid}); "
        "wait for it to finish or set a different history.path\n"
    )
    assert not (project / "report.json").exists()
    with open_store(db, lock=False) as store:
        assert len(store.list_runs()) == 3


# -- with the real pipeline and model --------------------------------------------------------------------


@pytest.fixture
def brightmart(tmp_path: Path) -> Path:
    target = tmp_path / "brightmart"
    shutil.copytree(SAMPLES / "brightmart", target, ignore=shutil.ignore_patterns(".omniaudit"))
    return target / "omniaudit.yaml"


@pytest.mark.slow
def test_fixing_one_planted_difference_shows_only_it_as_fixed(brightmart: Path) -> None:
    first = omniaudit("audit", str(brightmart), "-q", "-o", str(brightmart.parent / "first.json"))
    assert first.returncode == 1, first.stderr  # the sample has error findings
    assert first.stderr == ""  # --quiet: nothing but errors
    assert "since_last_run" not in json.loads((brightmart.parent / "first.json").read_text())["stats"]

    script = brightmart.parent / "service" / "call-centre" / "returns.md"
    text = script.read_text(encoding="utf-8")
    assert "within 14 days" in text
    script.write_text(text.replace("within 14 days", "within 30 days"), encoding="utf-8")

    second = omniaudit(
        "audit", str(brightmart), "--baseline", "last", "-o", str(brightmart.parent / "second.json")
    )
    assert second.returncode == 0, second.stderr
    assert "baseline run 1: 0 new finding(s) at or above --fail-on error" in second.stderr

    diff = json.loads(omniaudit("diff", "-c", str(brightmart), "-f", "json").stdout)
    assert diff["findings"]["new"] == []
    fixed = diff["findings"]["fixed"]
    # The one planted difference (D1, returns) is what was fixed, and nothing else.
    assert [f["rule_id"] for f in fixed] == ["facts.contradiction"]
    assert "Return window" in fixed[0]["message"] and {"call-centre", "website"} <= set(fixed[0]["channels"])
    assert diff["documents"] == {
        "added": [],
        "removed": [],
        "changed": [{"channel": "call-centre", "uri": "service/call-centre/returns.md"}],
    }
    assert diff["score_deltas"]["facts"] > 0
    since = json.loads((brightmart.parent / "second.json").read_text())["stats"]["since_last_run"]
    assert since["previous_run"] == 1 and since["new"] == []
    assert [f["fingerprint"] for f in since["fixed"]] == [f["fingerprint"] for f in fixed]


@pytest.mark.slow
def test_no_history_records_nothing(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        "<html><head><title>Acme</title></head><body><main><p>Acme makes it easy.</p></main></body></html>",
        encoding="utf-8",
    )
    config = tmp_path / "omniaudit.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    result = omniaudit("audit", str(config), "--no-history", "-q", "-o", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["brand"] == "Acme"
    assert not (tmp_path / ".omniaudit" / "history.db").exists()
    refused = omniaudit("audit", str(config), "--no-history", "--baseline", "last", "-q")
    assert refused.returncode == 2
    assert refused.stderr == (
        "omniaudit: error: --baseline last needs the run history: "
        "drop --no-history or set history.enabled: true\n"
    )
