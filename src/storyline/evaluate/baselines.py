"""Baselines that our single default configuration must beat, on the same data.

The two agglomerative baselines get their distance threshold picked on the
gold labels (an oracle sweep), so they are an upper bound on what that
method can do with any one threshold; BERTopic runs with its defaults on
the same embeddings we use.
"""
from __future__ import annotations

from typing import Callable, Hashable, Sequence

import numpy as np

from .metrics import b_cubed

Scorer = Callable[[dict[Hashable, Hashable]], float]


def agglomerative_oracle(distances: np.ndarray, ids: Sequence[str], gold: dict[str, str],
                         thresholds: Sequence[float] | None = None) -> tuple[dict[str, int], float]:
    """Average-link agglomerative clustering at the threshold that maximises B³-F1 on ``gold``."""
    from sklearn.cluster import AgglomerativeClustering

    grid = thresholds if thresholds is not None else np.round(np.arange(0.02, 1.0, 0.02), 2)
    best: tuple[float, float, dict[str, int]] = (-1.0, 0.0, {})
    for threshold in grid:
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=float(threshold))
        labels = model.fit_predict(distances)
        pred = {i: int(label) for i, label in zip(ids, labels)}
        f1 = b_cubed(pred, gold).f1
        if f1 > best[0]:
            best = (f1, float(threshold), pred)
    return best[2], best[1]


def cosine_distances(matrix: np.ndarray) -> np.ndarray:
    """1 - cosine similarity, clipped at 0 with a zero diagonal (what precomputed linkage expects)."""
    from sklearn.metrics.pairwise import cosine_similarity

    dist = 1.0 - cosine_similarity(matrix)
    np.fill_diagonal(dist, 0.0)
    return np.asarray(np.clip(dist, 0.0, 2.0))


def tfidf_agglomerative(texts: Sequence[str], ids: Sequence[str], gold: dict[str, str]) -> tuple[dict[str, int], float]:
    """TF-IDF (sublinear tf, English stop words) + average-link agglomerative, oracle threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return agglomerative_oracle(cosine_distances(matrix), ids, gold)


def embedding_agglomerative(embeddings: np.ndarray, ids: Sequence[str], gold: dict[str, str]) -> tuple[dict[str, int], float]:
    """MiniLM embeddings + average-link agglomerative, oracle threshold."""
    return agglomerative_oracle(cosine_distances(embeddings), ids, gold)


def bertopic_default(texts: Sequence[str], embeddings: np.ndarray, ids: Sequence[str]) -> dict[str, str]:
    """BERTopic with its defaults on our embeddings; outliers (-1) become singletons.

    UMAP gets ``random_state=42`` (all other values are BERTopic's defaults)
    so the table is reproducible.
    """
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(list(texts), embeddings)
    return {i: (f"t{t}" if t != -1 else f"outlier-{i}") for i, t in zip(ids, topics)}
