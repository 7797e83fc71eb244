"""`l10n`: an app's localization resource files as a channel (`type: app`), one Document per file and locale.

App screens, in-product messages and transactional emails live in resource files, one per language, and that
is where translations drift apart. Read: gettext `.po`, XLIFF 1.2 and 2.0 (`.xlf`, `.xliff`), Fluent `.ftl`,
Rails / i18next YAML (`.yml`, `.yaml`) and JSON (`.json`, also Chrome `messages.json`), Android
`strings.xml`, iOS `.strings` and `.xcstrings`.

Each message becomes one block whose location is the file, line and message key (`section`); plural variants
are kept, each with its category (`cart.items [one]`). Placeholders (`%{name}`, `{ $count }`, `%1$s`, `{0}`)
and inline markup stay in the text, so quotes show what the app shows; analysis strips them
(`analyze.versions.analysis_text`).

A file's locale comes from the file itself where the format says it (gettext `Language:` header, XLIFF
`target-language` / `trgLang`, a Rails root key, `.xcstrings`), else from its path: `fr.json`,
`messages.fr.xlf`, `locales/fr/…`, Android `values-fr/`, iOS `fr.lproj/`. Unqualified Android `values/` and
iOS `Base.lproj/` are in `options.source_locale`, the language messages are written in first (default en).

`metadata["l10n"]` keeps, per message, its key, text, source text and line, so `untranslated_findings` can
report messages left in the source language; `metadata["version_key"]` names the resource independently of
its locale, so `compare_versions` compares the locales of one resource key by key.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._files import parse_json, read_bytes, source_files
from ._posts import relative
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)

PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
SUFFIXES = (".po", ".xlf", ".xliff", ".ftl", ".yml", ".yaml", ".json", ".xml", ".strings", ".xcstrings")
_LOCALE = re.compile(r"^([a-z]{2,3})(?:[-_]([A-Za-z]{2,4}|\d{3}))?$")
_ANDROID_VALUES = re.compile(
    r"^values(?:-(?:b\+([a-z]{2,3})(?:\+(\w+))?|([a-z]{2,3})(?:-r([A-Z]{2}))?))?(?:-.*)?$"
)


class L10nOptions(ConnectorOptions):
    # The language the messages are written in first: the source of every translation, and the locale of
    # Android's unqualified values/ and iOS's Base.lproj/.
    source_locale: str = "en"
    encoding: str | None = None  # default: UTF-8 (UTF-16 when the file starts with its byte order mark)


@dataclass
class Message:
    key: str
    text: str
    line: int | None = None
    source: str | None = None  # the source-language text, when the file carries it (po, XLIFF)
    plural: str | None = None
    fuzzy: bool = False

    @property
    def section(self) -> str:
        return f"{self.key} [{self.plural}]" if self.plural else self.key


@dataclass
class Resource:
    locale: str | None
    fmt: str
    messages: list[Message] = field(default_factory=list)
    source_locale: str | None = None
    suffix: str = ""  # appended to the uri when one file holds several locales ("#fr")


def _iso(code: str) -> str | None:
    from ..analyze.versions import locale_of_part

    return locale_of_part(code.replace("_", "-").split("-")[0].lower()) and code.replace("_", "-")


def locale_of_path(relative_path: str, source_locale: str) -> str | None:
    """The locale a file's path names (see the module doc), or None."""
    parts = relative_path.split("/")
    stem = parts[-1].split(".")
    if len(stem) >= 3 and _iso(stem[-2]):  # messages.fr.xlf
        return _iso(stem[-2])
    if len(stem) == 2 and _iso(stem[0]):  # fr.json, pl.po
        return _iso(stem[0])
    for part in reversed(parts[:-1]):
        android = _ANDROID_VALUES.match(part)
        if android:
            if android.group(1):
                return android.group(1) + (f"-{android.group(2)}" if android.group(2) else "")
            if android.group(3):
                return android.group(3) + (f"-{android.group(4)}" if android.group(4) else "")
            return source_locale
        if part.endswith(".lproj"):
            name = part[: -len(".lproj")]
            return source_locale if name.lower() == "base" else (_iso(name) or None)
        if _iso(part):
            return _iso(part)
    return None


def version_key(relative_path: str) -> str:
    """The resource's path with its locale replaced by "*": the same for every locale of one resource."""
    parts = relative_path.split("/")
    stem = parts[-1].split(".")
    if len(stem) >= 3 and _iso(stem[-2]):
        stem[-2] = "*"
        return "/".join([*parts[:-1], ".".join(stem)])
    if len(stem) == 2 and _iso(stem[0]):
        return "/".join([*parts[:-1], "*." + stem[1]])
    for index in range(len(parts) - 2, -1, -1):
        part = parts[index]
        if _ANDROID_VALUES.match(part) or part.endswith(".lproj") or _iso(part):
            parts[index] = (
                "values-*" if part.startswith("values") else "*.lproj" if part.endswith(".lproj") else "*"
            )
            return "/".join(parts)
    return relative_path


# -- gettext .po -------------------------------------------------------------------------------------------

_PO_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_PO_STRING = re.compile(r'^"(.*)"\s*$')
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "'": "'",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "?": "?",
    "@": "@",
}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith(("u", "U")) and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return re.sub(r"\\(U[0-9A-Fa-f]{4,8}|u[0-9A-Fa-f]{4}|.)", one, text)


def parse_po(text: str, shown: str) -> Resource:
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {}
    last: tuple[str, int | None] | None = None
    flags: set[str] = set()

    def finish() -> None:
        nonlocal entry, flags, last
        if "msgid" in entry:
            entry["fuzzy"] = "fuzzy" in flags
            entries.append(entry)
        entry, flags, last = {}, set(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue  # obsolete entries are no longer used by the app
        if line.startswith("#,"):
            if "msgid" in entry:
                finish()
            flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword = _PO_KEYWORD.match(line)
        if keyword:
            name, index, value = keyword.group(1), keyword.group(2), _unescape(keyword.group(3))
            if name in ("msgctxt", "msgid") and ("msgstr" in entry or name in entry):
                finish()
            if name.startswith("msgstr"):
                slot = int(index) if index is not None else None
                entry.setdefault("msgstr", {})[slot] = value
                last = ("msgstr", slot)
            else:
                entry[name] = value
                if name == "msgid":
                    entry["line"] = number
                last = (name, None)
            continue
        continuation = _PO_STRING.match(line)
        if continuation and last is not None:
            value = _unescape(continuation.group(1))
            if last[0] == "msgstr":
                entry["msgstr"][last[1]] += value
            else:
                entry[last[0]] += value
            continue
        raise SourceError(shown, f"line {number}: not gettext PO syntax: {line[:40]!r}")
    finish()

    header: dict[str, str] = {}
    resource = Resource(None, "po")
    for item in entries:
        if item["msgid"] == "" and "msgctxt" not in item:
            for header_line in item.get("msgstr", {}).get(None, "").splitlines():
                name, _, value = header_line.partition(":")
                header[name.strip().lower()] = value.strip()
            continue
        key = f"{item['msgctxt']}|{item['msgid']}" if item.get("msgctxt") else item["msgid"]
        strings: dict[int | None, str] = item.get("msgstr", {})
        for slot, value in sorted(strings.items(), key=lambda kv: -1 if kv[0] is None else kv[0]):
            source = item["msgid"] if not slot else item.get("msgid_plural", item["msgid"])
            resource.messages.append(
                Message(
                    key, value, item.get("line"), source, None if slot is None else str(slot), item["fuzzy"]
                )
            )
    resource.locale = header.get("language") or None
    return resource


# -- XLIFF 1.2 / 2.0 ----------------------------------------------------------------------------------------

_PLACEHOLDER_TAGS = {"ph", "x", "bx", "ex", "sc", "ec", "it", "bpt", "ept"}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _inline(element: Any) -> str:
    """The text of an XLIFF source/target with its inline codes shown as the app writes them."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name in _PLACEHOLDER_TAGS:
            shown = child.get("equiv-text") or child.get("equiv") or child.get("disp") or (child.text or "")
            parts.append(shown if shown else f"{{{child.get('id', name)}}}")
        elif name:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _xml_root(data: bytes, shown: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(shown, f"invalid XML at line {exc.position[0]}: {exc.msg}") from None


def parse_xliff(data: bytes, shown: str) -> list[Resource]:
    root = _xml_root(data, shown)
    if _local(root.tag) != "xliff":
        raise SourceError(shown, "not an XLIFF file (the root element is not <xliff>)")
    version = root.get("version", "1.2")
    resources: list[Resource] = []
    if version.startswith("2"):
        source_locale, locale = root.get("srcLang"), root.get("trgLang")
        resource = Resource(locale, "xliff2", source_locale=source_locale)
        for unit in root.iter("{*}unit"):
            key = unit.get("name") or unit.get("id") or ""
            sources, targets = [], []
            for segment in unit.iter("{*}segment"):
                source = next(segment.iterchildren("{*}source"), None)
                target = next(segment.iterchildren("{*}target"), None)
                sources.append(_inline(source) if source is not None else "")
                targets.append(_inline(target) if target is not None else "")
            line = unit.sourceline
            resource.messages.append(
                Message(
                    key,
                    " ".join(t for t in targets if t).strip(),
                    line,
                    " ".join(s for s in sources if s).strip(),
                )
            )
        resources.append(resource)
        return resources
    for file in root.iter("{*}file"):
        resource = Resource(file.get("target-language"), "xliff", source_locale=file.get("source-language"))
        for unit in file.iter("{*}trans-unit"):
            if unit.get("translate") == "no":
                continue
            key = unit.get("resname") or unit.get("id") or ""
            source = next(unit.iterchildren("{*}source"), None)
            target = next(unit.iterchildren("{*}target"), None)
            resource.messages.append(
                Message(
                    key,
                    " ".join(_inline(target).split()) if target is not None else "",
                    (target if target is not None else unit).sourceline,
                    " ".join(_inline(source).split()) if source is not None else "",
                )
            )
        resources.append(resource)
    return resources


# -- Fluent .ftl ---------------------------------------------------------------------------------------

_FTL_ENTRY = re.compile(r"^(-?[A-Za-z][\w-]*)\s*=\s?(.*)$")
_FTL_ATTRIBUTE = re.compile(r"^\s+\.([A-Za-z][\w-]*)\s*=\s?(.*)$")
_FTL_SELECT = re.compile(r"\{\s*([^{}]*?)\s*->\s*\n(.*?)\n\s*\}", re.S)
_FTL_VARIANT = re.compile(r"^\s*\*?\[([\w-]+)\]\s*(.*)$")


def _ftl_messages(key: str, value: str, line: int) -> list[Message]:
    select = _FTL_SELECT.search(value)
    if not select:
        return [Message(key, " ".join(value.split()), line)]
    before, after = value[: select.start()], value[select.end() :]
    out: list[Message] = []
    current: list[str] | None = None
    name = ""
    for row in select.group(2).splitlines():
        variant = _FTL_VARIANT.match(row)
        if variant:
            if current is not None:
                out.append(
                    Message(key, " ".join(f"{before}{' '.join(current)}{after}".split()), line, plural=name)
                )
            name, current = variant.group(1), [variant.group(2)]
        elif current is not None:
            current.append(row.strip())
    if current is not None:
        out.append(Message(key, " ".join(f"{before}{' '.join(current)}{after}".split()), line, plural=name))
    return out


def parse_ftl(text: str) -> Resource:
    resource = Resource(None, "fluent")
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        entry = _FTL_ENTRY.match(lines[index])
        if not entry:
            index += 1
            continue
        key, start = entry.group(1), index + 1
        pieces = [(key, [entry.group(2)], start)]
        index += 1
        while index < len(lines) and (lines[index][:1] in (" ", "\t") or not lines[index].strip()):
            if not lines[index].strip():
                # A blank line is inside the pattern only when an indented line follows it.
                following = next((row for row in lines[index:] if row.strip()), "")
                if following[:1] not in (" ", "\t"):
                    break
            attribute = _FTL_ATTRIBUTE.match(lines[index])
            if attribute:
                pieces.append((f"{key}.{attribute.group(1)}", [attribute.group(2)], index + 1))
            else:
                pieces[-1][1].append(lines[index])
            index += 1
        if key.startswith("-"):
            continue  # terms are building blocks of messages, not shown on their own
        for name, rows, line in pieces:
            value = "\n".join(rows).strip()
            if value:
                resource.messages.extend(_ftl_messages(name, value, line))
    return resource


# -- YAML and JSON (Rails, i18next, Chrome) ---------------------------------------------------------------


def _split_plural(key: str) -> tuple[str, str | None]:
    head, _, last = key.rpartition(".")
    if head and last in PLURAL_CATEGORIES:
        return head, last
    base, underscore, suffix = key.rpartition("_")
    if underscore and base and suffix in PLURAL_CATEGORIES:
        return base, suffix
    return key, None


def _yaml_messages(node: Any, prefix: str, out: list[Message]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            _yaml_messages(value_node, name, out)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _yaml_messages(item, f"{prefix}.{position}", out)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip():
        if node.tag.endswith((":bool", ":null", ":int", ":float")):
            return
        key, plural = _split_plural(prefix)
        out.append(Message(key, node.value.strip(), node.start_mark.line + 1, plural=plural))


def _locale_root(keys: list[str]) -> str | None:
    if len(keys) == 1 and _LOCALE.match(keys[0]) and _iso(keys[0]):
        return keys[0]
    return None


def parse_yaml(text: str, shown: str) -> Resource:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SourceError(shown, f"invalid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    resource = Resource(None, "yaml")
    if root is None:
        return resource
    if not isinstance(root, yaml.MappingNode):
        raise SourceError(shown, "a localization YAML file must be a mapping of keys to messages")
    keys = [str(key.value) for key, _ in root.value]
    locale = _locale_root(keys)
    if locale:
        resource.locale, root = locale, root.value[0][1]
    _yaml_messages(root, "", resource.messages)
    return resource


def _json_messages(value: Any, prefix: str, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        if isinstance(value.get("message"), str) and prefix:  # Chrome extension messages.json
            out.append((prefix, value["message"]))
            return
        for key, item in value.items():
            _json_messages(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _json_messages(item, f"{prefix}.{position}", out)
    elif isinstance(value, str) and value.strip():
        out.append((prefix, value.strip()))


def _line_finder(text: str, *, dotted: bool = True) -> Any:
    """Lines of keys, searched in file order (json keeps no positions); a dotted key by its last part."""
    position = 0

    def line_of(key: str) -> int | None:
        nonlocal position
        name = key.rsplit(".", 1)[-1] if dotted else key
        found = text.find(json.dumps(name, ensure_ascii=False), position)
        if found < 0:
            return None
        position = found + 1
        return text.count("\n", 0, found) + 1

    return line_of


def parse_json_messages(text: str, shown: str) -> Resource:
    data = parse_json(text, shown)
    if not isinstance(data, dict):
        raise SourceError(shown, "a localization JSON file must be an object of keys to messages")
    resource = Resource(None, "json")
    locale = _locale_root(list(data))
    if locale and isinstance(data[locale], dict):
        resource.locale, data = locale, data[locale]
    pairs: list[tuple[str, str]] = []
    _json_messages(data, "", pairs)
    line_of = _line_finder(text)
    for full_key, value in pairs:
        key, plural = _split_plural(full_key)
        resource.messages.append(Message(key, value, line_of(full_key), plural=plural))
    return resource


def parse_xcstrings(text: str, shown: str) -> list[Resource]:
    data = parse_json(text, shown)
    if not isinstance(data, dict) or not isinstance(data.get("strings"), dict):
        raise SourceError(shown, 'not a String Catalog (.xcstrings): no "strings" object')
    source_locale = str(data.get("sourceLanguage") or "en")
    line_of = _line_finder(text, dotted=False)
    by_locale: dict[str, Resource] = {}

    def add(locale: str, message: Message) -> None:
        resource = by_locale.setdefault(
            locale, Resource(locale, "xcstrings", source_locale=source_locale, suffix=f"#{locale}")
        )
        resource.messages.append(message)

    entries = {
        key: entry
        for key, entry in data["strings"].items()
        if isinstance(entry, dict) and entry.get("shouldTranslate") is not False
    }
    locales = sorted(
        {source_locale, *(loc for entry in entries.values() for loc in entry.get("localizations") or {})}
    )
    for key, entry in entries.items():
        line = line_of(key)
        localizations = entry.get("localizations") or {}
        source_units = _xc_units(localizations.get(source_locale, {})) or [(None, key)]
        source_text = dict(source_units)
        for locale in locales:
            units = source_units if locale == source_locale else _xc_units(localizations.get(locale, {}))
            if not units:  # not translated into this locale yet: the app shows the source text
                units = [(plural, "") for plural, _ in source_units]
            for plural, value in units:
                source = (
                    source_text.get(plural) or source_text.get("other") or next(iter(source_text.values()))
                )
                add(locale, Message(key, value, line, source, plural))
    return [by_locale[locale] for locale in sorted(by_locale)]


def _xc_units(localization: dict[str, Any]) -> list[tuple[str | None, str]]:
    unit = localization.get("stringUnit")
    if isinstance(unit, dict):
        return [(None, str(unit.get("value") or ""))]
    plural = (localization.get("variations") or {}).get("plural") or {}
    return [
        (category, str((variant.get("stringUnit") or {}).get("value") or ""))
        for category, variant in plural.items()
        if isinstance(variant, dict)
    ]


# -- Android strings.xml, iOS .strings ----------------------------------------------------------------------


def _android_text(element: Any) -> str:
    text = "".join(element.itertext()).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return " ".join(_unescape(text).split())


def parse_android(data: bytes, shown: str) -> Resource | None:
    root = _xml_root(data, shown)
    if _local(root.tag) != "resources":
        return None  # some other XML file: not a string resource
    resource = Resource(None, "android")
    for element in root:
        name, kind = element.get("name"), _local(element.tag)
        if not name or element.get("translatable") == "false":
            continue
        if kind == "string":
            resource.messages.append(Message(name, _android_text(element), element.sourceline))
        elif kind == "plurals":
            for item in element.iterchildren("{*}item", "item"):
                resource.messages.append(
                    Message(name, _android_text(item), item.sourceline, plural=item.get("quantity"))
                )
        elif kind == "string-array":
            for position, item in enumerate(element.iterchildren("{*}item", "item")):
                resource.messages.append(Message(f"{name}.{position}", _android_text(item), item.sourceline))
    return resource


_STRINGS_TOKEN = re.compile(
    r'/\*.*?\*/|//[^\n]*|(?P<key>"(?:[^"\\]|\\.)*"|[\w.-]+)\s*=\s*(?P<value>"(?:[^"\\]|\\.)*")\s*;', re.S
)


def parse_strings(text: str) -> Resource:
    resource = Resource(None, "strings")
    for match in _STRINGS_TOKEN.finditer(text):
        if match.group("key") is None:
            continue
        key = match.group("key")
        key = _unescape(key[1:-1]) if key.startswith('"') else key
        value = _unescape(match.group("value")[1:-1])
        resource.messages.append(Message(key, value, text.count("\n", 0, match.start()) + 1))
    return resource


def _decode(data: bytes, shown: str, encoding: str | None) -> str:
    if encoding is None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(
            shown, f"cannot decode as {encoding} ({exc}); re-save it as UTF-8 or set options.encoding"
        ) from None


# -- the connector ------------------------------------------------------------------------------------------


@register("l10n")
class L10nConnector(Connector):
    """Reads every localization file under the source folder (recursively, sorted), or one file."""

    Options = L10nOptions
    options: L10nOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"files": 0, "messages": 0, "locales": []})
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        files = source_files(root, SUFFIXES if root.is_dir() else None)
        if files is None:
            result.failures.append(
                self.failure(shown_root, "folder not found; check the channel's source path")
            )
            return result
        loaded: list[tuple[str, str, Resource]] = []  # (shown path, path relative to the source, resource)
        for done, path in enumerate(files, start=1):
            shown = relative(path, self.context.base_dir)
            inside = path.relative_to(root).as_posix() if root.is_dir() else path.name
            try:
                for resource in self._read(path, shown):
                    resource.locale = resource.locale or locale_of_path(inside, self.options.source_locale)
                    if not resource.locale:
                        raise SourceError(
                            shown,
                            "cannot tell the locale of this file: name it after its locale (fr.json), "
                            "put it in a locale folder (fr/), or give it a language header",
                        )
                    loaded.append((shown, inside, resource))
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
            result.stats["files"] += 1
            self.report_progress(done, len(files))
        if files and not loaded and not result.failures:
            result.failures.append(self.failure(shown_root, "no localization messages found"))
        self._fill_sources(loaded)
        fetched_at = now_iso()
        for shown, inside, resource in loaded:
            document = self._document(shown, inside, resource, fetched_at)
            if document is not None:
                result.documents.append(document)
                result.stats["messages"] += len(resource.messages)
        result.stats["locales"] = sorted({str(resource.locale) for _, _, resource in loaded})
        return result

    def _read(self, path: Path, shown: str) -> list[Resource]:
        suffix = path.suffix.lower()
        data = read_bytes(path, shown)
        if suffix in (".xlf", ".xliff"):
            return parse_xliff(data, shown)
        if suffix == ".xml":
            android = parse_android(data, shown)
            return [android] if android is not None else []
        text = _decode(data, shown, self.options.encoding)
        if suffix == ".po":
            return [parse_po(text, shown)]
        if suffix == ".ftl":
            return [parse_ftl(text)]
        if suffix in (".yml", ".yaml"):
            return [parse_yaml(text, shown)]
        if suffix == ".xcstrings":
            return parse_xcstrings(text, shown)
        if suffix == ".strings":
            return [parse_strings(text)]
        return [parse_json_messages(text, shown)]

    def _fill_sources(self, loaded: list[tuple[str, str, Resource]]) -> None:
        """Key-value formats do not carry the source text: take it from the source locale's file."""
        wanted = self.options.source_locale.replace("_", "-").lower()
        sources: dict[str, dict[str, str]] = {}
        for _, inside, resource in loaded:
            locale = (resource.locale or "").replace("_", "-").lower()
            if locale == wanted or locale.split("-")[0] == wanted:
                table = sources.setdefault(version_key(inside), {})
                for message in resource.messages:
                    table.setdefault(message.section, message.text)
        for _, inside, resource in loaded:
            resource.source_locale = resource.source_locale or self.options.source_locale
            table = sources.get(version_key(inside), {})
            for message in resource.messages:
                if message.source is None:
                    message.source = table.get(message.section)

    def _document(self, shown: str, inside: str, resource: Resource, fetched_at: str) -> Document | None:
        from ..extract.language import base_language

        uri = shown + resource.suffix
        blocks = tuple(
            TextBlock(message.text, "main", Location(uri, message.line, section=message.section))
            for message in resource.messages
            if message.text.strip()
        )
        locale = str(resource.locale)
        key = inside if resource.suffix else version_key(inside)
        return Document(
            channel_id=self.channel.id,
            channel_type=self.channel.type,
            uri=uri,
            title=f"{Path(shown).name} ({locale})",
            blocks=blocks,
            language=self.channel.language or base_language(locale),
            fetched_at=fetched_at,
            metadata={
                "format": resource.fmt,
                "locale": locale,
                "version_key": f"l10n:{key}",
                "l10n": {
                    "locale": locale,
                    "source_locale": resource.source_locale,
                    "messages": [
                        {
                            "key": m.section,
                            "text": m.text,
                            "source": m.source,
                            "line": m.line,
                            "fuzzy": m.fuzzy,
                        }
                        for m in resource.messages
                    ],
                },
            },
        )
