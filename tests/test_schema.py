"""`omniaudit schema`: the config's JSON Schema, shipped as configs/omniaudit.schema.json for editors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from omniaudit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "configs" / "omniaudit.schema.json"


def _schema() -> str:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_shipped_schema_is_what_the_command_prints() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == _schema(), (
        "configs/omniaudit.schema.json is stale: run `omniaudit schema -o configs/omniaudit.schema.json`"
    )


def test_the_schema_validates_real_configs_and_names_the_required_keys() -> None:
    schema = json.loads(_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["brand", "brand_book", "channels"]
    assert "base_dir" not in schema["properties"] and "path" not in schema["properties"]
    assert schema["$defs"]["BrandBook"]["required"] == ["key_messages"]
    samples = sorted((ROOT / "samples").glob("*/omniaudit.yaml"))
    for config in [ROOT / "configs" / "omniaudit.example.yaml", *samples]:
        jsonschema.validate(yaml.safe_load(config.read_text(encoding="utf-8")), schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"brand": {"name": "A", "nmae": "B"}}))
    assert any("'nmae' was unexpected" in error.message for error in errors)


def test_the_readme_shows_the_editor_line() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"# yaml-language-server: $schema={json.loads(_schema())['$id']}" in readme
