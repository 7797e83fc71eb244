"""The pre-commit hooks, run by `pre-commit try-repo` against a temporary git repository.

The hooks are `language: system` (they run the omniaudit on PATH; a hook environment would install torch),
so the test puts this virtual environment's bin folder first on PATH. About 15 s in all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (BIN / "pre-commit").exists(),
                                reason="needs git and pre-commit (test extra)")

RULE = """extends: existence
message: "Don't use '%s'."
level: error
ignorecase: true
tokens:
  - utilize
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
    }


@pytest.fixture()
def hooks_repo(tmp_path: Path) -> Path:
    """This repository's hook definitions as a committed repository of their own (try-repo reads commits)."""
    repo = tmp_path / "hooks"
    repo.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", repo / ".pre-commit-hooks.yaml")
    env = _env(tmp_path)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "hooks"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    return repo


def _project(tmp_path: Path, text: str) -> Path:
    project = tmp_path / "project"
    (project / "styles" / "House").mkdir(parents=True)
    (project / "styles" / "House" / "Utilize.yml").write_text(RULE, encoding="utf-8")
    (project / ".vale.ini").write_text("StylesPath = styles\n[*]\nBasedOnStyles = House\n", encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "page.md").write_text(text, encoding="utf-8")
    (project / "notes.py").write_text("# utilize: not a prose file, never linted\n", encoding="utf-8")
    (project / "omniaudit.yaml").write_text(
        "brand: {name: Acme}\nbrand_book:\n  key_messages: [{id: m, text: Hello.}]\n"
        "channels: [{id: docs, type: website, connector: website, source: docs/}]\n",
        encoding="utf-8",
    )
    env = _env(tmp_path)
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=env)
    return project


def _try_repo(tmp_path: Path, hooks: Path, project: Path, hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", str(hooks), hook, "--all-files", "--color", "never"],
        cwd=project, env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )


def test_the_lint_hook_fails_on_an_error_level_alert(tmp_path: Path, hooks_repo: Path) -> None:
    project = _project(tmp_path, "# Guide\n\nWe utilize the best tools.\n")
    run = _try_repo(tmp_path, hooks_repo, project, "omniaudit-lint")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "docs/page.md:3:4:House.Utilize:Don't use 'utilize'." in run.stdout
    assert "notes.py" not in run.stdout


def test_the_lint_hook_passes_clean_prose(tmp_path: Path, hooks_repo: Path) -> None:
    project = _project(tmp_path, "# Guide\n\nWe use the best tools.\n")
    run = _try_repo(tmp_path, hooks_repo, project, "omniaudit-lint")
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_config_hook_checks_the_config(tmp_path: Path, hooks_repo: Path) -> None:
    project = _project(tmp_path, "# Guide\n")
    run = _try_repo(tmp_path, hooks_repo, project, "omniaudit-check-config")
    assert run.returncode == 0, run.stdout + run.stderr
    config = project / "omniaudit.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("{name: Acme}", "{name: Acme, nmae: x}"), encoding="utf-8"
    )
    run = _try_repo(tmp_path, hooks_repo, project, "omniaudit-check-config")
    assert run.returncode == 1, run.stdout + run.stderr  # pre-commit's own code when a hook fails
    assert "- exit code: 2" in run.stdout
    assert "omniaudit.yaml:1: brand.nmae: unknown key (did you mean 'name'?)" in run.stdout
