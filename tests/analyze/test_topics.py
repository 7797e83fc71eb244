"""Topic assignment: a held-out table of sentences in en, fr, pl and ar, assigned by embedding similarity to
the default taxonomy's examples; context from neighbouring sentences; the taxonomy a config can extend."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from omniaudit.analyze.embed import Embedder, load_embedder
from omniaudit.analyze.topics import OTHER, TopicIndex, assign_topics, load_taxonomy
from omniaudit.errors import ConfigError
from omniaudit.models import Location, Segment

TABLE = Path(__file__).resolve().parent.parent / "fixtures" / "experience" / "topic_sentences.tsv"
ROWS = [
    tuple(line.split("\t"))
    for line in TABLE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
LANGUAGES = ("en", "fr", "pl", "ar")


def _assign(embedder: Embedder, texts: list[str], segments: list[Segment] | None = None) -> list[str]:
    languages = None if embedder.multilingual else ["en"]
    index = TopicIndex.build(load_taxonomy(languages=languages), embedder)
    assigned = assign_topics(embedder.encode(texts), index, segments)
    return [index.ids[i] if i >= 0 else "" for i in assigned]


def test_the_table_is_held_out_and_covers_every_topic_in_four_languages() -> None:
    examples = {e for topic in load_taxonomy() for e in topic.examples}
    assert len(ROWS) >= 60 and not [r for r in ROWS if r[2] in examples]
    topics = {t.id for t in load_taxonomy()} - {OTHER}
    assert {r[1] for r in ROWS} == topics
    assert {r[0] for r in ROWS} == set(LANGUAGES) and all(
        sum(r[0] == lang for r in ROWS) >= 15 for lang in LANGUAGES
    )


@pytest.fixture(scope="module")
def multilingual() -> Embedder:
    return load_embedder("multilingual")


@pytest.mark.slow
def test_at_least_90_percent_of_the_table_lands_in_the_right_topic_across_languages(
    multilingual: Embedder,
) -> None:
    predicted = _assign(multilingual, [r[2] for r in ROWS])
    wrong = [
        (lang, want, got, text)
        for (lang, want, text), got in zip(ROWS, predicted, strict=True)
        if got != want
    ]
    accuracy = 1 - len(wrong) / len(ROWS)
    print(f"topic accuracy {accuracy:.3f} on {len(ROWS)} sentences; wrong: {wrong}")
    assert accuracy >= 0.9, wrong
    for language in LANGUAGES:  # no language is left behind by the others' success
        rows = [i for i, r in enumerate(ROWS) if r[0] == language]
        right = sum(predicted[i] == ROWS[i][1] for i in rows)
        assert right / len(rows) >= 0.8, (language, wrong)


@pytest.mark.slow
def test_the_english_model_assigns_the_english_rows(real_embedder: Embedder) -> None:
    rows = [r for r in ROWS if r[0] == "en"]
    predicted = _assign(real_embedder, [r[2] for r in rows])
    right = sum(got == want for (_, want, _), got in zip(rows, predicted, strict=True))
    assert right / len(rows) >= 0.9, list(zip([r[1] for r in rows], predicted, strict=True))


@pytest.mark.slow
def test_brand_talk_goes_to_other_and_not_into_a_journey_topic(real_embedder: Embedder) -> None:
    slogans = ["Go further, together.", "Brighten every room.", "Our story began in a garage in 1987."]
    assert _assign(real_embedder, slogans) == [OTHER] * 3


@pytest.mark.slow
def test_a_short_step_takes_the_topic_of_the_sentences_around_it(real_embedder: Embedder) -> None:
    returns_page = [
        "How to return an item",
        "You can send back anything within 30 days.",
        "Pack it securely.",
    ]
    delivery_page = ["Delivery", "Orders ship in 2 days.", "Pack it securely.", "Track it in the app."]
    segments = [
        Segment("website", uri, text, "main", Location(uri, line))
        for uri, texts in (("returns.html", returns_page), ("delivery.html", delivery_page))
        for line, text in enumerate(texts, start=1)
    ]
    topics = _assign(real_embedder, [s.text for s in segments], segments)
    assert topics[2] == "returns" and topics[5] == "delivery"


def test_a_config_adds_examples_to_a_topic_or_a_new_topic() -> None:
    default = {t.id: t for t in load_taxonomy()}
    extended = load_taxonomy(
        {"returns": ["Bring back your skis within a season."], "gift_cards": ["Gift cards never expire."]}
    )
    by_id = {t.id: t for t in extended}
    assert by_id["returns"].examples[-1] == "Bring back your skis within a season."
    assert len(by_id["returns"].examples) == len(default["returns"].examples) + 1
    assert by_id["gift_cards"].label == "Gift cards" and extended[-1].id == OTHER
    # An English-only model gets the English examples plus the config's own, whatever their language.
    english = {t.id: t for t in load_taxonomy({"returns": ["Rapportez vos skis."]}, languages=["en"])}
    assert "Rapportez vos skis." in english["returns"].examples
    assert set(english["returns"].languages) == {"en", ""}


@pytest.mark.parametrize("bad", ["just one string", [], ["ok", "  "]])
def test_a_bad_topic_in_the_config_names_the_key(bad: object) -> None:
    with pytest.raises(ConfigError, match=r"^brand_book\.topics\.returns: give "):
        load_taxonomy({"returns": bad})  # type: ignore[dict-item]


def test_empty_input_assigns_nothing() -> None:
    class _Unused:
        model_id, multilingual = "unused", False

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.eye(len(texts), 4, dtype=np.float32)

    index = TopicIndex.build(load_taxonomy(languages=["en"]), _Unused())
    assert assign_topics(np.zeros((0, 4), dtype=np.float32), index).shape == (0,)
