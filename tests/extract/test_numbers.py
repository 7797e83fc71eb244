"""Number normalization: digit folding, locale separators and number words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from omniaudit.extract.numbers import (
    fold,
    fold_digits,
    fold_text,
    format_money,
    format_number,
    parse_number,
    to_number,
    word_to_number,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("٣٠", "30"), ("۳۰", "30"), ("١٬٢٩٩٫٠٠", "1,299.00"), ("۱۲۹", "129"), ("30", "30"), ("abc", "abc")],
)
def test_fold_digits(written: str, expected: str) -> None:
    assert fold_digits(written) == expected


def test_fold_text_maps_every_character_back() -> None:
    original = "خلال ٣٠ يومًا\u200f – أيام"
    folded, offsets = fold_text(original)
    assert folded == "خلال 30 يوما - ايام"
    assert len(offsets) == len(folded) + 1
    start = folded.index("30")
    assert original[offsets[start] : offsets[start + 1] + 1] == "٣٠"
    assert fold("Mon\u2013Fri\u00a08:00") == "Mon-Fri 8:00"


@pytest.mark.parametrize(
    ("written", "language", "money", "expected"),
    [
        ("1,299.00", "en", True, "1299.00"),
        ("1,299", "en", True, "1299"),
        ("49.99", "en", True, "49.99"),
        ("1 299,00", "fr", True, "1299.00"),
        ("1\u202f299,00", "fr", True, "1299.00"),
        ("1.299,00", "fr", True, "1299.00"),
        ("1.299", "pl", False, "1299"),
        ("12,5", "fr", False, "12.5"),
        ("12,5", "en", False, "12.5"),
        ("1,299", "fr", False, "1.299"),
        ("1.299", "en", True, "1299"),
        ("١٬٢٩٩٫٠٠", "ar", True, "1299.00"),
        ("٤٩٩", "ar", True, "499"),
        ("۱۲۹٫۵۰", "ar", True, "129.50"),
        ("1'299.00", "fr", True, "1299.00"),
    ],
)
def test_parse_number(written: str, language: str, money: bool, expected: str) -> None:
    assert parse_number(written, language, money=money) == Decimal(expected)


def test_parse_number_without_digits_is_none() -> None:
    assert parse_number("", "en") is None
    assert parse_number("thirty", "en") is None


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("thirty", "en", 30),
        ("Twenty-One", "en", 21),
        ("forty five", "en", 45),
        ("ninety", "en", 90),
        ("one hundred", "en", 100),
        ("trente", "fr", 30),
        ("vingt et un", "fr", 21),
        ("quinze", "fr", 15),
        ("quatre-vingt-dix", "fr", 90),
        ("trzydzieści", "pl", 30),
        ("trzydziestu", "pl", 30),
        ("czternastu", "pl", 14),
        ("dwadzieścia cztery", "pl", 24),
        ("sześćdziesiąt", "pl", 60),
        ("ثلاثين", "ar", 30),
        ("ثلاثون", "ar", 30),
        ("أربعة عشر", "ar", 14),
        ("خمسة وأربعون", "ar", 45),
        ("تسعين", "ar", 90),
        ("مئة", "ar", 100),
    ],
)
def test_word_to_number(word: str, language: str, expected: int) -> None:
    assert word_to_number(word, language) == expected


def test_unknown_words_and_languages() -> None:
    assert word_to_number("thirty", "fr") is None
    assert word_to_number("dreißig", "de") is None


def test_to_number_reads_digits_or_words() -> None:
    assert to_number("٣٠", "ar") == Decimal(30)
    assert to_number("trente", "fr") == Decimal(30)
    assert to_number("soon", "en") is None


def test_formatting() -> None:
    assert format_money(Decimal("49")) == "49.00"
    assert format_money(Decimal("1299.5")) == "1299.50"
    assert format_number(Decimal("15.0")) == "15"
    assert format_number(Decimal("12.50")) == "12.5"
