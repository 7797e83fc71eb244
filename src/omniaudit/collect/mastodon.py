"""`mastodon`: an account's public statuses from its server's REST API, newest first.

`GET /api/v1/accounts/lookup?acct=` finds the account id; `GET /api/v1/accounts/:id/statuses` is paged with
the `Link: <...>; rel="next"` header. Status HTML is reduced to text; hashtags and mentions come from the
status' `tags` and `mentions`, links from its anchors (not the hashtag and profile links) and preview card.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from ..errors import SourceError
from ..models import Document, Location
from ._api import ApiOptions, ApiSession, fetch_settings, parse_link_header, run_sync
from ._posts import before, html_text, parse_date, post_document
from .base import CollectResult, Connector, now_iso, register
from .http import HttpFetcher

log = logging.getLogger(__name__)

PAGE_SIZE = 40  # the API's maximum


class MastodonOptions(ApiOptions):
    replies: bool = True  # the brand's answers to customers are service content too
    boosts: bool = False  # other accounts' posts the brand boosted


def parse_account(source: str) -> tuple[str, str]:
    """(server base URL, username) from `https://server/@name`, `@name@server` or `name@server`."""
    text = source.strip()
    if "://" in text:
        parts = urlsplit(text)
        path = parts.path.strip("/")
        name = path.split("/")[-1] if path else ""
        if parts.netloc and name.startswith("@") and len(name) > 1:
            return f"{parts.scheme}://{parts.netloc}", name[1:].split("@")[0]
    else:
        name, _, server = text.lstrip("@").partition("@")
        if name and server and "/" not in server:
            return f"https://{server}", name
    raise SourceError(source, "not a Mastodon account; write it as https://server/@name or @name@server")


@register("mastodon")
class MastodonConnector(Connector):
    Options = MastodonOptions
    options: MastodonOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"posts": 0, "pages": 0, "older_than_since": 0})
        try:
            base, name = parse_account(self.channel.source)
        except SourceError as exc:
            result.failures.append(self.failure_from(exc))
            return result
        run_sync(self._collect(base, name, result))
        result.stats["posts"] = len(result.documents)
        return result

    async def _collect(self, base: str, name: str, result: CollectResult) -> None:
        async with HttpFetcher(fetch_settings(self.options, self.context)) as fetcher:
            session = ApiSession(fetcher, self.options)
            try:
                account = await session.get_json(f"{base}/api/v1/accounts/lookup?acct={quote(name)}")
                if not isinstance(account, dict) or "id" not in account:
                    raise SourceError(f"{base}/@{name}", "the server did not return an account")
                await self._statuses(session, base, account, result)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            result.stats["requests"] = session.requests
            result.stats["rate_limit_wait_s"] = round(session.waited, 2)

    async def _statuses(
        self, session: ApiSession, base: str, account: dict[str, Any], result: CollectResult
    ) -> None:
        host = urlsplit(base).netloc
        acct = str(account.get("acct") or account.get("username") or "")
        handle = f"@{acct}" if "@" in acct else f"@{acct}@{host}"
        query = {
            "limit": min(PAGE_SIZE, self.options.max_posts),
            "exclude_reblogs": str(not self.options.boosts).lower(),
            "exclude_replies": str(not self.options.replies).lower(),
        }
        url: str | None = f"{base}/api/v1/accounts/{quote(str(account['id']))}/statuses?{urlencode(query)}"
        fetched_at = now_iso()
        while url and result.stats["pages"] < self.options.max_pages:
            response = await session.get(url)
            result.stats["pages"] += 1
            page = _json_list(response.content, url)
            if not page:
                break
            reached_since = False
            for status in page:
                if not isinstance(status, dict):
                    continue
                if status.get("reblog") and not self.options.boosts:
                    continue
                document = self._document(status, handle, fetched_at)
                if document is None:
                    continue
                if before(parse_date(status.get("created_at")), self.options.since):
                    # Statuses come newest first: the first one older than `since` ends the window.
                    result.stats["older_than_since"] += 1
                    reached_since = True
                    continue
                result.documents.append(document)
                if len(result.documents) >= self.options.max_posts:
                    return
            self.report_progress(len(result.documents), None)
            if reached_since:
                return
            url = parse_link_header(response.headers.get("link")).get("next")

    def _document(self, status: dict[str, Any], handle: str, fetched_at: str) -> Document | None:
        source = status.get("reblog") or status
        url = str(source.get("url") or source.get("uri") or "")
        text, anchors = html_text(str(source.get("content") or ""), url)
        spoiler = str(source.get("spoiler_text") or "").strip()
        if spoiler:
            text = f"{spoiler}\n{text}" if text else spoiler
        if not text:
            return None
        tags = [t for t in source.get("tags") or [] if isinstance(t, dict)]
        mentions = [m for m in source.get("mentions") or [] if isinstance(m, dict)]
        # Hashtag and profile anchors are not outbound links.
        skip = {str(t.get("url")).casefold() for t in tags} | {str(m.get("url")).casefold() for m in mentions}
        links = [link for link in anchors if link.casefold() not in skip]
        card = source.get("card")
        if isinstance(card, dict) and card.get("url"):
            links.append(str(card["url"]))
        post_id = str(status.get("id") or "")
        return post_document(
            self.channel,
            platform="mastodon",
            account=handle,
            post_id=post_id,
            text=text,
            url=url or None,
            moment=parse_date(status.get("created_at")),
            links=links,
            hashtags=[f"#{t['name']}" for t in tags if t.get("name")],
            mentions=[f"@{m['acct']}" for m in mentions if m.get("acct")],
            location=Location(uri=url or handle, section=f"post {post_id}"),
            fetched_at=fetched_at,
            language=source.get("language") or None,
            extra={"reply": bool(status.get("in_reply_to_id")), "boost": bool(status.get("reblog"))},
            tags_from_text=False,
        )


def _json_list(content: bytes, url: str) -> list[Any]:
    try:
        data = json.loads(content.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        raise SourceError(url, "expected a JSON list of statuses; check the server URL") from None
    if not isinstance(data, list):
        raise SourceError(url, "expected a JSON list of statuses; check the server URL")
    return data
