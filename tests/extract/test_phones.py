"""Phone numbers in the brand's country (phonenumbers): a UK brand's "020 ..." is its "+44 20 ...".

The hand-written reader read every 10-digit English number as North American and left "020 7946 0958" as
`02079460958`, so a UK brand writing it on the site and `+44 20 7946 0958` in the help centre got a
contradiction.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from omniaudit.analyze.consistency import check_facts
from omniaudit.app import run_audit
from omniaudit.config import load_config, parse_config
from omniaudit.errors import ConfigError
from omniaudit.extract.facts import extract_facts
from omniaudit.extract.phones import brand_country, read_phone
from omniaudit.models import Location, Segment


def _segment(channel: str, text: str, language: str = "en") -> Segment:
    return Segment(channel, f"{channel}/page.html", text, "main", Location(f"{channel}/page.html"), language)


def _contradictions(site: str, help_centre: str, country: str | None) -> list[str]:
    facts = extract_facts(
        [_segment("site", f"Call us on {site}."), _segment("help", f"Our phone line: {help_centre}.")],
        country=country,
    )
    assert [fact.kind for fact in facts] == ["phone", "phone"]
    return [finding.message for finding in check_facts(facts).findings]


@pytest.mark.parametrize("country", ["GB", None])
def test_the_uk_number_in_national_and_international_form_is_one_number(country: str | None) -> None:
    assert _contradictions("020 7946 0958", "+44 20 7946 0958", country) == []


@pytest.mark.parametrize("country", ["GB", None])
def test_a_different_uk_number_is_a_contradiction(country: str | None) -> None:
    assert _contradictions("020 7946 0958", "020 7946 0959", country) == [
        "Phone number differs across channels: help says 020 7946 0959; site says 020 7946 0958"
    ]


def test_english_alone_assumes_no_north_american_number() -> None:
    assert read_phone("(800) 555-0199", None) == "8005550199"
    assert read_phone("(800) 555-0199", "US") == "+18005550199"
    assert read_phone("020 7946 0958", "GB") == "+442079460958"
    assert read_phone("0044 20 7946 0958", None) == "+442079460958"
    assert read_phone("+44 (0)20 7946 0958", "US") == "+442079460958"
    assert read_phone("+44 12", None) is None  # too short to be a number anywhere


@pytest.mark.parametrize(
    ("country", "languages", "website", "expected"),
    [
        (None, ["en"], "https://brand.example", None),
        (None, ["en"], None, None),
        (None, ["en"], "https://www.brand.co.uk/", "GB"),
        (None, ["fr"], "https://brand.fr", "FR"),
        (None, ["en-GB"], "https://brand.com", "GB"),
        (None, ["en-GB", "fr-CA"], None, None),  # two regions: no single country
        ("IE", ["en"], "https://brand.co.uk", "IE"),  # the config wins
    ],
)
def test_the_brands_country(country: str | None, languages: list[str], website: str | None,
                            expected: str | None) -> None:
    assert brand_country(country, languages, website) == expected


def test_an_unknown_country_code_names_the_right_one() -> None:
    data = {
        "brand": {"name": "Acme", "country": "UK"},
        "brand_book": {"key_messages": [{"id": "m", "text": "Hello."}]},
        "channels": [{"id": "site", "type": "website", "connector": "static_site", "source": "site/"}],
    }
    with pytest.raises(ConfigError) as info:
        parse_config(data, path="omniaudit.yaml")
    assert str(info.value) == (
        "omniaudit.yaml: brand.country: unknown country 'UK': use an ISO 3166 code such as GB, FR or US "
        "(the United Kingdom is GB)"
    )
    data["brand"] = {"name": "Acme", "country": "gb"}
    assert parse_config(data).brand.country == "GB"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("help_number", "contradiction"), [("+44 20 7946 0958", False), ("020 7946 0959", True)]
)
def test_a_uk_brand_audit(tmp_path: Path, real_embedder, help_number: str, contradiction: bool) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "contact.html").write_text(
        "<html lang='en'><body><main><p>Tea, delivered. Call us on 020 7946 0958.</p></main></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "phone.md").write_text(
        f"# Contact\n\nTea, delivered. Our phone line: {help_number}.\n", encoding="utf-8"
    )
    (tmp_path / "omniaudit.yaml").write_text(
        "brand: {name: Kettle, languages: [en], website: https://kettle.co.uk}\n"
        "brand_book:\n  key_messages:\n    - {id: tagline, text: 'Tea, delivered.'}\n"
        "channels:\n"
        "  - {id: site, type: website, connector: static_site, source: site/}\n"
        "  - {id: help, type: service, connector: service_folder, source: help/}\n"
        "history: {enabled: false}\n",
        encoding="utf-8",
    )
    result = run_audit(load_config(tmp_path / "omniaudit.yaml"), embedder=real_embedder)
    phone = [f for f in result.findings if f.subject == "phone"]
    assert [f.rule_id for f in phone] == (["facts.contradiction"] if contradiction else [])
