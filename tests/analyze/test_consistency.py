from __future__ import annotations

from omniaudit.analyze.consistency import check_facts
from omniaudit.models import Fact, Location


def fact(channel: str, kind: str, value: str, subject: str, text: str, unit: str = "day") -> Fact:
    quote = f"{channel} quote: {text}"
    return Fact(kind, value, unit, subject, text, quote, channel, Location(f"{channel}.html", line=3))


def test_disagreeing_return_windows_quote_both_sides() -> None:
    result = check_facts(
        [
            fact("website", "duration", "30", "returns", "30 days"),
            fact("call-centre", "duration", "14", "returns", "14 days"),
        ]
    )
    (finding,) = result.findings
    assert finding.rule_id == "facts.contradiction"
    assert finding.severity == "error"
    assert finding.channels == ("call-centre", "website")
    assert (
        finding.message
        == "Return window differs across channels: call-centre says 14 days; website says 30 days"
    )
    assert {e.quote for e in finding.evidence} == {"website quote: 30 days", "call-centre quote: 14 days"}
    assert result.subjects_checked == 1 and result.subjects_consistent == 0


def test_overlapping_value_sets_do_not_contradict() -> None:
    # The site lists standard and express delivery; the script quotes only standard: consistent.
    result = check_facts(
        [
            fact("website", "duration", "3-5", "delivery", "3-5 business days", "business_day"),
            fact("website", "duration", "1-2", "delivery", "1-2 business days", "business_day"),
            fact("call-centre", "duration", "3-5", "delivery", "3 to 5 business days", "business_day"),
        ]
    )
    assert result.findings == ()
    assert result.subjects_consistent == 1


def test_same_number_for_other_subjects_is_never_compared() -> None:
    result = check_facts(
        [
            fact("website", "duration", "30", "returns", "30 days"),
            fact("help", "duration", "2", "warranty", "2 years", "year"),
            fact("help", "duration", "30", "returns", "30 days"),
        ]
    )
    assert result.findings == ()


def test_brand_book_disagreement_is_reported_per_channel() -> None:
    book = [
        Fact("duration", "30", "day", "returns", "30 days", "30 days", "brand_book", Location("brand_book"))
    ]
    result = check_facts([fact("call-centre", "duration", "14", "returns", "14 days")], book)
    (finding,) = result.findings
    assert finding.rule_id == "facts.off_book"
    assert finding.message == "Return window in 'call-centre' is 14 days, but the brand book says 30 days"


def test_phone_numbers_are_a_warning_and_generic_prices_are_skipped() -> None:
    result = check_facts(
        [
            fact("website", "phone", "+18005550199", "phone", "+1 800 555 0199", ""),
            fact("social", "phone", "+18005550100", "phone", "+1 800 555 0100", ""),
            fact("website", "money", "10.00", "price", "$10", "USD"),
            fact("social", "money", "12.00", "price", "$12", "USD"),
        ]
    )
    (finding,) = result.findings
    assert finding.severity == "warning"
    assert "Phone number differs" in finding.message


def test_agreeing_channels_are_named_together() -> None:
    result = check_facts([
        fact("website", "duration", "3-5", "delivery", "3-5 business days", "business_day"),
        fact("help", "duration", "3-5", "delivery", "3 to 5 business days", "business_day"),
        fact("facebook", "duration", "7-10", "delivery", "7-10 business days", "business_day"),
    ])
    (finding,) = result.findings
    assert finding.message == (
        "Delivery time differs across channels: facebook says 7-10 business days; "
        "help and website say 3 to 5 business days"
    )


def test_a_contradiction_quotes_the_brand_book_instead_of_a_second_finding() -> None:
    book = [
        Fact("duration", "30", "day", "returns", "30 days", "30 days", "brand_book", Location("brand_book"))
    ]
    result = check_facts(
        [
            fact("website", "duration", "30", "returns", "30 days"),
            fact("call-centre", "duration", "14", "returns", "14 days"),
        ],
        book,
    )
    (finding,) = result.findings
    assert finding.rule_id == "facts.contradiction"
    assert finding.message.endswith("(the brand book says 30 days)")
