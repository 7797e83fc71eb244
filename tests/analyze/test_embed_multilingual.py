"""The multilingual model: translation pairs score far above unrelated pairs in en, fr, pl and ar; the
default model is chosen from the brand's languages; a monolingual model names the channels it cannot judge."""

from __future__ import annotations

import numpy as np
import pytest

from omniaudit.analyze.embed import USEEmbedder, load_embedder, needs_multilingual, unjudged_channels
from omniaudit.models import Location, Segment

pytestmark = pytest.mark.slow

# (English sentence, its translation into each language, an unrelated sentence in that language)
PAIRS = {
    "en": [
        (
            "You can return any item within 30 days.",
            "Any product may be sent back within a month.",
            "Our advisers answer Monday to Friday.",
        ),
        (
            "Delivery takes three to five working days.",
            "Your parcel arrives in 3 to 5 business days.",
            "Our sheets get softer with every wash.",
        ),
    ],
    "fr": [
        (
            "You can return any item within 30 days.",
            "Vous pouvez retourner tout article sous 30 jours.",
            "Nos conseillers répondent du lundi au vendredi.",
        ),
        (
            "Delivery takes three to five working days.",
            "La livraison prend trois à cinq jours ouvrés.",
            "Nos draps deviennent plus doux à chaque lavage.",
        ),
    ],
    "pl": [
        (
            "You can return any item within 30 days.",
            "Możesz zwrócić każdy produkt w ciągu 30 dni.",
            "Nasi konsultanci odpowiadają od poniedziałku do piątku.",
        ),
        (
            "Delivery takes three to five working days.",
            "Dostawa trwa od trzech do pięciu dni roboczych.",
            "Nasza pościel staje się bardziej miękka z każdym praniem.",
        ),
    ],
    "ar": [
        (
            "You can return any item within 30 days.",
            "يمكنك إرجاع أي منتج خلال ٣٠ يومًا.",
            "فريقنا متاح من الأحد إلى الخميس.",
        ),
        (
            "Delivery takes three to five working days.",
            "يستغرق التوصيل من ثلاثة إلى خمسة أيام عمل.",
            "تصبح مفارشنا أنعم مع كل غسلة.",
        ),
    ],
}
MARGIN = 0.3


@pytest.fixture(scope="module")
def use() -> USEEmbedder:
    embedder = load_embedder("multilingual")
    assert isinstance(embedder, USEEmbedder)
    return embedder


@pytest.mark.parametrize("language", sorted(PAIRS))
def test_translation_pairs_score_well_above_unrelated_pairs(
    use: USEEmbedder, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    translation_scores, unrelated_scores = [], []
    for english, translation, unrelated in PAIRS[language]:
        vectors = use.encode([english, translation, unrelated])
        assert vectors.dtype == np.float32 and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        translation_scores.append(float(vectors[0] @ vectors[1]))
        unrelated_scores.append(float(vectors[0] @ vectors[2]))
    translation, unrelated = np.mean(translation_scores), np.mean(unrelated_scores)
    with capsys.disabled():  # the figures are kept in the README: show them in every test log
        print(f"\n{use.model_id} en-{language}: translation {translation:.2f}, unrelated {unrelated:.2f}")
    assert translation - unrelated >= MARGIN
    assert min(translation_scores) > max(unrelated_scores)


def test_default_model_follows_the_brand_languages() -> None:
    assert needs_multilingual(["fr", "pl"]) and needs_multilingual(["en", "ar"])
    assert not needs_multilingual(["en", "en-GB"]) and not needs_multilingual([])
    assert load_embedder("default", languages=["ar"]).model_id == "use-multilingual-v3"
    assert load_embedder("use-multilingual").multilingual


def _segment(channel: str, language: str) -> Segment:
    return Segment(channel, f"{channel}.html", "text", "main", Location(f"{channel}.html"), language)


def test_monolingual_model_names_the_channels_it_cannot_judge(real_embedder, use: USEEmbedder) -> None:  # type: ignore[no-untyped-def]
    segments = (
        [_segment("website", "en")] * 5
        + [_segment("website", "fr")]  # one stray French sentence does not make the site unjudged
        + [_segment("social-pl", "pl")] * 4
        + [_segment("service", "ar")] * 2
        + [_segment("service", "en")] * 3
    )
    assert unjudged_channels(real_embedder, segments) == {"service": ["ar"], "social-pl": ["pl"]}
    assert unjudged_channels(use, segments) == {}
