"""Incremental = batch: ECB+ with synthetic dates, one build vs 5 time-ordered slices with a build after each.

    python benchmarks/events_incremental.py [N_TOPICS] [--no-embeddings]

ECB+ has no dates: each gold event gets a random day in 120 days and its
articles 0-2 days after it (seeded), the same recipe as tests/events.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "events"))
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> None:
    import storyline
    from events_helpers import dated_ecbplus, write_jsonl
    from storyline.config import Settings
    from storyline.evaluate.metrics import b_cubed

    topics = int(next((a for a in argv if a.isdigit()), "43"))
    embeddings = "--no-embeddings" not in argv
    records = dated_ecbplus(topics)
    gold = {r["id"]: r["label"] for r in records}
    settings = Settings({"events": {"use_embeddings": embeddings}})
    tmp = Path(tempfile.mkdtemp())
    whole = storyline.open(tmp / "whole.db", settings)
    whole.ingest([str(write_jsonl(records, tmp / "all.jsonl"))])
    whole.build(only=["dedupe", "events"])
    batch = {r["id"]: r["event_id"] for r in whole.articles()}
    sliced = storyline.open(tmp / "sliced.db", settings)
    n = len(records)
    for k in range(5):
        sliced.ingest([str(write_jsonl(records[k * n // 5:(k + 1) * n // 5], tmp / f"s{k}.jsonl"))])
        sliced.build(only=["dedupe", "events"])
    slices = {r["id"]: r["event_id"] for r in sliced.articles()}
    print(f"command: python benchmarks/events_incremental.py {' '.join(argv)}".rstrip())
    print(f"{n} articles, {topics} topics, embeddings {'on' if embeddings else 'off'}: "
          f"one build B3-F1 {b_cubed(batch, gold).f1:.3f}, 5 slices B3-F1 {b_cubed(slices, gold).f1:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
