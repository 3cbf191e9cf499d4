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
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

from .metrics import K, ari, b_cubed


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
    cache_dir: Path = field(default_factory=lambda: Path(
        os.environ.get("STORYLINE_CACHE", Path(tempfile.gettempdir()) / "storyline-cache")))
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


def score_clusters(dataset: str, task: str, method: str, pred: Mapping[K, Hashable],
                   gold: Mapping[K, Hashable], note: str = "", seconds: float | None = None) -> Row:
    """B³ and ARI of one clustering as a table row."""
    prf = b_cubed(pred, gold)
    return Row(dataset, task, method, round(prf.precision, 4), round(prf.recall, 4), round(prf.f1, 4),
               round(ari(pred, gold), 4), len(set(pred.values())), note,
               None if seconds is None else round(seconds, 1))


# -- embeddings cache ------------------------------------------------------
def cached_embeddings(texts: Sequence[str], ctx: EvalContext, tag: str, model: str | None = None) -> np.ndarray:
    """Embed ``texts`` as the events stage does (``model``: the configured default), cached under ``ctx.cache_dir``."""
    from ..events.stage import EMBED_MAX_TOKENS
    from ..represent import model_fingerprint

    fingerprint = f"|{EMBED_MAX_TOKENS}|{model_fingerprint(model)}"   # vectors of another model must not be reused
    key = hashlib.sha1(("\x00".join(texts) + fingerprint).encode("utf-8")).hexdigest()[:16]
    path = ctx.cache_dir / f"{tag}-{key}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        return cached
    from ..represent import get_encoder

    encoder = get_encoder(max_length=EMBED_MAX_TOKENS) if model is None else \
        get_encoder(model=model, max_length=EMBED_MAX_TOKENS)
    vectors = encoder.encode(list(texts))
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
             for k, (i, t) in enumerate(zip(ids, texts, strict=True))]
    for start in range(0, len(items), size):
        clusterer.partial_fit(items[start:start + size])
    return {i: clusterer.assignments_[i] for i in ids}


def lead_texts(texts: Sequence[str]) -> list[str]:
    """The text the stage embeds for an untitled article (title + lead, truncated)."""
    from ..events.stage import EMBED_LEAD_CHARS

    return [(". " + t)[:EMBED_LEAD_CHARS] for t in texts]


@register("ecbplus")
def eval_ecbplus(ctx: EvalContext) -> list[Row]:
    """ECB+ events (gold = subtopic), documents in file order with no dates: CPU default, MiniLM, words only."""
    from .datasets import load_ecbplus

    docs = load_ecbplus(ctx.data_root)
    ids, texts = [d.id for d in docs], [d.text for d in docs]
    gold = {d.id: d.label for d in docs}
    model = default_model_name()
    embeddings = cached_embeddings(lead_texts(texts), ctx, "ecbplus", model)
    minilm = embeddings if model == MINILM else cached_embeddings(lead_texts(texts), ctx, "ecbplus", MINILM)
    rows = []
    start = time.perf_counter()
    rows.append(score_clusters("ecbplus", "events", "storyline (default)", cluster_online(ids, texts, embeddings),
                               gold, f"online, one default config, encoder {model}", time.perf_counter() - start))
    if model != MINILM:
        start = time.perf_counter()
        rows.append(score_clusters("ecbplus", "events", "storyline (MiniLM)", cluster_online(ids, texts, minilm),
                                   gold, "[embed] model = all-MiniLM-L6-v2", time.perf_counter() - start))
    start = time.perf_counter()
    rows.append(score_clusters("ecbplus", "events", "storyline, no embeddings",
                               cluster_online(ids, texts, None), gold, "use_embeddings=false",
                               time.perf_counter() - start))
    if ctx.baselines:
        rows.extend(_baselines("ecbplus", ids, texts, minilm, gold))
        if model != MINILM:
            rows.append(_oracle_row("ecbplus", f"{model} + agglomerative (oracle)", embeddings, ids, gold))
    return rows


def _oracle_row(dataset: str, method: str, embeddings: np.ndarray, ids: list[str], gold: dict[str, str]) -> Row:
    from . import baselines

    start = time.perf_counter()
    pred, threshold = baselines.embedding_agglomerative(embeddings, ids, gold)
    return score_clusters(dataset, "events", method, pred, gold, f"threshold {threshold} picked on gold",
                          time.perf_counter() - start)


def _baselines(dataset: str, ids: list[str], texts: list[str], embeddings: np.ndarray,
               gold: dict[str, str]) -> list[Row]:
    """TF-IDF and MiniLM oracles and BERTopic (``embeddings``: MiniLM's)."""
    from . import baselines

    rows = []
    start = time.perf_counter()
    pred, threshold = baselines.tfidf_agglomerative(texts, ids, gold)
    rows.append(score_clusters(dataset, "events", "TF-IDF + agglomerative (oracle)", pred, gold,
                               f"threshold {threshold} picked on gold", time.perf_counter() - start))
    rows.append(_oracle_row(dataset, "MiniLM + agglomerative (oracle)", embeddings, ids, gold))
    if len(ids) >= 50:   # UMAP/HDBSCAN need a few dozen documents
        start = time.perf_counter()
        topics = baselines.bertopic_default(texts, embeddings, ids)
        rows.append(score_clusters(dataset, "events", "BERTopic (defaults)", topics, gold,
                                   "same embeddings; outliers as singletons", time.perf_counter() - start))
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
        emb = cached_embeddings(lead_texts([texts[i] for i in ids]), ctx, "seeds", MINILM)
        pred, threshold = baselines.tfidf_agglomerative([texts[i] for i in ids], ids, gold)
        rows.append(score_clusters("seeds", "events", "TF-IDF + agglomerative (oracle)", pred, gold,
                                   f"threshold {threshold} picked on gold"))
        pred, threshold = baselines.embedding_agglomerative(emb, ids, gold)
        rows.append(score_clusters("seeds", "events", "MiniLM + agglomerative (oracle)", pred, gold,
                                   f"threshold {threshold} picked on gold"))
    return rows


# -- messy real corpora: newsdev, gva ----------------------------------------------------------

MINILM = "all-MiniLM-L6-v2"


@dataclass
class RealBuild:
    """One run of the real pipeline over a corpus: each article's event and story, its stored text and title."""

    event: dict[str, str]
    story: dict[str, str]
    texts: dict[str, str]
    titles: dict[str, str | None]
    seconds: float


_BUILDS: dict[tuple[str, str, str | None], RealBuild] = {}


def build_real(path: Path, model: str | None = None, stages: Sequence[str] = ("dedupe", "events", "stories")
               ) -> RealBuild:
    """Ingest ``path`` as a user would and build ``stages``; ``model`` overrides ``[embed] model``.

    Memoised per (path, stages, model) within a process, so the events and
    the stories rows of one dataset come from one build.
    """
    import storyline
    from ..config import Settings, load_settings

    key = (str(path), ",".join(stages), model)
    if key in _BUILDS:
        return _BUILDS[key]
    settings = load_settings() if model is None else Settings({"embed": {"model": model}})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sl = storyline.open(Path(tmp) / "eval.db", settings)
        sl.ingest([str(path)])
        sl.build(only=list(stages))
        rows = sl.db.query("SELECT id, event_id, story_id, title, text FROM articles")
        sl.close()
    built = RealBuild({r["id"]: r["event_id"] for r in rows}, {r["id"]: r["story_id"] for r in rows},
                      {r["id"]: r["text"] for r in rows}, {r["id"]: r["title"] for r in rows},
                      time.perf_counter() - start)
    _BUILDS[key] = built
    return built


def default_model_name() -> str:
    """The encoder the default configuration uses on this machine (for the table's method names)."""
    from ..config import load_settings
    from ..represent import embed as embed_module

    choose = getattr(embed_module, "choose_model", None)     # absent before the static CPU default
    configured = load_settings().section("embed").get("model")
    if not callable(choose):
        return configured or MINILM
    return str(choose(configured))


def real_event_rows(name: str, ctx: EvalContext, minilm_row: bool = True) -> list[Row]:
    """Events of a messy real corpus through the real pipeline (default, MiniLM) and every baseline."""
    from .datasets import real_corpus

    path, gold_all = real_corpus(name, ctx.data_root)
    default = build_real(path)
    gold = {k: g.event for k, g in gold_all.items() if k in default.event and g.event is not None}
    model = default_model_name()
    rows = [score_clusters(name, "events", "storyline (default)", {k: default.event[k] for k in gold}, gold,
                           f"real pipeline, encoder {model}", default.seconds)]
    if minilm_row and model != MINILM:
        minilm = build_real(path, MINILM)
        rows.append(score_clusters(name, "events", "storyline (MiniLM)", {k: minilm.event[k] for k in gold}, gold,
                                   "real pipeline, [embed] model = all-MiniLM-L6-v2", minilm.seconds))
    if ctx.baselines:
        ids = list(gold)
        texts = [default.texts[i] for i in ids]
        leads = [((default.titles[i] or "") + ". " + default.texts[i])[:_lead_chars()] for i in ids]
        rows.extend(real_baselines(name, ids, texts, leads, gold, ctx, model))
    return rows


def _lead_chars() -> int:
    from ..events.stage import EMBED_LEAD_CHARS

    return EMBED_LEAD_CHARS


def real_baselines(name: str, ids: list[str], texts: list[str], leads: list[str], gold: dict[str, str],
                   ctx: EvalContext, model: str) -> list[Row]:
    """TF-IDF / MiniLM / CPU-default oracles and BERTopic (default, min_topic_size=5) on the same articles."""
    from . import baselines

    rows = []
    minilm = cached_embeddings(leads, ctx, f"{name}-minilm", MINILM)
    start = time.perf_counter()
    pred, threshold = baselines.tfidf_agglomerative(texts, ids, gold)
    rows.append(score_clusters(name, "events", "TF-IDF + agglomerative (oracle)", pred, gold,
                               f"threshold {threshold} picked on gold", time.perf_counter() - start))
    start = time.perf_counter()
    pred, threshold = baselines.embedding_agglomerative(minilm, ids, gold)
    rows.append(score_clusters(name, "events", "MiniLM + agglomerative (oracle)", pred, gold,
                               f"threshold {threshold} picked on gold", time.perf_counter() - start))
    if model != MINILM:
        static = cached_embeddings(leads, ctx, f"{name}-default", model)
        start = time.perf_counter()
        pred, threshold = baselines.embedding_agglomerative(static, ids, gold)
        rows.append(score_clusters(name, "events", f"{model} + agglomerative (oracle)", pred, gold,
                                   f"threshold {threshold} picked on gold", time.perf_counter() - start))
    for min_size, label in ((10, "BERTopic (defaults)"), (5, "BERTopic (min_topic_size=5)")):
        start = time.perf_counter()
        topics = baselines.bertopic_default(texts, minilm, ids, min_topic_size=min_size)
        rows.append(score_clusters(name, "events", label, topics, gold, "MiniLM embeddings; outliers as singletons",
                                   time.perf_counter() - start))
    return rows


@register("newsdev")
def eval_newsdev_events(ctx: EvalContext) -> list[Row]:
    """newsdev: 249 scraped excerpts, 30 events built around confusable happenings."""
    return real_event_rows("newsdev", ctx)


@register("gva")
def eval_gva_events(ctx: EvalContext) -> list[Row]:
    """gva: 2,856 US shooting reports, 1,695 incidents (mostly 1-3 articles each)."""
    return real_event_rows("gva", ctx)


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table of the rows (what BENCHMARKS.md holds)."""
    head = ("| dataset | task | method | B³-P | B³-R | B³-F1 | ARI | clusters | note |\n"
            "|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        ari_text = "" if r.ari is None else f"{r.ari:.3f}"
        lines.append(f"| {r.dataset} | {r.task} | {r.method} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} |"
                     f" {ari_text} | {r.clusters if r.clusters is not None else ''} | {r.note} |")
    return "\n".join(lines)
