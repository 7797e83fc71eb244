"""`static_site` on templated, HTML and plain-text pages: templates rendered, front matter as content,
redirect stubs and partials passed over and counted, inline markup flattened."""

from __future__ import annotations

from pathlib import Path

from omniaudit.collect import CollectContext, get_connector
from omniaudit.config import Channel
from omniaudit.models import Document
from omniaudit.placeholders import PLACEHOLDER as VAR

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SITE = "static_site_templates"
MARKS = ("{%", "%}", "{{", "}}", "<%", "%>")


def _collect(source: str = SITE, base: Path = FIXTURES, **options: object):  # type: ignore[no-untyped-def]
    channel = Channel(
        id="site", type="website", connector="static_site", source=source, options=dict(options)
    )
    return get_connector(channel, CollectContext(base_dir=base)).collect()


def _pages(**options: object) -> dict[str, Document]:
    return {d.uri.removeprefix(SITE + "/"): d for d in _collect(**options).documents}


def _texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def test_every_page_format_is_read_and_no_template_syntax_is_left() -> None:
    result = _collect()
    assert result.failures == []
    assert sorted(d.uri.removeprefix(SITE + "/") for d in result.documents) == [
        "content/en/help/delivery.md",
        "content/pl/help/delivery.md",
        "docs/guide/index.html.md.erb",
        "emails/welcome.text.erb",
        "fastlane/metadata/android/en-US/full_description.txt",
        "fastlane/metadata/android/fr-FR/full_description.txt",
        "features.md",
        "index.html.erb",
        "pricing.njk",
    ]
    for document in result.documents:
        for block in document.blocks:
            assert not any(mark in block.text for mark in MARKS), (document.uri, block.text)
            assert "<" not in block.text and "&gt;" not in block.text and "&nbsp;" not in block.text


def test_stats_count_files_blocks_front_matter_and_skipped_files_with_why() -> None:
    stats = _collect().stats
    skipped = {item["file"].removeprefix(SITE + "/"): item["reason"] for item in stats["skipped"]}
    assert skipped == {
        "_includes/card.html": "partial or layout: its text is read where a page includes it",
        "feed.xml.erb": "not a page: a template of another format",
        "layouts/layout.html.erb": "partial or layout: its text is read where a page includes it",
        "moved.md": "redirect-only page",
        "old.html": "redirect-only page",
        "partials/_nav.html.erb": "partial or layout: its text is read where a page includes it",
        "partials/contact.html": "partial or layout: its text is read where a page includes it",
        "robots.txt": "not a page: a repository or crawler file",
    }
    assert (stats["files"], stats["pages"], stats["redirects"], stats["drafts"]) == (17, 9, 2, 0)
    assert stats["front_matter_blocks"] == 9
    assert stats["blocks"] == sum(len(d.blocks) for d in _collect().documents)
    assert stats["languages"] == ["en", "fr", "pl"]


def test_erb_page_with_partial_helpers_and_placeholders() -> None:
    page = _pages()["index.html.erb"]
    texts = _texts(page)
    assert page.title == "Home" and page.metadata["template"] == "erb"
    assert page.metadata["includes"] == ["partials/_nav.html.erb"]
    assert ["Our teas", "Gift boxes"] == [b.text for b in page.blocks if b.scope == "nav"]
    assert "Tea delivered fresh" in texts  # the page's own front matter, printed by the template
    assert "We deliver within 3 to 5 working days. Read our delivery terms." in texts
    assert f"Hello {VAR}, your order is on its way." in texts
    assert "Prices are shown > including VAT at 20%." in texts
    assert any("Orders placed after 2pm ship the next working day." in text for text in texts)
    assert not any("views.home" in text for text in texts)  # a catalogue key is not text
    block = next(b for b in page.blocks if b.text.startswith("We deliver"))
    assert block.location.line == 16  # the file's own line: front matter and tags keep lines


def test_a_price_table_from_a_template_list_reads_one_row_per_item() -> None:
    texts = _texts(_pages()["pricing.njk"])
    assert texts == [
        "Pricing",
        "Our plans",
        "Starter | £5 per month",
        "Family | £12 per month",
        "Prices include VAT.",
        "Call us on 0800 000 000.",
    ]


def test_front_matter_strings_are_blocks_with_their_key_path_and_metadata_is_not() -> None:
    page = _pages()["features.md"]
    front = {b.location.section: b.text for b in page.blocks if b.location.section.startswith("front")}
    assert front == {
        "front matter: intro": "Everything you need to brew better tea.",
        "front matter: cards[0].title": "Loose leaf",
        "front matter: cards[0].body": "Over 40 single-estate teas.",
        "front matter: cards[1].title": "Subscriptions",
        "front matter: cards[1].body": "Pause or skip a delivery whenever you like.",
        "front matter: faq[0].question": "How long does delivery take?",
        "front matter: faq[0].answer": "Between 3 and 5 working days.",
    }
    intro = next(b for b in page.blocks if b.location.section == "front matter: intro")
    assert intro.location.line == 9
    # `steps` is printed by the page's own loop, where it stands.
    assert ["Step: Choose", "Step: Brew"] == [t for t in _texts(page) if t.startswith("Step")]
    home = _pages()["index.html.erb"]
    assert [b.location.section for b in home.blocks if b.location.section.startswith("front")] == [
        "front matter: benefits[0]",
        "front matter: benefits[1]",
    ]


def test_front_matter_options_add_keys_to_either_side() -> None:
    page = _pages(front_matter_text=["tags"], front_matter_skip=["faq", "cards.body"])["features.md"]
    sections = [b.location.section for b in page.blocks if b.location.section.startswith("front")]
    assert sections == [
        "front matter: intro",
        "front matter: cards[0].title",
        "front matter: cards[1].title",
        "front matter: tags[0]",
        "front matter: tags[1]",
    ]


def test_markdown_with_inline_html_raw_html_blocks_and_liquid() -> None:
    page = _pages()["features.md"]
    texts = _texts(page)
    assert (
        "Our support team answers within 2 working days. Go to Settings > Account to change plans." in texts
    )
    assert "Plans start at $50 a year." in texts
    assert "Tea is packed the day you order it." in texts  # raw HTML block read as HTML
    assert "We ship to the UK and Ireland." in texts  # Markdown inside an HTML block
    assert f"Contact us at {VAR}." in texts
    assert "Gift cards never expire." in texts  # an include with a parameter
    assert "Why Brightkettle" in texts and not any("{#why}" in t or ".lead" in t for t in texts)
    assert not any("page.title" in t for t in texts)  # a highlight block is code
    delivery = next(b for b in page.blocks if b.text == "We ship to the UK and Ireland.")
    assert (delivery.location.line, delivery.location.section) == (49, "Delivery")


def test_markdown_erb_docs_and_table_cells_with_html() -> None:
    texts = _texts(_pages()["docs/guide/index.html.md.erb"])
    assert f"Payments expire {VAR} minutes after you create them." in texts
    assert "Never share your account password." in texts
    assert "state | One of: created paid" in texts
    assert not any("6 months" in t or "review" in t for t in texts)


def test_hugo_shortcodes_and_locale_folders() -> None:
    pages = _pages()
    english, polish = pages["content/en/help/delivery.md"], pages["content/pl/help/delivery.md"]
    assert (english.language, polish.language) == ("en", "pl")
    assert english.metadata["version_key"] == polish.metadata["version_key"]
    assert _texts(english) == [
        "Delivery",
        "Tracking",
        "The tracking page shows each parcel",
        "Tracking updates can take 24 hours to appear.",
        "See returns for more.",
    ]
    assert "Aktualizacja statusu może potrwać do 24 godzin." in _texts(polish)


def test_plain_text_pages_one_block_per_paragraph_or_bullet() -> None:
    pages = _pages()
    listing = pages["fastlane/metadata/android/en-US/full_description.txt"]
    assert listing.language == "en"
    assert [(b.scope, b.text) for b in listing.blocks] == [
        ("main", "Brightkettle is the easiest way to order tea."),
        ("heading", "WHAT YOU GET"),
        ("main", "Fresh tea every month"),
        ("main", "Free delivery over £20"),
        ("main", "You can pause your subscription at any time from the app."),
    ]
    assert listing.blocks[3].location.section == "WHAT YOU GET"
    assert pages["fastlane/metadata/android/fr-FR/full_description.txt"].language == "fr"
    assert _texts(pages["emails/welcome.text.erb"])[0] == f"Hello {VAR},"


def test_template_option_none_reads_the_source_as_written(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("Say {{ hello }} to everyone.\n", encoding="utf-8")
    [rendered] = _collect("page.md", base=tmp_path).documents
    assert _texts(rendered) == [f"Say {VAR} to everyone."]
    [plain] = _collect("page.md", base=tmp_path, template="none").documents
    # Not rendered, but no template syntax reaches a block either.
    assert _texts(plain) == [f"Say {VAR} to everyone."]
    assert plain.metadata.get("template") is None


def test_a_site_of_redirects_only_is_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nlayout: redirect\nredirect: /b/\n---\n", encoding="utf-8")
    (tmp_path / "b.html").write_text('<meta http-equiv="refresh" content="0; url=/c/">', encoding="utf-8")
    result = _collect(str(tmp_path), base=tmp_path)
    assert result.failures == [] and result.documents == []
    assert result.stats["redirects"] == 2
