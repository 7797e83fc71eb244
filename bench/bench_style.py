"""Words per second of `omniaudit lint` on the conformance suite's bench.md with the Microsoft style.

Run: .venv/bin/python bench/bench_style.py [--rounds 3]
Single process, one core: loads the style once, then lints bench.md `rounds` times and reports the best.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from omniaudit.style import lint_source, load_style

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bench", default=None, help="path of bench.md (default: found under shared/eval)")
    opts = parser.parse_args()
    bench = Path(opts.bench) if opts.bench else next(EVAL.rglob("bench.md"))
    text = bench.read_text(encoding="utf-8")
    words = len(re.findall(r"\S+", text))
    with tempfile.TemporaryDirectory() as tmp:
        ini = Path(tmp) / ".vale.ini"
        ini.write_text(f"StylesPath = {EVAL / 'vale-styles'}\nMinAlertLevel = suggestion\n\n"
                       "[*.md]\nBasedOnStyles = Microsoft\n", encoding="utf-8")
        started = time.perf_counter()
        style = load_style(ini)
        load_s = time.perf_counter() - started
        best = float("inf")
        alerts = 0
        for _ in range(opts.rounds):
            started = time.perf_counter()
            alerts = len(lint_source(style, text, "bench.md"))
            best = min(best, time.perf_counter() - started)
    print(f"{bench.name}: {words} words, {len(style.rules)} rules, {alerts} alerts; "
          f"style load {load_s:.2f} s; lint {best:.3f} s -> {words / best:,.0f} words/s")


if __name__ == "__main__":
    main()
