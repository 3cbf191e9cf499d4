"""Choose the stories stage's settings by leave-one-corpus-out, on events the event stage builds.

Each corpus (News Story Chains, newsdev, WikiRef220, Timeline17, gva,
and the seeds as a check) is ingested and built through dedupe and events once,
with the default configuration, into ``--work`` (kept, so a second run
re-uses it). Then, for every configuration of the grid, the stories stage
alone is re-run on a copy and scored against the gold (pairwise F1 on
News Story Chains, B³ elsewhere). Printed: the grid, then for each corpus
held out the configuration with the best mean on the others and its
held-out score. The default in :class:`storyline.stories.StoryLinker` is
the configuration with the best mean over all of them.

    python benchmarks/stories_cv.py [--work /tmp/stories_cv]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import time
from pathlib import Path

import storyline
from storyline.evaluate import stories_eval as se
from storyline.evaluate.datasets import load_seed_paths, real_corpus
from storyline.evaluate.metrics import PRF, b_cubed, pairwise
from storyline.stories import stage as stories_stage

CORPORA = ("nsc", "newsdev", "wikiref", "t17", "gva")
TERM_CACHES: dict[str, stories_stage.TermCache] = {}
GRID = {"join": (0.15, 0.175, 0.2), "closeness": (0.55, 0.6, 0.65), "prior": (0.2,), "lift": (1.25, 1.5, 2.0)}


def corpus(name: str, work: Path) -> tuple[list[str], dict]:
    """Input paths and gold of one corpus (NSC is written out as JSONL first)."""
    if name in ("newsdev", "t17", "gva"):
        path, gold = real_corpus(name)
        return [str(path)], {k: g.story for k, g in gold.items()}
    if name == "nsc":
        articles, gold_urls = se.load_nsc()
        ids = se.nsc_ids(articles)
        out = work / "nsc.jsonl"
        with out.open("w") as f:
            for article, i in zip(articles, ids, strict=True):
                f.write(json.dumps({"id": i, **article}) + "\n")
        by_url = {a["url"]: i for a, i in zip(articles, ids, strict=True)}
        return [str(out)], {"pairs": [sorted(by_url[u] for u in pair) for pair in gold_urls], "ids": ids}
    if name == "wikiref":
        files = se.wiki_files()
        return [str(f) for f in files], {f.stem: se.wiki_label(f) for f in files}
    pairs = load_seed_paths()
    return [str(p) for p, _ in pairs], {p.stem: "seeds" for p, _ in pairs}


def built_events(name: str, work: Path) -> tuple[Path, dict]:
    """The corpus built through events once (kept in ``work``), and its gold."""
    db, gold_file = work / f"{name}.db", work / f"{name}.gold.json"
    if not db.exists() or not gold_file.exists():
        paths, gold = corpus(name, work)
        started = time.time()
        sl = storyline.open(work / f"{name}.tmp.db")
        sl.ingest(paths)
        sl.build(only=["dedupe", "events"])
        sl.close()
        (work / f"{name}.tmp.db").rename(db)
        gold_file.write_text(json.dumps(gold))
        print(f"# {name}: dedupe + events built in {time.time() - started:.0f} s", flush=True)
    return db, json.loads(gold_file.read_text())


def score_stories(name: str, db: Path, gold: dict, config: dict[str, float], work: Path) -> PRF:
    """Re-run the stories stage alone with ``config`` on a copy of the built DB and score it."""
    copy, cfg = work / f"{name}.run{os.getpid()}.db", work / f"run{os.getpid()}.toml"
    shutil.copy(db, copy)
    cfg.write_text("[stories]\n" + "".join(f"{k} = {v}\n" for k, v in config.items()))
    os.environ["STORYLINE_CONFIG"] = str(cfg)
    # The stage's term features depend only on the articles, so one corpus's cache serves every grid point.
    cache = TERM_CACHES.setdefault(name, stories_stage.TermCache())
    original = stories_stage.TermCache
    stories_stage.TermCache = lambda: cache  # type: ignore[assignment,misc,return-value]
    try:
        sl = storyline.open(copy)
        sl.build(only=["stories"])
        pred = {r["id"]: r["story_id"] for r in sl.db.query("SELECT id, story_id FROM articles")}
        sl.close()
    finally:
        stories_stage.TermCache = original  # type: ignore[misc]
        del os.environ["STORYLINE_CONFIG"]
        copy.unlink()
    if name == "nsc":
        return pairwise(pred, {frozenset(p) for p in gold["pairs"]}, gold["ids"])
    kept = {k: v for k, v in gold.items() if k in pred}
    return b_cubed({k: pred[k] for k in kept}, kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/stories_cv"))
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    dbs = {name: built_events(name, args.work) for name in CORPORA + ("seeds",)}
    configs = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    scores: dict[tuple[float, ...], dict[str, float]] = {}
    print("| " + " | ".join(GRID) + " | " + " | ".join(CORPORA) + " | mean | seeds |")
    print("|---" * (len(GRID) + len(CORPORA) + 2) + "|")
    for config in configs:
        row = {name: score_stories(name, *dbs[name], config, args.work).f1 for name in CORPORA + ("seeds",)}
        key = tuple(config.values())
        scores[key] = row
        mean = sum(row[n] for n in CORPORA) / len(CORPORA)
        print(f"| {' | '.join(str(v) for v in key)} | " + " | ".join(f"{row[n]:.3f}" for n in CORPORA)
              + f" | {mean:.3f} | {row['seeds']:.3f} |", flush=True)
    print("\nleave one corpus out (pick on the mean of the others):")
    for held in CORPORA:
        others = [n for n in CORPORA if n != held]
        best = max(scores, key=lambda k: sum(scores[k][n] for n in others))     # ties: the first in grid order
        print(f"  held out {held:8s} -> {'/'.join(GRID)} {best}: {scores[best][held]:.3f}")
    overall = max(scores, key=lambda k: sum(scores[k][n] for n in CORPORA))
    print(f"best mean over all {len(CORPORA)}: {overall}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
