"""`l10n`: an app's localization resource files as a channel (`type: app`), one Document per file and locale.

App screens, in-product messages and transactional emails live in resource files, one per language, and that
is where translations drift apart. Read (parsers in `_l10n_formats` and `_l10n_xml`): gettext `.po` / `.pot`,
XLIFF 1.2 and 2.0 (`.xlf`, `.xliff`, or `.xml`), Fluent `.ftl`, Rails / i18next / go-i18n YAML and JSON,
Chrome / WebExtension `messages.json`, Flutter `.arb`, Hugo i18n `.toml`, Android `strings.xml`, iOS
`.strings` and `.xcstrings`.

Each message becomes one block whose location `section` is its full key without the locale root
(`checkout.items`), so the language versions of a message align by key. Its text is what a reader sees
(`_l10n_model.finish_message`): one plural form (`other`), ICU selects resolved, run-time slots as the neutral
`PLACEHOLDER`, inline HTML flattened; the file's own text stays in `metadata["l10n"]["messages"][i]["raw"]`.
Messages that are empty or only slots give no block.

A file's locale comes from, in order: the file's content where the format says it (a Rails/i18next root key
`en:`, gettext's `Language:` header, XLIFF's languages, ARB's `@@locale`, `.xcstrings`); its name (`en.yml`,
`devise.en.yml`, `app._en.yml`, `strings_pt_BR.json`); its folder (`locales/fr/…`, `_locales/pt_BR/`,
Android `values-fr-rFR/`, iOS `fr.lproj/`; unqualified Android `values/` and iOS `Base.lproj/` are in
`options.source_locale`); the channel's `language:`; and for a template (`.pot`, an XLIFF file with sources
only) the source locale. Only a file that none of these places is a failure. A pinned channel's documents
are always in its `language:`.

Files with a catalogue's extension that are not catalogues (a layout `.xml`, `package.json`, a `.json` of
no strings) are skipped and listed in `stats["skipped"]` with the reason.

`metadata["l10n"]` keeps, per message, its key, text, raw text, source text, line and plural variants, so
`untranslated_findings` can report messages left in the source language; `metadata["version_key"]` names
the resource independently of its locale (`config/locales/*.yml`, `devise.*.yml`), so the locales of one
resource are compared key by key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..models import Document, Failure, Location, TextBlock
from ..placeholders import is_placeholder_only
from ._files import source_files
from ._l10n_formats import (
    parse_ftl,
    parse_json_catalogue,
    parse_po,
    parse_strings,
    parse_toml,
    parse_xcstrings,
    parse_yaml,
    render_fluent,
)
from ._l10n_model import NotACatalogue, Resource, finish_message, locale_code
from ._l10n_xml import parse_xml, xliff_resources, xml_root
from ._posts import relative
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

SUFFIXES = (
    ".po", ".pot", ".xlf", ".xliff", ".ftl", ".yml", ".yaml", ".json", ".arb", ".toml", ".xml", ".strings",
    ".xcstrings",
)  # fmt: skip
# Files of build and site tools that share a catalogue's extension and often sit beside catalogues.
_TOOL_FILES = frozenset(
    {
        "package.json", "package-lock.json", "composer.json", "tsconfig.json", "jsconfig.json",
        "manifest.json", "angular.json", "project.json", "firebase.json", "vercel.json", "renovate.json",
        "crowdin.yml", "crowdin.yaml", "l10n.yaml", "pubspec.yaml", "docker-compose.yml", "_config.yml",
        "mkdocs.yml", "i18n-tasks.yml", "config.toml", "hugo.toml", "netlify.toml", "pyproject.toml",
        "cargo.toml", "androidmanifest.xml", "pom.xml",
    }
)  # fmt: skip
_ANDROID_VALUES = re.compile(
    r"^values(?:-(?:b\+([a-z]{2,3})(?:\+(\w+))?|([a-z]{2,3})(?:-r([A-Z]{2}))?))?(?:-.*)?$"
)


class L10nOptions(ConnectorOptions):
    # The language the messages are written in first: the source of every translation, and the locale of
    # Android's unqualified values/, iOS's Base.lproj/ and of templates.
    source_locale: str = "en"
    encoding: str | None = None  # default: UTF-8 (UTF-16 when the file starts with its byte order mark)


def _name_locale(name: str) -> tuple[str | None, str]:
    """(the locale a file name carries, the name with it replaced by "*"). A name without one is the base
    name of its translations (`messages.xlf` beside `messages.fr.xlf`): "*" goes before the extension."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    ending = f".{extension}" if dot else ""
    whole = locale_code(stem)
    if whole:
        return whole, "*" + ending
    pieces = stem.split(".")
    if len(pieces) > 1 and locale_code(pieces[0]):  # en.devise.yml
        return locale_code(pieces[0]), ".".join(["*", *pieces[1:]]) + ending
    # A locale after the last separator: devise.en.yml, app._en.yml, strings_pt_BR.json, messages-fr.json.
    for index, char in enumerate(stem):
        if char in "._-" and index:
            code = locale_code(stem[index + 1 :].lstrip("_"))
            if code:
                return code, stem[:index] + ".*" + ending
    return None, stem + ".*" + ending


def _folder_locale(part: str, source_locale: str) -> tuple[str | None, str] | None:
    """(locale, the folder with it replaced by "*") for a locale folder, else None."""
    android = _ANDROID_VALUES.match(part)
    if android:
        if android.group(1):
            return android.group(1) + (f"-{android.group(2)}" if android.group(2) else ""), "values-*"
        if android.group(3):
            return android.group(3) + (f"-{android.group(4)}" if android.group(4) else ""), "values-*"
        return source_locale, "values-*"
    if part.endswith(".lproj"):
        name = part[: -len(".lproj")]
        return (source_locale if name.lower() == "base" else locale_code(name)), "*.lproj"
    code = locale_code(part)
    return (code, "*") if code else None


def path_locale(relative_path: str, source_locale: str) -> tuple[str | None, str]:
    """(the locale a file's path names or None, the path with the locale replaced by "*"): the same second
    value for every locale of one resource."""
    parts = relative_path.split("/")
    locale, name = _name_locale(parts[-1])
    if locale:
        return locale, "/".join([*parts[:-1], name])
    for index in range(len(parts) - 2, -1, -1):
        folder = _folder_locale(parts[index], source_locale)
        if folder is not None:
            parts[index] = folder[1]
            return folder[0], "/".join(parts)
    return None, "/".join([*parts[:-1], name])


def _decode(data: bytes, shown: str, encoding: str | None) -> str:
    if encoding is None:
        encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(
            shown, f"cannot decode as {encoding} ({exc}); re-save it as UTF-8 or set options.encoding"
        ) from None


# -- the connector ------------------------------------------------------------------------------------------

Loaded = tuple[str, str, str, Resource]  # (shown path, path inside the source, version key, resource)


@register("l10n")
class L10nConnector(Connector):
    """Reads every localization file under the source folder (recursively, sorted), or one file."""

    Options = L10nOptions
    options: L10nOptions

    def collect(self) -> CollectResult:
        skipped: list[dict[str, str]] = []
        result = CollectResult(
            stats={"files": 0, "messages": 0, "dropped_messages": 0, "locales": [], "skipped": skipped}
        )
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        files = source_files(root, SUFFIXES if root.is_dir() else None)
        if files is None:
            result.failures.append(
                self.failure(shown_root, "folder not found; check the channel's source path")
            )
            return result
        loaded: list[Loaded] = []
        for done, path in enumerate(files, start=1):
            shown = relative(path, self.context.base_dir)
            inside = path.relative_to(root).as_posix() if root.is_dir() else path.name
            result.stats["files"] += 1
            self.report_progress(done, len(files))
            if path.name.lower() in _TOOL_FILES:
                skipped.append({"file": shown, "reason": "a tool's configuration file, not a catalogue"})
                continue
            try:
                resources = self._read(path, shown, result.failures)
                loaded.extend(self._place(shown, inside, resources))
            except NotACatalogue as exc:
                skipped.append({"file": shown, "reason": exc.reason})
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
        if files and not loaded and not result.failures:
            why = f" ({len(skipped)} file(s) skipped: see stats.skipped)" if skipped else ""
            result.failures.append(self.failure(shown_root, f"no localization messages found{why}"))
        self._finish(loaded)
        for shown, _, _, resource in loaded:
            if resource.fluent is not None and not resource.messages:
                skipped.append({"file": shown, "reason": "no messages (only terms or comments)"})
        loaded = [item for item in loaded if item[3].fluent is None or item[3].messages]
        fetched_at = now_iso()
        for shown, _, key, resource in loaded:
            document, dropped = self._document(shown, key, resource, fetched_at)
            result.documents.append(document)
            result.stats["messages"] += len(document.blocks)
            result.stats["dropped_messages"] += dropped
        result.stats["locales"] = sorted({str(resource.locale) for *_, resource in loaded})
        return result

    def _read(self, path: Path, shown: str, failures: list[Failure]) -> list[Resource]:
        suffix = path.suffix.lower()
        data = self.files.read_bytes(path, shown)
        if suffix in (".xlf", ".xliff"):
            root = xml_root(data, shown)
            if root.tag.rsplit("}", 1)[-1] != "xliff":
                raise SourceError(shown, "not an XLIFF file (the root element is not <xliff>)")
            return xliff_resources(root)
        if suffix == ".xml":
            return parse_xml(data, shown)
        text = _decode(data, shown, self.options.encoding)
        if suffix in (".po", ".pot"):
            return [parse_po(text, shown, template=suffix == ".pot")]
        if suffix == ".ftl":
            return [parse_ftl(text)]
        if suffix in (".yml", ".yaml"):
            return parse_yaml(text, shown, warn=lambda reason: failures.append(self.failure(shown, reason)))
        if suffix == ".toml":
            return parse_toml(text, shown)
        if suffix == ".xcstrings":
            return parse_xcstrings(text, shown)
        if suffix == ".strings":
            return [parse_strings(text)]
        return parse_json_catalogue(text, shown)

    def _place(self, shown: str, inside: str, resources: list[Resource]) -> list[Loaded]:
        """Each resource with its locale (see the module doc for the order) and version key."""
        located, key = path_locale(inside, self.options.source_locale)
        placed: list[Loaded] = []
        for resource in resources:
            resource.locale = (
                resource.locale
                or located
                or self.channel.language
                or (self.options.source_locale if resource.source_only else None)
            )
            if not resource.locale:
                raise SourceError(
                    shown,
                    "cannot tell the locale of this file: give it a locale root key (en:), name it after "
                    "its locale (fr.json, app.fr.yml), put it in a locale folder (fr/), or set the "
                    "channel's language",
                )
            placed.append((shown, inside, key + (f"#{resource.unit}" if resource.unit else ""), resource))
        return placed

    def _finish(self, loaded: list[Loaded]) -> None:
        """Fluent rendered per locale, every message's text made, source texts filled in."""
        fluent: dict[str, list[Resource]] = {}
        for *_, resource in loaded:
            if resource.fluent is not None:
                fluent.setdefault(str(resource.locale), []).append(resource)
        for resources in fluent.values():
            render_fluent(resources)
        for *_, resource in loaded:
            for message in resource.messages:
                finish_message(message)
        self._fill_sources(loaded)

    def _fill_sources(self, loaded: list[Loaded]) -> None:
        """Key-value formats do not carry the source text: take it from the source locale's file."""
        wanted = self.options.source_locale.replace("_", "-").lower()
        sources: dict[str, dict[str, tuple[str, str]]] = {}
        for _, _, key, resource in loaded:
            locale = (resource.locale or "").replace("_", "-").lower()
            if locale == wanted or locale.split("-")[0] == wanted:
                table = sources.setdefault(key, {})
                for message in resource.messages:
                    table.setdefault(message.key, (message.raw, message.text))
        for _, _, key, resource in loaded:
            resource.source_locale = resource.source_locale or self.options.source_locale
            table = sources.get(key, {})
            for message in resource.messages:
                if message.source is None and message.key in table:
                    message.source, message.source_text = table[message.key]

    def _document(self, shown: str, key: str, resource: Resource, fetched_at: str) -> tuple[Document, int]:
        from ..extract.language import base_language

        uri = shown + resource.fragment
        blocks: list[TextBlock] = []
        entries: list[dict[str, Any]] = []
        for message in resource.messages:
            if message.text and not is_placeholder_only(message.text):
                blocks.append(
                    TextBlock(message.text, "main", Location(uri, message.line, section=message.key))
                )
            entry: dict[str, Any] = {
                "key": message.key,
                "text": message.text,
                "raw": message.raw,
                "source": message.source_text,
                "line": message.line,
                "fuzzy": message.fuzzy,
            }
            if message.variants:
                entry["variants"] = message.variants
            entries.append(entry)
        locale = str(resource.locale)
        document = Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=uri,
            title=f"{Path(shown).name} ({locale})",
            blocks=tuple(blocks),
            language=self.channel.language or base_language(locale),
            fetched_at=fetched_at,
            metadata={
                "format": resource.fmt,
                "locale": locale,
                "version_key": f"l10n:{key}",
                "l10n": {"locale": locale, "source_locale": resource.source_locale, "messages": entries},
            },
        )
        return document, sum(1 for message in resource.messages if message.text) - len(blocks)
