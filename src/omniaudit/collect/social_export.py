"""`social_export`: posts from a generic JSON or CSV export (Sprout Social, Hootsuite, Meta Business Suite).

The export is a JSON list of post objects (or `{"posts": [...]}`) or a CSV with a header row. Column names
default to `id, date, text, url, platform, account`; `options.mapping` renames them for a tool's own export.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..models import Document, Location
from ._files import csv_rows, dig, find_column, parse_json
from ._posts import before, parse_date, post_document, relative
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)

FIELDS = ("id", "date", "text", "url", "platform", "account")


class FieldMapping(ConnectorOptions):
    """Which column (CSV) or key (JSON; dotted for nested objects, e.g. `message.body`) holds each field."""

    id: str = "id"
    date: str = "date"
    text: str = "text"
    url: str = "url"
    platform: str = "platform"
    account: str = "account"


class SocialExportOptions(ConnectorOptions):
    mapping: FieldMapping = FieldMapping()
    since: date | None = None  # posts dated before this day are not audited
    platform: str | None = None  # used when the export has no platform column
    account: str | None = None  # used when the export has no account column
    date_format: str | None = None  # strptime format tried first, e.g. "%d/%m/%Y %H:%M"
    delimiter: str | None = None  # CSV delimiter; sniffed from the header when not set
    encoding: str = "utf-8-sig"


@register("social_export")
class SocialExportConnector(Connector):
    """One Document per post; a file that cannot be read becomes a Failure and the other files still count."""

    Options = SocialExportOptions
    options: SocialExportOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"files": 0, "posts": 0, "older_than_since": 0, "empty": 0})
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        if root.is_dir():
            files = sorted(
                p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".json", ".csv")
            )
            if not files:
                result.failures.append(self.failure(shown_root, "no .json or .csv export in this folder"))
        elif root.exists():
            files = [root]
        else:
            result.failures.append(
                self.failure(shown_root, "file not found; check the channel's source path")
            )
            files = []
        fetched_at = now_iso()
        for done, path in enumerate(files, start=1):
            shown = relative(path, self.context.base_dir)
            documents: list[Document] = []
            try:
                for document in self._read(path, shown, fetched_at, result.stats):
                    documents.append(document)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            # Posts read before a file went bad are kept: a truncated CSV still has its first rows.
            result.documents.extend(documents)
            result.stats["files"] += 1
            self.report_progress(done, len(files))
        result.stats["posts"] = len(result.documents)
        return result

    def _read(self, path: Path, shown: str, fetched_at: str, stats: dict[str, Any]) -> Iterator[Document]:
        text = self.files.read_text(path, shown, self.options.encoding)
        if path.suffix.lower() == ".csv":
            records = self._csv_records(text, shown)
        else:
            records = self._json_records(text, shown)
        for line, record in records:
            document = self._document(record, line, shown, fetched_at, stats)
            if document is not None:
                yield document

    def _csv_records(self, text: str, shown: str) -> Iterator[tuple[int, dict[str, Any]]]:
        header, rows = csv_rows(text, shown, self.options.delimiter)
        mapping = self.options.mapping
        columns: dict[str, str | None] = {
            name: find_column(header, getattr(mapping, name)) for name in FIELDS
        }
        if columns["text"] is None:
            # One line, whatever the first row holds (a quoted cell may span lines).
            listed = ", ".join(" ".join(name.split())[:40] for name in header) if header else "none"
            raise SourceError(
                shown, f"no {mapping.text!r} column (columns: {listed}); set options.mapping.text"
            )
        for line, row in rows:
            yield line, {name: row.get(column) if column else None for name, column in columns.items()}

    def _json_records(self, text: str, shown: str) -> Iterator[tuple[int, dict[str, Any]]]:
        data = parse_json(text, shown)
        if isinstance(data, dict):
            posts = next(
                (data[key] for key in ("posts", "data", "items") if isinstance(data.get(key), list)), None
            )
            if posts is None:
                keys = ", ".join(list(data)[:8]) or "none"
                raise SourceError(
                    shown, f'expected a list of posts or {{"posts": [...]}} (top-level keys: {keys})'
                )
        elif isinstance(data, list):
            posts = data
        else:
            raise SourceError(shown, 'expected a list of posts or {"posts": [...]}')
        mapping = self.options.mapping
        objects = [post for post in posts if isinstance(post, dict)]
        if objects and all(dig(post, mapping.text) is None for post in objects):
            seen = sorted({key for post in objects for key in post})
            raise SourceError(
                shown,
                f"no {mapping.text!r} field in any post (fields: {', '.join(seen[:12])}); "
                "set options.mapping.text",
            )
        for index, post in enumerate(posts):
            if not isinstance(post, dict):
                log.warning("%s: item %d is not a post object; skipped", shown, index + 1)
                continue
            yield index + 1, {name: dig(post, getattr(mapping, name)) for name in FIELDS}

    def _document(
        self, record: dict[str, Any], line: int, shown: str, fetched_at: str, stats: dict[str, Any]
    ) -> Document | None:
        text = _as_text(record["text"])
        if not text:
            stats["empty"] += 1
            return None
        moment = parse_date(record["date"], self.options.date_format)
        if record["date"] not in (None, "") and moment is None:
            log.warning("%s:%d: unreadable date %r; set options.date_format", shown, line, record["date"])
        if before(moment, self.options.since):
            stats["older_than_since"] += 1
            return None
        post_id = _as_text(record["id"]) or str(line)
        platform = _as_text(record["platform"]) or self.options.platform or self.channel.id
        account = _as_text(record["account"]) or self.options.account
        return post_document(
            self.channel,
            platform=platform,
            account=account,
            post_id=post_id,
            text=text,
            url=_as_text(record["url"]) or None,
            moment=moment,
            location=Location(uri=shown, line=line, section=f"post {post_id}"),
            fetched_at=fetched_at,
        )


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
