"""Measurement helpers for bench/run.py: an embedder that records what it was asked to embed, the raw encode
baseline, peak memory, the machine description and the tables."""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class RecordingEmbedder:
    """Wraps an omniaudit Embedder: passes every call through and keeps the texts and the seconds spent
    inside the model, so the raw baseline runs on exactly what the audit embedded."""

    def __init__(self, inner: Any, stage: Callable[[], str] = lambda: "") -> None:
        self.inner = inner
        self.model_id: str = inner.model_id
        self.multilingual: bool = inner.multilingual
        self.languages = getattr(inner, "languages", None)
        self.stage = stage  # names the pipeline stage a call happens in
        # (stage, texts, seconds inside the model) per call: the embed stage's calls are the audit's
        # embedding work; later stages may encode a few texts of their own (e.g. a topic taxonomy).
        self.calls: list[tuple[str, list[str], float]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.encode(texts)
        self.calls.append((self.stage(), list(texts), time.perf_counter() - started))
        return np.asarray(vectors)

    def texts_in(self, stage: str) -> list[str]:
        return [text for name, texts, _ in self.calls if name == stage for text in texts]

    def seconds_in(self, stage: str) -> float:
        return sum(seconds for name, _, seconds in self.calls if name == stage)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def raw_encode(embedder: Any, texts: Sequence[str]) -> float:
    """Seconds for the bare model on `texts`, one call, with the batch size the audit's embedder uses:
    `SentenceTransformer.encode` for sentence-transformers models, the runtime's own encode for onnx and
    USE."""
    model = embedder._model
    batch = int(getattr(embedder, "batch_size", 64))
    started = time.perf_counter()
    if hasattr(model, "get_sentence_embedding_dimension"):
        model.encode(list(texts), batch_size=batch, normalize_embeddings=True, convert_to_numpy=True,
                     show_progress_bar=False)
    elif hasattr(model, "session"):  # embed_onnx.OnnxRuntime: its own length-sorted batches
        model.encode(list(texts), batch)
    elif getattr(embedder, "backend", "") == "use":  # the package batches by tokens itself: one call
        model.encode(list(texts))
    else:
        for start in range(0, len(texts), batch):
            model.encode(list(texts[start : start + batch]))
    return time.perf_counter() - started


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine() -> dict[str, str]:
    """CPU model, cores, memory, Python and library versions: the line that makes a figure comparable."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(handle.readline().split()[1])
            memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for name in ("torch", "sentence_transformers", "spacy", "numpy"):
        module = sys.modules.get(name)
        versions[name] = getattr(module, "__version__", "-") if module else "not loaded"
    threads = "-"
    if "torch" in sys.modules:
        threads = str(sys.modules["torch"].get_num_threads())
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "torch_threads": threads,
        **versions,
    }


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(row) for row in cells[1:])])


class HashingEmbedder:
    """A stand-in model for measuring everything but the model (`run.py --model hashing`): each word is
    hashed to a fixed random 384-d row and a text is the normalized sum of its words' rows. Near-free, so
    the non-embedding stages can be timed at sizes where the real model would take an hour; its similarities
    are lexical, so coverage and alignment figures differ from a real run (fact findings do not)."""

    model_id = "hashing-384 (benchmark stand-in)"
    multilingual = False
    languages = ("en",)
    batch_size = 64
    buckets = 1 << 14

    def __init__(self, dimension: int = 384) -> None:
        rng = np.random.default_rng(0)
        self.table = rng.standard_normal((self.buckets, dimension)).astype(np.float32)
        self._model = self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = [zlib.crc32(word.encode()) % self.buckets for word in text.lower().split()]
            if ids:
                rows[i] = self.table[ids].sum(axis=0)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)
