"""Why articles miss their gold event: a breakdown of the real events stage's recall losses.

    python benchmarks/events_errors.py gva                      # the CPU default
    python benchmarks/events_errors.py newsdev --params '{"threshold": 0.38}'

Runs the real events stage on the store ``events_cv.py`` prepares (ingested and
deduplicated once, cached), recording for every article the score parts of
each candidate event (``_Chunk.best`` is wrapped, read-only). Each article that
had an earlier member of its gold event but did not join that member's event
is counted under one cause:

* ``beyond the window``: the event's last member is more than ``window_days``
  before the article (never a candidate, by design);
* ``not a candidate``: inside the window but not retrieved (no shared top terms);
* ``below threshold``: a candidate whose score stayed under ``threshold``;
* ``time penalty decided``: a candidate above ``threshold`` before the time
  penalty, below it after;
* ``joined another event``: a candidate, but another event scored higher.

Then the B³ an oracle would reach by joining, within each gold event, the pieces
that start at most N days from its largest piece: how much each time gap costs.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import events_cv  # noqa: E402

Trace = dict[str, dict[str, tuple[float, float, float]]]      # article → event → (mean, top, time penalty)


def traced_stage(name: str, params: dict[str, Any]) -> tuple[dict[str, str], dict[str, str], Trace]:
    """The real events stage on ``name``'s prepared store, with every candidate's score parts recorded."""
    import storyline.events.clusterer as clusterer

    trace: Trace = {}
    original_best = clusterer._Chunk.best
    original_similarity = clusterer._Chunk._similarity

    def similarity(self: Any, ids: list[str], idf: Any) -> np.ndarray:
        self.traced_ids = ids
        out: np.ndarray = original_similarity(self, ids, idf)
        return out

    def best(self: Any, k: int) -> tuple[str | None, float]:
        trace[self.traced_ids[self.n_old + k]] = _score_parts(self, k)
        result: tuple[str | None, float] = original_best(self, k)
        return result

    clusterer._Chunk._similarity = similarity  # type: ignore[method-assign]  # read-only wrap
    clusterer._Chunk.best = best  # type: ignore[method-assign]
    try:
        if name.startswith("gen"):
            db_path, gold = events_cv.prepared_generated(int(name[3:].replace("k", "000")))
        else:
            db_path, gold = events_cv.prepared_db(name, None)
        found = events_cv.events_stage(db_path, None, params)
    finally:
        clusterer._Chunk._similarity = original_similarity  # type: ignore[method-assign]
        clusterer._Chunk.best = original_best  # type: ignore[method-assign]
    return found, {k: v for k, v in gold.items() if k in found}, trace


def _score_parts(chunk: Any, k: int) -> dict[str, tuple[float, float, float]]:
    """Average link, best link and time penalty of every event the chunk has placed so far."""
    seen = np.nonzero(chunk.event_of >= 0)[0]
    if seen.size == 0:
        return {}
    sims, evs, n = chunk.sim[k, seen], chunk.event_of[seen], len(chunk.events)
    counts = np.bincount(evs, minlength=n)
    mean = np.bincount(evs, weights=sims, minlength=n) / np.maximum(counts, 1)
    top = np.full(n, -np.inf)
    np.maximum.at(top, evs, sims)
    penalty = chunk._time_penalty(chunk.n_old + k)
    return {chunk.events[e]: (float(mean[e]), float(top[e]), float(penalty[e])) for e in range(n) if counts[e]}


def article_dates(name: str) -> dict[str, dt.date | None]:
    """Publication dates as stored (ECB+ has none)."""
    import sqlite3

    if name == "ecbplus":
        return collections.defaultdict(lambda: None)
    db_path = (events_cv.prepared_generated(int(name[3:].replace("k", "000")))[0] if name.startswith("gen")
               else events_cv.prepared_db(name, None)[0])
    with sqlite3.connect(db_path) as con:
        return {r[0]: dt.date.fromisoformat(r[1][:10]) if r[1] else None
                for r in con.execute("SELECT id, date FROM articles")}


def causes(found: dict[str, str], gold: dict[str, str], trace: Trace, dates: dict[str, dt.date | None],
           threshold: float, link: float, window: int) -> collections.Counter[str]:
    """Per article with an earlier member of its gold event: joined one's event, or why not (module doc)."""
    out: collections.Counter[str] = collections.Counter()
    members: dict[str, list[str]] = collections.defaultdict(list)
    for article in [a for a in trace if a in gold]:        # the stage's processing order
        earlier = collections.Counter(e for e, ms in members.items() for m in ms if gold[m] == gold[article])
        if found[article] in earlier:
            out["joined its event"] += 1
        elif earlier:
            right = earlier.most_common(1)[0][0]
            out[_cause(article, right, found, trace, dates, members, threshold, link, window)] += 1
        members[found[article]].append(article)
    return out


def _cause(article: str, right: str, found: dict[str, str], trace: Trace, dates: dict[str, dt.date | None],
           members: dict[str, list[str]], threshold: float, link: float, window: int) -> str:
    parts = trace[article].get(right)
    if parts is None:
        last = max((d for d in (dates[m] for m in members[right]) if d), default=None)
        mine = dates[article]
        beyond = last is not None and mine is not None and (mine - last).days > window
        return "beyond the window" if beyond else "not a candidate"
    mean, top, penalty = parts
    raw = (1.0 - link) * mean + link * top
    if found[article] in trace[article]:
        return "joined another event"
    return "time penalty decided" if raw >= threshold > raw - penalty else "below threshold"


def oracle_by_gap(found: dict[str, str], gold: dict[str, str], dates: dict[str, dt.date | None],
                  gaps: tuple[int, ...] = (0, 1, 3, 7, 30, 10**6)) -> list[tuple[int, float, float, float]]:
    """B³ when each gold event's pure pieces within ``gap`` days of its largest piece are joined to it."""
    from storyline.evaluate.metrics import b_cubed

    by_gold: dict[str, list[str]] = collections.defaultdict(list)
    for article, label in gold.items():
        by_gold[label].append(article)
    rows = []
    for gap in gaps:
        joined = dict(found)
        for articles in by_gold.values():
            _join_pieces(joined, found, gold, articles, dates, gap)
        prf = b_cubed({k: joined[k] for k in gold}, gold)
        rows.append((gap, prf.precision, prf.recall, prf.f1))
    return rows


def _join_pieces(joined: dict[str, str], found: dict[str, str], gold: dict[str, str], articles: list[str],
                 dates: dict[str, dt.date | None], gap: int) -> None:
    pieces: dict[str, list[str]] = collections.defaultdict(list)
    for article in articles:
        pieces[found[article]].append(article)
    if len(pieces) < 2:
        return
    main = max(pieces, key=lambda p: (len(pieces[p]), p))
    def span(ms: list[str]) -> list[dt.date]:
        return [d for d in (dates[m] for m in ms) if d]

    main_days = span(pieces[main])
    for piece, ms in pieces.items():
        days = span(ms)
        if piece == main or not days or not main_days:
            continue
        distance = max(0, (min(days) - max(main_days)).days, (min(main_days) - max(days)).days)
        if distance <= gap:
            for m in ms:
                if gold[m] == gold[articles[0]]:
                    joined[m] = main


def main(argv: list[str]) -> None:
    from storyline.events.clusterer import EventClusterer

    args = list(argv)
    params: dict[str, Any] = {}
    if "--params" in args:
        i = args.index("--params")
        params = json.loads(args[i + 1])
        del args[i:i + 2]
    name = args[0] if args else "gva"
    defaults = EventClusterer(**params)
    found, gold, trace = traced_stage(name, params)
    dates = article_dates(name)
    counted = causes(found, gold, trace, dates, defaults.threshold, defaults.max_link_weight, defaults.window_days)
    print(f"{name}: {len(gold)} articles; of those with an earlier member of their gold event:")
    for cause, n in counted.most_common():
        print(f"  {cause:24s} {n}")
    print("\n| join a gold event's pieces starting within N days of its largest | B³-P | B³-R | B³-F1 |")
    print("|---|---|---|---|")
    for gap, p, r, f1 in oracle_by_gap(found, gold, dates):
        label = "any gap" if gap >= 10**6 else f"{gap} days"
        print(f"| {label} | {p:.3f} | {r:.3f} | {f1:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
