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
_METRIC_VARS = ("pre", "list", "blockquote", "heading_h1", "heading_h2", "heading_h3", "heading_h4",
                "heading_h5", "heading_h6")
_SAFE_NAMES = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}


def _build_metric(rule: Rule, d: dict[str, Any], accepted: list[str]) -> None:
    formula = _HEADINGS_VAR.sub(r"heading_\1", str(d.get("formula", "")))
    condition = str(d.get("condition", ""))
    for expr, key in ((formula, "formula"), ("0 " + condition, "condition")):
        try:
            compile(_tengo_to_python(expr), rule.path, "eval")
        except SyntaxError as exc:
            raise ConfigError(f"{rule.path}:1: {key}: cannot parse '{expr}': {exc.msg}") from None
    rule.compiled["formula"] = _tengo_to_python(formula)
    rule.compiled["condition"] = _tengo_to_python(condition)
    rule.scope = ("summary",)
    rule.runner = _run_metric


def _tengo_to_python(expr: str) -> str:
    expr = expr.replace("&&", " and ").replace("||", " or ")
    expr = stdre.sub(r"!(?!=)", " not ", expr)
    return stdre.sub(r"\bmath\.", "", expr)


def _run_metric(rule: Rule, text: str, state: LintState) -> list[RawAlert]:
    params: dict[str, Any] = {k: 0.0 for k in _METRIC_VARS}
    params.update(state.metrics)
    env = {"__builtins__": {}, **_SAFE_NAMES}
    try:
        value = eval(rule.compiled["formula"], env, params)  # noqa: S307 - arithmetic over counts only
        hit = eval(f"{float(value)!r} {rule.compiled['condition']}", env, params)  # noqa: S307
    except Exception as exc:  # a formula over a missing count: the rule cannot say anything
        log.debug("%s: metric formula failed: %s", rule.name, exc)
        return []
    if not hit:
        return []
    return [rule.alert(0, 0, "", format_message(rule.message, f"{float(value):.2f}"), whole=True)]


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
