"""`service_folder`: a folder of customer-service documents, one Document per file.

Call-centre, IVR and chatbot scripts with speaker turns (`Agent:`, `Customer:`, `IVR:`, `Conseiller:`,
`Klient:`, `العميل:` ...) become one block per turn; Markdown/plain-text help articles one block per heading,
paragraph, list item or table row. Every block keeps its file, line and section.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._files import source_files
from ._posts import relative
from ._scripts import LABELS, Parsed, parse_text
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)

Scope = Literal["agent", "customer", "bot", "user", "ivr"]


class ServiceFolderOptions(ConnectorOptions):
    # Extra speaker labels, e.g. {"Rep": "agent", "Guest": "customer"}; matched ignoring case.
    labels: dict[str, Scope] = {}
    encoding: str = "utf-8-sig"


# A reader turns one file into a Document, or raises SourceError with the reason.
Reader = Callable[["ServiceFolderConnector", Path, str], Document]


@register("service_folder")
class ServiceFolderConnector(Connector):
    """Reads every supported file under the source folder (recursively, sorted), or a single file."""

    Options = ServiceFolderOptions
    options: ServiceFolderOptions
    fetched_at: str = ""

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"files": 0, "skipped": 0})
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        files = source_files(root)
        if files is None:
            result.failures.append(
                self.failure(shown_root, "folder not found; check the channel's source path")
            )
            return result
        supported = [p for p in files if p.suffix.lower() in READERS]
        result.stats["skipped"] = len(files) - len(supported)
        if not supported:
            known = ", ".join(sorted(READERS))
            result.failures.append(
                self.failure(shown_root, f"no service documents here (looked for {known})")
            )
        self.fetched_at = now_iso()
        for done, path in enumerate(supported, start=1):
            shown = relative(path, self.context.base_dir)
            try:
                result.documents.append(READERS[path.suffix.lower()](self, path, shown))
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            result.stats["files"] += 1
            self.report_progress(done, len(supported))
        return result

    @property
    def labels(self) -> dict[str, str]:
        return {**LABELS, **{label.casefold(): scope for label, scope in self.options.labels.items()}}

    def document(
        self,
        shown: str,
        title: str,
        blocks: list[TextBlock],
        *,
        links: list[str] | tuple[str, ...] = (),
        language: str | None = None,
        metadata: dict[str, object] | None = None,
    ) -> Document:
        """A service Document for a file; a file without any text is a SourceError."""
        if not blocks:
            raise SourceError(shown, "no text found in the file")
        return Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=shown,
            title=title,
            blocks=tuple(blocks),
            language=self.channel.language or language,
            fetched_at=self.fetched_at or now_iso(),
            links=tuple(links),
            metadata=dict(metadata or {}),
        )

    def text_document(self, shown: str, parsed: Parsed, fallback_title: str, fmt: str) -> Document:
        blocks = [
            TextBlock(block.text, block.scope, Location(uri=shown, line=block.line, section=block.section))
            for block in parsed.blocks
        ]
        language = parsed.metadata.get("lang") or parsed.metadata.get("language")
        return self.document(
            shown,
            parsed.title or fallback_title,
            blocks,
            links=parsed.links,
            language=str(language) if language else None,
            metadata={"format": fmt, "kind": parsed.kind, **parsed.metadata},
        )


def _title_from(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name


def read_markdown(connector: ServiceFolderConnector, path: Path, shown: str) -> Document:
    text = connector.files.read_text(path, shown, connector.options.encoding)
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return connector.text_document(shown, parse_text(text, connector.labels), _title_from(path), fmt)


def _readers() -> dict[str, Reader]:
    from .documents import read_docx, read_html, read_pdf
    from .emails import read_eml

    return {
        ".md": read_markdown,
        ".markdown": read_markdown,
        ".txt": read_markdown,
        ".html": read_html,
        ".htm": read_html,
        ".docx": read_docx,
        ".pdf": read_pdf,
        ".eml": read_eml,
    }


READERS: dict[str, Reader] = _readers()
