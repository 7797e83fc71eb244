"""HTML -> blocks: scopes, one block per paragraph/heading/item/row, source lines, metadata, encodings."""

from __future__ import annotations

from pathlib import Path

from omniaudit.extract.html import decode_html, html_to_blocks

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
HTML = Path(__file__).resolve().parent.parent / "fixtures" / "html"


def _by_scope(page, scope):  # type: ignore[no-untyped-def]
    return [block.text for block in page.blocks if block.scope == scope]


def test_home_page_blocks_have_scopes_lines_and_collapsed_whitespace() -> None:
    page = html_to_blocks((SITE / "index.html").read_bytes(), "https://northwind.example/")
    assert page.title == "Northwind Outfitters | Outdoor gear built to last"
    assert page.language == "en"
    assert _by_scope(page, "title") == ["Northwind Outfitters | Outdoor gear built to last"]
    assert _by_scope(page, "meta") == [
        "Outdoor gear built to last a lifetime, repaired free for as long as you own it."
    ]
    main = _by_scope(page, "main")
    assert main[:3] == [
        "Go further, together.",
        "Outdoor gear built to last a lifetime, repaired free for as long as you own it.",
        "Free returns within 30 days. Delivery in 3-5 business days.",
    ]
    assert "Meet the team" in main  # one block per list item
    assert _by_scope(page, "nav") == ["About us", "Products", "Contact"]
    assert _by_scope(page, "header") == ["Northwind"]  # the logo's alt text
    assert _by_scope(page, "footer") == [
        "Call us on +1 800 555 0199, Monday to Friday, 8am-8pm.",
        "Email help@northwind.example",
        "Follow us: Instagram Facebook",
    ]
    text = "\n".join(block.text for block in page.blocks)
    assert "window.analytics" not in text and "font-family" not in text  # script and style dropped
    assert "enable JavaScript" not in text  # noscript dropped
    lines = (SITE / "index.html").read_text(encoding="utf-8").splitlines()
    for block in page.blocks:
        assert block.location.uri == "https://northwind.example/"
        assert block.location.section == block.scope
        assert block.location.line is not None
        first_word = block.text.split()[0]
        # The block's line is where its element starts: the first word is on that line or just after it.
        window = "\n".join(lines[block.location.line - 1 : block.location.line + 1])
        assert first_word in window, (block, window)


def test_links_metadata_and_social_profiles() -> None:
    page = html_to_blocks((SITE / "index.html").read_bytes(), "https://northwind.example/")
    assert "https://northwind.example/about.html" in page.links
    assert "https://northwind.example/about.html#team" in page.links  # hrefs as written, made absolute
    assert "mailto:help@northwind.example" in page.links
    assert page.metadata["description"].startswith("Outdoor gear built to last")
    assert page.metadata["og"] == {"title": "Northwind Outfitters", "image": "/img/hero.jpg"}
    assert page.metadata["hreflang"] == {
        "fr": "https://northwind.example/fr/",
        "en": "https://northwind.example/",
    }
    assert page.metadata["social_links"] == [
        "https://instagram.com/northwind",
        "https://www.facebook.com/northwind",
    ]
    assert page.scripts == 1


def test_article_header_is_main_content_and_id_footer_is_footer() -> None:
    about = html_to_blocks((SITE / "about.html").read_bytes(), "about.html")
    assert _by_scope(about, "main")[0] == "About us"  # <header> inside <article> belongs to the article
    assert _by_scope(about, "footer") == ["Northwind Outfitters, 12 River Street, Portland"]
    contact = html_to_blocks((SITE / "contact.html").read_bytes(), "contact.html")
    assert _by_scope(contact, "main") == [
        "Contact",
        "Channel | Hours",
        "Phone | Monday to Friday, 8am-8pm",
        "Chat | Every day, 9am-5pm",
    ]
    assert _by_scope(contact, "footer") == ["Support: +1 800 555 0199"]  # <div id="footer">


def test_malformed_html_still_yields_its_text() -> None:
    page = html_to_blocks((SITE / "malformed.html").read_bytes(), "malformed.html")
    main = _by_scope(page, "main")
    assert page.title == "Old page"
    assert main[0] == "First paragraph with bold nested text"
    assert "Second paragraph without closing tags" in main
    assert ["one", "two"] == [text for text in main if text in ("one", "two")]
    assert "cell a | cell b" in main
    assert main[-1].startswith("Trailing text & an unescaped ampersand")


def test_windows_1256_page_that_claims_utf8_is_decoded() -> None:
    data = (SITE / "arabic.html").read_bytes()
    text, encoding = decode_html(data, "utf-8")
    assert encoding == "cp1256"
    page = html_to_blocks(data, "arabic.html", encoding="utf-8")
    assert page.title == "سياسة الإرجاع"
    assert page.language == "ar"
    assert "يمكنك إرجاع المنتجات خلال 30 يومًا." in _by_scope(page, "main")


def test_declared_encoding_is_used_when_it_decodes() -> None:
    data = "<html><body><p>Zażółć gęślą jaźń</p></body></html>".encode("iso-8859-2")
    page = html_to_blocks(data, "pl.html", encoding="iso-8859-2")
    assert _by_scope(page, "main") == ["Zażółć gęślą jaźń"]


def test_hidden_elements_cookie_banners_and_edge_cases() -> None:
    page = html_to_blocks((HTML / "landmarks.html").read_bytes(), "landmarks.html")
    assert _by_scope(page, "aside") == [
        "Related: our repair programme",
        "We use cookies to improve the site.",
    ]
    main = _by_scope(page, "main")
    assert "Hidden text" not in " ".join(main)
    assert main == ["Welcome", "Line one line two", "Loose text in a div", "Inner paragraph", "Text after it"]
    assert _by_scope(page, "header") == ["Site banner"]
    assert _by_scope(page, "nav") == ["Home Shop"]
    empty = html_to_blocks(b"", "empty.html")
    assert empty.blocks == () and empty.title == "" and empty.language is None


def test_relative_links_resolve_against_base_href() -> None:
    html = (
        '<html><head><base href="https://cdn.example/docs/"></head><body><a href="a.html">a</a></body></html>'
    )
    page = html_to_blocks(html, "page.html")
    assert page.links == ("https://cdn.example/docs/a.html",)
