"""Incremental vs one build on a messy corpus: stories and events B³ when articles arrive in date order.

The corpus's records are sorted by date (undated last) and cut into K
contiguous slices; one database ingests and builds slice by slice, another
ingests everything and builds once. Both are scored against the gold.

    python benchmarks/stories_incremental.py [newsdev] [--slices 3]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import storyline
from storyline.api import Storyline
from storyline.evaluate.datasets import real_corpus
from storyline.evaluate.metrics import b_cubed


def scores(sl: Storyline, gold: dict) -> tuple[float, float]:
    """Stories and events B³-F1 of a database against the gold."""
    rows = {r["id"]: r for r in sl.db.query("SELECT id, event_id, story_id FROM articles")}
    kept = [a for a in gold if a in rows]
    stories = b_cubed({a: rows[a]["story_id"] for a in kept}, {a: gold[a].story for a in kept}).f1
    events = b_cubed({a: rows[a]["event_id"] for a in kept}, {a: gold[a].event for a in kept}).f1
    return stories, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="newsdev")
    parser.add_argument("--slices", type=int, default=3)
    args = parser.parse_args(argv)
    path, gold = real_corpus(args.corpus)
    lines = sorted(path.read_text().splitlines(), key=lambda line: json.loads(line).get("date") or "9999")
    with tempfile.TemporaryDirectory() as tmp:
        one = storyline.open(Path(tmp) / "one.db")
        one.ingest([str(path)])
        one.build(only=["dedupe", "events", "stories"])
        print("one build:       stories B3-F1 {:.3f}, events {:.3f}".format(*scores(one, gold)))
        one.close()
        inc = storyline.open(Path(tmp) / "inc.db")
        for i in range(args.slices):
            part = Path(tmp) / f"slice{i}.jsonl"
            part.write_text("\n".join(lines[i * len(lines) // args.slices:(i + 1) * len(lines) // args.slices]) + "\n")
            inc.ingest([str(part)])
            inc.build(only=["dedupe", "events", "stories"])
        print(f"{args.slices} date slices: stories B3-F1 %.3f, events %.3f" % scores(inc, gold))
        inc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
