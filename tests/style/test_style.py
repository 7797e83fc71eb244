"""Vale-compatible style rules: loading, rule kinds (incl. consistency), Markdown positions, lint CLI,
and audit findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from omniaudit.cli import main
from omniaudit.errors import ConfigError
from omniaudit.models import Document, Location, TextBlock
from omniaudit.style import check_text, load_style, style_findings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "style"
VALE_STYLES = Path(__file__).resolve().parents[3] / "shared" / "eval" / "vale-styles"


@pytest.fixture()
def style():
    return load_style(FIXTURES / ".vale.ini")


def test_unsupported_kind_is_skipped_with_one_warning(style):
    assert "Brand.Dictionary" not in style.rules
    assert style.warnings == [
        f"Brand.Dictionary: rule kind 'spelling' is not supported; skipped "
        f"({FIXTURES / 'styles' / 'Brand' / 'Dictionary.yml'})"
    ]


def test_consistency_flags_the_second_spelling_in_a_document(style):
    alerts = check_text(style, "Ask your advisor. The adviser will call.\n")
    found = [(a.check, a.line, a.column, a.message) for a in alerts if a.check == "Brand.Spelling"]
    assert found == [("Brand.Spelling", 1, 23, "Inconsistent spelling of 'adviser'.")]


def test_consistency_is_silent_when_one_spelling_is_used(style):
    alerts = check_text(style, "Ask your advisor. Advisors will call. Your advisor knows.\n")
    assert [a for a in alerts if a.check == "Brand.Spelling"] == []


def test_consistency_pairs_are_independent(style):
    alerts = check_text(style, "A colour chart and an advisor.\nAnother advisor, same colour.\n")
    assert [a for a in alerts if a.check == "Brand.Spelling"] == []


def test_substitution_and_existence_messages_and_levels(style):
    alerts = check_text(style, "Send an e-mail about our revolutionary app.\n")
    assert [(a.check, a.level, a.column, a.message) for a in alerts] == [
        ("Brand.Terms", "warning", 9, "Use 'email' instead of 'e-mail'."),
        ("Brand.Hype", "suggestion", 26, "Avoid 'revolutionary': say what it does."),
    ]


def test_markdown_positions_map_back_to_the_source(style):
    text = (FIXTURES / "docs" / "page.md").read_text(encoding="utf-8")
    alerts = check_text(style, text, fmt="markdown")
    assert [(a.check, a.line, a.column) for a in alerts] == [
        ("Brand.Spelling", 3, 8),
        ("Brand.Hype", 3, 28),
        ("Brand.Terms", 4, 13),
        ("Brand.Terms", 6, 11),
    ]


def test_bad_rule_names_the_file_and_line(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "style")
    (tmp_path / "style" / "styles" / "Brand" / "Broken.yml").write_text(
        "extends: existence\nmessage: 'x'\ntokens: [a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"Broken\.yml:\d+: "):
        load_style(tmp_path / "style" / ".vale.ini")


def test_unknown_kind_is_a_config_error(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "style")
    (tmp_path / "style" / "styles" / "Brand" / "Odd.yml").write_text(
        "extends: nonsense\nmessage: 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'nonsense' is not a rule kind; use one of existence"):
        load_style(tmp_path / "style" / ".vale.ini")


def test_lint_command_prints_vale_lines_and_exits_1_on_errors(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES, tmp_path / "style")
    (tmp_path / "style" / "docs" / "clash.txt").write_text("advisor then adviser\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "style")
    result = CliRunner().invoke(main, ["lint", "--output=line", "docs"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "docs/clash.txt:1:14:Brand.Spelling:Inconsistent spelling of 'adviser'.",
        "docs/page.md:3:8:Brand.Spelling:Inconsistent spelling of 'color'.",
        "docs/page.md:3:28:Brand.Hype:Avoid 'revolutionary': say what it does.",
        "docs/page.md:4:13:Brand.Terms:Use 'sign in' instead of 'log-in'.",
        "docs/page.md:6:11:Brand.Terms:Use 'email' instead of 'e-mail'.",
    ]


def test_lint_command_without_config_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VALE_CONFIG_PATH", raising=False)
    result = CliRunner().invoke(main, ["lint", "x.md"])
    assert result.exit_code == 2
    assert "no .vale.ini found" in result.stderr


def test_style_findings_carry_channel_document_and_location(style):
    doc = Document(
        channel_id="site", channel_type="website", uri="https://example.com/a", title="A",
        blocks=(
            TextBlock("Welcome.", "title", Location("https://example.com/a", section="title")),
            TextBlock("Write an e-mail to us.", "main", Location("https://example.com/a", line=12)),
        ),
    )
    findings = style_findings(style, [doc])
    assert len(findings) == 1
    f = findings[0]
    assert (f.rule_id, f.dimension, f.severity, f.channels, f.key) == (
        "style.Brand.Terms", "style", "warning", ("site",), "Brand.Terms|e-mail")
    ev = f.evidence[0]
    assert (ev.channel_id, ev.quote, ev.location.uri, ev.location.line, ev.location.column) == (
        "site", "Write an e-mail to us.", "https://example.com/a", 12, 10)


@pytest.mark.skipif(not VALE_STYLES.is_dir(), reason="shared Vale styles not present")
def test_real_style_packages_load(tmp_path):
    names = ["Microsoft", "Google", "alex", "write-good", "proselint", "Joblint"]
    ini = tmp_path / ".vale.ini"
    ini.write_text(f"StylesPath = {VALE_STYLES}\n[*]\nBasedOnStyles = {', '.join(names)}\n", encoding="utf-8")
    style = load_style(ini)
    assert {name.split(".")[0] for name in style.rules} == set(names)
    for warning in style.warnings:
        assert "is not supported; skipped" in warning
    alerts = check_text(style, "We will utilize the e-mail address.\n")
    assert {"Microsoft.We", "write-good.TooWordy"} <= {a.check for a in alerts}
