"""The records the `l10n` parsers share, and the text rules every catalogue format goes through.

A parser turns one file into `Resource`s of `Message`s: the key, the text as the file gives it (`raw`, with
the format's own escapes undone) and, where the format has its own slot syntax (Fluent, XLIFF inline codes,
Chrome `$name$`), the text with those slots already resolved (`plain`). `finish_message` then makes the one
text analysis reads:

- ICU MessageFormat plurals and selects (`{count, plural, one {# item} other {# items}}`) keep their `other`
  branch (else the last), `#` becoming the neutral placeholder, the branches recorded as variants;
- `omniaudit.placeholders.clean_string`: run-time slots (`%{x}`, `%1$s`, `{{x}}`...) become `PLACEHOLDER`,
  inline HTML is flattened and entities decoded.

Plural forms are one message, not one per category: an app shows one of them at a time, and counting each
would weigh a plural message two to six times. The text kept is the `other` form (CLDR's general case, present
in every language), else the last; all forms stay in `variants`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..placeholders import PLACEHOLDER, clean_string

PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
# A language (ISO 639-1), an optional script and an optional region: fr, fr-FR, pt_BR, zh-Hans-CN, es-419.
_LOCALE = re.compile(r"^([a-z]{2})(?:[-_]([A-Z][a-z]{3}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$")


def locale_code(part: str) -> str | None:
    """The locale a key, file name part or folder names ("pt_BR" -> "pt-BR"), or None ("js", "views")."""
    from ..analyze.versions import locale_of_part

    match = _LOCALE.match(part)
    if match is None or locale_of_part(match.group(1)) is None:
        return None
    return "-".join(group for group in match.groups() if group)


class NotACatalogue(Exception):
    """A file with a catalogue's extension that holds no messages (a layout XML, a tool's config): it is
    skipped and counted, not a failure."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Message:
    key: str
    raw: str  # as the file gives it, the format's escapes undone: what a quote shows
    line: int | None = None
    source: str | None = None  # the source-language text, when the file carries it (po, XLIFF, xcstrings)
    fuzzy: bool = False
    # Plural category read from a key suffix (`items_one`): grouped with its siblings by `group_plurals`.
    plural: str | None = None
    written_key: str | None = None  # the key as written, kept if the suffix turns out not to be a plural
    variants: dict[str, str] = field(default_factory=dict)  # plural / select form -> its raw text
    plain: str | None = None  # the text with the format's own slots resolved (Fluent, XLIFF, Chrome)
    source_plain: str | None = None
    text: str = ""  # what analysis reads (`finish_message`)
    source_text: str | None = None


@dataclass
class Resource:
    locale: str | None
    fmt: str
    messages: list[Message] = field(default_factory=list)
    source_locale: str | None = None
    fragment: str = ""  # "#..." after the uri when one file holds several documents (locales, <file>s)
    unit: str = ""  # what tells the documents of one file apart in every locale (an XLIFF <file>)
    source_only: bool = False  # a template (.pot, XLIFF without targets): written in the source locale
    fluent: Any = None  # the parsed Fluent file: rendered once every file of its locale is known


def pick_variant(variants: Mapping[str, Any]) -> str:
    """The form analysis reads: `other`, else the last one."""
    return "other" if "other" in variants else list(variants)[-1]


def plural_message(
    key: str, forms: Mapping[str, tuple[str, int | None]], *, source: str | None = None, fuzzy: bool = False
) -> Message:
    """One message for a plural: the `other` form's text and line, every form in `variants`."""
    chosen = pick_variant(forms)
    text, line = forms[chosen]
    return Message(
        key,
        text,
        line,
        source=source,
        fuzzy=fuzzy,
        variants={name: value for name, (value, _) in forms.items()},
    )


def group_plurals(messages: list[Message]) -> list[Message]:
    """Messages whose key suffix names a plural category (`items_one`, `items_other`) as one message each.

    A lone `step_one` without siblings is a key that happens to end in a number word, not a plural form.
    """
    groups: dict[str, list[Message]] = {}
    for message in messages:
        if message.plural is not None:
            groups.setdefault(message.key, []).append(message)
    out: list[Message] = []
    done: set[str] = set()
    for message in messages:
        if message.plural is None:
            out.append(message)
            continue
        group = groups[message.key]
        if len(group) < 2 and message.plural != "other":
            message.key, message.plural = message.written_key or message.key, None
            out.append(message)
            continue
        if message.key in done:
            continue
        done.add(message.key)
        forms = {str(item.plural): (item.raw, item.line) for item in group}
        out.append(plural_message(message.key, forms))
    return out


# -- ICU MessageFormat -----------------------------------------------------------------------------------

_ICU_HEAD = re.compile(r"\{\s*[\w.-]+\s*,\s*(plural|selectordinal|select)\s*,", re.I)
_ICU_SELECTOR = re.compile(r"\s*(?:offset:\s*\d+\s*)?(=\d+|[\w-]+)\s*\{")


def _closing(text: str, start: int) -> int | None:
    """The index of the brace that closes the one at `start`; ICU's `'{'` quoting is literal text."""
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "'" and index + 1 < len(text) and text[index + 1] in "{}#":
            end = text.find("'", index + 1)
            index = end if end > 0 else index
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _branches(text: str, position: int) -> tuple[dict[str, str], int] | None:
    """The `selector {message}` pairs after `{n, plural,` up to the closing brace, and the index after it."""
    branches: dict[str, str] = {}
    while True:
        rest = text[position:]
        stripped = rest.lstrip()
        if stripped.startswith("}"):
            return (branches, position + len(rest) - len(stripped) + 1) if branches else None
        selector = _ICU_SELECTOR.match(text, position)
        if selector is None:
            return None
        close = _closing(text, selector.end() - 1)
        if close is None:
            return None
        branches[selector.group(1)] = text[selector.end() : close]
        position = close + 1


def resolve_icu(text: str) -> tuple[str, dict[str, str]]:
    """`text` with each ICU plural/select replaced by its `other` branch (else the last), and the branches of
    the first one (selector -> resolved text)."""
    if "{" not in text:
        return text, {}
    out: list[str] = []
    variants: dict[str, str] = {}
    position = 0
    while True:
        head = _ICU_HEAD.search(text, position)
        if head is None:
            out.append(text[position:])
            break
        parsed = _branches(text, head.end())
        if parsed is None:
            out.append(text[position : head.end()])
            position = head.end()
            continue
        branches, end = parsed
        counted = head.group(1).lower() != "select"
        rendered = {name: _branch(body, counted) for name, body in branches.items()}
        variants = variants or rendered
        out.append(text[position : head.start()])
        out.append(rendered[pick_variant(rendered)])
        position = end
    return "".join(out), variants


def _branch(body: str, counted: bool) -> str:
    # Nested plurals are resolved first and take their own `#`; a `#` left is the enclosing plural's count.
    resolved = resolve_icu(body)[0]
    return resolved.replace("#", PLACEHOLDER) if counted else resolved


def finish_message(message: Message) -> None:
    """Fill `text` (and `source_text`) from the raw or plain text: ICU resolved, slots neutral, markup
    flattened (see the module doc)."""
    text, icu_variants = resolve_icu(message.plain if message.plain is not None else message.raw)
    message.text = clean_string(text)
    if icu_variants and not message.variants:
        message.variants = icu_variants
    if message.source is not None:
        source = message.source_plain if message.source_plain is not None else message.source
        message.source_text = clean_string(resolve_icu(source)[0])
