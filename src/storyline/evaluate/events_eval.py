"""The evaluation table: our default configuration and the baselines, on the labelled corpora.

Every evaluation is a function registered under a dataset name that
returns :class:`Row` s; ``run_evaluations`` runs the chosen ones and the
CLI (``storyline eval``) and ``benchmarks/events_eval.py`` print the table.
To add one (stories on NSC, WikiRef)::

    @register("wikiref220")
    def eval_wikiref(ctx: EvalContext) -> list[Row]: ...
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Hashable, Mapping, Sequence

import numpy as np

from .metrics import ari, b_cubed


@dataclass
class Row:
    """One line of the evaluation table."""

    dataset: str
    task: str              # events | stories
    method: str
    precision: float
    recall: float
    f1: float
    ari: float | None = None
    clusters: int | None = None
    note: str = ""
    seconds: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class EvalContext:
    """What evaluations share: where the data is, the embedding cache, options."""

    data_root: Path | None = None
    cache_dir: Path = field(default_factory=lambda: Path(os.environ.get("STORYLINE_CACHE",
                                                                          Path(tempfile.gettempdir()) / "storyline-cache")))
    baselines: bool = True


Evaluation = Callable[[EvalContext], list[Row]]
REGISTRY: dict[str, list[Evaluation]] = {}


def register(dataset: str) -> Callable[[Evaluation], Evaluation]:
    """Add an evaluation function under a dataset name (several may share one)."""
    def wrap(fn: Evaluation) -> Evaluation:
        REGISTRY.setdefault(dataset, []).append(fn)
        return fn
    return wrap


def available() -> list[str]:
    _load_plugins()
    return list(REGISTRY)


def _load_plugins() -> None:
    """Import modules that register more evaluations (stories), when present."""
    import importlib

    for name in ("storyline.evaluate.stories_eval", "storyline.evaluate.tls_eval"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def run_evaluations(datasets: Sequence[str] | None = None, ctx: EvalContext | None = None) -> list[Row]:
    """Run the evaluations of ``datasets`` (all when None) and return every row."""
    from ..errors import ConfigError

    _load_plugins()
    ctx = ctx or EvalContext()
    chosen = list(datasets) if datasets else list(REGISTRY)
    unknown = [d for d in chosen if d not in REGISTRY]
    if unknown:
        raise ConfigError(f"unknown dataset(s) {unknown}; choose from {', '.join(REGISTRY)}")
    rows: list[Row] = []
    for name in chosen:
        for fn in REGISTRY[name]:
            rows.extend(fn(ctx))
    return rows


def score_clusters(dataset: str, task: str, method: str, pred: Mapping[Hashable, Hashable],
                   gold: Mapping[Hashable, Hashable], note: str = "", seconds: float | None = None) -> Row:
    """B³ and ARI of one clustering as a table row."""
    prf = b_cubed(pred, gold)
    return Row(dataset, task, method, round(prf.precision, 4), round(prf.recall, 4), round(prf.f1, 4),
               round(ari(pred, gold), 4), len(set(pred.values())), note,
               None if seconds is None else round(seconds, 1))


# -- embeddings cache ------------------------------------------------------
def cached_embeddings(texts: Sequence[str], ctx: EvalContext, tag: str) -> np.ndarray:
    """Embed ``texts`` as the events stage does, caching the matrix under ``ctx.cache_dir``."""
    from ..events.stage import EMBED_MAX_TOKENS
    from ..represent import model_fingerprint

    model = f"|{EMBED_MAX_TOKENS}|{model_fingerprint()}"   # vectors of another model must not be reused
    key = hashlib.sha1(("\x00".join(texts) + model).encode("utf-8")).hexdigest()[:16]
    path = ctx.cache_dir / f"{tag}-{key}.npy"
    if path.exists():
        return np.load(path)
    from ..represent import get_encoder

    vectors = get_encoder(max_length=EMBED_MAX_TOKENS).encode(list(texts))
    vectors = vectors.astype(np.float16).astype(np.float32)
    ctx.cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


# -- events ------------------------------------------------------------------
def cluster_online(ids: Sequence[str], texts: Sequence[str], embeddings: np.ndarray | None,
                   batch: int | None = None, **params: object) -> dict[str, str]:
    """Our clusterer with its default configuration, fed in the given order in stage-sized chunks."""
    from ..events.clusterer import ArticleItem, EventClusterer
    from ..events.stage import CHUNK_SIZE

    size = batch or CHUNK_SIZE
    clusterer = EventClusterer(use_embeddings=embeddings is not None, **params)  # type: ignore[arg-type]
    items = [ArticleItem(i, t, None, None, None if embeddings is None else embeddings[k])
             for k, (i, t) in enumerate(zip(ids, texts))]
    for start in range(0, len(items), size):
        clusterer.partial_fit(items[start:start + size])
    return {i: clusterer.assignments_[i] for i in ids}


def lead_texts(texts: Sequence[str]) -> list[str]:
    """The text the stage embeds for an untitled article (title + lead, truncated)."""
    from ..events.stage import EMBED_LEAD_CHARS

    return [(". " + t)[:EMBED_LEAD_CHARS] for t in texts]


@register("ecbplus")
def eval_ecbplus(ctx: EvalContext) -> list[Row]:
    """ECB+ events (gold = subtopic), documents in file order with no dates."""
    from .datasets import load_ecbplus

    docs = load_ecbplus(ctx.data_root)
    ids, texts = [d.id for d in docs], [d.text for d in docs]
    gold = {d.id: d.label for d in docs}
    embeddings = cached_embeddings(lead_texts(texts), ctx, "ecbplus")
    rows = []
    start = time.perf_counter()
    rows.append(score_clusters("ecbplus", "events", "storyline (default)", cluster_online(ids, texts, embeddings),
                               gold, "online, one default config", time.perf_counter() - start))
    start = time.perf_counter()
    rows.append(score_clusters("ecbplus", "events", "storyline, no embeddings",
                               cluster_online(ids, texts, None), gold, "use_embeddings=false",
                               time.perf_counter() - start))
    if ctx.baselines:
        rows.extend(_baselines("ecbplus", ids, texts, embeddings, gold))
    return rows


def _baselines(dataset: str, ids: list[str], texts: list[str], embeddings: np.ndarray,
               gold: dict[str, str]) -> list[Row]:
    from . import baselines

    rows = []
    start = time.perf_counter()
    pred, threshold = baselines.tfidf_agglomerative(texts, ids, gold)
    rows.append(score_clusters(dataset, "events", "TF-IDF + agglomerative (oracle)", pred, gold,
                               f"threshold {threshold} picked on gold", time.perf_counter() - start))
    start = time.perf_counter()
    pred, threshold = baselines.embedding_agglomerative(embeddings, ids, gold)
    rows.append(score_clusters(dataset, "events", "MiniLM + agglomerative (oracle)", pred, gold,
                               f"threshold {threshold} picked on gold", time.perf_counter() - start))
    if len(ids) >= 50:   # UMAP/HDBSCAN need a few dozen documents
        start = time.perf_counter()
        rows.append(score_clusters(dataset, "events", "BERTopic (defaults)", baselines.bertopic_default(texts, embeddings, ids),
                                   gold, "same embeddings; outliers as singletons", time.perf_counter() - start))
    return rows


@register("seeds")
def eval_seeds(ctx: EvalContext) -> list[Row]:
    """The five seed articles through the real pipeline (ingest + build): 000-003 one event, 004 another."""
    import storyline

    from .datasets import load_seed_paths

    pairs = load_seed_paths()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sl = storyline.open(Path(tmp) / "seeds.db")
        sl.ingest([str(p) for p, _ in pairs])
        sl.build(only=["dedupe", "events"])
        found = {r["id"]: r["event_id"] for r in sl.articles()}
        texts = {r["id"]: r["text"] for r in sl.db.query("SELECT id, text FROM articles")}
        sl.close()
    gold = {p.stem: label for p, label in pairs if p.stem in found}
    rows = [score_clusters("seeds", "events", "storyline (default)", {k: found[k] for k in gold}, gold,
                           "real pipeline", time.perf_counter() - start)]
    if ctx.baselines:
        from . import baselines

        ids = list(gold)
        emb = cached_embeddings(lead_texts([texts[i] for i in ids]), ctx, "seeds")
        pred, threshold = baselines.tfidf_agglomerative([texts[i] for i in ids], ids, gold)
        rows.append(score_clusters("seeds", "events", "TF-IDF + agglomerative (oracle)", pred, gold,
                                   f"threshold {threshold} picked on gold"))
        pred, threshold = baselines.embedding_agglomerative(emb, ids, gold)
        rows.append(score_clusters("seeds", "events", "MiniLM + agglomerative (oracle)", pred, gold,
                                   f"threshold {threshold} picked on gold"))
    return rows


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table of the rows (what BENCHMARKS.md holds)."""
    head = "| dataset | task | method | B³-P | B³-R | B³-F1 | ARI | clusters | note |\n|---|---|---|---|---|---|---|---|---|"
    lines = [head]
    for r in rows:
        ari_text = "" if r.ari is None else f"{r.ari:.3f}"
        lines.append(f"| {r.dataset} | {r.task} | {r.method} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} |"
                     f" {ari_text} | {r.clusters if r.clusters is not None else ''} | {r.note} |")
    return "\n".join(lines)
