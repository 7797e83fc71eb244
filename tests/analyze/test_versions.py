"""Language versions: how they are found, and the facts and statements that differ between them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from omniaudit.analyze.versions import (
    analysis_text,
    compare_versions,
    locale_free_path,
    untranslated_findings,
    version_groups,
)
from omniaudit.collect import CollectContext, get_connector
from omniaudit.config import Channel
from omniaudit.extract.facts import extract_facts
from omniaudit.extract.segment import segment_documents
from omniaudit.models import Document, Location, TextBlock

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _page(uri: str, language: str, texts: list[str], **metadata: object) -> Document:
    blocks = tuple(TextBlock(text, "main", Location(uri, i + 1)) for i, text in enumerate(texts))
    return Document("website", "website", uri, uri, blocks, language=language, metadata=dict(metadata))


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("site/fr/retours.html", ("site/*/retours.html", "fr")),
        ("https://shop.example/pl-PL/zwroty", ("https://shop.example/*/zwroty", "pl")),
        ("content/faq.fr.md", ("content/faq.*.md", "fr")),
        ("app/locales/pl.json", ("app/locales/*.json", "pl")),
        ("site/js/app.html", None),
        ("site/about.html", None),
    ],
)
def test_locale_free_paths(uri: str, expected: tuple[str, str] | None) -> None:
    assert locale_free_path(uri) == expected


def test_versions_are_linked_by_hreflang_locale_folders_and_translation_keys() -> None:
    docs = [
        _page("site/fr/retours.html", "fr", ["a"], hreflang={"pl": "site/pl/zwroty.html"}),
        _page("site/pl/zwroty.html", "pl", ["b"]),
        _page("site/fr/index.html", "fr", ["c"]),
        _page("site/pl/index.html", "pl", ["d"]),
        _page("blog/spring.md", "fr", ["e"], translation_key="spring"),
        _page("blog/wiosna.md", "pl", ["f"], translation_key="spring"),
        _page("site/fr/about.html", "fr", ["g"]),  # no Polish version
        _page("site/en/a.html", "en", ["h"]),
        _page("site/en-GB/a.html", "en", ["i"]),  # same language: not a language version
    ]
    groups = {tuple(d.uri for d in g.documents) for g in version_groups(docs)}
    assert groups == {
        ("site/fr/retours.html", "site/pl/zwroty.html"),
        ("site/fr/index.html", "site/pl/index.html"),
        ("blog/spring.md", "blog/wiosna.md"),
    }


@pytest.fixture(scope="module")
def use():  # type: ignore[no-untyped-def]
    from omniaudit.analyze.embed import load_embedder

    return load_embedder("multilingual")


def _compare(docs: list[Document], embedder, **options):  # type: ignore[no-untyped-def]
    segments = segment_documents(docs)
    vectors = embedder.encode([s.text for s in segments])
    return compare_versions(docs, segments, vectors, extract_facts(segments), **options)


@pytest.mark.slow
def test_facts_and_statements_that_differ_between_versions(use) -> None:  # type: ignore[no-untyped-def]
    french = _page(
        "site/fr/contact.html",
        "fr",
        [
            "Nos conseillers répondent du lundi au vendredi, 9h–18h.",
            "Vous pouvez retourner tout article sous 30 jours.",
            "Les articles soldés ne sont ni repris ni échangés.",
        ],
    )
    polish = _page(
        "site/pl/contact.html",
        "pl",
        [
            "Nasi konsultanci odpowiadają od poniedziałku do piątku, 9:00–17:00.",
            "Możesz zwrócić każdy produkt w ciągu 30 dni.",
        ],
    )
    findings = _compare([french, polish], use)
    differs = [f for f in findings if f.rule_id == "versions.fact_differs"]
    assert [(f.subject, f.channels) for f in differs] == [("support_hours", ("website",))]
    assert "9h–18h" in differs[0].message and "9:00–17:00" in differs[0].message
    missing = [f for f in findings if f.rule_id == "versions.missing_statement"]
    assert [f.evidence[0].quote for f in missing] == ["Les articles soldés ne sont ni repris ni échangés."]
    assert (
        "fr (site/fr/contact.html)" in missing[0].message
        and "pl (site/pl/contact.html)" in missing[0].message
    )

    # A monolingual model cannot tell a translation from an unrelated sentence: facts only.
    facts_only = _compare([french, polish], use, judge_statements=False)
    assert {f.rule_id for f in facts_only} == {"versions.fact_differs"}


@pytest.mark.slow
def test_faithful_versions_give_no_finding(use) -> None:  # type: ignore[no-untyped-def]
    french = _page(
        "site/fr/livraison.html",
        "fr",
        [
            "La livraison standard prend 3 à 5 jours ouvrés partout en Europe.",
            "Chaque commande est emballée à la main dans du papier recyclé.",
        ],
    )
    polish = _page(
        "site/pl/livraison.html",
        "pl",
        [
            "Standardowa dostawa trwa 3–5 dni roboczych w całej Europie.",
            "Każde zamówienie pakujemy ręcznie w papier z recyklingu.",
        ],
    )
    assert _compare([french, polish], use) == []


def _l10n(source: str, **options: object) -> list[Document]:
    channel = Channel(id="app", type="app", connector="l10n", source=source, options=dict(options))
    return get_connector(channel, CollectContext(base_dir=FIXTURES / "l10n")).collect().documents


def test_a_message_missing_from_a_translation_is_not_a_finding() -> None:
    docs = _l10n("i18next")
    findings = compare_versions(docs, [], np.zeros((0, 8), dtype=np.float32), [])
    # en has account.cta, pl does not: the app shows the English text there (i18next and Android fall back
    # to the source language), so the absence says nothing by itself. pl's items_few / items_many are plural
    # forms English lacks.
    assert findings == []


def test_untranslated_messages_are_reported_with_key_and_line() -> None:
    findings = untranslated_findings(_l10n("i18next") + _l10n("po") + _l10n("xcstrings"))
    # One finding per file (one unfinished translation), each message in it as evidence.
    assert len(findings) == 3
    found = {(e.location.uri, e.location.section, e.location.line) for f in findings for e in f.evidence}
    assert found == {
        ("i18next/pl/translation.json", "account.greeting", 9),  # same text as English
        ("po/fr.po", "button|Track my order", 24),  # empty msgstr
        ("xcstrings/Localizable.xcstrings#fr", "cart.items", 10),  # no French localization (one plural)
    }
    assert all(f.rule_id == "l10n.untranslated" and f.channels == ("app",) for f in findings)


def test_analysis_text_drops_placeholders_and_markup() -> None:
    assert analysis_text("Hello %{name}, you have { $count } <b>new</b> items (%1$s, {0}, {{n}}).") == (
        "Hello , you have new items ( , , )."
    )
