"""Story linking: each new event joins the most similar existing story, or opens one.

A story is a chain of events over weeks or years with the same actors and
subject (the April 2021 Lavrov visit to Islamabad and the May 2023 Goa
meeting are one story). An event is described by the TF-IDF vector of its
articles' words and named phrases (hashed, the same features the event
clusterer uses; named phrases weigh more, and IDF makes a rare actor count
far more than "government"). A story's profile is the sum of its events'
vectors, so a story is compared as a whole, never through one member; and
there is no time window at all: years apart still link when the actors and
subject match.

Candidates come from an inverted index of each story's heaviest terms, so
an event is scored against a bounded set of stories, never all of them.

>>> import numpy as np
>>> linker = StoryLinker(threshold=0.5)
>>> event = np.array([[0.6, 0.8, 0.0]])
>>> stories = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 1.0]])
>>> linker.choose(event, ["st-a", "st-b"], stories, np.linalg.norm(stories, axis=1))
('st-a', 1.0)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import ConfigError


class StoryLinker:
    """The link rule and the sizes of every profile; the state itself lives in the store.

    ``threshold`` is the mean cosine of an event's articles to a story
    profile above which the event joins the story. It was swept on News
    Story Chains (energy business: every article shares vocabulary with every
    other, so links must be tight) and WikiRef220 (broad topics of long web
    pages, where they must be loose), both with one event per article and
    with the event clusterer's events; with the events' first-order gate
    (word/embed floors) 0.15 keeps both above their floors: NSC 0.820, WikiRef
    0.902; 0.14 gives NSC 0.781, 0.16 WikiRef 0.890, 0.18 WikiRef 0.806
    (BENCHMARKS.md, "Stories and near-duplicates").
    ``article_terms`` caps each article's terms (its heaviest only);
    ``profile_terms`` caps a story profile; ``index_terms``/``query_terms``
    size the candidate index, ``max_postings`` bounds how many stories one
    term may propose (the most recently updated) and ``max_candidates`` how
    many of those (most shared weight first) are scored in full.
    """

    def __init__(self, threshold: float = 0.15, article_terms: int = 1000, profile_terms: int = 1000,
                 index_terms: int = 30, query_terms: int = 30, max_postings: int = 200,
                 max_candidates: int = 50) -> None:
        self.threshold = threshold
        self.article_terms = article_terms
        self.profile_terms = profile_terms
        self.index_terms = index_terms
        self.query_terms = query_terms
        self.max_postings = max_postings
        self.max_candidates = max_candidates
        self._check()

    def _check(self) -> None:
        """Fail early with the value and the allowed range."""
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"[stories] threshold must be in (0, 1), got {self.threshold}")
        for name in ("article_terms", "profile_terms", "index_terms", "query_terms", "max_postings",
                     "max_candidates"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"[stories] {name} must be >= 1, got {getattr(self, name)}")

    def scores(self, articles: np.ndarray, profiles: np.ndarray, norms: np.ndarray) -> np.ndarray:
        """Mean cosine of an event's articles (unit rows) to each story profile.

        ``profiles`` holds each profile restricted to the event's own terms
        (the only ones a dot product sees) and ``norms`` their full norms.
        Per article, not the event centroid: a centroid of many articles is
        smoother and scores higher against anything, so one threshold would
        mean different things for a 1-article and a 30-article event.
        """
        safe = np.where(norms > 0, norms, 1.0)
        scores: np.ndarray = (articles @ profiles.T).mean(axis=0) / safe
        return scores

    def choose(self, articles: np.ndarray, story_ids: Sequence[str], profiles: np.ndarray,
               norms: np.ndarray) -> tuple[str | None, float]:
        """The best story for an event and its score; None when none reaches the threshold.

        Ties go to the story listed first (callers list by creation order), for determinism.
        """
        if not story_ids:
            return None, 0.0
        scores = self.scores(articles, profiles, norms)
        best = int(np.argmax(scores))
        if scores[best] < self.threshold:
            return None, float(max(scores[best], 0.0))
        return story_ids[best], float(scores[best])

    def add_to_profile(self, profile: dict[int, float], event: Mapping[int, float]) -> dict[int, float]:
        """Sum an event into a profile and keep its ``profile_terms`` heaviest terms."""
        for term, weight in event.items():
            profile[term] = profile.get(term, 0.0) + weight
        if len(profile) > self.profile_terms:
            keep = sorted(profile.items(), key=lambda kv: (-kv[1], kv[0]))[: self.profile_terms]
            profile = dict(keep)
        return profile

    def heaviest(self, vector: Mapping[int, float], k: int) -> list[int]:
        """The ``k`` heaviest terms (ties by term, for determinism)."""
        return [t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
