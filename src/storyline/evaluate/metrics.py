"""Clustering metrics used across the project.

B³ (Bagga & Baldwin 1998): per item, precision = |own cluster ∩ gold cluster| /
|own cluster|, recall = the same over |gold cluster|, averaged over items.
Pairwise: precision/recall/F1 of "same cluster" over all item pairs.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Hashable, Mapping, Sequence, TypeVar


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


# Items are one hashable type (ids); Mapping is invariant in its key, so a TypeVar lets
# dict[str, int] and dict[str, str] be scored together.
K = TypeVar("K", bound=Hashable)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _check(pred: Mapping[K, Hashable], gold: Mapping[K, Hashable]) -> list[K]:
    items = [k for k in gold if k in pred]
    if not items:
        raise ValueError("prediction and gold share no items")
    return items


def b_cubed(pred: Mapping[K, Hashable], gold: Mapping[K, Hashable]) -> PRF:
    """B³ precision/recall/F1 of item→cluster maps, over the items both know."""
    items = _check(pred, gold)
    joint = Counter((pred[i], gold[i]) for i in items)
    pred_size = Counter(pred[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    p = sum(joint[(pred[i], gold[i])] / pred_size[pred[i]] for i in items) / len(items)
    r = sum(joint[(pred[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    return PRF(p, r, _f1(p, r))


def pairwise(pred: Mapping[K, Hashable], gold_pairs: set[frozenset[K]], items: Sequence[K]) -> PRF:
    """Precision/recall/F1 of predicted same-cluster pairs against gold positive pairs over ``items``."""
    groups: dict[Hashable, list[K]] = defaultdict(list)
    for item in items:
        if item in pred:
            groups[pred[item]].append(item)
    predicted = {frozenset(p) for members in groups.values() for p in combinations(members, 2)}
    tp = len(predicted & gold_pairs)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold_pairs) if gold_pairs else 0.0
    return PRF(p, r, _f1(p, r))


def pairs_from_clusters(assign: Mapping[K, Hashable]) -> set[frozenset[K]]:
    groups: dict[Hashable, list[K]] = defaultdict(list)
    for item, cluster in assign.items():
        groups[cluster].append(item)
    return {frozenset(p) for members in groups.values() for p in combinations(members, 2)}


def ari(pred: Mapping[K, Hashable], gold: Mapping[K, Hashable]) -> float:
    """Adjusted Rand index (scikit-learn) over the items both know."""
    from sklearn.metrics import adjusted_rand_score

    items = _check(pred, gold)
    return float(adjusted_rand_score([str(gold[i]) for i in items], [str(pred[i]) for i in items]))
