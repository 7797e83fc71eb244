"""Accuracy on real brands: the development corpus in ../shared/realworld, audited with the project's configs.

    .venv/bin/python bench/realworld.py                 # every brand: fidelity + audit + score, one table
    .venv/bin/python bench/realworld.py --fidelity      # collection fidelity only (no model, seconds)
    .venv/bin/python bench/realworld.py --brand mastodon --keep out/   # one brand; keep its JSON report

Collection fidelity: the share of GROUND_TRUTH.md quotes whose normalised text (HTML entities decoded, NFKC,
lower case, tags, Markdown marks, placeholders and whitespace removed) is contained in the text collected from
the quote's own file. A catalogue quote is written as it appears on its line (`key: value`, `"key": "value"`,
`other = "value"`): only the value is looked for.

The audit scores come from the corpus's own scorer (`score.py`): must-find and should-find cases found,
controls flagged, and findings per labelled case (style and terminology findings excluded: these configs set
no style guide). The corpus is not part of the repository: without it this script says so and exits 0.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CONFIGS = BENCH / "realworld"
CORPUS = Path(os.environ.get("OMNIAUDIT_REALWORLD", ROOT.parent / "shared" / "realworld")).resolve()
BRANDS = {"govuk-pay": "PAY", "cloud-gov": "CG", "mastodon": "MA", "getyourrefund": "GYR"}
# Findings of these dimensions are not counted against the findings-per-case budget.
UNCOUNTED_DIMENSIONS = frozenset({"style", "terminology"})

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

_TAG = re.compile(r"<[^>]*>")
_SLOT = re.compile(r"%\{[^}]*\}|\{\s*\$[^}]*\}|\{\{[^}]*\}\}|⟨var⟩")
_CATALOGUE_LINE = re.compile(r"""^\s*"?[\w.-]+"?\s*[:=]\s*(.*?)\s*,?\s*$""")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_CATALOGUE_SUFFIXES = (".yml", ".yaml", ".json", ".toml")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", html.unescape(html.unescape(text)))
    text = _SLOT.sub(" ", _TAG.sub(" ", text))
    text = text.replace("\\'", "'").replace('\\"', '"').replace("\\n", " ").translate(_QUOTES)
    text = re.sub(r"^\s*(?:[-*+■•]|\d+\.)\s+", "", text)  # a list marker is not text
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", "", text).lower()


def quote_value(file: str, quote: str) -> str:
    """The text a quote shows: for a catalogue line, its value without key and quotes."""
    if file.endswith(_CATALOGUE_SUFFIXES):
        match = _CATALOGUE_LINE.match(quote)
        if match:
            return match.group(1).strip().strip('"').strip("'")
    return quote


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("realworld_score", CORPUS / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def brand_cases(scorer: Any, prefix: str) -> list[dict[str, Any]]:
    cases = scorer.parse_truth(str(CORPUS / "GROUND_TRUTH.md"))
    return [case for case in cases if case["id"].split("-")[0] == prefix]


def collected_text_by_file(documents: Any, config_dir: Path) -> dict[Path, str]:
    texts: dict[Path, list[str]] = {}
    for document in documents:
        path = (config_dir / document.uri.split("#")[0]).resolve()
        texts.setdefault(path, []).append(
            "\n".join([document.title, *(block.text for block in document.blocks)])
        )
    return {path: normalise("\n".join(parts)) for path, parts in texts.items()}


def fidelity(brand: str, scorer: Any) -> tuple[int, int, list[str], Any]:
    """(quotes found, quotes, missed quotes, collected documents)."""
    from omniaudit.app import collect_channels
    from omniaudit.config import load_config

    config = load_config(CONFIGS / f"{brand}.yaml")
    collected = collect_channels(config)
    by_file = collected_text_by_file(collected.documents, config.base_dir)
    found, total, missed = 0, 0, []
    for case in brand_cases(scorer, BRANDS[brand]):
        for file, quote in case["quotes"]:
            total += 1
            wanted = normalise(quote_value(file, quote))
            if wanted and wanted in by_file.get((CORPUS / file).resolve(), ""):
                found += 1
            else:
                missed.append(f"{case['id']} {file}: «{quote[:90]}»")
    return found, total, missed, collected


def audit(brand: str, scorer: Any, keep: Path | None, model: str | None = None) -> dict[str, Any]:
    from omniaudit.app import run_audit
    from omniaudit.config import load_config
    from omniaudit.report import render

    config = load_config(CONFIGS / f"{brand}.yaml")
    if model is not None:  # compare candidate models on the same material (issue 17)
        config = config.model_copy(update={"model": config.model.model_copy(update={"name": model})})
    started = time.perf_counter()
    result = run_audit(config)
    seconds = time.perf_counter() - started
    report = json.loads(render(result, "json"))
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{brand}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    cases = brand_cases(scorer, BRANDS[brand])
    findings = report["findings"]
    counted = [f for f in findings if f["dimension"] not in UNCOUNTED_DIMENSIONS]
    strings = [scorer.strings_of(f, []) for f in findings]
    normalised = [[scorer.norm(s) for s in group] for group in strings]
    outcome: dict[str, list[str]] = {"must-find": [], "should-find": [], "control": [], "context": []}
    hits: dict[str, bool] = {}
    for case in cases:
        quotes = [scorer.norm(q) for _, q in case["quotes"]]
        need = 1 if len(quotes) == 1 else 2
        hit = any(scorer.finding_hits(group, quotes) >= need for group in normalised)
        hits[case["id"]] = hit
        outcome[case["label"]].append(case["id"])
    labelled = sum(1 for case in cases if case["label"] != "context")
    return {
        "brand": brand,
        "seconds": round(seconds, 1),
        "must": (sum(hits[c] for c in outcome["must-find"]), len(outcome["must-find"])),
        "should": (sum(hits[c] for c in outcome["should-find"]), len(outcome["should-find"])),
        "controls": (sum(hits[c] for c in outcome["control"]), len(outcome["control"])),
        "found": sorted(c for c, hit in hits.items() if hit),
        "findings": len(findings),
        "counted": len(counted),
        "per_case": round(len(counted) / max(labelled, 1), 1),
        "rules": Counter(f["rule_id"] for f in counted).most_common(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fidelity", action="store_true", help="collection fidelity only")
    parser.add_argument("--brand", choices=sorted(BRANDS), action="append", help="only this brand")
    parser.add_argument("--keep", type=Path, help="write each brand's JSON report into this folder")
    parser.add_argument("--missed", action="store_true", help="list the quotes not collected")
    parser.add_argument("--model", help="audit with this model.name instead of the configs' (e.g. minilm)")
    args = parser.parse_args(argv)
    if not (CORPUS / "GROUND_TRUTH.md").is_file():
        print(f"realworld: no development corpus at {CORPUS} (set OMNIAUDIT_REALWORLD); nothing to measure")
        return 0
    scorer = load_scorer()
    brands = args.brand or list(BRANDS)
    print(f"{'brand':<14} {'fidelity':>14} {'docs':>5} {'secs':>5}", end="")
    columns = f" {'must':>6} {'should':>7} {'controls':>8} {'findings':>8} {'per case':>8}"
    print("" if args.fidelity else columns)
    totals: Counter[str] = Counter()
    details: list[str] = []
    for brand in brands:
        start = time.perf_counter()
        found, total, missed, collected = fidelity(brand, scorer)
        seconds = time.perf_counter() - start
        totals.update({"found": found, "quotes": total})
        share = 100 * found / max(total, 1)
        line = f"{brand:<14} {found:>3}/{total:<3} {share:5.1f} % {len(collected.documents):>5}"
        if args.missed:
            details.extend(f"  missed: {m}" for m in missed)
        if args.fidelity:
            print(f"{line} {seconds:5.1f}")
            continue
        scored = audit(brand, scorer, args.keep, args.model)
        for key in ("must", "should", "controls"):
            totals.update({key: scored[key][0], f"{key}_of": scored[key][1]})
        totals.update({"findings": scored["findings"]})
        print(
            f"{line} {scored['seconds']:5.1f} {scored['must'][0]:>3}/{scored['must'][1]:<2} "
            f"{scored['should'][0]:>3}/{scored['should'][1]:<3} "
            f"{scored['controls'][0]:>4}/{scored['controls'][1]:<3} "
            f"{scored['findings']:>8} {scored['per_case']:>8}"
        )
        details.append(f"  {brand}: found {', '.join(scored['found']) or '-'}")
        details.append("  " + ", ".join(f"{rule} {n}" for rule, n in scored["rules"][:8]))
    fid = 100 * totals["found"] / max(totals["quotes"], 1)
    print(f"{'all':<14} {totals['found']:>3}/{totals['quotes']:<3} {fid:5.1f} %", end="")
    if args.fidelity:
        print()
    else:
        print(
            f"{'':>11} {totals['must']:>3}/{totals['must_of']:<2} "
            f"{totals['should']:>3}/{totals['should_of']:<3} "
            f"{totals['controls']:>4}/{totals['controls_of']:<3} {totals['findings']:>8}"
        )
    for line in details:
        print(line)
    return 0


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        sys.exit(main())
