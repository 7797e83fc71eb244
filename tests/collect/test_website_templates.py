"""The website connector's folder mode over page templates (Liquid, Nunjucks, ERB): rendered before HTML
extraction so no template syntax reaches a block, while saved pages read exactly as they always did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel
from omniaudit.extract.html import html_to_blocks
from omniaudit.models import Document
from omniaudit.placeholders import PLACEHOLDER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MARKS = ("{%", "%}", "{{", "}}", "<%", "%>", "{#", "#}")
PARTIAL = "partial or layout: its text is read where a page includes it"


def collect(source: str, base_dir: Path = FIXTURES, **options: Any) -> CollectResult:
    channel = Channel(id="web", type="website", connector="website", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def by_uri(result: CollectResult) -> dict[str, Document]:
    return {document.uri: document for document in result.documents}


def test_saved_pages_read_exactly_as_before() -> None:
    """Every saved page (the crawl fixture site, and a page that shows template syntax in code and scripts)
    gives the blocks the HTML extraction gives its bytes, and the folder's stats are unchanged."""
    site = collect("site")
    assert site.stats == {"pages": len(site.documents), "failed": 0}
    saved = by_uri(collect("website_templates"))["website_templates/saved.html"]
    for document in [*site.documents, saved]:
        page = html_to_blocks((FIXTURES / document.uri).read_bytes(), document.uri)
        assert document.blocks == page.blocks
        assert document.title == page.title
    # Template examples inside <code> are the page's text: a saved page is not rendered.
    assert "<p>{{ customer.name }}</p>" in texts(saved)


def test_templated_pages_are_rendered_without_template_syntax() -> None:
    result = collect("website_templates")
    documents = by_uri(result)
    assert sorted(documents) == [
        "website_templates/about.html",
        "website_templates/contact.html.erb",
        "website_templates/pricing.njk",
        "website_templates/saved.html",
    ]
    assert result.failures == []
    for uri, document in documents.items():
        if uri != "website_templates/saved.html":
            leaks = [text for text in texts(document) if any(mark in text for mark in MARKS)]
            assert leaks == [], uri
    # Liquid: front matter is the data `page.title` reads, not text; the include is followed.
    about = documents["website_templates/about.html"]
    assert about.title == "About our tea"
    assert texts(about) == [
        "About our tea",
        f"We ship within 2 to 4 working days, {PLACEHOLDER}.",
        f"Questions? Write to {PLACEHOLDER} any day.",
    ]
    assert about.blocks[0].location.line == 8  # front matter lines still count
    # Nunjucks: a table from a literal list reads one row per item; an `if` body is kept.
    pricing = documents["website_templates/pricing.njk"]
    assert texts(pricing) == [
        "Pricing",
        f"Plans for {PLACEHOLDER}",
        "Starter | £4 a month",
        "Family | £9 a month",
        "Members save 10% on every plan.",
    ]
    # ERB: a helper's literal is text, an instance variable a placeholder, a Rails partial followed.
    contact = documents["website_templates/contact.html.erb"]
    assert texts(contact) == [
        "Contact us",
        f"Your order {PLACEHOLDER} is being packed.",
        "Read the returns policy before you send anything back.",
        "Our phone lines are open Monday to Friday, 9am to 5pm.",
    ]
    assert result.stats["templates"] == 3


def test_partials_and_layouts_are_skipped_with_why_and_other_formats_not_read() -> None:
    result = collect("website_templates")
    assert result.stats["skipped"] == [
        {"file": "website_templates/_includes/footer.html", "reason": PARTIAL},
        {"file": "website_templates/_layouts/default.html", "reason": PARTIAL},
        {"file": "website_templates/shared/_hours.html.erb", "reason": PARTIAL},
    ]
    assert not any(document.uri.endswith("feed.xml.erb") for document in result.documents)


def test_a_single_template_file_is_rendered() -> None:
    result = collect("website_templates/pricing.njk")
    assert [document.uri for document in result.documents] == ["website_templates/pricing.njk"]
    assert "Starter | £4 a month" in texts(result.documents[0])


def test_template_none_reads_every_file_as_saved_html() -> None:
    result = collect("website_templates", template="none")
    assert "skipped" not in result.stats and "templates" not in result.stats
    about = by_uri(result)["website_templates/about.html"]
    assert any("{{ page.title }}" in text for text in texts(about))


def test_a_forced_syntax_renders_a_plain_html_file(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_text(
        "<html><body><p>Hi {{ name }}</p><p>Plain text.</p></body></html>", encoding="utf-8"
    )
    plain = collect(str(tmp_path), base_dir=tmp_path, template="none")
    assert texts(plain.documents[0]) == ["Hi {{ name }}", "Plain text."]
    forced = collect(str(tmp_path), base_dir=tmp_path, template="liquid")
    assert texts(forced.documents[0]) == [f"Hi {PLACEHOLDER}", "Plain text."]


def test_invalid_front_matter_is_a_failure_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("---\ntitle: [unclosed\n---\n<p>{{ x }}</p>\n", encoding="utf-8")
    result = collect(str(tmp_path), base_dir=tmp_path)
    assert result.documents == []
    assert [failure.source for failure in result.failures] == ["broken.html"]
    assert result.failures[0].error.startswith("invalid front matter: ")
