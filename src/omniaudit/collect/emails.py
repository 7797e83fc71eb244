"""Reader for e-mail templates saved as .eml (RFC 5322): subject, then the HTML body, else the plain one."""

from __future__ import annotations

import logging
from email import policy
from email.errors import MessageError
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._scripts import parse_text

if TYPE_CHECKING:
    from .service_folder import ServiceFolderConnector

log = logging.getLogger(__name__)


def _header(message: EmailMessage, name: str) -> str:
    """A header's text, or "" when Python's parser fails on it (a cut address such as "<orders@" raises
    IndexError): the rest of the message is still read."""
    try:
        return str(message.get(name, ""))
    except (MessageError, LookupError, ValueError, TypeError):
        log.info("unreadable %s header; left out", name)
        return ""


def read_eml(connector: ServiceFolderConnector, path: Path, shown: str) -> Document:
    data = connector.files.read_bytes(path, shown)
    message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))
    if not message.keys():
        raise SourceError(shown, "not an e-mail message (no headers); save the template as .eml or .html")
    subject = " ".join(_header(message, "subject").split())
    blocks: list[TextBlock] = []
    links: list[str] = []
    language: str | None = None
    if subject:
        blocks.append(TextBlock(subject, "title", Location(shown, section="subject")))
    body = message.get_body(preferencelist=("html", "plain"))
    if body is not None:
        try:
            content = str(body.get_content())
        except (LookupError, ValueError) as exc:
            raise SourceError(shown, f"cannot decode the message body: {exc}") from None
        if body.get_content_subtype() == "html":
            from ..extract.html import html_to_blocks

            page = html_to_blocks(content, shown)
            language = page.language
            links.extend(page.links)
            for block in page.blocks:
                if block.scope == "title":
                    continue
                section = f"body, {block.location.section}" if block.location.section else "body"
                blocks.append(TextBlock(block.text, block.scope, Location(shown, section=section)))
        else:
            parsed = parse_text(content, connector.labels)
            links.extend(parsed.links)
            for item in parsed.blocks:
                section = f"body, {item.section}" if item.section else "body"
                blocks.append(TextBlock(item.text, item.scope, Location(shown, section=section)))
    metadata: dict[str, object] = {
        "format": "eml",
        "kind": "email",
        "subject": subject,
        "from": _header(message, "from") or None,
        "to": _header(message, "to") or None,
        "date": _header(message, "date") or None,
    }
    return connector.document(
        shown, subject or path.stem, blocks, links=links, language=language, metadata=metadata
    )
