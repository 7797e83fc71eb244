"""The package as a user installs it: a wheel built from this tree (`python -m build`), installed into a fresh
virtual environment, audits a bundled sample; without the `render` extra a JavaScript page gets one line that
says what to install; the shell completion scripts print.

The fresh environment takes its dependencies from this one instead of the network (torch alone is gigabytes):
a folder of links to every installed distribution except omniaudit itself and playwright goes on its path.
`venv --system-site-packages` cannot do this: it exposes the base interpreter's packages, not this venv's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.servers import serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "nakheel" / "omniaudit.yaml"  # the smallest bundled brand
APP_SHELL = ROOT / "tests" / "fixtures" / "site" / "app.html"  # its only text is written by JavaScript
# Distributions the slim environment must not see: the package under test (this tree's editable install)
# and the `render` extra.
LEFT_OUT = ("omniaudit", "__editable__.omniaudit", "__editable___omniaudit", "playwright")


def _run(
    command: list[str | Path], cwd: Path | None = None, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(env_extra or {})
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=120, env=env, cwd=cwd
    )


def _checked(
    command: list[str | Path], cwd: Path | None = None, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = _run(command, cwd, env_extra)
    assert result.returncode == 0, f"{command}: {result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the files the build reads: setuptools writes build/ and *.egg-info next to the sources, and
    other builds of this tree may run at the same time."""
    copy = tmp_path_factory.mktemp("source")
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build requirements are installed here, and an isolated build would need an index.
    _checked([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, source])
    (built,) = dist.glob("omniaudit-*.whl")
    return built


@pytest.fixture(scope="module")
def slim_env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed and every dependency but playwright."""
    root = tmp_path_factory.mktemp("slim")
    env = root / "venv"
    _checked([sys.executable, "-m", "venv", "--without-pip", env])
    deps = root / "deps"
    deps.mkdir()
    for folder in {Path(sysconfig.get_path("purelib")), Path(sysconfig.get_path("platlib"))}:
        for entry in folder.iterdir():
            if not entry.name.startswith(LEFT_OUT) and not entry.name.endswith(".pth"):
                if not (deps / entry.name).exists():
                    (deps / entry.name).symlink_to(entry)
    env_site = _checked(
        [env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    ).stdout.strip()
    # A plain folder line: appended after the environment's own site-packages, so the wheel's omniaudit wins.
    (Path(env_site) / "omniaudit_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    _checked([sys.executable, "-m", "pip", "--python", env / "bin" / "python", "install", "-q",
              "--no-deps", "--no-index", wheel])
    return env


def test_wheel_carries_every_file_of_the_package(wheel: Path, source: Path) -> None:
    package = source / "src" / "omniaudit"
    in_source = {
        f"omniaudit/{path.relative_to(package).as_posix()}" for path in package.rglob("*") if path.is_file()
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA").decode("utf-8")
        entry_points = archive.read(f"{wheel.name.split('-py3')[0]}.dist-info/entry_points.txt").decode()
    # Templates, their scripts, language data and py.typed are read at run time; a glob that misses a new
    # one would show here, not on a user's machine.
    assert sorted(in_source - names) == []
    assert {
        "omniaudit/py.typed",
        "omniaudit/report/templates/report.html.j2",
        "omniaudit/report/templates/filter.js",
        "omniaudit/data/topics.yaml",
        "omniaudit/data/lang/en/claims.yaml",
    } <= names
    assert "omniaudit = omniaudit.cli:main" in entry_points
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist: playwright")]
    assert requires == ['Requires-Dist: playwright>=1.45; extra == "render"']
    assert {"Provides-Extra: render", "Provides-Extra: ray"} <= set(metadata.splitlines())


def test_installed_wheel_audits_a_bundled_sample(slim_env: Path, tmp_path: Path) -> None:
    imported = _checked([slim_env / "bin" / "python", "-c", "import omniaudit; print(omniaudit.__file__)"])
    assert imported.stdout.startswith(str(slim_env)), imported.stdout  # the wheel, not this tree
    report = tmp_path / "report.json"
    result = _run([slim_env / "bin" / "omniaudit", "audit", SAMPLE, "--no-history", "-o", report],
                  cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert {finding["dimension"] for finding in findings} >= {"facts"}


def test_without_the_render_extra_a_javascript_page_names_the_extra(slim_env: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy2(APP_SHELL, site / "index.html")
    with serve(site) as server:
        config = tmp_path / "omniaudit.yaml"
        config.write_text(
            "brand: {name: Acme}\n"
            "brand_book:\n  key_messages: [{id: stores, text: Find a store near you.}]\n"
            "channels:\n"
            f"  - {{id: site, type: website, connector: website, source: '{server.url}/',"
            " options: {render: auto, sitemaps: false}}\n",
            encoding="utf-8",
        )
        result = _run([slim_env / "bin" / "omniaudit", "collect", config, "-q", "-o", tmp_path / "out.jsonl"],
                      cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"omniaudit: error: 1 source(s) could not be read: {server.url}/: cannot start the browser for "
        "JavaScript pages (playwright is not installed; pip install 'omniaudit[render]', or use render: "
        "never); pages were read as static HTML; fix the source or pass --allow-failures"
    ]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="without Chromium that is what is named")
def test_without_the_render_extra_a_pdf_report_names_the_extra_before_the_audit(
    slim_env: Path, tmp_path: Path
) -> None:
    result = _run([slim_env / "bin" / "omniaudit", "audit", SAMPLE, "--no-history", "-o", tmp_path / "r.pdf"],
                  cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "omniaudit: error: playwright is not installed (PDF reports need it); pip install 'omniaudit[render]'"
    ]


@pytest.mark.parametrize(
    ("shell", "registers"),
    [("bash", "complete -o nosort -F _omniaudit_completion omniaudit"),
     ("zsh", "compdef _omniaudit_completion omniaudit"),
     ("fish", "complete --no-files --command omniaudit")],
)
def test_shell_completion_script_prints(slim_env: Path, shell: str, registers: str) -> None:
    script = _checked([slim_env / "bin" / "omniaudit"], env_extra={"_OMNIAUDIT_COMPLETE": f"{shell}_source"})
    assert registers in script.stdout


def test_completion_completes_a_command(slim_env: Path) -> None:
    answer = _checked(
        [slim_env / "bin" / "omniaudit"],
        env_extra={"_OMNIAUDIT_COMPLETE": "bash_complete", "COMP_WORDS": "omniaudit che", "COMP_CWORD": "1"},
    )
    assert answer.stdout.split() == ["plain,check-config"]
