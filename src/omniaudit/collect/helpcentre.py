"""`zendesk_guide`: Zendesk Guide (Help Center) articles: an export file or folder, or the public API.

The JSON is the Help Center API's: `{"articles": [{"id", "title", "body" (HTML), "locale", "html_url",
"draft", ...}], "next_page": ...}` (or a bare list of articles). A source URL such as
`https://brand.zendesk.com/api/v2/help_center/en-us/articles.json` is paged through `next_page`.
One Document per article: the title, then the body's blocks through the shared HTML extractor.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import Field

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._api import ApiOptions, ApiSession, fetch_settings, run_sync
from ._files import parse_json
from ._posts import relative
from .base import CollectResult, Connector, now_iso, register
from .http import HttpFetcher

log = logging.getLogger(__name__)


class ZendeskOptions(ApiOptions):
    drafts: bool = False  # draft articles are not public
    max_pages: int = Field(50, ge=1)


@register("zendesk_guide")
class ZendeskGuideConnector(Connector):
    Options = ZendeskOptions
    options: ZendeskOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"articles": 0, "drafts": 0, "pages": 0})
        source = self.channel.source
        try:
            if "://" in source:
                run_sync(self._fetch(source, result))
            else:
                self._files(source, result)
        except SourceError as exc:
            result.failures.append(self.failure_from(exc))
        result.stats["articles"] = len(result.documents)
        return result

    def _files(self, source: str, result: CollectResult) -> None:
        root = self.context.resolve(source)
        shown_root = relative(root, self.context.base_dir)
        if root.is_dir():
            files = sorted(p for p in root.rglob("*.json") if p.is_file())
            if not files:
                raise SourceError(shown_root, "no .json article export in this folder")
        else:
            files = [root]
        for path in files:
            shown = relative(path, self.context.base_dir)
            try:
                data = parse_json(self.files.read_text(path, shown), shown)
                self._add(data, shown, result)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            result.stats["pages"] += 1

    async def _fetch(self, url: str, result: CollectResult) -> None:
        async with HttpFetcher(fetch_settings(self.options, self.context)) as fetcher:
            session = ApiSession(fetcher, self.options)
            seen: set[str] = set()
            next_url: str | None = url
            while next_url and next_url not in seen and result.stats["pages"] < self.options.max_pages:
                seen.add(next_url)
                data = await session.get_json(next_url)
                result.stats["pages"] += 1
                self._add(data, next_url, result)
                next_url = data.get("next_page") if isinstance(data, dict) else None
                if len(result.documents) >= self.options.max_posts:
                    return

    def _add(self, data: Any, where: str, result: CollectResult) -> None:
        articles = data.get("articles") if isinstance(data, dict) else data
        if not isinstance(articles, list):
            keys = ", ".join(list(data)[:8]) if isinstance(data, dict) else type(data).__name__
            raise SourceError(
                where, f'expected {{"articles": [...]}} from the Help Center API (found: {keys})'
            )
        fetched_at = now_iso()
        for index, article in enumerate(articles, start=1):
            if not isinstance(article, dict):
                continue
            if article.get("draft") and not self.options.drafts:
                result.stats["drafts"] += 1
                continue
            document = self._document(article, index, where, fetched_at)
            if document is not None:
                result.documents.append(document)
        self.report_progress(len(result.documents), None)

    def _document(self, article: dict[str, Any], index: int, where: str, fetched_at: str) -> Document | None:
        from ..extract.html import html_to_blocks

        article_id = str(article.get("id") or index)
        title = " ".join(str(article.get("title") or "").split())
        url = str(article.get("html_url") or article.get("url") or "") or f"{where}#{article_id}"
        section = f"article {article_id}"
        blocks: list[TextBlock] = []
        if title:
            blocks.append(TextBlock(title, "title", Location(where, line=None, section=f"{section}, title")))
        page = html_to_blocks(str(article.get("body") or ""), url)
        for block in page.blocks:
            if block.scope == "title" or not block.text:
                continue
            blocks.append(TextBlock(block.text, block.scope, Location(where, section=section)))
        if not blocks:
            return None
        locale = str(article.get("locale") or "")
        return Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=url,
            title=title or f"article {article_id}",
            blocks=tuple(blocks),
            language=self.channel.language or (locale.split("-")[0].lower() or None),
            fetched_at=fetched_at,
            links=page.links,
            metadata={
                "format": "zendesk",
                "kind": "article",
                "article_id": article_id,
                "locale": locale or None,
                "section_id": article.get("section_id"),
                "updated_at": article.get("updated_at"),
                "labels": list(article.get("label_names") or []),
                "source": where,
            },
        )
