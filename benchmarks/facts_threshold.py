"""The fact-matching threshold, re-fitted per encoder on hand-labelled sentence pairs of two corpora.

Two sentences of different outlets in one event report one fact when their
score (cosine + 0.3 Jaccard of content words + 0.15 for a shared value,
see ``understand/facts.py``) reaches the threshold and each is the other's
best match in its article. 0.75 was chosen on the seeds with MiniLM; the
CPU default encoder is now the static model distilled from it, whose
cosines run differently. Procedure (``tests/understand/FACTS_LABELLING.md``):

1. ``sample``: in a built store, every event with >= 2 outlets; each
   sentence's best match in each other article (the only pairs linking can
   ever use); the pairs scored with both encoders; a sample stratified by
   score (both encoders' ranges covered) is written without labels.
2. The pairs are labelled by hand from the two sentences alone (1 = they
   state the same fact, 0 = not), before any threshold is looked at.
3. ``fit``: for each encoder, the threshold that maximises F1 on one
   corpus is scored on the other (and the reverse); the default is the
   threshold maximising the mean F1 of the two corpora.
4. ``rescore``: after a change to the score (values, day words), the labelled
   pairs are scored again in the stores they came from, labels untouched.
5. ``count``: facts, single-outlet share and facts several outlets share
   in a built store at a given threshold (realigned in memory).

Usage::

    python benchmarks/facts_threshold.py sample --db gva.db --corpus gva --n 90 --out pairs-gva.jsonl
    python benchmarks/facts_threshold.py fit --pairs tests/understand/facts_pairs.jsonl
    python benchmarks/facts_threshold.py count --db gva.db --model minilm-static [--threshold 0.75]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
ENCODERS = ("minilm-static", "all-MiniLM-L6-v2")
GRID = [round(0.40 + 0.01 * i, 2) for i in range(91)]         # 0.40 .. 1.30


def event_groups(db: Any, max_events: int | None = None) -> Iterator[tuple[str, list[Any]]]:
    """(event id, candidate sentences) of the events with two or more outlets, as the facts stage reads them."""
    from storyline.understand.facts import FactAligner
    from storyline.understand.stage import event_articles, events_sentences

    aligner = FactAligner()
    events = {e: arts for e, arts in event_articles(db).items()
              if len({a.get("outlet") or a["id"] for a in arts}) >= 2}
    ids = sorted(events)[:max_events]
    for i in range(0, len(ids), 64):
        chunk = ids[i:i + 64]
        for eid, sents in zip(chunk, events_sentences(db, [events[e] for e in chunk]), strict=True):
            cands = aligner.candidates(sents)
            if len({s.outlet for s in cands}) >= 2:
                yield eid, cands


def best_pairs(sents: list[Any], scores: np.ndarray) -> set[tuple[int, int]]:
    """Each sentence's best match in each other article of another outlet (i < j)."""
    out = set()
    articles = sorted({s.article_id for s in sents})
    members = {a: [i for i, s in enumerate(sents) if s.article_id == a] for a in articles}
    for i, s in enumerate(sents):
        for a in articles:
            if a == s.article_id or sents[members[a][0]].outlet == s.outlet:
                continue
            j = members[a][int(np.argmax(scores[i, members[a]]))]
            out.add((min(i, j), max(i, j)))
    return out


def sample(args: argparse.Namespace) -> int:
    import storyline
    from storyline.represent import get_encoder
    from storyline.understand.facts import FactAligner

    sl = storyline.open(args.db, readonly=True)
    aligner = FactAligner()
    encoders = {m: get_encoder(m) for m in ENCODERS}
    pool = []
    for eid, sents in event_groups(sl.db, args.max_events):
        texts = [s.text for s in sents]
        scored = {m: aligner.score_matrix(sents, enc.encode(texts))[0] for m, enc in encoders.items()}
        pairs = set().union(*(best_pairs(sents, sc) for sc in scored.values()))
        for i, j in sorted(pairs):
            pool.append({"corpus": args.corpus, "event": eid, "a": sents[i].text, "b": sents[j].text,
                         "outlets": [sents[i].outlet, sents[j].outlet],
                         "scores": {m: round(float(sc[i, j]), 4) for m, sc in scored.items()}})
    rng = random.Random(args.seed)
    rng.shuffle(pool)
    # stratified by the static score: equal numbers from each 0.1-wide bin between 0.4 and 1.2
    bins: dict[int, list[dict[str, Any]]] = {}
    for p in pool:
        s = p["scores"][ENCODERS[0]]
        if 0.4 <= s < 1.2:
            bins.setdefault(int((s - 0.4) * 10), []).append(p)
    per_bin = max(1, args.n // max(len(bins), 1))
    chosen = [p for b in sorted(bins) for p in bins[b][:per_bin]]
    with open(args.out, "w", encoding="utf-8") as fh:
        for p in chosen:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(pool)} candidate pairs in {args.corpus}; wrote {len(chosen)} ({per_bin} per score bin) to {args.out}")
    return 0


def rescore(args: argparse.Namespace) -> int:
    """Score the labelled pairs of one corpus again with the current code (labels kept): each sentence is
    found among its event's candidate sentences in a store built from that corpus, dates included."""
    import storyline
    from storyline.represent import get_encoder
    from storyline.understand.facts import FactAligner

    path = Path(args.pairs)
    pairs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    mine = [p for p in pairs if p["corpus"] == args.corpus]
    sl = storyline.open(args.db, readonly=True)
    groups = dict(event_groups(sl.db))
    aligner = FactAligner()
    encoders = {m: get_encoder(m) for m in ENCODERS}
    found = 0
    for p in mine:
        sents = groups.get(p["event"], [])
        a = next((s for s in sents if s.text == p["a"] and s.outlet == p["outlets"][0]), None)
        b = next((s for s in sents if s.text == p["b"] and s.outlet == p["outlets"][1]), None)
        if a is None or b is None:
            continue
        for m, enc in encoders.items():
            p["scores"][m] = round(float(aligner.score_matrix([a, b], enc.encode([a.text, b.text]))[0][0, 1]), 4)
        found += 1
    with path.open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"rescored {found}/{len(mine)} {args.corpus} pairs in {path}")
    return 0


def f1_at(pairs: list[dict[str, Any]], model: str, threshold: float) -> tuple[float, float, float]:
    """(precision, recall, F1) of "same fact" = score >= threshold against the labels."""
    tp = sum(1 for p in pairs if p["label"] and p["scores"][model] >= threshold)
    fp = sum(1 for p in pairs if not p["label"] and p["scores"][model] >= threshold)
    fn = sum(1 for p in pairs if p["label"] and p["scores"][model] < threshold)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def best_threshold(pairs: list[dict[str, Any]], model: str) -> float:
    """The grid threshold with the highest F1 (the lowest such on a tie: more facts shared)."""
    return max(GRID, key=lambda t: (round(f1_at(pairs, model, t)[2], 6), -t))


def fit(args: argparse.Namespace) -> int:
    pairs = [json.loads(line) for line in open(args.pairs, encoding="utf-8") if line.strip()]
    corpora = sorted({p["corpus"] for p in pairs})
    print(f"{len(pairs)} labelled pairs: " + ", ".join(
        f"{c} {sum(1 for p in pairs if p['corpus'] == c)} ({sum(p['label'] for p in pairs if p['corpus'] == c)} same)"
        for c in corpora))
    for model in ENCODERS:
        print(f"\n{model}")
        for c in corpora:
            train = [p for p in pairs if p["corpus"] != c]
            test = [p for p in pairs if p["corpus"] == c]
            t = best_threshold(train, model)
            p, r, f = f1_at(test, model, t)
            p0, r0, f0 = f1_at(test, model, 0.75)
            print(f"  fit on {'+'.join(sorted({q['corpus'] for q in train}))}: t={t:.2f}; on {c}: "
                  f"P {p:.3f} R {r:.3f} F1 {f:.3f}   (0.75: P {p0:.3f} R {r0:.3f} F1 {f0:.3f})")
        mean = max(GRID, key=lambda t: (round(float(np.mean([f1_at([p for p in pairs if p["corpus"] == c], model, t)[2]
                                                             for c in corpora])), 6), -t))
        scores = [f1_at([p for p in pairs if p["corpus"] == c], model, mean) for c in corpora]
        print(f"  threshold maximising the mean F1 of {', '.join(corpora)}: {mean:.2f} "
              + "; ".join(f"{c} P {s[0]:.3f} R {s[1]:.3f} F1 {s[2]:.3f}" for c, s in zip(corpora, scores, strict=True)))
    return 0


def count(args: argparse.Namespace) -> int:
    import storyline
    from storyline.represent import get_encoder
    from storyline.understand.facts import FactAligner
    from storyline.understand.stage import event_articles, events_sentences

    sl = storyline.open(args.db, readonly=True)
    aligner = FactAligner(threshold=args.threshold, match_days=not args.no_day_rule)
    aligner.model = args.model
    encoder = get_encoder(args.model)
    events = {e: arts for e, arts in event_articles(sl.db).items() if len(arts) >= 2}
    total = single = 0
    ids = sorted(events)
    for i in range(0, len(ids), 64):
        chunk = ids[i:i + 64]
        for eid, sents in zip(chunk, events_sentences(sl.db, [events[e] for e in chunk]), strict=True):
            cands = aligner.candidates(sents)
            if not cands:
                continue
            facts = aligner.align(eid, cands, encoder.encode([s.text for s in cands]))
            total += len(facts)
            single += sum(f.single_outlet for f in facts)
    print(f"{args.db} {args.model} t={aligner.link_threshold()}{' no day rule' if args.no_day_rule else ''}: "
          f"{len(events)} events, {total} facts, "
          f"{total - single} reported by 2+ outlets, single-outlet share {single / max(total, 1):.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--db", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--n", type=int, default=80)
    p.add_argument("--max-events", type=int, default=None)
    p.add_argument("--seed", type=int, default=10)
    p.add_argument("--out", required=True)
    p = sub.add_parser("fit")
    p.add_argument("--pairs", default=str(ROOT / "tests" / "understand" / "facts_pairs.jsonl"))
    p = sub.add_parser("rescore")
    p.add_argument("--db", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--pairs", default=str(ROOT / "tests" / "understand" / "facts_pairs.jsonl"))
    p = sub.add_parser("count")
    p.add_argument("--db", required=True)
    p.add_argument("--model", default="minilm-static")
    p.add_argument("--threshold", type=float, default=None, help="default: the one fitted for --model")
    p.add_argument("--no-day-rule", action="store_true", help="link sentences whatever their day words")
    args = parser.parse_args(argv)
    return {"sample": sample, "fit": fit, "count": count, "rescore": rescore}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())
