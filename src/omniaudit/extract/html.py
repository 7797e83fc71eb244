"""HTML -> text blocks with scopes: one block per paragraph, heading, list item or table row.

Scopes: `title` (the <title>), `meta` (the meta description), `header`, `nav`, `main`, `footer`, `aside`.
Header and footer text is kept with its own scope rather than thrown away as boilerplate: footers carry the
phone numbers, support hours and social links that the fact and integration checks need, and analysis can
weigh scopes differently.

The tree is built with lxml (fast, forgiving with malformed markup, and it knows each element's source line);
bytes are decoded with BeautifulSoup's encoding detection plus a strict check of what the page declares, so a
page in windows-1256 that claims to be UTF-8 is still read correctly.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from ..models import Location, TextBlock

log = logging.getLogger(__name__)

SCOPES = ("title", "meta", "header", "nav", "main", "footer", "aside")

# Elements whose content is never page text.
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "head",
    "select",
    "datalist",
    "audio",
    "video",
    "map",
}
# Elements that end the current block and start a new one.
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "html",
    "center",
    "option",
}
_CELLS = {"td", "th"}
_LANDMARK_TAGS = {"header": "header", "nav": "nav", "footer": "footer", "aside": "aside", "main": "main"}
_ROLES = {
    "banner": "header",
    "navigation": "nav",
    "contentinfo": "footer",
    "complementary": "aside",
    "main": "main",
}
# Old-style layouts mark their landmarks with ids and classes only.
_CLASS_HINTS = [
    (re.compile(r"^(site-?|page-?|global-?|main-?)?footer$|^colophon$"), "footer"),
    (re.compile(r"^(site-?|page-?|global-?|main-?)?header$|^masthead$"), "header"),
    (re.compile(r"^(site-?|main-?|primary-?|global-?)?(nav|navbar|navigation|menu)$|^breadcrumbs?$"), "nav"),
    (
        re.compile(
            r"^(side-?bar|widget-?area)$|^(cookie|consent|gdpr)[-_]?(banner|notice|bar|popup|consent)?$"
        ),
        "aside",
    ),
]
# A header or footer inside sectioning content belongs to that content (HTML spec), not to the page.
_SECTIONING = {"article", "section", "main", "aside", "nav"}

SOCIAL_HOSTS = (
    "facebook.com",
    "fb.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "youtube.com",
    "youtu.be",
    "tiktok.com",
    "pinterest.com",
    "threads.net",
    "snapchat.com",
    "reddit.com",
    "t.me",
    "wa.me",
    "whatsapp.com",
    "tumblr.com",
    "vimeo.com",
    "mastodon.social",
    "bsky.app",
    "discord.gg",
    "discord.com",
    "twitch.tv",
    "weibo.com",
    "vk.com",
    "line.me",
)

_CHARSET_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Script-specific encodings worth trying when the declared one fails, by the page's declared language.
_LANGUAGE_ENCODINGS = {
    "ar": ("windows-1256", "iso-8859-6"),
    "fa": ("windows-1256",),
    "ur": ("windows-1256",),
    "he": ("windows-1255", "iso-8859-8"),
    "ru": ("windows-1251", "koi8-r"),
    "uk": ("windows-1251",),
    "bg": ("windows-1251",),
    "pl": ("windows-1250", "iso-8859-2"),
    "cs": ("windows-1250",),
    "el": ("windows-1253",),
    "tr": ("windows-1254",),
    "ja": ("shift_jis", "euc-jp"),
    "zh": ("gb18030", "big5"),
    "ko": ("euc-kr",),
    "th": ("windows-874",),
    "vi": ("windows-1258",),
}
_LANG_ATTR = re.compile(rb"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)


@dataclass(frozen=True)
class ParsedPage:
    """What one HTML page says: its title, language, outbound links, metadata and text blocks."""

    title: str
    language: str | None
    links: tuple[str, ...]
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    blocks: tuple[TextBlock, ...] = ()
    encoding: str | None = None
    scripts: int = 0  # <script> elements: a page without any cannot change when JavaScript runs

    def text_length(self, scopes: tuple[str, ...] = ("main",)) -> int:
        """Characters of text in `scopes`: how `render: auto` tells an app shell from a real page."""
        return sum(len(block.text) for block in self.blocks if block.scope in scopes)


def _lookup(encoding: str | None) -> str | None:
    if not encoding:
        return None
    import codecs

    try:
        return codecs.lookup(encoding.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used).

    Order: a byte-order mark; the declared encoding (HTTP header, else <meta charset>) when the bytes really
    decode with it; UTF-8; the declared encoding or UTF-8 again when the bytes are mostly valid in it (a
    stray byte becomes U+FFFD, every accent stays right); the usual legacy encodings for the page's
    `<html lang>`; a statistical guess; and finally windows-1252 with replacement characters. Pages often
    lie (a CMS template says UTF-8 while the database writes windows-1256), so a declaration is only trusted
    when the bytes bear it out.
    """
    from bs4.dammit import EncodingDetector

    bom_stripped, bom_encoding = EncodingDetector.strip_byte_order_mark(data)
    if bom_encoding:
        return bom_stripped.decode(bom_encoding, errors="replace"), bom_encoding
    head = data[:4096]
    stated: list[str] = []
    for name in (declared, *(m.group(1).decode("ascii", "ignore") for m in _CHARSET_META.finditer(head))):
        found = _lookup(name)
        # A page that declares latin-1 is read as windows-1252, as browsers do (WHATWG encoding standard).
        if found in ("latin-1", "iso8859-1", "ascii"):
            found = "cp1252"
        if found and found not in stated:
            stated.append(found)
    if "utf-8" not in stated:
        stated.append("utf-8")
    for encoding in stated:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    lenient = [found for found in (_mostly_valid(data, encoding) for encoding in stated) if found is not None]
    if lenient:
        text, encoding, _ = min(lenient, key=lambda found: found[2])  # fewest bad bytes; ties: stated first
        return text, encoding
    legacy: list[str] = []
    lang = _LANG_ATTR.search(head)
    if lang:
        for name in _LANGUAGE_ENCODINGS.get(lang.group(1).decode("ascii").lower(), ()):
            found = _lookup(name)
            if found and found not in stated and found not in legacy:
                legacy.append(found)
    for encoding in legacy:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    guess = _guess_encoding(data)
    if guess:
        return data.decode(guess, errors="replace"), guess
    return data.decode("cp1252", errors="replace"), "cp1252"


def _mostly_valid(data: bytes, encoding: str) -> tuple[str, str, int] | None:
    """(text, encoding, bad bytes) when the bytes read in `encoding` give at least as many well-formed
    non-ASCII characters as invalid bytes: one stray byte in a UTF-8 page. A page in another encoding gives
    mostly invalid bytes in UTF-8 (windows-1256 Arabic), or no well-formed character at all."""
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    return (text, encoding, bad) if good >= bad else None


def _guess_encoding(data: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - installed with httpx's usual companions
        return None
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    found = _lookup(best.encoding) if best is not None else None
    # Text in UTF-16/32 is full of NUL bytes (markup is ASCII): without any, a short page is not one.
    if found and found.startswith(("utf-16", "utf-32")) and b"\x00" not in data:
        return None
    return found


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _is_hidden(element: Any) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style) and bool(re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style, re.I))


def _landmark(element: Any) -> str | None:
    """The scope an element itself declares (by tag, ARIA role, or a tell-tale id/class), if any."""
    tag = element.tag
    role = (element.get("role") or "").strip().lower()
    if role in _ROLES:
        return _ROLES[role]
    if tag in _LANDMARK_TAGS:
        return _LANDMARK_TAGS[tag]
    if tag in ("article",):
        return "main"
    if tag in ("div", "section", "ul", "span", "table"):
        tokens = (element.get("id") or "").lower().split() + (element.get("class") or "").lower().split()
        for token in tokens:
            for pattern, scope in _CLASS_HINTS:
                if pattern.match(token):
                    return scope
    return None


class _Walker:
    """Walks an lxml tree once, emitting one TextBlock per block-level run of text."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.blocks: list[TextBlock] = []
        self._parts: list[str] = []
        self._line: int | None = None
        self._scope = "main"

    def _add(self, text: str | None, line: int | None, scope: str) -> None:
        if not text or text.isspace():
            if text and self._parts:
                self._parts.append(" ")
            return
        if not self._parts or all(p.isspace() for p in self._parts):
            self._line = line
            self._scope = scope
        self._parts.append(text)

    def flush(self) -> None:
        text = _clean("".join(self._parts))
        if text:
            self.blocks.append(
                TextBlock(text, self._scope, Location(self.uri, self._line, section=self._scope))
            )
        self._parts = []
        self._line = None

    def walk(self, element: Any, scope: str, sectioned: bool) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            return
        tag = tag.lower()
        if tag in _DROP or _is_hidden(element):
            return
        mark = _landmark(element)
        if mark is not None:
            # A <header>/<footer> inside an article is that article's own header, i.e. main content.
            if not (mark in ("header", "footer") and sectioned and element.tag in ("header", "footer")):
                scope = mark
        child_sectioned = sectioned or tag in _SECTIONING or element.get("role") == "main"
        block = tag in _BLOCK
        line = element.sourceline
        if block:
            self.flush()
        elif tag == "br":
            self._add(" ", line, scope)
        elif tag in _CELLS and self._parts:
            self._parts.append(" | ")
        elif tag == "img":
            # Alt text is what a screen reader says: it is part of the page's message.
            self._add(element.get("alt"), line, scope)
        self._add(element.text, line, scope)
        for child in element:
            self.walk(child, scope, child_sectioned)
            if isinstance(child.tag, str) or child.tail:
                self._add(child.tail, child.sourceline or line, scope)
        if block:
            self.flush()


def _resolve(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme in ("javascript", "data", "vbscript", "about", "blob"):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def is_social_url(url: str) -> bool:
    """Whether `url` points at a social platform (a brand's profile, a post)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS)


def html_to_blocks(
    html: str | bytes, uri: str, *, base_url: str | None = None, encoding: str | None = None
) -> ParsedPage:
    """Parse one page into a ParsedPage.

    `uri` goes into every block's Location; relative links are resolved against `<base href>`, else
    `base_url`, else `uri`. `encoding` is the charset the server declared (bytes input only).
    """
    used_encoding: str | None = None
    if isinstance(html, bytes):
        html, used_encoding = decode_html(html, encoding)
    if html.startswith("\ufeff"):
        html = html[1:]
    # lxml refuses str input that carries an XML encoding declaration; the text is already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    if not html.strip():
        return ParsedPage("", None, (), {}, (), used_encoding)
    try:
        root = lxml.html.document_fromstring(html, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        log.warning("%s: cannot parse HTML: %s", uri, exc)
        return ParsedPage("", None, (), {}, (), used_encoding)

    base = base_url or uri
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(base, base_el.get("href", "").strip())

    blocks: list[TextBlock] = []
    metadata: dict[str, Any] = {}
    title = ""
    title_el = root.find(".//title")
    if title_el is not None:
        title = _clean(title_el.text_content())
        if title:
            blocks.append(TextBlock(title, "title", Location(uri, title_el.sourceline, section="title")))

    og: dict[str, str] = {}
    twitter: dict[str, str] = {}
    description = ""
    description_line: int | None = None
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = _clean(meta.get("content"))
        if not name or not content:
            continue
        if name == "description" and not description:
            description, description_line = content, meta.sourceline
        elif name.startswith("og:"):
            og.setdefault(name[3:], content)
        elif name.startswith("twitter:"):
            twitter.setdefault(name[8:], content)
        elif name in ("keywords", "author", "robots", "generator"):
            metadata[name] = content
    if description:
        metadata["description"] = description
        blocks.append(TextBlock(description, "meta", Location(uri, description_line, section="meta")))
    if og:
        metadata["og"] = og
    if twitter:
        metadata["twitter"] = twitter

    alternates: dict[str, str] = {}
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if not href:
            continue
        resolved = _resolve(base, href)
        if resolved is None:
            continue
        if "alternate" in rel and link.get("hreflang"):
            alternates.setdefault(link.get("hreflang", "").strip(), resolved)
        elif "canonical" in rel:
            metadata.setdefault("canonical", resolved)
    if alternates:
        metadata["hreflang"] = alternates

    language = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()

    body = root.find("body")
    walker = _Walker(uri)
    if body is not None:
        walker.walk(body, "main", False)
        walker.flush()
    blocks.extend(walker.blocks)

    links: list[str] = []
    seen: set[str] = set()
    for anchor in root.iter("a", "area"):
        href = anchor.get("href")
        if not href:
            continue
        resolved = _resolve(base, href)
        if resolved and resolved not in seen:
            seen.add(resolved)
            links.append(resolved)
    social = [url for url in links if is_social_url(url)]
    if social:
        metadata["social_links"] = social
    scripts = sum(1 for _ in root.iter("script"))
    return ParsedPage(title, language or None, tuple(links), metadata, tuple(blocks), used_encoding, scripts)


def _parser() -> Any:
    # remove_comments keeps comment text out of blocks; a fresh parser per call is cheap and thread-safe.
    return lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
