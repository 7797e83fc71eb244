"""Claims compared with the real multilingual model: by meaning, by key, and nothing where they agree."""

from __future__ import annotations

import numpy as np
import pytest

from omniaudit.analyze.claims import calibration, check_claims
from omniaudit.extract.claims import read_claims
from omniaudit.extract.facts import extract_facts
from omniaudit.models import Document, Location, Segment, TextBlock


@pytest.fixture(scope="module")
def use():  # type: ignore[no-untyped-def]
    from omniaudit.analyze.embed import load_embedder

    return load_embedder("multilingual")


def _doc(channel: str, uri: str, language: str, texts: list[str], keys: list[str] | None = None) -> Document:
    blocks = tuple(
        TextBlock(text, "main", Location(uri, i + 1, section=keys[i] if keys else None))
        for i, text in enumerate(texts)
    )
    metadata: dict[str, object] = {}
    if keys:
        metadata = {"l10n": {"locale": language}, "version_key": "l10n:*.json"}
    return Document(channel, "website", uri, uri, blocks, language=language, metadata=metadata)


def _check(docs: list[Document], embedder):  # type: ignore[no-untyped-def]
    segments = [
        Segment(d.channel_id, d.uri, b.text, b.scope, b.location, d.language) for d in docs for b in d.blocks
    ]
    catalogues = {d.uri for d in docs if d.metadata.get("l10n")}
    claims = read_claims(segments, extract_facts(segments), catalogue_uris=catalogues)
    vectors = embedder.encode([c.text for c in claims])
    return check_claims(
        claims, vectors, docs, model_id=embedder.model_id, multilingual=True, source_language="en"
    ).findings


@pytest.mark.slow
def test_a_unit_that_differs_between_channels(use) -> None:  # type: ignore[no-untyped-def]
    email = _doc(
        "email", "mail.txt", "en", ["We will reply to your request within 3 business days of receipt."]
    )
    sms = _doc("sms", "sms.txt", "en", ["We will reply to your request within 3 days of receipt."])
    (finding,) = _check([email, sms], use)
    assert finding.rule_id == "claims.unit_conflict"
    assert finding.channels == ("email", "sms")
    assert {e.quote for e in finding.evidence} == {email.blocks[0].text, sms.blocks[0].text}


@pytest.mark.slow
def test_a_code_that_differs(use) -> None:  # type: ignore[no-untyped-def]
    site = _doc("site", "terms.html", "en", ["To stop our text messages, text STOP to 42424 at any time."])
    app = _doc("app", "app.html", "en", ["To stop our text messages, text STOP to 31313 at any time."])
    (finding,) = _check([site, app], use)
    assert (
        finding.rule_id == "claims.value_conflict"
        and "42424" in finding.message
        and "31313" in finding.message
    )
    assert finding.severity in ("warning", "error")  # two channels: never info


@pytest.mark.slow
def test_a_restriction_on_one_side_only(use) -> None:  # type: ignore[no-untyped-def]
    home = _doc("site", "index.html", "en", ["Our helpdesk offers 24 hour support to every customer."])
    docs = _doc(
        "docs", "support.md", "en", ["Our helpdesk offers 24 hour support for enterprise customers only."]
    )
    (finding,) = _check([home, docs], use)
    assert finding.rule_id == "claims.qualifier" and "only" in finding.message


@pytest.mark.slow
def test_statements_that_agree_give_nothing(use) -> None:  # type: ignore[no-untyped-def]
    a = _doc("site", "a.html", "en", ["Unpaid orders are cancelled after 45 minutes."])
    b = _doc("docs", "b.md", "en", ["An unpaid order is cancelled 45 minutes after it was placed."])
    parallel = _doc("docs", "c.md", "en", ["After 2TB, each extra terabyte costs $40 per month."])
    other = _doc("docs", "d.md", "en", ["After 8TB, each extra terabyte costs $25 per month."])
    assert _check([a, b, parallel, other], use) == ()


@pytest.mark.slow
def test_translations_compare_by_key(use) -> None:  # type: ignore[no-untyped-def]
    en = _doc(
        "app",
        "en.json",
        "en",
        ["Your session ends after 20 minutes.", "Enter 0 if you have none."],
        keys=["session.expired", "form.hint"],
    )
    fr = _doc(
        "app",
        "fr.json",
        "fr",
        ["Votre session expire après 30 minutes.", "Laissez le champ vide."],
        keys=["session.expired", "form.hint"],
    )
    findings = _check([en, fr], use)
    assert sorted((f.rule_id, f.subject) for f in findings) == [
        ("claims.translation_value", "form.hint"),
        ("claims.translation_value", "session.expired"),
    ]


@pytest.mark.slow
def test_translations_that_agree_in_words_and_digits(use) -> None:  # type: ignore[no-untyped-def]
    en = _doc(
        "app",
        "en.json",
        "en",
        ["Refunds take 7-8 weeks.", "A cooldown of twenty days applies."],
        keys=["refund", "cooldown"],
    )
    pl = _doc(
        "app",
        "pl.json",
        "pl",
        ["Zwroty trwają od 7 do 8 tygodni.", "Obowiązuje dwudziestodniowy okres."],
        keys=["refund", "cooldown"],
    )
    assert _check([en, pl], use) == ()


def test_calibration_is_a_property_of_the_model() -> None:
    assert calibration("use-multilingual-v3").align != calibration("all-MiniLM-L6-v2").align
    assert calibration("some/other-model").align >= calibration("use-multilingual-v3").align
    assert np.isfinite(calibration("use-multilingual-v3").paraphrase)


@pytest.mark.slow
def test_an_old_post_with_another_figure_is_a_stale_value(use) -> None:  # type: ignore[no-untyped-def]
    post = _doc("news", "2019-03-01-prices.md", "en", ["Each extra seat now costs $40 per month."])
    post = Document(
        post.channel_id,
        post.channel_type,
        post.uri,
        post.title,
        post.blocks,
        post.language,
        metadata={"date": "2019-03-01"},
    )
    page = _doc("site", "pricing.md", "en", ["Each extra seat costs $55 per month."])
    recent = Document(
        "news",
        "website",
        "2024-06-01-hello.md",
        "x",
        (TextBlock("We moved offices.", "main", Location("2024-06-01-hello.md", 1)),),
        language="en",
        metadata={"date": "2024-06-01"},
    )
    (finding,) = _check([post, page, recent], use)
    assert finding.rule_id == "claims.stale_value" and "2019-03-01" in finding.message
    assert finding.severity == "warning"


@pytest.mark.slow
def test_a_statement_said_in_one_place_and_denied_in_another(use) -> None:  # type: ignore[no-untyped-def]
    site = _doc("site", "delivery.html", "en", ["Delivery to the islands is free of charge for every order."])
    app = _doc("app", "app.html", "en", ["Delivery to the islands is not free of charge for every order."])
    question = _doc(
        "help", "faq.md", "en", ["Is delivery to the islands not free of charge for every order?"]
    )
    (finding,) = _check([site, app, question], use)
    assert finding.rule_id == "claims.polarity" and finding.channels == ("app", "site")
    assert {e.quote for e in finding.evidence} == {site.blocks[0].text, app.blocks[0].text}


@pytest.mark.slow
def test_brand_book_facts_find_their_claims_by_meaning(use) -> None:  # type: ignore[no-untyped-def]
    from omniaudit.analyze.claims import book_wording
    from omniaudit.config import ExpectedFacts
    from omniaudit.extract.facts import expected_facts

    book = expected_facts(
        ExpectedFacts(support_hours="Monday to Friday, 9am-5pm", prices={"Oak Desk": "$89"})
    )
    book_segments = [
        Segment("brand_book", "brand_book", book_wording(f), "main", f.location, "en") for f in book
    ]
    book_claims = read_claims(book_segments, [])
    vectors = use.encode([c.text for c in book_claims])
    site = _doc("site", "contact.html", "en", ["Our advisers answer your calls Monday to Saturday, 8am-8pm."])
    shop = _doc("shop", "desk.html", "en", ["The Oak Desk is $99.", "The Pine Shelf is $45."])
    segments = [
        Segment(d.channel_id, d.uri, b.text, b.scope, b.location, "en")
        for d in (site, shop)
        for b in d.blocks
    ]
    claims = read_claims(segments, extract_facts(segments))
    found = check_claims(
        claims,
        use.encode([c.text for c in claims]),
        [site, shop],
        model_id=use.model_id,
        multilingual=True,
        source_language="en",
        book=list(zip(book, book_claims, vectors, strict=True)),
    ).findings
    off_book = sorted((f.subject, f.channels) for f in found if f.rule_id == "claims.off_book")
    # The Pine Shelf is another product: its price is not compared with the desk's.
    assert off_book == [("prices.Oak Desk", ("shop",)), ("support_hours", ("site",))]
