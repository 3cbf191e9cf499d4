"""Timeline summarization on Timeline17, the standard protocol of news-tls (ACL 2020).

For every gold timeline of a topic: the system gets that topic's articles,
the time span of the gold timeline (first to last gold date), N = the gold
timeline's number of dates and K = its mean number of sentences per date
(rounded); it returns N dates with up to K sentences each. Scores are
date F1 (exact day match) and alignment-based ROUGE-1/ROUGE-2 F1 (tilse's
``align_date_content_costs_many_to_one``, "align+ m:1"), computed with the
``tilse`` package on tokenised text. Means are over timelines; as news-tls
does, the mean F1 is the F of the mean precision and mean recall.

tilse's ROUGE runs its Python re-implementation (``rouge_computation=
"reimpl"``): the original ROUGE-1.5.5 Perl script needs XML::Parser, a
system Perl module we do not install. tilse documents the two as close,
not identical.

Baselines run here, with the same per-date summarizer so only the dates differ:

* **largest events' dates**: cluster the topic's articles into events with
  storyline's own clusterer (TF-IDF, no embeddings), take the date of
  each event (the mode of its articles' happened-dates), largest events first;
* **random dates**: dates drawn uniformly from the topic's publication
  dates within the span (mean over 3 seeds).
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .events_eval import EvalContext, Row, register

if TYPE_CHECKING:
    from ..summarize.timeline import Prepared, TimelineArticle

METRIC = "align_date_content_costs_many_to_one"
_TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]")


@dataclass
class TLSRow(Row):
    """A row of the timeline table: date P/R/F1 in precision/recall/f1, plus alignment ROUGE F1."""

    rouge1: float | None = None
    rouge2: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class TLSScore:
    """The scores of one predicted timeline against one gold timeline."""

    date_p: float
    date_r: float
    r1_p: float
    r1_r: float
    r2_p: float
    r2_r: float


def tokenize(text: str) -> str:
    """Words and punctuation split by spaces, as the gold's ``summary_tokenized`` is."""
    return " ".join(_TOKEN.findall(text))


def score_timeline(pred: dict[dt.date, list[str]], gold: dict[dt.date, list[str]]) -> TLSScore:
    """Date P/R and alignment-based ROUGE-1/2 P/R of one timeline (tilse, tokenised, lower-cased)."""
    from tilse.data.timelines import GroundTruth, Timeline
    from tilse.evaluation import rouge

    evaluator = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"], rouge_computation="reimpl")
    pred_tl = Timeline({d: [tokenize(s).lower() for s in sents] for d, sents in pred.items() if sents})
    gold_tl = GroundTruth([Timeline({d: [tokenize(s).lower() for s in sents] for d, sents in gold.items()})])
    shared = set(pred_tl.get_dates()) & set(gold_tl.get_dates())
    date_p = len(shared) / len(pred_tl.get_dates()) if pred_tl.get_dates() else 0.0
    date_r = len(shared) / len(gold_tl.get_dates())
    if not pred_tl.get_dates():
        return TLSScore(date_p, date_r, 0.0, 0.0, 0.0, 0.0)
    # = evaluator.evaluate_align_date_content_costs_many_to_one(pred_tl, gold_tl), with the date-content cost
    # matrix computed once instead of once per direction (tilse computes the same pairs twice)
    scores = evaluator._evaluate_per_day_mapping_micro(pred_tl, gold_tl, _content_costs_once(),
                                                       rouge.TimelineRougeEvaluator._assign_to_min_cost)
    return TLSScore(date_p, date_r, scores["rouge_1"]["precision"], scores["rouge_1"]["recall"],
                    scores["rouge_2"]["precision"], scores["rouge_2"]["recall"])


def _content_costs_once() -> Callable[..., object]:
    """tilse's ``_get_date_content_costs`` for one (prediction, gold) pair, computed once and transposed.

    tilse calls it with axis=0 (predicted dates × gold dates) and axis=1
    (gold × predicted); every cell is the same date factor × (1 − approximate
    ROUGE-1 of the predicted day against the gold day), so axis=1 is the
    transpose of axis=0.
    """
    from tilse.evaluation import rouge

    memo: dict[str, object] = {}

    def costs(source_dates, target_dates, tl, ref_tls, axis=0):  # type: ignore[no-untyped-def]
        if "m" not in memo:
            memo["m"] = rouge.TimelineRougeEvaluator._get_date_content_costs(
                source_dates, target_dates, tl, ref_tls, axis=0)
        matrix = memo["m"]
        return matrix if axis == 0 else matrix.T  # type: ignore[attr-defined]
    return costs


def f_of(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def mean_scores(scores: Sequence[TLSScore]) -> dict[str, float]:
    """news-tls's averaging: mean precision and mean recall over timelines, F of those means."""
    n = max(len(scores), 1)
    out = {}
    for name in ("date", "r1", "r2"):
        p = sum(getattr(s, f"{name}_p") for s in scores) / n
        r = sum(getattr(s, f"{name}_r") for s in scores) / n
        out[name] = f_of(p, r)
    return out


# -- the corpus ---------------------------------------------------------------------------------

@dataclass
class Topic:
    """One T17 topic: its articles and its gold timelines."""

    name: str
    articles: list[TimelineArticle]
    timelines: dict[str, dict[dt.date, list[str]]]


def load_t17(root: Path | None = None) -> list[Topic]:
    """The T17 topics with their articles (from ``real_corpus('t17')``) and tokenised gold timelines."""
    from ..summarize.timeline import TimelineArticle
    from .datasets import data_root, real_corpus

    path, gold = real_corpus("t17", root)
    by_topic: dict[str, list[TimelineArticle]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                date = dt.date.fromisoformat(rec["date"][:10]) if rec.get("date") else None
                by_topic.setdefault(gold[rec["id"]].story, []).append(
                    TimelineArticle(rec["id"], date, rec.get("text") or "", rec.get("title") or None))
    timelines = _gold_tokenized((root or data_root()) / "t17" / "timelines.jsonl")
    return [Topic(name, by_topic.get(name, []), tls) for name, tls in sorted(timelines.items())]


def _gold_tokenized(path: Path) -> dict[str, dict[str, dict[dt.date, list[str]]]]:
    """topic → timeline → date → tokenised summary sentences (the text tilse scores against)."""
    out: dict[str, dict[str, dict[dt.date, list[str]]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                day = dt.date.fromisoformat(rec["date"])
                sents = rec.get("summary_tokenized") or rec["summary"]
                out.setdefault(rec["topic"], {}).setdefault(rec["timeline"], {}).setdefault(day, []).extend(sents)
    return out


def task_of(gold: dict[dt.date, list[str]]) -> tuple[int, int, dt.date, dt.date]:
    """(N dates, K sentences per date, start, end) of a gold timeline, as news-tls sets them."""
    dates = sorted(gold)
    k = round(sum(len(v) for v in gold.values()) / len(gold))
    return len(dates), max(1, k), dates[0], dates[-1]


_PREPARED: dict[int, Prepared] = {}


def prepared_topic(topic: Topic) -> Prepared:
    """A topic's sentences split and dated once per process (every system and timeline reuses them)."""
    from ..summarize.timeline import prepare

    key = id(topic)
    if key not in _PREPARED:
        _PREPARED[key] = prepare(topic.articles)
    return _PREPARED[key]


# -- systems --------------------------------------------------------------------------------------

Predictor = Callable[[Topic, int, int, dt.date, dt.date], dict[dt.date, list[str]]]


def storyline_predictor(**params: float) -> Predictor:
    """storyline's timeline summarizer with its default (or given) parameters."""
    from ..summarize.timeline import TimelineSummarizer

    summarizer = TimelineSummarizer(**params)  # type: ignore[arg-type]

    def predict(topic: Topic, n: int, k: int, start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
        entries = summarizer.summarize_prepared(prepared_topic(topic), n, k, start, end)
        return {e.date: [s.text for s in e.sentences] for e in entries}
    return predict


def fixed_dates_predictor(pick: Callable[[Topic, int, dt.date, dt.date], list[dt.date]]) -> Predictor:
    """A baseline that picks its own dates and summarises them with storyline's per-date summarizer."""
    from ..summarize.timeline import TimelineSummarizer

    summarizer = TimelineSummarizer()
    cache: dict[str, tuple[dict[dt.date, list[Any]], dict[dt.date, list[Any]]]] = {}   # summarizer.candidates

    def predict(topic: Topic, n: int, k: int, start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
        prepared = prepared_topic(topic)
        if topic.name not in cache:
            cache[topic.name] = summarizer.candidates(prepared.sentences)
        mentions, leads = cache[topic.name]
        vectorizer = prepared.vectorizer
        out: dict[dt.date, list[str]] = {}
        for date in pick(topic, n, start, end):
            sents = summarizer.summarize_date(mentions.get(date, []), leads.get(date, []), k, vectorizer)
            out[date] = [s.text for s in sents]
        return out
    return predict


def random_dates(seed: int) -> Callable[[Topic, int, dt.date, dt.date], list[dt.date]]:
    """N distinct publication dates of the topic inside the span, drawn with a fixed seed."""
    def pick(topic: Topic, n: int, start: dt.date, end: dt.date) -> list[dt.date]:
        pool = sorted({a.date for a in topic.articles if a.date and start <= a.date <= end})
        return random.Random(f"{seed}:{topic.name}:{start}:{n}").sample(pool, min(n, len(pool)))
    return pick


def event_dates_by_size(ctx: EvalContext) -> Callable[[Topic, int, dt.date, dt.date], list[dt.date]]:
    """The dates of the topic's largest events (storyline's clusterer on TF-IDF alone), one per date.

    The clusterer runs without sentence embeddings: encoding T17's 2,734
    articles on a CPU costs minutes, and the baseline is about which dates
    large events give, not about the clusterer's best accuracy.
    """
    cache: dict[str, list[tuple[int, dt.date]]] = {}

    def pick(topic: Topic, n: int, start: dt.date, end: dt.date) -> list[dt.date]:
        if topic.name not in cache:
            cache[topic.name] = _events_of(topic, ctx)
        out: list[dt.date] = []
        for _, date in cache[topic.name]:
            if start <= date <= end and date not in out:
                out.append(date)
            if len(out) >= n:
                break
        return out
    return pick


def _events_of(topic: Topic, ctx: EvalContext) -> list[tuple[int, dt.date]]:
    """(size, date) of every dated event of a topic, largest first."""
    from ..events.clusterer import ArticleItem, EventClusterer
    from ..events.dating import event_dates, happened_date
    from ..events.stage import CHUNK_SIZE

    arts = sorted(topic.articles, key=lambda a: (a.date or dt.date.min, a.id))
    clusterer = EventClusterer(use_embeddings=False)
    items = [ArticleItem(a.id, a.text, None, a.date) for a in arts]
    for s in range(0, len(items), CHUNK_SIZE):
        clusterer.partial_fit(items[s:s + CHUNK_SIZE])
    members: dict[str, list[dt.date | None]] = {}
    for a in arts:
        members.setdefault(clusterer.assignments_[a.id], []).append(happened_date(a.text, a.date))
    events = []
    for dates in members.values():
        date = event_dates(dates)[0]
        if date is not None:
            events.append((len(dates), date))
    return sorted(events, key=lambda e: (-e[0], e[1]))


# -- the table ------------------------------------------------------------------------------------

def evaluate_system(topics: Sequence[Topic], predict: Predictor) -> list[TLSScore]:
    """Score one system on every gold timeline of every topic."""
    scores = []
    for topic in topics:
        for gold in topic.timelines.values():
            n, k, start, end = task_of(gold)
            scores.append(score_timeline(predict(topic, n, k, start, end), gold))
    return scores


def tls_row(method: str, scores: Sequence[TLSScore], note: str, seconds: float) -> TLSRow:
    n = max(len(scores), 1)
    means = mean_scores(scores)
    p = sum(s.date_p for s in scores) / n
    r = sum(s.date_r for s in scores) / n
    return TLSRow("t17", "timelines", method, round(p, 4), round(r, 4), round(means["date"], 4),
                  clusters=len(scores), note=note, seconds=round(seconds, 1),
                  rouge1=round(means["r1"], 4), rouge2=round(means["r2"], 4))


RANDOM_SEEDS = 3


@register("t17")
def eval_t17(ctx: EvalContext) -> list[Row]:
    """storyline's timelines and the two baselines on the 11 T17 gold timelines."""
    topics = load_t17(ctx.data_root)
    rows: list[Row] = []
    start = time.perf_counter()
    rows.append(tls_row("storyline timeline (default)", evaluate_system(topics, storyline_predictor()),
                        "date-wise: mention counts + centroid sentences", time.perf_counter() - start))
    if ctx.baselines:
        start = time.perf_counter()
        rows.append(tls_row("largest events' dates", evaluate_system(topics, fixed_dates_predictor(
            event_dates_by_size(ctx))), "storyline events (TF-IDF), largest first", time.perf_counter() - start))
        start = time.perf_counter()
        seeds = [evaluate_system(topics, fixed_dates_predictor(random_dates(seed))) for seed in range(RANDOM_SEEDS)]
        rows.append(_mean_rows("random dates", seeds, f"publication dates, mean of {RANDOM_SEEDS} seeds",
                               time.perf_counter() - start))
    return rows


def _mean_rows(method: str, runs: Sequence[Sequence[TLSScore]], note: str, seconds: float) -> TLSRow:
    """One row averaging several seeded runs."""
    per_run = [tls_row(method, run, note, seconds) for run in runs]

    def mean(name: str) -> float:
        values: list[float] = [getattr(r, name) for r in per_run]
        return round(sum(values) / len(values), 4)

    return TLSRow("t17", "timelines", method, mean("precision"), mean("recall"), mean("f1"),
                  clusters=per_run[0].clusters, note=note, seconds=round(seconds, 1),
                  rouge1=mean("rouge1"), rouge2=mean("rouge2"))


def format_tls_table(rows: Sequence[Row]) -> str:
    """The timeline rows as a Markdown table (date P/R/F1, alignment ROUGE-1/2 F1)."""
    lines = ["| dataset | method | date P | date R | date F1 | align R-1 F1 | align R-2 F1 | timelines | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        r1 = getattr(r, "rouge1", None)
        r2 = getattr(r, "rouge2", None)
        lines.append(f"| {r.dataset} | {r.method} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} |"
                     f" {'' if r1 is None else f'{r1:.3f}'} | {'' if r2 is None else f'{r2:.3f}'} |"
                     f" {r.clusters} | {r.note} |")
    return "\n".join(lines)


def per_topic_counts(topics: Sequence[Topic]) -> Counter[str]:
    """Articles per topic (printed by the benchmark beside the table)."""
    return Counter({t.name: len(t.articles) for t in topics})
