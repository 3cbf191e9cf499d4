"""How the timeline summarizer's weights were chosen: leave-one-topic-out cross-validation on Timeline17.

Two steps, as written in BENCHMARKS.md (Timelines):

1. Date weights (``pub_weight`` × ``back_weight``, a 5×4 grid) on date F1
   alone: for each held-out topic, the pair best on the other four topics
   scores the held-out topic's timelines.
2. ``lead_weight`` (1, 3, 10) on alignment ROUGE-1 F1 with the date weights
   of step 1, the same way.

It prints each grid point on all topics, the per-topic choices, the
cross-validated means (an honest estimate), and the choice on all topics
(the default in ``TimelineSummarizer``).

    .venv/bin/python benchmarks/tls_cv.py          # about 5 minutes on 2 cores
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path
from collections.abc import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.evaluate import tls_eval as T  # noqa: E402
from storyline.summarize.timeline import TimelineSummarizer  # noqa: E402

DATE_GRID = {"pub_weight": [0.0, 0.25, 0.5, 1.0, 2.0], "back_weight": [0.0, 0.5, 1.0, 2.0]}
LEAD_GRID = [1.0, 3.0, 10.0]

Scores = dict[str, list]  # topic → per-timeline scores


def date_only(topics: Sequence[T.Topic], params: dict[str, float]) -> Scores:
    """(date P, date R) per timeline of the N best-ranked dates in the gold span, without summaries."""
    summarizer = TimelineSummarizer(**params)
    out: Scores = {}
    for topic in topics:
        scores = summarizer.date_scores(T.prepared_topic(topic).sentences)
        rows = []
        for gold in topic.timelines.values():
            n, _, start, end = T.task_of(gold)
            ranked = [d for d in sorted(scores, key=lambda d: (-scores[d], d)) if start <= d <= end][:n]
            shared = len(set(ranked) & set(gold))
            rows.append(T.TLSScore(shared / len(ranked) if ranked else 0.0, shared / len(gold), 0, 0, 0, 0))
        out[topic.name] = rows
    return out


def full(topics: Sequence[T.Topic], params: dict[str, float]) -> Scores:
    """Every score (dates and alignment ROUGE) per timeline of the whole summarizer."""
    return {t.name: T.evaluate_system([t], T.storyline_predictor(**params)) for t in topics}


def loto(results: dict[str, Scores], metric: Callable[[list], float]) -> tuple[list, dict[str, str]]:
    """Held-out scores when each topic gets the grid point best on the other topics."""
    held: list = []
    choice: dict[str, str] = {}
    topics = next(iter(results.values())).keys()
    for topic in topics:
        best = max(results, key=lambda k: (metric([s for n, v in results[k].items() if n != topic for s in v]), k))
        choice[topic] = best
        held += results[best][topic]
    return held, choice


def main() -> None:
    topics = T.load_t17()
    date_f1 = lambda rows: T.mean_scores(rows)["date"]  # noqa: E731
    rouge1 = lambda rows: T.mean_scores(rows)["r1"]  # noqa: E731

    dates: dict[str, Scores] = {}
    for values in itertools.product(*DATE_GRID.values()):
        params = dict(zip(DATE_GRID, values, strict=True))
        dates[repr(params)] = date_only(topics, params)
        print(f"dates {params}: date F1 {date_f1([s for v in dates[repr(params)].values() for s in v]):.4f}")
    held, choice = loto(dates, date_f1)
    print("date weights per held-out topic:", choice)
    print(f"LOTO-CV date F1 (ranking only): {date_f1(held):.4f}")
    best_dates = max(dates, key=lambda k: (date_f1([s for v in dates[k].values() for s in v]), k))
    print("date weights chosen on all topics:", best_dates)
    date_params = eval(best_dates)  # noqa: S307 - our own repr of a dict of floats

    leads: dict[str, Scores] = {}
    for lead in LEAD_GRID:
        params = {**date_params, "lead_weight": lead}
        leads[repr(params)] = full(topics, params)
        means = T.mean_scores([s for v in leads[repr(params)].values() for s in v])
        print(f"summaries {params}: " + ", ".join(f"{k} {v:.4f}" for k, v in means.items()))
    held, choice = loto(leads, rouge1)
    print("lead_weight per held-out topic:", choice)
    print("LOTO-CV: " + ", ".join(f"{k} {v:.4f}" for k, v in T.mean_scores(held).items()))
    print("chosen on all topics:", max(leads, key=lambda k: (rouge1([s for v in leads[k].values() for s in v]), k)))


if __name__ == "__main__":
    main()
