"""run_audit as a library call on small real fixtures: channel text travels safely into every report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from omniaudit.app import run_audit
from omniaudit.config import load_config
from omniaudit.report import render

pytestmark = pytest.mark.slow

CONFIG = """\
brand: {name: Acme, website: https://acme.example}
brand_book:
  key_messages:
    - {id: tagline, kind: tagline, text: Acme makes home repairs simple.}
  facts: {return_window: 30 days}
channels:
  - {id: site, type: website, connector: website, source: site/}
  - {id: posts, type: social, connector: social_export, source: posts.json}
"""


def make_brand(root: Path) -> Path:
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text(
        "<html lang='en'><head><title>Acme</title></head><body><main>"
        "<p>Acme makes home repairs simple.</p><p>You can return any item within 30 days.</p>"
        "<p>Type &lt;script&gt;alert(1)&lt;/script&gt; to test our chat widget.</p>"
        "<script>document.write('never collected')</script></main>"
        "<footer><a href='https://instagram.com/acme'>Instagram</a></footer></body></html>",
        encoding="utf-8",
    )
    posts = [
        {
            "id": "1",
            "text": "Home repairs made simple, by Acme. https://acme.example",
            "platform": "instagram",
        },
        {
            "id": "2",
            "text": "Returns are accepted <script>alert(1)</script> within 14 days.",
            "platform": "instagram",
        },
    ]
    (root / "posts.json").write_text(json.dumps(posts), encoding="utf-8")
    config = root / "omniaudit.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def test_audit_finds_the_contradiction_and_reports_escape_channel_text(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    result = run_audit(load_config(make_brand(tmp_path)), embedder=real_embedder)

    contradiction = next(f for f in result.findings if f.rule_id == "facts.contradiction")
    assert contradiction.channels == ("posts", "site")
    assert {e.location.uri for e in contradiction.evidence} == {"site/index.html", "posts.json"}
    assert all("never collected" not in fact.quote for fact in result.facts)  # scripts are not content

    html = render(result, "html")
    soup = BeautifulSoup(html, "lxml")
    # The only script is the report's own filter (its CSP admits no other).
    assert all("alert" not in script.get_text() for script in soup.find_all("script"))
    assert "<script>alert(1)</script>" in soup.get_text()
    markdown = render(result, "markdown")
    assert "<script>" not in markdown  # escaped for Markdown renderers that allow HTML
    report = json.loads(render(result, "json"))
    assert any("<script>alert(1)</script>" in e["quote"] for f in report["findings"] for e in f["evidence"])


def test_progress_reports_every_stage(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    stages: list[str] = []
    run_audit(
        load_config(make_brand(tmp_path)),
        embedder=real_embedder,
        progress=lambda stage, done, total, detail="": stages.append(stage),
    )
    assert list(dict.fromkeys(stages)) == ["collect site", "collect posts", "extract", "embed", "analyze"]


def test_a_channel_with_nothing_readable_gets_no_score_and_one_warning(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        "<html><body><main><p>We answer every question within two working days.</p></main></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "empty.md").write_text("---\ntitle: ''\n---\n", encoding="utf-8")
    config = tmp_path / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Test}\n"
        "brand_book:\n  key_messages: [{id: fast, text: We answer every question fast.}]\n"
        "channels:\n"
        "  - {id: site, type: website, connector: website, source: site}\n"
        "  - {id: help, type: service, connector: service_folder, source: help}\n"
        "history: {enabled: false}\n",
        encoding="utf-8",
    )
    from omniaudit.app import collect_text

    # What `omniaudit collect` reports, before any model: the empty channel has no sentence.
    collected = {c.id: c for c in collect_text(load_config(config)).channels}
    assert collected["site"].audited and collected["site"].segments == 1
    assert not collected["help"].audited and collected["help"].segments == 0
    result = run_audit(load_config(config), embedder=real_embedder)
    help_channel = next(c for c in result.channels if c.id == "help")
    assert not help_channel.audited
    assert [w for w in result.stats["warnings"] if "'help' is not audited" in w]
    # Not scored: no coverage finding and no other finding about the unread channel alone.
    assert not [f for f in result.findings if f.channels == ("help",)]
