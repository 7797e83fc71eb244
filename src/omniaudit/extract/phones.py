"""Phone numbers read with `phonenumbers` (Google's libphonenumber metadata), in the brand's country.

A number written with its country code ("+44 20 7946 0958", "0044 20 7946 0958") is stored in E.164
(`+442079460958`) whatever the brand. A number written without one ("020 7946 0958") is read in the brand's
country when that is known (`brand.country`, else the website's country-code domain, else a region in the
brand's languages such as `en-GB`) and then compares equal to the international form. When no country is known
a language alone is no clue (English is spoken on every continent), so the national number keeps its digits
and is compared in national form: with other national numbers, and with an international number whose own
national form it is (see `resolve_national`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import urlsplit

import phonenumbers

# Country-code top-level domains that are not the ISO code of their country.
_TLD_REGIONS = {"uk": "GB"}


@functools.cache
def supported_regions() -> frozenset[str]:
    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def _region(code: str | None) -> str | None:
    region = (code or "").upper()
    region = _TLD_REGIONS.get(region.lower(), region)
    return region if region in supported_regions() else None


def locale_region(language: str | None) -> str | None:
    """The region of a locale tag ("en-GB", "pt_BR", "zh-Hant-TW"), or None for a bare language."""
    parts = (language or "").replace("_", "-").split("-")[1:]
    return next((region for part in parts if len(part) == 2 and (region := _region(part))), None)


def brand_country(
    country: str | None, languages: Iterable[str] = (), website: str | None = None
) -> str | None:
    """The country whose numbering plan reads the brand's national numbers: `brand.country`, else the
    website's country-code domain (`.co.uk` -> GB), else the one region named in the brand's languages."""
    if country:
        return _region(country)
    if website:
        host = urlsplit(website if "://" in website else f"//{website}").hostname or ""
        tld = host.rsplit(".", 1)[-1] if "." in host else ""
        if len(tld) == 2 and (region := _region(tld)):
            return region
    regions = {region for language in languages if (region := locale_region(language))}
    return regions.pop() if len(regions) == 1 else None


def read_phone(text: str, country: str | None) -> str | None:
    """The number in `text` as E.164 ("+442079460958"), as national digits ("02079460958") when it has no
    country code and `country` is None, or None when it cannot be a phone number anywhere."""
    written = text.strip()
    if written.startswith("00"):
        written = "+" + written[2:]  # the international call prefix used across Europe, Africa and Asia
    international = written.startswith("+")
    if not international and country is None:
        digits = "".join(ch for ch in written.replace("(0)", "") if ch.isdigit())
        return digits if 6 <= len(digits) <= 15 else None
    try:
        number = phonenumbers.parse(written, None if international else country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_form(e164: str) -> str | None:
    """The digits a caller inside the number's own country dials ("+442079460958" -> "02079460958")."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.region_code_for_number(number) is None:
        return None
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit()) or None


def resolve_national(values: Iterable[str]) -> dict[str, str]:
    """National digits -> E.164, for the international numbers among `values` whose national form is unique:
    with no country known, "020 7946 0958" is the "+44 20 7946 0958" that the brand also writes."""
    found: dict[str, set[str]] = {}
    for value in values:
        if value.startswith("+") and (national := national_form(value)):
            found.setdefault(national, set()).add(value)
    return {national: next(iter(e164s)) for national, e164s in found.items() if len(e164s) == 1}
