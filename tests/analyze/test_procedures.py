"""Procedures: the parts each channel tells about a topic, and the differences between channels, each quoting
every side. Topics are given here (the topic model has its own tests), so these run without a model."""

from __future__ import annotations

import pytest

from omniaudit.analyze.procedures import compare_procedures, is_procedural, read_procedures
from omniaudit.extract.claims import read_claims
from omniaudit.extract.facts import extract_facts
from omniaudit.models import Finding, Location, Segment, Value


def _values(segments: list[Segment]) -> list[tuple[Value, ...]]:
    """Each segment's values as the extract stage reads them (procedures never read amounts themselves)."""
    by_segment = {id(c.segment): c.values for c in read_claims(segments, extract_facts(segments))}
    return [by_segment.get(id(segment), ()) for segment in segments]


def _segments(channels: dict[str, list[str]], language: str = "en") -> list[Segment]:
    """Each channel's lines, in order; a line starting "Customer:" is a customer's turn."""
    out = []
    for channel, lines in channels.items():
        for number, line in enumerate(lines, start=1):
            scope, text = (
                ("customer", line.split(":", 1)[1].strip())
                if line.startswith("Customer:")
                else ("main", line)
            )
            uri = f"{channel}/returns.txt"
            out.append(Segment(channel, uri, text, scope, Location(uri, number), language))
    return out


def _audit(channels: dict[str, list[str]], language: str = "en") -> list[Finding]:
    segments = _segments(channels, language)
    procedures = read_procedures(segments, ["returns"] * len(segments), values=_values(segments))
    return compare_procedures(procedures, segments)


def _quotes(finding: Finding) -> dict[str, str]:
    return {e.channel_id: e.quote for e in finding.evidence}


SAME_PROCEDURE = {
    "website": [
        "You can return any item within 30 days.",
        "Sign in to your account and open your orders.",
        "Print the prepaid label, or show the code at any of our stores.",
        "Please have your order number ready.",
    ],
    "call-centre": [
        "You can return any item within 30 days.",
        "Can I take your order number, please?",
        "I have started the return and emailed you a prepaid label.",
        "You can also show the code at any of our stores.",
    ],
    "chatbot": [
        "No problem, you can return any item within 30 days.",
        "Tell me your order number and I will start a return for you.",
        "Print the prepaid label from your email, or bring the item to any of our stores.",
    ],
}


def test_the_same_procedure_in_different_words_gives_no_finding() -> None:
    assert _audit(SAME_PROCEDURE) == []


def test_receipt_required_in_one_channel_and_not_needed_in_another_quotes_both() -> None:
    findings = _audit(
        {
            "store-page": [
                "You can return any item within 30 days.",
                "Bring the item and your receipt to the store.",
            ],
            "help-centre": [
                "You can return any item within 30 days.",
                "You do not need a receipt: we find your purchase from your email.",
            ],
        }
    )
    [finding] = [f for f in findings if f.rule_id == "experience.requirement"]
    assert finding.severity == "error" and finding.subject == "returns"
    assert set(finding.channels) == {"store-page", "help-centre"}
    assert _quotes(finding) == {
        "store-page": "Bring the item and your receipt to the store.",
        "help-centre": "You do not need a receipt: we find your purchase from your email.",
    }
    assert "store-page requires a receipt" in finding.message


@pytest.mark.parametrize(
    ("language", "required", "not_needed"),
    [
        (
            "fr",
            "Rapportez l'article en magasin avec votre ticket de caisse.",
            "Pas besoin de ticket de caisse : votre commande suffit.",
        ),
        ("pl", "Przynieś produkt do sklepu razem z paragonem.", "Paragon nie jest wymagany do zwrotu."),
        ("ar", "أحضر المنتج إلى الفرع مع الإيصال.", "لا حاجة إلى الإيصال لإرجاع المنتج."),
    ],
)
def test_requirements_and_their_negation_are_read_in_french_polish_and_arabic(
    language: str, required: str, not_needed: str
) -> None:
    findings = _audit({"store": [required], "chat": [not_needed]}, language)
    [finding] = [f for f in findings if f.rule_id == "experience.requirement"]
    assert _quotes(finding) == {"store": required, "chat": not_needed}


def test_in_store_only_against_by_post_is_a_place_finding() -> None:
    findings = _audit(
        {
            "chatbot": [
                "Returns are accepted in store only.",
                "Bring the item and your receipt to any of our stores.",
            ],
            "website": [
                "Print your label, pack the item securely and drop it at any post office.",
                "You can also send it back by post with the prepaid label.",
            ],
        }
    )
    [place] = [f for f in findings if f.rule_id == "experience.place"]
    assert place.severity == "error"
    assert (
        "chatbot says it can be done only in store" in place.message and "website: by post" in place.message
    )
    quotes = _quotes(place)
    assert quotes["chatbot"] == "Returns are accepted in store only."
    assert "post office" in quotes["website"] or "by post" in quotes["website"]
    # The label and posting steps exist only because of the place difference: not reported again as steps.
    assert not [f for f in findings if f.rule_id == "experience.procedure_step"]


def test_a_restocking_fee_told_by_one_channel_only_is_reported_with_the_other_sides_procedure() -> None:
    channels = {name: list(lines) for name, lines in SAME_PROCEDURE.items()}
    channels["chatbot"].append("Please note that a restocking fee of $5 applies to every returned item.")
    [finding] = _audit(channels)
    assert finding.rule_id == "experience.fee" and finding.severity == "warning"
    assert finding.channels == ("call-centre", "chatbot", "website")
    quotes = _quotes(finding)
    assert "restocking fee of $5" in quotes["chatbot"]
    assert {"website", "call-centre"} <= set(quotes)


def test_a_fee_against_free_returns_is_a_contradiction() -> None:
    findings = _audit(
        {
            "app": [
                "Return shipping costs $4.95, deducted from your refund.",
                "Print the label and pack the item.",
            ],
            "website": [
                "Return shipping is free with our prepaid label.",
                "Print the label and pack the item.",
            ],
        }
    )
    [finding] = [f for f in findings if f.rule_id == "experience.fee"]
    assert finding.severity == "error" and "website says it is free" in finding.message


def test_different_time_limits_are_reported_and_a_month_counts_as_thirty_days() -> None:
    findings = _audit(
        {
            "website": ["You can return any item within 30 days."],
            "facebook": ["You have a month to send it back."],
            "call-centre": ["You can return any item within 14 days."],
        }
    )
    [limit] = [f for f in findings if f.rule_id == "experience.limit"]
    assert "call-centre: 14 day" in limit.message and "facebook, website: 30 day" in limit.message
    assert _quotes(limit)["call-centre"] == "You can return any item within 14 days."


def test_a_step_the_other_channels_tell_and_one_leaves_out() -> None:
    findings = _audit(
        {
            "website": [
                "Start your return online.",
                "Pack the item in a box.",
                "Print the label and post it.",
            ],
            "app": ["Start a return in the app.", "Pack the item in a box.", "Print the label and post it."],
            "help-centre": ["Start your return online, then print the label and post the parcel."],
        }
    )
    [step] = [f for f in findings if f.rule_id == "experience.procedure_step"]
    assert 'the step "pack the item"' in step.message and "missing from help-centre" in step.message
    assert (
        _quotes(step)["help-centre"] == "Start your return online, then print the label and post the parcel."
    )


def test_customers_turns_are_not_the_brands_procedure() -> None:
    channels = {name: list(lines) for name, lines in SAME_PROCEDURE.items()}
    channels["call-centre"].insert(1, "Customer: I don't have a receipt and I want to pay a restocking fee.")
    assert _audit(channels) == []


def test_the_same_number_under_different_topics_is_never_compared() -> None:
    segments = _segments(
        {
            "website": ["You can return any item within 30 days."],
            "app": ["Repairs take 14 days under warranty."],
        }
    )
    procedures = read_procedures(segments, ["returns", "warranty"], values=_values(segments))
    assert compare_procedures(procedures, segments) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Print the prepaid label.", True),
        ("1. Sign in to your account.", True),
        ("To return an item, bring it to a store.", True),
        ("Imprimez l'étiquette et déposez le colis.", True),
        ("Wydrukuj etykietę i nadaj paczkę.", True),
        ("اطبع الملصق ثم أرسل الطرد.", True),
        ("Our jackets are built to last.", False),
        ("The parcel is with the courier now.", False),
    ],
)
def test_procedural_sentences(text: str, expected: bool) -> None:
    assert is_procedural(text) is expected


def test_in_store_only_in_french_against_posting_in_polish() -> None:
    segments = _segments({"boutique": ["Les retours se font uniquement en magasin."]}, "fr") + _segments(
        {"sklep-online": ["Możesz odesłać produkt pocztą w ciągu 30 dni."]}, "pl"
    )
    procedures = read_procedures(segments, ["returns"] * len(segments), values=_values(segments))
    [place] = compare_procedures(procedures, segments)
    assert place.rule_id == "experience.place" and place.channels == ("boutique", "sklep-online")
    assert _quotes(place) == {
        "boutique": "Les retours se font uniquement en magasin.",
        "sklep-online": "Możesz odesłać produkt pocztą w ciągu 30 dni.",
    }


@pytest.mark.parametrize(
    ("text", "language", "limits"),
    [
        ("You can return any item within 30 days.", "en", ["30 day"]),
        ("You have a month to send it back.", "en", ["30 day"]),
        ("Refunds take 5-10 business days.", "en", ["5-10 business day"]),
        ("Retour possible sous un mois.", "fr", ["30 day"]),
        ("Zwrot w ciągu 2 tygodni.", "pl", ["14 day"]),
        ("يمكنك الإرجاع خلال ٣٠ يومًا.", "ar", ["30 day"]),
        ("Our chat is open 24 hours a day, 7 days a week.", "en", []),
    ],
)
def test_time_limits_are_normalized_to_days(text: str, language: str, limits: list[str]) -> None:
    # Durations are read once, in the sentence's language, by the extract stage.
    segments = _segments({"site": [text]}, language)
    procedures = read_procedures(segments, ["returns"], values=_values(segments))
    found = [m.detail for p in procedures for m in p.mentions if m.part == "limit"]
    assert found == limits
