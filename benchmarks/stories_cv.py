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

    python benchmarks/stories_cv.py [--work /tmp/stories_cv] [--grid name_weight=1,2] [--shard 1/2]
        [--gen bench-output/n10000]

``--grid KEY=V1,V2`` replaces one axis of the grid (any ``[stories]`` key).
Every scored point is appended to ``--work``/results.jsonl and skipped when
met again, so an interrupted grid resumes and ``--shard K/N`` (points K, K+N,
... of the grid) splits one grid over processes; the table and the
leave-one-corpus-out picks are printed from every point the grid holds.
``--gen`` adds a generated corpus (a ``benchmarks/run.py`` output folder
built through events: its ``storyline-local.db`` and ``gold.jsonl``) as a
column of its own, outside the mean: one generator's template stories
must not choose the settings for real coverage.
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
GRID: dict[str, tuple[float, ...]] = {"join": (0.15, 0.175, 0.2), "closeness": (0.55, 0.6, 0.65), "prior": (0.2,),
                                      "lift": (1.25, 1.5, 2.0), "name_weight": (1.0,)}


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
    if name == "gen":
        return b_cubed({k: pred[k] for k in gold if pred.get(k)}, {k: v for k, v in gold.items() if pred.get(k)})
    if name == "nsc":
        return pairwise(pred, {frozenset(p) for p in gold["pairs"]}, gold["ids"])
    kept = {k: v for k, v in gold.items() if k in pred}
    return b_cubed({k: pred[k] for k in kept}, kept)


def generated_events(folder: Path, work: Path) -> tuple[Path, dict]:
    """A generated corpus already built through events: its DB with the stories cleared, and its gold."""
    db, gold_file = work / "gen.db", work / "gen.gold.json"
    if not db.exists() or not gold_file.exists():
        shutil.copy(folder / "storyline-local.db", work / "gen.tmp.db")
        sl = storyline.open(work / "gen.tmp.db")
        with sl.db.transaction() as conn:
            for table in ("stories", "story_profiles", "story_terms", "story_model"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE articles SET story_id = NULL")
            conn.execute("UPDATE events SET story_id = NULL")
            conn.execute("DELETE FROM state WHERE key LIKE 'stories%'")
        sl.close()
        (work / "gen.tmp.db").rename(db)
        gold = {}
        for line in (folder / "gold.jsonl").open():
            record = json.loads(line)
            gold[record["id"]] = record["story"]
        gold_file.write_text(json.dumps(gold))
    return db, json.loads(gold_file.read_text())


def parse_grid(items: list[str]) -> dict[str, tuple[float, ...]]:
    """The default grid with the axes given as ``KEY=V1,V2`` replaced (or added)."""
    grid = dict(GRID)
    for item in items:
        key, _, values = item.partition("=")
        grid[key.strip()] = tuple(float(v) for v in values.split(","))
    return grid


def load_results(path: Path) -> dict[tuple[tuple[str, float], ...], dict[str, float]]:
    """Every point scored so far (by its full configuration)."""
    found: dict[tuple[tuple[str, float], ...], dict[str, float]] = {}
    if path.exists():
        for line in path.open():
            record = json.loads(line)
            record["config"].setdefault("tail_articles", 0.0)     # scored before that axis existed: no tail pass
            found[tuple(sorted(record["config"].items()))] = record["scores"]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/stories_cv"))
    parser.add_argument("--grid", action="append", default=[], help="KEY=V1,V2: one axis of the grid")
    parser.add_argument("--shard", default="1/1", help="K/N: score points K, K+N, ... of the grid")
    parser.add_argument("--gen", type=Path, default=None, help="a benchmarks/run.py output folder built through events")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    grid = parse_grid(args.grid)
    shard, shards = (int(x) for x in args.shard.split("/"))
    dbs = {name: built_events(name, args.work) for name in CORPORA + ("seeds",)}
    if args.gen is not None:
        dbs["gen"] = generated_events(args.gen, args.work)
    configs = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    results_path = args.work / "results.jsonl"
    done = load_results(results_path)
    for i, config in enumerate(configs):
        key = tuple(sorted(config.items()))
        if i % shards != shard - 1 or (key in done and all(n in done[key] for n in dbs)):
            continue
        row = {name: score_stories(name, *dbs[name], config, args.work).f1 for name in dbs}
        with results_path.open("a") as f:
            f.write(json.dumps({"config": config, "scores": row}) + "\n")
        print(f"# {config}: " + " ".join(f"{n} {v:.3f}" for n, v in row.items()), flush=True)
    report(grid, configs, load_results(results_path), extra=[n for n in ("seeds", "gen") if n in dbs])
    return 0


def report(grid: dict[str, tuple[float, ...]], configs: list[dict[str, float]],
           results: dict[tuple[tuple[str, float], ...], dict[str, float]], extra: list[str]) -> None:
    """The grid as a table, the leave-one-corpus-out picks and the best mean over every corpus."""
    scores = {tuple(c.values()): results[tuple(sorted(c.items()))] for c in configs
              if tuple(sorted(c.items())) in results}
    print("| " + " | ".join(grid) + " | " + " | ".join(CORPORA) + " | mean | " + " | ".join(extra) + " |")
    print("|---" * (len(grid) + len(CORPORA) + 1 + len(extra)) + "|")
    for key, row in scores.items():
        mean = sum(row[n] for n in CORPORA) / len(CORPORA)
        print(f"| {' | '.join(str(v) for v in key)} | " + " | ".join(f"{row[n]:.3f}" for n in CORPORA)
              + f" | {mean:.3f} | " + " | ".join(f"{row.get(n, float('nan')):.3f}" for n in extra) + " |")
    if not scores:
        return
    print("\nleave one corpus out (pick on the mean of the others):")
    held_scores = []
    for held in CORPORA:
        others = [n for n in CORPORA if n != held]
        best = max(scores, key=lambda k: sum(scores[k][n] for n in others))     # ties: the first in grid order
        held_scores.append(scores[best][held])
        print(f"  held out {held:8s} -> {'/'.join(grid)} {best}: {scores[best][held]:.3f}")
    print(f"held-out mean: {sum(held_scores) / len(held_scores):.3f}")
    overall = max(scores, key=lambda k: sum(scores[k][n] for n in CORPORA))
    print(f"best mean over all {len(CORPORA)}: {overall}")


if __name__ == "__main__":
    sys.exit(main())
