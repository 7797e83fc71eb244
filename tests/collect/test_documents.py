"""Word, PDF, HTML and e-mail service documents read through service_folder (fixtures are real files)."""

from __future__ import annotations

from pathlib import Path

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel
from omniaudit.models import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def collect(source: str, base_dir: Path = FIXTURES) -> CollectResult:
    channel = Channel(id="care", type="service", connector="service_folder", source=source)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def only(source: str) -> Document:
    result = collect(source)
    assert result.failures == []
    (document,) = result.documents
    return document


def blocks(doc: Document) -> list[tuple[str, str, str]]:
    return [(b.scope, str(b.location), b.text) for b in doc.blocks]


def test_docx_script_with_headings_turns_and_a_table() -> None:
    doc = only("service/formats/delivery-script.docx")
    where = "service/formats/delivery-script.docx"
    assert doc.title == "Delivery call script"
    assert doc.metadata == {"format": "docx", "kind": "script", "turns": 3}
    assert blocks(doc) == [
        ("heading", f"{where} [Delivery call script]", "Delivery call script"),
        (
            "main",
            f"{where} [Delivery call script, paragraph 2]",
            "Use this script for inbound calls about late orders.",
        ),
        ("agent", f"{where} [turn 1 (Agent)]", "Thanks for calling Northwind Outfitters, how can I help?"),
        ("customer", f"{where} [turn 2 (Customer)]", "My order hasn't arrived yet."),
        (
            "agent",
            f"{where} [turn 3 (Agent)]",
            "Orders arrive in 3-5 business days; I'll check the tracking for you.",
        ),
        ("heading", f"{where} [Opening hours]", "Opening hours"),
        ("main", f"{where} [Opening hours, table 1, row 1]", "Monday to Friday | 8am-8pm"),
        ("main", f"{where} [Opening hours, table 1, row 2]", "Saturday | 9am-5pm"),
        ("main", f"{where} [Opening hours, paragraph 7]", "Always close with: go further, together."),
    ]


def test_pdf_pages_paragraphs_and_lines() -> None:
    doc = only("service/formats/returns-policy.pdf")
    where = "service/formats/returns-policy.pdf"
    assert doc.title == "Returns policy"
    assert doc.metadata["pages"] == 2
    assert blocks(doc) == [
        ("main", f"{where}:1 [page 1]", "Returns policy"),
        (
            "main",
            f"{where}:2 [page 1]",
            "You can return any item free of charge within 30 days of delivery. We refund your card within "
            "5 business days of receiving the parcel.",
        ),
        ("main", f"{where}:4 [page 1]", "Sale items follow the same policy."),
        ("main", f"{where}:1 [page 2]", "Repairs"),
        (
            "main",
            f"{where}:2 [page 2]",
            "Outdoor gear built to last a lifetime, repaired free for as long as you own it. "
            "Call +1 800 555 0199, Monday to Friday, 8am-8pm.",
        ),
    ]


def test_html_help_page() -> None:
    doc = only("service/formats/contact-us.html")
    assert doc.title == "Contact us | Northwind Help Centre"
    assert doc.language == "en"
    main = [b for b in doc.blocks if b.scope == "main"]
    assert main[1].text == "Our team answers Monday to Friday, 8am-8pm, on +1 800 555 0199."
    assert main[1].location.uri == "service/formats/contact-us.html"
    assert main[1].location.line == 8
    assert "mailto:help@northwind.example" in doc.links


def test_eml_template_subject_and_html_body() -> None:
    doc = only("service/formats/order-shipped.eml")
    assert doc.title == "Your order is on its way — Northwind"  # RFC 2047 encoded subject decoded
    assert doc.metadata["from"] == "Northwind Outfitters <orders@northwind.example>"
    assert blocks(doc)[0] == ("title", "service/formats/order-shipped.eml [subject]", doc.title)
    texts = [b.text for b in doc.blocks[1:]]
    # The HTML part wins over the plain one; quoted-printable and the en dash are decoded.
    assert "Hi {{first_name}}, your order ships today and arrives in 3–5 business days." in texts
    assert doc.links == ("https://northwind.example/help",)


def test_plain_text_eml_and_a_file_that_is_not_mail(tmp_path: Path) -> None:
    (tmp_path / "welcome.eml").write_text(
        "Subject: Welcome\nContent-Type: text/plain; charset=utf-8\n\nAgent: Welcome aboard!\nUser: Thanks\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.eml").write_text("\nJust some text\n", encoding="utf-8")
    result = collect(".", base_dir=tmp_path)
    (doc,) = result.documents
    assert [(b.scope, b.location.section) for b in doc.blocks] == [
        ("title", "subject"),
        ("agent", "body, turn 1 (Agent)"),
        ("user", "body, turn 2 (User)"),
    ]
    assert [f"{f.source}: {f.error}" for f in result.failures] == [
        "notes.eml: not an e-mail message (no headers); save the template as .eml or .html"
    ]
