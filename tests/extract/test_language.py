"""Language detection per document and per block, offline with py3langid."""

from __future__ import annotations

import pytest

from omniaudit.extract.language import base_language, block_language, detect_documents, detect_language
from omniaudit.extract.segment import segment_documents
from omniaudit.models import Document, Location, TextBlock

SENTENCES = [
    ("en", "You can return any item within 30 days of delivery."),
    ("fr", "Vous pouvez retourner tout article sous 30 jours."),
    ("pl", "Możesz zwrócić każdy produkt w ciągu 30 dni."),
    ("ar", "يمكنك إرجاع أي منتج خلال ٣٠ يومًا من تاريخ الاستلام."),
    ("fr", "Nos conseillers répondent du lundi au vendredi, 9h–18h."),
    ("pl", "Konsultanci odpowiadają pon.–pt. 9:00–17:00."),
    ("ar", "خدمة العملاء متاحة من الأحد إلى الخميس."),
    ("en", "Our advisers answer Monday to Friday, 9am to 6pm."),
    ("ar", "تسوّق مجموعة الخريف الجديدة مع ماركات عالمية مثل Nordic Living."),
]


@pytest.mark.parametrize(("expected", "text"), SENTENCES)
def test_short_sentences_get_their_language(expected: str, text: str) -> None:
    assert detect_language(text) == expected
    assert detect_language(text, ["fr", "pl", "ar"]) == expected


def test_too_short_text_has_no_language() -> None:
    assert detect_language("OK") is None
    assert detect_language("Nike Air Max ٢٠٢٤") is None


@pytest.mark.parametrize(
    ("code", "base"), [("fr-CA", "fr"), ("pt_BR", "pt"), ("EN", "en"), ("", None), ("*", None)]
)
def test_locales_reduce_to_their_language(code: str, base: str | None) -> None:
    assert base_language(code) == base


def _doc(channel: str, texts: list[str], language: str | None = None) -> Document:
    blocks = tuple(
        TextBlock(text, "main", Location(f"{channel}.html", i + 1)) for i, text in enumerate(texts)
    )
    return Document(channel, "website", f"{channel}.html", "t", blocks, language=language)


def test_documents_get_the_language_of_their_text_and_keep_a_wrong_declaration() -> None:
    page = _doc(
        "site", ["Livraison offerte dès 50 € partout en France.", "Retours gratuits sous 30 jours."], "en"
    )
    [detected] = detect_documents([page], ["fr", "pl"])
    assert detected.language == "fr"
    assert detected.metadata["declared_language"] == "en"


def test_a_pinned_channel_keeps_its_language() -> None:
    page = _doc("site", ["Livraison offerte dès 50 € partout en France."], None)
    [pinned] = detect_documents([page], ["fr", "pl"], pinned={"site": "pl"})
    assert pinned.language == "pl"


def test_a_foreign_quote_on_a_page_gets_its_own_language_in_the_segments() -> None:
    page = _doc(
        "site",
        [
            "Nos clients polonais nous écrivent souvent ce message.",
            "Dziękujemy za szybką dostawę i piękną pościel!",
        ],
        "fr",
    )
    segments = segment_documents([page], default_language="fr", language_of=block_language(["fr", "pl"]))
    assert [s.language for s in segments] == ["fr", "pl"]
    pinned = segment_documents([page], language_of=block_language(["fr", "pl"], pinned={"site": "fr"}))
    assert {s.language for s in pinned} == {"fr"}
