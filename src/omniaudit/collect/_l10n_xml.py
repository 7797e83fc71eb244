"""XML catalogue formats of the `l10n` connector: XLIFF 1.2 / 2.0 and Android `strings.xml`.

XLIFF (OASIS XLIFF 1.2 and 2.0): `<source>` is the source language's text, `<target>` the translation. A
`<file>` with targets (or a declared target language) is a document in the target language that keeps each
message's source text; a `<file>` with sources only (an extraction template) is a document in the source
language. Each `<file>` is its own document, named by its `original` (1.2) or `id` (2.0) when a file holds
several. Languages: `source-language` / `target-language` on `<file>` (1.2), `srcLang` / `trgLang` on
`<xliff>` (2.0). Units marked `translate="no"` are skipped. Inline codes: a standalone code (`<x/>`, `<ph>`)
stands for a run-time value and becomes the neutral placeholder unless it stands for markup (its `equiv-text`
is a tag, Angular's `START_`/`CLOSE_` ids); paired codes (`<g>`, `<pc>`, `<mrk>`) keep their text; the native
markup of `<bpt>`/`<ept>`/`<it>` and the boundaries `<bx/>`/`<ex/>`/`<sc/>`/`<ec/>` are dropped; `<cp hex>` is
its character. The raw text shows codes as the app writes them (their `equiv-text`, `disp`, or `{id}`).

Android (`res/values*/strings.xml`): `<string>`, `<plurals>` (one message, see `_l10n_model`) and
`<string-array>` (`name.0`, `name.1`...); `translatable="false"` is skipped; unescaped double quotes are
removed (they only protect whitespace), `\\'`, `\\"`, `\\n`, `\\t`, `\\@`, `\\?`, `\\uXXXX` unescaped; CDATA,
`<b>`/`<xliff:g>` children and escaped `&lt;a href>` markup come out as text (markup flattened later); a
`@string/name` value is that string's text. Other `<resources>` (colours, dimensions) and other XML files
(layouts, manifests) are not catalogues.
"""

from __future__ import annotations

from typing import Any

from ..errors import SourceError
from ..placeholders import PLACEHOLDER
from ._l10n_model import Message, NotACatalogue, Resource, plural_message


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xml_root(data: bytes, shown: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        # lxml appends ", line L, column C" on a second line to some messages: a failure is one line.
        problem = exc.msg.split("\n", 1)[0]
        raise SourceError(shown, f"invalid XML at line {exc.position[0]}: {problem}") from None


def parse_xml(data: bytes, shown: str) -> list[Resource]:
    """An `.xml` file: Android string resources, XLIFF under another extension, or not a catalogue."""
    root = xml_root(data, shown)
    name = _local(root.tag)
    if name == "xliff":
        return xliff_resources(root)
    if name != "resources":
        raise NotACatalogue(f"not a string resource or XLIFF file (root element <{name}>)")
    return [android_resource(root)]


# -- XLIFF ------------------------------------------------------------------------------------------------

_VALUE_CODES = frozenset({"x", "ph"})
_DROPPED_CODES = frozenset({"bx", "ex", "sc", "ec", "sm", "em", "bpt", "ept", "it"})
_NATIVE_CODES = frozenset({"bpt", "ept", "it", "ph"})  # 1.2 codes whose content is the native markup


def _shown(code: Any) -> str:
    if _local(code.tag) in _NATIVE_CODES and "".join(code.itertext()):
        return "".join(code.itertext())
    return str(code.get("equiv-text") or code.get("equiv") or code.get("disp") or "")


def _is_markup(code: Any) -> bool:
    shown = _shown(code).lstrip()
    ident = str(code.get("id") or "")
    return shown.startswith("<") or ident.startswith(("START_", "CLOSE_")) or ident in ("LINE_BREAK", "lb")


def inline_text(element: Any, *, raw: bool) -> str:
    """A `<source>`/`<target>` as text: raw (codes as written) or plain (see the module doc)."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name in _VALUE_CODES:
            if raw:
                parts.append(_shown(child) or f"{{{child.get('id', name)}}}")
            elif _is_markup(child):
                parts.append(" " if "br" in _shown(child).lower() or child.get("id") == "LINE_BREAK" else "")
            else:
                parts.append(PLACEHOLDER)
        elif name in _DROPPED_CODES:
            if raw:
                parts.append(_shown(child))
        elif name == "cp":
            try:
                parts.append(chr(int(str(child.get("hex")), 16)))
            except ValueError:
                pass
        elif name:
            parts.append(inline_text(child, raw=raw))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _file_names(files: list[Any]) -> list[str]:
    """A distinct name per `<file>`: its `original` (1.2) or `id` (2.0), else its position."""
    names: list[str] = []
    for position, file in enumerate(files, start=1):
        name = str(file.get("original") or file.get("id") or f"file{position}")
        names.append(name if name not in names else f"{name}#{position}")
    return names


def xliff_resources(root: Any) -> list[Resource]:
    version = str(root.get("version", "1.2"))
    two = version.startswith("2")
    files = [child for child in root if _local(child.tag) == "file"]
    names = _file_names(files)
    resources: list[Resource] = []
    for file, name in zip(files, names, strict=True):
        if two:
            source_lang, target_lang = root.get("srcLang"), root.get("trgLang")
            units = [(unit, _units2(unit)) for unit in file.iter("{*}unit")]
        else:
            source_lang, target_lang = file.get("source-language"), file.get("target-language")
            units = [(unit, _units12(unit)) for unit in file.iter("{*}trans-unit")]
        units = [(unit, pair) for unit, pair in units if unit.get("translate") not in ("no", "false")]
        bilingual = target_lang is not None or any(target for _, (_, target) in units)
        resource = Resource(
            target_lang if bilingual else source_lang,
            "xliff2" if two else "xliff",
            source_locale=source_lang,
            source_only=not bilingual,
        )
        if len(files) > 1:
            resource.fragment, resource.unit = f"#{name}", name
        for unit, (sources, targets) in units:
            key = str(unit.get("resname") or unit.get("name") or unit.get("id") or "")
            shown = targets if bilingual else sources
            line = (shown[0] if shown else unit).sourceline
            message = Message(
                key,
                " ".join(inline_text(part, raw=True) for part in shown).strip(),
                line,
                plain=" ".join(inline_text(part, raw=False) for part in shown).strip(),
            )
            if bilingual:
                message.source = " ".join(inline_text(part, raw=True) for part in sources).strip()
                message.source_plain = " ".join(inline_text(part, raw=False) for part in sources).strip()
                message.fuzzy = any(
                    str(part.get("state") or "").startswith(("needs-", "new")) for part in targets
                )
            resource.messages.append(message)
        resources.append(resource)
    if not resources:
        raise NotACatalogue("an XLIFF file without <file> elements")
    return resources


def _units12(unit: Any) -> tuple[list[Any], list[Any]]:
    source = next(unit.iterchildren("{*}source"), None)
    target = next(unit.iterchildren("{*}target"), None)
    return ([source] if source is not None else []), ([target] if target is not None else [])


def _units2(unit: Any) -> tuple[list[Any], list[Any]]:
    """The sources and targets of a 2.0 unit's segments and ignorables, in order."""
    sources, targets = [], []
    for part in unit:
        if _local(part.tag) not in ("segment", "ignorable"):
            continue
        source = next(part.iterchildren("{*}source"), None)
        target = next(part.iterchildren("{*}target"), None)
        if source is not None:
            sources.append(source)
        if target is not None:
            targets.append(target)
    return sources, targets


# -- Android ----------------------------------------------------------------------------------------------

_ANDROID_ESCAPES = {"n": "\n", "t": "\t"}


def android_unescape(text: str) -> str:
    """Android's string syntax: escapes undone, unescaped quotes removed, whitespace outside quotes
    collapsed."""
    out: list[str] = []
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            code = text[index + 1]
            if code == "u" and index + 6 <= len(text):
                try:
                    out.append(chr(int(text[index + 2 : index + 6], 16)))
                    index += 6
                    continue
                except ValueError:
                    pass
            out.append(_ANDROID_ESCAPES.get(code, code))
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char.isspace() and not quoted:
            if not out or out[-1] != " ":
                out.append(" ")
        else:
            out.append(char)
        index += 1
    return "".join(out).strip(" ")


def _android_text(element: Any) -> str:
    return android_unescape("".join(element.itertext()))


def android_resource(root: Any) -> Resource:
    resource = Resource(None, "android")
    strings: dict[str, str] = {}
    for element in root:
        name, kind = element.get("name"), _local(element.tag)
        if not name or element.get("translatable") == "false":
            continue
        if kind == "string":
            message = Message(name, _android_text(element), element.sourceline)
            strings.setdefault(name, message.raw)
        elif kind == "plurals":
            items = [item for item in element if _local(item.tag) == "item"]
            forms = {str(item.get("quantity")): (_android_text(item), item.sourceline) for item in items}
            if not forms:
                continue
            message = plural_message(name, forms)
        elif kind == "string-array":
            items = [item for item in element if _local(item.tag) == "item"]
            for position, item in enumerate(items):
                resource.messages.append(Message(f"{name}.{position}", _android_text(item), item.sourceline))
            continue
        else:
            continue
        resource.messages.append(message)
    if not resource.messages:
        raise NotACatalogue("no <string>, <plurals> or <string-array> in these resources")
    for message in resource.messages:
        if message.raw.startswith("@string/"):  # a reference to another string of the app
            message.raw = strings.get(message.raw[len("@string/") :], "")
    return resource
