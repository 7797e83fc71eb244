"""A Vale `metric` rule from a downloaded style package is data, never code: its formula is read by a
whitelist evaluator (numbers, counts, + - * /, parentheses, a few math functions), and anything else is one
clear error line naming the rule file, before any text is linted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from omniaudit.errors import ConfigError
from omniaudit.style import check_text, load_style

ALLOWED = (
    "a metric formula may use numbers, counts (words, sentences, heading.h2, list, ...), + - * /, "
    "parentheses and math.abs/ceil/floor/trunc/round/sqrt/cbrt/exp/log/log2/log10/pow/max/min(...); "
    "a condition is a comparison such as '> 8'"
)


def _style(root: Path, formula: str, condition: str = "> 0", message: str = "Score %s.") -> Path:
    (root / "styles" / "Evil").mkdir(parents=True)
    (root / ".vale.ini").write_text(
        "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*]\nBasedOnStyles = Evil\n", encoding="utf-8"
    )
    rule = root / "styles" / "Evil" / "Metric.yml"
    # JSON strings are YAML scalars: the formula reaches the rule exactly as written.
    rule.write_text(
        f"extends: metric\nmessage: {json.dumps(message)}\nformula: {json.dumps(formula)}\n"
        f"condition: {json.dumps(condition)}\n",
        encoding="utf-8",
    )
    return rule


def _payload(marker: Path) -> str:
    # The reproduction from issue 16: escapes Python's eval through object.__subclasses__().
    return (
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]()"
        f"._module.__builtins__['__import__']('os').system('touch {marker}') or 1"
    )


def test_the_escape_payload_never_runs_and_lint_says_one_line(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    rule = _style(tmp_path, _payload(marker))
    (tmp_path / "doc.md").write_text("# Title\n\nSome text.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "omniaudit", "lint", "doc.md"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert not marker.exists()
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"omniaudit: error: {rule}:1: formula: '[' is not allowed; {ALLOWED}"]


@pytest.mark.parametrize(
    ("formula", "problem"),
    [
        ("words.__class__", "'words.__class__' is not allowed"),
        ("__import__", "'__import__' is not a count"),
        ("open(1)", "calling 'open' is not allowed"),
        ("math.system(1)", "'math.system' is not allowed"),
        ("words ** 2", "unexpected '*'"),
        ("words[0]", "'[' is not allowed"),
        ("lambda: 1", "':' is not allowed"),
        ("words if words else 1", "unexpected 'if'"),
        ("'text'", "''' is not allowed"),
        ("(words", "it ends too early"),
        ("math.sqrt(1, 2)", "math.sqrt takes 1 argument"),
        ("-" * 60 + "1", "nested deeper than 50"),
    ],
)
def test_anything_outside_the_whitelist_is_a_rule_error(tmp_path: Path, formula: str, problem: str) -> None:
    rule = _style(tmp_path, formula)
    with pytest.raises(ConfigError) as raised:
        load_style(tmp_path / ".vale.ini")
    assert str(raised.value) == f"{rule}:1: formula: {problem}; {ALLOWED}"


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("8", "it must start with one of < <= > >= == !="),
        ("> 8 and __import__", "unexpected 'and'"),
        ("> ().__class__", "unexpected ')'"),
    ],
)
def test_a_condition_is_a_comparison(tmp_path: Path, condition: str, problem: str) -> None:
    rule = _style(tmp_path, "list", condition)
    with pytest.raises(ConfigError) as raised:
        load_style(tmp_path / ".vale.ini")
    assert str(raised.value) == f"{rule}:1: condition: {problem}; {ALLOWED}"


@pytest.mark.parametrize(
    ("formula", "condition", "messages"),
    [
        # Vale's own conformance rule (checks/Metric): one H1 and no list.
        ("heading.h1 + list", "> 0", ["Score 1.00."]),
        ("heading.h2", "> 0", []),
        # Vale's SMOG shape: math.sqrt over counts, float literals, precedence and parentheses.
        ("1.5 * math.sqrt((heading.h1 * 16.0) / 4) - -0.25", ">= 3.25", ["Score 3.25."]),
        # Integer literals divide as Go ints in Vale's Tengo: 7 / 2 is 3.
        ("7 / 2 + heading.h1", "== 4", ["Score 4.00."]),
        # A count divided by a zero count is +Inf in Vale, which no condition can compare: no alert.
        ("heading.h1 / pre", "> 0", []),
        ("heading.h1 / 0", "> 0", []),
        # A count this document does not have (no words are counted here): no alert, no error.
        ("words / sentences", "> 0", []),
    ],
)
def test_valid_formulas_keep_vales_results(tmp_path: Path, formula: str, condition: str, messages: list[str]
                                           ) -> None:
    _style(tmp_path, formula, condition)
    style = load_style(tmp_path / ".vale.ini")
    alerts = check_text(style, "# Title\n\nSome text.\n", fmt="markdown")
    assert [a.message for a in alerts if a.check == "Evil.Metric"] == messages
