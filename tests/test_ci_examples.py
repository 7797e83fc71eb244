"""The CI examples work as written: the GitHub Action (action.yml) run step by step in a temporary workspace
with no GitHub (artefacts in a local folder, the artefacts API on a local server), the README's workflow,
the GitLab CI job, and the cron line and systemd units run against a sample brand.

What cannot run here is said where it is skipped: `actions/setup-python` (this interpreter is used) and
the install step (omniaudit is already installed in this virtual environment; pip would need the network).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from omniaudit.cli import main
from tests.servers import Reply, Request, serve

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "brightmart"
BIN = Path(sys.executable).parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
REPOSITORY = "acme/brand"


def _options(command: str) -> set[str]:
    """The long and short options of an omniaudit command, read from its --help."""
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return set(re.findall(r"(?<![\w-])(-{1,2}[A-Za-z][\w-]*)", result.output))


def _check_command_line(words: list[str]) -> None:
    """An `omniaudit <command> ...` line uses only options that command has."""
    position = next(i for i, word in enumerate(words) if word.endswith("omniaudit"))
    command, rest = words[position + 1], words[position + 2 :]
    known = _options(command)
    used = {word.split("=", 1)[0] for word in rest if word.startswith("-") and word != "-"}
    assert used <= known, f"omniaudit {command}: unknown options {sorted(used - known)}"


# -- a small runner for the composite action ----------------------------------------------------------------


class ActionRun:
    """Runs action.yml's steps: `run` steps in bash, the `uses` steps emulated on a local artefact store."""

    def __init__(
        self, workspace: Path, store: Path, api_url: str, run_id: int, inputs: dict[str, str]
    ) -> None:
        self.workspace = workspace
        self.store = store
        self.api_url = api_url
        self.run_id = run_id
        self.inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        unknown = set(inputs) - set(self.inputs)
        assert not unknown, f"not inputs of the action: {unknown}"
        self.inputs.update(inputs)
        self.outputs: dict[str, dict[str, str]] = {}
        self.sarif_uploads: list[dict[str, Any]] = []
        self.ran: list[str] = []
        self.stderr: dict[str, str] = {}  # step id -> what it wrote on stderr
        # Defaults may be expressions themselves (github-token: ${{ github.token }}).
        self.inputs = {name: self.text(value) for name, value in self.inputs.items()}

    # ${{ ... }} expressions: the subset action.yml uses (contexts, literals, ==, !=, &&, ||, always()).
    def _value(self, path: str) -> str:
        parts = path.split(".")
        if parts[0] == "inputs":
            return self.inputs[parts[1]]
        if parts[0] == "steps":
            return self.outputs.get(parts[1], {}).get(parts[3], "")
        if parts[0] == "github":
            return {"token": "test-token", "action_path": str(ROOT)}.get(parts[1], "")
        raise AssertionError(f"unsupported context {path}")

    def evaluate(self, expression: str) -> Any:
        tokens = re.findall(r"'[^']*'|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*|==|!=|&&|\|\||\(|\)", expression)
        python = []
        for token in tokens:
            if token.startswith("'"):
                python.append(repr(token[1:-1]))
            elif token in ("always()", "success()"):
                python.append("True")
            elif token in ("&&", "||"):
                python.append(" and " if token == "&&" else " or ")
            elif token in ("==", "!=", "(", ")"):
                python.append(f" {token} ")
            else:
                python.append(repr(self._value(token)))
        return eval("".join(python), {"__builtins__": {}})  # noqa: S307 - built from the tokens above only

    def text(self, value: Any) -> str:
        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(self.evaluate(m.group(1))), str(value))

    def run(self) -> int:
        for number, step in enumerate(ACTION["runs"]["steps"]):
            condition = step.get("if")
            if condition is not None and not self.evaluate(condition):
                continue
            key = step.get("id", f"step{number}")
            self.ran.append(key)
            if "uses" in step:
                self._uses(step["uses"], {k: self.text(v) for k, v in step.get("with", {}).items()})
            elif key == "install":
                continue  # omniaudit is installed in this environment (pip would need the network)
            else:
                code = self._bash(key, step)
                if number == len(ACTION["runs"]["steps"]) - 1:
                    return code
                assert code == 0, f"step {step['name']} failed with {code}"
        raise AssertionError("the action has no final step")

    def _bash(self, key: str, step: dict[str, Any]) -> int:
        output = self.workspace.parent / f"output-{self.run_id}-{key}"
        output.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_OUTPUT": str(output),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_API_URL": self.api_url,
            **{name: self.text(value) for name, value in step.get("env", {}).items()},
        }
        cwd = self.workspace / self.text(step.get("working-directory", "."))
        process = subprocess.run(["bash", "-c", self.text(step["run"])], cwd=cwd, env=env,
                                 capture_output=True, text=True, timeout=600)
        assert "Traceback" not in process.stderr, process.stderr
        self.stderr[key] = process.stderr
        values = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line)
        self.outputs[key] = values
        return process.returncode

    def _uses(self, action: str, given: dict[str, str]) -> None:
        name = action.split("@")[0]
        if name == "actions/setup-python":
            return  # this interpreter
        if name == "actions/upload-artifact":
            target = self.store / given["name"] / str(self.run_id)
            source = Path(given["path"])
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target / source.name)
            return
        if name == "actions/download-artifact":
            assert given["github-token"] == "test-token"
            source = self.store / given["name"] / given["run-id"]
            shutil.copytree(source, Path(given["path"]), dirs_exist_ok=True)
            return
        if name == "github/codeql-action/upload-sarif":
            sarif = json.loads(Path(given["sarif_file"]).read_text(encoding="utf-8"))
            assert sarif["version"] == "2.1.0" and given["category"] == "omniaudit"
            self.sarif_uploads.append(sarif)
            return
        raise AssertionError(f"the test does not know the action {action}")


@pytest.fixture()
def artefacts(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A local artefact store and the part of GitHub's REST API that lists a repository's artefacts."""
    store = tmp_path / "artefacts"
    store.mkdir()

    def listing(request: Request) -> Reply:
        if request.headers.get("authorization") != "Bearer test-token":
            return Reply(401, "{}", content_type="application/json")
        name = dict(part.split("=", 1) for part in request.query.split("&") if "=" in part)["name"]
        folder = store / name
        runs = sorted((int(p.name) for p in folder.iterdir()), reverse=True) if folder.is_dir() else []
        body = {"artifacts": [{"name": name, "expired": False, "workflow_run": {"id": run}} for run in runs]}
        return Reply(200, json.dumps(body), content_type="application/json")

    with serve(routes={f"/repos/{REPOSITORY}/actions/artifacts": listing}) as server:
        yield store, server.url


def _workspace(tmp_path: Path, run: int) -> Path:
    """A fresh checkout of the caller's repository: the sample brand, no history (each job starts clean)."""
    workspace = tmp_path / f"run{run}" / "workspace"
    shutil.copytree(SAMPLE, workspace / "brand", ignore=shutil.ignore_patterns(".omniaudit"))
    return workspace


def test_the_actions_inputs_and_audit_options_exist() -> None:
    steps = {step.get("id"): step for step in ACTION["runs"]["steps"]}
    assert ACTION["runs"]["using"] == "composite"
    uses = {step["uses"].split("@")[0] for step in ACTION["runs"]["steps"] if "uses" in step}
    assert uses == {"actions/setup-python", "actions/upload-artifact", "actions/download-artifact",
                    "github/codeql-action/upload-sarif"}
    audit = steps["audit"]["run"]
    options = _options("audit")
    for option in re.findall(r"(?<![\w-])(--[a-z][\w-]*|-[a-zA-Z])\b", audit):
        if option not in ("-f", "-n", "-o", "-q", "-p", "-d", "-le", "-e", "-u"):  # bash's own flags
            assert option in options, option
    assert {"-q", "-o", "--fail-on", "--baseline", "--no-history"} <= options
    assert {"--fail-on", "--baseline", "--no-history"} <= set(re.findall(r"--[a-z-]+", audit))
    # Every ${{ inputs.x }} the steps use is declared.
    used = set(re.findall(r"inputs\.([\w-]+)", (ROOT / "action.yml").read_text(encoding="utf-8")))
    assert used <= set(ACTION["inputs"])


@pytest.mark.slow
def test_the_action_audits_then_diffs_against_the_previous_runs_history(
    tmp_path: Path, artefacts: tuple[Path, str]
) -> None:
    store, api = artefacts
    inputs = {"config": "brand/omniaudit.yaml", "formats": "html sarif json", "fail-on": "error"}

    first = ActionRun(_workspace(tmp_path, 1), store, api, 101, inputs)
    code = first.run()
    assert code == 1, first.stderr  # BrightMart has error findings, all new on the first run
    assert "chromium" not in first.ran  # local site: nothing to render
    report = first.workspace / "omniaudit-report"
    assert {p.name for p in report.iterdir()} == {"omniaudit.html", "omniaudit.sarif", "omniaudit.json"}
    assert (store / "omniaudit-report" / "101" / "omniaudit.html").is_file()
    assert (store / "omniaudit-history" / "101" / "history.db").is_file()
    assert len(first.sarif_uploads) == 1
    stats = json.loads((report / "omniaudit.json").read_text(encoding="utf-8"))["stats"]
    assert "since_last_run" not in stats

    second = ActionRun(_workspace(tmp_path, 2), store, api, 102, inputs)
    assert second.run() == 0, second.stderr  # nothing new since the first run's history
    assert second.outputs["history"] == {"run-id": "101"}
    since = json.loads((second.workspace / "omniaudit-report" / "omniaudit.json").read_text(encoding="utf-8"))
    assert since["stats"]["since_last_run"]["new"] == []
    assert since["stats"]["since_last_run"]["unchanged"] > 0
    assert (store / "omniaudit-history" / "102" / "history.db").is_file()


def test_the_readme_workflow_uses_the_action() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Weekly audit in GitHub Actions", 1)[1].split("\n## ", 1)[0]
    workflow = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["audit"]["steps"]
    assert "scripts/install.sh" not in section and "actions/cache" not in section
    action = next(step for step in steps if step.get("uses", "").startswith("omniaudit/omniaudit@"))
    assert set(action.get("with", {})) <= set(ACTION["inputs"])
    assert workflow["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}


def test_the_gitlab_job_uses_existing_options() -> None:
    config = yaml.safe_load((ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = config["omniaudit"]
    lines = [line for line in job["script"] if line.startswith("omniaudit ")]
    assert [shlex.split(line)[1] for line in lines] == ["check-config", "audit"]
    for line in lines:
        _check_command_line(shlex.split(line))
    assert ".omniaudit/history.db" in job["artifacts"]["paths"] and job["artifacts"]["when"] == "always"


def _brand(tmp_path: Path) -> Path:
    """/srv/brand-audit of the examples: a brand's folder with omniaudit in .venv/bin."""
    brand = tmp_path / "brand-audit"
    shutil.copytree(SAMPLE, brand, ignore=shutil.ignore_patterns(".omniaudit"))
    (brand / ".venv" / "bin").mkdir(parents=True)
    (brand / ".venv" / "bin" / "omniaudit").symlink_to(BIN / "omniaudit")
    return brand


def _exec_start(brand: Path) -> str:
    unit = (ROOT / "docs" / "ci" / "omniaudit-weekly.service").read_text(encoding="utf-8")
    return unit.replace("/srv/brand-audit", str(brand))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path: Path) -> None:
    brand = _brand(tmp_path)
    units = tmp_path / "units"
    units.mkdir()
    (units / "omniaudit-weekly.service").write_text(_exec_start(brand), encoding="utf-8")
    shutil.copy(ROOT / "docs" / "ci" / "omniaudit-weekly.timer", units / "omniaudit-weekly.timer")
    check = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, sorted(units.iterdir()))],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr


@pytest.mark.slow
def test_the_cron_line_and_the_service_run_twice_against_a_sample(tmp_path: Path) -> None:
    brand = _brand(tmp_path)
    cron = (ROOT / "docs" / "ci" / "crontab").read_text(encoding="utf-8").splitlines()[-1]
    command = cron.split(None, 5)[5].replace("\\%", "%").replace("/srv/brand-audit", str(brand))
    _check_command_line(shlex.split(command.split("&&", 1)[1].replace("$(date +%F)", "x")))
    service = next(line for line in _exec_start(brand).splitlines() if line.startswith("ExecStart="))
    env = {**os.environ, "PATH": os.environ["PATH"]}
    first = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=600)
    # The first run of a history counts every finding: BrightMart's errors exit 1 (SuccessExitStatus=1).
    assert first.returncode == 1 and first.stdout == "" and first.stderr == "", first.stderr
    assert list((brand / "reports").glob("audit-*.html")) and (brand / "reports" / "latest.sarif").is_file()
    second = subprocess.run(shlex.split(service.split("=", 1)[1]), cwd=brand, capture_output=True, text=True,
                            env=env, timeout=600)
    assert second.returncode == 0 and second.stdout == "" and second.stderr == "", second.stderr
    assert (brand / "reports" / "latest.html").is_file()
