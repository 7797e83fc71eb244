"""Text catalogue formats of the `l10n` connector: key-value trees, gettext, Fluent and Apple's files.

- Rails / i18next / go-i18n YAML and JSON, Flutter ARB, Hugo i18n TOML (`parse_tree`): nested keys joined by
  dots. A root key that is a locale (`en:`) is the file's locale and not part of the keys; a root of several
  locales makes one resource per locale. A mapping of plural categories (`one:`/`other:`, go-i18n's
  `description` beside them) is one plural message; i18next's `key_one`/`key_other` siblings too. Chrome /
  WebExtension `messages.json` entries (`{"message", "description", "placeholders"}`) give their `message`,
  `$name$` slots neutral; go-i18n v1 lists (`[{"id", "translation"}]`) their `translation`. Keys starting
  with `@` are metadata (ARB's `@key`, `@@locale`); booleans, numbers and Ruby symbols (`:year`) are
  settings, not text.
- gettext `.po` / `.pot` with `polib`: `msgctxt|msgid` keys, the `Language` header, plural forms as one
  message (the last form, `msgid_plural` as its source), fuzzy entries flagged, obsolete ones (`#~`) skipped.
- Fluent `.ftl` with `fluent.syntax`: messages and `message.attribute`s; terms are not messages but their
  references (`{ -brand }`, also across the files of one locale) read as the term's value; select expressions
  keep their default variant (each variant recorded), a parameterised term its matching one; variables and
  functions become the neutral placeholder.
- iOS `.strings` (comments, escapes, UTF-16) and String Catalogs `.xcstrings` (one resource per locale).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from ..errors import SourceError
from ..placeholders import PLACEHOLDER
from ._files import parse_json
from ._l10n_model import (
    PLURAL_CATEGORIES,
    Message,
    NotACatalogue,
    Resource,
    group_plurals,
    locale_code,
    pick_variant,
    plural_message,
)

LineOf = Callable[[str], "int | None"]

# Beside the forms of a go-i18n plural table: what the translator is told, not what the user sees.
_PLURAL_COMPANIONS = frozenset({"description", "hash", "comment", "context"})
_CHROME_FIELDS = frozenset({"message", "description", "placeholders"})
_CHROME_SLOT = re.compile(r"\$\$|\$[A-Za-z0-9_@]+\$|\$\d")  # `$$` is a literal dollar
_RUBY_SYMBOL = re.compile(r"^:[A-Za-z_]\w*$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "?": "?", "@": "@"}


def unescape(text: str) -> str:
    """C-style escapes (`\\n`, `\\"`, `\\'`, `\\u00e9`) as the characters they stand for."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return re.sub(r"\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|.)", one, text, flags=re.S)


# -- key-value trees: YAML, JSON, ARB, TOML ---------------------------------------------------------------


def _plural_forms(mapping: dict[str, Any]) -> bool:
    keys = set(mapping)
    forms = keys & PLURAL_CATEGORIES
    return "other" in forms and keys <= PLURAL_CATEGORIES | _PLURAL_COMPANIONS


def _suffix_plural(key: str) -> tuple[str, str | None]:
    base, underscore, suffix = key.rpartition("_")
    if underscore and base and suffix in PLURAL_CATEGORIES:
        return base, suffix
    return key, None


def _leaf(key: str, value: str, line: int | None, out: list[Message]) -> None:
    value = value.strip()
    if not value or _RUBY_SYMBOL.match(value):
        return
    base, plural = _suffix_plural(key)
    out.append(Message(base, value, line, plural=plural, written_key=key))


def _walk(value: Any, prefix: str, out: list[Message], line_of: LineOf) -> None:
    """Messages of a parsed JSON/TOML tree; `line_of(dotted key)` finds a key's line."""
    if isinstance(value, dict):
        if prefix and isinstance(value.get("message"), str) and set(value) <= _CHROME_FIELDS:
            plain = _CHROME_SLOT.sub(lambda m: "$" if m.group(0) == "$$" else PLACEHOLDER, value["message"])
            message = Message(prefix, value["message"].strip(), line_of(prefix), plain=plain.strip())
            out.append(message)
            return
        if prefix and _plural_forms(value) and all(isinstance(value[k], str) for k in value):
            forms = {
                k: (str(v), line_of(f"{prefix}.{k}")) for k, v in value.items() if k in PLURAL_CATEGORIES
            }
            out.append(plural_message(prefix, forms))
            return
        for key, item in value.items():
            if str(key).startswith("@"):
                continue  # ARB metadata (`@key`, `@@locale`)
            _walk(item, f"{prefix}.{key}" if prefix else str(key), out, line_of)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _walk(item, f"{prefix}.{position}", out, line_of)
    elif isinstance(value, str):
        _leaf(prefix, value, line_of(prefix), out)


def _python_tagged(node: Any) -> bool:
    # `!!python/object...` asks a YAML loader to build (or call) Python objects: never read as text.
    return "python/" in str(getattr(node, "tag", "") or "")


def _python_tags(node: Any) -> list[str]:
    """Every Python-tagged value in a YAML tree, as "!!python/... at line N"."""
    if _python_tagged(node):
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        return [f"{tag} at line {node.start_mark.line + 1}"]
    if isinstance(node, yaml.MappingNode):
        return [found for pair in node.value for item in pair for found in _python_tags(item)]
    if isinstance(node, yaml.SequenceNode):
        return [found for item in node.value for found in _python_tags(item)]
    return []


def _untagged(node: Any) -> Any:
    """The YAML tree without its Python-tagged values (None when the node itself is one)."""
    if _python_tagged(node):
        return None
    if isinstance(node, yaml.MappingNode):
        pairs = [(key, _untagged(value)) for key, value in node.value if not _python_tagged(key)]
        kept = [(key, value) for key, value in pairs if value is not None]
        return yaml.MappingNode(node.tag, kept, node.start_mark, node.end_mark)
    if isinstance(node, yaml.SequenceNode):
        items = [item for item in (_untagged(item) for item in node.value) if item is not None]
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark)
    return node


def _yaml_walk(node: Any, prefix: str, out: list[Message]) -> None:
    """Like `_walk`, over YAML nodes, which keep each value's line."""
    if _python_tagged(node):
        return
    if isinstance(node, yaml.MappingNode):
        pairs: list[tuple[str, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag.endswith(":merge") or key_node.value == "<<":
                merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for item in merged:
                    if isinstance(item, yaml.MappingNode):
                        pairs.extend((str(k.value), v) for k, v in item.value)
                continue
            pairs.append((str(key_node.value), value_node))
        names = {name: value for name, value in pairs}
        if (
            prefix
            and _plural_forms(names)
            and all(isinstance(value, yaml.ScalarNode) for value in names.values())
        ):
            forms = {
                name: (str(value.value), value.start_mark.line + 1)
                for name, value in pairs
                if name in PLURAL_CATEGORIES
            }
            out.append(plural_message(prefix, forms))
            return
        for name, value in pairs:
            _yaml_walk(value, f"{prefix}.{name}" if prefix else name, out)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _yaml_walk(item, f"{prefix}.{position}", out)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        if node.tag.endswith((":bool", ":null", ":int", ":float", ":timestamp")):
            return
        _leaf(prefix, node.value, node.start_mark.line + 1, out)


def _roots(keys: list[str], values: list[Any], mapping: Callable[[Any], bool]) -> bool:
    """True when every root key is a locale holding a mapping: a file of one or several locales."""
    return bool(keys) and all(
        locale_code(k) is not None and mapping(v) for k, v in zip(keys, values, strict=True)
    )


def _resources(fmt: str, parts: list[tuple[str | None, list[Message]]]) -> list[Resource]:
    several = len(parts) > 1
    resources = []
    for locale, messages in parts:
        resource = Resource(locale, fmt, group_plurals(messages))
        if several and locale:
            resource.fragment = f"#{locale}"
        resources.append(resource)
    if not any(resource.messages for resource in resources):
        raise NotACatalogue("no text messages in it")
    return resources


def parse_yaml(text: str, shown: str, warn: Callable[[str], None] | None = None) -> list[Resource]:
    """The file's messages; `warn` hears about values left unread (Python-tagged ones)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = str(getattr(exc, "problem", None) or exc).split("\n", 1)[0]  # one line: a NUL byte's is two
        raise SourceError(shown, f"invalid YAML{where}: {problem}") from None
    if root is None:
        raise NotACatalogue("empty")
    tagged = _python_tags(root)
    if tagged and warn is not None:
        more = f" and {len(tagged) - 1} more" if len(tagged) > 1 else ""
        warn(
            f"a value with a Python tag ({tagged[0]}{more}) is not read: omniaudit never builds Python "
            "objects from YAML; remove the tag to audit that text"
        )
    if isinstance(root, yaml.SequenceNode):
        # safe_load refuses a whole file for one tag: the rest is read, as in the mappings below.
        data = yaml.safe_load(yaml.serialize(_untagged(root)) if tagged else text)
        return _resources("yaml", [(None, _id_list(data))])
    if not isinstance(root, yaml.MappingNode):
        raise NotACatalogue("not a mapping of keys to messages")
    keys = [str(key.value) for key, _ in root.value]
    values = [value for _, value in root.value]
    parts: list[tuple[str | None, list[Message]]] = []
    if _roots(keys, values, lambda node: isinstance(node, yaml.MappingNode)):
        for key, value in zip(keys, values, strict=True):
            messages: list[Message] = []
            _yaml_walk(value, "", messages)
            parts.append((key, messages))
    else:
        messages = []
        _yaml_walk(root, "", messages)
        parts.append((None, messages))
    return _resources("yaml", parts)


def _id_list(data: Any) -> list[Message]:
    """go-i18n v1: a list of `{id, translation}` (the translation a string or plural forms)."""
    out: list[Message] = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict) or "id" not in item:
            raise NotACatalogue("a list, but not of {id, translation} messages")
        value = item.get("translation")
        if isinstance(value, dict) and value:
            forms = {str(k): (str(v), None) for k, v in value.items() if isinstance(v, str)}
            if forms:
                out.append(plural_message(str(item["id"]), forms))
        elif isinstance(value, str):
            _leaf(str(item["id"]), value, None, out)
    return out


def json_line_finder(text: str, *, dotted: bool = True) -> LineOf:
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


def parse_json_catalogue(text: str, shown: str) -> list[Resource]:
    data = parse_json(text, shown)
    if isinstance(data, list):
        return _resources("json", [(None, _id_list(data))])
    if not isinstance(data, dict):
        raise NotACatalogue("not an object of keys to messages")
    fmt = "arb" if any(str(key).startswith("@") for key in data) else "json"
    declared = data.get("@@locale")
    parts: list[tuple[str | None, list[Message]]] = []
    if _roots(list(data), list(data.values()), lambda value: isinstance(value, dict)):
        for key, value in data.items():
            messages: list[Message] = []
            _walk(value, "", messages, json_line_finder(text))
            parts.append((key, messages))
    else:
        messages = []
        _walk(data, "", messages, json_line_finder(text))
        parts.append((str(declared) if isinstance(declared, str) else None, messages))
    resources = _resources(fmt, parts)
    if all(
        isinstance(value, dict) and "message" in value
        for key, value in data.items()
        if not key.startswith("@")
    ):
        for resource in resources:
            resource.fmt = "webextension"
    return resources


_TOML_TABLE = re.compile(r"""^\s*\[\s*(?:"([^"]+)"|'([^']+)'|([^\]]+?))\s*\]\s*(?:#.*)?$""")
_TOML_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([\w.-]+))\s*=""")


def _toml_lines(text: str) -> dict[str, int]:
    """Dotted key -> line, for the `[table]` / `key = value` layout of i18n files."""
    lines: dict[str, int] = {}
    table = ""
    for number, row in enumerate(text.splitlines(), start=1):
        header = _TOML_TABLE.match(row)
        if header:
            table = next(group for group in header.groups() if group is not None)
            lines.setdefault(table, number)
            continue
        key = _TOML_KEY.match(row)
        if key:
            name = next(group for group in key.groups() if group is not None)
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def parse_toml(text: str, shown: str) -> list[Resource]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(shown, f"invalid TOML: {exc}") from None
    lines = _toml_lines(text)
    messages: list[Message] = []
    _walk(data, "", messages, lines.get)
    return _resources("toml", [(None, messages)])


# -- gettext --------------------------------------------------------------------------------------------

_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def parse_po(text: str, shown: str, *, template: bool = False) -> Resource:
    import polib

    try:
        catalogue = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        where = _POLIB_LINE.search(str(exc))
        at = f"line {where.group(1)}: " if where else ""
        raise SourceError(shown, f"{at}not gettext PO syntax ({exc})") from None
    rows = text.splitlines()
    resource = Resource(None, "pot" if template else "po", source_only=template)
    language = str(catalogue.metadata.get("Language") or "").strip()
    resource.locale = language.replace("_", "-") or None
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid
        line = _msgid_line(rows, entry.linenum)
        if entry.msgid_plural:
            forms = {str(slot): (value, line) for slot, value in sorted(entry.msgstr_plural.items())}
            if template or not any(value for value, _ in forms.values()):
                message = Message(key, "", line, source=entry.msgid_plural, fuzzy=entry.fuzzy)
            else:
                message = plural_message(key, forms, source=entry.msgid_plural, fuzzy=entry.fuzzy)
        else:
            message = Message(key, entry.msgstr, line, source=entry.msgid, fuzzy=entry.fuzzy)
        if template:  # a template's only text is its msgids
            message.raw, message.source = message.source or "", None
        resource.messages.append(message)
    return resource


def _msgid_line(rows: list[str], start: int) -> int:
    """The line of an entry's `msgid` (polib gives the entry's first line: a comment or msgctxt)."""
    for number in range(max(start, 1), len(rows) + 1):
        if rows[number - 1].lstrip().startswith("msgid"):
            return number
    return start


# -- Fluent -------------------------------------------------------------------------------------------------


def parse_ftl(text: str) -> Resource:
    """The parsed file; its messages are rendered by `render_fluent` once the locale's terms are known."""
    from fluent.syntax import FluentParser

    parsed = FluentParser(with_spans=True).parse(text)
    resource = Resource(None, "fluent")
    resource.fluent = (parsed, text)
    return resource


def render_fluent(resources: list[Resource]) -> None:
    """Messages of the Fluent resources of one locale, terms and messages referenced across its files."""
    from fluent.syntax import ast

    terms: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    for resource in resources:
        parsed, _ = resource.fluent
        for entry in parsed.body:
            if isinstance(entry, ast.Term):
                terms.setdefault(entry.id.name, entry)
            elif isinstance(entry, ast.Message):
                entries.setdefault(entry.id.name, entry)
    renderer = _FluentRenderer(terms, entries)
    for resource in resources:
        parsed, text = resource.fluent
        for entry in parsed.body:
            if not isinstance(entry, ast.Message):
                continue  # terms are building blocks of messages; comments and junk say nothing
            patterns = [(entry.id.name, entry.value, entry.id)]
            patterns += [(f"{entry.id.name}.{a.id.name}", a.value, a.id) for a in entry.attributes]
            for key, pattern, ident in patterns:
                if pattern is None:
                    continue
                span, at = pattern.span, ident.span  # always set: the parser runs with spans
                raw = text[span.start : span.end].strip() if span else ""
                line = text.count("\n", 0, at.start) + 1 if at else None
                message = Message(key, raw, line, plain=renderer.pattern(pattern, {}, 0, {}))
                select = renderer.first_select(pattern)
                if select is not None:
                    message.variants = {
                        renderer.variant_name(variant): renderer.pattern(
                            pattern, {}, 0, {id(select): variant}
                        )
                        for variant in select.variants
                    }
                resource.messages.append(message)


class _FluentRenderer:
    """Fluent patterns as text: references resolved, default variants, variables as the placeholder."""

    MAX_DEPTH = 10  # a reference cycle is an error in the file; stop instead of recursing for ever

    def __init__(self, terms: dict[str, Any], messages: dict[str, Any]) -> None:
        self.terms = terms
        self.messages = messages

    def first_select(self, pattern: Any) -> Any:
        from fluent.syntax import ast

        for element in pattern.elements:
            if isinstance(element, ast.Placeable) and isinstance(element.expression, ast.SelectExpression):
                return element.expression
        return None

    @staticmethod
    def variant_name(variant: Any) -> str:
        key = variant.key
        return str(getattr(key, "name", None) or getattr(key, "value", ""))

    def pattern(self, pattern: Any, args: dict[str, str], depth: int, forced: dict[int, Any]) -> str:
        from fluent.syntax import ast

        parts = []
        for element in pattern.elements:
            if isinstance(element, ast.TextElement):
                parts.append(element.value)
            else:
                parts.append(self.expression(element.expression, args, depth, forced))
        return "".join(parts)

    def expression(self, node: Any, args: dict[str, str], depth: int, forced: dict[int, Any]) -> str:
        from fluent.syntax import ast

        if depth > self.MAX_DEPTH:
            return PLACEHOLDER
        if isinstance(node, ast.StringLiteral):
            return str(node.parse()["value"])
        if isinstance(node, ast.NumberLiteral):
            return str(node.value)
        if isinstance(node, ast.VariableReference):
            return args.get(node.id.name, PLACEHOLDER)
        if isinstance(node, ast.Placeable):
            return self.expression(node.expression, args, depth, forced)
        if isinstance(node, ast.SelectExpression):
            variant = forced.get(id(node)) or self._select(node, args, depth)
            return self.pattern(variant.value, args, depth, forced)
        if isinstance(node, (ast.TermReference, ast.MessageReference)):
            table = self.terms if isinstance(node, ast.TermReference) else self.messages
            target = table.get(node.id.name)
            if target is None:
                return PLACEHOLDER
            pattern = target.value
            if node.attribute is not None:
                pattern = next((a.value for a in target.attributes if a.id.name == node.attribute.name), None)
            if pattern is None:
                return PLACEHOLDER
            # A parameterised term (`{ -brand(case: "genitive") }`) sees only its own arguments.
            named = {}
            if isinstance(node, ast.TermReference) and node.arguments is not None:
                named = {
                    arg.name.name: self.expression(arg.value, args, depth + 1, {})
                    for arg in node.arguments.named
                }
            return self.pattern(pattern, named, depth + 1, {})
        return PLACEHOLDER  # functions (NUMBER, DATETIME) format a run-time value

    def _select(self, node: Any, args: dict[str, str], depth: int) -> Any:
        from fluent.syntax import ast

        default = next(variant for variant in node.variants if variant.default)
        selector = node.selector
        known: str | None = None
        if isinstance(selector, ast.VariableReference) and selector.id.name in args:
            known = args[selector.id.name]
        elif isinstance(selector, ast.TermReference) and selector.attribute is not None:
            # `{ -brand.gender -> ... }`: the term's attribute decides, and it is known
            known = self.expression(selector, args, depth + 1, {})
        elif isinstance(selector, ast.StringLiteral):
            known = str(selector.parse()["value"])
        if known is not None:
            for variant in node.variants:
                if self.variant_name(variant) == known:
                    return variant
        return default


# -- Apple ----------------------------------------------------------------------------------------------

_STRINGS_TOKEN = re.compile(
    r'/\*.*?\*/|//[^\n]*|(?P<key>"(?:[^"\\]|\\.)*"|[\w.-]+)\s*=\s*(?P<value>"(?:[^"\\]|\\.)*")\s*;', re.S
)


def parse_strings(text: str) -> Resource:
    resource = Resource(None, "strings")
    for match in _STRINGS_TOKEN.finditer(text):
        if match.group("key") is None:
            continue
        key = match.group("key")
        key = unescape(key[1:-1]) if key.startswith('"') else key
        value = unescape(match.group("value")[1:-1])
        resource.messages.append(Message(key, value, text.count("\n", 0, match.start()) + 1))
    if not resource.messages:
        raise NotACatalogue('no "key" = "value"; pairs in it')
    return resource


def parse_xcstrings(text: str, shown: str) -> list[Resource]:
    data = parse_json(text, shown)
    if not isinstance(data, dict) or not isinstance(data.get("strings"), dict):
        raise SourceError(shown, 'not a String Catalog (.xcstrings): no "strings" object')
    source_locale = str(data.get("sourceLanguage") or "en")
    line_of = json_line_finder(text, dotted=False)
    by_locale: dict[str, Resource] = {}
    entries = {
        key: entry
        for key, entry in data["strings"].items()
        if isinstance(entry, dict) and entry.get("shouldTranslate") is not False
    }
    locales = sorted(
        {source_locale, *(loc for entry in entries.values() for loc in entry.get("localizations") or {})}
    )
    for locale in locales:
        by_locale[locale] = Resource(locale, "xcstrings", source_locale=source_locale, fragment=f"#{locale}")
    for key, entry in entries.items():
        line = line_of(key)
        localizations = entry.get("localizations") or {}
        source_forms = _xc_forms(localizations.get(source_locale, {})) or {"": key}
        source = source_forms[pick_variant(source_forms)]
        for locale in locales:
            forms = source_forms if locale == source_locale else _xc_forms(localizations.get(locale, {}))
            if not forms:  # not translated into this locale yet: the app shows the source text
                message = Message(key, "", line, source)
            elif list(forms) == [""]:
                message = Message(key, forms[""], line, source)
            else:
                message = plural_message(key, {k: (v, line) for k, v in forms.items()}, source=source)
            by_locale[locale].messages.append(message)
    return [by_locale[locale] for locale in sorted(by_locale)]


def _xc_forms(localization: dict[str, Any]) -> dict[str, str]:
    unit = localization.get("stringUnit")
    if isinstance(unit, dict):
        return {"": str(unit.get("value") or "")}
    plural = (localization.get("variations") or {}).get("plural") or {}
    return {
        category: str((variant.get("stringUnit") or {}).get("value") or "")
        for category, variant in plural.items()
        if isinstance(variant, dict)
    }
