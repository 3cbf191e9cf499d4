"""Print the events (and stories) evaluation table: our default vs baselines, B³ and ARI.

    python benchmarks/events_eval.py                 # every registered dataset
    python benchmarks/events_eval.py ecbplus seeds   # some of them
    python benchmarks/events_eval.py --no-baselines

Reads ../shared/data (or $STORYLINE_SHARED/data); caches embeddings under
$STORYLINE_CACHE (default /tmp/storyline-cache).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main(argv: list[str]) -> None:
    from storyline.evaluate.events_eval import EvalContext, format_table, run_evaluations

    baselines = "--no-baselines" not in argv
    datasets = [a for a in argv if not a.startswith("--")] or None
    start = time.perf_counter()
    rows = run_evaluations(datasets, EvalContext(baselines=baselines))
    print(f"command: python benchmarks/events_eval.py {' '.join(argv)}".rstrip())
    print(f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, wall {time.perf_counter() - start:.0f} s")
    print(format_table(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
