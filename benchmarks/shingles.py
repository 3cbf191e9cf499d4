"""The article-extraction-benchmark score: 4-token shingle multiset overlap.

Written from the benchmark's own definition (scrapinghub/article-extraction-
benchmark README, evaluate.py): text → ``\\w+`` tokens → multiset of 4-token
shingles; per page TP/FP/FN are the count overlap normalised to sum 1;
precision and recall are averaged over pages and F1 is taken from the two
averages.  Shared by ``aeb.py`` and ``cleaneval.py``.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def shingles(text: str, n: int = SHINGLE) -> Counter:
    """Multiset of n-token shingles; the unit the benchmark counts."""
    tokens = TOKEN_RE.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """TP/FP/FN of one page, normalised to sum 1 so every page weighs the same."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:                      # both empty: a perfect page
        return 1.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def score_pages(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall (averaged over pages) and F1 over (gold, predicted) pairs."""
    precisions, recalls = [], []
    for gold, pred in pairs:
        tp, fp, fn = page_counts(gold, pred)
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    n = len(precisions)
    p = sum(precisions) / n if n else 0.0
    r = sum(recalls) / n if n else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "pages": n}
