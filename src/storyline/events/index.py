"""Candidate events for an incoming article: an inverted index over rare terms.

Each member of an event posts its ``top_k`` heaviest TF-IDF terms (rare
words and named phrases: places, names, numbers). An incoming article looks
up its own top terms and gets the events hit most often. Posting lists keep
only the most recent events per term, so one lookup costs at most
``top_k × max_postings`` — never a scan of all events.
"""
from __future__ import annotations

from collections import Counter, OrderedDict


class CandidateIndex:
    """Term → recent events posting lists, with most-hits-first candidate lookup.

    >>> idx = CandidateIndex(top_k=3)
    >>> idx.add("ev-1", [10, 11, 12])
    >>> idx.candidates([11, 99], limit=5)
    ['ev-1']
    """

    def __init__(self, top_k: int = 12, max_postings: int = 200) -> None:
        self.top_k = top_k
        self.max_postings = max_postings
        self.postings_: dict[int, OrderedDict[str, None]] = {}

    def add(self, event_id: str, terms: list[int]) -> None:
        """Post an event under some terms (most recent last; oldest dropped beyond ``max_postings``)."""
        for term in terms:
            posting = self.postings_.setdefault(term, OrderedDict())
            posting.pop(event_id, None)
            posting[event_id] = None
            if len(posting) > self.max_postings:
                posting.popitem(last=False)

    def candidates(self, terms: list[int], limit: int) -> list[str]:
        """Events sharing the most of ``terms``; ties go to the more recent event, deterministically."""
        hits: Counter[str] = Counter()
        recency: dict[str, int] = {}
        for term in terms:
            posting = self.postings_.get(term)
            if not posting:
                continue
            for rank, event_id in enumerate(reversed(posting)):
                hits[event_id] += 1
                recency[event_id] = min(recency.get(event_id, rank), rank)
        ranked = sorted(hits, key=lambda e: (-hits[e], recency[e], e))
        return ranked[:limit]
