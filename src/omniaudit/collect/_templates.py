"""Page templates read as the markup they render, without the run-time data.

Static sites and apps keep their pages as templates: Jinja/Nunjucks (`{{ x }}`, `{% tag %}`, `{# #}`,
`{%- -%}` trim markers), Liquid (the same plus `{% raw %}`, `{% comment %}`, `{% capture %}`,
`{% assign %}`), ERB/EJS (`<% code %>`, `<%= output %>`, `<%- %>`, `<%# %>`), Hugo (shortcodes
`{{< name args >}}` / `{{% name %}}` with closing forms, Go template actions `{{ .Title }}`) and
Handlebars/Mustache (`{{ x }}`, `{{{ x }}}`, `{{#if}}`, `{{> partial}}`, `{{! }}`). Rendering one:

- tags and comments are removed; an output expression becomes `PLACEHOLDER` (a neutral token, never a
  fact), except when it prints a literal string or a helper call whose first argument is a literal string
  (`<%= link_to 'Contact us', url %>`, `{{ "Hello" }}`, `{{ 'x' | t }}`): then the literal is the text. A
  translation helper whose argument is a catalogue key (`t("views.home.title")`) prints a placeholder;
- a loop over a literal list, hash or the page's own front matter (`{% for row in [["Basic", "$10"]] %}`,
  `<% [...].each do |x| %>`, `{% for item in page.items %}`) is unrolled, one body per item with the
  item's values printed, so a table built from a list reads one row per item;
- `{% include %}`, `{% render %}`, ERB `partial`/`render`, `{{> name}}` and Hugo `partial` of a file inside
  the channel folder are followed (each file once per page, a few levels deep, never outside the folder);
- Hugo shortcodes keep the inner content of paired ones (`hint`, `notice`, `details`) and their human text
  arguments (`caption="..."`, `title="..."`, `alt="..."`); code shortcodes and block tags lose their body.

Removed text is replaced by as many newlines as it spanned, so line numbers stay right (an unrolled loop
or an included file may shift the lines after it). The syntax is picked from the file's extension, else
sniffed from the content; `syntaxes_for(..., forced=...)` forces one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..placeholders import PLACEHOLDER

SYNTAXES = ("erb", "hugo", "liquid", "jinja", "handlebars")
TEMPLATE_OPTIONS = ("auto", "none", *SYNTAXES)

EXTENSIONS = {
    ".erb": "erb",
    ".ejs": "erb",
    ".rhtml": "erb",
    ".njk": "jinja",
    ".nunjucks": "jinja",
    ".jinja": "jinja",
    ".jinja2": "jinja",
    ".j2": "jinja",
    ".twig": "jinja",
    ".liquid": "liquid",
    ".hbs": "handlebars",
    ".handlebars": "handlebars",
    ".mustache": "handlebars",
}
MAX_DEPTH = 4

# Helpers that look a message up in a catalogue: a key argument is not text, a sentence argument (gettext
# style, `_("Sign in")`) is.
_I18N = {"t", "translate", "i18n", "trans", "_", "__", "__p", "__n", "gettext", "ngettext", "s_", "n_", "T"}
_I18N_CALL = re.compile(r"^(?:I18n\.|i18n\.|\$)?(?:" + "|".join(re.escape(n) for n in _I18N) + r")$")
# Helpers whose output is a URL, an asset tag or head markup, never page text.
_URL_HELPER = re.compile(
    r"^(?:url_for|url|static|asset|asset_path|asset_url|image_path|image_url|\w+_path|\w+_url|path_for|"
    r"relative_url|absolute_url|img_url|stylesheet_link_tag|javascript_include_tag|javascript_pack_tag|"
    r"stylesheet_pack_tag|favicon_link_tag|csrf_meta_tags?|csp_meta_tag|meta_tag|video_tag|audio_tag|"
    r"content_for|yield|provide|form_with|form_for|form_tag|hidden_field_tag|relref|ref)$"
)
_IMAGE_HELPER = {"image_tag", "image", "img", "figure"}
_INCLUDE_HELPER = {"render", "partial", "include", "partialCached", "template", "include_relative"}
# Block tags and shortcodes whose body is code or a diagram, not prose.
_CODE_BLOCK = re.compile(r"^(?:highlight|code|codeblock|mermaid\w*|\w*diagram|math|katex|plantuml|graphviz)$")
# Shortcode arguments that hold text a reader sees.
_TEXT_ARGS = {
    "caption",
    "title",
    "alt",
    "text",
    "label",
    "summary",
    "description",
    "heading",
    "header",
    "message",
    "attr",
    "attribution",
    "quote",
    "content",
    "name",
}
_KEY_LIKE = re.compile(r"^\.[\w.-]+$|^[\w-]+(?:[.:/][\w-]+)+$")
_PATH = re.compile(r"^[A-Za-z_@$][\w$]*(?:\.[A-Za-z_$][\w$-]*|\[\s*(?:-?\d+|'[^']*'|\"[^\"]*\"|:\w+)\s*\])*$")
_PATH_STEP = re.compile(r"\.([A-Za-z_$][\w$-]*)|\[\s*(-?\d+|'[^']*'|\"[^\"]*\"|:\w+)\s*\]")
_PARTIAL_DIRS = (
    "",
    "_includes",
    "includes",
    "partials",
    "_partials",
    "layouts/partials",
    "layouts/_partials",
    "templates",
    "views",
    "_layouts",
    "layouts",
    "shared",
)
_PARTIAL_SUFFIXES = (
    "",
    ".html",
    ".htm",
    ".html.erb",
    ".erb",
    ".md",
    ".md.erb",
    ".html.md.erb",
    ".njk",
    ".liquid",
    ".hbs",
    ".mustache",
    ".j2",
    ".jinja",
    ".text.erb",
    ".txt",
    ".ejs",
)


def _newlines(text: str) -> str:
    return "\n" * text.count("\n")


# -- choosing the syntax ------------------------------------------------------------------------------------


def syntaxes_for(name: str, text: str, forced: str = "auto") -> tuple[str, ...]:
    """The template syntaxes to render a file with, outermost first: by extension, else by content.

    `forced` is the channel's `template:` option: `none` renders nothing, a syntax name uses just that one.
    """
    if forced == "none":
        return ()
    if forced != "auto":
        return (forced,)
    found: list[str] = []
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in EXTENSIONS:
        found.append(EXTENSIONS[suffix])
    if "<%" in text and "erb" not in found:
        found.append("erb")
    if ("{{<" in text or "{{%" in text) and "hugo" not in found:
        found.append("hugo")
    elif not found or found == ["erb"]:
        if re.search(r"\{\{[#/^>!]", text) and "{%" not in text:
            found.append("handlebars")
        elif "{%" in text or "{{" in text or "{#" in text:
            found.append("liquid")
    return tuple(found)


# -- literals: the small part of Ruby, Python and JavaScript that a template writes data in ---------------


class _LiteralError(ValueError):
    pass


class _Literal:
    """A tolerant reader for list, hash, tuple, string, number and boolean literals in Ruby/Python/JS."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip(self) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char.isspace():
                self.pos += 1
            elif char == "#" and not self.text.startswith("#{", self.pos):  # a Ruby comment
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _peek(self, token: str) -> bool:
        self._skip()
        return self.text.startswith(token, self.pos)

    def _expect(self, token: str) -> None:
        if not self._peek(token):
            raise _LiteralError(f"expected {token!r} at {self.pos}")
        self.pos += len(token)

    def parse(self) -> Any:
        value = self.value()
        self._skip()
        if self.pos != len(self.text):
            raise _LiteralError("trailing text")
        return value

    def value(self) -> Any:
        self._skip()
        if self.pos >= len(self.text):
            raise _LiteralError("end of text")
        char = self.text[self.pos]
        if char in "'\"":
            return self.string()
        if char in "[(":
            return self.sequence("]" if char == "[" else ")")
        if char == "{":
            return self.mapping()
        if char == ":" and re.match(r":\w", self.text[self.pos :]):
            match = re.match(r":(\w+)", self.text[self.pos :])
            assert match
            self.pos += match.end()
            return match.group(1)
        match = re.match(r"-?\d+(?:\.\d+)?", self.text[self.pos :])
        if match:
            self.pos += match.end()
            number = match.group(0)
            return float(number) if "." in number else int(number)
        match = re.match(r"(true|false|True|False|nil|null|None)\b", self.text[self.pos :])
        if match:
            self.pos += match.end()
            return {"true": True, "True": True, "false": False, "False": False}.get(match.group(1))
        raise _LiteralError(f"not a literal at {self.pos}")

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        parts: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                following = self.text[self.pos + 1]
                parts.append({"n": "\n", "t": "\t"}.get(following, following))
                self.pos += 2
                continue
            if char == quote:
                self.pos += 1
                text = "".join(parts)
                # Interpolation is run-time data.
                return re.sub(r"#\{[^{}]*\}|\$\{[^{}]*\}", PLACEHOLDER, text) if quote == '"' else text
            parts.append(char)
            self.pos += 1
        raise _LiteralError("string not closed")

    def sequence(self, close: str) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        while not self._peek(close):
            items.append(self.value())
            if not self._peek(close):
                self._expect(",")
        self.pos += 1
        return items

    def mapping(self) -> dict[str, Any]:
        self.pos += 1
        items: dict[str, Any] = {}
        while not self._peek("}"):
            self._skip()
            match = re.match(r"([A-Za-z_]\w*)\s*:(?!:)", self.text[self.pos :])
            if match:  # Ruby `key: value`, JavaScript `key: value`
                key: Any = match.group(1)
                self.pos += match.end()
            else:
                key = self.value()
                if self._peek("=>"):
                    self.pos += 2
                else:
                    self._expect(":")
            items[str(key)] = self.value()
            if not self._peek("}"):
                self._expect(",")
        self.pos += 1
        return items


def literal(text: str) -> Any:
    """The value of a literal written in a template, or raises ValueError."""
    return _Literal(text.strip()).parse()


def _string_literal(text: str) -> str | None:
    text = text.strip()
    if not text or text[0] not in "'\"":
        return None
    try:
        value = literal(text)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _split_top(text: str, separator: str) -> list[str]:
    """`text` split on `separator` outside quotes and brackets."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            if separator != "|" or not text.startswith("||", index) and text[index - 1 : index] != "|":
                parts.append(text[start:index])
                start = index + len(separator)
                index = start
                continue
        index += 1
    parts.append(text[start:])
    return parts


# -- tokens -----------------------------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # text | out | tag | comment | code_out | shortcode | include
    src: str
    body: str = ""
    syntax: str = ""
    name: str = ""
    closing: bool = False
    args: dict[str, str] = field(default_factory=dict)


# A tag's body never holds its own opener, so the lazy bodies stop at the next one: an unclosed tag repeated
# over a long file costs one scan, not one scan per opener.
_JINJA = re.compile(
    r"(?P<raw>\{%-?\s*raw\s*-?%\}(?P<rawbody>(?:(?!\{%-?\s*raw\b).)*?)\{%-?\s*endraw\s*-?%\})"
    r"|(?P<bcomment>\{%-?\s*comment\s*-?%\}(?:(?!\{%-?\s*comment\b).)*?\{%-?\s*endcomment\s*-?%\})"
    r"|(?P<comment>\{#(?:(?!\{#).)*?#\})"
    r"|(?P<tag>\{%-?(?P<tagbody>(?:(?!\{%).)*?)-?%\})"
    r"|(?P<out>\{\{-?(?P<outbody>(?:(?!\{\{).)*?)-?\}\})",
    re.S,
)
_HUGO = re.compile(
    r"(?P<comment>\{\{/\*(?:(?!\{\{/\*).)*?\*/\}\}"
    r"|\{\{[<%]\s*/\*(?:(?!\{\{[<%]\s*/\*).)*?\*/\s*[>%]\}\})"
    r"|(?P<sc>\{\{(?P<delim>[<%])\s*(?P<close>/)?\s*(?P<name>[\w./-]+)"
    r"(?P<args>(?:(?!\{\{).)*?)\s*/?\s*[>%]\}\})"
    r"|(?P<out>\{\{-?(?P<outbody>(?:(?!\{\{).)*?)-?\}\})",
    re.S,
)
_ERB = re.compile(
    r"(?P<lit><%%)|(?P<comment><%#(?:(?!<%).)*?%>)"
    r"|(?P<erb><%(?P<mark>==|=|-|_)?(?P<body>(?:(?!<%).)*?)[-_=]?%>)",
    re.S,
)
_HANDLEBARS = re.compile(
    r"(?P<comment>\{\{!--(?:(?!\{\{!--).)*?--\}\}|\{\{!(?:(?!\{\{).)*?\}\})"
    r"|(?P<raw3>\{\{\{(?P<body3>(?:(?!\{\{).)*?)\}\}\})"
    r"|(?P<hb>\{\{~?\s*(?P<mark>[#/^>&]|else\b)?(?P<body>(?:(?!\{\{).)*?)~?\}\})",
    re.S,
)
_SHORTCODE_ARG = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|`([^`]*)`|(\S+))""")


def _tokens(text: str, syntax: str, ejs: bool) -> Iterator[_Token]:
    pattern = {"erb": _ERB, "hugo": _HUGO, "handlebars": _HANDLEBARS}.get(syntax, _JINJA)
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield _Token("text", text[position : match.start()])
        position = match.end()
        src = match.group(0)
        group = match.lastgroup
        if syntax in ("jinja", "liquid"):
            if match.group("raw") is not None:
                yield _Token("text", match.group("rawbody") + _newlines(src[: src.find("%}")]))
            elif match.group("bcomment") is not None or match.group("comment") is not None:
                yield _Token("comment", src)
            elif match.group("tag") is not None:
                body = match.group("tagbody").strip()
                yield _Token("comment" if body.startswith("#") else "tag", src, body, syntax)
            else:
                yield _Token("out", src, match.group("outbody").strip(), syntax)
        elif syntax == "hugo":
            if match.group("comment") is not None:
                yield _Token("comment", src)
            elif match.group("sc") is not None:
                args = {
                    m.group(1): next(g for g in m.groups()[1:] if g is not None)
                    for m in _SHORTCODE_ARG.finditer(match.group("args"))
                }
                positional = re.findall(r'(?:^|\s)"([^"]*)"', _SHORTCODE_ARG.sub("", match.group("args")))
                if positional:
                    args.setdefault("_", positional[0])
                yield _Token(
                    "shortcode",
                    src,
                    match.group("args"),
                    syntax,
                    match.group("name"),
                    bool(match.group("close")),
                    args,
                )
            else:
                body = match.group("outbody").strip()
                yield _Token("out", src, body, syntax)
        elif syntax == "erb":
            if group == "lit":
                yield _Token("text", "<%")
            elif match.group("comment") is not None:
                yield _Token("comment", src)
            else:
                mark = match.group("mark") or ""
                output = mark in ("=", "==") or (mark == "-" and ejs)
                yield _Token("out" if output else "tag", src, match.group("body").strip(), syntax)
        else:
            if match.group("comment") is not None:
                yield _Token("comment", src)
            elif match.group("raw3") is not None:
                yield _Token("out", src, match.group("body3").strip(), syntax)
            else:
                mark = (match.group("mark") or "").strip()
                body = match.group("body").strip()
                if mark == ">":
                    yield _Token("include", src, body.split()[0] if body.split() else "", syntax)
                elif mark:
                    yield _Token("tag", src, f"{mark} {body}".strip(), syntax)
                else:
                    yield _Token("out", src, body, syntax)
    if position < len(text):
        yield _Token("text", text[position:])


# -- rendering --------------------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A rendered template: its text, the files it included and the front matter keys it printed."""

    text: str
    includes: list[str] = field(default_factory=list)
    used_keys: set[str] = field(default_factory=set)


_MISSING = object()


class _Renderer:
    def __init__(
        self, root: Path | None, data: Mapping[str, Any], max_depth: int, read: Callable[[Path], str] | None
    ) -> None:
        self.root = root.resolve() if root is not None else None
        self.read = read
        self.data = dict(data)
        self.max_depth = max_depth
        self.included: list[str] = []
        self.seen: set[Path] = set()
        self.used_keys: set[str] = set()
        # Block pairs per token list (kept with the list, so its id is never reused while cached).
        self._block_ends: dict[int, tuple[list[_Token], dict[int, int]]] = {}

    # -- values

    def lookup(self, expression: str, env: Mapping[str, Any]) -> Any:
        """The value of a variable path (`row[0]`, `item.title`, `page.items`) when it is known."""
        expression = expression.strip()
        if expression.startswith("@"):
            expression = expression[1:]
        if expression.startswith(".Params."):  # Hugo: the page's front matter
            expression = "page." + expression[len(".Params.") :]
        if not _PATH.match(expression):
            return _MISSING
        head = re.match(r"[A-Za-z_$][\w$]*", expression)
        assert head
        name = head.group(0)
        if name not in env:
            return _MISSING
        value = env[name]
        steps = list(_PATH_STEP.finditer(expression[head.end() :]))
        # Which front matter keys the page prints itself: the caller does not repeat them.
        self.used_keys.add(name)
        if name in ("page", "current_page") and steps and steps[0].group(1):
            self.used_keys.add(steps[-1].group(1) if name == "current_page" else steps[0].group(1))
        for step in steps:
            key: Any = step.group(1)
            if key is None:
                raw = step.group(2)
                key = int(raw) if raw.lstrip("-").isdigit() else raw.strip("'\":")
            if isinstance(value, dict) and isinstance(key, str):
                # Ruby hashes are read with symbols or strings alike.
                value = value.get(key, value.get(key.replace("-", "_"), _MISSING))
            elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
                value = value[key]
            elif isinstance(value, list) and key in ("first", "last") and value:
                value = value[0] if key == "first" else value[-1]
            elif isinstance(value, list) and key in ("size", "length"):
                value = len(value)
            else:
                return _MISSING
            if value is _MISSING:
                return _MISSING
        return value

    def text_of(self, value: Any) -> str | None:
        if isinstance(value, bool) or value is None or value is _MISSING:
            return None
        if isinstance(value, (int, float, str)):
            return str(value)
        return None

    def helper(self, name: str, args: list[str], env: Mapping[str, Any]) -> str | None:
        """What a helper call prints, when its arguments say it; None for run-time data."""
        bare = name.split(".")[-1]
        if _URL_HELPER.match(bare):
            return ""
        if bare in _IMAGE_HELPER:
            for arg in args[1:]:
                match = re.match(r"""^\s*(?::alt\s*=>|alt:|"alt"\s*=>|alt\s*=)\s*(.+)$""", arg, re.S)
                if match:
                    return _string_literal(match.group(1)) or ""
            return ""
        if not args:
            return None
        first = args[0].strip()
        text = _string_literal(first)
        if text is None:
            value = self.lookup(first, env)
            return self.text_of(value)
        if _I18N_CALL.match(name) and (_KEY_LIKE.match(text) or not text.strip()):
            return None
        return text

    def evaluate(self, expression: str, syntax: str, env: Mapping[str, Any]) -> str | None:
        """The text an output expression prints, or None when it is run-time data."""
        expression = expression.strip().rstrip(";").strip()
        expression = re.sub(r"\.html_safe$|\.strip$|\.to_s$", "", expression)
        if not expression:
            return ""
        if syntax == "erb":
            match = re.match(r"^(?:raw|h|sanitize|simple_format)\s*\(?(.*?)\)?$", expression, re.S)
            if match and not re.match(r"^\w+\s*\(", expression[len(expression.split("(")[0]) :]):
                expression = match.group(1) if match.group(1) else expression
            if re.search(r"\bdo(\s*\|[^|]*\|)?$", expression):
                return ""  # a block helper: its text is the block's body
        filters: list[str] = []
        if syntax in ("jinja", "liquid", "hugo"):
            parts = _split_top(expression, "|")
            expression, filters = parts[0].strip(), [f.strip() for f in parts[1:]]
        filter_names = [re.split(r"[\s:(]", f, maxsplit=1)[0] for f in filters]
        if any(_URL_HELPER.match(f) for f in filter_names):
            return ""
        text = _string_literal(expression)
        if text is not None:
            if any(_I18N_CALL.match(f) for f in filter_names) and _KEY_LIKE.match(text):
                return None
            return text
        value = self.lookup(expression, env)
        if value is not _MISSING:
            return self.text_of(value)
        name, args = self.call(expression, syntax)
        if name is None:
            return None
        return self.helper(name, args, env)

    @staticmethod
    def call(expression: str, syntax: str) -> tuple[str | None, list[str]]:
        """(helper name, arguments) of `name(a, b)`, `name a, b` (Ruby) or `name a b` (Handlebars, Go)."""
        match = re.match(r"^([A-Za-z_$][\w$.:]*[?!]?)\s*\((.*)\)$", expression, re.S)
        if match:
            return match.group(1), _split_top(match.group(2), ",")
        match = re.match(r"^([A-Za-z_$][\w$.:]*[?!]?)\s+(.+)$", expression, re.S)
        if match:
            if syntax in ("handlebars", "hugo"):
                args = re.findall(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+""", match.group(2))
                return match.group(1), args
            return match.group(1), _split_top(match.group(2), ",")
        return None, []

    # -- includes

    def resolve(self, name: str, current: Path | None) -> Path | None:
        if self.root is None or not name or "{{" in name or "<%" in name or "://" in name:
            return None
        name = name.strip().strip("'\"").lstrip("/")
        folder, _, base = name.rpartition("/")
        names = [name, f"{folder}/_{base}" if folder else f"_{base}"]
        starts = [current.parent] if current is not None else []
        starts += [self.root / sub if sub else self.root for sub in _PARTIAL_DIRS]
        for start in starts:
            for candidate_name in names:
                for suffix in _PARTIAL_SUFFIXES:
                    candidate = start / (candidate_name + suffix)
                    if not candidate.is_file():
                        continue
                    resolved = candidate.resolve()
                    if resolved == self.root or self.root not in resolved.parents:
                        continue  # never outside the channel's folder
                    return resolved
        return None

    def include(
        self,
        name: str,
        params: Mapping[str, Any],
        current: Path | None,
        depth: int,
        syntaxes: tuple[str, ...],
    ) -> str:
        if depth >= self.max_depth:
            return ""
        path = self.resolve(name, current)
        if path is None or path in self.seen:
            return ""
        self.seen.add(path)
        try:
            text = self.read(path) if self.read is not None else path.read_text("utf-8", errors="replace")
        except OSError:
            return ""
        if self.root is not None:
            self.included.append(path.relative_to(self.root).as_posix())
        own = syntaxes_for(path.name, text) or syntaxes
        env = {**self.data, "include": dict(params), **params}
        rendered = self.render(text, own, path, depth + 1, env)
        # HTML reads the same on one line, so the including page keeps its line numbers; Markdown does not.
        if not re.search(r"\.(md|markdown|txt)(\.\w+)?$", path.name):
            rendered = re.sub(r"\s*\n\s*", " ", rendered.strip())
        return rendered

    def include_target(self, token: _Token) -> tuple[str, dict[str, Any]] | None:
        """(file name, parameters) when the token includes another template."""
        body = token.body
        if token.kind == "include":
            return body, {}
        if token.syntax in ("jinja", "liquid"):
            match = re.match(r"^(include|include_relative|render)\s+(.+)$", body, re.S)
            if not match:
                return None
            rest = match.group(2).strip()
            quoted = re.match(r"""^(['"])(.*?)\1(.*)$""", rest, re.S)
            name, params_text = (
                (quoted.group(2), quoted.group(3))
                if quoted
                else (rest.split()[0], rest[len(rest.split()[0]) :])
            )
            params: dict[str, Any] = {}
            for key, value in re.findall(r"""([\w-]+)\s*[=:]\s*("[^"]*"|'[^']*')""", params_text):
                params[key] = value[1:-1]
            return name, params
        if token.syntax == "erb" and token.kind == "out":
            name_, args = self.call(token.body, "erb")
            if name_ not in ("render", "partial", "include"):
                return None
            for arg in args:
                arg = re.sub(r"^\s*:?(?:partial|template)\s*(?::|=>)\s*", "", arg)
                text = _string_literal(arg)
                if text is not None:
                    return text, {}
            return None
        if token.syntax == "hugo" and token.kind == "out":
            match = re.match(
                r"""^(?:partial|partialCached|template)\s+"([^"]+)"|^(?:partial|partialCached)\s*\(\s*"([^"]+)""",
                body,
            )
            if match:
                return (match.group(1) or match.group(2)), {}
        return None

    # -- blocks

    def opens(self, token: _Token) -> str | None:
        """The kind of block a tag opens (`for`, `block`), if any."""
        body = token.body
        if token.syntax in ("jinja", "liquid"):
            first = body.split(None, 1)[0] if body.split() else ""
            if first in ("for", "tablerow"):
                return "for"
            if first in ("capture",) or (first == "set" and "=" not in body):
                return "capture"
            if _CODE_BLOCK.match(first):
                return "code"
            if first in ("if", "unless", "case", "with", "block", "macro", "call", "filter", "raw", "embed"):
                return "block"
            return None
        if token.syntax == "erb":
            code = re.sub(r"#[^{\n][^\n]*$", "", body).strip()
            if re.search(r"\bdo\s*(\|[^|]*\|)?\s*$", code):
                return (
                    "for"
                    if re.search(r"\.(each|each_with_index|each_pair|map|each_slice)\b", code)
                    else "block"
                )
            if re.match(r"^(if|unless|case|while|until|for|begin)\b", code):
                return "block"
            return None
        return None

    def closes(self, token: _Token) -> bool:
        body = token.body
        if token.syntax in ("jinja", "liquid"):
            return bool(re.match(r"^end\w*$", body.split(None, 1)[0] if body.split() else ""))
        if token.syntax == "erb":
            return bool(re.match(r"^end\b", body.strip()))
        return False

    def matching_end(self, tokens: list[_Token], start: int) -> int | None:
        """The index of the tag that closes the block opened at `start`, or None when it is never closed."""
        key = id(tokens)
        if key not in self._block_ends:
            # Paired once per token list with a stack: searching from each opener was quadratic on files
            # full of unclosed blocks.
            ends: dict[int, int] = {}
            open_at: list[int] = []
            for index, token in enumerate(tokens):
                if token.kind not in ("tag", "out"):
                    continue
                if self.opens(token):
                    open_at.append(index)
                elif self.closes(token) and open_at:
                    ends[open_at.pop()] = index
            self._block_ends[key] = (tokens, ends)
        return self._block_ends[key][1].get(start)

    def loop(self, token: _Token, env: Mapping[str, Any]) -> tuple[list[Any], list[str]] | None:
        """(items, loop variable names) of a loop tag; items is [] plus names when the data is not known."""
        body = token.body
        if token.syntax in ("jinja", "liquid"):
            match = re.match(r"^(?:for|tablerow)\s+(.+?)\s+in\s+(.+)$", body, re.S)
            if not match:
                return None
            names = [n.strip() for n in match.group(1).strip("()").split(",")]
            source = re.split(r"\s+(?:limit|offset|reversed|cols|if)\b", match.group(2))[0]
            source = _split_top(source, "|")[0].strip()
            value = self.value_of(source, env)
            if isinstance(value, dict):
                return list(value.items()), names
            return (value if isinstance(value, list) else []), names
        match = re.search(
            r"(.+)\.(each|each_with_index|each_pair|map)\s+do\s*\|(.*)\|\s*$",
            re.sub(r"#[^{\n][^\n]*", "", body),
            re.S,
        )
        if not match:
            return None
        names = [n.strip() for n in re.split(r"[,()]", match.group(3)) if n.strip()]
        value = self.value_of(match.group(1).strip(), env)
        items: list[Any]
        if isinstance(value, dict):
            items = [[key, item] for key, item in value.items()]
        else:
            items = value if isinstance(value, list) else []
        if match.group(2) == "each_with_index":
            items = [[item, index] for index, item in enumerate(items)]
        return items, names

    def value_of(self, source: str, env: Mapping[str, Any]) -> Any:
        found = self.lookup(source, env)
        if found is not _MISSING:
            return found
        try:
            return literal(source)
        except ValueError:
            return None

    def bind(self, names: list[str], item: Any) -> dict[str, Any]:
        if len(names) == 1:
            return {names[0]: item}
        flat: list[Any] = []

        def spread(value: Any) -> None:
            if isinstance(value, (list, tuple)) and len(flat) + len(value) <= len(names):
                for part in value:
                    if isinstance(part, (list, tuple)) and len(flat) + len(part) <= len(names):
                        flat.extend(part)
                    else:
                        flat.append(part)
            else:
                flat.append(value)

        spread(item)
        return {name: (flat[index] if index < len(flat) else None) for index, name in enumerate(names)}

    def assign(self, token: _Token, env: dict[str, Any]) -> bool:
        """`{% set x = [...] %}`, `{% assign x = "a,b" | split: "," %}`, `<% x = [...] %>`: remember x."""
        body = token.body
        if token.syntax in ("jinja", "liquid"):
            match = re.match(r"^(?:set|assign)\s+([\w.]+)\s*=\s*(.+)$", body, re.S)
        elif token.syntax == "erb":
            match = re.match(
                r"^@?(\w+)\s*=\s*([\[{'\"].*)$", re.sub(r"#[^{\n][^\n]*", "", body).strip(), re.S
            )
        else:
            return False
        if not match:
            return False
        parts = _split_top(match.group(2), "|")
        value = self.value_of(parts[0].strip(), env)
        for flt in parts[1:]:
            split = re.match(r"""^\s*split\s*:\s*(['"])(.*?)\1""", flt)
            if split and isinstance(value, str):
                value = value.split(split.group(2))
        env[match.group(1)] = value
        return True

    def render(
        self, text: str, syntaxes: tuple[str, ...], path: Path | None, depth: int, env: dict[str, Any]
    ) -> str:
        ejs = path is not None and path.suffix.lower() == ".ejs"
        for syntax in syntaxes:
            tokens = list(_tokens(text, syntax, ejs))
            text = self.render_tokens(tokens, 0, len(tokens), path, depth, dict(env), syntaxes)
        return text

    def render_tokens(
        self,
        tokens: list[_Token],
        start: int,
        end: int,
        path: Path | None,
        depth: int,
        env: dict[str, Any],
        syntaxes: tuple[str, ...],
    ) -> str:
        out: list[str] = []
        index = start
        while index < end:
            token = tokens[index]
            index += 1
            if token.kind == "text":
                out.append(token.src)
                continue
            if token.kind == "comment":
                out.append(_newlines(token.src))
                continue
            target = self.include_target(token)
            if target is not None:
                out.append(self.include(target[0], target[1], path, depth, syntaxes) + _newlines(token.src))
                continue
            if token.kind == "shortcode":
                index = self.shortcode(tokens, index - 1, end, out)
                continue
            if token.syntax == "hugo" and token.kind == "out":
                out.append(self.go_action(token, env))
                continue
            kind = self.opens(token) if token.kind in ("tag", "out") else None
            if kind is not None:
                close = self.matching_end(tokens, index - 1)
                if close is not None and close <= end:
                    out.append(self.block(kind, tokens, index - 1, close, path, depth, env, syntaxes))
                    index = close + 1
                    continue
            if token.kind == "tag":
                self.assign(token, env)
                out.append(_newlines(token.src))
                continue
            value = self.evaluate(token.body, token.syntax, env)
            # The newlines go first: the printed text stays against what follows it ("Contact us.").
            out.append(_newlines(token.src) + (PLACEHOLDER if value is None else value))
        return "".join(out)

    def block(
        self,
        kind: str,
        tokens: list[_Token],
        open_index: int,
        close: int,
        path: Path | None,
        depth: int,
        env: dict[str, Any],
        syntaxes: tuple[str, ...],
    ) -> str:
        opener, closer = tokens[open_index], tokens[close]
        span = "".join(t.src for t in tokens[open_index : close + 1])
        if kind == "code":
            return _newlines(span)
        if kind == "capture":
            inner = self.render_tokens(tokens, open_index + 1, close, path, depth, dict(env), syntaxes)
            parts = opener.body.split()
            if len(parts) > 1:
                env[parts[1]] = " ".join(inner.split())
            return _newlines(span)
        head = _newlines(opener.src)
        tail = _newlines(closer.src)
        if kind == "for":
            looped = self.loop(opener, env)
            if looped is not None:
                items, names = looped
                if not items:  # data from outside the template: its static text, once, values as slots
                    items = [None]
                bodies = [
                    self.render_tokens(
                        tokens,
                        open_index + 1,
                        close,
                        path,
                        depth,
                        {**env, **self.bind(names, item)},
                        syntaxes,
                    )
                    for item in items
                ]
                return head + "".join(bodies) + tail
        # An `if` keeps every branch (the data is not known); `<%= link_to url do %>` prints its block.
        inner = self.render_tokens(tokens, open_index + 1, close, path, depth, env, syntaxes)
        return head + inner + tail

    def shortcode(self, tokens: list[_Token], index: int, end: int, out: list[str]) -> int:
        token = tokens[index]
        name = token.name.split("/")[-1]
        if token.closing:
            out.append(_newlines(token.src))
            return index + 1
        if _CODE_BLOCK.match(name):
            for close in range(index + 1, end):
                other = tokens[close]
                if other.kind == "shortcode" and other.closing and other.name.split("/")[-1] == name:
                    out.append(_newlines("".join(t.src for t in tokens[index : close + 1])))
                    return close + 1
        if name in ("param", "site-param"):
            out.append(PLACEHOLDER + _newlines(token.src))
            return index + 1
        texts = [value for key, value in token.args.items() if key.lower() in _TEXT_ARGS and value.strip()]
        if not texts and "_" in token.args and name not in ("ref", "relref"):
            positional = token.args["_"]
            if " " in positional.strip():  # a quoted sentence, not a path or a name
                texts.append(positional)
        out.append(" ".join(texts) + _newlines(token.src))
        return index + 1

    def go_action(self, token: _Token, env: Mapping[str, Any]) -> str:
        body = token.body
        first = body.split(None, 1)[0] if body.split() else ""
        if (
            first
            in (
                "if",
                "else",
                "end",
                "range",
                "with",
                "define",
                "block",
                "template",
                "return",
                "break",
                "continue",
                "else if",
            )
            or ":=" in body
            or re.match(r"^\$\w+\s*=", body)
        ):
            return _newlines(token.src)
        value = self.evaluate(body, "hugo", env)
        return _newlines(token.src) + (PLACEHOLDER if value is None else value)


def render_template(
    text: str,
    syntaxes: tuple[str, ...],
    *,
    path: Path | None = None,
    root: Path | None = None,
    data: Mapping[str, Any] | None = None,
    max_depth: int = MAX_DEPTH,
    read: Callable[[Path], str] | None = None,
) -> Rendered:
    """`text` rendered with `syntaxes` (outermost first). `root` is the folder includes may come from (never
    outside it), and `read` how connectors read them (their confined, bounded reader); `data` is what the
    template may read (`{"page": front_matter}`)."""
    if not syntaxes:
        return Rendered(text)
    renderer = _Renderer(root, data or {}, max_depth, read)
    if path is not None:
        renderer.seen.add(path.resolve())
    rendered = renderer.render(text, syntaxes, path, 0, dict(data or {}))
    return Rendered(rendered, renderer.included, renderer.used_keys)


_LEFTOVER_OUTPUT = re.compile(r"\{\{\{.*?\}\}\}|\{\{.*?\}\}|<%=.*?%>", re.S)
_LEFTOVER_TAG = re.compile(r"\{%.*?%\}|<%.*?%>|\{#.*?#\}", re.S)
_LEFTOVER_MARK = re.compile(r"\{\{|\}\}|\{%|%\}|<%|%>")


def strip_leftovers(text: str) -> str:
    """Whatever template syntax is still in a text (a `{% raw %}` example, a broken tag) taken out."""
    if not any(mark in text for mark in ("{{", "}}", "{%", "%}", "<%", "%>", "{#")):
        return text
    text = _LEFTOVER_OUTPUT.sub(PLACEHOLDER, text)
    text = _LEFTOVER_TAG.sub("", text)
    return _LEFTOVER_MARK.sub("", text)


__all__ = [
    "EXTENSIONS",
    "SYNTAXES",
    "TEMPLATE_OPTIONS",
    "Rendered",
    "literal",
    "render_template",
    "strip_leftovers",
    "syntaxes_for",
]
