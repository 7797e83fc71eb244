"""Raw embedding throughput per engine, in sentences per second, with load time and peak memory.

    python bench/embed_throughput.py                        # every engine on the CPU, one process each
    python bench/embed_throughput.py --backends onnx-int8 use --batch-size 32 64 128
    python bench/embed_throughput.py --device cuda --sentences 50000 --batch-size 256 1024   # GPU figures
    python bench/embed_throughput.py --device cuda --backends torch --half   # fp16 weights (GPU)
    python bench/embed_throughput.py --decisions              # audit decisions per engine, vs torch

Engines (`model.backend`): torch (sentence-transformers, all-MiniLM-L6-v2), onnx-fp32 and onnx-int8 (the same
model on onnxruntime + tokenizers), use (USE multilingual v3 on its numpy runtime). Each runs in a fresh
process, so its peak RSS and its load time (imports included) are its own. Sentences are generated
deterministically (15-30 words, like the bench brands), so runs compare. The first 512 vectors of each engine
are compared with torch's: mean and minimum cosine (MiniLM engines only).

Prints a table, and one JSON line per engine and batch size with --json-lines.

--decisions audits the English bundled samples and the small bench brand (bench/make_brand.py) once per
engine in this process and compares each engine's decisions with torch's: key-message coverage cells
(covered or not, similarity), findings (by fingerprint), planted differences found (EXPECTED.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
for _path in (str(BENCH), str(BENCH.parent)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import _measure  # noqa: E402

BACKENDS = ("torch", "onnx-fp32", "onnx-int8", "use")
COMPARED = 512
WORDS = (
    "our team you can return any item within days delivery standard express store online app order "
    "receipt refund support available monday friday call us help centre jacket backpack price free "
    "repair warranty guide trail gear built last lifetime together further home essentials design"
).split()


def sentences(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 30))).capitalize() + "."
        for _ in range(count)
    ]


def _load(backend: str, device: str, half: bool) -> Any:
    from omniaudit.analyze.embed import OnnxEmbedder, load_embedder

    if backend.startswith("onnx-"):
        return OnnxEmbedder(device=device, precision=backend.removeprefix("onnx-"))
    embedder = load_embedder("default", device=device, backend=backend, languages=["en"])
    if half:
        embedder._model = embedder._model.half()  # type: ignore[attr-defined]
    return embedder


def child(backend: str, count: int, batch_sizes: list[int], device: str, half: bool, vectors: Path) -> None:
    """One engine in this process: load, warm up, time each batch size; JSON lines on stdout."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    embedder = _load(backend, device, half)
    load_s = time.perf_counter() - started
    texts = sentences(count)
    embedder.encode(texts[:256])  # warm-up: thread pools, allocator, kernels
    np.save(vectors, embedder.encode(texts[:COMPARED]))
    cuda = "torch" in sys.modules and sys.modules["torch"].cuda.is_available()
    for batch_size in batch_sizes:
        embedder.batch_size = batch_size
        if cuda:
            sys.modules["torch"].cuda.synchronize()
        begin = time.perf_counter()
        embedder.encode(texts)
        if cuda:
            sys.modules["torch"].cuda.synchronize()
        seconds = time.perf_counter() - begin
        print(json.dumps({
            "backend": backend,
            "device": getattr(embedder, "device", "cpu"),
            "fp16": half,
            "batch_size": batch_size,
            "sentences": len(texts),
            "seconds": round(seconds, 3),
            "sentences_per_s": round(len(texts) / seconds, 1),
            "load_s": round(load_s, 2),
            "peak_rss_mib": round(_measure.peak_rss_mib(), 1),
            "torch_imported": "torch" in sys.modules,
            "threads": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
        }), flush=True)


def decisions(engines: list[str]) -> None:
    """Audit decisions of each engine on the English samples and the small bench brand, against torch."""
    import make_brand
    from tests.expected import planted_differences, unmatched

    from omniaudit.app import run_audit
    from omniaudit.config import load_config
    from omniaudit.models import AuditResult

    root = BENCH.parent
    brands = [(p.parent.name, p, p.parent / "EXPECTED.md")
              for p in sorted((root / "samples").glob("*/omniaudit.yaml"))
              if load_config(p).brand.languages == ["en"]]
    scratch = Path(tempfile.mkdtemp(prefix="embed-decisions-"))
    brand = make_brand.generate("small", scratch / "small", seed=0, languages=("en",))
    rows = []
    with make_brand.serve_site(brand.site_dir) as url:
        # The config sits in the brand's folder: its channel paths are relative to it.
        bench_config = make_brand.write_config(brand, url, scratch / "small" / "omniaudit.bench.yaml")
        brands.append(("bench small", bench_config, brand.expected_md))
        for name, path, expected in brands:
            config = load_config(path)
            results: dict[str, tuple[AuditResult, float]] = {}
            for engine in ["torch", *[e for e in engines if e != "torch"]]:
                embedder = _load(engine, "cpu", False)
                started = time.perf_counter()
                results[engine] = (run_audit(config, embedder=embedder), time.perf_counter() - started)
            reference = results["torch"][0]
            planted = planted_differences(expected)
            ref_cells = {(c.message_id, c.channel_id): c for c in reference.coverage}
            ref_findings = {f.fingerprint for f in reference.findings}
            for engine, (result, seconds) in results.items():
                cells = {(c.message_id, c.channel_id): c for c in result.coverage}
                same = sum(cells[k].covered == ref_cells[k].covered for k in ref_cells if k in cells)
                delta = [abs(cells[k].similarity - ref_cells[k].similarity) for k in ref_cells if k in cells]
                mine = {f.fingerprint for f in result.findings}
                rows.append((name, engine, f"{len(planted) - len(unmatched(planted, result.findings))}/"
                             f"{len(planted)}", f"{same}/{len(ref_cells)}",
                             f"{max(delta, default=0.0):.3f}", len(result.findings),
                             len(mine & ref_findings), len(mine - ref_findings), len(ref_findings - mine),
                             f"{seconds:.1f}"))
    shutil.rmtree(scratch, ignore_errors=True)
    print(_measure.markdown_table(
        ("brand", "engine", "planted found", "coverage cells as torch", "max |Δ similarity|", "findings",
         "same as torch", "only here", "only torch", "audit s"), rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    parser.add_argument("--sentences", type=int, default=4000)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[64])
    parser.add_argument("--half", action="store_true", help="fp16 weights (torch on a GPU)")
    parser.add_argument("--json-lines", action="store_true", help="also print the raw JSON lines")
    parser.add_argument("--decisions", action="store_true",
                        help="compare the engines' audit decisions with torch's (samples + bench brand)")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--vectors", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sentences, args.batch_size, args.device, args.half, args.vectors)
        return
    if args.decisions:
        decisions(args.backends)
        return

    rows: list[dict[str, Any]] = []
    vectors: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for backend in args.backends:
            out = Path(scratch) / f"{backend}.npy"
            command = [sys.executable, __file__, "--child", backend, "--sentences", str(args.sentences),
                       "--device", args.device, "--vectors", str(out),
                       "--batch-size", *map(str, args.batch_size)]
            if args.half and backend == "torch":
                command.append("--half")
            done = subprocess.run(command, capture_output=True, text=True)
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode or not lines:
                print(f"{backend}: failed (exit {done.returncode}): {done.stderr.strip()[-500:]}",
                      file=sys.stderr)
                continue
            rows.extend(lines)
            vectors[backend] = np.load(out)
    reference = vectors.get("torch")
    table = []
    for row in rows:
        mine = vectors[row["backend"]]
        if reference is not None and mine.shape == reference.shape:
            cosines = np.sum(mine * reference, axis=1)
            row["cosine_to_torch"] = {"mean": round(float(cosines.mean()), 4),
                                      "min": round(float(cosines.min()), 4)}
        cosine = row.get("cosine_to_torch")
        table.append((row["backend"], row["device"], row["batch_size"], f"{row['sentences_per_s']:,.0f}",
                      f"{row['load_s']:.2f}", f"{row['peak_rss_mib']:.0f}",
                      "yes" if row["torch_imported"] else "no",
                      f"{cosine['mean']:.4f} / {cosine['min']:.4f}" if cosine else "-"))
        if args.json_lines:
            print(json.dumps(row))
    machine = _measure.machine()
    print(f"{args.sentences} generated sentences, {machine['cpu']}, {machine['cores']} cores, "
          f"load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(_measure.markdown_table(
        ("engine", "device", "batch", "sentences/s", "load s", "peak RSS MiB", "torch imported",
         "cosine to torch (mean / min)"), table))


if __name__ == "__main__":
    main()
