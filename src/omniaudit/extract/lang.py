"""Language knowledge as data: `data/lang/<code>/claims.yaml`, validated when loaded, compiled once.

Each file lists the cues the claim reader needs in one language: negation words, qualifiers (restrictions
such as "only" / "except" / "if", and bounds such as "up to" / "at least"), frequencies ("monthly", "each
payment"), round-the-clock availability, number multipliers ("million", "万") and, for languages that write
"30-day" as one word, compound numeral stems. Adding a language is a folder with this file plus tests; a
language without a folder gets no cues (its digits, money and contacts are still read).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import OmniauditError

QualifierKind = Literal[
    "only", "except", "condition", "example", "up_to", "at_least", "about", "more_than", "less_than"
]
FrequencyKind = Literal["per_month", "per_year", "per_week", "per_day", "per_item"]
# Qualifiers that narrow who or when a statement applies to ("example": the values only illustrate); the rest
# bound a value.
RESTRICTIONS = frozenset({"only", "except", "condition", "example"})


class _LanguageFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    word_boundaries: bool = True
    negation: list[str] = []
    qualifiers: dict[QualifierKind, list[str]] = {}
    frequency: dict[FrequencyKind, list[str]] = {}
    availability: dict[str, list[str]] = {}
    multipliers: dict[str, int] = {}
    compound_numbers: dict[str, int] = {}
    compound_units: dict[str, str] = {}
    keyword_cues: list[str] = []
    rate_words: list[str] = []
    number_words: dict[str, int] = {}


@dataclass(frozen=True)
class LanguageCues:
    code: str
    negation: regex.Pattern[str] | None
    qualifiers: tuple[tuple[str, regex.Pattern[str]], ...]
    frequency: tuple[tuple[str, regex.Pattern[str]], ...]
    availability: tuple[tuple[str, regex.Pattern[str]], ...]
    multipliers: dict[str, int]
    compound_number: regex.Pattern[str] | None
    compound_numbers: dict[str, int]
    compound_units: dict[str, str]
    keyword_cue: regex.Pattern[str] | None
    rate: regex.Pattern[str] | None  # after an amount: "per GB", "/month" -> the thing it is charged for
    number_words: dict[str, int]  # written numbers beyond extract.numbers' tables


def _compile(patterns: list[str], bounded: bool) -> regex.Pattern[str] | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))
    source = rf"(?<![\w'])(?:{body})(?![\w])" if bounded else f"(?:{body})"
    return regex.compile(source, regex.IGNORECASE | regex.UNICODE)


def _rate(words: list[str]) -> regex.Pattern[str] | None:
    if not words:
        return None
    spelled = [w for w in words if any(ch.isalpha() for ch in w)]
    signs = [w for w in words if w not in spelled]
    # A word is followed by a space ("per GB", not "a" + "pplies"); a sign need not be ("/month").
    options = [f"(?:{_alternatives(sorted(spelled, key=len, reverse=True))})\\s+"] if spelled else []
    options += [f"(?:{_alternatives(signs)})\\s*"] if signs else []
    return regex.compile(
        rf"\s*(?:{'|'.join(options)})(?P<noun>[^\W\d_][\w-]*)", regex.IGNORECASE | regex.UNICODE
    )


def _alternatives(words: list[str]) -> str:
    return "|".join(map(regex.escape, words))


def _load_file(code: str) -> _LanguageFile | None:
    resource = resources.files("omniaudit") / "data" / "lang" / code / "claims.yaml"
    if not resource.is_file():
        return None
    shown = f"data/lang/{code}/claims.yaml"
    try:
        raw = yaml.safe_load(resource.read_text(encoding="utf-8")) or {}
        return _LanguageFile.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        first = str(exc).splitlines()[0:3]
        raise OmniauditError(f"{shown}: invalid language data: {' '.join(first)}") from None


@functools.cache
def cues(language: str | None) -> LanguageCues:
    """The compiled cues of `language` ("fr-CA" reads fr); empty cues when the language has no data."""
    code = (language or "en").replace("_", "-").split("-")[0].lower()
    data = _load_file(code) or _LanguageFile()
    bounded = data.word_boundaries

    def table(entries: dict[str, list[str]]) -> tuple[tuple[str, regex.Pattern[str]], ...]:
        compiled = ((kind, _compile(patterns, bounded)) for kind, patterns in entries.items())
        return tuple((kind, pattern) for kind, pattern in compiled if pattern is not None)

    stems = sorted(data.compound_numbers, key=len, reverse=True)
    units = sorted(data.compound_units, key=len, reverse=True)
    compound = None
    if stems and units:
        compound = regex.compile(
            rf"(?<!\w)(?P<n>{_alternatives(stems)})(?P<u>{_alternatives(units)})\w*",
            regex.IGNORECASE,
        )
    return LanguageCues(
        code=code,
        negation=_compile(data.negation, bounded),
        qualifiers=table({str(kind): cues for kind, cues in data.qualifiers.items()}),
        frequency=table({str(kind): cues for kind, cues in data.frequency.items()}),
        availability=table(data.availability),
        multipliers={word.lower(): value for word, value in data.multipliers.items()},
        compound_number=compound,
        compound_numbers={k.lower(): v for k, v in data.compound_numbers.items()},
        compound_units={k.lower(): v for k, v in data.compound_units.items()},
        keyword_cue=_compile(data.keyword_cues, bounded),
        rate=_rate(data.rate_words),
        number_words={word.lower(): value for word, value in data.number_words.items()},
    )


def languages_with_data() -> list[str]:
    root = resources.files("omniaudit") / "data" / "lang"
    return sorted(entry.name for entry in root.iterdir() if entry.joinpath("claims.yaml").is_file())


__all__ = ["RESTRICTIONS", "LanguageCues", "cues", "languages_with_data"]
