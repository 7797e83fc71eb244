"""An optional pair judge: a natural-language-inference model's second opinion on claim findings.

Off by default: no NLI model with a clear licence ships in a package that installs offline, so nothing
depends on one. When `model.judge` names a sentence-transformers `CrossEncoder` (a local folder, or a name
already in the local cache; never downloaded), `judged()` asks it how much the two sides of each qualifier,
name and polarity finding contradict each other, and a finding's confidence becomes the mean of the claim
engine's confidence and that score. Value, unit and list conflicts are left alone: their values differ
whatever a model reads into the wording.

Which output is "contradiction": the class whose label (the model config's `id2label`) contains
"contradict"; a single-logit model's score through a sigmoid; else the last class. Several classes are
turned into probabilities with a softmax, computed here from the raw logits so that a model's stored default
activation cannot change the scale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import MissingDependency
from ..models import Finding
from .claims import severity
from .embed import offline_hub, torch_device

# The findings whose truth rests on what the wording means, where an NLI model has something to add.
JUDGED_RULES = frozenset({"claims.qualifier", "claims.name_conflict"})
JUDGED_PREFIXES = ("claims.polarity",)
_CONFIDENCE_SUFFIX = re.compile(r"\(confidence \d+(?:\.\d+)?\)$")


class PairJudge(Protocol):
    model_id: str  # identifies the model in reports

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """(len(pairs),) float scores in [0, 1]: how much each pair's second text contradicts its first."""
        ...


class CrossEncoderJudge:
    """A sentence-transformers CrossEncoder loaded offline from a local folder or the local cache."""

    def __init__(self, name_or_path: str, *, batch_size: int = 32, device: str = "cpu") -> None:
        self.model_id = name_or_path
        self.batch_size = batch_size
        offline_hub()
        path = Path(name_or_path).expanduser()
        if (path.is_absolute() or name_or_path.startswith((".", "~"))) and not path.is_dir():
            # A folder that is not there: say so now, not after the library has tried it as a hub name.
            raise MissingDependency(_unloadable(name_or_path, "no such folder"))
        try:
            import torch
            from sentence_transformers import CrossEncoder
        except ImportError:
            raise MissingDependency(
                "the pair judge needs sentence-transformers: pip install sentence-transformers"
            ) from None
        try:
            self._model = CrossEncoder(name_or_path, device=torch_device(device))
        except Exception as exc:  # OSError, ValueError, HF hub errors... all mean "not here"
            raise MissingDependency(_unloadable(name_or_path, type(exc).__name__)) from None
        self._identity = torch.nn.Identity()
        self.labels = int(getattr(self._model, "num_labels", 1) or 1)
        self.index = contradiction_index(_id2label(self._model), self.labels)

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        # Raw logits (identity activation): the scale is decided below, not by the model's saved default.
        logits = np.asarray(
            self._model.predict(
                [list(pair) for pair in pairs],
                batch_size=self.batch_size,
                activation_fn=self._identity,
                apply_softmax=False,
                convert_to_numpy=True,
                show_progress_bar=False,
            ),
            dtype=np.float64,
        )
        return contradiction_scores(logits.reshape(len(pairs), -1), self.index)


def _unloadable(name_or_path: str, why: str) -> str:
    return (
        f"pair judge {name_or_path!r} could not be loaded offline ({why}): set model.judge to a local folder "
        "holding a CrossEncoder model, or remove it"
    )


def _id2label(model: Any) -> dict[int, str]:
    """The labels in the model's transformers config (their attribute moved between library versions)."""
    config = getattr(model, "config", None) or getattr(getattr(model, "model", None), "config", None)
    labels = getattr(config, "id2label", None) or {}
    return {int(index): str(label) for index, label in labels.items()}


def contradiction_index(id2label: dict[int, str], num_labels: int) -> int | None:
    """The output that means "contradiction": None for a single-logit model (its score is used through a
    sigmoid)."""
    if num_labels <= 1:
        return None
    for index, label in sorted(id2label.items()):
        if "contradict" in label.lower() and 0 <= index < num_labels:
            return index
    return num_labels - 1


def contradiction_scores(logits: np.ndarray, index: int | None) -> np.ndarray:
    """(n, labels) raw logits -> (n,) contradiction probabilities in [0, 1]."""
    if index is None or logits.shape[1] == 1:
        scores = 1.0 / (1.0 + np.exp(-logits[:, 0]))
    else:
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        scores = (shifted / shifted.sum(axis=1, keepdims=True))[:, index]
    return np.clip(scores, 0.0, 1.0).astype(np.float32)


def load_judge(name_or_path: str, *, device: str = "cpu") -> PairJudge:
    """The CrossEncoder `name_or_path` as a PairJudge; MissingDependency when it cannot be loaded offline."""
    return CrossEncoderJudge(name_or_path, device=device)


def is_judged(finding: Finding) -> bool:
    return finding.rule_id in JUDGED_RULES or finding.rule_id.startswith(JUDGED_PREFIXES)


def judged(findings: Sequence[Finding], judge: PairJudge) -> list[Finding]:
    """`findings` in order, the judged ones (qualifier, name and polarity) with their confidence averaged with
    the judge's contradiction score for (side A's first quote, side B's last quote), in one batched call."""
    chosen = [
        i
        for i, finding in enumerate(findings)
        if is_judged(finding) and finding.confidence is not None and len(finding.evidence) >= 2
    ]
    if not chosen:
        return list(findings)
    pairs = [(findings[i].evidence[0].quote, findings[i].evidence[-1].quote) for i in chosen]
    scores = judge.contradiction(pairs)
    out = list(findings)
    for i, score in zip(chosen, scores, strict=True):
        finding = findings[i]
        sure = (float(finding.confidence or 0.0) + float(score)) / 2
        # Severity follows confidence as in analyze.claims: within one channel it stays information.
        level = severity(finding.severity != "info", sure, finding.rule_id)
        message = _CONFIDENCE_SUFFIX.sub(f"(confidence {sure:.2f})", finding.message)
        out[i] = replace(finding, confidence=sure, message=message, severity=level)
    return out


__all__ = ["CrossEncoderJudge", "PairJudge", "contradiction_index", "contradiction_scores", "judged",
           "load_judge"]
