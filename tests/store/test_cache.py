"""The embedding cache: only unseen texts reach the model, in one call; vectors come back bit-identical."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from omniaudit.config import Model
from omniaudit.store import CachedEmbedder, cached_embedder, open_store


class HashEmbedder:
    """A small deterministic embedder that records what it was asked to encode."""

    model_id = "hash-8"
    multilingual = False

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            digest = hashlib.sha256(text.encode("utf-8")).digest()
            row = np.frombuffer(digest[:32], dtype=np.uint8)[:8].astype(np.float32) - 127.5
            rows.append(row / np.linalg.norm(row))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), 8)


def test_second_pass_encodes_only_new_texts(tmp_path: Path) -> None:
    inner = HashEmbedder()
    texts = ["Returns within 30 days.", "Free delivery over $50.", "Brighten every room."]
    with open_store(tmp_path / "h.db") as store:
        first = CachedEmbedder(inner, store).encode(texts)
        again = CachedEmbedder(inner, store)
        second = again.encode([*texts, "A new sentence.", texts[0]])
        assert (again.hits, again.misses) == (3, 1)
    assert inner.calls == [texts, ["A new sentence."]]
    np.testing.assert_array_equal(second[:3], first)
    np.testing.assert_array_equal(second[4], first[0])
    np.testing.assert_array_equal(second[3], inner.encode(["A new sentence."])[0])
    assert second.dtype == np.float32 and second.shape == (5, 8)


def test_duplicates_in_one_call_are_encoded_once(tmp_path: Path) -> None:
    inner = HashEmbedder()
    with open_store(tmp_path / "h.db") as store:
        vectors = CachedEmbedder(inner, store).encode(["same", "same", "other"])
    assert inner.calls == [["same", "other"]]
    np.testing.assert_array_equal(vectors[0], vectors[1])


def test_the_cache_is_per_model(tmp_path: Path) -> None:
    inner = HashEmbedder()
    with open_store(tmp_path / "h.db") as store:
        CachedEmbedder(inner, store).encode(["text"])
        CachedEmbedder(inner, store, model_id="another-model").encode(["text"])
    assert inner.calls == [["text"], ["text"]]


def test_the_model_is_loaded_only_on_a_miss(tmp_path: Path) -> None:
    loads: list[HashEmbedder] = []

    def load() -> HashEmbedder:
        loads.append(HashEmbedder())
        return loads[-1]

    with open_store(tmp_path / "h.db") as store:
        CachedEmbedder(load, store, model_id="hash-8").encode(["one", "two"])
        warm = CachedEmbedder(load, store, model_id="hash-8")
        warm.encode(["two", "one"])
        assert warm.model_id == "hash-8" and warm.multilingual is False
    assert len(loads) == 1  # the warm embedder never loaded a model


def test_cache_survives_reopening(tmp_path: Path) -> None:
    inner = HashEmbedder()
    with open_store(tmp_path / "h.db") as store:
        first = CachedEmbedder(inner, store).encode(["kept across runs"])
    with open_store(tmp_path / "h.db") as store:
        again = CachedEmbedder(inner, store).encode(["kept across runs"])
    assert len(inner.calls) == 1
    np.testing.assert_array_equal(first, again)


def test_cached_embedder_keys_by_the_configured_model(tmp_path: Path) -> None:
    with open_store(tmp_path / "h.db") as store:
        assert cached_embedder(Model(), store).model_id == "all-MiniLM-L6-v2"
        named = cached_embedder(Model(name="/models/paraphrase-multilingual-MiniLM"), store)
        assert named.model_id == "/models/paraphrase-multilingual-MiniLM" and named.multilingual


@pytest.mark.slow
def test_real_model_vectors_come_back_identical(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["You can return any item within 30 days.", "Vous pouvez retourner un article sous 30 jours."]
    fresh = real_embedder.encode(texts)
    with open_store(tmp_path / "h.db") as store:
        CachedEmbedder(real_embedder, store).encode(texts)
        cached = CachedEmbedder(
            lambda: pytest.fail("the model must not be needed"), store, model_id=real_embedder.model_id,
            cache_id=real_embedder.cache_id,
        ).encode(texts)
    np.testing.assert_array_equal(cached, fresh)
    assert cached.shape == (2, 384)


def test_the_cache_keys_a_non_english_brand_on_the_multilingual_model(tmp_path: Path) -> None:
    """`omniaudit audit` wraps the model in the cache: a French brand must get (and be keyed on) the same
    multilingual model that run_audit picks, not the English default."""
    with open_store(tmp_path / "h.db") as store:
        french = cached_embedder(Model(), store, ["fr", "pl"])
        assert (french.model_id, french.multilingual) == ("use-multilingual-v3", True)
        english = cached_embedder(Model(), store, ["en"])
        assert (english.model_id, english.multilingual) == ("all-MiniLM-L6-v2", False)
