"""Print the story table alone: NSC, WikiRef220, the seeds, newsdev and t17, ours vs the baselines.

    python benchmarks/stories_eval.py                    # all five (t17 builds 2,734 articles: long)
    python benchmarks/stories_eval.py newsdev            # one corpus, with its TF-IDF oracle and BERTopic
    python benchmarks/stories_eval.py wikiref220 --no-baselines
    python benchmarks/stories_eval.py --sweep 0.10,0.14,0.18   # story threshold sweep (tuning record)

Each corpus goes through the real pipeline (ingest + dedupe → events →
stories) in a temporary DB. The same rows are part of ``storyline eval`` /
``benchmarks/events_eval.py``. NSC rows are pairwise P/R/F1 (the table's
header says B³: the note column says which).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DATASETS = ("news_story_chains", "wikiref220", "seeds", "newsdev", "t17")


def story_rows(datasets: list[str], baselines: bool) -> list:
    """The rows of the story evaluations (and the events rows they carry) for ``datasets``."""
    from storyline.evaluate import stories_eval
    from storyline.evaluate.events_eval import EvalContext

    ctx = EvalContext(baselines=baselines)
    functions = {"news_story_chains": stories_eval.eval_nsc, "wikiref220": stories_eval.eval_wikiref,
                 "seeds": stories_eval.eval_seed_stories, "newsdev": stories_eval.eval_newsdev_stories,
                 "t17": stories_eval.eval_t17_stories}
    rows = []
    for name in datasets:
        rows.extend(functions[name](ctx))
    return rows


def sweep(thresholds: list[float], datasets: list[str]) -> None:
    """Re-run the story evaluations with other thresholds (through $STORYLINE_CONFIG)."""
    import tempfile

    for threshold in thresholds:
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as handle:
            handle.write(f"[stories]\nthreshold = {threshold}\n")
        os.environ["STORYLINE_CONFIG"] = handle.name
        rows = [r for r in story_rows(datasets, False) if r.task == "stories"]
        print(f"threshold {threshold}: " + ", ".join(f"{r.dataset} F1={r.f1:.3f}" for r in rows), flush=True)
        os.unlink(handle.name)
    os.environ.pop("STORYLINE_CONFIG", None)


def main(argv: list[str]) -> None:
    from storyline.evaluate.events_eval import format_table

    datasets = [a for a in argv if not a.startswith("--") and a in DATASETS] or list(DATASETS)
    if "--sweep" in argv:
        sweep([float(x) for x in argv[argv.index("--sweep") + 1].split(",")], datasets)
        return
    start = time.perf_counter()
    rows = story_rows(datasets, "--no-baselines" not in argv)
    print(f"command: python benchmarks/stories_eval.py {' '.join(argv)}".rstrip())
    print(f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, wall {time.perf_counter() - start:.0f} s")
    print(format_table(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
