"""The portfolio file: file:line errors, client discovery, defaults merged under each client."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from omniaudit.errors import ConfigError
from omniaudit.portfolio import load_portfolio
from omniaudit.portfolio.config import merge_defaults

CLIENT = """\
brand:
  name: {name}
brand_book:
  key_messages:
    - id: tagline
      text: {name} makes it simple.
  terminology:
    banned: [cheap]
channels:
  - id: site
    type: website
    connector: static_site
    source: site/
"""
HEX = "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
# A 1x1 PNG: the smallest logo there is.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def client(folder: Path, name: str, text: str | None = None) -> Path:
    path = folder / name.lower() / "omniaudit.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "site").mkdir(exist_ok=True)
    path.write_text(text or CLIENT.format(name=name), encoding="utf-8")
    return path


def portfolio(folder: Path, text: str) -> Path:
    path = folder / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_portfolio(path)
    return str(caught.value)


def test_globs_and_paths_become_clients_named_by_folder(tmp_path: Path) -> None:
    client(tmp_path / "clients", "Acme")
    client(tmp_path / "clients", "Bolt")
    client(tmp_path / "elsewhere", "Acme")
    path = portfolio(tmp_path, "clients:\n  - clients/*/omniaudit.yaml\n"
                               "  - {path: elsewhere/acme/omniaudit.yaml, id: acme-eu}\n")
    loaded = load_portfolio(path)
    assert [c.id for c in loaded.clients] == ["acme", "bolt", "acme-eu"]
    assert [c.config.brand.name for c in loaded.clients if c.config] == ["Acme", "Bolt", "Acme"]
    assert loaded.output == tmp_path / "portfolio-report"
    assert loaded.reports == ("html", "json")
    assert loaded.branding is None


def test_defaults_merge_under_each_client_mappings_by_key_lists_replaced(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    client(tmp_path, "Acme")
    path = portfolio(tmp_path, """\
clients: ["*/omniaudit.yaml"]
defaults:
  thresholds: {coverage: 0.4, omnichannel: 80}
  brand_book:
    terminology: {banned: [knock-off], preferred: {sign in: [log in]}}
  style: styles/.vale.ini
""")
    config = load_portfolio(path).clients[0].config
    assert config is not None
    assert config.thresholds.coverage == 0.4 and config.thresholds.omnichannel == 80
    assert config.brand_book.terminology.banned == ["cheap"]  # the client's own list wins whole
    assert config.brand_book.terminology.preferred == {"sign in": ["log in"]}
    # A path in the defaults is the portfolio's, not each client's.
    assert config.style == str(tmp_path / "styles/.vale.ini")
    assert merge_defaults({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": 3}, "d": [2]}) == {
        "a": {"b": 3, "c": 2},
        "d": [2],
    }


def test_broken_client_config_is_kept_as_a_failed_client_with_the_audit_error(tmp_path: Path) -> None:
    client(tmp_path, "Acme")
    broken = client(tmp_path, "Broken", CLIENT.format(name="Broken").replace("    type: website\n", ""))
    path = portfolio(tmp_path, "clients: ['*/omniaudit.yaml']\n")
    acme, bad = load_portfolio(path).clients
    assert acme.config is not None and acme.error == ""
    assert bad.config is None
    assert bad.error == f"{broken}:10: channels.0.type: field required"


def test_unknown_portfolio_key_names_file_and_line(tmp_path: Path) -> None:
    path = portfolio(tmp_path, "clients: [a.yaml]\noutptu: out\n")
    assert error_of(path) == (
        f"{path}:2: outptu: unknown key "
        "(check its spelling; see configs/omniaudit.example.yaml for valid keys)"
    )


def test_a_wrong_default_is_reported_at_its_line_in_the_portfolio(tmp_path: Path) -> None:
    client(tmp_path, "Acme")
    path = portfolio(tmp_path, "clients: ['*/omniaudit.yaml']\ndefaults:\n  thresholds:\n    coverage: 2\n")
    assert error_of(path) == (
        f"{path}:4: defaults.thresholds.coverage: Input should be less than or equal to 1"
    )
    path = portfolio(tmp_path, "clients: ['*/omniaudit.yaml']\ndefaults:\n  brand_book:\n    slogan: x\n")
    assert error_of(path) == (
        f"{path}:4: defaults.brand_book.slogan: unknown key (defaults take the keys of a brand config; see "
        "configs/omniaudit.example.yaml)"
    )


def test_glob_that_matches_nothing_and_duplicate_ids_are_errors(tmp_path: Path) -> None:
    path = portfolio(tmp_path, "clients:\n  - nowhere/*.yaml\n")
    assert error_of(path) == f"{path}:2: clients.0: no brand config matches 'nowhere/*.yaml'"
    client(tmp_path / "a", "Acme")
    client(tmp_path / "b", "Acme")
    path = portfolio(tmp_path, "clients:\n  - a/acme/omniaudit.yaml\n  - b/acme/omniaudit.yaml\n")
    folder = path.parent
    assert error_of(path) == (
        f"{path}:3: clients.1: client id 'acme' is used twice ({folder / 'a/acme/omniaudit.yaml'} and "
        f"{folder / 'b/acme/omniaudit.yaml'}); give one of them an id: {{path: ..., id: ...}}"
    )


def test_agency_logo_is_inlined_and_colours_are_checked(tmp_path: Path) -> None:
    client(tmp_path, "Acme")
    (tmp_path / "logo.png").write_bytes(PIXEL)
    path = portfolio(tmp_path, """\
clients: ['*/omniaudit.yaml']
agency:
  name: Northlight
  logo: logo.png
  colors: {primary: "#0a2540", accent: "#f97316"}
""")
    branding = load_portfolio(path).branding
    assert branding is not None
    assert branding.logo_data_uri == "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    assert (branding.primary, branding.accent) == ("#0a2540", "#f97316")

    path.write_text(path.read_text().replace("logo.png", "logo.bmp"), encoding="utf-8")
    assert error_of(path) == (
        f"{path}:4: agency.logo: unsupported image type '.bmp': "
        "use one of .gif, .jpeg, .jpg, .png, .svg, .webp"
    )
    path.write_text(path.read_text().replace('"#0a2540"', '"red; background: url(x)"'), encoding="utf-8")
    assert error_of(path) == f"{path}:5: agency.colors.primary: String should match pattern '{HEX}'"


def test_example_portfolio_lists_the_bundled_samples_with_its_defaults() -> None:
    root = Path(__file__).resolve().parents[2]
    loaded = load_portfolio(root / "configs" / "portfolio.example.yaml")
    assert [c.id for c in loaded.clients] == ["brightmart", "lumea", "nakheel", "northwind"]
    assert all(c.config is not None and c.config.weights.facts == 2.0 for c in loaded.clients)
    assert loaded.reports == ("html", "json", "markdown")
    assert loaded.branding is not None and loaded.branding.name == "Northlight Agency"
