"""service_folder: call-centre/IVR scripts with (localized) speaker turns and Markdown help articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel
from omniaudit.models import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def collect(source: str, base_dir: Path = FIXTURES, **options: Any) -> CollectResult:
    channel = Channel(id="care", type="service", connector="service_folder", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def by_uri(result: CollectResult) -> dict[str, Document]:
    return {doc.uri: doc for doc in result.documents}


def turns(doc: Document) -> list[tuple[str, str, str]]:
    return [(b.scope, str(b.location), b.text) for b in doc.blocks]


def test_reads_every_file_recursively_in_sorted_order_and_reports_the_bad_ones() -> None:
    result = collect("service")
    assert [doc.uri for doc in result.documents] == [
        "service/ar/script.txt",
        "service/formats/contact-us.html",
        "service/formats/delivery-script.docx",
        "service/formats/order-shipped.eml",
        "service/formats/returns-policy.pdf",
        "service/fr/appel_retours.md",
        "service/help/returns.md",
        "service/ivr_main_menu.txt",
        "service/pl/infolinia.txt",
        "service/returns_call.txt",
    ]
    assert all(doc.channel_type == "service" for doc in result.documents)
    assert [f"{f.source}: {f.error}" for f in result.failures] == [
        "service/broken/cut.pdf: not a readable PDF (PdfStreamError: Stream has ended unexpectedly); "
        "export it again",
        "service/broken/old-format.docx: not a readable .docx (BadZipFile); re-save it in Word "
        "(a .doc must be saved as .docx)",
        "service/broken/scanned.pdf: no text layer (a scanned PDF?); "
        "run OCR on it or export it with its text",
    ]


def test_english_call_script_one_block_per_turn_with_continuation_lines() -> None:
    doc = by_uri(collect("service/returns_call.txt"))["service/returns_call.txt"]
    assert turns(doc) == [
        ("main", "service/returns_call.txt:1", "Returns call script (inbound, v3)"),
        (
            "agent",
            "service/returns_call.txt:3 [turn 1 (Agent)]",
            "Thank you for calling Northwind Outfitters, this is Sam. How can I help?",
        ),
        (
            "customer",
            "service/returns_call.txt:4 [turn 2 (Customer)]",
            "Hi, I bought a Trail Jacket last week and it doesn't fit.",
        ),
        (
            "agent",
            "service/returns_call.txt:5 [turn 3 (Agent)]",
            "No problem at all. You can return it free within 30 days, and we'll email you a prepaid label.",
        ),
        ("customer", "service/returns_call.txt:7 [turn 4 (Customer)]", "Great, thanks."),
        (
            "agent",
            "service/returns_call.txt:8 [turn 5 (Agent (closing))]",
            "Is there anything else? Go further, together!",
        ),
    ]
    assert doc.metadata["kind"] == "script"
    assert doc.metadata["turns"] == 5


def test_ivr_menu_and_caller_turns() -> None:
    doc = by_uri(collect("service/ivr_main_menu.txt"))["service/ivr_main_menu.txt"]
    assert [b.scope for b in doc.blocks] == ["ivr", "ivr", "customer", "ivr"]
    assert doc.blocks[3].location.section == "turn 4 (IVR)"


def test_localized_labels_french_bold_markdown_polish_and_arabic() -> None:
    docs = by_uri(collect("service"))
    french = docs["service/fr/appel_retours.md"]
    assert french.title == "Script d'appel : retours"
    assert [(b.scope, b.location.section) for b in french.blocks[1:]] == [
        ("agent", "turn 1 (Conseiller)"),
        ("customer", "turn 2 (Client)"),
        ("agent", "turn 3 (Conseillère)"),
    ]
    assert french.blocks[3].text == "Bien sûr, les retours sont gratuits pendant 30 jours."
    polish = docs["service/pl/infolinia.txt"]
    assert [b.scope for b in polish.blocks] == ["agent", "customer", "agent"]
    arabic = docs["service/ar/script.txt"]
    assert [b.scope for b in arabic.blocks] == ["agent", "customer", "agent"]
    assert arabic.blocks[1].text == "أريد إرجاع سترة."
    assert arabic.blocks[1].location.section == "turn 2 (العميل)"


def test_markdown_article_headings_paragraphs_list_items_and_table_rows() -> None:
    doc = by_uri(collect("service/help/returns.md"))["service/help/returns.md"]
    assert doc.title == "Returns and refunds"
    assert doc.language == "en"
    assert doc.metadata["kind"] == "article"
    assert turns(doc) == [
        ("heading", "service/help/returns.md:5 [Returns and refunds]", "Returns and refunds"),
        (
            "main",
            "service/help/returns.md:7 [Returns and refunds]",
            "You can return any item free of charge within 30 days. "
            "Refunds reach your card in 5 business days.",
        ),
        ("heading", "service/help/returns.md:10 [How to return]", "How to return"),
        ("main", "service/help/returns.md:12 [How to return]", "Sign in to your account."),
        ("main", "service/help/returns.md:13 [How to return]", "Choose Start a return and print the label."),
        ("main", "service/help/returns.md:15 [How to return]", "Item | Return window"),
        ("main", "service/help/returns.md:17 [How to return]", "Trail Jacket | 30 days"),
        ("main", "service/help/returns.md:19 [How to return]", "Note: sale items follow the same policy."),
    ]
    assert doc.links == ("https://northwind.example/account",)


def test_custom_labels_option(tmp_path: Path) -> None:
    (tmp_path / "chat.txt").write_text("Crew: Hello!\nMember: Hi\nCrew: Bye\n", encoding="utf-8")
    assert [b.scope for b in collect(".", base_dir=tmp_path).documents[0].blocks] == ["main"]
    result = collect(".", base_dir=tmp_path, labels={"Crew": "agent", "member": "customer"})
    assert [b.scope for b in result.documents[0].blocks] == ["agent", "customer", "agent"]


def test_bad_files_are_failures_and_the_rest_is_kept(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("# FAQ\n\nWe answer within 24 hours.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Agent: Bonjour, ça va ?\n".encode("latin-1"))
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    result = collect(".", base_dir=tmp_path)
    assert [doc.uri for doc in result.documents] == ["good.md"]
    assert [f"{f.source}: {f.error}" for f in result.failures] == [
        "empty.txt: no text found in the file",
        "latin1.txt: not UTF-8 text (byte 0xe7 at offset 16); re-save it as UTF-8 or set options.encoding",
    ]
    assert result.stats == {"files": 3, "skipped": 1}
    assert [doc.uri for doc in collect(".", base_dir=tmp_path, encoding="latin-1").documents] == [
        "good.md",
        "latin1.txt",
    ]


def test_missing_folder_is_a_failure(tmp_path: Path) -> None:
    result = collect("scripts", base_dir=tmp_path)
    assert result.documents == []
    assert [f"{f.source}: {f.error}" for f in result.failures] == [
        "scripts: folder not found; check the channel's source path"
    ]
