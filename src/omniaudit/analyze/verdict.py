"""Scores per dimension (0-100, each with one sentence citing its evidence) and the omnichannel verdict."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ..config import Thresholds
from ..models import CoverageCell, DimensionScore, Finding

# Mean best-match similarity between channels of one brand: ~0.25 is unrelated text, ~0.6 is the same
# messaging in other words (all-MiniLM-L6-v2; measured on the bundled samples).
ALIGNMENT_FLOOR = 0.25
ALIGNMENT_CEILING = 0.60
TERMINOLOGY_PENALTY = {"error": 15.0, "warning": 7.0, "info": 2.0}
STALE_HASHTAG_PENALTY = 10.0


def _clip(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def message_score(cells: Sequence[CoverageCell]) -> DimensionScore:
    if not cells:
        return DimensionScore("messages", 0.0, "No key message could be compared: no channel had text.")
    covered = sum(cell.covered for cell in cells)
    worst = min(cells, key=lambda cell: cell.similarity)
    explanation = f"{covered} of {len(cells)} key message x channel pairs are carried"
    if covered < len(cells):
        explanation += f"; weakest: '{worst.message_id}' in '{worst.channel_id}' ({worst.similarity:.2f})"
    return DimensionScore("messages", _clip(100.0 * covered / len(cells)), explanation + ".")


def alignment_score(
    channel_ids: Sequence[str], matrix: Sequence[Sequence[float]], excluded: Collection[str] = ()
) -> DimensionScore:
    pairs = [
        (matrix[i][j], channel_ids[i], channel_ids[j])
        for i in range(len(channel_ids))
        for j in range(i + 1, len(channel_ids))
        if matrix[i][j] > 0 and channel_ids[i] not in excluded and channel_ids[j] not in excluded
    ]
    if not pairs:
        return DimensionScore("alignment", 0.0, "Fewer than two channels had text to compare.")
    mean = sum(value for value, _, _ in pairs) / len(pairs)
    low = min(pairs)
    score = 100.0 * (mean - ALIGNMENT_FLOOR) / (ALIGNMENT_CEILING - ALIGNMENT_FLOOR)
    return DimensionScore(
        "alignment",
        _clip(score),
        f"Mean channel-to-channel similarity {mean:.2f} over {len(pairs)} pairs; least aligned: "
        f"'{low[1]}' and '{low[2]}' ({low[0]:.2f}).",
    )


def fact_score(checked: int, consistent: int, findings: Sequence[Finding]) -> DimensionScore:
    if checked == 0:
        return DimensionScore(
            "facts", 100.0, "No fact is stated in more than one place, so none can disagree."
        )
    contradictions = [f for f in findings if f.rule_id == "facts.contradiction"]
    explanation = f"{consistent} of {checked} facts stated in several places agree"
    if contradictions:
        explanation += f"; e.g. {contradictions[0].message}"
    return DimensionScore("facts", _clip(100.0 * consistent / checked), explanation + ".")


def terminology_score(findings: Sequence[Finding]) -> DimensionScore:
    if not findings:
        return DimensionScore("terminology", 100.0, "No banned term or non-preferred variant was used.")
    penalty = sum(TERMINOLOGY_PENALTY[f.severity] for f in findings)
    return DimensionScore(
        "terminology",
        _clip(100.0 - penalty),
        f"{len(findings)} terminology problems; e.g. {findings[0].message}.",
    )


def integration_score(
    checked: int, present: int, findings: Sequence[Finding], notes: Sequence[str]
) -> DimensionScore:
    if checked == 0:
        return DimensionScore("integration", 0.0, "No channel could be checked for cross-channel references.")
    stale = [f for f in findings if f.rule_id == "integration.stale_hashtag"]
    score = 100.0 * present / checked - STALE_HASHTAG_PENALTY * len(stale)
    missing = [f for f in findings if f.rule_id != "integration.stale_hashtag"]
    explanation = f"{present} of {checked} cross-channel signals present"
    if missing:
        explanation += f"; missing: {missing[0].message}"
    elif notes:
        explanation += f", e.g. {notes[0]}"
    if stale:
        explanation += f"; {len(stale)} stale campaign hashtag{'s' if len(stale) > 1 else ''}"
    return DimensionScore("integration", _clip(score), explanation + ".")


STYLE_PENALTY = {"error": 4.0, "warning": 2.0, "info": 0.5}


def style_score(findings: Sequence[Finding], words: int) -> DimensionScore:
    """Style alerts per 1,000 words, weighted by level, so a long site is not punished for its length."""
    if not findings:
        return DimensionScore("style", 100.0, "No alert from the brand's style rules.")
    weighted = sum(STYLE_PENALTY[f.severity] for f in findings)
    density = 1000.0 * weighted / max(words, 1)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
    top, top_count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return DimensionScore(
        "style",
        _clip(100.0 - 3.0 * density),
        f"{len(findings)} style alerts ({density:.1f} weighted per 1,000 words); most frequent: "
        f"{top.removeprefix('style.')} ({top_count}).",
    )


def overall_score(scores: Sequence[DimensionScore], weights: Mapping[str, float]) -> float:
    total = sum(weights.get(score.name, 1.0) for score in scores)
    if total == 0:
        return 0.0
    return round(sum(score.score * weights.get(score.name, 1.0) for score in scores) / total, 1)


def decide_verdict(overall: float, findings: Sequence[Finding], thresholds: Thresholds) -> tuple[str, str]:
    """The verdict and its one-sentence reason. Contradicting facts rule out omnichannel whatever the score:
    a customer told two return windows is not getting one experience."""
    hard = [f for f in findings if f.dimension in ("facts", "experience") and f.severity == "error"]
    if overall >= thresholds.omnichannel and not hard:
        return "omnichannel", f"Overall {overall:.0f}/100 with no contradicting facts or procedures."
    if overall >= thresholds.multichannel:
        reason = f"Overall {overall:.0f}/100"
        if hard:
            reason += (
                f", and {len(hard)} contradiction{'s' if len(hard) > 1 else ''} such as: {hard[0].message}"
            )
        return "multichannel", reason + "."
    return "fragmented", f"Overall {overall:.0f}/100, below {thresholds.multichannel:.0f}."
