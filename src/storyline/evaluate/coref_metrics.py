"""Coreference metrics over mention → chain maps: MUC, B³, CEAF-e and their CoNLL average.

MUC (Vilain et al. 1995) counts links; B³ (Bagga & Baldwin 1998) averages
per mention; CEAF-e (Luo 2005) aligns gold and predicted chains one-to-one
by entity similarity φ4 = 2|K∩R| / (|K|+|R|). CoNLL F1 is the mean of the
three F1 scores (Pradhan et al. 2014). Singletons count in B³ and CEAF-e.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

from .metrics import PRF, b_cubed


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _chains(assign: Mapping[Hashable, Hashable], items: list[Hashable]) -> list[set[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item in items:
        groups[assign[item]].add(item)
    return list(groups.values())


def _muc_side(key: list[set[Hashable]], response: Mapping[Hashable, Hashable]) -> float:
    """MUC recall of ``key`` chains against a response map (swap for precision)."""
    num = den = 0
    for chain in key:
        parts = {response[m] for m in chain}
        num += len(chain) - len(parts)
        den += len(chain) - 1
    return num / den if den else 0.0


def muc(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    items = [k for k in gold if k in pred]
    r = _muc_side(_chains(gold, items), pred)
    p = _muc_side(_chains(pred, items), gold)
    return PRF(p, r, _f1(p, r))


def ceaf_e(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """Entity-based CEAF with the optimal one-to-one alignment.

    Chains only gain from partners they overlap, so the assignment is solved
    exactly per connected component of the overlap graph (Hungarian algorithm
    on each), which keeps corpus-size problems small.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    items = [k for k in gold if k in pred]
    g_chains, p_chains = _chains(gold, items), _chains(pred, items)
    g_index = {m: i for i, c in enumerate(g_chains) for m in c}
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    for j, chain in enumerate(p_chains):
        for m in chain:
            overlap[(g_index[m], j)] += 1
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in overlap:
        parent[find(("g", i))] = find(("p", j))
    components: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for i, j in overlap:
        components[find(("g", i))].append((i, j))
    total = 0.0
    for pairs in components.values():
        gs = sorted({i for i, _ in pairs})
        ps = sorted({j for _, j in pairs})
        sim = np.zeros((len(gs), len(ps)))
        gpos, ppos = {g: k for k, g in enumerate(gs)}, {q: k for k, q in enumerate(ps)}
        for i, j in pairs:
            sim[gpos[i], ppos[j]] = 2 * overlap[(i, j)] / (len(g_chains[i]) + len(p_chains[j]))
        r_idx, c_idx = linear_sum_assignment(-sim)
        total += float(sim[r_idx, c_idx].sum())
    p = total / len(p_chains) if p_chains else 0.0
    r = total / len(g_chains) if g_chains else 0.0
    return PRF(p, r, _f1(p, r))


def conll(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> dict[str, dict[str, float]]:
    """MUC, B³, CEAF-e and the CoNLL F1 (their mean) of one prediction."""
    scores = {"muc": muc(pred, gold), "b3": b_cubed(pred, gold), "ceafe": ceaf_e(pred, gold)}
    out = {k: v.as_dict() for k, v in scores.items()}
    out["conll_f1"] = {"f1": round(sum(v.f1 for v in scores.values()) / 3, 4)}
    return out
