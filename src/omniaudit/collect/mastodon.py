"""`mastodon`: an account's public statuses from its server's REST API, newest first.

`GET /api/v1/accounts/lookup?acct=` finds the account id; `GET /api/v1/accounts/:id/statuses` is paged with
the `Link: <...>; rel="next"` header. Status HTML is reduced to text; hashtags and mentions come from the
status' `tags` and `mentions`, links from its anchors (not the hashtag and profile links) and preview card.

Saved responses work offline: when `source` is a local path (it exists, or ends in `.json` or `/`), it is a
file holding one `GET /api/v1/accounts/:id/statuses` response body (a JSON array of statuses, as the API
returned it), or a folder of such page files read in natural name order (`statuses_2.json` before
`statuses_10.json`). Each page goes through the same code as a live page: HTML reduced to text, tags,
mentions and links, boosts and (when `replies: false`) replies to other accounts skipped, and `since`,
`max_posts` and `max_pages` applied. The handle comes from each status' `account` (its `acct` and the host of
its `url`). Locations name the file and the post id.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from ..errors import SourceError
from ..models import Document, Location
from ._api import ApiOptions, ApiSession, fetch_settings, parse_link_header, run_sync
from ._files import parse_json
from ._posts import before, html_text, parse_date, post_document, relative
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
        saved = saved_path(self.channel.source, self.context.resolve)
        if saved is not None:
            self._collect_saved(saved, result)
        else:
            try:
                base, name = parse_account(self.channel.source)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                return result
            run_sync(self._collect(base, name, result))
        result.stats["posts"] = len(result.documents)
        return result

    def _collect_saved(self, path: Path, result: CollectResult) -> None:
        """Saved statuses responses: one JSON array per file, read like the live pages."""
        shown = relative(path, self.context.base_dir)
        try:
            files = page_files(path, shown)
        except SourceError as exc:
            result.failures.append(self.failure_from(exc))
            return
        fetched_at = now_iso()
        for file in files:
            if result.stats["pages"] >= self.options.max_pages:
                break
            where = relative(file, self.context.base_dir)
            try:
                page = parse_json(self.files.read_text(file, where), where)
                if not isinstance(page, list):
                    raise SourceError(
                        where, "expected a JSON array of statuses (GET /api/v1/accounts/:id/statuses)"
                    )
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                continue
            result.stats["pages"] += 1
            if self._page(page, None, where, fetched_at, result):
                return

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
        handle = account_handle(account, urlsplit(base).netloc)
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
            if not page or self._page(page, handle, None, fetched_at, result):
                return
            url = parse_link_header(response.headers.get("link")).get("next")

    def _page(
        self, page: list[Any], handle: str | None, where: str | None, fetched_at: str, result: CollectResult
    ) -> bool:
        """Add one page's statuses (live or saved); True when the collection should stop here.

        `handle` is None for saved pages: each status' own `account` names it. `where` is the saved file.
        """
        reached_since = False
        for status in page:
            if not isinstance(status, dict):
                continue
            if status.get("reblog") and not self.options.boosts:
                continue
            if not self.options.replies and _reply_to_other(status):
                continue
            owner = status.get("account")
            author = handle or (account_handle(owner, "") if isinstance(owner, dict) else "")
            document = self._document(status, author, fetched_at, where)
            if document is None:
                continue
            if before(parse_date(status.get("created_at")), self.options.since):
                # Statuses come newest first: the first one older than `since` ends the window.
                result.stats["older_than_since"] += 1
                reached_since = True
                continue
            result.documents.append(document)
            if len(result.documents) >= self.options.max_posts:
                return True
        self.report_progress(len(result.documents), None)
        return reached_since

    def _document(
        self, status: dict[str, Any], handle: str, fetched_at: str, where: str | None = None
    ) -> Document | None:
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
            account=handle or None,
            post_id=post_id,
            text=text,
            url=url or None,
            moment=parse_date(status.get("created_at")),
            links=links,
            hashtags=[f"#{t['name']}" for t in tags if t.get("name")],
            mentions=[f"@{m['acct']}" for m in mentions if m.get("acct")],
            location=Location(uri=where or url or handle, section=f"post {post_id}"),
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


def account_handle(account: dict[str, Any], host: str) -> str:
    """`@name@server` from an API account; a local account's `acct` has no server: `host`, else `url`'s."""
    acct = str(account.get("acct") or account.get("username") or "")
    if not acct or "@" in acct:
        return f"@{acct}" if acct else ""
    server = host or urlsplit(str(account.get("url") or "")).netloc
    return f"@{acct}@{server}" if server else f"@{acct}"


def _reply_to_other(status: dict[str, Any]) -> bool:
    """A reply to another account (what `exclude_replies` drops; a thread of the brand's own posts stays)."""
    if not status.get("in_reply_to_id"):
        return False
    owner = status.get("account")
    return not isinstance(owner, dict) or str(status.get("in_reply_to_account_id")) != str(owner.get("id"))


def saved_path(source: str, resolve: Callable[[str], Path]) -> Path | None:
    """The local file or folder of saved API responses that `source` names, or None for an account."""
    text = source.strip()
    if not text or "://" in text:
        return None
    path = resolve(text)
    if path.exists() or text.lower().endswith(".json") or text.endswith(("/", "\\")):
        return path
    return None


def page_files(path: Path, shown: str) -> list[Path]:
    """The saved page files: the file itself, or a folder's `*.json` in natural name order."""
    if path.is_file():
        return [path]
    if not path.exists():
        raise SourceError(shown, "not found; check the channel's source path (a saved .json file or folder)")
    files = sorted(
        (p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json"), key=_natural_key
    )
    if not files:
        raise SourceError(shown, "no .json files in this folder; save the API's responses as .json files")
    return files


def _natural_key(path: Path) -> list[int | str]:
    # Page files are numbered by whoever saved them: statuses_2.json comes before statuses_10.json.
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", path.name)]
