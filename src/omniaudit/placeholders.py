"""Placeholders and inline markup in strings: what an app or a template fills in at run time is not text.

Message catalogues and page templates hold slots (`%{name}`, `{ $count }`, `%1$s`, `{{ price }}`,
`<%= x %>`) that the app fills in. Read as text they turn into facts (`%1 mois` would read "1 month", `%1$@`
"$1"), so every slot becomes one neutral token, `PLACEHOLDER`, that holds no digit, no currency sign and
no sentence end: no reader ever takes it for a number, money or a duration, and the sentence around it
stays one sentence.

Inline markup inside a string (`within <strong>3 to 5</strong> working days`) is flattened before sentences
are split and values read, so the value reads whole.

Used by the collect stage (catalogues, templates) so that every later stage sees the same text.
"""

from __future__ import annotations

import html
import re

PLACEHOLDER = "⟨var⟩"

# Order matters: the longer, more specific syntaxes first, so `{{{ x }}}` is not read as `{{ x }}` + `}`.
_SLOTS = re.compile(
    "|".join(
        (
            r"\{\{\{[^{}]*\}\}\}",  # Handlebars/Mustache raw output
            r"\{\{(?!<|%)[^{}]*\}\}",  # Jinja, Nunjucks, Liquid, Handlebars, Angular, Vue: {{ x }}
            r"<%[=-][^%]*?-?%>",  # ERB / EJS output tags
            r"%\{[^{}\s]*\}",  # Rails / Ruby i18n: %{name}
            r"%<[\w.]+>[-+ #0]*\d*(?:\.\d+)?[sdifxXeEgG]",  # Ruby format: %<amount>.2f
            r"%\([\w.-]+\)[-+ #0]*\d*(?:\.\d+)?[sdifxXeEgGcr]",  # Python named printf (gettext): %(count)d
            r"#\{[^{}]*\}",  # Ruby interpolation
            r"\$\{[^{}]*\}",  # JavaScript template literal
            r"\{\s*\$[\w-]+\s*\}",  # Fluent variable: { $count }
            r"\{\s*-[\w-]+(?:\.[\w-]+)?\s*\}",  # Fluent term reference left unresolved: { -brand-name }
            r"\{\s*[A-Z]+\([^(){}]*\)\s*\}",  # Fluent function: { NUMBER($x) }
            r"\{\s*[\w.]+\s*,\s*(?:number|date|time|spellout|ordinal|duration)\b[^{}]*\}",  # ICU typed
            r"\{\s*[A-Za-z_][\w.]*\s*\}",  # ICU / i18next / Python named argument: {name}
            r"\{\d+\}",  # ICU / .NET / Java positional argument: {0}
            r"<<\s*[\w.]+\s*>>",  # mail-merge tokens: <<Client.Name>>
            # printf (C, Java, Android, iOS, gettext): %s %d %1$s %,d %.2f %@ %1$@ %lld. No space flag:
            # "50 % de" is a percentage. Not after a digit: "20%d" does not occur, "20%" does.
            r"(?<![\d%])%(?:\d+\$)?[-+#0,']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|q|z|j|t)?[sdiuxXofFeEgGcp@]",
            r"(?<![\d%])%\d{1,2}(?![\d$])",  # Qt / Windows positional: %1
        )
    )
)
# A slot written right against a word ("%1$sitems") still reads as a slot followed by that word.
_GLUED_BEFORE = re.compile(rf"(?<=\w){re.escape(PLACEHOLDER)}")
_GLUED_AFTER = re.compile(rf"{re.escape(PLACEHOLDER)}(?=\w)")

_BLOCK_TAGS = re.compile(
    r"</?(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|blockquote)\b[^<>]*>", re.I
)
_INLINE_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"[ \t\u00a0]+")


def neutralize(text: str) -> str:
    """`text` with every run-time slot replaced by `PLACEHOLDER` (`%%` becomes a literal `%`)."""
    if "%" not in text and "{" not in text and "<" not in text and "$" not in text and "#" not in text:
        return text
    replaced = _SLOTS.sub(PLACEHOLDER, text)
    replaced = _GLUED_AFTER.sub(PLACEHOLDER + " ", _GLUED_BEFORE.sub(" " + PLACEHOLDER, replaced))
    return replaced.replace("%%", "%")


def flatten_markup(text: str) -> str:
    """Inline HTML in a string as plain text: tags dropped (block tags become a space), entities decoded."""
    if "<" in text:
        text = _BLOCK_TAGS.sub(" ", text)
        text = _INLINE_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()


def clean_string(text: str) -> str:
    """A catalogue message or template string as the reader sees it: slots neutral, markup flattened."""
    return flatten_markup(neutralize(text))


def is_placeholder_only(text: str) -> bool:
    """True when nothing but slots, punctuation and spaces is left: such a string says nothing."""
    rest = text.replace(PLACEHOLDER, "")
    return not any(ch.isalpha() for ch in rest)


__all__ = ["PLACEHOLDER", "clean_string", "flatten_markup", "is_placeholder_only", "neutralize"]
