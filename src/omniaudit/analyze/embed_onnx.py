"""A sentence-transformers model (the MiniLM family: a BERT-style encoder + pooling) run on onnxruntime.

No torch and no sentence-transformers at run time: the `tokenizers` library reads the model folder's
tokenizer.json, onnxruntime runs the encoder, numpy pools and normalizes exactly as the sentence-transformers
model does (its 1_Pooling/config.json, its max_seq_length).

No package ships an ONNX file of the default model with a provenance we can check, so the encoder is exported
once from the folder's own weights (torch.onnx, needs torch + transformers that one time) and cached under the
user cache folder, keyed by a hash of the weights: ~/.cache/omniaudit/onnx/<hash>/model.fp32.onnx, plus an
int8 copy (onnxruntime dynamic quantization, per channel). Later processes load the cached file in ~0.2 s.

Speed comes from what sentence-transformers does not do on a CPU: texts are tokenized without padding, sorted
by length and padded per batch (the bundled tokenizer.json pads everything to 128 tokens), and onnxruntime
uses every core.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingDependency

log = logging.getLogger(__name__)

# Bump when the exported graph or the quantization recipe changes: old cache folders are then ignored.
EXPORT_VERSION = "3"
PRECISIONS = ("fp32", "int8")
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# sentence-transformers' own default when a folder does not say.
DEFAULT_MAX_SEQ_LENGTH = 256
# Texts tokenized at a time: bounds the tokenizer's memory while keeping its batches parallel.
TOKENIZE_CHUNK = 4096
_export_lock = threading.Lock()


def available() -> bool:
    """True when onnxruntime and tokenizers are installed (the fast path's only run-time dependencies);
    asked without importing them, so choosing a model costs nothing."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "tokenizers"))


def cpu_count() -> int:
    """Cores this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def cache_root() -> Path:
    """Where exported models are kept: $OMNIAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/omniaudit, else
    ~/.cache/omniaudit."""
    explicit = os.environ.get("OMNIAUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "omniaudit"


def _weights_file(folder: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).is_file():
            return folder / name
    raise MissingDependency(
        f"{folder}: no model.safetensors or pytorch_model.bin to export to ONNX; "
        "set model.backend: torch for this model"
    )


def _fingerprint(folder: Path) -> str:
    """A hash of what the exported graph depends on: the weights, the encoder config, the recipe."""
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    with _weights_file(folder).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    config = folder / "config.json"
    if config.is_file():
        digest.update(config.read_bytes())
    return digest.hexdigest()[:16]


def _export(folder: Path, target: Path) -> None:
    """Export `folder`'s transformer to `target`/model.fp32.onnx and quantize it to model.int8.onnx."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError:
        raise MissingDependency(
            "the first use of model.backend: onnx exports the model once, which needs torch and "
            "transformers: pip install torch transformers (or set model.backend: torch)"
        ) from None
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from .embed import offline_hub

    offline_hub()  # no download, no loading bars
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" would break -q and the progress line
    # Eager attention: the traced graph then takes the padding mask as an input for any batch shape.
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    fp32 = target / "model.fp32.onnx"
    axes = {name: {0: "batch", 1: "tokens"} for name in (*ONNX_INPUTS, "last_hidden_state")}
    import warnings

    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shape-dependent Python branches
        torch.onnx.export(
            _Encoder(model), (sample, sample, torch.zeros_like(sample)), str(fp32),
            input_names=list(ONNX_INPUTS), output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=17, dynamo=False,
        )
    # Every MatMul with constant weights is quantized per output channel, except the first layer's
    # feed-forward output projection: its error is the largest and every later layer carries it on. Measured
    # on 3,000 sentences (cosine to fp32 mean / min, sentences/s on 2 cores): all quantized 0.9915 / 0.980,
    # 671/s; this 0.9935 / 0.983, 628/s; every layer's output projection kept (the first recipe)
    # 0.9958 / 0.989, 423/s (bench/EMBED_RESULTS.md).
    import onnx

    output_projections = [
        node.name
        for node in onnx.load(str(fp32), load_external_data=False).graph.node
        if node.op_type == "MatMul" and "/output/dense/" in node.name and "/attention/" not in node.name
    ]
    logging.disable(logging.WARNING)  # the quantizer logs advice to the root logger
    try:
        quantize_dynamic(
            str(fp32), str(target / "model.int8.onnx"), weight_type=QuantType.QInt8, per_channel=True,
            nodes_to_exclude=output_projections[:1], extra_options={"MatMulConstBOnly": True},
        )
    finally:
        logging.disable(logging.NOTSET)


def exported_model(folder: Path, precision: str) -> Path:
    """The cached ONNX file of `folder` in `precision`, exported on first use (safe across processes: a
    finished export is moved into place in one rename)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    target = cache_root() / "onnx" / _fingerprint(folder)
    path = target / f"model.{precision}.onnx"
    if path.is_file():
        return path
    with _export_lock:
        if path.is_file():
            return path
        log.info("exporting %s to ONNX once (cached in %s)", folder, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
        try:
            _export(folder, scratch)
            (scratch / "source.json").write_text(
                json.dumps({"source": str(folder), "export_version": EXPORT_VERSION}), encoding="utf-8"
            )
            try:
                scratch.rename(target)
            except OSError:  # another process finished first: keep its files
                if not path.is_file():
                    raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return path


@dataclass(frozen=True)
class Pooling:
    """How the sentence-transformers folder turns token vectors into one sentence vector."""

    mode: str  # "mean" | "cls" | "max"
    max_seq_length: int

    @classmethod
    def of(cls, folder: Path) -> Pooling:
        mode = "mean"
        pooling = folder / "1_Pooling" / "config.json"
        if pooling.is_file():
            settings = json.loads(pooling.read_text(encoding="utf-8"))
            if settings.get("pooling_mode_cls_token"):
                mode = "cls"
            elif settings.get("pooling_mode_max_tokens"):
                mode = "max"
            elif not settings.get("pooling_mode_mean_tokens", True):
                raise MissingDependency(
                    f"{pooling}: only mean, CLS and max pooling run on onnx; set model.backend: torch"
                )
        length = DEFAULT_MAX_SEQ_LENGTH
        bert = folder / "sentence_bert_config.json"
        if bert.is_file():
            length = int(json.loads(bert.read_text(encoding="utf-8")).get("max_seq_length") or length)
        return cls(mode, length)

    def apply(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.mode == "cls":
            return hidden[:, 0]
        weights = mask[..., None].astype(np.float32)
        if self.mode == "max":
            return np.where(weights > 0, hidden, -1e9).max(axis=1)
        return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


class OnnxRuntime:
    """One loaded session + tokenizer (heavy: built once per process by embed.load_embedder)."""

    def __init__(self, folder: Path, *, precision: str = "int8", device: str = "cpu") -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError:
            raise MissingDependency(
                "model.backend: onnx needs onnxruntime and tokenizers: pip install onnxruntime tokenizers"
            ) from None
        tokenizer_file = folder / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise MissingDependency(f"{folder}: no tokenizer.json; set model.backend: torch for this model")
        self.pooling = Pooling.of(folder)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # The bundled tokenizer.json pads every text to 128 tokens: 4x the work for a 20-word sentence.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.pooling.max_seq_length)
        providers = ["CPUExecutionProvider"]
        if device != "cpu" and "CUDAExecutionProvider" in ort.get_available_providers():
            providers.insert(0, "CUDAExecutionProvider")
            precision = "fp32"  # dynamic int8 kernels are CPU kernels
        self.device = "cuda" if providers[0] == "CUDAExecutionProvider" else "cpu"
        self.precision = precision
        options = ort.SessionOptions()
        options.intra_op_num_threads = cpu_count()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initializers are not the user's business
        self.path = exported_model(folder, precision)
        self.session = ort.InferenceSession(str(self.path), options, providers=providers)
        self.inputs = {item.name for item in self.session.get_inputs()}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """L2-normalized float32 rows, in the order given. Texts are ordered by length, tokenized a chunk at
        a time (a tokenizer Encoding costs ~5 KiB: 30,000 at once held 160 MiB) and batched by token length,
        so no batch pads beyond its longest text."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        by_length = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        batch = max(1, batch_size)
        chunk = max(batch, TOKENIZE_CHUNK - TOKENIZE_CHUNK % batch)
        for chunk_start in range(0, len(by_length), chunk):
            indices = np.array(by_length[chunk_start : chunk_start + chunk], dtype=np.int64)
            encodings = self.tokenizer.encode_batch([texts[i] for i in indices])
            lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
            order = np.argsort(lengths, kind="stable")
            for start in range(0, len(order), batch):
                rows = order[start : start + batch]
                width = int(lengths[rows].max())
                ids = np.zeros((len(rows), width), dtype=np.int64)
                types = np.zeros_like(ids)
                mask = np.zeros_like(ids)
                for row, position in enumerate(rows):
                    encoding = encodings[position]
                    size = len(encoding.ids)
                    ids[row, :size] = encoding.ids
                    types[row, :size] = encoding.type_ids
                    mask[row, :size] = 1
                feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
                hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
                out[indices[rows]] = self.pooling.apply(hidden, mask)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)
