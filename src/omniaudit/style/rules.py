"""Vale rule kinds: existence, substitution, occurrence, repetition, consistency, conditional,
capitalization and metric, with Vale's keys, defaults and message formatting.

Each rule is compiled once (`build_rule`) and run on a block of text (`Rule.run`), returning
`RawAlert`s whose spans are code-point offsets into that block. Patterns use the PyPI `regex`
module, which has what Vale's patterns need (lookbehind of any length, scoped inline flags, \\p{L}).
"""

from __future__ import annotations

import logging
import math
import re as stdre
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import regex

from ..errors import ConfigError

log = logging.getLogger(__name__)

LEVELS = {"suggestion": 0, "warning": 1, "error": 2}
KINDS = (
    "existence",
    "substitution",
    "occurrence",
    "repetition",
    "consistency",
    "conditional",
    "capitalization",
    "metric",
)
# Vale kinds that we read but do not run: a rule of one of these is skipped with one warning.
UNSUPPORTED_KINDS = ("spelling", "sequence", "readability", "script", "lt")

WORD_TEMPLATE = r"(?m)\b(?:%s)\b"
NONWORD_TEMPLATE = r"(?m)(?:%s)"

_cache: dict[tuple[str, int], Any] = {}


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    """Compile with `regex` using scoped inline flags (Vale's regexp2 semantics), once per pattern."""
    key = (pattern, flags)
    found = _cache.get(key)
    if found is None:
        try:
            found = regex.compile(pattern, flags | regex.V1)
        except regex.error:
            found = regex.compile(pattern, flags)
        _cache[key] = found
    return found


@dataclass
class RawAlert:
    """One finding of a rule inside a block: [start, end) in code points of the block text."""

    start: int
    end: int
    match: str
    message: str
    check: str
    level: str
    suggestions: tuple[str, ...] = ()
    # True when the span does not address the text (occurrence with no match, metric).
    whole: bool = False


@dataclass
class Rule:
    name: str  # Style.Rule
    kind: str
    level: str
    message: str
    scope: tuple[str, ...]
    path: str
    link: str = ""
    limit: int = 0
    action: dict[str, Any] = field(default_factory=dict)
    definition: dict[str, Any] = field(default_factory=dict)
    runner: Callable[[Rule, str, LintState], list[RawAlert]] | None = None
    compiled: dict[str, Any] = field(default_factory=dict)

    def run(self, text: str, state: LintState) -> list[RawAlert]:
        assert self.runner is not None
        return self.runner(self, text, state)

    def alert(self, start: int, end: int, match: str, message: str, **kw: Any) -> RawAlert:
        return RawAlert(start, end, match, message, self.name, self.level, **kw)


@dataclass
class LintState:
    """Per-document memory shared by the rules (Vale's `File.Sequences` and metric counters)."""

    sequences: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- message helpers


def format_message(msg: str, *subs: str) -> str:
    """Vale's `core.FormatMessage`: fill `%s` placeholders in order."""
    if "%" not in msg:
        return msg
    out: list[str] = []
    i = 0
    n = 0
    while i < len(msg):
        ch = msg[i]
        if ch == "%" and i + 1 < len(msg):
            nxt = msg[i + 1]
            if nxt == "%":
                out.append("%")
                i += 2
                continue
            if nxt in "sdvq":
                value = subs[n] if n < len(subs) else (subs[-1] if subs else "")
                out.append(f'"{value}"' if nxt == "q" else str(value))
                n += 1
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def to_sentence(items: list[str], conj: str) -> str:
    """Vale's `core.ToSentence`: 'a', 'a' or 'b', 'a', 'b', or 'c'."""
    quoted = [f"'{item}'" for item in items]
    if not quoted:
        return ""
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} {conj} {quoted[1]}"
    return ", ".join(quoted[:-1]) + f", {conj} " + quoted[-1]


def _convert_message(msg: str) -> str:
    for spec in ("'%s'", '"%s"'):
        if msg.count(spec) == 2:
            msg = msg.replace(spec, "%s", 1)
    return msg


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_PHRASE_RE = regex.compile(r"^[\p{L}\s]+$")


def is_phrase(text: str) -> bool:
    return bool(_PHRASE_RE.match(text))


def _scoped(term: str) -> str:
    if term.startswith("(?i)"):
        return "(?i:" + term[4:] + ")"
    return "(?-i:" + term + ")"


def exceptions_re(exceptions: list[str], accepted: list[str], vocab: bool) -> Any:
    terms = list(exceptions) + (list(accepted) if vocab else [])
    if not terms:
        return None
    terms.sort(key=len, reverse=True)
    return compile_pattern(WORD_TEMPLATE % "|".join(_scoped(t) for t in terms))


def phrase_re(exceptions: list[str], accepted: list[str], vocab: bool) -> Any:
    terms = list(exceptions) + (list(accepted) if vocab else [])
    phrases = [t for t in terms if " " in t or "\t" in t or r"\s" in t]
    if not phrases:
        return None
    try:
        return compile_pattern(r"(?i)\b(?:" + "|".join(phrases) + r")\b")
    except regex.error:
        return None


def _excepted(rule: Rule, observed: str, text: str, start: int, end: int) -> bool:
    exc = rule.compiled.get("except")
    if exc is not None and exc.search(observed):
        return True
    phr = rule.compiled.get("phrase")
    if phr is not None:
        for m in phr.finditer(text):
            if start >= m.start() and end <= m.end():
                return True
    return False


def _action_suggestions(rule: Rule, match: str) -> list[str]:
    name = rule.action.get("name", "")
    params = [str(p) for p in rule.action.get("params", []) or []]
    if name == "replace":
        return params
    if name == "edit" and params:
        op = params[0]
        if op == "remove":
            return [""]
        if op == "truncate" and len(params) > 1:
            return [match.split(params[1])[0]]
        if op == "trim_right" and len(params) > 1:
            return [match.rstrip(params[1])]
        if op == "trim_left" and len(params) > 1:
            return [match.lstrip(params[1])]
        if op == "regex" and len(params) > 2:
            return [regex.sub(params[1], params[2], match)]
    if name == "remove":
        return [""]
    return []


def _standard_message(rule: Rule, match: str) -> tuple[str, tuple[str, ...]]:
    if rule.action.get("name"):
        fixed = _action_suggestions(rule, match)
        repl = match
        if len(fixed) == 1:
            repl = fixed[0]
        elif len(fixed) > 1:
            repl = to_sentence(fixed, "or")
        return format_message(rule.message, match, repl), tuple(fixed)
    return format_message(rule.message, match), ()


# --------------------------------------------------------------------------- kinds


def _build_existence(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    tokens = [str(t) for t in d.get("tokens") or [] if str(t).strip()]
    raw = "".join(str(t) for t in d.get("raw") or [])
    nonword = bool(d.get("nonword", False))
    ignorecase = bool(d.get("ignorecase", False))
    append = bool(d.get("append", False))
    vocab = bool(d.get("vocab", True))
    template = NONWORD_TEMPLATE if (nonword or not tokens) else WORD_TEMPLATE
    body = template.replace("%s", "|".join(tokens))
    pattern = body + raw if append else raw + body
    if ignorecase:
        pattern = "(?i)" + pattern
    rule.compiled["re"] = compile_pattern(pattern)
    rule.compiled["except"] = exceptions_re(_strs(d.get("exceptions")), accepted, vocab and not nonword)
    rule.compiled["phrase"] = phrase_re(_strs(d.get("exceptions")), accepted, vocab and not nonword)
    rule.runner = _run_existence


def _run_existence(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    out: list[RawAlert] = []
    for m in rule.compiled["re"].finditer(text):
        matched = m.group(0)
        if _excepted(rule, matched.strip(), text, m.start(), m.end()):
            continue
        message, sugg = _standard_message(rule, matched)
        out.append(rule.alert(m.start(), m.end(), matched, message, suggestions=sugg))
    return out


_CAPTURE_OPEN = regex.compile(r"(?<!\\)\((?!\?)")


def _leading_group(expr: str) -> str:
    if not expr.startswith(("(?=", "(?!", "(?<=", "(?<!")):
        return ""
    depth = 0
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch == "\\":
            i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return expr[: i + 1]
        i += 1
    return ""


def _build_substitution(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    swap = {str(k): ("" if v is None else str(v)) for k, v in (d.get("swap") or {}).items()}
    ignorecase = bool(d.get("ignorecase", False))
    nonword = bool(d.get("nonword", False))
    vocab = bool(d.get("vocab", True))
    terms = sorted(swap, key=len, reverse=True)
    shared = ""
    if len(terms) >= 2:
        lead = _leading_group(terms[0])
        if lead and lead.count("(") == lead.count("(?") + lead.count(r"\(") and all(
            t.startswith(lead) for t in terms[1:]
        ):
            shared = lead
    parts = []
    for term in terms:
        body = term[len(shared):] if shared else term
        if body.count("(") != body.count("(?") + body.count(r"\("):
            body = _CAPTURE_OPEN.sub("(?:", body)
        parts.append("(" + body + ")")
    tokens = "|".join(parts)
    if shared:
        tokens = shared + "(?:" + tokens + ")"
    pattern = (NONWORD_TEMPLATE if nonword else WORD_TEMPLATE) % tokens
    if ignorecase:
        pattern = "(?i)" + pattern
    rule.compiled["re"] = compile_pattern(pattern)
    rule.compiled["terms"] = terms
    rule.compiled["repl"] = [swap[t] for t in terms]
    rule.compiled["ignorecase"] = ignorecase
    rule.compiled["capitalize"] = bool(d.get("capitalize", False))
    rule.compiled["matchcase"] = bool(d.get("matchcase", False))
    rule.compiled["except"] = exceptions_re(_strs(d.get("exceptions")), accepted, vocab)
    rule.compiled["phrase"] = phrase_re(_strs(d.get("exceptions")), accepted, vocab)
    rule.runner = _run_substitution


def _options(expected: str) -> list[str]:
    return [o.replace(r"\|", "|") for o in regex.split(r"(?<!\\)\|", expected) if o]


def _match_token(expected: str, observed: str) -> bool:
    if is_phrase(expected):
        return expected == observed
    try:
        return bool(compile_pattern("^(?:" + expected + ")$").search(observed))
    except regex.error:
        return expected == observed


def _recase(params: list[str], observed: str) -> list[str]:
    if observed.isupper():
        return [p.upper() for p in params]
    if observed.islower():
        return [p.lower() for p in params]
    if observed[:1].isupper():
        return [cap_first(p) for p in params]
    return params


def _run_substitution(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    out: list[RawAlert] = []
    c = rule.compiled
    action_name = rule.action.get("name", "")
    for m in c["re"].finditer(text):
        idx = m.lastindex
        if idx is None:
            continue
        # The alternation sets exactly one group: the first participating one is the term.
        for g in range(1, len(c["repl"]) + 1):
            if m.start(g) != -1:
                idx = g
                break
        start, end = m.start(idx), m.end(idx)
        observed = m.group(idx)
        expected = c["repl"][idx - 1]
        if c["capitalize"] and observed == cap_first(observed):
            expected = cap_first(expected)
        if regex.search(r"\$\d+", expected):
            term = c["terms"][idx - 1]
            try:
                expected = compile_pattern(("(?i)" if c["ignorecase"] else "") + term).sub(
                    regex.sub(r"\$(\d+)", r"\\\1", expected), observed
                )
            except (regex.error, IndexError):
                pass
        if action_name == "replace":
            same = observed in _options(expected)
        else:
            same = _match_token(expected, observed)
        if same or _excepted(rule, observed, text, start, end):
            continue
        message = rule.message
        sugg: tuple[str, ...] = ()
        if action_name == "replace" and not rule.action.get("params"):
            params = _options(expected)
            if c["capitalize"] and observed == cap_first(observed):
                params = [cap_first(p) for p in params]
            if c["matchcase"]:
                params = _recase(params, observed)
            expected = to_sentence(params, "or")
            message = _convert_message(message)
            sugg = tuple(params)
        message = format_message(message, expected, observed)
        out.append(rule.alert(start, end, observed, message, suggestions=sugg))
    return out


_FIRST_WORD = regex.compile(r"\S+")
_CODE_RE = regex.compile(r"^[`*]+$")


def _build_occurrence(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    pattern = "(?:" + str(d.get("token", "")) + ")"
    if d.get("ignorecase"):
        pattern = "(?i)" + pattern
    rule.compiled["re"] = compile_pattern(pattern)
    rule.compiled["max"] = int(d.get("max", 0) or 0)
    rule.compiled["min"] = int(d.get("min", 0) or 0)
    rule.runner = _run_occurrence


def _cond_sprintf(msg: str, count: int) -> str:
    if "%" not in msg:
        return msg
    return msg.replace("%d", str(count)).replace("%s", str(count))


def _run_occurrence(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    c = rule.compiled
    locs = [(m.start(), m.end()) for m in c["re"].finditer(text)]
    n = len(locs)
    if not ((c["max"] > 0 and n > c["max"]) or (c["min"] > 0 and n < c["min"])):
        return []
    message = _cond_sprintf(rule.message, n)
    if n == 0:
        word = _FIRST_WORD.search(text)
        if word is None:
            return [rule.alert(0, 0, "", message, whole=True)]
        return [rule.alert(word.start(), word.end(), word.group(0), message)]
    for start, end in locs:
        m = text[start:end]
        if m.strip() and not _CODE_RE.search(m):
            return [rule.alert(start, end, m, message)]
    return []


def _build_repetition(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    tokens = [str(t) for t in d.get("tokens") or []]
    pattern = ("(?i)" if d.get("ignorecase") else "") + "(" + "|".join(tokens) + ")"
    rule.compiled["re"] = compile_pattern(pattern)
    rule.compiled["max"] = int(d.get("max", 0) or 0)
    rule.compiled["ignorecase"] = bool(d.get("ignorecase", False))
    rule.compiled["alpha"] = bool(d.get("alpha", False))
    vocab = bool(d.get("vocab", True))
    rule.compiled["except"] = exceptions_re(_strs(d.get("exceptions")), accepted, vocab)
    rule.compiled["phrase"] = phrase_re(_strs(d.get("exceptions")), accepted, vocab)
    rule.runner = _run_repetition


_LETTERS = regex.compile(r"^\p{L}+$")


def _run_repetition(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    from .text import split_sentences

    c = rule.compiled
    out: list[RawAlert] = []
    prev = ""
    ploc: tuple[int, int] | None = None
    count = 0
    for m in c["re"].finditer(text):
        curr = m.group(0).strip()
        hit = (curr.lower() == prev.lower() if c["ignorecase"] else curr == prev) and curr != ""
        hit = hit and (not c["alpha"] or bool(_LETTERS.match(curr)))
        if hit:
            count += 1
        if hit and count > c["max"] and ploc is not None:
            span = text[ploc[0]: m.end()]
            if len(split_sentences(span)) == 1 and not _excepted(rule, span, text, ploc[0], m.end()):
                message, sugg = _standard_message(rule, span)
                message = format_message(rule.message, curr)
                out.append(rule.alert(ploc[0], m.end(), span, message, suggestions=sugg))
                count = 0
        ploc = (m.start(), m.end())
        prev = curr
    return out


def _build_consistency(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    template = NONWORD_TEMPLATE if d.get("nonword") else WORD_TEMPLATE
    stem = rule.name.split(".")[-1]
    steps = []
    count = 0
    for first, second in (d.get("either") or {}).items():
        count += 2
        subs = (f"{stem}{count}", f"{stem}{count + 1}")
        pattern = template % f"(?P<{subs[0]}>{first})|(?P<{subs[1]}>{second})"
        if d.get("ignorecase"):
            pattern = "(?i)" + pattern
        steps.append((compile_pattern(pattern), subs))
    rule.compiled["steps"] = steps
    rule.runner = _run_consistency


def _run_consistency(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    out: list[RawAlert] = []
    for pattern, subs in rule.compiled["steps"]:
        last: tuple[int, int] | None = None
        any_match = False
        for m in pattern.finditer(text):
            any_match = True
            for name in subs:
                if m.start(name) != -1:
                    last = (m.start(name), m.end(name))
                    state.sequences.append(name)
        if any_match and last is not None and all(s in state.sequences for s in subs):
            matched = text[last[0]: last[1]]
            message, sugg = _standard_message(rule, matched)
            out.append(rule.alert(last[0], last[1], matched, message, suggestions=sugg))
    return out


def _has_capture_group(pattern: str) -> bool:
    return pattern.count("(") > pattern.count("(?") + pattern.count(r"\(")


def _build_conditional(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    first = str(d.get("first", ""))
    second = str(d.get("second", ""))
    ignore = "(?i)" if d.get("ignorecase") else ""
    rule.compiled["first"] = compile_pattern(ignore + first)
    rule.compiled["second"] = compile_pattern(ignore + second)
    rule.compiled["grouped"] = _has_capture_group(second)
    vocab = bool(d.get("vocab", True))
    rule.compiled["except"] = exceptions_re(_strs(d.get("exceptions")), accepted, vocab)
    rule.compiled["phrase"] = phrase_re(_strs(d.get("exceptions")), accepted, vocab)
    rule.runner = _run_conditional


def _run_conditional(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    c = rule.compiled
    out: list[RawAlert] = []
    if not c["grouped"]:
        if c["second"].search(text):
            return out
        for m in c["first"].finditer(text):
            if _excepted(rule, m.group(0), text, m.start(), m.end()):
                continue
            message, sugg = _standard_message(rule, m.group(0))
            out.append(rule.alert(m.start(), m.end(), m.group(0), message, suggestions=sugg))
        return out
    for m in c["second"].finditer(text):
        for g in m.groups():
            if g:
                state.sequences.append(g)
    for m in c["first"].finditer(text):
        s = m.group(0)
        if s in state.sequences or _excepted(rule, s, text, m.start(), m.end()):
            continue
        message, sugg = _standard_message(rule, s)
        out.append(rule.alert(m.start(), m.end(), s, message, suggestions=sugg))
    return out


def _build_capitalization(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    from . import text as textmod

    vocab = bool(d.get("vocab", True))
    exceptions = _strs(d.get("exceptions")) + (list(accepted) if vocab else [])
    rule.compiled["except"] = exceptions_re(_strs(d.get("exceptions")), accepted, vocab)
    threshold = float(d.get("threshold", 0) or 0) or 0.8
    match = str(d.get("match", ""))
    prefix = str(d.get("prefix", "") or "")
    indicators = _strs(d.get("indicators"))
    rule.compiled["match"] = match
    check: Callable[[str], tuple[str, bool]]
    if match == "$title":
        style = str(d.get("style", "AP") or "AP")

        def check(s: str) -> tuple[str, bool]:
            return textmod.title_check(s, exceptions, prefix, style, threshold, rule.compiled["except"])

    elif match == "$sentence":

        def check(s: str) -> tuple[str, bool]:
            exc = rule.compiled["except"]
            return textmod.sentence_check(s, exceptions, prefix, indicators, threshold, exc)

    elif match == "$lower":

        def check(s: str) -> tuple[str, bool]:
            return s.lower(), s == s.lower()

    elif match == "$upper":

        def check(s: str) -> tuple[str, bool]:
            return s.upper(), s == s.upper()

    else:
        compiled = compile_pattern(match)

        def check(s: str) -> tuple[str, bool]:
            exc = rule.compiled["except"]
            return match, bool(compiled.search(s)) or bool(exc is not None and exc.search(s))

    rule.compiled["check"] = check
    rule.runner = _run_capitalization


def _run_capitalization(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    expected, ok = rule.compiled["check"](text)
    if ok:
        return []
    sugg: tuple[str, ...] = ()
    if rule.action.get("name") == "replace" and rule.compiled["match"] in ("$title", "$sentence"):
        sugg = (expected,)
    return [rule.alert(0, len(text), text, format_message(rule.message, text, expected), suggestions=sugg)]


_HEADINGS_VAR = stdre.compile(r"heading\.(h[1-6])")
# Counts every document has (0 when absent), as in Vale; other counts (words, sentences, a skipped element's
# tag name) exist only when the document has them.
_METRIC_VARS = ("pre", "list", "blockquote", "heading_h1", "heading_h2", "heading_h3", "heading_h4",
                "heading_h5", "heading_h6")
_MAX_FORMULA_CHARS = 500
_MAX_NESTING = 50
# The part of Tengo's `math` module a readability formula needs (Vale's SMOG uses math.sqrt).
_MATH_CONSTANTS = {"pi": math.pi, "e": math.e}
_MATH_FUNCTIONS: dict[str, tuple[int, Callable[..., float]]] = {
    "abs": (1, abs),
    "ceil": (1, math.ceil),
    "floor": (1, math.floor),
    "trunc": (1, math.trunc),
    # Go's math.Round: halves away from zero (Python's round() goes to even).
    "round": (1, lambda x: math.copysign(math.floor(abs(x) + 0.5), x)),
    "sqrt": (1, math.sqrt),
    "cbrt": (1, lambda x: math.copysign(abs(x) ** (1 / 3), x)),
    "exp": (1, math.exp),
    "log": (1, math.log),
    "log2": (1, math.log2),
    "log10": (1, math.log10),
    "pow": (2, math.pow),
    "max": (2, max),
    "min": (2, min),
}
_ALLOWED = (
    "a metric formula may use numbers, counts (words, sentences, heading.h2, list, ...), + - * /, "
    f"parentheses and math.{'/'.join(_MATH_FUNCTIONS)}(...); a condition is a comparison such as '> 8'"
)
_FORMULA_TOKEN = stdre.compile(
    r"\s*(?:(?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op><=|>=|==|!=|[-+*/(),.<>]))"
)
_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}

Number = int | float
Counts = dict[str, float]
Formula = Callable[[Counts], Number]


class _FormulaError(Exception):
    """A formula outside the whitelist: never evaluated, reported as a rule error."""


class _FormulaUndefined(Exception):
    """A formula that cannot be computed for this document (a missing count, an integer division by 0)."""


def _tokens(expr: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    end = len(expr.rstrip())
    while pos < end:
        m = _FORMULA_TOKEN.match(expr, pos)
        if m is None or m.end() == pos:
            raise _FormulaError(f"'{expr[pos:end].lstrip()[:1]}' is not allowed")
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _FormulaParser:
    """Recursive descent over Tengo's arithmetic: the only code a style package's formula can reach.
    Each rule builds a closure over the counts; nothing is looked up by name but the counts themselves."""

    def __init__(self, expr: str) -> None:
        if len(expr) > _MAX_FORMULA_CHARS:
            raise _FormulaError(f"longer than {_MAX_FORMULA_CHARS} characters")
        self.tokens = _tokens(expr)
        self.pos = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise _FormulaError("it ends too early")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        kind, value = self.take()
        if value != text:
            raise _FormulaError(f"expected '{text}', got '{value}'")

    def finish(self) -> None:
        if self.pos < len(self.tokens):
            raise _FormulaError(f"unexpected '{self.tokens[self.pos][1]}'")

    def expression(self) -> Formula:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise _FormulaError(f"nested deeper than {_MAX_NESTING}")
        left = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            left = _binary(op, left, self.term())
        self.depth -= 1
        return left

    def term(self) -> Formula:
        left = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            left = _binary(op, left, self.unary())
        return left

    def unary(self) -> Formula:
        if self.peek() in ("-", "+"):
            op = self.take()[1]
            self.depth += 1
            if self.depth > _MAX_NESTING:
                raise _FormulaError(f"nested deeper than {_MAX_NESTING}")
            operand = self.unary()
            self.depth -= 1
            if op == "+":
                return operand
            return lambda counts: -operand(counts)
        return self.primary()

    def primary(self) -> Formula:
        kind, value = self.take()
        if kind == "number":
            number: Number = float(value) if any(c in value for c in ".eE") else int(value)
            return lambda counts: number
        if value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind != "name":
            raise _FormulaError(f"unexpected '{value}'")
        if self.peek() == ".":
            return self.math_member(value)
        if self.peek() == "(":
            raise _FormulaError(f"calling '{value}' is not allowed")
        if value.startswith("_"):
            raise _FormulaError(f"'{value}' is not a count")
        name = value

        def count(counts: Counts) -> Number:
            if name not in counts:
                raise _FormulaUndefined(f"no count '{name}' in this document")
            return counts[name]

        return count

    def math_member(self, owner: str) -> Formula:
        self.take()
        kind, member = self.take()
        if owner != "math" or kind != "name":
            raise _FormulaError(f"'{owner}.{member}' is not allowed")
        if member in _MATH_CONSTANTS:
            constant = _MATH_CONSTANTS[member]
            return lambda counts: constant
        if member not in _MATH_FUNCTIONS:
            raise _FormulaError(f"'math.{member}' is not allowed")
        arity, function = _MATH_FUNCTIONS[member]
        self.expect("(")
        args = [self.expression()]
        while self.peek() == ",":
            self.take()
            args.append(self.expression())
        self.expect(")")
        if len(args) != arity:
            raise _FormulaError(f"math.{member} takes {arity} argument{'s' if arity > 1 else ''}")
        return lambda counts: _call_math(function, [float(arg(counts)) for arg in args])


def _call_math(function: Callable[..., float], args: list[float]) -> float:
    # Go's math returns NaN or ±Inf where Python raises.
    try:
        return float(function(*args))
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def _binary(op: str, left: Formula, right: Formula) -> Formula:
    if op == "+":
        return lambda counts: left(counts) + right(counts)
    if op == "-":
        return lambda counts: left(counts) - right(counts)
    if op == "*":
        return lambda counts: left(counts) * right(counts)
    return lambda counts: _divide(left(counts), right(counts))


def _divide(a: Number, b: Number) -> Number:
    """Tengo's division: integer literals divide as Go ints (truncated; by zero a runtime error), anything
    with a float (every count is one) as IEEE floats (x/0 is ±Inf, 0/0 is NaN)."""
    if isinstance(a, int) and isinstance(b, int):
        if b == 0:
            raise _FormulaUndefined("integer division by zero")
        quotient = abs(a) // abs(b)
        return quotient if (a < 0) == (b < 0) else -quotient
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def parse_formula(expr: str) -> Formula:
    """A metric formula as a function of the counts. Raises _FormulaError outside the whitelist."""
    parser = _FormulaParser(expr)
    formula = parser.expression()
    parser.finish()
    return formula


def parse_condition(condition: str) -> Callable[[float, Counts], bool]:
    """A metric condition ('> 8') as a test of the formula's value."""
    parser = _FormulaParser(condition)
    first = parser.peek()
    if first not in _COMPARISONS:
        raise _FormulaError("it must start with one of < <= > >= == !=")
    parser.take()
    compare = _COMPARISONS[first]
    bound = parser.expression()
    parser.finish()
    return lambda value, counts: compare(value, bound(counts))


def _build_metric(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    formula = _HEADINGS_VAR.sub(r"heading_\1", str(d.get("formula", ""))).strip()
    condition = _HEADINGS_VAR.sub(r"heading_\1", str(d.get("condition", ""))).strip()
    try:
        rule.compiled["formula"] = parse_formula(formula)
    except _FormulaError as exc:
        raise ConfigError(f"{rule.path}:1: formula: {exc}; {_ALLOWED}") from None
    try:
        rule.compiled["condition"] = parse_condition(condition)
    except _FormulaError as exc:
        raise ConfigError(f"{rule.path}:1: condition: {exc}; {_ALLOWED}") from None
    rule.scope = ("summary",)
    rule.runner = _run_metric


def _run_metric(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    counts: Counts = {k: 0.0 for k in _METRIC_VARS}
    counts.update({k: float(v) for k, v in state.metrics.items()})
    try:
        value = float(rule.compiled["formula"](counts))
        if not math.isfinite(value):
            # Vale cannot compare ±Inf or NaN either (its condition fails to run): no alert.
            raise _FormulaUndefined(f"the formula is {value}")
        # Vale compares the value printed with %f, i.e. rounded to 6 decimals.
        hit = rule.compiled["condition"](float(f"{value:f}"), counts)
    except _FormulaUndefined as exc:
        log.debug("%s: metric formula not computed: %s", rule.name, exc)
        return []
    if not hit:
        return []
    return [rule.alert(0, 0, "", format_message(rule.message, f"{value:.2f}"), whole=True)]


_BUILDERS: dict[str, Callable[[Rule, dict[str, Any], list[str]], None]] = {
    "existence": _build_existence,
    "substitution": _build_substitution,
    "occurrence": _build_occurrence,
    "repetition": _build_repetition,
    "consistency": _build_consistency,
    "conditional": _build_conditional,
    "capitalization": _build_capitalization,
    "metric": _build_metric,
}


def _strs(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def build_rule(name: str, definition: dict[str, Any], path: str, accepted: list[str]) -> Rule:
    """Compile one rule definition (already parsed from YAML). Raises ConfigError on a bad rule."""
    kind = definition.get("extends")
    if not kind:
        raise ConfigError(f"{path}:1: extends: Missing the required 'extends' key.")
    kind = str(kind)
    if kind not in _BUILDERS:
        raise ConfigError(
            f"{path}:1: extends: '{kind}' is not a rule kind; use one of {', '.join(KINDS)}"
        )
    if "message" not in definition:
        raise ConfigError(f"{path}:1: message: Missing the required 'message' key.")
    level = str(definition.get("level", "suggestion"))
    if level not in LEVELS:
        raise ConfigError(f"{path}:1: level: '{level}' must be one of suggestion, warning, error")
    scope = definition.get("scope", "text")
    scopes = tuple(_strs(scope)) or ("text",)
    action = definition.get("action") or {}
    if not isinstance(action, dict):
        action = {}
    rule = Rule(
        name=name,
        kind=kind,
        level=level,
        message=str(definition.get("message", "")),
        scope=scopes,
        path=path,
        link=str(definition.get("link", "") or ""),
        limit=int(definition.get("limit", 0) or 0),
        action=action,
        definition=definition,
    )
    try:
        _BUILDERS[kind](rule, definition, accepted)
    except regex.error as exc:
        raise ConfigError(f"{path}:1: {kind}: invalid pattern: {exc}") from None
    return rule
