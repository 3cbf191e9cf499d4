"""Extractive event summaries: 3-5 non-redundant sentences chosen for coverage across outlets.

Maximal marginal relevance (Carbonell & Goldstein 1998) over the event's
sentences. A sentence's relevance is its cosine to the event centroid,
plus a bonus for the number of outlets that report its fact (from the fact
alignment) and a small lead bonus (news puts the happening first). Each
pick is penalised by its similarity to what is already chosen, and a
sentence from an article not yet cited gets a bonus, so the summary spreads
its citations over the sources. Near-duplicates (cosine ≥ ``max_similarity``
or the same fact) are never picked twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from collections.abc import Callable, Sequence

import numpy as np

from ..records import SummarySentence
from ..understand.facts import EventSentence, content_words, jaccard

_TERMINATED = re.compile(r"[.!?][\"”’')\]]*\s*$")
_NOISE = re.compile(r"^(read more|also read|read|related|photo|file photo|comments?|click|subscribe)\b", re.IGNORECASE)
# a page's date stamp glued to its first sentence (" date 2023-09-10 Indian Prime Minister …")
_HEADER = re.compile(r"^\s*(?:date\s+\d{4}(?:-\d\d){0,2}|(?:published|updated|posted)\s*:?[^A-Z]*)\s+(?=[A-Z\"“])",
                     re.IGNORECASE)


def clean_sentence(s: EventSentence) -> EventSentence | None:
    """The sentence without a leading date stamp; None when it is a fragment (opens in lower case or
    inside a quotation, or has an unclosed quotation mark)."""
    m = _HEADER.match(s.text)
    if m:
        s = replace(s, text=s.text[m.end():], start=s.start + m.end())
    text = s.text.lstrip()
    if not text or text[0].islower() or text[0] in ",;:)]”’" or text.count("“") != text.count("”") \
            or text.count('"') % 2:
        return None
    return s


@dataclass
class Candidate:
    sentence: EventSentence
    position: int           # index of the sentence in its article
    support: int = 1        # outlets reporting the same fact
    fact_id: str | None = None


class EventSummarizer:
    """Choose ``min_sentences``-``max_sentences`` cited sentences that cover an event.

    ``lambda_`` 0.7 weighs relevance against redundancy as in the MMR paper's
    news experiments; ``support_weight`` and ``new_source_bonus`` favour facts
    several outlets report and a spread of citations.
    """

    def __init__(self, min_sentences: int = 3, max_sentences: int = 5, lambda_: float = 0.7,
                 support_weight: float = 0.3, lead_weight: float = 0.1, new_source_bonus: float = 0.1,
                 max_similarity: float = 0.8, max_overlap: float = 0.6, min_words: int = 6,
                 max_words: int = 70) -> None:
        if not 1 <= min_sentences <= max_sentences:
            raise ValueError(f"need 1 <= min_sentences <= max_sentences, got {min_sentences}, {max_sentences}")
        self.min_sentences = min_sentences
        self.max_sentences = max_sentences
        self.lambda_ = lambda_
        self.support_weight = support_weight
        self.lead_weight = lead_weight
        self.new_source_bonus = new_source_bonus
        self.max_similarity = max_similarity
        self.max_overlap = max_overlap
        self.min_words = min_words
        self.max_words = max_words
        self.model: str | None = None      # the [embed] model (one section names it); the stage sets it

    def candidates(self, sentences: Sequence[EventSentence],
                   fact_of: dict[tuple[str, int], tuple[str, int]]) -> list[Candidate]:
        """Full sentences of a sensible length; ``fact_of`` maps (article, start) → (fact id, outlets)."""
        out: list[Candidate] = []
        position: dict[str, int] = {}
        for raw in sentences:
            pos = position.get(raw.article_id, 0)
            position[raw.article_id] = pos + 1
            s = clean_sentence(raw)
            if s is None:
                continue
            n = len(s.text.split())
            if n < self.min_words or n > self.max_words or not _TERMINATED.search(s.text) or _NOISE.match(s.text):
                continue
            fact_id, support = fact_of.get((raw.article_id, raw.start), (None, 1))
            out.append(Candidate(s, pos, support, fact_id))
        return out

    def summarize(self, sentences: Sequence[EventSentence],
                  fact_of: dict[tuple[str, int], tuple[str, int]] | None = None,
                  vectors: np.ndarray | None = None) -> list[SummarySentence]:
        """The summary: each sentence verbatim from one article, with that article as citation."""
        cands = self.candidates(sentences, fact_of or {})
        if not cands:
            return []
        if vectors is None:
            from ..represent import get_encoder

            vectors = get_encoder(self.model).encode([c.sentence.text for c in cands])
        chosen = self._select(cands, vectors)
        return [SummarySentence(cands[i].sentence.text, cands[i].sentence.article_id, cands[i].sentence.outlet)
                for i in chosen]

    def summarize_many(self, events: Sequence[tuple[Sequence[EventSentence], dict[tuple[str, int], tuple[str, int]]]],
                       encode: Callable[[Sequence[EventSentence]], np.ndarray] | None = None
                       ) -> list[list[SummarySentence]]:
        """Summaries of several events with one encoder call (most events are a single article).

        ``encode`` embeds sentences (the build passes a cache the fact alignment filled).
        """
        cands = [self.candidates(sentences, fact_of or {}) for sentences, fact_of in events]
        flat = [c.sentence for group in cands for c in group]
        if not flat:
            return [[] for _ in events]
        if encode is None:
            from ..represent import get_encoder

            vectors = get_encoder(self.model).encode([s.text for s in flat])
        else:
            vectors = encode(flat)
        out, at = [], 0
        for group in cands:
            chosen = self._select(group, vectors[at:at + len(group)]) if group else []
            out.append([SummarySentence(group[i].sentence.text, group[i].sentence.article_id, group[i].sentence.outlet)
                        for i in chosen])
            at += len(group)
        return out

    def _relevance(self, cands: Sequence[Candidate], vectors: np.ndarray) -> np.ndarray:
        """Centrality + outlet support + lead position."""
        centroid = vectors.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
        n_outlets = max(len({c.sentence.outlet for c in cands}), 1)
        support = np.array([(c.support - 1) / max(n_outlets - 1, 1) for c in cands])
        lead = np.array([1.0 / (1.0 + c.position) for c in cands])
        relevance: np.ndarray = vectors @ centroid + self.support_weight * support + self.lead_weight * lead
        return relevance

    def _select(self, cands: Sequence[Candidate], vectors: np.ndarray) -> list[int]:
        """Greedy MMR with a new-source bonus and a hard near-duplicate filter."""
        relevance = self._relevance(cands, vectors)
        sims = vectors @ vectors.T
        words = [content_words(c.sentence.text) for c in cands]
        n_articles = len({c.sentence.article_id for c in cands})
        k = min(len(cands), max(self.min_sentences, min(self.max_sentences, n_articles + 1)))
        chosen: list[int] = []
        while len(chosen) < k:
            best, best_score = None, -np.inf
            cited = {cands[j].sentence.article_id for j in chosen}
            facts = {fact for j in chosen if (fact := cands[j].fact_id)}
            for i in range(len(cands)):
                if i in chosen or self._redundant(i, chosen, cands, sims, words, facts):
                    continue
                redundancy = max((float(sims[i, j]) for j in chosen), default=0.0)
                score = self.lambda_ * relevance[i] - (1 - self.lambda_) * redundancy
                if cands[i].sentence.article_id not in cited:
                    score += self.new_source_bonus
                if score > best_score:
                    best, best_score = i, score
            if best is None:
                break
            chosen.append(best)
        return chosen

    def _redundant(self, i: int, chosen: list[int], cands: Sequence[Candidate], sims: np.ndarray,
                   words: list[set[str]], facts: set[str]) -> bool:
        """Near-duplicate of a chosen sentence, or the same fact already told."""
        if cands[i].fact_id and cands[i].fact_id in facts:
            return True
        return any(sims[i, j] >= self.max_similarity or jaccard(words[i], words[j]) >= self.max_overlap
                   for j in chosen)
