"""Template and script patterns stay linear on hostile files: unclosed tags repeated over a long file.

Before, each unclosed opener scanned to the end of the file (quadratic: ~10 s for 20,000 `{{/*`), so one such
file held an audit for minutes. These inputs finish at once now; the assertions are on what is rendered.
"""

from __future__ import annotations

import pytest

from omniaudit.collect._scripts import parse_text
from omniaudit.collect._templates import render_template

UNCLOSED = ["<%", "{{", "{%", "{#", "{{/*", "{{</*", "{% raw %}", "{% comment %}", "{{!--", "{{{"]


@pytest.mark.parametrize("opener", UNCLOSED)
@pytest.mark.parametrize("syntax", ["jinja", "hugo", "erb", "handlebars"])
def test_unclosed_tags_repeated_render_without_losing_the_text(opener: str, syntax: str) -> None:
    text = "Returns are free within 30 days. " + opener * 20_000 + " Call us any day."
    rendered = render_template(text, (syntax,))
    assert "Returns are free within 30 days." in rendered.text


def test_a_long_table_separator_line_in_a_script_is_read() -> None:
    parsed = parse_text("Agent: Hello, how can I help?\n|--" + " " * 200_000 + "\nAgent: Goodbye.\n")
    assert [block.text for block in parsed.blocks][-1] == "Goodbye."
