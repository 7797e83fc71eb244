from __future__ import annotations

from pathlib import Path

import pytest

from omniaudit.config import load_config
from omniaudit.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

VALID = """\
brand:
  name: Acme
brand_book:
  key_messages:
    - id: tagline
      text: Acme makes it simple.
channels:
  - id: site
    type: website
    connector: website
    source: site/
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "omniaudit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_valid_config_resolves_sources_against_its_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID))
    assert config.brand.name == "Acme"
    assert config.resolve(config.channels[0].source) == str(tmp_path / "site/")
    assert config.thresholds.coverage == 0.55


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("  name: Acme\n", "  name: Acme\n  slogan: red\n"))
    assert error_of(path) == (
        f"{path}:3: brand.slogan: unknown key "
        "(check its spelling; see configs/omniaudit.example.yaml for valid keys)"
    )


def test_missing_field_names_the_parent_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("    connector: website\n", ""))
    assert error_of(path) == f"{path}:8: channels.0.connector: field required"


def test_wrong_type_names_the_key_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "thresholds:\n  coverage: high\n")
    message = error_of(path)
    assert message.startswith(f"{path}:13: thresholds.coverage: ")
    assert "number" in message


def test_bad_channel_type_lists_nothing_but_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("type: website", "type: tv"))
    message = error_of(path)
    assert message.startswith(f"{path}:9: channels.0.type: ")
    assert "\n" not in message


def test_invalid_yaml_gives_line(tmp_path: Path) -> None:
    path = write(tmp_path, "brand: [unclosed\n")
    assert error_of(path).startswith(f"{path}:2: invalid YAML:")


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: config file not found"


def test_duplicate_channel_ids(tmp_path: Path) -> None:
    doubled = VALID + "  - id: site\n    type: social\n    connector: social_export\n    source: x.json\n"
    assert "duplicate channel id 'site'" in error_of(write(tmp_path, doubled))


def test_example_and_sample_configs_are_valid() -> None:
    paths = [
        ROOT / "configs" / "omniaudit.example.yaml",
        *sorted((ROOT / "samples").glob("*/omniaudit.yaml")),
    ]
    for path in paths:
        load_config(path)


def test_unreadable_brand_book_fact_names_file_line_and_key(tmp_path: Path) -> None:
    from omniaudit.app import run_audit

    text = VALID.replace("channels:", "  facts:\n    return_window: about a month or so\nchannels:")
    path = write(tmp_path, text)
    (tmp_path / "site").mkdir()
    with pytest.raises(ConfigError) as caught:
        run_audit(load_config(path), embedder=None)
    assert str(caught.value).startswith(f"{path}:8: brand_book.facts.return_window: cannot read a duration")
