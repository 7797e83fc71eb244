"""`static_site`: a static site's content sources (Markdown with front matter) read as the website channel,
without building the site.

Hugo, Jekyll, Eleventy, Astro, Docusaurus and most other generators keep pages as Markdown files with YAML
(`---`) or TOML (`+++`) front matter, one file or one folder per locale. Each file becomes one Document with
its front matter `title` and `description`, and one block per heading, paragraph, list item or table row,
each with its file, line and section. Shortcodes (`{{< ... >}}`, `{% ... %}`) and MDX imports are left out.

A page's language is its front matter `lang` / `language` / `locale`, else a locale suffix (`faq.fr.md`),
else a locale folder (`content/fr/faq.md`). Its language versions are linked by front matter
`translationKey` / `translation_key` / `ref` or by the same path in another locale
(`metadata["version_key"]`), which `analyze.versions.compare_versions` uses. Drafts (`draft: true`) are
skipped unless `options.include_drafts` is set.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._files import read_text, source_files
from ._posts import relative
from ._scripts import parse_text
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)

SUFFIXES = (".md", ".markdown", ".mdx")
# parse_text reads speaker turns when given labels; a page is never a call script, so give it one that no
# line can carry.
_NO_SPEAKERS = {"\x00": "agent"}
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_MDX_LINE = re.compile(r"^\s*(?:import\s.+\sfrom\s|export\s)", re.M)
# "blog/_index.fr.md" -> "blog": the page's path on the built site, without index names, locale and extension.
_PAGE_SUFFIX = re.compile(r"(?:/?_?index)?(?:\.[a-z]{2}(?:[-_][A-Za-z]{2,4})?)?\.(?:md|markdown|mdx)$")
_LANGUAGE_KEYS = ("lang", "language", "locale", "lang_code")
_TRANSLATION_KEYS = ("translationKey", "translation_key", "ref", "i18n_key")


class StaticSiteOptions(ConnectorOptions):
    # The URL the site is published at: pages get metadata["url"] = base_url + their path.
    base_url: str | None = None
    include_drafts: bool = False
    encoding: str = "utf-8-sig"


def _front_matter(text: str, shown: str) -> tuple[dict[str, Any], str]:
    """The front matter and the text with it blanked out (same number of lines, so lines stay right)."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in (fence, "...")), None)
    if end is None:
        return {}, text
    raw = "\n".join(lines[1:end])
    try:
        if fence == "---":
            data = yaml.safe_load(raw)
        else:
            import tomllib

            data = tomllib.loads(raw)
    except (yaml.YAMLError, ValueError) as exc:
        raise SourceError(shown, f"invalid front matter: {str(exc).splitlines()[0]}") from None
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return (data if isinstance(data, dict) else {}), body


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


@register("static_site")
class StaticSiteConnector(Connector):
    """Reads every Markdown page under the source folder (recursively, sorted), or one file."""

    Options = StaticSiteOptions
    options: StaticSiteOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"pages": 0, "drafts": 0, "languages": []})
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        files = source_files(root, SUFFIXES if root.is_dir() else None)
        if files is None:
            result.failures.append(
                self.failure(shown_root, "folder not found; check the channel's source path")
            )
            return result
        if not files:
            result.failures.append(self.failure(shown_root, "no Markdown pages (.md, .markdown, .mdx) here"))
        fetched_at = now_iso()
        for done, path in enumerate(files, start=1):
            shown = relative(path, self.context.base_dir)
            inside = path.relative_to(root).as_posix() if root.is_dir() else path.name
            try:
                document = self._page(path, shown, inside, fetched_at)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            else:
                if document is None:
                    result.stats["drafts"] += 1
                else:
                    result.documents.append(document)
            self.report_progress(done, len(files))
        result.stats["pages"] = len(result.documents)
        result.stats["languages"] = sorted({d.language for d in result.documents if d.language})
        return result

    def _page(self, path: Path, shown: str, inside: str, fetched_at: str) -> Document | None:
        from ..analyze.versions import locale_free_path, locale_of_part

        text = read_text(path, shown, self.options.encoding)
        front, body = _front_matter(text, shown)
        if front.get("draft") is True and not self.options.include_drafts:
            return None
        body = _SHORTCODE.sub(_blank, body)
        if path.suffix.lower() == ".mdx":
            body = _MDX_LINE.sub("", body)
        parsed = parse_text(body, _NO_SPEAKERS)
        title = str(front.get("title") or parsed.title or path.stem)
        blocks: list[TextBlock] = []
        if front.get("title"):
            blocks.append(TextBlock(title, "title", Location(shown, None, section="title")))
        description = front.get("description") or front.get("summary")
        if isinstance(description, str) and description.strip():
            blocks.append(
                TextBlock(" ".join(description.split()), "meta", Location(shown, None, section="meta"))
            )
        for block in parsed.blocks:
            blocks.append(
                TextBlock(block.text, block.scope, Location(shown, block.line, section=block.section))
            )
        if not blocks:
            raise SourceError(shown, "no text found in the page")

        declared = next((str(front[key]) for key in _LANGUAGE_KEYS if front.get(key)), None)
        located = locale_free_path(inside)
        language = (
            self.channel.language
            or (locale_of_part(declared.replace("_", "-").split("-")[0].lower()) if declared else None)
            or (located[1] if located else None)
        )
        translation = next((str(front[key]) for key in _TRANSLATION_KEYS if front.get(key)), None)
        metadata: dict[str, Any] = {
            "format": "markdown",
            "path": shown,
            **{k: v for k, v in front.items() if isinstance(v, (str, int, float, bool)) and k != "title"},
        }
        if declared:
            metadata["locale"] = declared
        if translation:
            metadata["translation_key"] = f"static:{translation}"
        elif located:
            metadata["version_key"] = f"static:{located[0]}"
        if self.options.base_url:
            slug = str(front.get("url") or front.get("permalink") or "")
            page = slug.lstrip("/") if slug else _PAGE_SUFFIX.sub("", inside)
            metadata["url"] = self.options.base_url.rstrip("/") + "/" + page
        return Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=shown,
            title=title,
            blocks=tuple(blocks),
            language=language,
            fetched_at=fetched_at,
            links=tuple(parsed.links),
            metadata=metadata,
        )
