"""`static_site`: a static site's or an app's page sources read as the channel, without building the site.

Hugo, Jekyll, Eleventy, Middleman, Rails views and most other generators keep pages as Markdown, HTML or
plain-text files, often templates (ERB, Nunjucks/Jinja, Liquid, Handlebars, Hugo shortcodes), with YAML
(`---`) or TOML (`+++`) front matter, one file or one folder per locale. Read here: `.md .markdown .mdx`,
`.html .htm`, `.txt` (store listings, plain-text e-mails) and the templated forms (`.html.erb`,
`.html.md.erb`, `.text.erb`, `.njk`, `.liquid`, `.j2`, `.jinja`, `.jinja2`, `.hbs`, `.ejs`).

Each page is rendered through `_templates` (tags and comments out, run-time values as a neutral
placeholder, literal text kept, includes followed inside the folder); then HTML goes through the HTML block
extraction, Markdown through the Markdown reader (raw HTML blocks inside Markdown through the HTML one) and
text one block per paragraph or bullet line. Blocks keep their file, line and section; inline markup is
flattened and entities decoded, and no template syntax is left in a block.

Front matter is content too: `title` is the title block, `description`/`summary` the meta block, and every
other string (or list of strings, recursively through lists of dicts) is a block whose section is its key
path (`front matter: items[2].title`), unless the key is plainly metadata (layout, permalink, dates, ids,
menus, paths, redirect targets...) or the value is a URL, a path, a number or a date. `front_matter_text`
and `front_matter_skip` add keys to either side. Values the template prints itself (`{{ page.items }}`)
are read where it prints them instead.

Passed over, and listed in `stats["skipped"]` with why: partials and layouts (`_name.*`, `_includes/`,
`layouts/`, `partials/`), drafts (`draft: true`, unless `include_drafts`), redirect-only pages
(`redirect_to`, `layout: redirect` or a meta refresh with no text; also counted in `stats["redirects"]`),
pages with no text, and templates of other formats (`feed.xml.erb`).

A page's language is the channel's `language`, else its front matter `lang` / `language` / `locale`, else
a locale suffix (`faq.fr.md`), else a locale folder (`content/fr/faq.md`, `metadata/android/en-US/`). Its
language versions are linked by front matter `translationKey` / `translation_key` / `ref` or by the same
path in another locale (`metadata["version_key"]`), which `analyze.versions.compare_versions` uses.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..errors import SourceError
from ..extract.html import html_to_blocks
from ..models import Document, Location, TextBlock
from ..placeholders import flatten_markup, is_placeholder_only
from ._files import source_files, split_front_matter
from ._posts import parse_date, relative
from ._scripts import inline, parse_text
from ._templates import EXTENSIONS, render_template, strip_leftovers, syntaxes_for
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)

MARKDOWN = (".md", ".markdown", ".mdx")
HTML = (".html", ".htm", ".xhtml")
TEXT = (".txt", ".text")
SUFFIXES = (*MARKDOWN, *HTML, *TEXT, *EXTENSIONS)
# parse_text reads speaker turns when given labels; a page is never a call script, so give it one that no
# line can carry.
_NO_SPEAKERS = {"\x00": "agent"}
_MDX_LINE = re.compile(r"^\s*(?:import\s.+\sfrom\s|export\s)", re.M)
_FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
_LANGUAGE_KEYS = ("lang", "language", "locale", "lang_code")
_TRANSLATION_KEYS = ("translationKey", "translation_key", "ref", "i18n_key")
# Folders that hold pieces of pages, not pages: their text reaches the pages that include them.
_PARTIAL_FOLDERS = {
    "_includes",
    "_layouts",
    "layouts",
    "partials",
    "_partials",
    "includes",
    "shortcodes",
    "_site",
}
# Repository and crawler files that sit among pages but are not the brand's text (`security.html` is a page,
# `security.txt` is not).
_NOT_PAGES = {"license", "licence", "copying", "code_of_conduct", "contributing", "codeowners"}
_NOT_TEXT_PAGES = {
    "robots",
    "humans",
    "ads",
    "app-ads",
    "security",
    "llms",
    "requirements",
    "notice",
    "authors",
}
_REDIRECT_KEYS = ("redirect_to", "redirect", "redirect_url", "redirectto")
_META_REFRESH = re.compile(r"<meta[^>]+http-equiv\s*=\s*[\"']?refresh", re.I)

# Front matter keys that are plainly about the page, not what it says.
_META_KEYS = {
    "layout",
    "permalink",
    "url",
    "uri",
    "slug",
    "aliases",
    "alias",
    "date",
    "lastmod",
    "publishdate",
    "expirydate",
    "weight",
    "order",
    "position",
    "menu",
    "menus",
    "parent",
    "id",
    "uuid",
    "guid",
    "tags",
    "categories",
    "category",
    "draft",
    "type",
    "template",
    "class",
    "classes",
    "css",
    "style",
    "styles",
    "image",
    "images",
    "icon",
    "src",
    "href",
    "link",
    "links",
    "thumbnail",
    "cover",
    "logo",
    "review_in",
    "redirect_from",
    "redirect_to",
    "redirect",
    "sitemap",
    "search",
    "exclude",
    "noindex",
    "robots",
    "published",
    "hidden",
    "toc",
    "sidenav",
    "lang",
    "language",
    "locale",
    "lang_code",
    "translationkey",
    "translation_key",
    "ref",
    "i18n_key",
    "author",
    "authors",
    "js",
    "javascript",
    "script",
    "scripts",
    "stylesheet",
    "stylesheets",
    "collection",
    "outputs",
    "output",
    "sort",
    "key",
    "kind",
    "format",
    "build",
    "cascade",
    "headless",
    "markup",
    "resources",
    "keywords",
    "comments",
    "share",
    "paginate",
    "pagination",
    "excerpt_separator",
    "source",
    "owner",
    "mermaid",
    "math",
    "katex",
    "bookhidden",
    "bookflatsection",
    "bookcollapsesection",
    "showtoc",
    "notoc",
}
_META_KEY = re.compile(
    r"(?:^|_)(?:date|dates|on|at|class|classes|css|id|ids|uuid|url|urls|href|src|path|paths|icon|image|"
    r"images|img|slug|layout|weight|order|template|color|colour|thumbnail|screenshot|logo|file|files|seal|"
    r"link|width|height|size)$|^(?:nav|menu|redirect|sitemap|search|robots|seo_|og_|twitter_|show_|hide_|"
    r"enable|disable|is_|has_|use_|no_)"
)
_URL_OR_PATH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|\./|\.\./|#)", re.I)
_FILE_NAME = re.compile(r"^\S+\.[A-Za-z0-9]{2,5}$")
_NUMBER_OR_DATE = re.compile(r"^[-+]?[\d.,:\s/-]+$|^(?:true|false|yes|no|on|off|null|nil)$", re.I)
_IDENTIFIER = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")

# HTML blocks inside Markdown: a line that opens one of these tags starts a block that ends where the tag
# closes (as kramdown and most generators read it).
_HTML_BLOCK_START = re.compile(
    r"^\s{0,3}<(?P<tag>address|article|aside|blockquote|center|details|dialog|dl|div|fieldset|figure|"
    r"footer|form|h[1-6]|header|hr|iframe|main|nav|ol|p|pre|section|table|ul|script|style|noscript|svg|"
    r"video|img|picture|br)\b[^>]*>?|^\s{0,3}(?P<comment><!--)",
    re.I,
)
_VOID = {"hr", "img", "br"}
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKDOWN_BLOCK = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|\||>)")
# Block-level tags written inline in Markdown (`<br>` in a table cell, `<li>` in a list) separate words.
_INLINE_BLOCK_TAG = re.compile(r"<(?:br|/?(?:p|div|li|ul|ol|tr|td|th|dd|dt|h[1-6]))\b[^<>]*>", re.I)
# Markdown attribute lists (kramdown `{: .class}`, Hugo/Pandoc heading ids `{#anchor}`): not text.
_ATTRIBUTE_LIST = re.compile(r"\s*\{:?\s*[#.:][^{}]*\}\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•■□▪▫◦●○►▶▸‣✓✔✗➤→·]|\d{1,3}[.)])\s+")
_TEXT_RULE = re.compile(r"^[-=_*~#.]{3,}$")


class StaticSiteOptions(ConnectorOptions):
    # The URL the site is published at: pages get metadata["url"] = base_url + their path.
    base_url: str | None = None
    include_drafts: bool = False
    encoding: str = "utf-8-sig"
    # The template syntax of the pages: auto picks it from each file's extension and content.
    template: Literal["auto", "none", "jinja", "liquid", "erb", "hugo", "handlebars"] = "auto"
    # Front matter keys read as text, or passed over, besides the built-in rules (a key name or dotted path).
    front_matter_text: list[str] = []
    front_matter_skip: list[str] = []


@dataclass
class _Skip(Exception):
    """A file passed over on purpose: not a failure."""

    reason: str
    kind: str = "skipped"  # skipped | draft | redirect


def page_format(name: str) -> str | None:
    """`markdown`, `html` or `text` for a page file name (template suffixes looked through), else None."""
    suffixes = ["." + part for part in name.lower().split(".")[1:]]
    templated = False
    while suffixes and suffixes[-1] in EXTENSIONS:
        suffixes.pop()
        templated = True
    last = suffixes[-1] if suffixes else ""
    if last in MARKDOWN:
        return "markdown"
    if last in HTML:
        return "html"
    if last in TEXT:
        return "text"
    if templated and (not last or not re.fullmatch(r"\.[a-z]{2,5}", last) or last == "." + "page"):
        return "html"  # `page.njk`: a template's output is a web page unless its name says otherwise
    return None


def _without_template_suffix(inside: str) -> str:
    folder, _, name = inside.rpartition("/")
    pieces = name.split(".")
    while len(pieces) > 1 and "." + pieces[-1].lower() in EXTENSIONS:
        pieces.pop()
    if len(pieces) > 2 and "." + pieces[-1].lower() in MARKDOWN and "." + pieces[-2].lower() in HTML:
        pieces.pop(-2)  # `index.html.md` is a Markdown page
    return (folder + "/" if folder else "") + ".".join(pieces)


def _site_path(inside: str) -> str:
    """`blog/_index.fr.md` -> `blog`: the page's path on the built site, without index, locale, extension."""
    from ..analyze.versions import locale_of_part

    name = _without_template_suffix(inside)
    folder, _, base = name.rpartition("/")
    pieces = base.split(".")
    if len(pieces) > 1:
        pieces.pop()
    if len(pieces) > 1 and locale_of_part(pieces[-1]):
        pieces.pop()
    stem = ".".join(pieces)
    if stem in ("index", "_index"):
        return folder
    return (folder + "/" if folder else "") + stem


def clean_block(text: str) -> str:
    """A block's text as a reader sees it: inline markup flattened, entities decoded, no template syntax."""
    return " ".join(strip_leftovers(flatten_markup(text)).split())


def _html_mask(lines: list[str]) -> list[bool]:
    """Which lines of a Markdown page are raw HTML blocks."""
    mask = [False] * len(lines)
    index, fenced = 0, False
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _HTML_BLOCK_START.match(line)
        if match is None:
            index += 1
            continue
        end = index
        if match.group("comment"):
            while end < len(lines) - 1 and "-->" not in lines[end]:
                end += 1
        elif match.group("tag").lower() not in _VOID:
            tag = match.group("tag").lower()
            opened = re.compile(rf"<{tag}\b", re.I)
            closed = re.compile(rf"</{tag}\s*>", re.I)
            depth = 0
            while end < len(lines):
                depth += len(opened.findall(lines[end])) - len(closed.findall(lines[end]))
                if depth <= 0:
                    break
                end += 1
            end = min(end, len(lines) - 1)
        for covered in range(index, end + 1):
            mask[covered] = True
        # Markdown written inside an HTML block (kramdown's `markdown="1"`, or a paragraph left blank-line
        # apart) is Markdown: an unindented line after a blank line or one that opens a Markdown block.
        for covered in range(index + 1, end + 1):
            line = lines[covered]
            if not line.strip() or line.lstrip().startswith("<") or len(line) - len(line.lstrip()) > 3:
                continue
            before = lines[covered - 1]
            if not before.strip() or not mask[covered - 1] or _MARKDOWN_BLOCK.match(line):
                mask[covered] = False
        index = end + 1
    return mask


def _text_blocks(body: str, shown: str) -> list[TextBlock]:
    """A plain-text page: one block per paragraph or bullet line; a short upper-case line is a heading."""
    blocks: list[TextBlock] = []
    section: str | None = None
    current: list[str] = []
    first_line = 0

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(TextBlock(" ".join(current), "main", Location(shown, first_line, section=section)))
        current = []

    for number, raw in enumerate(body.split("\n"), start=1):
        line = raw.strip()
        if not line or _TEXT_RULE.match(line):
            flush()
            continue
        bullet = _BULLET.match(raw)
        letters = [ch for ch in line if ch.isalpha()]
        if bullet:
            flush()
            current, first_line = [raw[bullet.end() :].strip()], number
        elif letters and line.isupper() and len(line) <= 80 and not line.endswith((".", ",", ";")):
            flush()
            section = line
            blocks.append(TextBlock(line, "heading", Location(shown, number, section=section)))
        else:
            if not current:
                first_line = number
            current.append(line)
    flush()
    return blocks


def _markdown_blocks(body: str, shown: str, mdx: bool) -> tuple[list[TextBlock], str | None, list[str]]:
    """A Markdown page's blocks (its raw HTML blocks read as HTML), its first heading and its links."""
    if mdx:
        body = _MDX_LINE.sub("", body)
    lines = body.split("\n")
    mask = _html_mask(lines)
    markdown_lines = []
    for line, is_html in zip(lines, mask, strict=True):
        if is_html:
            markdown_lines.append("")
        else:
            markdown_lines.append(_INLINE_BLOCK_TAG.sub(" ", _ATTRIBUTE_LIST.sub("", line)))
    parsed = parse_text("\n".join(markdown_lines), _NO_SPEAKERS)
    blocks = [
        TextBlock(block.text, block.scope, Location(shown, block.line, section=block.section))
        for block in parsed.blocks
    ]
    links = list(parsed.links)
    html = "\n".join(line if is_html else "" for line, is_html in zip(lines, mask, strict=True))
    html = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), html)
    if html.strip():
        page = html_to_blocks(html, shown)
        links.extend(link for link in page.links if link.startswith(("http://", "https://")))
        # An HTML block belongs to the Markdown section it sits in.
        headings = [(b.location.line or 0, b.location.section) for b in blocks]
        for block in page.blocks:
            if block.scope in ("title", "meta"):
                continue
            number = block.location.line or 0
            section = next((s for at, s in reversed(headings) if at <= number), None)
            blocks.append(TextBlock(block.text, block.scope, Location(shown, number, section=section)))
        blocks.sort(key=lambda b: b.location.line or 0)
    return blocks, parsed.title, links


def _key_matches(path: str, names: list[str]) -> bool:
    plain = re.sub(r"\[\d+\]", "", path)
    leaf = plain.rsplit(".", 1)[-1]
    top = plain.split(".", 1)[0]
    return any(name in (plain, leaf, top) for name in names)


def _is_meta_key(key: str) -> bool:
    normal = key.lower().replace("-", "_")
    return normal in _META_KEYS or bool(_META_KEY.search(normal))


def _is_meta_value(text: str) -> bool:
    text = text.strip()
    return (
        not any(ch.isalpha() for ch in text)
        or bool(_URL_OR_PATH.match(text))
        or ("/" in text and " " not in text)
        or bool(_FILE_NAME.match(text) and " " not in text and not text.endswith("."))
        or bool(_NUMBER_OR_DATE.match(text))
        or bool(_IDENTIFIER.match(text))
    )


@register("static_site")
class StaticSiteConnector(Connector):
    """Reads every page under the source folder (recursively, sorted), or one file."""

    Options = StaticSiteOptions
    options: StaticSiteOptions

    def collect(self) -> CollectResult:
        stats: dict[str, Any] = {
            "files": 0,
            "pages": 0,
            "blocks": 0,
            "front_matter_blocks": 0,
            "drafts": 0,
            "redirects": 0,
            "skipped": [],
            "languages": [],
        }
        result = CollectResult(stats=stats)
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        files = source_files(root, SUFFIXES if root.is_dir() else None)
        if files is None:
            result.failures.append(
                self.failure(shown_root, "folder not found; check the channel's source path")
            )
            return result
        if not files:
            result.failures.append(
                self.failure(shown_root, "no pages here (.md, .html, .txt or templates such as .html.erb)")
            )
        self._root = root if root.is_dir() else root.parent
        fetched_at = now_iso()
        for done, path in enumerate(files, start=1):
            shown = relative(path, self.context.base_dir)
            inside = path.relative_to(root).as_posix() if root.is_dir() else path.name
            stats["files"] += 1
            try:
                document = self._page(path, shown, inside, fetched_at, single=not root.is_dir())
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            except _Skip as skip:
                if skip.kind == "draft":
                    stats["drafts"] += 1
                elif skip.kind == "redirect":
                    stats["redirects"] += 1
                stats["skipped"].append({"file": shown, "reason": skip.reason})
            else:
                result.documents.append(document)
                stats["blocks"] += len(document.blocks)
                stats["front_matter_blocks"] += sum(
                    1 for b in document.blocks if (b.location.section or "").startswith("front matter: ")
                )
            self.report_progress(done, len(files))
        stats["pages"] = len(result.documents)
        stats["languages"] = sorted({d.language for d in result.documents if d.language})
        return result

    def _page(self, path: Path, shown: str, inside: str, fetched_at: str, single: bool) -> Document:
        from ..analyze.versions import locale_free_path, locale_of_part

        kind = page_format(path.name)
        parts = inside.split("/")
        stem = path.name.split(".")[0].lower()
        if not single:
            if kind is None:
                raise _Skip("not a page: a template of another format")
            if any(part in _PARTIAL_FOLDERS for part in parts[:-1]) or (
                path.name.startswith("_") and stem != "_index"
            ):
                raise _Skip("partial or layout: its text is read where a page includes it")
            if stem in _NOT_PAGES or (kind == "text" and stem in _NOT_TEXT_PAGES):
                raise _Skip("not a page: a repository or crawler file")
        text = self.files.read_text(path, shown, self.options.encoding)
        front, body, front_lines = split_front_matter(text, shown)
        if front.get("draft") is True and not self.options.include_drafts:
            raise _Skip("draft", "draft")
        syntaxes = syntaxes_for(path.name, body, self.options.template)
        data = {**front, "page": front, "current_page": {"data": front}}
        rendered = render_template(
            body,
            syntaxes,
            path=path,
            root=self._root,
            data=data,
            read=lambda include: self.files.read_text(
                include, relative(include, self.context.base_dir), "utf-8", errors="replace"
            ),
        )
        body = rendered.text
        kind = kind or "markdown"
        links: list[str] = []
        first_heading: str | None = None
        html_title = ""
        if kind == "html":
            page = html_to_blocks(body, shown)
            body_blocks = [b for b in page.blocks if b.scope not in ("title", "meta")]
            head_blocks = [b for b in page.blocks if b.scope in ("title", "meta")]
            links = list(page.links)
            html_title = page.title
        elif kind == "text":
            body_blocks, head_blocks = _text_blocks(body, shown), []
        else:
            body_blocks, first_heading, links = _markdown_blocks(body, shown, path.suffix.lower() == ".mdx")
            head_blocks = []
        body_blocks = self._cleaned(body_blocks)
        redirect = any(front.get(key) for key in _REDIRECT_KEYS) or str(front.get("layout", "")).lower() in (
            "redirect",
            "redirected",
        )
        if not body_blocks and (redirect or _META_REFRESH.search(body)):
            raise _Skip("redirect-only page", "redirect")

        blocks: list[TextBlock] = []
        front_title = front.get("title")
        if isinstance(front_title, str) and front_title.strip():
            blocks.append(
                TextBlock(clean_block(front_title), "title", Location(shown, None, section="title"))
            )
        blocks.extend(self._cleaned(head_blocks))
        description = front.get("description") or front.get("summary")
        if isinstance(description, str) and description.strip():
            blocks.append(TextBlock(clean_block(description), "meta", Location(shown, None, section="meta")))
        blocks.extend(self._front_matter_blocks(front, front_lines, shown, rendered.used_keys))
        blocks.extend(body_blocks)
        if not blocks:
            raise _Skip("no text in the page (its content comes from a layout or data file)")
        title = clean_block(str(front_title or "")) or html_title or first_heading or path.name.split(".")[0]

        declared = next((str(front[key]) for key in _LANGUAGE_KEYS if front.get(key)), None)
        located = locale_free_path(_without_template_suffix(inside))
        language = (
            self.channel.language
            or (locale_of_part(declared.replace("_", "-").split("-")[0].lower()) if declared else None)
            or (located[1] if located else None)
        )
        translation = next((str(front[key]) for key in _TRANSLATION_KEYS if front.get(key)), None)
        metadata: dict[str, Any] = {
            "format": kind,
            "path": shown,
            **{k: v for k, v in front.items() if isinstance(v, (str, int, float, bool)) and k != "title"},
        }
        # When the page was written: front matter `date`, else a Jekyll post's file name ("2019-05-12-x.md").
        # ISO 8601, so later stages can tell an old post's figure from a current page's.
        named = _FILE_DATE.match(Path(inside).name)
        dated = parse_date(front.get("date")) or (parse_date(named.group(1)) if named else None)
        if dated is not None:
            metadata["date"] = dated.date().isoformat()
        if syntaxes:
            metadata["template"] = "+".join(syntaxes)
        if rendered.includes:
            metadata["includes"] = rendered.includes
        if declared:
            metadata["locale"] = declared
        if translation:
            metadata["translation_key"] = f"static:{translation}"
        elif located:
            metadata["version_key"] = f"static:{located[0]}"
        if self.options.base_url:
            slug = str(front.get("url") or front.get("permalink") or "")
            page_path = slug.lstrip("/") if slug else _site_path(inside)
            metadata["url"] = self.options.base_url.rstrip("/") + "/" + page_path
        return Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=shown,
            title=title,
            blocks=tuple(blocks),
            language=language,
            fetched_at=fetched_at,
            links=tuple(dict.fromkeys(links)),
            metadata=metadata,
        )

    @staticmethod
    def _cleaned(blocks: list[TextBlock]) -> list[TextBlock]:
        kept = []
        for block in blocks:
            text = clean_block(block.text)
            if text and not is_placeholder_only(text):
                kept.append(TextBlock(text, block.scope, block.location))
        return kept

    def _front_matter_blocks(
        self, front: dict[str, Any], lines: list[str], shown: str, printed: set[str]
    ) -> list[TextBlock]:
        """Front matter strings as text blocks, each with its key path as section."""
        wanted, unwanted = self.options.front_matter_text, self.options.front_matter_skip
        blocks: list[TextBlock] = []

        def line_of(value: str, key: str) -> int | None:
            probe = " ".join(value.split())[:25]
            for number, line in enumerate(lines, start=1):
                if probe and probe in " ".join(line.split()):
                    return number
            for number, line in enumerate(lines, start=1):
                if re.match(rf"^\s*-?\s*['\"]?{re.escape(key)}['\"]?\s*[:=]", line):
                    return number
            return None

        def walk(value: Any, path: str, key: str, chosen: bool) -> None:
            if isinstance(value, dict):
                for sub, item in value.items():
                    sub = str(sub)
                    here = f"{path}.{sub}" if path else sub
                    if _key_matches(here, unwanted):
                        continue
                    pick = chosen or _key_matches(here, wanted)
                    if not pick and _is_meta_key(sub):
                        continue
                    walk(item, here, sub, pick)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, f"{path}[{index}]", key, chosen)
            elif isinstance(value, str):
                if not value.strip() or (not chosen and _is_meta_value(value)):
                    return
                rendered = render_template(value, syntaxes_for("", value, self.options.template)).text
                text = clean_block(inline(rendered, []))
                if text and not is_placeholder_only(text):
                    where = Location(shown, line_of(value, key), section=f"front matter: {path}")
                    blocks.append(TextBlock(text, "main", where))
            elif isinstance(value, date) or value is None or isinstance(value, (bool, int, float)):
                return

        top = {
            key: value
            for key, value in front.items()
            if key not in printed
            and key not in ("title",)
            and not (
                key in ("description", "summary")
                and value == (front.get("description") or front.get("summary"))
            )
        }
        walk(top, "", "", False)
        return blocks
