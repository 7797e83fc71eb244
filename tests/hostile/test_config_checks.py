"""Broken configs: every problem listed at once as `file:line: dotted.key: message`, the real fault first;
duplicate keys, sources that are neither http(s) nor local, and connector options caught at check time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from omniaudit.config import load_config
from omniaudit.errors import ConfigError

HEAD = """\
brand:
  name: Acme
brand_book:
  key_messages:
    - id: tagline
      text: Acme makes it simple.
channels:
"""
SITE = """\
  - id: site
    type: website
    connector: website
    source: site/
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "omniaudit.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    prefix = f"{path}:"
    lines = str(caught.value).splitlines()
    assert all(line.startswith(prefix) for line in lines), lines
    return [line[len(prefix) :] for line in lines]


def test_a_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = HEAD.replace("  name: Acme\n", "  name: Acme\n  languages: [en]\n  name: Acme Corp\n") + SITE
    assert problems(tmp_path, text) == [
        "4: brand.name: duplicate key: also on line 2 (YAML would keep only the last one); keep one of them"
    ]


def test_duplicate_keys_deep_down_and_merges(tmp_path: Path) -> None:
    site = SITE.replace("  - id: site", "  - &site\n    id: site").replace(
        "    source: site/\n", "    source: site/\n    options: {max_pages: 5, max_pages: 9}\n"
    )
    # A `<<:` merge whose keys are overridden is what merges are for: not a duplicate.
    text = HEAD + site + "  - <<: *site\n    id: blog\n    type: social\n"
    assert problems(tmp_path, text) == [
        "13: channels.0.options.max_pages: duplicate key: also on line 13 (YAML would keep only the last "
        "one); keep one of them"
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "ftp://example.com/pages/",
            "ftp:// sources are not supported: write an http(s) URL or a local path",
        ),
        (
            "file:///srv/site/",
            "file:// sources are not supported: write an http(s) URL or a local path (for a local file write "
            "its path, without file://)",
        ),
    ],
)
def test_only_http_urls_and_local_paths_are_sources(tmp_path: Path, source: str, message: str) -> None:
    text = HEAD + SITE.replace("source: site/", f"source: {source}")
    assert problems(tmp_path, text) == [f"11: channels.0.source: {message}"]


def test_every_problem_is_listed_and_the_real_fault_comes_first(tmp_path: Path) -> None:
    # No brand_book, a broken channel and a misspelt key: the faults come first, in file order, then the
    # missing fields (a missing brand_book must not hide the channel's fault).
    text = (
        "brand:\n  name: Acme\n"
        "channels:\n"
        "  - id: site\n    type: tv\n    connector: website\n    source: site/\n"
        "  - id: care\n    type: service\n    connector: service_folder\n    sorce: care/\n"
    )
    assert problems(tmp_path, text) == [
        "5: channels.0.type: Input should be 'website', 'social', 'service' or 'app'",
        "11: channels.1.sorce: unknown key (did you mean 'source'?)",
        "1: brand_book: field required",
        "8: channels.1.source: field required",
    ]


def test_connector_options_are_checked_with_file_and_line(tmp_path: Path) -> None:
    site = SITE + "    options:\n      max_pagez: 5\n      concurrency: many\n"
    text = HEAD + SITE.replace("id: site", "id: home") + site
    assert problems(tmp_path, text) == [
        "17: channels.1.options.max_pagez: unknown option (did you mean 'max_pages'?) (connector 'website')",
        "18: channels.1.options.concurrency: Input should be a valid integer, unable to parse string as an "
        "integer (connector 'website')",
    ]


def test_an_unknown_connector_names_its_line_and_the_closest_one(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + SITE.replace("connector: website", "connector: websight"))
    assert found[0].startswith(
        "10: channels.0.connector: unknown connector 'websight' (did you mean 'website'? valid: "
    )
    assert "service_folder" in found[0]


def test_check_config_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "omniaudit.yaml"
    config.write_text(
        HEAD + SITE.replace("source: site/", "source: ftp://example.com/") + "    options: {depth: 2}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "omniaudit", "check-config", str(config)],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"omniaudit: error: {config}:11: channels.0.source: ftp:// sources are not supported: write an "
        "http(s) URL or a local path"
    )
    assert lines[1].startswith(f"{config}:12: channels.0.options.depth: unknown option")
    assert len(lines) == 2
