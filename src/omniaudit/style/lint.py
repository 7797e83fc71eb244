"""Linting text and Markdown with a StyleSet, the way Vale does.

Markdown is rendered to HTML (markdown-it, CommonMark + GFM tables and strikethrough) and walked
like Vale's `lintHTMLTokens`: paragraphs are linted as prose (text, paragraph, sentence scopes),
headings, list items, table cells and blockquotes as their own scopes, inline code and
`pre`/`figure` blocks are skipped, link/strong/emphasis runs are also linted on their own, and
image alt text is linted as `text.attr.alt`. Every text run is placed back in the source as it is
read, so an alert maps to the exact line and column of its match in the Markdown file.
"""

from __future__ import annotations

import bisect
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from ..errors import ConfigError
from .config import StyleSet
from .rules import LEVELS, LintState, RawAlert, Rule
from .text import sentence_spans

MARKDOWN_EXTS = {".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".mdx"}
TEXT_EXTS = {".txt", ".text", ""}
# Formats Vale lints with parsers we do not have (code comments, other markups, data files).
UNSUPPORTED_EXTS = {
    ".json", ".yml", ".yaml", ".toml", ".xml", ".dita", ".html", ".htm", ".rst", ".adoc", ".asciidoc",
    ".org", ".py", ".go", ".rs", ".rb", ".js", ".jsx", ".ts", ".tsx", ".c", ".cc", ".cpp", ".h",
    ".hpp", ".java", ".php", ".ps1", ".lua", ".hs", ".clj", ".jl", ".r", ".proto", ".css", ".scss",
    ".sass", ".less", ".cs", ".swift", ".kt", ".scala", ".sh", ".ipynb", ".tex", ".ini", ".cfg",
}

SKIP_TAGS = ("script", "style", "pre", "figure", "noscript", "iframe")
SKIP_CLASSES = ("problematic", "pre", "code", "math")
INLINE_TAGS = {"b", "big", "i", "small", "abbr", "acronym", "cite", "dfn", "em", "kbd", "strong", "a",
               "br", "img", "span", "sub", "sup", "code", "tt", "del", "s"}
TAG_TO_SCOPE = {
    "th": "text.table.header", "td": "text.table.cell", "caption": "text.table.caption",
    "li": "text.list", "blockquote": "text.blockquote", "figcaption": "text.figure.caption",
    "strong": "strong", "b": "strong", "a": "link", "em": "emphasis", "i": "emphasis", "code": "code",
}
_HEADING = re.compile(r"^h[1-6]$")
_PUNCT_START = set(".?!,:;")
_DASHES = set("\u2014\u2013")
_INFO_STRING = re.compile(r"`{3,}.+")
_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)|\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(?:\n|\Z))",
                           re.S)
_MATH_BLOCK = re.compile(r"^[ \t]*\$\$[ \t]*\n.*?\n[ \t]*\$\$[ \t]*$", re.S | re.M)
_COMMENT_RULE = re.compile(r"^vale (.+\..+) = (YES|NO)$")


@dataclass(frozen=True)
class Alert:
    """A style finding at a 1-based line and column (code points) of the linted text."""

    check: str
    level: str
    message: str
    line: int
    column: int
    end_column: int
    match: str
    path: str = ""
    scope: str = ""
    link: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[int, int]:
        return (self.column, self.end_column)

    def to_line(self) -> str:
        message = self.message.replace("\n", " ")
        return f"{self.path}:{self.line}:{self.column}:{self.check}:{message}"


@dataclass
class _Block:
    text: str
    scope: str
    srcmap: list[int] | None  # source offset of each character; None: the text is the source
    base: int = 0  # with srcmap None: offset of text[0] in the source
    parent: str = ""  # for inline runs: the scope of the block they sit in


@dataclass
class _Doc:
    """One file being linted: its source, the rules that apply and the alerts found so far."""

    source: str
    rules: list[Rule]
    path: str
    ext: str
    state: LintState = field(default_factory=LintState)
    alerts: list[Alert] = field(default_factory=list)
    seen: set[tuple[int, int, str]] = field(default_factory=set)
    limits: dict[str, int] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    off: bool = False
    summary: list[str] = field(default_factory=list)
    scoped: dict[tuple[str, str], list[Rule]] = field(default_factory=dict)
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


# --------------------------------------------------------------------------- scopes


def _scope_parts(scope: str) -> set[str]:
    return set(scope.split("."))


def _selector_matches(rule_scope: str, parts: set[str], context: set[str]) -> bool:
    for piece in rule_scope.split("&"):
        piece = piece.strip()
        negated = piece.startswith("~")
        name = piece.lstrip("~")
        contained = set(name.split(".")) <= (context if negated else parts)
        if negated == contained:
            return False
    return True


_SPECIAL = ("raw", "summary")


def _rule_applies(rule: Rule, scope: str, parts: set[str], context: set[str]) -> bool:
    special = parts & set(_SPECIAL)
    for entry in rule.scope:
        positive = [p.strip() for p in entry.split("&") if not p.strip().startswith("~")]
        if special and not positive:
            continue  # a purely negated scope never reaches the raw or summary views
        if _selector_matches(entry, parts, context):
            return True
    return False


# --------------------------------------------------------------------------- running rules


def _lint_block(doc: _Doc, block: _Block) -> None:
    if not block.text:
        return
    if doc.off:
        return
    key = (block.scope, block.parent)
    rules = doc.scoped.get(key)
    if rules is None:
        parts = _scope_parts(block.scope)
        context = parts | _scope_parts(block.parent) if block.parent else parts
        rules = [r for r in doc.rules if _rule_applies(r, block.scope, parts, context)]
        doc.scoped[key] = rules
    for rule in rules:
        if doc.disabled and (rule.name in doc.disabled or ".".join(rule.name.split(".")[:2]) in doc.disabled):
            continue
        for raw in rule.run(block.text, doc.state):
            _add_alert(doc, block, rule, raw)


def _source_offset(doc: _Doc, block: _Block, raw: RawAlert) -> int:
    if raw.whole:
        return 0
    if block.srcmap is None:
        return block.base + raw.start
    smap = block.srcmap
    placed = [smap[i] for i in range(raw.start, min(raw.end, len(smap))) if smap[i] >= 0]
    if len(placed) > 1 and placed[-1] - placed[0] != len(placed) - 1 and raw.match.strip() \
            and not doc.source.startswith(raw.match, placed[0]):
        found = doc.source.find(raw.match, doc.source.rfind("\n", 0, placed[0]) + 1)
        if found >= 0:
            return found
        return doc.source.rfind("\n", 0, placed[0]) + 1
    for i in range(raw.start, max(raw.end, raw.start + 1)):
        if i < len(smap) and smap[i] >= 0:
            return smap[i]
    # Unplaced text (entities, inserted spaces): look for the match after the block's first run.
    anchor = next((o for o in smap if o >= 0), 0)
    needle = raw.match.strip()
    if needle:
        found = _find_word(doc.source, needle, anchor)
        if found < 0:
            found = _find_word(doc.source, needle, 0)
        if found >= 0:
            return found
    return anchor


def _find_word(source: str, needle: str, start: int) -> int:
    pattern = re.compile(r"(?:^|\b|_)" + re.escape(needle) + r"(?:_|\b|$)", re.M)
    m = pattern.search(source, start)
    if m is None:
        return source.find(needle, start)
    idx = m.start()
    if source.startswith("_", idx) and not needle.startswith("_"):
        idx += 1
    return idx


def _add_alert(doc: _Doc, block: _Block, rule: Rule, raw: RawAlert) -> None:
    offset = _source_offset(doc, block, raw)
    line, column = doc.position(offset) if not raw.whole else (1, 1)
    key = (line, column, rule.name)
    if key in doc.seen:
        return
    if rule.limit and doc.limits.get(rule.name, 0) >= rule.limit:
        return
    doc.seen.add(key)
    if rule.limit:
        doc.limits[rule.name] = doc.limits.get(rule.name, 0) + 1
    width = max(len(raw.match), 1)
    doc.alerts.append(Alert(
        check=rule.name, level=rule.level, message=raw.message, line=line, column=column,
        end_column=column + width - 1, match=raw.match, path=doc.path, scope=block.scope,
        link=rule.link, suggestions=raw.suggestions,
    ))


def _lint_prose(doc: _Doc, text: str, srcmap: list[int] | None, base: int = 0) -> None:
    ext = doc.ext
    doc.summary.append(text)
    _lint_block(doc, _Block(text, "text" + ext, srcmap, base))
    _lint_block(doc, _Block(text, "paragraph" + ext, srcmap, base))
    needs_sentences = any(
        any("sentence" in entry for entry in rule.scope) for rule in doc.rules
    )
    if needs_sentences:
        for start, end in sentence_spans(text):
            sub = srcmap[start:end] if srcmap is not None else None
            _lint_block(doc, _Block(text[start:end], "sentence" + ext, sub, base + start))


# --------------------------------------------------------------------------- Markdown


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag, {}))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data, {})
        else:
            self.events.append(("data", data, {}))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data.strip(), {}))


_MD = None


def _markdown_html(text: str) -> str:
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False}).enable(["table", "strikethrough"])
    return str(_MD.render(text))


class _Placer:
    """Finds each text run of the rendered HTML in the Markdown source, in reading order."""

    def __init__(self, ctx: str) -> None:
        self.ctx = ctx
        self.cursor = 0
        self.used: list[tuple[int, int]] = []

    def _taken(self, idx: int, length: int) -> bool:
        return any(s < idx + length and idx < e for s, e in self.used)

    def _find(self, piece: str) -> int:
        idx = self.ctx.find(piece, self.cursor)
        if idx >= 0:
            return idx
        idx = self.ctx.find(piece)
        while idx >= 0 and self._taken(idx, len(piece)):
            idx = self.ctx.find(piece, idx + 1)
        return idx

    def _claim(self, idx: int, length: int, smap: list[int], at: int) -> None:
        for k in range(length):
            smap[at + k] = idx + k
        self.used.append((idx, idx + length))
        self.cursor = idx + length

    def place(self, txt: str) -> list[int]:
        smap = [-1] * len(txt)
        at = 0
        for piece in txt.split("\n"):
            if piece:
                idx = self._find(piece)
                if idx >= 0:
                    self._claim(idx, len(piece), smap, at)
                else:
                    for m in re.finditer(r"\S+", piece):
                        idx = self._find(m.group(0))
                        if idx >= 0:
                            self._claim(idx, len(m.group(0)), smap, at + m.start())
            at += len(piece) + 1
        return smap

    def skip(self, value: str) -> None:
        """Move past a URL that follows link text in the source (`[text](url)`)."""
        if not value:
            return
        idx = self.ctx.find(value, self.cursor)
        if 0 <= idx - self.cursor < 400:
            self.used.append((idx, idx + len(value)))
            self.cursor = idx + len(value)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _lint_markdown(doc: _Doc, style: StyleSet) -> None:
    source = doc.source
    rendered_src = _FRONT_MATTER.sub(_blank, source, count=1)
    rendered_src = _MATH_BLOCK.sub(_blank, rendered_src)
    ctx = _INFO_STRING.sub(lambda m: "`" * m.group(0).count("`") + "*" * len(m.group(0).split("`")[-1]),
                           rendered_src)
    html = _markdown_html(rendered_src)
    parser = _Events()
    parser.feed(html)
    parser.close()
    placer = _Placer(ctx)
    ext = doc.ext
    skip_tags = style.skipped_scopes or list(SKIP_TAGS)
    skipped = style.ignored_scopes or ["tt", "code", "kbd"]
    skip_classes = set(SKIP_CLASSES) | set(style.ignored_classes)
    buf: list[str] = []
    bmap: list[int] = []
    tag_history: list[str] = []
    active_tag = ""
    in_block = 0
    block_tag = ""
    inline = False
    skip = False
    attr = ""
    parent_class = ""
    for kind, data, attrs in parser.events:
        cls = attrs.get("class", "")
        skip_class = any(c in skip_classes for c in cls.split())
        if kind == "start" and in_block and data == block_tag:
            in_block += 1
        elif kind == "start" and not in_block and (
                data in skip_tags or (skip_class and data not in INLINE_TAGS)):
            in_block = 1
            block_tag = data
            doc.state.metrics[data] = doc.state.metrics.get(data, 0) + 1
        elif kind == "end" and in_block and data == block_tag:
            in_block -= 1
        elif kind == "start" and not in_block:
            if data in ("em", "b") and (tag_history[-1:] or [active_tag])[0] == "code":
                data = "code"
            inline = data in INLINE_TAGS
            skip = data in skipped
            tag_history.append(data)
            active_tag = data
        elif kind == "end" and data in INLINE_TAGS:
            active_tag = ""
            if data == "a":
                placer.skip(unquote(attr_stack_href.pop()) if attr_stack_href else "")
        elif kind == "comment":
            _comment(doc, data)
        elif kind == "data":
            txt = data.strip()
            if txt:
                smap = placer.place(txt)
                if in_block:
                    continue
                if active_tag in TAG_TO_SCOPE and active_tag in INLINE_TAGS:
                    _lint_block(doc, _Block(txt, TAG_TO_SCOPE[active_tag], smap,
                                            parent=_parent_scope(tag_history, TAG_TO_SCOPE[active_tag])))
                    active_tag = ""
                parent_skip = any(c in skip_classes for c in parent_class.split())
                starter = txt[0] in _PUNCT_START and not (skip or parent_skip)
                if skip or parent_skip or attr == txt:
                    txt = re.sub(r"[\x00-\x7f]", lambda m: m.group(0) if m.group(0) == "\n" else "*", txt)
                    skip = False
                first = next((o for o in smap if o >= 0), -1)
                last = next((o for o in reversed(bmap) if o >= 0), -1)
                if buf and first >= 0 and last >= 0 and first > last:
                    spaced = any(ch.isspace() for ch in ctx[last + 1: first])
                else:
                    spaced = inline and not starter and txt[0] not in _DASHES
                if spaced and buf:
                    txt = " " + txt
                    smap = [-1] + smap
                buf.append(txt)
                bmap.extend(smap)
        if kind == "end" and data not in INLINE_TAGS and not in_block:
            content = "".join(buf)
            if content.strip():
                _lint_scope(doc, tag_history, content, bmap)
            buf, bmap, tag_history = [], [], []
        if kind == "start":
            attr = attrs.get("href", "")
            parent_class = cls
            if data == "a":
                attr_stack_href.append(attrs.get("href", ""))
            if data == "img" and not in_block:
                alt = attrs.get("alt", "")
                if alt and "alt" not in style.skipped_scopes:
                    smap = placer.place(alt)
                    _lint_block(doc, _Block(alt, "text.attr.alt" + ext, smap))
                placer.skip(attrs.get("src", ""))
        else:
            attr = ""
            parent_class = ""
    attr_stack_href.clear()
    doc.off = False
    doc.disabled.clear()
    _lint_sized(doc)


attr_stack_href: list[str] = []


def _parent_scope(tags: list[str], new: str) -> str:
    root = tags[0] if tags else ""
    root = "li" if root == "ul" else ("" if root == "p" else root)
    scope = TAG_TO_SCOPE.get(root, "")
    if not scope and _HEADING.match(root):
        scope = "text.heading." + root
    return f"{scope}.{new}".lstrip(".")


def _lint_scope(doc: _Doc, tag_history: list[str], content: str, bmap: list[int]) -> None:
    for tag in tag_history:
        scope = TAG_TO_SCOPE.get(tag)
        if (scope and tag not in INLINE_TAGS) or _HEADING.match(tag):
            if scope in ("text.blockquote", "text.list"):
                doc.summary.append(content)
            if scope is None:
                scope = "text.heading." + tag
            metric = scope.removeprefix("text.").replace(".", "_")
            doc.state.metrics[metric] = doc.state.metrics.get(metric, 0) + 1
            stripped = content.lstrip(" ")
            cut = len(content) - len(stripped)
            _lint_block(doc, _Block(stripped, scope + doc.ext, bmap[cut:]))
            return
    _lint_prose(doc, content, bmap)


def _lint_sized(doc: _Doc) -> None:
    summary = "\n\n".join(doc.summary)
    _lint_block(doc, _Block(summary, "summary" + doc.ext, [-1] * len(summary)))
    _lint_block(doc, _Block(doc.source, "raw" + doc.ext, None, 0))


def _comment(doc: _Doc, comment: str) -> None:
    if comment == "vale off":
        doc.off = True
    elif comment == "vale on":
        doc.off = False
    else:
        m = _COMMENT_RULE.match(comment)
        if m:
            if m.group(2) == "NO":
                doc.disabled.add(m.group(1))
            else:
                doc.disabled.discard(m.group(1))


# --------------------------------------------------------------------------- entry points


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def lint_source(style: StyleSet, source: str, path: str, *, ext: str | None = None,
                simple: bool = False) -> list[Alert]:
    """Lint `source` as the file `path` (its extension, or `ext`, picks text or Markdown)."""
    ext = (ext or os.path.splitext(path)[1]).lower()
    rules = style.rules_for(path if not ext or path.endswith(ext) else path + ext)
    doc = _Doc(_normalize(source), rules, path, ext)
    if not rules:
        return []
    if ext in MARKDOWN_EXTS and not simple:
        _lint_markdown(doc, style)
    else:
        _lint_block(doc, _Block(doc.source, "text" + ext, None, 0))
    doc.alerts.sort(key=lambda a: (a.line, a.column))
    return doc.alerts


def check_text(style: StyleSet, text: str, *, fmt: str = "text") -> list[Alert]:
    """Lint a string with every rule of `style` that applies to a `.txt` (fmt='text') or `.md` file."""
    if fmt not in ("text", "markdown", "md"):
        raise ConfigError(f"check_text: fmt '{fmt}' is not supported; use 'text' or 'markdown'")
    ext = ".md" if fmt in ("markdown", "md") else ".txt"
    return lint_source(style, text, "stdin" + ext, ext=ext)


def _walk(root: str) -> Iterable[str]:
    if os.path.isfile(root):
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        for name in sorted(files):
            path = os.path.join(folder, name)
            if path.startswith("./"):
                path = path[2:]
            yield path


@dataclass
class LintResult:
    alerts: list[Alert]
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for a in self.alerts if a.level == "error")


def lint_paths(style: StyleSet, paths: list[str], *, ext: str | None = None, simple: bool = False,
               stdin: str | None = None) -> LintResult:
    """Lint files and folders (Vale's `vale PATHS`); `stdin` text is linted as `stdin<ext>`."""
    alerts: list[Alert] = []
    count = 0
    if stdin is not None:
        e = ext or ".txt"
        alerts += lint_source(style, stdin, "stdin" + e, ext=e, simple=simple)
        count += 1
    for given in paths:
        if given.startswith("<stdin:"):
            # The conformance harness passes Vale's `cat FILE | vale` step as `<stdin:FILE`.
            e = ext or ".txt"
            text = Path(given[len("<stdin:"):].rstrip(">")).read_text(encoding="utf-8", errors="replace")
            alerts += lint_source(style, text, "stdin" + e, ext=e, simple=simple)
            count += 1
            continue
        if not os.path.exists(given):
            # Vale lints a non-path argument as text.
            e = ext or ".txt"
            alerts += lint_source(style, given, "stdin" + e, ext=e, simple=simple)
            count += 1
            continue
        walked = os.path.isdir(given)
        for path in _walk(given):
            file_ext = (ext or os.path.splitext(path)[1]).lower()
            if file_ext in UNSUPPORTED_EXTS:
                continue
            if walked and not style.applies_to(path):
                continue
            if os.path.basename(path) in (".vale.ini", "_vale.ini", ".vale", "_vale", "vale.ini"):
                continue
            try:
                source = Path(path).read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
            alerts += lint_source(style, source, path.replace(os.sep, "/"), ext=file_ext, simple=simple)
            count += 1
    alerts.sort(key=lambda a: (a.path, a.line, a.column))
    return LintResult(alerts, count)


def level_at_least(alert: Alert, level: str) -> bool:
    return LEVELS[alert.level] >= LEVELS[level]


def read_stdin() -> str:
    return sys.stdin.read()
