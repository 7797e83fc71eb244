"""Sentences -> Claims: what each sentence asserts that can be checked against another channel.

A Claim keeps the typed values the fact reader found (money, durations, hours, contacts...) and adds what a
fixed list of subjects never saw: counts of things ("over two million members", "300万人"), numbers and
codes ("text STOP to 12345"), keywords, enumerations of codes ("AVIF, PNG or TIFF"), frequencies
("billed monthly" vs "taken from every order"), round-the-clock availability ("open 24 hours a day"),
its polarity (negated or not) and its restrictions (only / except / a condition). Every cue comes from
`data/lang/<code>/claims.yaml` (see `extract.lang`); code holds only the kinds of matcher.

Values are read once, here: the analyze stage compares Claims and never re-parses text.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import regex

from ..models import CUSTOMER_SCOPES, Claim, Fact, Segment, Value
from ..placeholders import PLACEHOLDER
from .lang import RESTRICTIONS, LanguageCues, cues
from .numbers import fold_digits, format_number, number_words, parse_number

# Fact kinds kept as claim values (hashtags and handles are campaign/integration signals, not claims).
FACT_KINDS = frozenset(
    {"money", "duration", "percentage", "hours", "time_range", "phone", "email", "url", "promo_code"}
)
# Not after a Latin letter or digit ("P1", "W-2" are names), but after CJK text ("会員は300万人").
# "W-2" and "P1" are names, not numbers.
_NOT_AFTER = r"(?<![0-9A-Za-z_.,])(?<![A-Za-z]-)"
_NUMBER = regex.compile(
    rf"{_NOT_AFTER}\d{{1,3}}(?:[,.\u00a0\u202f ]\d{{3}})+(?![\d])|{_NOT_AFTER}\d+(?:[.,]\d+)?(?!\d)"
)
_CODE = regex.compile(r"^\d{4,6}$")
_YEAR = regex.compile(r"^(?:19|20)\d\d$")
_WORD = regex.compile(r"[^\W\d_][\w'’-]*", regex.UNICODE)
_CAPS = regex.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,9}(?![\w-])")
# A list of three or more codes: "AVIF, PNG, or TIFF", "UPS, DHL and FEDEX".
_CAPS_LIST = regex.compile(
    r"(?<![\w-])[A-Z][A-Z0-9]{1,9}(?:\s*(?:,|/|\s(?:or|and|lub|i|ou|et|o|y|و))\s*(?:(?:or|and|lub|i|ou|et|o|y)\s+)?"
    r"[A-Z][A-Z0-9]{1,9}(?![\w-])){2,}"
)
_BOUND_WINDOW = 24
KEYWORD_REACH = 20  # characters between a texting verb and its keyword ("text the word \"STOP\"")


def _number_value(text: str, language: str) -> Decimal | None:
    return parse_number(fold_digits(text), language)


def _multiplier(c: LanguageCues, text: str, end: int) -> tuple[int, int]:
    """(factor, new end) when a multiplier word follows the number at `end` ("3 million", "300万")."""
    rest = text[end : end + 16]
    match = regex.match(r"[\s\u00a0]?([^\W\d_]+)", rest)
    if not match:
        return 1, end
    word = match.group(1).lower()
    for length in range(len(word), 0, -1):
        factor = c.multipliers.get(word[:length])
        # A Latin multiplier must be a whole word ("5 km" is not 5 thousand m); CJK ones are written joined.
        if factor and (length == len(word) or not word[:length].isascii()):
            return factor, end + match.start(1) + length
    return 1, end


def _counted_noun(text: str, end: int) -> str:
    match = regex.match(r"[\s\u00a0-]*(?:[+]\s*)?([^\W\d_][\w'’-]*)", text[end : end + 40])
    return match.group(1).lower() if match else ""


def _bound(c: LanguageCues, text: str, start: int) -> str:
    before = text[max(0, start - _BOUND_WINDOW) : start]
    for kind, pattern in c.qualifiers:
        if kind in RESTRICTIONS:
            continue
        for match in pattern.finditer(before):
            if not before[match.end() :].strip(" \u00a0$€£"):
                return kind
    return ""


def _taken(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


@functools.cache
def _written_numbers(language: str) -> dict[str, int]:
    """The language data's number words merged with the generated ones: built once per language."""
    return {**cues(language).number_words, **number_words(language)}


def _number_words(text: str, language: str, c: LanguageCues) -> Iterable[tuple[int, int, Decimal]]:
    """Written numbers, with a multiplier when one follows: "two million" -> 2000000."""
    words = _written_numbers(language)
    if not words:
        return
    for match in _WORD.finditer(text):
        value = words.get(match.group(0).lower())
        if value is None:
            continue
        factor, end = _multiplier(c, text, match.end())
        yield match.start(), end, Decimal(value * factor)


def read_numbers(text: str, language: str, *, words: bool = True, articles: bool = False) -> list[Decimal]:
    """Every number a sentence states, however written: digits with their multiplier ("300万" = 3000000),
    number words ("two million"), compound numerals ("dwudziestodniowy" = 20). Placeholders hold none.
    `words=False` reads digits only; `articles=True` also counts "one"/"un"/"une" (which are far more often
    an article than a count, but do account for a "1" in a translation)."""
    c = cues(language)
    numbers: list[Decimal] = []
    spans: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(text):
        value = _number_value(match.group(0), language)
        if value is None:
            continue
        factor, end = _multiplier(c, text, match.end())
        numbers.append(value * factor)
        spans.append((match.start(), end))
    if not words:
        return numbers
    for start, end, value in _number_words(text, language, c):
        # "one", "un", "une", "jeden" are far more often an article or a pronoun than a count.
        if (value != 1 or articles) and not _taken(spans, start, end):
            numbers.append(value)
            spans.append((start, end))
    if c.compound_number is not None:
        for match in c.compound_number.finditer(text):
            numbers.append(Decimal(c.compound_numbers[match.group("n").lower()]))
    return numbers


def _values(segment: Segment, facts: Sequence[Fact], c: LanguageCues) -> list[Value]:
    text = segment.text
    language = segment.language or "en"
    values: list[Value] = []
    spans: list[tuple[int, int]] = []
    for fact in facts:
        if fact.kind not in FACT_KINDS:
            continue
        start = text.find(fact.text)
        unit = fact.unit
        if start >= 0:
            spans.append((start, start + len(fact.text)))
            if fact.kind == "money" and c.rate is not None:
                rate = c.rate.match(text, start + len(fact.text))
                # "$130 per GB" and "$1,780 per month" price two different things.
                unit = f"{unit}/{rate.group('noun').lower()}" if rate else unit
        values.append(Value(fact.kind, fact.value, unit, fact.text, _bound(c, text, max(start, 0))))
    for kind, pattern in c.availability:
        for match in pattern.finditer(text):
            if any(v.kind == "availability" and v.value == "24/7" for v in values):
                break  # "24 hours a day, 7 days a week" also holds "24 hours"
            # "24 hour helpline" is when help is available, not how long something takes.
            values = [
                v for v in values
                if not (v.kind == "duration" and v.text and v.text in match.group(0))
            ]
            values.append(Value("availability", kind, "", match.group(0)))
            spans.append(match.span())
    for kind, pattern in c.frequency:
        for match in pattern.finditer(text):
            if _taken(spans, match.start(), match.end()):
                continue
            # "7 days a week", "365 days a year": how often something is open, not a time limit.
            rate_of = [
                v for v in values if v.kind == "duration" and v.text and _just_before(text, v.text, match)
            ]
            if rate_of:
                values = [v for v in values if v not in rate_of]
                span = f"{rate_of[0].text} {match.group(0)}"
                values.append(Value("availability", f"{rate_of[0].value} {rate_of[0].unit}/{kind}", "", span))
            else:
                values.append(Value("frequency", kind, "", match.group(0)))
            spans.append(match.span())
    for match in _CAPS_LIST.finditer(text):
        codes = sorted(set(_CAPS.findall(match.group(0))))
        if len(codes) >= 3:
            values.append(Value("enumeration", ",".join(codes), "", match.group(0)))
            spans.append(match.span())
    if c.keyword_cue is not None:
        # A keyword is a word in capitals right after "text", "reply", "send"...: "Text STOP to 12345".
        for cue in c.keyword_cue.finditer(text):
            match = _CAPS.search(text, cue.end(), cue.end() + KEYWORD_REACH)
            if match and not any(ch.isdigit() for ch in match.group(0)):
                values.append(Value("keyword", match.group(0), "", match.group(0)))
    for match in _NUMBER.finditer(text):
        if _taken(spans, match.start(), match.end()):
            continue
        raw = match.group(0)
        number = _number_value(raw, language)
        if number is None:
            continue
        factor, end = _multiplier(c, text, match.end())
        before = text[max(0, match.start() - 1) : match.start()]
        after = text[match.end() : match.end() + 1]
        if factor == 1 and _CODE.match(raw) and not _YEAR.match(raw):
            # "NW-40771", "#12345", "$10000" are identifiers or amounts, not a code a customer uses.
            if before not in ("$", "€", "£", "-", "#", "/") and after not in ("-", "/"):
                values.append(Value("code", raw, "", raw))
        elif factor == 1 and _YEAR.match(raw):
            continue  # a year dates the sentence; dates are not compared as counts
        else:
            unit = _counted_noun(text, end)
            values.append(
                Value(
                    "number",
                    format_number(number * factor),
                    unit,
                    text[match.start() : end],
                    _bound(c, text, match.start()),
                )
            )
        spans.append((match.start(), end))
    for start, end, number in _number_words(text, language, c):
        if not _taken(spans, start, end) and number >= 2:
            values.append(
                Value(
                    "number",
                    format_number(number),
                    _counted_noun(text, end),
                    text[start:end],
                    _bound(c, text, start),
                )
            )
            spans.append((start, end))
    if c.compound_number is not None:
        for match in c.compound_number.finditer(text):
            stem = c.compound_numbers[match.group("n").lower()]
            unit = c.compound_units[match.group("u").lower()]
            values.append(Value("duration", str(stem), unit, match.group(0)))
    return values


def _just_before(text: str, before: str, match: regex.Match[str]) -> bool:
    """Whether `before` ends right before `match` (a space or a comma between)."""
    head = text[: match.start()].rstrip(" ,\u00a0")
    return head.endswith(before)


def _restrictions(text: str, c: LanguageCues) -> tuple[str, ...]:
    found = [kind for kind, pattern in c.qualifiers if kind in RESTRICTIONS and pattern.search(text)]
    return tuple(dict.fromkeys(found))


# Possessive, with the lower-case letter checked by a lookahead: one pass over a token, however long.
_CASED_WORD = regex.compile(r"(?<![\w.@/-])\p{Lu}(?=[\p{Lu}\d]*+\p{Ll})[\p{Ll}\p{Lu}\d]*+(?![\w@/-])")
_LOWER_WORD = regex.compile(r"(?<![\w.@/-])\p{Ll}[\p{Ll}\d]+(?![\w@/-])")
MIN_NAME_USES = 2
_TITLE_RUN = regex.compile(r"(?<![\w.@/-])\p{Lu}\p{Ll}+(?:[ \u00a0]\p{Lu}\p{Ll}+){1,3}(?![\w@/-])")
# After these a capital starts a sentence or a list item, which says nothing about the word being a name.
_SENTENCE_OPENERS = frozenset(".!?:■•*-¡¿\"'“‘«([>|#")


@dataclass(frozen=True)
class Vocabulary:
    """What the brand's own text says about its words: which are names, which are written in lower case."""

    names: frozenset[str]
    lower: frozenset[str]


def vocabulary(segments: Sequence[Segment]) -> Vocabulary:
    """Words the brand writes as names: capitalised inside sentences at least twice and never in lower case
    (providers, products, places: "Paypal", "Zurich"). Learned from the brand's own text, so no list of
    names is needed; the first word of a sentence is not evidence either way."""
    inside: dict[str, int] = defaultdict(int)
    lower: set[str] = set()
    for segment in segments:
        text = segment.text
        for match in _CASED_WORD.finditer(text):
            before = text[: match.start()].rstrip()[-1:]
            if before and before not in _SENTENCE_OPENERS:
                inside[match.group(0)] += 1
        lower.update(match.group(0) for match in _LOWER_WORD.finditer(text))
    names = frozenset(w for w, n in inside.items() if n >= MIN_NAME_USES and w.lower() not in lower)
    return Vocabulary(names, frozenset(lower))


def _names(text: str, vocab: Vocabulary) -> list[Value]:
    """Names in a sentence: the brand's learned names, and ("title") runs of capitalised words inside the
    sentence ("the Trail Jacket", "your Government Gateway account"), which name what it is about."""
    found = dict.fromkeys(m.group(0) for m in _CASED_WORD.finditer(text) if m.group(0) in vocab.names)
    values = [Value("name", name, "", name) for name in found]
    for match in _TITLE_RUN.finditer(text):
        run = match.group(0)
        before = text[: match.start()].rstrip()[-1:]
        first, _, rest = run.partition(" ")
        if (not before or before in _SENTENCE_OPENERS) and first.lower() in vocab.lower:
            # A sentence's first word is capitalised anyway: "The Oak Desk" names the "Oak Desk".
            run = rest
            if " " not in run.strip():
                continue
        values.append(Value("title", run, "", run))
    return values


def read_claims(
    segments: Sequence[Segment], facts: Sequence[Fact], *, catalogue_uris: Collection[str] = ()
) -> list[Claim]:
    """One Claim per segment, in segment order. `catalogue_uris` are documents whose block sections are
    message keys (localization files): their claims carry the key, so translations align by key."""
    vocab = vocabulary(segments)
    by_sentence: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        by_sentence[(fact.channel_id, str(fact.location), fact.quote)].append(fact)
    claims: list[Claim] = []
    for segment in segments:
        if segment.scope in CUSTOMER_SCOPES:  # a customer's words are not the brand's claim
            continue
        c = cues(segment.language)
        language = segment.language or "en"
        text = segment.text.replace(PLACEHOLDER, " ")
        found = by_sentence.get((segment.channel_id, str(segment.location), segment.text), [])
        negation = c.negation.search(text) if c.negation is not None else None
        key = segment.location.section or "" if segment.doc_uri in catalogue_uris else ""
        claims.append(
            Claim(
                segment=segment,
                values=(*_values(segment, found, c), *_names(text, vocab)),
                negated=negation is not None,
                restrictions=_restrictions(text, c),
                key=key,
                numbers=_normalized(read_numbers(segment.text, language, articles=True)),
                digits=_normalized(read_numbers(segment.text, language, words=False)),
            )
        )
    return claims


def _normalized(numbers: Iterable[Decimal]) -> frozenset[Decimal]:
    """Numbers as a set that "30" and "30.0" share."""
    return frozenset(n.normalize() for n in numbers)


__all__ = ["read_claims", "read_numbers"]
