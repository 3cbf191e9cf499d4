"""Candidate events for incoming articles: rare terms shared with an event's members.

Each article keeps its ``top_k`` heaviest TF-IDF terms (rare words and named
phrases: places, names, numbers), picked once, when it is clustered. An
event's terms are the union of its recent members' terms. An incoming article
gets the events that share the most of its own top terms - one sparse product
of the batch's terms against the active events' terms, so a chunk costs
O(batch × active events), never a scan of all events or all pairs.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .features import compact_columns


def term_matrix(term_lists: Sequence[Sequence[int]], n_features: int) -> sp.csr_matrix:
    """One binary row per list of term columns (a term listed twice counts once)."""
    lengths = np.fromiter((len(t) for t in term_lists), dtype=np.int64, count=len(term_lists))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.fromiter((c for t in term_lists for c in t), dtype=np.int64, count=int(indptr[-1]))
    matrix = sp.csr_matrix((np.ones(indices.size, dtype=np.float32), indices, indptr),
                           shape=(len(term_lists), n_features))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def candidate_events(queries: Sequence[Sequence[int]], events: Sequence[Sequence[int]],
                     recency: Sequence[int], limit: int, n_features: int) -> list[list[int]]:
    """For each query (an article's top terms), up to ``limit`` event indices sharing the most terms.

    Ties go to the more recent event (higher ``recency``), then the lower
    index, so the result is deterministic.

    >>> candidate_events([[10, 11], [99]], [[10, 12], [11, 10], [7]], [1, 2, 3], limit=5, n_features=128)
    [[1, 0], []]
    """
    if not events or not queries:
        return [[] for _ in queries]
    asked, known = compact_columns(term_matrix(queries, n_features), term_matrix(events, n_features))
    hits = (asked @ known.T).toarray()
    newest = -np.asarray(recency, dtype=np.float64)
    order_index = np.arange(len(events))
    out = []
    for row in hits:
        found = np.nonzero(row > 0)[0]
        ranked = found[np.lexsort((order_index[found], newest[found], -row[found]))]
        out.append([int(e) for e in ranked[:limit]])
    return out
