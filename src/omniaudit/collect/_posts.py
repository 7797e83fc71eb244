"""Helpers shared by the social connectors: one post -> one Document, with hashtags, mentions and links.

Every social connector (exports, feeds, APIs) ends in `post_document`, so a post from any platform carries the
same metadata keys: platform, account, post_id, date, hashtags, mentions, links.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..config import Channel
from ..models import Document, Location, TextBlock

# A URL ends before whitespace, quotes and closing brackets; trailing sentence punctuation is not part of it.
_URL = re.compile(r"https?://[^\s<>\"'\])}]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?…"
# Twitter/Instagram rule: a hashtag has at least one non-digit character and is not glued to a word or URL.
_HASHTAG = re.compile(r"(?<![\w#&/])#(\w*[^\W\d]\w*)")
# @user, @user@instance.social (Mastodon), @handle.bsky.social (Bluesky); never the middle of an email.
_MENTION = re.compile(r"(?<![\w@./])@(\w(?:[\w.-]*\w)?(?:@\w[\w-]*(?:\.[\w-]+)+)?)")

_DATE_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # X/Twitter archive: "Wed Oct 10 20:19:24 +0000 2018"
    "%Y-%m-%d %H:%M:%S",  # LinkedIn export
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M %p",  # Sprout Social / Hootsuite CSVs
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)


def find_urls(text: str) -> list[str]:
    return unique(match.group(0).rstrip(_URL_TAIL) for match in _URL.finditer(text))


def find_hashtags(text: str) -> list[str]:
    without_urls = _URL.sub(" ", text)
    return unique("#" + match.group(1) for match in _HASHTAG.finditer(without_urls))


def find_mentions(text: str) -> list[str]:
    without_urls = _URL.sub(" ", text)
    return unique("@" + match.group(1) for match in _MENTION.finditer(without_urls))


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without duplicates or empties (hashtags compare case-insensitively)."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.lower() if item.startswith(("#", "@")) else item
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def parse_date(value: Any, fmt: str | None = None) -> datetime | None:
    """A timezone-aware datetime from the many ways exports write dates; None when it cannot be read.

    Accepts epoch seconds or milliseconds (Facebook/Instagram), ISO 8601 with or without `Z`, RFC 2822 (RSS,
    e-mail), the X/Twitter archive format and the common US/EU spreadsheet formats; `fmt` (strptime) first.
    Naive values are taken as UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit():
        return parse_date(int(text))
    parsed: datetime | None = None
    if fmt:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        for candidate in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, candidate)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if moment else None


def before(moment: datetime | None, since: date | None) -> bool:
    """True when a post is older than the `since:` window (undated posts are kept: they cannot be placed)."""
    if since is None or moment is None:
        return False
    return moment.astimezone(timezone.utc).date() < since


def relative(path: Path, base_dir: Path) -> str:
    """A file path as the user wrote it in reports: relative to the config's folder when inside it. A link
    is shown as itself, not as where it points."""
    located = path.parent.resolve() / path.name
    try:
        return located.relative_to(base_dir.resolve()).as_posix()
    except ValueError:
        return located.as_posix()


def post_document(
    channel: Channel,
    *,
    platform: str,
    account: str | None,
    post_id: str,
    text: str,
    location: Location,
    fetched_at: str,
    url: str | None = None,
    moment: datetime | None = None,
    links: Iterable[str] = (),
    hashtags: Iterable[str] = (),
    mentions: Iterable[str] = (),
    title: str | None = None,
    language: str | None = None,
    extra: dict[str, Any] | None = None,
    tags_from_text: bool = True,
) -> Document:
    """One post as a Document: a single `post` block; links/hashtags/mentions merged from text and extras.

    APIs that mark hashtags and mentions themselves (Mastodon, Bluesky facets) pass `tags_from_text=False`:
    their lists are exact, where the text shows `@name` for `@name@server`.
    """
    url = url or None
    all_links = unique([*links, *find_urls(text), *([url] if url else [])])
    metadata: dict[str, Any] = {
        "platform": platform,
        "account": account,
        "post_id": post_id,
        "url": url,
        "date": iso(moment),
        "hashtags": unique([*hashtags, *(find_hashtags(text) if tags_from_text else [])]),
        "mentions": unique([*mentions, *(find_mentions(text) if tags_from_text else [])]),
        "links": all_links,
    }
    if extra:
        metadata.update(extra)
    return Document(
        channel_id=channel.id,
        channel_type=channel.type,
        uri=url or f"{location.uri}#{post_id}",
        title=title or f"{platform} post {post_id}",
        blocks=(TextBlock(text=text, scope="post", location=location),),
        language=language or channel.language,
        fetched_at=fetched_at,
        links=tuple(all_links),
        metadata=metadata,
    )


def html_text(html: str, uri: str) -> tuple[str, tuple[str, ...]]:
    """Text and links of an HTML fragment (a Mastodon status, a feed item's description)."""
    from ..extract.html import html_to_blocks

    if "<" not in html and "&" not in html:
        return html.strip(), tuple(find_urls(html))
    page = html_to_blocks(html, uri)
    return "\n".join(block.text for block in page.blocks if block.scope != "title"), page.links
