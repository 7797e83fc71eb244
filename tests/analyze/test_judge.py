"""The optional pair judge, with real CrossEncoders built here from tiny random BERT weights (no download)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from omniaudit.analyze.judge import (
    contradiction_index,
    contradiction_scores,
    judged,
    load_judge,
)
from omniaudit.errors import MissingDependency
from omniaudit.models import Evidence, Finding, Location

WORDS = "support is open all day only for new customers the offer not free we answer within hours".split()


def _tiny_cross_encoder(folder: Path, id2label: dict[int, str]) -> Path:
    """A BERT sequence classifier of a few hundred weights and its tokenizer, saved as a model folder."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder.mkdir(parents=True)
    vocab = folder / "vocab.txt"
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab.write_text("\n".join([*special, *WORDS]) + "\n", encoding="utf-8")
    config = BertConfig(
        vocab_size=len(special) + len(WORDS),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=8,
        max_position_embeddings=64,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={label: index for index, label in id2label.items()},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def nli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    labels = {0: "contradiction", 1: "entailment", 2: "neutral"}
    return _tiny_cross_encoder(tmp_path_factory.mktemp("judge") / "nli", labels)


def _finding(rule: str, confidence: float | None, a: str, b: str, severity: str = "warning") -> Finding:
    message = f'"{a}" vs "{b}"' + (f" (confidence {confidence:.2f})" if confidence is not None else "")
    return Finding(
        rule_id=rule,
        dimension="facts",
        severity=severity,
        message=message,
        confidence=confidence,
        evidence=(
            Evidence("site", a, Location("site/index.html")),
            Evidence("site", a, Location("site/about.html")),
            Evidence("help", b, Location("help/faq.md")),
        ),
        channels=("help", "site"),
        key=f"{rule}|{a}|{b}",
    )


class FixedJudge:
    """A judge with set answers, recording what it was asked."""

    model_id = "fixed"

    def __init__(self, scores: Sequence[float]) -> None:
        self.scores = scores
        self.calls: list[list[tuple[str, str]]] = []

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.calls.append(list(pairs))
        return np.asarray(self.scores[: len(pairs)], dtype=np.float32)


def test_real_cross_encoder_scores_pairs_in_one_range(nli_folder: Path) -> None:
    judge = load_judge(str(nli_folder))
    assert judge.model_id == str(nli_folder)
    scores = judge.contradiction(
        [
            ("support is open all day", "support is not open all day"),
            ("the offer is free", "the offer is free"),
        ]
    )
    assert scores.shape == (2,)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert judge.contradiction([]).shape == (0,)


def test_single_logit_and_unnamed_labels(tmp_path: Path) -> None:
    single = load_judge(str(_tiny_cross_encoder(tmp_path / "one", {0: "LABEL_0"})))
    assert single.index is None  # type: ignore[attr-defined]
    scores = single.contradiction([("we answer within hours", "we answer within hours only")])
    assert scores.shape == (1,) and 0 <= float(scores[0]) <= 1
    unnamed = load_judge(str(_tiny_cross_encoder(tmp_path / "two", {0: "LABEL_0", 1: "LABEL_1"})))
    assert unnamed.index == 1  # type: ignore[attr-defined]


def test_which_output_is_contradiction() -> None:
    assert contradiction_index({0: "entailment", 1: "neutral", 2: "contradiction"}, 3) == 2
    assert contradiction_index({0: "CONTRADICTION", 1: "ENTAILMENT", 2: "NEUTRAL"}, 3) == 0
    assert contradiction_index({0: "LABEL_0", 1: "LABEL_1"}, 2) == 1
    assert contradiction_index({0: "LABEL_0"}, 1) is None
    softmax = contradiction_scores(np.array([[0.0, 0.0, np.log(2.0)]]), 2)
    assert softmax == pytest.approx([0.5])
    sigmoid = contradiction_scores(np.array([[0.0], [50.0]]), None)
    assert sigmoid == pytest.approx([0.5, 1.0])


def test_judged_averages_only_qualifier_name_and_polarity_findings() -> None:
    findings = [
        _finding("claims.value_conflict", 0.8, "returns within 30 days", "returns within 14 days"),
        _finding("claims.qualifier", 0.6, "24 hour support", "24 hour support for critical incidents only"),
        _finding("terminology.banned", None, "cheap", "cheap"),
        _finding("claims.polarity_conflict", 0.9, "delivery is free", "delivery is not free"),
        _finding("claims.name_conflict", 0.7, "payments by Adyen", "payments by Stripe", severity="info"),
    ]
    judge = FixedJudge([0.2, 1.0, 0.5])
    out = judged(findings, judge)
    assert judge.calls == [
        [
            ("24 hour support", "24 hour support for critical incidents only"),
            ("delivery is free", "delivery is not free"),
            ("payments by Adyen", "payments by Stripe"),
        ]
    ]
    assert [f.rule_id for f in out] == [f.rule_id for f in findings]
    assert out[0] is findings[0] and out[2] is findings[2]
    assert [f.confidence for f in out] == pytest.approx([0.8, 0.4, None, 0.95, 0.6])
    assert out[1].message == (
        '"24 hour support" vs "24 hour support for critical incidents only" (confidence 0.40)'
    )
    assert out[3].message.endswith("(confidence 0.95)")
    # Severity follows the new confidence across channels; within one channel it stays information.
    assert [f.severity for f in out] == ["warning", "warning", "warning", "error", "info"]


def test_judged_without_judged_findings_asks_nothing() -> None:
    findings = [_finding("claims.unit_conflict", 0.7, "1-2 business days", "1-2 days")]
    judge = FixedJudge([])
    assert judged(findings, judge) == findings and judge.calls == []


def test_real_judge_changes_only_judged_findings(nli_folder: Path) -> None:
    findings = [
        _finding("claims.qualifier", 0.6, "support is open all day", "support is open for new customers"),
        _finding("claims.value_conflict", 0.8, "we answer within hours", "we answer within the day"),
    ]
    out = judged(findings, load_judge(str(nli_folder)))
    assert out[1] == findings[1]
    assert out[0].confidence is not None and out[0].confidence != findings[0].confidence
    assert 0.3 <= out[0].confidence <= 0.8
    assert out[0].message.endswith(f"(confidence {out[0].confidence:.2f})")


def test_missing_judge_names_the_model_and_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(MissingDependency) as error:
        load_judge(str(missing))
    assert str(error.value) == (
        f"pair judge {str(missing)!r} could not be loaded offline (no such folder): set model.judge to a "
        "local folder holding a CrossEncoder model, or remove it"
    )


def _config(tmp_path: Path, judge: str) -> Path:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        "<html><body><main><p>We answer every question within two days.</p></main></body></html>",
        encoding="utf-8",
    )
    config = tmp_path / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Test}\n"
        "brand_book:\n  key_messages: [{id: a, text: We answer fast.}]\n"
        "channels:\n  - {id: site, type: website, connector: website, source: site}\n"
        f"model: {{judge: {judge}}}\n"
        "history: {enabled: false}\n",
        encoding="utf-8",
    )
    return config


def test_bad_judge_fails_before_collecting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from omniaudit import app
    from omniaudit.config import load_config

    def no_collecting(*args: object, **kwargs: object) -> None:
        raise AssertionError("collected before loading the judge")

    monkeypatch.setattr(app, "collect_channels", no_collecting)
    with pytest.raises(MissingDependency, match="/nonexistent"):
        app.run_audit(load_config(_config(tmp_path, "/nonexistent")))


def test_cli_bad_judge_is_one_line_and_exit_2(tmp_path: Path) -> None:
    config = _config(tmp_path, "/nonexistent")
    result = subprocess.run(
        [sys.executable, "-m", "omniaudit", "audit", str(config), "--no-history"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'/nonexistent'" in lines[0] and "model.judge" in lines[0]
    assert result.stdout == ""
