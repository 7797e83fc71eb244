"""A declared charset wins when the bytes are mostly valid in it: one stray byte in a UTF-8 page becomes one
U+FFFD, never a legacy code page that mangles every accent. Pages that lie about their charset outright are
still read in the charset their bytes are really in."""

from __future__ import annotations

from pathlib import Path

from omniaudit.collect import CollectContext, get_connector
from omniaudit.config import Channel
from omniaudit.extract.html import decode_html


def test_a_utf8_page_with_one_stray_byte_stays_utf8() -> None:
    assert decode_html(b"caf\xc3\xa9 \xff", "utf-8") == ("café \ufffd", "utf-8")


def test_the_page_language_does_not_turn_a_stray_byte_into_a_legacy_code_page() -> None:
    page = '<html lang="pl"><body><p>Zażółć gęślą jaźń</p></body></html>'.encode()
    broken = page.replace("jaźń".encode(), "ja\xc5\xba\xf1".encode("latin-1"))  # a cut last character
    assert decode_html(broken, "utf-8") == (
        '<html lang="pl"><body><p>Zażółć gęślą jaź\ufffd</p></body></html>',
        "utf-8",
    )


def test_a_page_that_lies_outright_is_read_in_its_real_charset() -> None:
    page = '<html lang="ar"><body><p>سياسة الإرجاع</p></body></html>'.encode("cp1256")
    assert decode_html(page, "utf-8") == (
        '<html lang="ar"><body><p>سياسة الإرجاع</p></body></html>',
        "cp1256",
    )


def test_a_short_undeclared_legacy_page_is_not_taken_for_utf16() -> None:
    assert decode_html(b"caf\xe9", None) == ("café", "cp1252")


def test_a_saved_page_with_a_stray_byte_keeps_its_accents(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    html = '<html lang="fr"><head><meta charset="utf-8"><title>Café</title></head><body><p>Crème brûlée'
    (site / "menu.html").write_bytes(html.encode() + b" \x92 offerte.</p></body></html>")
    channel = Channel(id="web", type="website", connector="website", source="site/")

    result = get_connector(channel, CollectContext(base_dir=tmp_path)).collect()

    [document] = result.documents
    assert document.title == "Café"
    assert [block.text for block in document.blocks if block.scope == "main"] == [
        "Crème brûlée \ufffd offerte."
    ]
