"""Regenerate the sample brands' Word and PDF service documents.

    .venv/bin/python samples/tools/make_documents.py

Writes the .docx files with python-docx (a project dependency) and the .pdf files with the small writer below
(one page, Helvetica, a real text layer), so no PDF library is needed. Every fact sentence keeps its subject
and value in one sentence, as the fact extractor reads them; BrightMart's call-centre documents repeat the
call centre's own (planted) statements and, like its scripts, never send the caller to a digital channel.
"""

from __future__ import annotations

import textwrap
from datetime import datetime, timezone
from pathlib import Path

import docx

SAMPLES = Path(__file__).resolve().parents[1]
FIXED_TIME = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)  # stable document properties between runs

# (path under samples/, title, paragraphs)
DOCUMENTS: list[tuple[str, str, list[str]]] = [
    (
        "northwind/service/help-centre/returns-and-repairs-policy.docx",
        "Returns and repairs policy",
        [
            "You can return any item within 30 days.",
            "Items should be unworn, with their tags still attached. Start a return in the Northwind app "
            "or at https://northwind.example/returns and print the prepaid label.",
            "Your refund goes back to your original payment method as soon as the item reaches our "
            "warehouse.",
            "We repair every Northwind product free for as long as you own it. Outdoor gear built to last "
            "for years deserves a second life, and every repair keeps gear out of landfill.",
            "Real people who love the outdoors answer every call, email and chat. Go further, together.",
        ],
    ),
    (
        "northwind/service/help-centre/delivery-and-contact-policy.pdf",
        "Delivery and contact policy",
        [
            "Orders arrive in 3-5 business days.",
            "Standard delivery is free on every order, with no minimum spend. When your parcel leaves our "
            "warehouse, we email you a tracking link, and you can follow it in the Northwind app.",
            "Our support team is available Monday to Friday, 8am-8pm.",
            "Call us at +1 800 555 0199.",
            "Email us at help@northwind.example.",
            "Every product we sell is tested by our own guides on real trails before it reaches our shelves. "
            "Read more on our delivery page at https://northwind.example/shipping.",
            "Go further, together.",
        ],
    ),
    (
        "brightmart/service/call-centre/store-returns-policy.docx",
        "Store policy: returns and refunds",
        [
            # The return window is stated once in the call centre (returns.md), so fixing the planted
            # difference there fixes the whole channel.
            "Items must be unused and in their original packaging.",
            "Bring the item to any BrightMart store with your order number, or call us and we will book a "
            "courier to collect it from your address.",
            "We refund the original payment method as soon as our returns team checks the item.",
            "Call us at +1 800 555 0142.",
            "Thank you for shopping with BrightMart. Brighten every room.",
        ],
    ),
    (
        "brightmart/service/call-centre/store-hours-and-delivery.pdf",
        "Store policy: hours and delivery",
        [
            "Our customer care team is available Monday to Saturday, 8am-10pm.",
            "Call us at +1 800 555 0142 for anything about your order.",
            "Standard delivery takes 3-5 business days.",
            "The Cozy Throw Blanket is $49.",
            "Our in-house design team picks every piece to mix and match across your home. "
            "Brighten every room.",
        ],
    ),
]


def write_docx(path: Path, title: str, paragraphs: list[str]) -> None:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "omniaudit samples"
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def _pdf_string(text: str) -> str:
    text.encode("latin-1")  # WinAnsi text only: fail here rather than write an unreadable PDF
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def write_pdf(path: Path, title: str, paragraphs: list[str]) -> None:
    """A one-page PDF 1.4 with a Helvetica text layer: a heading, then wrapped paragraphs with a gap."""
    lines = ["BT", "/F1 16 Tf", "72 740 Td", f"{_pdf_string(title)} Tj", "/F1 11 Tf", "15 TL", "0 -12 Td"]
    for paragraph in paragraphs:
        lines.append("T*")  # a blank line between paragraphs
        for line in textwrap.wrap(paragraph, width=88):
            lines.append(f"T* {_pdf_string(line)} Tj")
    lines.append("ET")
    stream = "\n".join(lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title " + _pdf_string(title).encode("latin-1") + b" /Producer (omniaudit samples) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def main() -> None:
    for relative, title, paragraphs in DOCUMENTS:
        path = SAMPLES / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        (write_docx if path.suffix == ".docx" else write_pdf)(path, title, paragraphs)
        print(f"wrote {path.relative_to(SAMPLES.parent)}")


if __name__ == "__main__":
    main()
