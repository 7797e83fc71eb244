"""Checkable facts in sentences: prices, durations, percentages, opening hours, contacts, tags, codes.

Each segment is matched in its own language (`segment.language`: en, fr, pl, ar; anything else uses the
English rules, which still read digits, currencies, contacts and tags). Values are normalized so the same
fact compares equal however a channel writes it: "$49", "USD 49" and "49,00 $" are all `49.00 USD`;
"two weeks" about returns is `14 day`, as is "14 jours" and "١٤ يومًا"; "Monday to Friday, 8am-8pm" and
"pon.–pt. 8:00–20:00" are both `mon-fri 08:00-20:00`.

Matching runs on a folded copy of the sentence (see `numbers.fold_text`) and maps spans back, so
`Fact.text` is the exact text the channel wrote.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import regex

from ..errors import ConfigError
from ..models import Fact, Location, Segment
from .facts_lang import EN, RULES, LanguageRules
from .numbers import fold, fold_text, format_money, format_number, number_words, parse_number
from .phones import locale_region, read_phone, resolve_national

if TYPE_CHECKING:
    from ..config import ExpectedFacts

log = logging.getLogger(__name__)

FACT_KINDS = (
    "money",
    "duration",
    "percentage",
    "hours",
    "time_range",
    "phone",
    "email",
    "url",
    "hashtag",
    "handle",
    "promo_code",
)
BRAND_BOOK = "brand_book"

_FLAGS = regex.IGNORECASE | regex.UNICODE
_WEEK_SUBJECTS = frozenset({"returns", "delivery"})
_H_DURATIONS = frozenset(Decimal(n) for n in (12, 24, 48, 72, 96))
_DURATION_SUBJECTS = ("returns", "delivery", "warranty", "response_time")
_PERCENT_SUBJECTS = ("promo", "returns", "delivery", "warranty")

_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", _FLAGS)
_URL = regex.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+"
    r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|co|uk|fr|pl|sa|ae|de|eu|shop|store|app|example)"
    r"(?:/[^\s<>\"'()]*)?(?![\w@-])",
    _FLAGS,
)
# A URL needs a scheme, "www." or a known top-level domain: most sentences have none of them.
_URL_HINT = regex.compile(
    r"://|www\.|\.(?:com|org|net|io|co|uk|fr|pl|sa|ae|de|eu|shop|store|app|example)\b", _FLAGS
)
_HANDLE = regex.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?", _FLAGS)
_HASHTAG = regex.compile(r"(?<![\w#&/])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*", _FLAGS)
_PHONE = regex.compile(
    r"(?<![\w+.,/:])(?:(?:\+|00)\s?\d{1,3}(?:\s?\(0\))?[\s.-]?)?(?:\(\d{1,4}\)\s?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,5}"
    r"(?![\d%])",
    _FLAGS,
)
_DATE_LIKE = regex.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}\s?-\s?\d{4}")
# "8pm." at the end of a sentence: the dot is the full stop (but "8 p.m." keeps its own).
_SENTENCE_END_DOT = regex.compile(r"[ap]m\.$", regex.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}'\""


@dataclass(frozen=True)
class _Compiled:
    rules: LanguageRules
    unit_gate: regex.Pattern[str]
    percent_gate: regex.Pattern[str]
    anchor: regex.Pattern[str]
    duration: regex.Pattern[str]
    counted: regex.Pattern[str]
    singular_one: regex.Pattern[str]
    units: tuple[tuple[regex.Pattern[str], str], ...]
    counted_units: tuple[tuple[regex.Pattern[str], int, str, bool], ...]
    money: regex.Pattern[str]
    currencies: tuple[tuple[regex.Pattern[str], str], ...]
    percentage: regex.Pattern[str]
    day_range: regex.Pattern[str]
    day_group: regex.Pattern[str]
    day_one: regex.Pattern[str]
    days: tuple[tuple[regex.Pattern[str], str], ...]
    groups: tuple[tuple[regex.Pattern[str], str], ...]
    time_range: regex.Pattern[str]
    time_part: regex.Pattern[str]
    am: regex.Pattern[str]
    pm: regex.Pattern[str]
    noon: regex.Pattern[str]
    midnight: regex.Pattern[str]
    hours_gap: regex.Pattern[str]
    unit_after: regex.Pattern[str]
    round_the_clock: regex.Pattern[str]
    phone_cue: regex.Pattern[str]
    promo: regex.Pattern[str]
    cues: tuple[tuple[str, regex.Pattern[str]], ...]
    clause_breaks: regex.Pattern[str]


def _alt(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@functools.cache
def _compiled(language: str) -> _Compiled:
    """Patterns for one language, compiled once per process."""
    rules = RULES.get(language, EN)
    f = fold  # Arabic fragments are written with hamza and diacritics; match them in folded form

    def c(pattern: str) -> regex.Pattern[str]:
        return regex.compile(f(pattern), _FLAGS)

    words = sorted(number_words(rules.code), key=len, reverse=True)
    word_alt = "|".join(regex.escape(w) for w in words) or r"(?!)"
    num = rf"(?:\d+(?:[.,]\d+)?|(?<!\w)(?:{word_alt})(?!\w))"
    units = _alt(u for u, _ in rules.units)
    duration = (
        rf"(?:(?:{rules.range_open})\s+)?(?<![\w.,/])(?P<n1>{num})"
        rf"(?:\s*(?:-|(?<!\w)(?:{rules.range_words})(?!\w))\s*(?P<n2>{num}))?"
        rf"[\s-]*(?:(?P<b1>{rules.business_before})[\s-]+)?(?P<unit>{units})(?!\w)"
        rf"(?:\s+(?P<b2>{rules.business_after})(?!\w))?"
    )
    counted = (
        rf"(?<!\d\s?)(?<!\w)(?P<unit>{_alt(u for u, *_ in rules.counted_units) or '(?!)'})(?!\w)"
        rf"(?:\s+(?P<b2>{rules.business_after})(?!\w))?"
    )
    amount = (
        r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
        if rules.code == "en"
        else r"\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
    )
    currency = _alt(p for p, _ in rules.currencies)
    money = (
        rf"(?P<c1>{currency})\s?(?<![\d])(?P<a1>{amount})(?![\d])"
        rf"|(?<![\w.,])(?P<a2>{amount})\s?(?:,-\s?)?(?P<c2>{currency})(?![a-z])"
    )
    percentage = rf"(?<![\w.,])(?P<n1>{num})\s?(?:%|(?:{rules.percent_words})(?!\w))" + (
        r"|%\s?(?P<n2>\d+(?:[.,]\d+)?)(?!\d)" if rules.code == "ar" else ""
    )
    day = _alt(p for p, _ in rules.days)
    day_range = (
        rf"(?:(?:{rules.day_range_open})\s+)?(?<!\w)(?P<d1>{day})(?!\w)\s*"
        rf"(?:-|(?<!\w)(?:{rules.day_range_words})(?!\w))\s*(?P<d2>{day})(?!\w)"
    )
    time = (
        rf"(?:\d{{1,2}}(?:\s?(?::|\.|{rules.hour_mark})\s?\d{{2}})?(?:\s?(?:{rules.am}|{rules.pm}|"
        rf"{rules.hour_mark}(?!\w)))?|(?:{rules.noon})|(?:{rules.midnight}))"
    )
    time_range = (
        rf"(?:(?:{rules.time_range_open})\s+)?(?<![\w.,:/])(?P<t1>{time})\s*"
        rf"(?:-|(?<!\w)(?:{rules.time_range_words})(?!\w))\s*(?P<t2>{time})(?![\w:])"
    )
    time_part = (
        rf"(?P<h>\d{{1,2}})(?:\s?(?::|\.|{rules.hour_mark})\s?(?P<m>\d{{2}}))?\s?(?P<mer>{rules.am}|{rules.pm}|"
        rf"{rules.hour_mark})?"
    )
    unit_gate = _alt([*(u for u, _ in rules.units), *(u for u, *_ in rules.counted_units)])
    return _Compiled(
        rules=rules,
        unit_gate=c(rf"(?:{unit_gate})(?!\w)"),
        percent_gate=c(rf"%|{rules.percent_words}"),
        anchor=c(rf"(?<!\w)(?:{rules.anchor_words})\s*$"),
        duration=c(duration),
        counted=c(counted),
        singular_one=c(rules.singular_one),
        units=tuple((c(rf"(?:{p})"), u) for p, u in rules.units),
        counted_units=tuple((c(rf"(?:{p})"), n, u, b) for p, n, u, b in rules.counted_units),
        money=c(money),
        currencies=tuple((c(rf"(?:{p})"), code) for p, code in rules.currencies),
        percentage=c(percentage),
        day_range=c(day_range),
        day_group=c(rf"(?<!\w)(?:{_alt(p for p, _ in rules.day_groups) or '(?!)'})(?!\w)"),
        day_one=c(rf"(?<!\w)(?:{day})(?!\w)"),
        days=tuple((c(rf"(?:{p})"), key) for p, key in rules.days),
        groups=tuple((c(rf"(?:{p})"), span) for p, span in rules.day_groups),
        time_range=c(time_range),
        time_part=c(time_part),
        am=c(rf"(?:{rules.am})"),
        pm=c(rf"(?:{rules.pm})"),
        noon=c(rf"(?:{rules.noon})"),
        midnight=c(rf"(?:{rules.midnight})"),
        hours_gap=c(rf"(?:[\s,;:.()\-]|(?<!\w)(?:{rules.hours_glue})(?!\w))*"),
        unit_after=c(rf"\s*(?:(?:{rules.business_before})\s+)?(?:{units})(?!\w)"),
        round_the_clock=c(rf"(?<!\w)(?:{rules.round_the_clock})(?!\w)"),
        phone_cue=c(rules.phone_cues),
        promo=c(
            rf"(?<!\w)(?:{rules.promo_cues})\s*[:\-]?\s*[\"'“”«»„]?\s*"
            rf"(?-i:(?P<code>[A-Z0-9][A-Z0-9_-]{{2,24}}))(?![\w-])"
        ),
        cues=tuple((subject, c(p)) for subject, p in rules.cues.items()),
        clause_breaks=c(rules.clause_breaks),
    )


def _language(segment_language: str | None) -> str:
    lang = (segment_language or "en").split("-")[0].split("_")[0].lower()
    return lang if lang in RULES else "en"


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    value: str
    unit: str
    subject: str | None = None  # None: decided from cue words


class _Sentence:
    """One sentence being read: its folded text and the spans already taken by a fact."""

    def __init__(self, text: str, language: str, country: str | None = None) -> None:
        self.original = text
        self.text, self.offsets = fold_text(text)
        self.language = language
        self.country = country  # reads phone numbers written without their country code
        self.taken: list[tuple[int, int]] = []
        self.found: list[_Found] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def add(self, found: _Found) -> bool:
        if found.end <= found.start or not self.free(found.start, found.end):
            return False
        self.taken.append((found.start, found.end))
        self.found.append(found)
        return True

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))

    def original_span(self, start: int, end: int) -> str:
        return self.original[self.offsets[start] : self.offsets[end - 1] + 1]


def _strip_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    return end


# --- contacts and tags -----------------------------------------------------------------------------------


def _contacts(s: _Sentence) -> None:
    has_at = "@" in s.text
    for m in _EMAIL.finditer(s.text) if has_at else ():
        s.add(_Found(m.start(), m.end(), "email", m.group().lower(), "", "email"))
    for m in _URL.finditer(s.text) if _URL_HINT.search(s.text) else ():
        end = _strip_trailing(s.text, m.start(), m.end())
        s.add(_Found(m.start(), end, "url", _normalize_url(s.text[m.start() : end]), "", ""))
    for m in _HANDLE.finditer(s.text) if has_at else ():
        s.add(_Found(m.start(), m.end(), "handle", m.group().lower(), "", ""))
    for m in _HASHTAG.finditer(s.text) if "#" in s.text else ():
        s.add(_Found(m.start(), m.end(), "hashtag", m.group().lower(), "", ""))


def _normalize_url(url: str) -> str:
    lowered = regex.sub(r"^https?://", "", url, flags=regex.IGNORECASE)
    host, _, path = lowered.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + ("/" + path if path else "")).rstrip("/")


def _phones(s: _Sentence, c: _Compiled) -> None:
    has_cue = c.phone_cue.search(s.text) is not None
    for m in _PHONE.finditer(s.text):
        text = m.group().strip()
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        end = start + len(text)
        if _DATE_LIKE.fullmatch(text):
            continue
        international = text.startswith(("+", "00"))
        national = text.replace("(0)", "")
        digits = regex.sub(r"\D", "", national)
        if not 7 <= len(digits) <= 15:
            continue
        grouped = "(" in text or regex.search(r"[\s.-]", text) is not None
        if not (international or has_cue or (len(digits) >= 10 and grouped)):
            continue
        value = read_phone(text, s.country)
        if value is not None:
            s.add(_Found(start, end, "phone", value, "", "phone"))


def _promo_codes(s: _Sentence, c: _Compiled) -> None:
    for m in c.promo.finditer(s.text):
        code = m.group("code")
        if _NOT_PROMO.search(s.text, max(0, m.start() - 20), m.start()):
            continue  # "postal code SW1A 1AA", "error code E42"
        if not any(ch.isalpha() for ch in code) or (len(code) < 4 and not any(ch.isdigit() for ch in code)):
            continue
        if code in {"USD", "EUR", "GBP", "PLN", "SAR", "AED", "FAQ", "HTTP", "HTTPS", "PDF"}:
            continue
        s.add(_Found(m.start("code"), m.end("code"), "promo_code", code.upper(), "", "promo"))


# --- amounts ---------------------------------------------------------------------------------------------


def _currency(c: _Compiled, text: str) -> str:
    for pattern, code in c.currencies:
        if pattern.fullmatch(text.strip()):
            return code
    return "USD" if "$" in text else ""


def _money(s: _Sentence, c: _Compiled) -> None:
    for m in c.money.finditer(s.text):
        amount, cur = (m.group("a1"), m.group("c1")) if m.group("a1") else (m.group("a2"), m.group("c2"))
        code = _currency(c, cur)
        value = parse_number(amount, s.language, money=True)
        if not code or value is None:
            continue
        s.add(_Found(m.start(), m.end(), "money", format_money(value), code))


def _number(text: str, language: str) -> Decimal | None:
    if any(ch.isdigit() for ch in text):
        return parse_number(text, language)
    value = number_words(language).get(" ".join(text.lower().split()))
    return Decimal(value) if value is not None else None


def _percentages(s: _Sentence, c: _Compiled) -> None:
    for m in c.percentage.finditer(s.text):
        value = _number(m.group("n1") or m.group("n2"), s.language)
        if value is None:
            continue
        s.add(_Found(m.start(), m.end(), "percentage", format_number(value), "%"))


def _unit(c: _Compiled, text: str) -> str:
    for pattern, unit in c.units:
        if pattern.fullmatch(text):
            return unit
    return ""


def _durations(s: _Sentence, c: _Compiled) -> None:
    for m in c.duration.finditer(s.text):
        first = _number(m.group("n1"), s.language)
        second = _number(m.group("n2"), s.language) if m.group("n2") else None
        unit = _unit(c, m.group("unit"))
        if first is None or not unit or (m.group("n2") and second is None):
            continue
        if unit == "year" and first >= 1000:
            continue  # "od 1987 roku", "since 1987 years" is a date
        if m.group("unit").lower() in ("h", "godz", "godz.") and first not in _H_DURATIONS:
            continue  # "9h" is a clock time; "24h" / "48h" is a delivery or response time
        value = format_number(first) + (f"-{format_number(second)}" if second is not None else "")
        if m.group("b1") or m.group("b2"):
            unit = "business_day" if unit == "day" else unit
        start = m.start() if second is not None else m.start("n1")  # "de 30 jours": "de" opens no range
        s.add(_Found(start, m.end(), "duration", value, unit))
    for m in c.counted.finditer(s.text):
        for pattern, count, unit, business in c.counted_units:
            if pattern.fullmatch(m.group("unit")):
                is_business = business or bool(m.group("b2"))
                s.add(
                    _Found(
                        m.start(),
                        m.end(),
                        "duration",
                        str(count),
                        "business_day" if is_business and unit == "day" else unit,
                    )
                )
                break
    for m in c.singular_one.finditer(s.text):
        unit = _unit(c, m.group("unit"))
        if unit:
            s.add(_Found(m.start("unit"), m.end("unit"), "duration", "1", unit))


# --- opening hours ---------------------------------------------------------------------------------------


def _day_key(c: _Compiled, text: str) -> str:
    for pattern, key in c.days:
        if pattern.fullmatch(text.strip()):
            return key
    return ""


def _day_spans(s: _Sentence, c: _Compiled) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return s.free(start, end) and all(end <= a or start >= b for a, b, _ in spans)

    for m in c.day_range.finditer(s.text):
        first, last = _day_key(c, m.group("d1")), _day_key(c, m.group("d2"))
        if first and last and free(m.start(), m.end()):
            spans.append((m.start(), m.end(), f"{first}-{last}"))
    for m in c.day_group.finditer(s.text):
        for pattern, value in c.groups:
            if pattern.fullmatch(m.group()) and free(m.start(), m.end()):
                spans.append((m.start(), m.end(), value))
                break
    for m in c.day_one.finditer(s.text):
        key = _day_key(c, m.group())
        if key and free(m.start(), m.end()):
            spans.append((m.start(), m.end(), key))
    return sorted(spans)


def _clock(c: _Compiled, text: str) -> tuple[int, int, str] | None:
    """(hour, minute, marker) where marker is "am", "pm", "24" (written with ":" or "h") or ""."""
    text = text.strip()
    if c.noon.fullmatch(text):
        return 12, 0, "24"
    if c.midnight.fullmatch(text):
        return 0, 0, "24"
    m = c.time_part.fullmatch(text)
    if not m:
        return None
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    mer = m.group("mer") or ""
    marker = ""
    if mer and c.am.fullmatch(mer):
        marker = "am"
    elif mer and c.pm.fullmatch(mer):
        marker = "pm"
    elif mer or m.group("m"):
        marker = "24"
    if hour > 24 or minute > 59 or (marker in ("am", "pm") and not 1 <= hour <= 12):
        return None
    return hour, minute, marker


def _to_24(hour: int, marker: str) -> int:
    if marker == "am":
        return 0 if hour == 12 else hour
    if marker == "pm":
        return hour if hour == 12 else hour + 12
    return hour


def _time_range_value(c: _Compiled, first: str, second: str) -> tuple[str, bool] | None:
    """("08:00-20:00", written with a marker) for a range of two clock times, or None."""
    a, b = _clock(c, first), _clock(c, second)
    if a is None or b is None:
        return None
    (h1, m1, k1), (h2, m2, k2) = a, b
    if k2 in ("am", "pm") and not k1:
        # "9-5pm" starts in the morning, "1-5pm" in the afternoon
        k1 = "pm" if k2 == "pm" and h1 < 12 and h1 + 12 < _to_24(h2, k2) else "am"
    end_24 = _to_24(h2, k2)
    start_24 = _to_24(h1, k1)
    if k1 in ("am", "pm") and not k2 and h2 <= 12:
        k2 = "am" if h2 > h1 and k1 == "am" else "pm"
        end_24 = _to_24(h2, k2)
    if end_24 <= start_24 and end_24 + 12 <= 24 and k2 not in ("am", "pm"):
        end_24 += 12  # "9-5", "9:00-5:00": office hours end in the afternoon
    if end_24 == start_24:
        return None
    marked = bool(k1 or k2)
    return (
        f"{start_24:02d}:{m1:02d}-{end_24 % 24 if end_24 == 24 and h2 == 0 else end_24:02d}:{m2:02d}",
        marked,
    )


def _hours(s: _Sentence, c: _Compiled) -> None:
    for m in c.round_the_clock.finditer(s.text):
        s.add(_Found(m.start(), m.end(), "hours", "24/7", "", "support_hours"))
    if _DIGIT.search(s.text) is None and c.noon.search(s.text) is None:
        return
    days = _day_spans(s, c)
    used: set[int] = set()
    for m in c.time_range.finditer(s.text):
        if not s.free(m.start(), m.end()) or c.unit_after.match(s.text, m.end()):
            continue
        parsed = _time_range_value(c, m.group("t1"), m.group("t2"))
        if parsed is None:
            continue
        value, marked = parsed
        end = m.end() - 1 if _SENTENCE_END_DOT.search(s.text, 0, m.end()) else m.end()
        pair = _nearest_days(s.text, c, days, used, m.start(), end)
        if pair is not None:
            used.add(pair)
            d_start, d_end, span = days[pair]
            s.add(
                _Found(
                    min(d_start, m.start()), max(d_end, end), "hours", f"{span} {value}", "", "support_hours"
                )
            )
        elif marked:
            s.add(_Found(m.start(), end, "time_range", value, ""))


def _nearest_days(
    text: str, c: _Compiled, days: list[tuple[int, int, str]], used: set[int], start: int, end: int
) -> int | None:
    """The day span written just before (preferred) or just after a time range, joined only by glue words."""
    best: tuple[int, int] | None = None
    chosen: int | None = None
    for index, (d_start, d_end, _) in enumerate(days):
        if index in used:
            continue
        if d_end <= start:
            gap, rank = text[d_end:start], 0
        elif d_start >= end:
            gap, rank = text[end:d_start], 1
        else:
            continue
        if len(gap) > 40 or not c.hours_gap.fullmatch(gap):
            continue
        key = (rank, len(gap))
        if best is None or key < best:
            best, chosen = key, index
    return chosen


# --- subjects --------------------------------------------------------------------------------------------


def _product_pattern(products: Sequence[str]) -> regex.Pattern[str] | None:
    names = sorted({fold(p).strip() for p in products if p.strip()}, key=len, reverse=True)
    if not names:
        return None
    return regex.compile(rf"(?<!\w)(?:{'|'.join(regex.escape(n) for n in names)})(?!\w)", _FLAGS)


def _nearest(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    best: tuple[int, int, str] | None = None
    for s_start, s_end, name in spans:
        distance = start - s_end if s_end <= start else s_start - end if s_start >= end else 0
        rank = (max(distance, 0), 0 if s_end <= start else 1, name)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def _assign_subjects(
    s: _Sentence, c: _Compiled, products: regex.Pattern[str] | None, original_products: dict[str, str]
) -> None:
    pending = [f for f in s.found if f.subject is None]
    if not pending:
        return
    # A cue after "of"/"from"/"after" is a reference point, not the topic: "within 30 days of delivery".
    cues = [
        (m.start(), m.end(), subject, c.anchor.search(s.text, max(0, m.start() - 30), m.start()) is not None)
        for subject, pattern in c.cues
        for m in pattern.finditer(s.text)
    ]
    breaks = [m.start() for m in c.clause_breaks.finditer(s.text)]
    product_spans = (
        [
            (m.start(), m.end(), original_products.get(m.group().lower(), m.group().lower()))
            for m in products.finditer(s.text)
        ]
        if products is not None
        else []
    )
    for found in pending:
        low = max((b for b in breaks if b < found.start), default=0)
        high = min((b for b in breaks if b >= found.end), default=len(s.text))
        if found.kind == "money":
            near = [p for p in product_spans if p[0] >= low and p[1] <= high] or product_spans
            product = _nearest(near, found.start, found.end)
            found.subject = f"price:{product}" if product else "price"
            continue
        allowed = {
            "duration": _DURATION_SUBJECTS,
            "percentage": _PERCENT_SUBJECTS,
            "time_range": ("support",),
        }.get(found.kind, ())
        candidates = [cue for cue in cues if cue[2] in allowed]
        in_clause = [cue for cue in candidates if cue[0] >= low and cue[1] <= high]
        pool = in_clause or candidates
        topics = [cue[:3] for cue in pool if not cue[3]] or [cue[:3] for cue in pool]
        subject = _nearest(topics, found.start, found.end) or ""
        found.subject = "support_hours" if subject == "support" else subject
        if found.kind == "duration" and found.unit == "week" and found.subject in _WEEK_SUBJECTS:
            found.value = "-".join(format_number(Decimal(part) * 7) for part in found.value.split("-"))
            found.unit = "day"


# --- public API ------------------------------------------------------------------------------------------

_NOT_PROMO = regex.compile(
    r"(?<!\w)(?:zip|postal|post|area|country|dialling|dialing|sort|error|status|source|tax|vat|iso|code)\s+$",
    regex.IGNORECASE,
)
_COMBINING = frozenset([*range(0x064B, 0x0653), 0x0670])
_DIGIT = regex.compile(r"\d")
_DIGITS_7 = regex.compile(r"(?:\d\D{0,4}){7}")
# Each step with the cheap test that tells whether it can find anything in the (folded) sentence: most
# sentences of a page have no digit, "@", "#" or unit word, and skip the costly patterns.
_STEPS: tuple[tuple[Callable[[_Sentence, _Compiled], None], Callable[[str, _Compiled], bool]], ...] = (
    (lambda s, c: _contacts(s), lambda t, c: "@" in t or "#" in t or "." in t),
    (_hours, lambda t, c: True),
    (_money, lambda t, c: _DIGIT.search(t) is not None),
    (_phones, lambda t, c: _DIGITS_7.search(t) is not None),
    (_percentages, lambda t, c: c.percent_gate.search(t) is not None),
    (_durations, lambda t, c: c.unit_gate.search(t) is not None),
    (_promo_codes, lambda t, c: c.promo.search(t) is not None),
)


def _read(
    text: str,
    language: str,
    products: regex.Pattern[str] | None,
    original_products: dict[str, str],
    country: str | None = None,
) -> list[_Found]:
    c = _compiled(language)
    s = _Sentence(text, language, country)
    for step, may_find in _STEPS:
        if may_find(s.text, c):
            step(s, c)
    if not s.found:
        return []
    _assign_subjects(s, c, products, original_products)
    for found in s.found:
        # the end takes the diacritics folded away after the last character ("مساءً")
        end = s.offsets[found.end - 1] + 1
        while end < len(text) and ord(text[end]) in _COMBINING:
            end += 1
        found.start, found.end = s.offsets[found.start], end
    return sorted(s.found, key=lambda f: (f.start, f.end))


def extract_facts(
    segments: Sequence[Segment], *, products: Sequence[str] = (), country: str | None = None
) -> list[Fact]:
    """Every fact in `segments`, in segment order and then in reading order within each sentence.

    `products` are the product names of the brand book's price list: a price in a sentence that names one
    gets the subject "price:<name in lower case>". `country` (ISO code, see `phones.brand_country`) reads
    phone numbers written without a country code; a segment whose language names a region ("en-GB") uses
    that region instead.
    """
    pattern = _product_pattern(products)
    names = {fold(p).strip().lower(): p.strip().lower() for p in products}
    facts: list[Fact] = []
    for segment in segments:
        language = _language(segment.language)
        region = locale_region(segment.language) or country
        for found in _read(segment.text, language, pattern, names, region):
            facts.append(
                Fact(
                    kind=found.kind,
                    value=found.value,
                    unit=found.unit,
                    subject=found.subject or "",
                    text=segment.text[found.start : found.end],
                    quote=segment.text,
                    channel_id=segment.channel_id,
                    location=segment.location,
                )
            )
    return _resolve_national_phones(facts)


def _resolve_national_phones(facts: list[Fact]) -> list[Fact]:
    """Numbers read without a country (national digits) take the E.164 value of the international number
    whose national form they are, so "020 7946 0958" and "+44 20 7946 0958" agree even with no country."""
    phones = [fact.value for fact in facts if fact.kind == "phone"]
    if all(value.startswith("+") for value in phones):
        return facts
    known = resolve_national(phones)
    return [
        dataclasses.replace(fact, value=known[fact.value])
        if fact.kind == "phone" and fact.value in known
        else fact
        for fact in facts
    ]


_EXPECTED = {
    "return_window": ("returns", ("duration",), "30 days"),
    "delivery_time": ("delivery", ("duration",), "3-5 business days"),
    "support_hours": ("support_hours", ("hours", "time_range"), "Monday to Friday, 8am-8pm"),
    "phone": ("phone", ("phone",), "+1 212 555 0100"),
    "email": ("email", ("email",), "help@example.com"),
}


def _expected_fact(
    text: str,
    field: str,
    subject: str,
    kinds: tuple[str, ...],
    example: str,
    language: str,
    product: str | None = None,
    country: str | None = None,
) -> Fact:
    lang = _language(language)
    found = [f for f in _read(text, lang, None, {}, locale_region(language) or country) if f.kind in kinds]
    if not found:
        what = " or ".join(kinds).replace("_", " ")
        raise ConfigError(
            f"brand_book.{field}: cannot read a {what} from {text!r}; write it like {example!r}"
        )
    fact = found[0]
    value, unit = fact.value, fact.unit
    if fact.kind == "duration" and unit == "week" and subject in _WEEK_SUBJECTS:
        value = "-".join(format_number(Decimal(part) * 7) for part in value.split("-"))
        unit = "day"
    section = f"facts.prices.{product}" if product is not None else f"facts.{field.split('.')[-1]}"
    return Fact(
        kind=fact.kind,
        value=value,
        unit=unit,
        subject=subject,
        text=text[fact.start : fact.end],
        quote=text,
        channel_id=BRAND_BOOK,
        location=Location(uri=BRAND_BOOK, section=section),
    )


def expected_facts(book: ExpectedFacts, *, language: str = "en", country: str | None = None) -> list[Fact]:
    """The brand book's expected facts as `Fact`s of channel "brand_book", to compare with the channels'.
    `country` reads a phone number written without its country code (as in `extract_facts`).

    Raises ConfigError when a value cannot be read (e.g. `return_window: "a month or so"`).
    """
    facts: list[Fact] = []
    for name, (subject, kinds, example) in _EXPECTED.items():
        text = getattr(book, name)
        if text:
            facts.append(
                _expected_fact(str(text), f"facts.{name}", subject, kinds, example, language, country=country)
            )
    for product, price in book.prices.items():
        facts.append(
            _expected_fact(
                str(price),
                f"facts.prices.{product}",
                f"price:{product.strip().lower()}",
                ("money",),
                "$129",
                language,
                product=product,
            )
        )
    return facts
