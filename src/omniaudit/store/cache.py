"""An Embedder that remembers: vectors cached by (model, sha256 of the text) in the run store.

A weekly re-run on mostly unchanged content encodes only the sentences that changed. The model itself is
loaded only when something is missing from the cache (pass a factory instead of a loaded embedder), so a
re-run with nothing new never pays for importing an engine and loading the model.

    choice = choose_model(name, languages, backend)
    embedder = CachedEmbedder(lambda: load_embedder(name, languages=languages, backend=backend), store,
                              model_id=choice.model_id, multilingual=choice.multilingual,
                              cache_id=choice.cache_id)
    run_audit(config, embedder=embedder)

Vectors are keyed by the model's cache_id: the model id, plus the engine where the engine changes the
vectors (int8 weights), so switching engines never mixes vectors of two variants.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..analyze.embed import Embedder, choose_model
from .history import RunStore

if TYPE_CHECKING:
    from ..config import Model

log = logging.getLogger(__name__)


class EmbedderLoader(Protocol):
    """`load_embedder`'s signature: how a model is obtained for a `model:` config section."""

    def __call__(
        self, name: str, *, batch_size: int, device: str, languages: Sequence[str] | None, backend: str
    ) -> Embedder: ...


_DTYPE = np.dtype("<f4")  # stored as little-endian float32 whatever the machine


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """Implements the Embedder protocol on top of another embedder and the store's `embeddings` table.

    `inner` is an Embedder or a zero-argument factory returning one (called at most once, on the first miss).
    Rows come back exactly as the inner embedder produced them (float32, L2-normalized).
    """

    def __init__(
        self,
        inner: Embedder | Callable[[], Embedder],
        store: RunStore,
        *,
        model_id: str | None = None,
        multilingual: bool | None = None,
        cache_id: str | None = None,
    ) -> None:
        if callable(inner) and not hasattr(inner, "encode"):
            self._factory: Callable[[], Embedder] | None = inner
            self._inner: Embedder | None = None
            if model_id is None:
                raise ValueError("CachedEmbedder needs model_id when given a factory")
        else:
            self._factory = None
            self._inner = inner  # type: ignore[assignment]
        resolved = model_id or self._inner.model_id  # type: ignore[union-attr]
        self.model_id: str = resolved
        if multilingual is None:
            multilingual = (
                self._inner.multilingual if self._inner is not None else choose_model(resolved).multilingual
            )
        self.multilingual: bool = multilingual
        # The store's key: given, else the inner embedder's, else the model id.
        self.cache_id: str = cache_id or getattr(self._inner, "cache_id", None) or resolved
        self._store = store
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _get_inner(self) -> Embedder:
        if self._inner is None:
            assert self._factory is not None
            self._inner = self._factory()
            if self._inner.model_id != self.model_id:
                log.warning(
                    "embedding cache keyed as %r but the model reports %r",
                    self.model_id,
                    self._inner.model_id,
                )
        return self._inner

    @property
    def loaded(self) -> bool:
        """Whether a model was needed (always true when given a loaded embedder)."""
        return self._inner is not None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self._get_inner().encode(texts)
        keys = [text_key(text) for text in texts]
        unique = list(dict.fromkeys(keys))
        with self._lock:
            found = self._store.cached_vectors(self.cache_id, unique)
        missing = [key for key in unique if key not in found]
        vectors: dict[str, np.ndarray] = {}
        dims = set()
        for key, blob in found.items():
            row = np.frombuffer(blob, dtype=_DTYPE)
            vectors[key] = row
            dims.add(row.shape[0])
        if missing:
            first = dict(zip(keys, texts, strict=True))
            encoded = np.asarray(self._get_inner().encode([first[key] for key in missing]), dtype=np.float32)
            rows = []
            for key, row in zip(missing, encoded, strict=True):
                vectors[key] = row
                rows.append((key, int(row.shape[0]), row.astype(_DTYPE).tobytes()))
            dims.add(int(encoded.shape[1]))
            with self._lock:
                self._store.store_vectors(self.cache_id, rows)
        if len(dims) > 1:
            # A model changed shape under the same name: trust only fresh vectors.
            log.warning(
                "embedding cache for %r holds vectors of sizes %s; re-encoding", self.cache_id, sorted(dims)
            )
            fresh = np.asarray(self._get_inner().encode(list(texts)), dtype=np.float32)
            self.misses += len(unique)
            return fresh
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        log.info(
            "embedding cache: %d of %d texts found, %d encoded",
            len(unique) - len(missing),
            len(unique),
            len(missing),
        )
        return np.stack([vectors[key] for key in keys]).astype(np.float32, copy=False)


def cached_embedder(
    model: Model, store: RunStore, languages: Sequence[str] = (), *, loader: EmbedderLoader | None = None
) -> CachedEmbedder:
    """The embedder `omniaudit audit` uses with a history: the model config.model selects for the brand's
    `languages`, behind the store's cache, loaded only on the first cache miss. `loader` (default
    `load_embedder`) lets a long-lived worker hand out the model it already holds."""
    from ..analyze.embed import load_embedder

    def load() -> Embedder:
        return (loader or load_embedder)(
            model.name,
            batch_size=model.batch_size,
            device=model.device,
            languages=languages,
            backend=model.backend,
        )

    choice = choose_model(model.name, languages, model.backend)
    return CachedEmbedder(
        load, store, model_id=choice.model_id, multilingual=choice.multilingual, cache_id=choice.cache_id
    )
