"""Text helpers for the style rules: sentence splitting and title/sentence case checks."""

from __future__ import annotations

from typing import Any

import regex

# A sentence ends at . ! ? (and their CJK forms) followed by space and an upper-case letter,
# a digit or an opening quote, or at a blank line: close to Vale's sentence tokenizer on prose.
# The closing marks after the stop are bounded ({0,8}): an unbounded lookbehind rescans a long run of quotes
# at every position (quadratic).
_SENT_END = regex.compile(r"(?<=[.!?]['\"’”)\]]{0,8})\s+(?=[\p{Lu}\p{N}'\"“‘(\[])|(?<=[。！？])|\n\s*\n")
_ABBREV = regex.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|Mr|Mrs|Ms|Dr|St|No|Fig|cf)\.|\b\p{Lu}\.)$")
_ABBREV_CHARS = 6  # enough for the longest abbreviation above ("Mrs.")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` in order (empty pieces dropped)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.start() <= start:
            continue
        # Only the sentence's last characters can end in an abbreviation: searching from `start` again after
        # each skipped split was quadratic on "A. B. C. ...".
        if _ABBREV.search(text, max(start, m.start() - _ABBREV_CHARS), m.start()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if piece.strip():
            out.append((s + lead, e - trail))
    return out


_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-.]*")
_SMALL = {
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "if", "in", "nor", "of", "on", "or", "per",
    "the", "to", "v.", "vs.", "via", "from", "into", "with", "up", "so", "yet", "off", "out",
}
_CHICAGO_EXTRA = {"about", "over", "under", "through", "between", "after", "before"}


def _is_excepted(word: str, exceptions: list[str], exc_re: Any) -> bool:
    if word in exceptions:
        return True
    return bool(exc_re is not None and exc_re.fullmatch(word))


def _strip_prefix(s: str, prefix: str) -> str:
    if prefix:
        m = regex.match(prefix, s)
        if m:
            return s[m.end():]
    return s


def _mixed(word: str) -> bool:
    """iOS, MacBook, SDK: a word whose case is its own business."""
    return any(ch.isupper() for ch in word[1:])


def sentence_check(
    s: str, exceptions: list[str], prefix: str, indicators: list[str], threshold: float, exc_re: Any
) -> tuple[str, bool]:
    s = _strip_prefix(s, prefix)
    words = list(_WORD.finditer(s))
    if not words:
        return s, True
    expected_words: list[str] = []
    good = 0
    hard_fail = False
    prev = ""
    for i, m in enumerate(words):
        w = m.group(0)
        excepted = _is_excepted(w, exceptions, exc_re) or any(
            e and regex.search(r"\b" + regex.escape(e) + r"\b", s) and w in e.split() for e in exceptions
        )
        after_indicator = any(prev.endswith(ind) for ind in indicators) if prev else False
        if i == 0:
            exp = w[:1].upper() + w[1:]
            ok = w == exp or excepted
            if not ok and w[:1].isalpha() and not s.lstrip().startswith(("*", "`")):
                hard_fail = True
        elif excepted or _mixed(w) or w.isupper() and len(w) > 1 or after_indicator:
            exp, ok = w, True
        else:
            exp = w.lower()
            ok = w == exp
        expected_words.append(exp)
        good += ok
        prev = s[m.start(): m.end() + 1]
    expected = s
    for m, exp in reversed(list(zip(words, expected_words, strict=True))):
        expected = expected[: m.start()] + exp + expected[m.end():]
    return expected, (not hard_fail) and good / len(words) >= threshold


def title_check(
    s: str, exceptions: list[str], prefix: str, style: str, threshold: float, exc_re: Any
) -> tuple[str, bool]:
    s = _strip_prefix(s, prefix)
    words = list(_WORD.finditer(s))
    if not words:
        return s, True
    small = _SMALL | (_CHICAGO_EXTRA if style == "Chicago" else set())
    expected_words = []
    good = 0
    for i, m in enumerate(words):
        w = m.group(0)
        if _is_excepted(w, exceptions, exc_re) or _mixed(w) or (w.isupper() and len(w) > 1):
            exp = w
        elif 0 < i < len(words) - 1 and w.lower() in small:
            exp = w.lower()
        else:
            exp = w[:1].upper() + w[1:]
        expected_words.append(exp)
        good += w == exp
    expected = s
    for m, exp in reversed(list(zip(words, expected_words, strict=True))):
        expected = expected[: m.start()] + exp + expected[m.end():]
    return expected, good / len(words) >= threshold
