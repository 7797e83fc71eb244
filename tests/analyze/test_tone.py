"""Tone of voice: per-channel profiles compared with the brand book's voice (regex and counts, no model)."""

from __future__ import annotations

from omniaudit.analyze.tone import compare_tone, profile_channels, voice_bounds
from omniaudit.config import Voice
from omniaudit.models import Location, Segment

VOICE = Voice(
    adjectives=["friendly", "upbeat", "practical"],
    examples=["We're here to help with orders, deliveries, returns and anything else about your shopping."],
    avoid=["!!!"],
)

CALM = [
    "Our new throws are soft, warm and machine washable.",
    "Delivery takes 3-5 business days.",
    "You can return any item within 30 days.",
    "Questions about an order? Call us at +1 800 555 0142.",
    "Small change, big difference: swap your cushion covers and the whole room feels new.",
]
LOUD = [
    "OMG you guys!!! 😍😍😍 Our new throws are literally SO soft 🔥🔥",
    "Get ur fave cushions before they're GONE lol 👉 https://brightmart.example #FreshForLess",
    "NGL this mug set is a total vibe ☕✨ Brighten every room!!!",
    "Tag ur bestie who NEEDS a new duvet cover 😂😂",
]


def _segments(channels: dict[str, list[str]], language: str = "en") -> list[Segment]:
    return [
        Segment(
            channel,
            f"{channel}.json",
            text,
            "post",
            Location(f"{channel}.json", section=f"post {i}"),
            language,
        )
        for channel, texts in channels.items()
        for i, text in enumerate(texts, start=1)
    ]


def _compare(channels: dict[str, list[str]], types: dict[str, str], voice: Voice = VOICE, **kwargs):  # type: ignore[no-untyped-def]
    segments = _segments(channels, kwargs.pop("language", "en"))
    profiles = profile_channels(segments, voice.avoid)
    return compare_tone(profiles, segments, voice, types, **kwargs)


def test_a_loud_social_channel_departs_and_quotes_its_sentences_and_the_brand_voice() -> None:
    findings, departures = _compare(
        {"facebook": CALM, "tiktok": LOUD}, {"facebook": "social", "tiktok": "social"}
    )
    [finding] = findings
    assert (
        finding.rule_id == "experience.tone"
        and finding.channels == ("tiktok",)
        and finding.subject == "tiktok"
    )
    assert finding.severity == "error"  # emoji, shouting, slang and the avoided "!!!": far from the voice
    assert {"emoji", "shouting", "informal", "avoided"} <= set(departures["tiktok"])
    quotes = [e.quote for e in finding.evidence if e.channel_id == "tiktok"]
    assert 1 <= len(quotes) <= 3 and all(q in LOUD for q in quotes)
    assert finding.evidence[-1].channel_id == "brand_book" and finding.evidence[-1].quote == VOICE.examples[0]
    assert "phrases the brand book says to avoid: 2" in finding.message


def test_customers_turns_and_repeated_footers_do_not_count() -> None:
    segments = _segments({"call-centre": CALM + ["OMG this is SO bad!!! 😡😡"] * 3})
    segments = [
        Segment(
            s.channel_id,
            s.doc_uri,
            s.text,
            "customer" if "OMG" in s.text else "agent",
            s.location,
            s.language,
        )
        for s in segments
    ]
    profile = profile_channels(segments, VOICE.avoid)["call-centre"]
    assert profile.sentences == len(CALM) and profile.avoided == 0 and profile.emoji == 0


def test_social_is_allowed_more_than_the_help_centre() -> None:
    lively = [
        "New cushions are in!",
        "Swap your covers and the whole room feels new!",
        "Delivery takes 3-5 business days.",
        "You can return any item within 30 days.",
    ]
    findings, _ = _compare(
        {"instagram": lively, "help-centre": lively}, {"instagram": "social", "help-centre": "service"}
    )
    assert [f.channels for f in findings] == [("help-centre",)]
    allowed = voice_bounds(VOICE, "service")["exclamation"]
    assert allowed < 0.5 < voice_bounds(VOICE, "social")["exclamation"]
    assert (
        f"sentences with an exclamation mark: 50% (allowed up to {allowed:.0%} for service)"
        in findings[0].message
    )


def test_overrides_per_channel_type_widen_the_range() -> None:
    findings, _ = _compare(
        {"tiktok": LOUD},
        {"tiktok": "social"},
        voice=Voice(adjectives=["playful"]),
        overrides={"social": {"emoji": 5, "shouting": 1, "informal": 1}},
    )
    assert findings == []


def test_formal_brand_voice_flags_tutoiement_in_french() -> None:
    voice = Voice(adjectives=["formal"], examples=["Nous sommes à votre disposition pour toute question."])
    channels = {
        "site": ["Vous pouvez retourner votre article sous 30 jours.", "Votre commande arrive en 3 jours."],
        "instagram": [
            "Tu peux retourner ton article sous 30 jours.",
            "Ta commande arrive en 3 jours.",
            "Ton colis est en route.",
        ],
    }
    findings, departures = _compare(
        channels, {"site": "website", "instagram": "social"}, voice=voice, language="fr"
    )
    assert departures == {"instagram": ["address"]}
    assert "informal address" in findings[0].message


def test_plain_spoken_voice_flags_jargon_and_long_sentences() -> None:
    legalese = [
        "Pursuant to our returns policy, the aforementioned merchandise shall be remitted to the fulfillment "
        "centre in accordance with the instructions hereinafter provided by the customer service department.",
        "Notwithstanding the foregoing, reimbursement shall be facilitated subsequent to the verification of "
        "the returned merchandise by authorised personnel within the designated processing period.",
        "Customers are advised to utilise the RMA reference communicated electronically at the time of the "
        "authorisation of the return request in all correspondence with the organisation.",
    ]
    findings, departures = _compare(
        {"terms": legalese}, {"terms": "website"}, voice=Voice(adjectives=["plain-spoken"])
    )
    assert {"jargon", "readability"} <= set(departures["terms"])
    assert all(e.quote in legalese for e in findings[0].evidence)


def test_bounds_follow_the_adjectives_and_never_fall_below_the_examples() -> None:
    upbeat = voice_bounds(Voice(adjectives=["upbeat"]), "website")
    formal = voice_bounds(Voice(adjectives=["formal"]), "website")
    assert upbeat["exclamation"] > formal["exclamation"] and formal["emoji"] == 0
    shouty = voice_bounds(Voice(adjectives=["formal"], examples=["Big news!", "It's here!"]), "website")
    assert shouty["exclamation"] >= 1.0


def test_polish_brand_that_addresses_customers_as_panstwo_flags_a_channel_using_ty() -> None:
    voice = Voice(examples=["Zapraszamy Państwa do naszych sklepów."])
    channels = {
        "strona": ["Zapraszamy Państwa do sklepu.", "Czekamy na Państwa zamówienie."],
        "tiktok": [
            "Ty też możesz zwrócić produkt.",
            "Twoja paczka już jedzie.",
            "Sprawdź, co dla ciebie mamy.",
        ],
    }
    findings, departures = _compare(
        channels, {"strona": "website", "tiktok": "social"}, voice=voice, language="pl"
    )
    assert departures == {"tiktok": ["address"]}
    assert {e.quote for e in findings[0].evidence if e.channel_id == "tiktok"} <= set(channels["tiktok"])


def test_colloquial_arabic_on_a_formal_channel_is_informal() -> None:
    channels = {
        "website": ["يرجى إحضار الإيصال عند الإرجاع.", "نرجو التواصل معنا عبر البريد الإلكتروني."],
        "call-centre": ["شو بدك تعمل هلق؟", "مش مشكلة، يلا منرجعها.", "كتير منيح، هيك أحسن."],
    }
    findings, departures = _compare(channels, {"website": "website", "call-centre": "service"}, language="ar")
    assert departures == {"call-centre": ["informal"]}
    assert findings[0].channels == ("call-centre",)


def test_a_modest_voice_flags_sweeping_claims() -> None:
    claims = [
        "The best blankets, always.",
        "Guaranteed to be the softest.",
        "We never compromise.",
        "Shop now.",
    ]
    _, departures = _compare({"website": claims}, {"website": "website"}, voice=Voice(adjectives=["modest"]))
    assert departures == {"website": ["confident"]}
