"""Claims: typed values, numbers however written, polarity and restrictions, read with language data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from omniaudit.extract.claims import read_claims, read_numbers
from omniaudit.extract.facts import extract_facts
from omniaudit.extract.lang import cues, languages_with_data
from omniaudit.models import Location, Segment
from omniaudit.placeholders import PLACEHOLDER


def _claim(text: str, language: str = "en"):  # type: ignore[no-untyped-def]
    segments = [Segment("site", "page.html", text, "main", Location("page.html", 3), language)]
    return read_claims(segments, extract_facts(segments))[0]


def _values(text: str, language: str = "en") -> list[tuple[str, str, str]]:
    return [(v.kind, v.value, v.unit) for v in _claim(text, language).values]


@pytest.mark.parametrize(
    ("text", "language", "numbers"),
    [
        ("A community of over two million members", "en", [2000000]),
        ("Une communauté de plus de deux millions de membres", "fr", [2000000]),
        ("Społeczność licząca ponad dwa miliony osób", "pl", [2000000]),
        ("会員は300万人を超えています", "ja", [3000000]),
        ("Okres jedenastodniowy", "pl", []),  # not a listed stem: nothing is guessed
        ("Okres dwudziestodniowy na zwrot", "pl", [20]),
        ("Open 9.30 to 17.30", "en", [Decimal("9.30"), Decimal("17.30")]),
        (f"Pay {PLACEHOLDER} within the week", "en", []),
    ],
)
def test_numbers_are_read_however_they_are_written(text: str, language: str, numbers: list[object]) -> None:
    assert read_numbers(text, language) == [Decimal(str(n)) for n in numbers]


def test_digits_only_leaves_number_words_out() -> None:
    assert read_numbers("two million members, 3 plans", "en", words=False) == [Decimal(3)]


def test_values_of_many_kinds_in_one_sentence() -> None:
    assert ("code", "12345", "") in _values("Text STOP to 12345 to unsubscribe.")
    assert ("keyword", "STOP", "") in _values("Text STOP to 12345 to unsubscribe.")
    assert _values("We accept AVIF, PNG, TIFF or BMP files.") == [("enumeration", "AVIF,BMP,PNG,TIFF", "")]
    assert ("frequency", "per_month", "") in _values("Fees are billed monthly.")
    assert ("frequency", "per_item", "") in _values("The fee is taken from each payment.")
    assert ("availability", "24/7", "") in _values("Our agents answer 24 hours a day, 7 days a week.")
    assert ("number", "40", "seats") in _values("The plan includes 40 seats for your team.")


def test_identifiers_and_years_are_not_codes() -> None:
    kinds = {kind for kind, _, _ in _values("Your order ORD-55120 shipped in 2024.")}
    assert "code" not in kinds and "number" not in kinds


def test_bounds_are_kept_with_the_value() -> None:
    (value,) = [v for v in _claim("You can upload files of up to 8 megabytes.").values if v.kind == "number"]
    assert value.qualifier == "up_to"


@pytest.mark.parametrize(
    ("text", "language", "negated"),
    [
        ("Refunds are not available for gift cards.", "en", True),
        ("Refunds are available for gift cards.", "en", False),
        ("Les remboursements ne sont pas possibles.", "fr", True),
        ("Zwroty nie są możliwe.", "pl", True),
        ("لا يمكن استرداد المبلغ.", "ar", True),
    ],
)
def test_polarity(text: str, language: str, negated: bool) -> None:
    assert _claim(text, language).negated is negated


def test_restrictions() -> None:
    assert _claim("Free delivery for members only.").restrictions == ("only",)
    assert "except" in _claim("Every item can be returned, except earrings.").restrictions
    assert _claim("Free delivery on every order.").restrictions == ()


def test_customer_lines_in_a_script_are_not_claims() -> None:
    segments = [
        Segment("phone", "s.txt", "Is it 30 days?", "customer", Location("s.txt", 1), "en"),
        Segment("phone", "s.txt", "Yes, 30 days.", "agent", Location("s.txt", 2), "en"),
    ]
    assert [c.text for c in read_claims(segments, extract_facts(segments))] == ["Yes, 30 days."]


def test_catalogue_claims_carry_their_message_key() -> None:
    segment = Segment(
        "app", "en.json", "Save 10 percent", "main", Location("en.json", 4, section="cart.promo"), "en"
    )
    (claim,) = read_claims([segment], [], catalogue_uris={"en.json"})
    assert claim.key == "cart.promo"


def test_every_language_file_loads_and_validates() -> None:
    assert {"en", "fr", "pl", "ar", "es", "cy", "ja"} <= set(languages_with_data())
    for code in languages_with_data():
        assert cues(code).negation is not None, code


def test_a_language_without_data_gets_no_cues_but_still_digits() -> None:
    assert cues("xx").negation is None
    assert read_numbers("42 ماشین", "fa") == [Decimal(42)]
