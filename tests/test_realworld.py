"""End to end over the development corpus (../shared/realworld, or $OMNIAUDIT_REALWORLD): each brand's config
in bench/realworld/ is collected and split into sentences exactly as an audit reads them (no model), then
checked for collection fidelity, template syntax left in the text, and channels left unaudited.

The corpus is third-party material kept outside the repository: without it these tests skip, saying where
they looked. Fidelity is measured by bench/realworld.py's own functions, so the test and the README figure
cannot drift apart.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from omniaudit.app import CollectedText, extract_text
from omniaudit.config import load_config

BENCH_SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "realworld.py"
FIDELITY_FLOOR = 97.0
# Template and catalogue syntax that must never reach a sentence: Jinja/Nunjucks/Liquid/Hugo, ERB, and raw
# Fluent variable and term references.
TEMPLATE_MARKS = ("{%", "%}", "{{", "}}", "<%", "%>", "{ $", "{ -")
# (brand, (quotes found, quotes, missed quotes), the collected text)
Brand = tuple[str, tuple[int, int, list[str]], CollectedText]


def _bench() -> ModuleType:
    """bench/realworld.py imported as a module (the bench folder is not a package)."""
    name = "omniaudit_bench_realworld"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()
CONFIGS = sorted(bench.CONFIGS.glob("*.yaml"))

pytestmark = pytest.mark.skipif(
    not (bench.CORPUS / "GROUND_TRUTH.md").is_file(),
    reason=f"no development corpus at {bench.CORPUS} (set OMNIAUDIT_REALWORLD to its folder)",
)


def test_every_development_brand_has_a_config() -> None:
    assert sorted(path.stem for path in CONFIGS) == sorted(bench.BRANDS)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return bench.load_scorer()


@pytest.fixture(scope="module", params=[path.stem for path in CONFIGS])
def brand(request: pytest.FixtureRequest, scorer: ModuleType) -> Brand:
    """Each brand collected once, for all the checks below."""
    name = request.param
    found, total, missed, collected = bench.fidelity(name, scorer)
    # extract_text over collect_channels' result is what app.collect_text does: one collection serves both.
    text = extract_text(load_config(bench.CONFIGS / f"{name}.yaml"), collected)
    return name, (found, total, missed), text


def test_collection_fidelity_is_at_least_the_floor(
    brand: Brand,
) -> None:
    name, (found, total, missed), _ = brand
    assert total > 0, f"{name}: no ground-truth quotes"
    share = 100 * found / total
    assert share >= FIDELITY_FLOOR, (
        f"{name}: fidelity {share:.1f} % ({found}/{total}); missed:\n" + "\n".join(missed)
    )


def test_no_template_syntax_in_any_sentence(brand: Brand) -> None:
    name, _, text = brand
    assert text.segments, f"{name}: no sentences collected"
    leaks = [
        f"{segment.location}: {segment.text[:120]}"
        for segment in text.segments
        if any(mark in segment.text for mark in TEMPLATE_MARKS)
    ]
    assert not leaks, f"{name}: {len(leaks)} sentence(s) with template syntax:\n" + "\n".join(leaks[:20])


def test_every_channel_is_audited(brand: Brand) -> None:
    name, _, text = brand
    config = load_config(bench.CONFIGS / f"{name}.yaml")
    assert [summary.id for summary in text.channels] == [channel.id for channel in config.channels]
    unaudited = [
        f"{summary.id} (documents {summary.documents}, failures {summary.failures})"
        for summary in text.channels
        if not summary.audited
    ]
    assert not unaudited, f"{name}: channels not audited: {', '.join(unaudited)}"
