"""Number normalization for fact extraction: digit folding, locale separators and number words.

Fact patterns match on a *folded* copy of each sentence (ASCII digits, one kind of dash and space, Arabic
letters without diacritics or hamza variants) and map spans back to the original text, so `Fact.text` is
always what the channel really wrote.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

# Characters that are folded one-to-one (same length); anything in _DROP is removed.
_FOLD_TABLE: dict[int, str] = {}
for _i in range(10):
    _FOLD_TABLE[0x0660 + _i] = str(_i)  # Arabic-Indic digits ٠–٩
    _FOLD_TABLE[0x06F0 + _i] = str(_i)  # Eastern Arabic-Indic (Persian/Urdu) digits ۰–۹
_FOLD_TABLE.update(
    {
        0x066B: ".",  # ٫ Arabic decimal separator
        0x066C: ",",  # ٬ Arabic thousands separator
        0x066A: "%",  # ٪ Arabic percent sign
        0x060C: ",",  # ، Arabic comma (a list comma, never inside a number: see _NUMBER patterns)
        0x061B: ";",  # ؛ Arabic semicolon
        0x061F: "?",  # ؟
        0x00A0: " ",  # no-break space (French "1 299,00 €")
        0x202F: " ",  # narrow no-break space (French typography before € and %)
        0x2009: " ",  # thin space
        0x2007: " ",  # figure space
        0x2010: "-",
        0x2011: "-",
        0x2012: "-",
        0x2013: "-",  # en dash "3–5"
        0x2014: "-",  # em dash
        0x2212: "-",  # minus sign
        0x2019: "'",  # ’ (French "jusqu’à")
        0x02BC: "'",
        0x0623: "\u0627",  # أ -> ا
        0x0625: "\u0627",  # إ -> ا
        0x0622: "\u0627",  # آ -> ا
        0x0671: "\u0627",  # ٱ -> ا
        0x0649: "\u064a",  # ى -> ي
        0x06CC: "\u064a",  # Persian ی -> ي (written with Eastern Arabic-Indic digits)
        0x06A9: "\u0643",  # Persian ک -> ك
        0xFF05: "%",
    }
)
# Arabic diacritics (tanween in "يومًا"), tatweel and bidi controls carry no meaning for matching.
_DROP = frozenset(
    [
        *range(0x064B, 0x0653),
        0x0670,
        0x0640,
        0x200E,
        0x200F,
        0x061C,
        *range(0x202A, 0x202F),
        0x2066,
        0x2067,
        0x2068,
        0x2069,
        0x200B,
        0xFEFF,
    ]
)


def fold_text(text: str) -> tuple[str, list[int]]:
    """Fold `text` for matching; returns the folded text and, for each of its characters, the index in `text`.

    The offsets list has one extra entry (len(text)) so a span end maps back too.
    """
    if text.isascii():
        return text, list(range(len(text) + 1))
    if not any(ord(char) in _DROP for char in text):
        return text.translate(_FOLD_TABLE), list(range(len(text) + 1))
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        code = ord(char)
        if code in _DROP:
            continue
        chars.append(_FOLD_TABLE.get(code, char))
        offsets.append(index)
    offsets.append(len(text))
    return "".join(chars), offsets


def fold(text: str) -> str:
    """The folded form of `text` (see `fold_text`)."""
    if text.isascii():
        return text
    return "".join(char for char in text if ord(char) not in _DROP).translate(_FOLD_TABLE)


def fold_digits(text: str) -> str:
    """`text` with Arabic-Indic and Eastern Arabic-Indic digits (and ٫ ٬) as ASCII; nothing else changes."""
    return "".join(_FOLD_TABLE.get(ord(c), c) if "\u0660" <= c <= "\u06ff" else c for c in text)


# Per locale: (decimal separator, thousands separators); Arabic is read after folding ٫ -> "." and ٬ -> ",".
_LOCALE_SEPARATORS: dict[str, tuple[str, str]] = {
    "en": (".", ","),
    "ar": (".", ","),
    "fr": (",", " .'"),
    "pl": (",", " ."),
}


def parse_number(text: str, language: str = "en", *, money: bool = False) -> Decimal | None:
    """Read a written number ("1,299.00", "1 299,00", "1.299,00", "١٬٢٩٩٫٠٠", "12,5") as a Decimal.

    When both "," and "." occur, the last one is the decimal separator whatever the locale. A lone separator
    followed by exactly three digits is a thousands separator in the locale that uses it that way, and always
    for money (a price is never written with three decimals). Otherwise a lone separator is the decimal one.
    """
    lang = (language or "en").split("-")[0].lower()
    _decimal, thousands = _LOCALE_SEPARATORS.get(lang, _LOCALE_SEPARATORS["en"])
    raw = fold_digits(text).strip()
    for space in (" ", "\u00a0", "\u202f", "\u2009", "'", "\u2019"):
        raw = raw.replace(space, "")
    if not raw or not any(c.isdigit() for c in raw):
        return None
    if "," in raw and "." in raw:
        dec = "," if raw.rfind(",") > raw.rfind(".") else "."
        other = "." if dec == "," else ","
        raw = raw.replace(other, "").replace(dec, ".")
    else:
        sep = "," if "," in raw else "." if "." in raw else ""
        if sep:
            parts = raw.split(sep)
            if len(parts) > 2:
                raw = "".join(parts)  # a separator used twice groups thousands
            elif len(parts[1]) == 3 and (money or sep in thousands):
                raw = "".join(parts)
            else:
                raw = parts[0] + "." + parts[1]
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def format_number(value: Decimal) -> str:
    """A plain number string: "15", "12.5" (no exponent, no trailing zeros)."""
    if value == value.to_integral_value():
        # Decimal formatting, not str(int()): a 10,000-digit run in a post exceeds Python's int-to-str limit.
        return format(value.to_integral_value(), "f")
    text = format(value.normalize(), "f")
    return text


def format_money(value: Decimal) -> str:
    """A money amount with two decimals: "49.00"."""
    return str(value.quantize(Decimal("0.01")))


# Number words for the quantities brands write in words: 1–31, 45, 60, 90, 100.
_EN_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]

_FR_BASE = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "dix-sept": 17,
    "dix-huit": 18,
    "dix-neuf": 19,
    "vingt": 20,
    "trente": 30,
    "quarante-cinq": 45,
    "soixante": 60,
    "quatre-vingt-dix": 90,
    "cent": 100,
    "vingt et un": 21,
    "vingt-et-un": 21,
    "trente et un": 31,
    "trente-et-un": 31,
    "quarante cinq": 45,
    "quatre vingt dix": 90,
}

# Polish numerals in the cases that follow prepositions: nominative/accusative and genitive/locative.
_PL_UNITS: dict[int, tuple[str, ...]] = {
    1: ("jeden", "jedna", "jedno", "jednego", "jednej", "jednym"),
    2: ("dwa", "dwie", "dwóch", "dwu", "dwoma"),
    3: ("trzy", "trzech", "trzema"),
    4: ("cztery", "czterech", "czterema"),
    5: ("pięć", "pięciu"),
    6: ("sześć", "sześciu"),
    7: ("siedem", "siedmiu"),
    8: ("osiem", "ośmiu"),
    9: ("dziewięć", "dziewięciu"),
}
_PL_OTHER: dict[int, tuple[str, ...]] = {
    10: ("dziesięć", "dziesięciu"),
    11: ("jedenaście", "jedenastu"),
    12: ("dwanaście", "dwunastu"),
    13: ("trzynaście", "trzynastu"),
    14: ("czternaście", "czternastu"),
    15: ("piętnaście", "piętnastu"),
    16: ("szesnaście", "szesnastu"),
    17: ("siedemnaście", "siedemnastu"),
    18: ("osiemnaście", "osiemnastu"),
    19: ("dziewiętnaście", "dziewiętnastu"),
    60: ("sześćdziesiąt", "sześćdziesięciu"),
    90: ("dziewięćdziesiąt", "dziewięćdziesięciu"),
    100: ("sto", "stu"),
}
_PL_TENS: dict[int, tuple[str, ...]] = {
    20: ("dwadzieścia", "dwudziestu"),
    30: ("trzydzieści", "trzydziestu"),
    40: ("czterdzieści", "czterdziestu"),
}

# Arabic (written after folding: bare alef, ي for ى). Masculine and feminine forms, nominative and
# accusative/genitive ("ثلاثون" / "ثلاثين").
_AR_UNITS: dict[int, tuple[str, ...]] = {
    1: ("واحد", "واحدة", "واحده"),
    2: ("اثنان", "اثنين", "اثنتين", "اثنتان"),
    3: ("ثلاثة", "ثلاث", "ثلاثه"),
    4: ("اربعة", "اربع", "اربعه"),
    5: ("خمسة", "خمس", "خمسه"),
    6: ("ستة", "ست", "سته"),
    7: ("سبعة", "سبع", "سبعه"),
    8: ("ثمانية", "ثماني", "ثمان", "ثمانيه"),
    9: ("تسعة", "تسع", "تسعه"),
}
_AR_TENS: dict[int, tuple[str, ...]] = {
    20: ("عشرون", "عشرين"),
    30: ("ثلاثون", "ثلاثين"),
    40: ("اربعون", "اربعين"),
}
_AR_OTHER: dict[int, tuple[str, ...]] = {
    10: ("عشرة", "عشر", "عشره"),
    11: ("احد عشر", "احدي عشرة", "احدى عشرة"),
    12: ("اثنا عشر", "اثني عشر", "اثنتا عشرة", "اثنتي عشرة"),
    60: ("ستون", "ستين"),
    90: ("تسعون", "تسعين"),
    100: ("مائة", "مئة", "مائه", "مئه"),
}


@functools.cache
def number_words(language: str) -> dict[str, int]:
    """Written number -> value for `language` (lower case; Arabic folded); empty for other languages."""
    lang = (language or "en").split("-")[0].lower()
    words: dict[str, int] = {}
    if lang == "en":
        for i, word in enumerate(_EN_UNITS, 1):
            words[word] = i
        for i, word in enumerate(_EN_TEENS, 10):
            words[word] = i
        for tens, tens_word in ((20, "twenty"), (30, "thirty"), (40, "forty")):
            words[tens_word] = tens
            for i, unit_word in enumerate(_EN_UNITS, 1):
                if tens + i <= 31 or tens + i == 45:
                    words[f"{tens_word}-{unit_word}"] = tens + i
                    words[f"{tens_word} {unit_word}"] = tens + i
        words.pop("forty", None)
        words.update({"sixty": 60, "ninety": 90, "hundred": 100, "one hundred": 100, "a hundred": 100})
    elif lang == "fr":
        words.update(_FR_BASE)
        fr_units = ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
        for i, fr_unit in enumerate(fr_units, 2):
            words[f"vingt-{fr_unit}"] = 20 + i
            words[f"vingt {fr_unit}"] = 20 + i
    elif lang == "pl":
        for value, forms in {**_PL_UNITS, **_PL_OTHER}.items():
            for form in forms:
                words[form] = value
        for tens, tens_forms in _PL_TENS.items():
            for tens_form in tens_forms:
                if tens < 40:
                    words[tens_form] = tens
                for unit, unit_forms in _PL_UNITS.items():
                    if tens + unit <= 31 or tens + unit == 45:
                        for unit_form in unit_forms:
                            words[f"{tens_form} {unit_form}"] = tens + unit
    elif lang == "ar":
        for value, forms in {**_AR_UNITS, **_AR_OTHER}.items():
            for form in forms:
                words[form] = value
        for value in range(3, 10):  # 13–19: "ثلاثة عشر" / "ثلاث عشرة"
            for form in _AR_UNITS[value]:
                words[f"{form} عشر"] = 10 + value
                words[f"{form} عشرة"] = 10 + value
        for tens, tens_forms in _AR_TENS.items():
            for tens_form in tens_forms:
                if tens < 40:
                    words[tens_form] = tens
                for unit, unit_forms in _AR_UNITS.items():
                    if tens + unit <= 31 or tens + unit == 45:
                        for unit_form in unit_forms:
                            # Arabic says the unit first: "واحد وثلاثون", "خمسة واربعون"
                            words[f"{unit_form} و{tens_form}"] = tens + unit
                            words[f"{unit_form} و {tens_form}"] = tens + unit
    return words


def word_to_number(word: str, language: str) -> int | None:
    """The value of a written number ("thirty", "trente", "trzydzieści", "ثلاثين"), or None."""
    key = " ".join(fold(word).lower().split())
    return number_words(language).get(key)


def to_number(text: str, language: str) -> Decimal | None:
    """Digits (any script, any locale separators) or a number word, as a Decimal."""
    stripped = text.strip()
    if any(c.isdigit() for c in stripped):
        return parse_number(stripped, language)
    value = word_to_number(stripped, language)
    return Decimal(value) if value is not None else None
