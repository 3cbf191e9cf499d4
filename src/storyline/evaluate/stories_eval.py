"""Story evaluations: News Story Chains, WikiRef220 and the seeds, through the real pipeline.

Each corpus is written to files, ingested and built (dedupe → events →
stories) with the default configuration, and the story of every article is
read back from the database. Registered in the evaluation table of
:mod:`.events_eval` (``storyline eval``), and printed alone by
``benchmarks/stories_eval.py``.

* News Story Chains (Gedikli et al. 2021): 100 dated energy-business
  articles, all 4,950 pairs labelled "same story chain"; pairwise P/R/F1.
* WikiRef220: 220 undated web articles, topic = file-name prefix; B³.
* Seeds: all five articles are one story (B³, and the event count).
* newsdev and t17 (messy real coverage, ``articles.jsonl`` as it is): story
  B³, with BERTopic's defaults beside the oracle.

Baseline beside each: TF-IDF + average-link agglomerative clustering with
the threshold picked on the gold (an oracle).
"""
from __future__ import annotations

import csv
import json
import re
import tempfile
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any
from collections.abc import Hashable, Mapping, Sequence

import numpy as np

from .datasets import data_root
from .events_eval import EvalContext, Row, register, score_clusters
from .metrics import PRF, pairwise

NSC_DIR = "news_story_chains"
NSC_ARTICLES = "gedikli-business_energy_news_dataset-2021-06-29-article_texts.csv"
NSC_PAIRS = "gedikli-business_energy_news_dataset-2021-06-29.csv"
WIKI_LABEL_RE = re.compile(r"( \(\d+\))?(\.\d+)?\.txt$")


@dataclass
class Built:
    """What a pipeline run gives back: per-article story and event, and the article texts."""

    story: dict[str, str]
    event: dict[str, str]
    texts: dict[str, str]
    seconds: float


def build_corpus(paths: Sequence[str]) -> Built:
    """Ingest ``paths`` into a fresh DB, build dedupe → events → stories, read the assignments."""
    import storyline

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sl = storyline.open(Path(tmp) / "eval.db")
        sl.ingest(list(paths))
        sl.build(only=["dedupe", "events", "stories"])
        rows = sl.db.query("SELECT id, story_id, event_id, text FROM articles")
        sl.close()
    return Built({r["id"]: r["story_id"] for r in rows}, {r["id"]: r["event_id"] for r in rows},
                 {r["id"]: r["text"] for r in rows}, time.perf_counter() - start)


# -- News Story Chains --------------------------------------------------------------------------

def load_nsc(root: Path | None = None) -> tuple[list[dict[str, str]], set[frozenset[str]]]:
    """The 100 articles (url, title, date, text) and the gold positive pairs of urls."""
    base = (root or data_root()) / NSC_DIR
    with (base / NSC_ARTICLES).open(encoding="utf-8-sig", newline="") as handle:
        articles = [{"url": r["url"], "title": r["title"], "date": r["date"][:10], "text": r["text"]}
                    for r in csv.DictReader(handle)]
    with (base / NSC_PAIRS).open(encoding="utf-8-sig", newline="") as handle:
        gold = {frozenset((r["url1"], r["url2"])) for r in csv.DictReader(handle, delimiter=";")
                if r["relation"].strip() == "1"}
    return articles, gold


def nsc_ids(articles: list[dict[str, str]]) -> list[str]:
    """Article ids for the NSC rows: the row number, zero-padded (the url stays the url)."""
    return [f"nsc{i:03d}" for i in range(len(articles))]


def run_nsc(root: Path | None = None) -> tuple[PRF, PRF, Built, list[str], set[frozenset[str]]]:
    """Story and event pairwise scores of the default pipeline on NSC."""
    articles, gold_urls = load_nsc(root)
    ids = nsc_ids(articles)
    by_url = {a["url"]: i for a, i in zip(articles, ids, strict=True)}
    gold = {frozenset(by_url[u] for u in pair) for pair in gold_urls}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nsc.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for art, aid in zip(articles, ids, strict=True):
                out.write(json.dumps({"id": aid, **art}) + "\n")
        built = build_corpus([str(path)])
    return pairwise(built.story, gold, ids), pairwise(built.event, gold, ids), built, ids, gold


def pair_row(dataset: str, task: str, method: str, prf: PRF, pred: Mapping[Any, Hashable], note: str,
             seconds: float | None = None) -> Row:
    """A table row for a pairwise score (the note says so: the header names B³)."""
    return Row(dataset, task, method, round(prf.precision, 4), round(prf.recall, 4), round(prf.f1, 4), None,
               len(set(pred.values())), f"pairwise P/R/F1; {note}", None if seconds is None else round(seconds, 1))


@register("news_story_chains")
def eval_nsc(ctx: EvalContext) -> list[Row]:
    """News Story Chains: pairwise "same chain" over all 4,950 pairs."""
    stories, events, built, ids, gold = run_nsc(ctx.data_root)
    rows = [pair_row("news_story_chains", "stories", "storyline (default)", stories, built.story,
                     "real pipeline", built.seconds),
            pair_row("news_story_chains", "events", "storyline (default)", events, built.event, "real pipeline")]
    if ctx.baselines:
        pred, threshold = tfidf_oracle_pairwise([built.texts[i] for i in ids], ids, gold)
        rows.append(pair_row("news_story_chains", "stories", "TF-IDF + agglomerative (oracle)",
                             pairwise(pred, gold, ids), pred, f"threshold {threshold} picked on gold"))
    return rows


def tfidf_oracle_pairwise(texts: list[str], ids: list[str], gold: set[frozenset[str]]) -> tuple[dict[str, int], float]:
    """TF-IDF + average-link agglomerative at the threshold that maximises pairwise F1 on the gold."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .baselines import cosine_distances

    distances = cosine_distances(TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts))
    best: tuple[float, float, dict[str, int]] = (-1.0, 0.0, {})
    for threshold in np.round(np.arange(0.02, 1.0, 0.02), 2):
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=float(threshold)).fit_predict(distances)
        pred = {i: int(label) for i, label in zip(ids, labels, strict=True)}
        f1 = pairwise(pred, gold, ids).f1
        if f1 > best[0]:
            best = (f1, float(threshold), pred)
    return best[2], best[1]


# -- WikiRef220 ---------------------------------------------------------------------------------

def wiki_files(root: Path | None = None) -> list[Path]:
    """The 220 WikiRef220 files (sorted by name)."""
    base = (root or data_root()) / "wikiref220" / "WikiRef220"
    return sorted(base.glob("*.txt"))


def wiki_label(path: Path) -> str:
    """Topic = file name before the number: ``malaysia.airlines.flight.10.txt`` → ``malaysia.airlines.flight``."""
    return WIKI_LABEL_RE.sub("", path.name)


@register("wikiref220")
def eval_wikiref(ctx: EvalContext) -> list[Row]:
    """WikiRef220: topics as stories, B³ over the articles that were stored."""
    files = wiki_files(ctx.data_root)
    built = build_corpus([str(f) for f in files])
    gold = {f.stem: wiki_label(f) for f in files if f.stem in built.story}
    rows = [score_clusters("wikiref220", "stories", "storyline (default)", {k: built.story[k] for k in gold}, gold,
                           f"real pipeline; {len(gold)}/{len(files)} stored", built.seconds),
            score_clusters("wikiref220", "events", "storyline (default)", {k: built.event[k] for k in gold}, gold,
                           "events scored against topics")]
    if ctx.baselines:
        rows.append(oracle_story_row("wikiref220", built, gold))
    return rows


# -- seeds --------------------------------------------------------------------------------------

@register("seeds")
def eval_seed_stories(ctx: EvalContext) -> list[Row]:
    """The five seeds: one story (Pakistan–Russia relations) made of two events."""
    from .datasets import load_seed_paths

    pairs = load_seed_paths()
    built = build_corpus([str(p) for p, _ in pairs])
    gold = {p.stem: "pakistan-russia" for p, _ in pairs if p.stem in built.story}
    pred = {k: built.story[k] for k in gold}
    n_events = len({built.event[k] for k in gold})
    rows = [score_clusters("seeds", "stories", "storyline (default)", pred, gold,
                           f"real pipeline; {n_events} events in {len(set(pred.values()))} story", built.seconds)]
    if ctx.baselines:
        rows.append(oracle_story_row("seeds", built, gold))
    return rows


def oracle_story_row(dataset: str, built: Built, gold: dict[str, str]) -> Row:
    """TF-IDF + agglomerative over the stored texts, its threshold picked on the gold (an oracle baseline)."""
    from .baselines import tfidf_agglomerative

    ids = list(gold)
    pred, threshold = tfidf_agglomerative([built.texts[i] for i in ids], ids, gold)
    return score_clusters(dataset, "stories", "TF-IDF + agglomerative (oracle)", pred, gold,
                          f"threshold {threshold} picked on gold")


def gold_pairs(labels: Mapping[str, str]) -> set[frozenset[str]]:
    """All same-label pairs (for scoring a labelled corpus pairwise)."""
    groups: dict[str, list[str]] = {}
    for item, label in labels.items():
        groups.setdefault(label, []).append(item)
    return {frozenset(p) for members in groups.values() for p in combinations(members, 2)}


# -- messy real corpora: newsdev, t17 ------------------------------------------------------------

def eval_real_stories(name: str, ctx: EvalContext) -> list[Row]:
    """Stories of a real labelled corpus (``articles.jsonl`` ingested as it is), ours beside the baselines.

    Rows: storyline's default pipeline, the TF-IDF agglomerative oracle
    (threshold picked on the gold) and BERTopic with its defaults on the
    MiniLM title+lead embeddings; all B³ against the gold ``story`` label
    over every stored article.
    """
    from .datasets import real_corpus
    from .events_eval import cached_embeddings, lead_texts

    path, gold_all = real_corpus(name, ctx.data_root)
    built = build_corpus([str(path)])
    gold = {k: g.story for k, g in gold_all.items() if k in built.story}
    rows = [score_clusters(name, "stories", "storyline (default)", {k: built.story[k] for k in gold}, gold,
                           f"real pipeline; {len(gold)}/{len(gold_all)} stored", built.seconds)]
    if ctx.baselines:
        rows.append(oracle_story_row(name, built, gold))
        ids = list(gold)
        texts = [built.texts[i] for i in ids]
        start = time.perf_counter()
        from .baselines import bertopic_default

        embeddings = cached_embeddings(lead_texts(texts), ctx, f"{name}-stories")
        rows.append(score_clusters(name, "stories", "BERTopic (defaults)", bertopic_default(texts, embeddings, ids),
                                   gold, "MiniLM title+lead embeddings; outliers as singletons",
                                   time.perf_counter() - start))
    return rows


@register("newsdev")
def eval_newsdev_stories(ctx: EvalContext) -> list[Row]:
    """newsdev: 249 messy excerpts, 10 gold stories built around confusable happenings."""
    return eval_real_stories("newsdev", ctx)


@register("t17")
def eval_t17_stories(ctx: EvalContext) -> list[Row]:
    """t17: all 5 topics ingested together; a story should be one topic (story separation)."""
    return eval_real_stories("t17", ctx)
