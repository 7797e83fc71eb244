"""Threshold and matrix logic of coverage/alignment, with hand-made unit vectors (no model needed)."""

from __future__ import annotations

import numpy as np

from omniaudit.analyze.messages import (
    best_matches,
    channel_alignment,
    coverage_findings,
    group_by_channel,
    message_coverage,
)
from omniaudit.config import KeyMessage
from omniaudit.models import Location, Segment


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def seg(channel: str, text: str) -> Segment:
    return Segment(channel, f"{channel}.html", text, "main", Location(f"{channel}.html", line=2))


def test_coverage_picks_best_sentence_and_applies_threshold() -> None:
    segments = [seg("web", "built to last"), seg("web", "free shipping"), seg("social", "summer sale")]
    vectors = np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(0.5, 0, 1)])
    channels = group_by_channel(["web", "social"], segments, vectors)
    message = KeyMessage(id="usp", kind="usp", text="Gear built to last")
    cells = message_coverage([message], [np.stack([unit(1, 0, 0)])], channels, threshold=0.6)
    web, social = cells
    assert (web.covered, web.quote, web.similarity) == (True, "built to last", 1.0)
    assert social.covered is False and round(social.similarity, 3) == 0.447
    (finding,) = coverage_findings([message], cells)
    assert finding.channels == ("social",)
    assert (
        finding.message
        == "Key message 'usp' (usp) is not carried by channel 'social': closest sentence scores 0.45"
    )


def test_a_variant_wording_can_cover_a_channel() -> None:
    segments = [seg("fr", "fait pour durer")]
    channels = group_by_channel(["fr"], segments, np.stack([unit(0, 1)]))
    message = KeyMessage(id="usp", text="built to last", variants=["fait pour durer"])
    (cell,) = message_coverage([message], [np.stack([unit(1, 0), unit(0, 1)])], channels, threshold=0.9)
    assert cell.covered


def test_channel_without_text_is_uncovered_and_unaligned() -> None:
    channels = group_by_channel(["web", "empty"], [seg("web", "hello")], np.stack([unit(1, 0)]))
    message = KeyMessage(id="tagline", text="hello")
    cells = message_coverage([message], [np.stack([unit(1, 0)])], channels, threshold=0.5)
    assert [c.covered for c in cells] == [True, False]
    assert channel_alignment(channels) == [[1.0, 0.0], [0.0, 1.0]]


def test_alignment_is_symmetric_mean_of_best_matches() -> None:
    segments = [seg("a", "x"), seg("a", "y"), seg("b", "x2")]
    vectors = np.stack([unit(1, 0), unit(0, 1), unit(1, 0)])
    matrix = channel_alignment(group_by_channel(["a", "b"], segments, vectors))
    # a->b: best of x is 1, best of y is 0 -> 0.5; b->a: 1.0; mean 0.75
    assert matrix == [[1.0, 0.75], [0.75, 1.0]]


def test_best_matches_is_chunked_consistently() -> None:
    rng = np.random.default_rng(0)
    queries = rng.normal(size=(5000, 8)).astype(np.float32)
    corpus = rng.normal(size=(300, 8)).astype(np.float32)
    best, where = best_matches(queries, corpus)
    full = queries @ corpus.T
    assert np.allclose(best, full.max(axis=1)) and (where == full.argmax(axis=1)).all()


def test_a_missing_message_is_one_finding_listing_every_channel() -> None:
    segments = [seg("web", "built to last"), seg("social", "summer sale"), seg("help", "call us")]
    vectors = np.stack([unit(1, 0, 0), unit(0.5, 0, 1), unit(0.2, 1, 0)])
    channels = group_by_channel(["web", "social", "help"], segments, vectors)
    message = KeyMessage(id="usp", kind="usp", text="Gear built to last")
    cells = message_coverage([message], [np.stack([unit(1, 0, 0)])], channels, threshold=0.6)

    (finding,) = coverage_findings([message], cells)
    assert finding.channels == ("social", "help")
    assert finding.message == (
        "Key message 'usp' (usp) is not carried by 2 channels; "
        "closest sentence scores: social 0.45, help 0.20"
    )
    assert [(e.channel_id, e.quote) for e in finding.evidence] == [
        ("social", "summer sale"),
        ("help", "call us"),
    ]


def test_a_customer_turn_never_stands_in_for_a_key_message() -> None:
    customer = Segment(
        "calls", "calls.txt", "Is it built to last?", "customer", Location("calls.txt", line=2)
    )
    agent = Segment(
        "calls", "calls.txt", "Yes, every seam is double stitched.", "agent", Location("calls.txt", 3)
    )
    channels = group_by_channel(["calls"], [customer, agent], np.stack([unit(1, 0), unit(0.6, 0.8)]))
    message = KeyMessage(id="usp", text="Gear built to last")
    (cell,) = message_coverage([message], [np.stack([unit(1, 0)])], channels, threshold=0.9)
    assert (cell.quote, cell.similarity, cell.covered) == ("Yes, every seam is double stitched.", 0.6, False)
