"""Platforms' own data exports: X/Twitter archive, Facebook/Instagram "Download your information", LinkedIn.

Each connector takes the export as downloaded (a .zip), unpacked (a folder), or the one posts file, and finds
its files by their documented names:

- `twitter_archive`: `data/tweets.js` (or `tweets-part1.js` ...; `tweet.js` in older archives), a JSON array
  behind a `window.YTD.tweets.part0 = ` prefix; the handle comes from `data/account.js`.
- `facebook_export`: `your_posts*.json` (JSON, not HTML, export); the profile name from
  `profile_information.json`. Meta writes UTF-8 bytes as `\\u00XX` escapes (mojibake), repaired here.
- `instagram_export`: `posts_1.json` ... and `reels.json`; the username from `personal_information.json`.
  Same mojibake.
- `linkedin_export`: `Shares.csv` (Date, ShareLink, ShareCommentary, SharedUrl, MediaUrl, Visibility).
"""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote

from ..errors import SourceError
from ..models import Document, Location
from ._files import csv_rows, find_column, parse_json
from ._posts import before, parse_date, post_document, relative
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)


class ExportOptions(ConnectorOptions):
    since: date | None = None  # posts dated before this day are not audited
    account: str | None = None  # the account's name or handle, when the export does not say it


class TwitterArchiveOptions(ExportOptions):
    retweets: bool = False  # "RT @someone: ..." posts are someone else's words
    replies: bool = True


@dataclass(frozen=True)
class Entry:
    """One file of an export, in a folder or a zip: what to show in reports and how to read it."""

    shown: str
    name: str  # the path inside the export (posix), matched against the documented file names
    read: Callable[[], bytes]


def fix_mojibake(value: Any) -> Any:
    """Repair Meta's export encoding: UTF-8 bytes written as one code point each (`Ã©` for `é`).

    Applied to every string in the data; a string that is not such mojibake (it has a character above
    U+00FF, or its bytes are not valid UTF-8) is left as it is.
    """
    if isinstance(value, str):
        if not any("\u0080" <= char <= "\u00ff" for char in value):
            return value
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [fix_mojibake(item) for item in value]
    if isinstance(value, dict):
        return {key: fix_mojibake(item) for key, item in value.items()}
    return value


class ExportConnector(Connector):
    """Finds an export's files (folder, zip or the file itself) and reads each into posts."""

    Options = ExportOptions
    options: ExportOptions
    platform: ClassVar[str]
    data_file: ClassVar[re.Pattern[str]]  # matched against paths inside the export
    profile_file: ClassVar[re.Pattern[str] | None] = None
    what: ClassVar[str]  # how the user calls the data file, for messages

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"files": 0, "posts": 0, "older_than_since": 0, "skipped": 0})
        path = self.context.resolve(self.channel.source)
        shown = relative(path, self.context.base_dir)
        try:
            entries = self._entries(path, shown)
        except SourceError as exc:
            result.failures.append(self.failure_from(exc))
            return result
        # The posts file itself is read whatever its name; in a folder or zip, the documented names are.
        single = path.is_file() and path.suffix.lower() != ".zip"
        data = entries if single else [entry for entry in entries if self.data_file.search(entry.name)]
        if not data:
            result.failures.append(self.failure(shown, f"no {self.what} found; is this the unpacked export?"))
            return result
        account = self.options.account
        if account is None and self.profile_file is not None:
            profile = next((e for e in entries if self.profile_file.search(e.name)), None)
            account = self._account_from(profile) if profile is not None else None
        fetched_at = now_iso()
        for done, entry in enumerate(data, start=1):
            try:
                for document in self.read(entry, account, fetched_at, result.stats):
                    if before(parse_date(document.metadata.get("date")), self.options.since):
                        result.stats["older_than_since"] += 1
                    else:
                        result.documents.append(document)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            result.stats["files"] += 1
            self.report_progress(done, len(data))
        result.stats["posts"] = len(result.documents)
        return result

    def _entries(self, path: Path, shown: str) -> list[Entry]:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            return [self._file_entry(p, p.relative_to(path).as_posix()) for p in files]
        if not path.exists():
            raise SourceError(shown, "not found; check the channel's source path")
        if path.suffix.lower() == ".zip":
            # Members are read on demand, each bounded, all of them within limits.max_archive_bytes.
            archive = self.files.archive(path, shown)
            return [
                Entry(f"{shown}!/{name}", name, functools.partial(archive.read, name))
                for name in archive.names()
            ]
        return [self._file_entry(path, path.name)]

    def _file_entry(self, path: Path, name: str) -> Entry:
        shown = relative(path, self.context.base_dir)
        return Entry(shown, name, functools.partial(self.files.read_bytes, path, shown))

    def _text(self, entry: Entry) -> str:
        data = entry.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(
                entry.shown, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None

    def _json(self, entry: Entry) -> Any:
        return parse_json(self._text(entry), entry.shown)

    def _account_from(self, entry: Entry) -> str | None:
        return None

    def read(
        self, entry: Entry, account: str | None, fetched_at: str, stats: dict[str, Any]
    ) -> Iterator[Document]:
        raise NotImplementedError


_YTD_PREFIX = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*")


def _ytd_json(connector: ExportConnector, entry: Entry) -> Any:
    raw = entry.read().decode("utf-8-sig", errors="replace")
    match = _YTD_PREFIX.match(raw)
    if not match:
        raise SourceError(
            entry.shown,
            "does not start with 'window.YTD.<name>.part0 = '; is it the archive's data/tweets.js?",
        )
    return parse_json(raw[match.end() :], entry.shown)


@register("twitter_archive")
class TwitterArchiveConnector(ExportConnector):
    Options = TwitterArchiveOptions
    options: TwitterArchiveOptions
    platform = "x"
    data_file = re.compile(r"(^|/)tweets?(-part\d+)?\.js$", re.IGNORECASE)
    profile_file = re.compile(r"(^|/)account\.js$", re.IGNORECASE)
    what = "data/tweets.js"

    def _account_from(self, entry: Entry) -> str | None:
        try:
            data = _ytd_json(self, entry)
            username = data[0]["account"]["username"]
        except (SourceError, LookupError, TypeError):
            log.warning("%s: no username found; set options.account", entry.shown)
            return None
        return f"@{username}"

    def read(
        self, entry: Entry, account: str | None, fetched_at: str, stats: dict[str, Any]
    ) -> Iterator[Document]:
        data = _ytd_json(self, entry)
        if not isinstance(data, list):
            raise SourceError(entry.shown, "expected a list of tweets after the window.YTD prefix")
        username = (account or "").lstrip("@")
        for index, item in enumerate(data):
            tweet = item.get("tweet", item) if isinstance(item, dict) else None
            if not isinstance(tweet, dict):
                continue
            text = html.unescape(str(tweet.get("full_text") or tweet.get("text") or ""))
            if (text.startswith("RT @") and not self.options.retweets) or (
                tweet.get("in_reply_to_status_id_str") and not self.options.replies
            ):
                stats["skipped"] += 1
                continue
            entities = tweet.get("entities") or {}
            links: list[str] = []
            for url in entities.get("urls") or []:
                expanded = url.get("expanded_url") or url.get("url")
                if url.get("url") and expanded:
                    text = text.replace(url["url"], expanded)
                    links.append(expanded)
            for media in (tweet.get("extended_entities") or entities).get("media") or []:
                if media.get("url"):
                    text = text.replace(media["url"], "")
            text = text.strip()
            if not text:
                continue
            post_id = str(tweet.get("id_str") or tweet.get("id") or index + 1)
            url = (
                f"https://x.com/{username}/status/{post_id}"
                if username
                else f"https://x.com/i/web/status/{post_id}"
            )
            yield post_document(
                self.channel,
                platform=self.platform,
                account=account,
                post_id=post_id,
                text=text,
                url=url,
                moment=parse_date(tweet.get("created_at")),
                links=links,
                hashtags=["#" + h["text"] for h in entities.get("hashtags") or [] if h.get("text")],
                mentions=[
                    "@" + m["screen_name"]
                    for m in entities.get("user_mentions") or []
                    if m.get("screen_name")
                ],
                location=Location(uri=entry.shown, line=index + 1, section=f"post {post_id}"),
                fetched_at=fetched_at,
                language=tweet.get("lang") if tweet.get("lang") not in (None, "und", "zxx") else None,
                extra={"reply": bool(tweet.get("in_reply_to_status_id_str"))},
            )


def _meta_posts(data: Any, keys: tuple[str, ...]) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                return list(data[key])
    return []


@register("facebook_export")
class FacebookExportConnector(ExportConnector):
    platform = "facebook"
    data_file = re.compile(r"(^|/)your_posts[^/]*\.json$", re.IGNORECASE)
    profile_file = re.compile(r"(^|/)profile_information\.json$", re.IGNORECASE)
    what = "posts file (your_posts_1.json; request the export in JSON format)"

    def _account_from(self, entry: Entry) -> str | None:
        try:
            data = fix_mojibake(self._json(entry))
            return str(data["profile_v2"]["name"]["full_name"])
        except (SourceError, LookupError, TypeError):
            return None

    def read(
        self, entry: Entry, account: str | None, fetched_at: str, stats: dict[str, Any]
    ) -> Iterator[Document]:
        data = fix_mojibake(self._json(entry))
        posts = _meta_posts(data, ("status_updates_v2", "posts", "posts_v2"))
        if not posts and not isinstance(data, list):
            raise SourceError(entry.shown, "expected a list of posts (each with 'timestamp' and 'data')")
        for index, post in enumerate(posts):
            if not isinstance(post, dict):
                continue
            parts = [str(d["post"]) for d in post.get("data") or [] if isinstance(d, dict) and d.get("post")]
            links: list[str] = []
            for attachment in post.get("attachments") or []:
                for item in attachment.get("data") or [] if isinstance(attachment, dict) else []:
                    if not isinstance(item, dict):
                        continue
                    external = item.get("external_context") or {}
                    if external.get("url"):
                        links.append(str(external["url"]))
                    media = item.get("media") or {}
                    if not parts and media.get("description"):
                        parts.append(str(media["description"]))
            text = "\n".join(parts).strip()
            if not text:
                stats["skipped"] += 1
                continue
            post_id = str(post.get("timestamp") or index + 1)
            yield post_document(
                self.channel,
                platform=self.platform,
                account=account,
                post_id=post_id,
                text=text,
                moment=parse_date(post.get("timestamp")),
                links=links,
                location=Location(uri=entry.shown, line=index + 1, section=f"post {post_id}"),
                fetched_at=fetched_at,
                extra={"tagged": [t.get("name") for t in post.get("tags") or [] if isinstance(t, dict)]},
            )


@register("instagram_export")
class InstagramExportConnector(ExportConnector):
    platform = "instagram"
    data_file = re.compile(r"(^|/)(posts_\d+|reels)\.json$", re.IGNORECASE)
    profile_file = re.compile(r"(^|/)personal_information\.json$", re.IGNORECASE)
    what = "posts file (content/posts_1.json; request the export in JSON format)"

    def _account_from(self, entry: Entry) -> str | None:
        try:
            data = fix_mojibake(self._json(entry))
            return "@" + str(data["profile_user"][0]["string_map_data"]["Username"]["value"])
        except (SourceError, LookupError, TypeError):
            return None

    def read(
        self, entry: Entry, account: str | None, fetched_at: str, stats: dict[str, Any]
    ) -> Iterator[Document]:
        data = fix_mojibake(self._json(entry))
        posts = _meta_posts(data, ("ig_reels_media", "ig_posts"))
        if not posts and not isinstance(data, list):
            raise SourceError(entry.shown, "expected a list of posts (each with 'media' and 'title')")
        for index, post in enumerate(posts):
            if not isinstance(post, dict):
                continue
            media = [m for m in post.get("media") or [] if isinstance(m, dict)]
            first = media[0] if media else {}
            # One photo: the caption is on the media; an album: on the post.
            text = str(post.get("title") or first.get("title") or "").strip()
            if not text:
                stats["skipped"] += 1
                continue
            post_id = Path(str(first.get("uri") or "")).stem or str(index + 1)
            yield post_document(
                self.channel,
                platform=self.platform,
                account=account,
                post_id=post_id,
                text=text,
                moment=parse_date(post.get("creation_timestamp") or first.get("creation_timestamp")),
                location=Location(uri=entry.shown, line=index + 1, section=f"post {post_id}"),
                fetched_at=fetched_at,
                extra={"media": [m.get("uri") for m in media if m.get("uri")]},
            )


@register("linkedin_export")
class LinkedInExportConnector(ExportConnector):
    platform = "linkedin"
    data_file = re.compile(r"(^|/)shares\.csv$", re.IGNORECASE)
    profile_file = re.compile(r"(^|/)profile\.csv$", re.IGNORECASE)
    what = "Shares.csv"

    def _account_from(self, entry: Entry) -> str | None:
        try:
            header, rows = csv_rows(self._text(entry), entry.shown, ",")
            _, row = next(rows)
        except (SourceError, StopIteration):
            return None
        name = " ".join(row.get(key, "").strip() for key in ("First Name", "Last Name")).strip()
        return name or None

    def read(
        self, entry: Entry, account: str | None, fetched_at: str, stats: dict[str, Any]
    ) -> Iterator[Document]:
        header, rows = csv_rows(self._text(entry), entry.shown, ",")
        text_column = find_column(header, "ShareCommentary")
        if text_column is None:
            listed = ", ".join(" ".join(name.split())[:40] for name in header)  # one line, always
            raise SourceError(
                entry.shown,
                f"no 'ShareCommentary' column (columns: {listed}); is this LinkedIn's Shares.csv? "
                "For other CSVs use the social_export connector with options.mapping",
            )
        link_column = find_column(header, "ShareLink")
        shared_column = find_column(header, "SharedUrl")
        date_column = find_column(header, "Date")
        for line, row in rows:
            text = row.get(text_column, "").strip()
            if len(text) > 1 and text[0] == text[-1] == '"':
                text = text[1:-1].strip()  # LinkedIn wraps some commentaries in an extra pair of quotes
            if not text:
                stats["skipped"] += 1
                continue
            link = row.get(link_column, "").strip() if link_column else ""
            urn = unquote(link).rstrip("/").rsplit("/", 1)[-1] if link else ""
            post_id = urn.rsplit(":", 1)[-1] if urn else str(line)
            shared = row.get(shared_column, "").strip() if shared_column else ""
            yield post_document(
                self.channel,
                platform=self.platform,
                account=account,
                post_id=post_id,
                text=text,
                url=link or None,
                moment=parse_date(row.get(date_column, "") if date_column else None),
                links=[shared] if shared.startswith(("http://", "https://")) else [],
                location=Location(uri=entry.shown, line=line, section=f"post {post_id}"),
                fetched_at=fetched_at,
                extra={"visibility": row.get("Visibility") or None},
            )
