"""`Packages = ...` in .vale.ini resolved offline: a folder on StylesPath or a `<name>.zip` next to it; a
missing package is one line that says how to get it (it used to be "style 'Google' does not exist")."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from omniaudit.errors import ConfigError
from omniaudit.style import check_text, load_style

RULE = """extends: existence
message: "Don't use exclamation points in text."
level: error
nonword: true
tokens:
  - '\\w+!'
"""


def _ini(root: Path, packages: str) -> Path:
    (root / "styles").mkdir(exist_ok=True)
    ini = root / ".vale.ini"
    ini.write_text(
        f"StylesPath = styles\nPackages = {packages}\n[*]\nBasedOnStyles = Google\n", encoding="utf-8"
    )
    return ini


def test_a_missing_package_says_how_to_get_it(tmp_path: Path) -> None:
    ini = _ini(tmp_path, "Google")
    with pytest.raises(ConfigError) as info:
        load_style(ini)
    assert str(info.value) == (
        f"{ini}: style package 'Google' is not on StylesPath ({tmp_path / 'styles'}): download it with "
        "`vale sync` or unzip it there"
    )


def test_a_package_zip_next_to_the_styles_is_unpacked_and_used(tmp_path: Path) -> None:
    ini = _ini(tmp_path, "https://github.com/errata-ai/Google/releases/latest/download/Google.zip")
    with zipfile.ZipFile(tmp_path / "styles" / "Google.zip", "w") as archive:
        archive.writestr("Google/Exclamation.yml", RULE)
        archive.writestr("Google/meta.json", "{}")
        archive.writestr("../escape.yml", RULE)  # never written outside StylesPath
    style = load_style(ini)
    assert "Google.Exclamation" in style.rules
    assert [alert.check for alert in check_text(style, "Buy now!\n")] == ["Google.Exclamation"]
    assert (tmp_path / "styles" / "Google" / "Exclamation.yml").is_file()
    assert not (tmp_path / "escape.yml").exists()
    assert load_style(ini).rules.keys() == style.rules.keys()  # the second run uses the folder


def test_a_packaged_config_contributes_its_styles_folder(tmp_path: Path) -> None:
    ini = _ini(tmp_path, "House")
    with zipfile.ZipFile(tmp_path / "styles" / "House.zip", "w") as archive:
        archive.writestr("House/.vale.ini", "[*]\nBasedOnStyles = Google\n")
        archive.writestr("House/styles/Google/Exclamation.yml", RULE)
    assert "Google.Exclamation" in load_style(ini).rules
