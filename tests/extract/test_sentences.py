"""Sentence boundaries that respect Polish/French/English abbreviations and Arabic punctuation."""

from __future__ import annotations

import pytest

from omniaudit.extract.sentences import add_sentence_fixes


def _sentences(lang: str, text: str) -> list[str]:
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    add_sentence_fixes(nlp)
    add_sentence_fixes(nlp)  # idempotent
    return [sentence.text for sentence in nlp(text).sents]


CASES = [
    (
        "pl",
        "Oferujemy m.in. koszulki, np. bawełniane i ok. 20 wzorów. Zwroty przyjmujemy w ciągu 14 dni.",
        ["Oferujemy m.in. koszulki, np. bawełniane i ok. 20 wzorów.", "Zwroty przyjmujemy w ciągu 14 dni."],
    ),
    (
        "pl",
        "Infolinia działa pon.–pt. 9:00–17:00. Zapraszamy na ul. Długą 3.",
        ["Infolinia działa pon.–pt. 9:00–17:00.", "Zapraszamy na ul. Długą 3."],
    ),
    (
        "fr",
        "Livraison offerte dès 50 €, p. ex. pour les draps. M. Dupont répond env. 2 h après. "
        "Voir art. 3 etc. pour le reste. Bonjour !",
        [
            "Livraison offerte dès 50 €, p. ex. pour les draps.",
            "M. Dupont répond env. 2 h après.",
            "Voir art. 3 etc. pour le reste.",
            "Bonjour !",
        ],
    ),
    (
        "en",
        "Mr. Smith said approx. 5 days. Returns within 30 days.",
        ["Mr. Smith said approx. 5 days.", "Returns within 30 days."],
    ),
    (
        "ar",
        "هل لديك سؤال؟ اتصل بنا، نحن هنا؛ فريقنا متاح. يمكنك إرجاع أي منتج خلال ٣٠ يومًا!",
        ["هل لديك سؤال؟", "اتصل بنا، نحن هنا؛ فريقنا متاح.", "يمكنك إرجاع أي منتج خلال ٣٠ يومًا!"],
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_sentence_boundaries(lang: str, text: str, expected: list[str]) -> None:
    assert _sentences(lang, text) == expected


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Brighten every room!!! #FreshForLess", ["Brighten every room!!!", "#FreshForLess"]),
        ("Shop now! #FreshForLess #Home", ["Shop now!", "#FreshForLess #Home"]),
        ("Thanks! @northwind rocks.", ["Thanks!", "@northwind rocks."]),
        ("Price is 5 # 3.", ["Price is 5 # 3."]),
    ],
)
def test_a_hashtag_or_mention_after_a_sentence_stays_whole(text: str, sentences: list[str]) -> None:
    from omniaudit.extract.nlp import get_nlp

    assert [s.text for s in get_nlp("en")(text).sents] == sentences
