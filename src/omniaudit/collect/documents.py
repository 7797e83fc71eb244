"""Readers for service documents that are not plain text: Word (.docx), PDF and HTML help-centre pages.

`service_folder` dispatches to them by suffix. Word and PDF scripts get the same speaker-turn detection as
.txt scripts; every block keeps its file plus a section ("page 2", "paragraph 7", "turn 3 (Agent)").
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._scripts import parse_text, speaker

if TYPE_CHECKING:
    from .service_folder import ServiceFolderConnector

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[.!?؟:…»\"')]\s*$")


def read_html(connector: ServiceFolderConnector, path: Path, shown: str) -> Document:
    """A saved help-centre page or e-mail template, through the shared HTML extractor."""
    from ..extract.html import html_to_blocks

    page = html_to_blocks(connector.files.read_bytes(path, shown), shown)
    return connector.document(
        shown,
        page.title or _title(path),
        list(page.blocks),
        links=page.links,
        language=page.language,
        metadata={"format": "html", "kind": "article"},
    )


def read_docx(connector: ServiceFolderConnector, path: Path, shown: str) -> Document:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise SourceError(shown, "reading .docx files needs python-docx: pip install python-docx") from None
    data = connector.files.read_bytes(path, shown)
    connector.files.check_archive(data, shown)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises PackageNotFoundError, BadZipFile, KeyError, lxml errors ...
        kind = type(exc).__name__
        raise SourceError(
            shown, f"not a readable .docx ({kind}); re-save it in Word (a .doc must be saved as .docx)"
        ) from None
    labels = connector.labels
    items: list[tuple[str, str, str]] = []  # (text, kind: heading | paragraph | row, position label)
    paragraphs = tables = 0
    for element in word.iter_inner_content():
        if isinstance(element, Paragraph):
            text = " ".join(element.text.split())
            if not text:
                continue
            paragraphs += 1
            style = (element.style.name if element.style is not None else "") or ""
            kind = "heading" if style.startswith(("Heading", "Title")) else "paragraph"
            items.append((text, kind, f"paragraph {paragraphs}"))
        elif isinstance(element, Table):
            tables += 1
            for number, row in enumerate(element.rows, start=1):
                cells = _unique_cells(cell.text for cell in row.cells)
                if cells:
                    items.append((" | ".join(cells), "row", f"table {tables}, row {number}"))
    script = sum(1 for text, kind, _ in items if kind == "paragraph" and speaker(text, labels)) >= 2
    blocks: list[TextBlock] = []
    title = (word.core_properties.title or "").strip()
    heading: str | None = None
    turns = 0
    for text, kind, position in items:
        if kind == "heading":
            heading = text
            title = title or text
            blocks.append(TextBlock(text, "heading", Location(shown, section=text)))
            continue
        turn = speaker(text, labels) if script and kind == "paragraph" else None
        if turn:
            turns += 1
            label, scope, body = turn
            if body:
                blocks.append(TextBlock(body, scope, Location(shown, section=f"turn {turns} ({label})")))
            continue
        section = f"{heading}, {position}" if heading else position
        blocks.append(TextBlock(text, "main", Location(shown, section=section)))
    metadata: dict[str, object] = {"format": "docx", "kind": "script" if script else "article"}
    if script:
        metadata["turns"] = turns
    return connector.document(shown, title or _title(path), blocks, metadata=metadata)


def read_pdf(connector: ServiceFolderConnector, path: Path, shown: str) -> Document:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise SourceError(shown, "reading .pdf files needs pypdf: pip install pypdf") from None
    data = connector.files.read_bytes(path, shown)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(shown, "the PDF is encrypted; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        # Read here: pypdf parses the metadata lazily, and a damaged one raises like a damaged page.
        properties: dict[str, Any] = dict(reader.metadata or {})
    except SourceError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise SourceError(shown, f"not a readable PDF ({reason}); export it again") from None
    if not any(text.strip() for text in pages):
        raise SourceError(shown, "no text layer (a scanned PDF?); run OCR on it or export it with its text")
    blocks: list[TextBlock] = []
    kinds: set[str] = set()
    for number, text in enumerate(pages, start=1):
        joined, line_numbers = _pdf_paragraphs(text)
        parsed = parse_text(joined, connector.labels)
        kinds.add(parsed.kind)
        for block in parsed.blocks:
            where = f"page {number}" + (f", {block.section}" if block.section else "")
            line = line_numbers[block.line - 1] if 0 < block.line <= len(line_numbers) else None
            blocks.append(TextBlock(block.text, block.scope, Location(shown, line=line, section=where)))
    title = str(properties.get("/Title") or "").strip() or None
    info: dict[str, object] = {"format": "pdf", "kind": "script" if "script" in kinds else "article"}
    info["pages"] = len(pages)
    return connector.document(shown, title or _title(path), blocks, metadata=info)


def _pdf_paragraphs(text: str) -> tuple[str, list[int]]:
    """PDF text has a line break at every printed line: join lines back into paragraphs.

    A paragraph ends at a line that closes a sentence and is visibly shorter than the page's full lines, or
    at a very short line (a heading). Returns the text with blank lines added and, for each of its lines,
    the line number in the page's own text.
    """
    lines = [line.rstrip() for line in text.splitlines()]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        numbers.append(number)
        short = len(line) < 0.8 * longest
        if line and ((short and _SENTENCE_END.search(line)) or len(line) < 0.5 * longest):
            out.append("")
            numbers.append(number)
    return "\n".join(out), numbers


def _unique_cells(cells: Any) -> list[str]:
    # Merged cells repeat their text once per grid column.
    out: list[str] = []
    for cell in cells:
        text = " ".join(str(cell).split())
        if text and (not out or out[-1] != text):
            out.append(text)
    return out


def _title(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name
