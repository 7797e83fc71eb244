"""`bluesky`: an account's posts from the public Bluesky AppView (`app.bsky.feed.getAuthorFeed`).

Pages follow the response's `cursor`. Links, hashtags and mentions come from the post's rich-text facets,
whose `byteStart`/`byteEnd` count bytes of the UTF-8 text (not characters), plus the record's `tags` and an
external link card. Reposts of other accounts' posts are skipped unless `reposts: true`.

Saved responses work offline: when `source` is a local path (it exists, or ends in `.json` or `/`), it is a
file holding one `getAuthorFeed` response body (`{"feed": [...], "cursor": "..."}`, as the AppView
returned it), or a folder of such page files read in natural name order (`feed_2.json` before
`feed_10.json`). Each page goes through the same code as a live page: facets, tags and link cards, reposts and
(when `replies: false`) replies skipped, and `since`, `max_posts` and `max_pages` applied. Locations name the
file and the post's record key.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..errors import SourceError
from ..models import Document, Location
from ._api import ApiOptions, ApiSession, fetch_settings, run_sync
from ._files import parse_json
from ._posts import before, parse_date, post_document, relative
from .base import CollectResult, Connector, now_iso, register
from .http import HttpFetcher
from .mastodon import page_files, saved_path

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # the lexicon's maximum
LINK = "app.bsky.richtext.facet#link"
TAG = "app.bsky.richtext.facet#tag"
MENTION = "app.bsky.richtext.facet#mention"


class BlueskyOptions(ApiOptions):
    service: str = "https://public.api.bsky.app"  # an AppView serving app.bsky.* queries without auth
    replies: bool = True
    reposts: bool = False


def parse_actor(source: str) -> str:
    """The handle or DID in `name.bsky.social`, `@name.bsky.social`, `did:plc:...` or a bsky.app URL."""
    text = source.strip()
    if "://" in text:
        parts = urlsplit(text).path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "profile":
            return parts[1]
    else:
        actor = text.lstrip("@")
        if actor.startswith("did:") or ("." in actor and "/" not in actor and " " not in actor):
            return actor
    raise SourceError(
        source, "not a Bluesky account; write its handle (name.bsky.social), DID or bsky.app profile URL"
    )


def facet_features(text: str, facets: Any) -> tuple[list[str], list[str], list[str], list[str]]:
    """(links, hashtags, mentions, mentioned DIDs) from rich-text facets; byte offsets are UTF-8 bytes."""
    data = text.encode("utf-8")
    links: list[str] = []
    tags: list[str] = []
    mentions: list[str] = []
    dids: list[str] = []
    for facet in facets if isinstance(facets, list) else []:
        if not isinstance(facet, dict):
            continue
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        valid = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(data)
        covered = data[start:end].decode("utf-8", errors="replace") if valid else ""
        for feature in facet.get("features") or []:
            kind = feature.get("$type") if isinstance(feature, dict) else None
            if kind == LINK and feature.get("uri"):
                links.append(str(feature["uri"]))
            elif kind == TAG and feature.get("tag"):
                tags.append("#" + str(feature["tag"]).lstrip("#"))
            elif kind == MENTION:
                if covered:
                    mentions.append(covered if covered.startswith("@") else f"@{covered}")
                if feature.get("did"):
                    dids.append(str(feature["did"]))
    return links, tags, mentions, dids


@register("bluesky")
class BlueskyConnector(Connector):
    Options = BlueskyOptions
    options: BlueskyOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"posts": 0, "pages": 0, "older_than_since": 0, "reposts": 0})
        saved = saved_path(self.channel.source, self.context.resolve)
        if saved is not None:
            self._collect_saved(saved, result)
        else:
            try:
                actor = parse_actor(self.channel.source)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                return result
            run_sync(self._collect(actor, result))
        result.stats["posts"] = len(result.documents)
        return result

    def _collect_saved(self, path: Path, result: CollectResult) -> None:
        """Saved getAuthorFeed responses: one `{feed, cursor}` object per file, read like the live pages."""
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
                page = _feed_page(
                    parse_json(self.files.read_text(file, where), where),
                    where,
                    "save the response body as it is",
                )
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                continue
            result.stats["pages"] += 1
            if self._page(page, where, fetched_at, result):
                return

    async def _collect(self, actor: str, result: CollectResult) -> None:
        async with HttpFetcher(fetch_settings(self.options, self.context)) as fetcher:
            session = ApiSession(fetcher, self.options)
            try:
                await self._pages(session, actor, result)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            result.stats["requests"] = session.requests
            result.stats["rate_limit_wait_s"] = round(session.waited, 2)

    async def _pages(self, session: ApiSession, actor: str, result: CollectResult) -> None:
        endpoint = self.options.service.rstrip("/") + "/xrpc/app.bsky.feed.getAuthorFeed"
        query: dict[str, str | int] = {
            "actor": actor,
            "limit": min(PAGE_SIZE, self.options.max_posts),
            "filter": "posts_with_replies" if self.options.replies else "posts_no_replies",
        }
        fetched_at = now_iso()
        while result.stats["pages"] < self.options.max_pages:
            url = f"{endpoint}?{urlencode(query)}"
            page = _feed_page(await session.get_json(url), url, "check options.service")
            result.stats["pages"] += 1
            if self._page(page, None, fetched_at, result):
                return
            cursor = page.get("cursor")
            if not cursor or not page["feed"]:
                return
            query["cursor"] = str(cursor)

    def _page(self, page: dict[str, Any], where: str | None, fetched_at: str, result: CollectResult) -> bool:
        """Add one page's posts (live or saved, `where` is the saved file); True when the collection ends."""
        for item in page["feed"]:
            post = item.get("post") if isinstance(item, dict) else None
            if not isinstance(post, dict):
                continue
            reason = item.get("reason") or {}
            if str(reason.get("$type", "")).endswith("#reasonRepost") and not self.options.reposts:
                result.stats["reposts"] += 1
                continue
            record = post.get("record") or {}
            if "reply" in record and not self.options.replies:
                # What the `posts_no_replies` filter drops; a saved page may still hold replies.
                continue
            if before(parse_date(record.get("createdAt")), self.options.since) and not reason:
                # The author feed is newest first: the first post older than `since` ends the window.
                result.stats["older_than_since"] += 1
                return True
            document = self._document(post, fetched_at, where)
            if document is not None:
                result.documents.append(document)
            if len(result.documents) >= self.options.max_posts:
                return True
        self.report_progress(len(result.documents), None)
        return False

    def _document(self, post: dict[str, Any], fetched_at: str, where: str | None = None) -> Document | None:
        record = post.get("record") or {}
        text = str(record.get("text") or "").strip()
        if not text:
            return None
        author = post.get("author") or {}
        handle = str(author.get("handle") or author.get("did") or "")
        rkey = str(post.get("uri") or "").rsplit("/", 1)[-1]
        url = f"https://bsky.app/profile/{handle}/post/{rkey}" if handle and rkey else None
        links, tags, mentions, dids = facet_features(str(record.get("text") or ""), record.get("facets"))
        tags += ["#" + str(tag).lstrip("#") for tag in record.get("tags") or [] if tag]
        embed = record.get("embed") or {}
        external = embed.get("external") or (embed.get("media") or {}).get("external") or {}
        if isinstance(external, dict) and external.get("uri"):
            links.append(str(external["uri"]))
        langs = record.get("langs") or []
        return post_document(
            self.channel,
            platform="bluesky",
            account=f"@{handle}" if handle else None,
            post_id=rkey,
            text=text,
            url=url,
            moment=parse_date(record.get("createdAt")),
            links=links,
            hashtags=tags,
            mentions=mentions,
            location=Location(uri=where or url or str(post.get("uri")), section=f"post {rkey}"),
            fetched_at=fetched_at,
            language=str(langs[0]) if langs else None,
            extra={"at_uri": post.get("uri"), "reply": "reply" in record, "mention_dids": dids},
        )


def _feed_page(data: Any, where: str, fix: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("feed"), list):
        raise SourceError(where, f"expected a getAuthorFeed response with a 'feed' list; {fix}")
    return data
