"""Facts across sources: sentences of one event's articles that report the same thing.

Two sentences from different articles are linked when their score

    cosine(embeddings) + lexical_weight · Jaccard(content words) + value_bonus · [a shared normalised value]

reaches ``threshold``, and each is the other's best match in its article
(mutual best match keeps one sentence from linking to everything). Linked
sentences form a fact; a fact's outlets are the distinct outlets of its
sentences (an article with no outlet counts as its own). Near-duplicate
copies (``duplicate_of``) are left out so a syndicated story counts once.
Values (numbers, years, durations; see :mod:`.values`) are compared across
outlets inside a fact to mark agreement or disagreement, and two outlets
naming different people for the same otherwise-equal sentence is a name
disagreement. Two sentences whose day words differ ("arrived on Tuesday",
"due next week", or no day at all) never link: a fact dated by one outlet
is confirmed only by outlets that give the same day.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..records import Fact
from .values import compare_values, day_spans, extract_values, same_days

_STOP = set("""a an the of to in on at for and or but with by from as is are was were be been being has have had
it its this that these those he she they we i you his her their our your said says will would can could
also not no than then there here which who whom whose what when where while about after before into over
under more most such other some any both each all two one""".split())


@lru_cache(maxsize=65_536)
def sentence_values(text: str, published: dt.date | None) -> frozenset[tuple[str, str, float]]:
    """:func:`extract_values` once per sentence: facts read a candidate's values to score its pairs and
    again to compare outlets (47k calls on gva, 10 of the 35 CPU-s of facts under cProfile)."""
    return frozenset(extract_values(text, published))



@dataclass
class EventSentence:
    """One candidate sentence of an event's article."""

    article_id: str
    outlet: str
    text: str
    published: dt.date | None = None
    start: int = 0
    end: int = 0
    persons: frozenset[str] = field(default_factory=frozenset)


_TERMINATED = re.compile(r"[.!?][\"”’')\]]*\s*$")
# values specific enough that two sentences stating the same one report the same fact
_ANCHOR_KINDS = {"year", "percent", "money"}


def content_words(text: str) -> set[str]:
    """Lower-case content words (stop words and short tokens dropped)."""
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in _STOP}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _incidence(sets: Sequence[set[Any] | frozenset[Any]]) -> Any:
    """A sparse 0/1 matrix, one row per set, one column per distinct member."""
    from scipy.sparse import csr_matrix

    index: dict[Any, int] = {}
    cols = [index.setdefault(x, len(index)) for members in sets for x in members]
    rows = np.repeat(np.arange(len(sets)), [len(members) for members in sets])
    data = np.ones(len(cols), dtype=np.int64)
    return csr_matrix((data, (rows, np.array(cols, dtype=np.int64))), shape=(len(sets), max(len(index), 1)))


def jaccard_matrix(sets: Sequence[set[str]]) -> np.ndarray:
    """:func:`jaccard` of every pair of sets at once (the same floats: integer counts, one division)."""
    m = _incidence(sets)
    inter = (m @ m.T).toarray()
    sizes = np.array([len(x) for x in sets], dtype=np.int64)
    union = sizes[:, None] + sizes[None, :] - inter
    both = (sizes[:, None] > 0) & (sizes[None, :] > 0)
    out: np.ndarray = np.divide(inter, union, out=np.zeros(inter.shape), where=both)
    return out


def _sharing(sets: Sequence[set[Any]]) -> np.ndarray:
    """Which pairs of sets have a member in common."""
    m = _incidence(sets)
    return np.asarray((m @ m.T).toarray() > 0)


def same_days_matrix(days: Sequence[frozenset[tuple[int, int]]]) -> np.ndarray:
    """:func:`same_days` of every pair, computed once per pair of distinct day sets."""
    kinds: dict[frozenset[tuple[int, int]], int] = {}
    idx = np.array([kinds.setdefault(d, len(kinds)) for d in days], dtype=np.int64)
    table = np.array([[same_days(a, b) for b in kinds] for a in kinds], dtype=bool).reshape(len(kinds), len(kinds))
    return table[np.ix_(idx, idx)]


# The link threshold on the combined score for each encoder, fitted on 192 hand-labelled sentence pairs
# of gva and newsdev (benchmarks/facts_threshold.py, tests/understand/FACTS_LABELLING.md): fitted on
# either corpus, the same value within 0.01 maximises F1 on the other. The static model's cosines run
# higher than MiniLM's, so one threshold cannot serve both.
THRESHOLDS = {"minilm-static": 0.81, "static": 0.81, "all-MiniLM-L6-v2": 0.62}
OTHER_MODEL_THRESHOLD = 0.75        # a model not fitted: the value first chosen on the seeds with MiniLM


class FactAligner:
    """Group an event's sentences into facts and build the fact × outlet coverage.

    ``threshold`` on the combined score: None (the default) takes the value
    fitted for the encoder in use (:data:`THRESHOLDS`); paraphrases of one
    fact by different outlets score 0.8-1.2 with either, sentences that
    merely share the topic 0.4-0.7.
    """

    def __init__(self, threshold: float | None = None, lexical_weight: float = 0.3, value_bonus: float = 0.15,
                 min_words: int = 6, max_sentences: int = 80, match_days: bool = True) -> None:
        self.threshold = threshold
        self.match_days = match_days        # False only to measure what the day-word rule costs
        self.lexical_weight = lexical_weight
        self.value_bonus = value_bonus
        self.min_words = min_words
        self.max_sentences = max_sentences
        self.model: str | None = None      # the [embed] model (one section names it); the stage sets it

    def link_threshold(self) -> float:
        """The threshold set, else the one fitted for the encoder ``model`` stands for on this machine."""
        if self.threshold is not None:
            return float(self.threshold)
        from ..represent.embed import choose_model

        name = choose_model(self.model).removeprefix("sentence-transformers/")
        return THRESHOLDS.get(name, OTHER_MODEL_THRESHOLD)

    def candidates(self, sentences: Sequence[EventSentence]) -> list[EventSentence]:
        """Sentences long enough to state a fact, the first ``max_sentences`` of each article."""
        kept: list[EventSentence] = []
        per_article: dict[str, int] = {}
        for s in sentences:
            # headlines, captions and tag lists carry no full stop and state no fact of their own
            if len(s.text.split()) < self.min_words or not _TERMINATED.search(s.text):
                continue
            n = per_article.get(s.article_id, 0)
            if n < self.max_sentences:
                kept.append(s)
                per_article[s.article_id] = n + 1
        return kept

    def score_matrix(self, sentences: Sequence[EventSentence],
                     vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Pairwise scores (cosine + lexical overlap + shared-value bonus) and which pairs share a specific value;
        -1 for two sentences whose day words differ, so that they never link."""
        if vectors is None:
            from ..represent import get_encoder

            vectors = get_encoder(self.model).encode([s.text for s in sentences])
        scores = vectors @ vectors.T
        n = len(sentences)
        pairs = ~np.eye(n, dtype=bool)
        if self.match_days:
            # "arrived on Tuesday" and "due next week" (or no day at all) are not one fact
            same = same_days_matrix([day_spans(s.text, s.published) for s in sentences])
            scores[pairs & ~same] = -1.0
            pairs &= same
        # the bonus asks whether two sentences state one value of one thing: "13 people dead" and "13 people"
        # share it (what happened to them only decides whether two counts disagree, in compare_values)
        values = [{(k, u.split(" ")[0], v) for k, u, v in sentence_values(s.text, s.published)} for s in sentences]
        shared = _sharing(values)
        extra = self.lexical_weight * jaccard_matrix([content_words(s.text) for s in sentences])
        extra = np.where(shared, extra + self.value_bonus, extra)
        # float32 + float32, as a float32 score plus a Python float adds under numpy's promotion rules
        scores[pairs] += extra[pairs].astype(scores.dtype)
        anchored = pairs & _sharing([{v for v in vs if v[0] in _ANCHOR_KINDS} for vs in values])
        return scores, anchored

    def align(self, event_id: str, sentences: Sequence[EventSentence],
              vectors: np.ndarray | None = None) -> list[Fact]:
        """Facts of one event, each with its sentences, outlets and value checks."""
        cands = self.candidates(sentences)
        if not cands:
            return []
        if vectors is not None:
            index = {id(s): i for i, s in enumerate(sentences)}
            vectors = vectors[[index[id(s)] for s in cands]]
        scores, anchored = self.score_matrix(cands, vectors)
        groups = self._link(cands, scores, anchored)
        return [self._make_fact(event_id, [cands[i] for i in g], scores[np.ix_(g, g)]) for g in groups]

    def _link(self, sents: Sequence[EventSentence], scores: np.ndarray, anchored: np.ndarray) -> list[list[int]]:
        """Connected components of mutual-best cross-article links above the threshold."""
        n = len(sents)
        parent = list(range(n))
        threshold = self.link_threshold()

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        articles = sorted({s.article_id for s in sents})
        members = {a: [i for i in range(n) if sents[i].article_id == a] for a in articles}
        for i in range(n):
            for a in articles:
                if a == sents[i].article_id:
                    continue
                js = members[a]
                j = js[int(np.argmax(scores[i, js]))]
                if scores[i, j] < threshold:
                    continue
                back = members[sents[i].article_id]
                if back[int(np.argmax(scores[j, back]))] == i:
                    parent[find(j)] = find(i)
        # a shared specific value (a year, a percentage, a sum) links without the mutual-best test:
        # compound sentences state several facts, and the value says which one two sentences share
        for i, j in zip(*np.nonzero(np.triu(anchored & (scores >= threshold), 1)), strict=True):
            if sents[i].article_id != sents[j].article_id:
                parent[find(int(j))] = find(int(i))
        groups: dict[int, list[int]] = {}
        for i in range(n):
            groups.setdefault(find(i), []).append(i)
        return sorted(groups.values(), key=lambda g: (-len({sents[i].outlet for i in g}), g[0]))

    def _make_fact(self, event_id: str, group: list[EventSentence], scores: np.ndarray) -> Fact:
        """A fact from linked sentences: medoid as its text, outlets, single-outlet flag, value checks."""
        medoid = group[int(np.argmax(scores.sum(axis=1)))] if len(group) > 1 else group[0]
        outlets = sorted({s.outlet for s in group})
        by_outlet: dict[str, set[tuple[str, str, float]]] = {}
        for s in group:
            by_outlet.setdefault(s.outlet, set()).update(sentence_values(s.text, s.published))
        agree, disagree = compare_values(by_outlet)
        disagree += _name_disagreements(group)
        sentences = [{"article_id": s.article_id, "outlet": s.outlet, "text": s.text, "start": s.start,
                      "end": s.end} for s in group]
        key = "|".join(sorted(f"{s.article_id}:{s.start}" for s in group))
        fid = "f-" + hashlib.sha1(f"{event_id}|{key}".encode()).hexdigest()[:12]
        return Fact(fid, event_id, medoid.text, sentences, outlets, len(outlets) == 1, disagree, agree)


def _name_disagreements(group: Sequence[EventSentence]) -> list[dict[str, Any]]:
    """Outlets naming a different person in otherwise near-identical sentences of one fact.

    Both sentences must name exactly one person and share at least half of
    their content words (Jaccard ≥ 0.5); otherwise two people quoted about
    one happening would read as a conflict.
    """
    named = [s for s in group if len(s.persons) == 1]
    for i, a in enumerate(named):
        for b in named[:i]:
            if a.outlet != b.outlet and a.persons != b.persons and \
                    jaccard(content_words(a.text), content_words(b.text)) >= 0.5:
                return [{"kind": "name", "unit": "person",
                         "values": {b.outlet: next(iter(b.persons)), a.outlet: next(iter(a.persons))}}]
    return []
