"""Online event clustering: each article, in publication order, joins an event or opens one.

An article is compared only with candidate events from :func:`candidate_events`
(events that share one of its rarest terms and lie within the time window),
so the cost per article is bounded and a corpus costs about linear time.
The similarity to an event is average-link over the event's recent members
(not just a centroid: a centroid of a growing event drifts towards the
generic), mixed from three signals:

* words and named phrases, TF-IDF over a hashed vocabulary whose document
  frequencies grow with every batch;
* sentence embeddings of title + lead (optional);
* time: publication dates more than a few days from the event's dates
  lower the score; undated articles simply get no time term.

Past assignments never change: a later batch only adds articles to events
or opens new ones, so event ids (a hash of the opening article's id) are
stable across incremental builds.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ..errors import ConfigError
from .dating import lead_weekday, reference_date
from .features import ArticleFeaturizer, Idf, add_document_frequency, compact_columns, top_terms_of, weigh
from .index import candidate_events


@dataclass
class ArticleItem:
    """What the clusterer needs of one article."""

    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    embedding: np.ndarray | None = None
    duplicate_of: str | None = None
    position: int | None = None                       # processing position, when restored from a store
    terms: list[int] | None = None                          # cached top terms (hashed columns)
    profile: tuple[np.ndarray, np.ndarray] | None = None   # cached nearest neighbours (positions, similarities)


@dataclass
class EventState:
    """One event as the clusterer sees it: members in joining order and their publication dates."""

    id: str
    members: list[str] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None
    last_position: int = 0            # processing position of the latest member (recency for undated corpora)

    def add(self, article_id: str, date: dt.date | None, position: int) -> None:
        self.members.append(article_id)
        if date is not None:
            self.first = date if self.first is None else min(self.first, date)
            self.last = date if self.last is None else max(self.last, date)
        self.last_position = position


WEEKDAY_LAG = 2       # days: a happening is reported on its day or within two days after
CENTRE_PRIOR = 50     # articles: the embedding mean is removed in full only once well past this many


def event_id_for(article_id: str) -> str:
    """Stable id of the event an article opens: the same article always opens the same id."""
    return "ev-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


class EventClusterer:
    """Online, incremental event clustering.

    ``partial_fit(batch)`` takes articles in publication order; learned state:
    ``events_`` (id → :class:`EventState`), ``assignments_`` (article id →
    event id), ``df_``/``n_docs_`` (document frequencies of the hashed terms).

    Defaults were chosen once, on ECB+ by two-fold cross-validation over its
    topics (odd/even), and are used for every corpus: ``threshold`` (the
    combined similarity needed to join) is the mean of the two folds' best
    values, 0.40 and 0.45; ``lead_weight`` 2 counts the title and lead twice
    (news puts the happening first). Held-out B³-F1 0.940 / 0.927 per fold.
    ``neighbors`` (10) sets the shared-nearest-neighbour profile size: 8 or
    12 cost 0.01-0.02 F1 on ECB+, where a gold event has 11 articles on average.
    ``max_active`` (5,000) bounds the events a batch may join, newest first:
    undated articles have no time window, and this keeps a batch's cost flat.
    ``word_floor`` (0.2) and ``embed_floor`` (0.7) gate the second-order
    similarity by the first-order one: the floors are mixed with the same
    weights as the signals (0.4 with embeddings, 0.2 without), and below the
    floor shared neighbours count in proportion (first / floor). Why: in a
    small universe (one day of a 100-article corpus) 10 neighbours cover most
    of it, so any two articles of one domain "share neighbours"; two reports
    of one happening are also directly alike. Measured (BENCHMARKS.md): ECB+
    B³-F1 0.942 → 0.938 (no embeddings 0.921 → 0.919); News Story Chains
    events pairwise F1 0.707 → 0.940. A gate on the mixed similarity alone
    (0.4 whatever the signals) cost ECB+ without embeddings 0.921 → 0.833.

    Re-fitted for the static CPU encoder and messy coverage (issue 15;
    BENCHMARKS.md "Events on messy real coverage", leave-one-corpus-out over
    ECB+, newsdev and gva): embeddings are centred (the running mean of all
    vectors seen is removed, like IDF for words), which puts the static
    model's and MiniLM's cosines on one scale, so one ``embed_floor`` (0.4)
    serves both; ``neighbor_ratio`` (0.5) lets the neighbourhood adapt to
    local density (a neighbour counts only at half the closest one's
    similarity or more), so a one-article incident does not "share
    neighbours" with every look-alike; ``threshold`` 0.40. ``weekdays``: an
    undated article whose lead says "on Sunday" cannot join a dated event
    none of whose days is a Sunday (see ``_Chunk._weekday_penalty``).
    ``embed_weight`` 0.4 -> 0.3 (words 0.6): picked in every fold of
    leave-one-corpus-out over ECB+, newsdev and gva, scored on both encoders
    (BENCHMARKS.md "Events: weekdays of undated articles"); gva 0.891 ->
    0.897, newsdev (MiniLM) 0.892 -> 0.914, ECB+ 0.933 -> 0.937.
    ``name_floor`` (0.1): the embeddings count between two articles only
    as far as their names (the words of their named phrases, IDF-weighted)
    agree, in full from a names cosine of 0.1 (see ``_name_gate``): an
    encoder sees two look-alike happenings as alike, the names tell them
    apart. Chosen by leave-one-corpus-out over ECB+, newsdev, gva and the
    generated 10k corpus (BENCHMARKS.md "Events, fifth session").

    >>> c = EventClusterer(use_embeddings=False)
    >>> _ = c.partial_fit([ArticleItem("a", "Earthquake of magnitude 6.1 hits Lima, Peru."),
    ...                    ArticleItem("b", "A magnitude 6.1 earthquake hit Lima, Peru on Monday.")])
    >>> c.assignments_["a"] == c.assignments_["b"]
    True
    """

    def __init__(self, threshold: float = 0.40, word_weight: float = 0.6, embed_weight: float = 0.3,
                 max_link_weight: float = 0.3, use_embeddings: bool = True, window_days: int = 30,
                 time_scale_days: float = 10.0, time_weight: float = 0.15, top_k: int = 12,
                 max_candidates: int = 40, max_members: int = 100, n_features: int = 2**20,
                 phrase_weight: float = 1.0, lead_weight: float = 2.0, max_active: int = 5000,
                 date_from_text: bool = False, neighbors: int = 10, second_order: float = 1.0,
                 max_universe: int = 4000, word_floor: float = 0.2,
                 embed_floor: float = 0.4, neighbor_ratio: float = 0.5, center_embeddings: bool = True,
                 weekdays: bool = True, name_floor: float = 0.1) -> None:
        self.threshold = threshold
        self.word_weight = word_weight
        self.embed_weight = embed_weight
        self.max_link_weight = max_link_weight
        self.use_embeddings = use_embeddings
        self.window_days = window_days
        self.time_scale_days = time_scale_days
        self.time_weight = time_weight
        self.top_k = top_k
        self.max_candidates = max_candidates
        self.max_members = max_members
        self.n_features = n_features
        self.phrase_weight = phrase_weight
        self.lead_weight = lead_weight
        self.max_active = max_active
        self.date_from_text = date_from_text
        self.neighbors = neighbors
        self.second_order = second_order
        self.max_universe = max_universe
        self.word_floor = word_floor
        self.embed_floor = embed_floor
        self.neighbor_ratio = neighbor_ratio
        self.center_embeddings = center_embeddings
        self.weekdays = weekdays
        self.name_floor = name_floor
        self._check()

    def _check(self) -> None:
        """Fail early with the value and the allowed range."""
        for name in ("threshold", "max_link_weight", "word_floor", "embed_floor", "neighbor_ratio", "name_floor"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"[events] {name} = {value!r}; allowed 0..1")
        for name in ("window_days", "top_k", "max_candidates", "max_members", "max_active"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"[events] {name} = {getattr(self, name)!r}; must be >= 1")
        if self.word_weight < 0 or self.embed_weight < 0 or self.word_weight + self.embed_weight <= 0:
            raise ConfigError("[events] word_weight and embed_weight must be >= 0 and not both 0")

    # -- state ----------------------------------------------------------
    def _init_state(self) -> None:
        if hasattr(self, "events_"):
            return
        self.featurizer_ = ArticleFeaturizer(self.n_features, self.phrase_weight, self.lead_weight)
        self.df_ = np.zeros(self.n_features, dtype=np.int64)
        self.n_docs_ = 0
        self.events_: dict[str, EventState] = {}
        self.assignments_: dict[str, str] = {}
        self.position_ = 0
        self.emb_sum_: np.ndarray | None = None       # running sum of every embedding seen (for centring)
        self.emb_n_ = 0
        # per-member cache: raw tf row, embedding, date, processing position and neighbour
        # profile (only members of active events are kept)
        self._rows: dict[str, sp.csr_matrix] = {}
        self._names: dict[str, sp.csr_matrix] = {}     # 0/1 masks of the word columns of the article's names
        self._emb: dict[str, np.ndarray] = {}
        self._dates: dict[str, dt.date | None] = {}
        self._pos: dict[str, int] = {}
        self._profiles: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.changed_profiles_: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.changed_columns_ = np.zeros(0, dtype=np.int64)     # df columns the last batch changed
        self._terms: dict[str, list[int]] = {}          # top terms, picked when the article was clustered
        self.changed_terms_: dict[str, list[int]] = {}

    def restore(self, df: np.ndarray, n_docs: int, position: int, events: Sequence[EventState],
                members: Sequence[ArticleItem], emb_sum: np.ndarray | None = None,
                emb_n: int = 0) -> EventClusterer:
        """Reload learned state saved earlier (document frequencies, embedding sum, active events and members)."""
        self._init_state()
        self.df_ = np.asarray(df, dtype=np.int64)       # no copy of the 2**20 counts when in sync
        self.emb_sum_ = None if emb_sum is None else np.asarray(emb_sum, dtype=np.float64)
        self.emb_n_ = int(emb_n)
        self.n_docs_ = int(n_docs)
        self.position_ = int(position)
        self.events_ = {e.id: e for e in events}
        for event in events:
            for article_id in event.members:
                self.assignments_[article_id] = event.id
        self._cache_members([m for m in members if m.id not in self._rows])
        return self

    def _cache_members(self, items: list[ArticleItem]) -> sp.csr_matrix:
        """Featurize articles once and keep their rows, embeddings and dates for later batches."""
        rows, names = self.featurizer_.transform_with_names([i.text for i in items], [i.title for i in items])
        for k, item in enumerate(items):
            self._rows[item.id] = rows[k]
            self._names[item.id] = names[k]
            self._dates[item.id] = item.date
            if item.position is not None:
                self._pos[item.id] = int(item.position)
            if item.profile is not None:
                self._profiles[item.id] = item.profile
            if item.terms is not None:
                self._terms[item.id] = list(item.terms)
            if self.use_embeddings and item.embedding is not None:
                self._emb[item.id] = np.asarray(item.embedding, dtype=np.float32)
        return rows

    # -- fitting --------------------------------------------------------
    def partial_fit(self, batch: Sequence[ArticleItem]) -> EventClusterer:
        """Assign every article of ``batch`` (in the order given) to an event; returns self."""
        self._init_state()
        if not batch:
            return self
        items = [self._with_reference_date(i) for i in batch]
        if self.use_embeddings and any(i.embedding is None for i in items):
            raise ConfigError("use_embeddings is on but some articles have no embedding")
        rows = self._cache_members(items)
        self._add_embeddings(items)
        self.changed_columns_ = np.unique(rows.indices)
        self.changed_profiles_ = {}
        self.changed_terms_ = {}
        for k, item in enumerate(items):
            self._pos[item.id] = self.position_ + k + 1
        add_document_frequency(self.df_, rows)
        self.n_docs_ += len(items)
        idf = Idf(self.df_, self.n_docs_)
        dates = [i.date for i in items if i.date is not None]
        active = self._active_events(min(dates) if dates else None)
        chunk = _Chunk(self, idf, active, items)
        for k, item in enumerate(items):
            self.position_ += 1
            event_id = self._assign(item, chunk, k)
            self.events_.setdefault(event_id, EventState(event_id)).add(item.id, item.date, self.position_)
            self.assignments_[item.id] = event_id
            chunk.join(k, event_id)
        self._evict()
        return self

    def adopt(self, batch: Sequence[ArticleItem], labels: dict[str, str]) -> EventClusterer:
        """Record assignments decided elsewhere (windows clustered on Dask workers) as ``partial_fit`` would.

        Document frequencies, positions, top terms and event dates advance
        exactly as if this clusterer had made the same choices, so the saved
        state lets a later build continue from here. Neighbour lists are not
        kept; members without one get theirs from the next batch's universe.
        """
        self._init_state()
        items = [self._with_reference_date(i) for i in batch]
        rows = self.featurizer_.transform([i.text for i in items], [i.title for i in items])
        self._add_embeddings(items)
        add_document_frequency(self.df_, rows)
        self.n_docs_ += len(items)
        self.changed_columns_ = np.unique(rows.indices)
        idf = Idf(self.df_, self.n_docs_)
        self.changed_profiles_ = {}
        self.changed_terms_ = dict(zip([i.id for i in items], top_terms_of(weigh(rows, idf), self.top_k), strict=True))
        for item in items:
            self.position_ += 1
            event_id = labels[item.id]
            self.events_.setdefault(event_id, EventState(event_id)).add(item.id, item.date, self.position_)
            self.assignments_[item.id] = event_id
        return self

    def _add_embeddings(self, items: Sequence[ArticleItem]) -> None:
        """Add a batch's vectors to the running sum whose mean is removed before comparing (see ``_centred``)."""
        vectors = [i.embedding for i in items if i.embedding is not None]
        if not vectors:
            return
        total = np.asarray(vectors, dtype=np.float64).sum(axis=0)
        self.emb_sum_ = total if self.emb_sum_ is None else self.emb_sum_ + total
        self.emb_n_ += len(vectors)

    def _centred(self, emb: np.ndarray) -> np.ndarray:
        """Vectors minus the mean of everything seen so far, re-normalised.

        Like IDF for words: what all articles of a corpus share (every
        shooting report "looks like" a shooting report) stops counting as
        likeness. A static (model2vec) encoder needs this most: its cosines
        between unrelated articles of one domain sit near its cosines
        between reports of one happening.
        """
        if not self.center_embeddings or self.emb_sum_ is None or self.emb_n_ < 2:
            return emb
        # shrunk towards no centring while few vectors are seen: the mean of five reports of one
        # happening is that happening, and removing it split the seeds' one event into three
        shrink = self.emb_n_ / (self.emb_n_ + CENTRE_PRIOR)
        out = emb - (shrink * self.emb_sum_ / self.emb_n_).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: np.ndarray = out / norms
        return unit

    def _with_reference_date(self, item: ArticleItem) -> ArticleItem:
        """An undated article takes the first full date of its lead (dateline/byline) as its time."""
        if item.date is not None or not self.date_from_text:
            return item
        when = reference_date(item.text)
        if when is None:
            return item
        return ArticleItem(item.id, item.text, item.title, when, item.embedding, item.duplicate_of)

    def _assign(self, item: ArticleItem, chunk: _Chunk, k: int) -> str:
        """The event this article joins: its original's, the best candidate above threshold, or a new one."""
        if item.duplicate_of and item.duplicate_of in self.assignments_:
            return self.assignments_[item.duplicate_of]
        best, score = chunk.best(k)
        if best is not None and score >= self.threshold:
            return best
        return event_id_for(item.id)

    def _active_events(self, since: dt.date | None) -> list[EventState]:
        """Events that a batch starting at ``since`` may still join: recent enough, newest ``max_active``."""
        events = sorted(self.events_.values(), key=lambda e: e.last_position)
        if since is not None:
            horizon = since - dt.timedelta(days=self.window_days)
            events = [e for e in events if e.last is None or e.last >= horizon]
        return events[-self.max_active:]

    def _evict(self) -> None:
        """Drop cached rows of members no event can use any more, bounding memory on long streams."""
        keep_events = {e.id for e in self._active_events(max((d for d in self._dates.values() if d), default=None))}
        keep = {m for eid in keep_events for m in self.events_[eid].members[-self.max_members:]}
        for cache in (self._rows, self._names, self._emb, self._dates, self._pos, self._profiles, self._terms):
            for key in [k for k in cache if k not in keep]:
                del cache[key]

    def fit_predict(self, batch: Sequence[ArticleItem]) -> list[str]:
        """Cluster ``batch`` from scratch state-wise as given; return event ids in batch order."""
        self.partial_fit(batch)
        return [self.assignments_[i.id] for i in batch]


class _Chunk:
    """Similarities among one batch and the recent members of its candidate events.

    First-order similarity mixes TF-IDF and embedding cosines. Second-order
    similarity compares the two articles' ``neighbors`` nearest neighbours
    (shared-nearest-neighbour, Jarvis & Patrick 1973): two reports of one
    happening have the same neighbours, while a look-alike happening of
    the same kind (another earthquake) has its own. On ECB+ this lifted
    online B³-F1 from 0.88 to 0.93 (BENCHMARKS.md); the universe is capped
    at ``max_universe`` articles, so a batch costs O(batch × cap).
    """

    def __init__(self, clusterer: EventClusterer, idf: Idf, active: list[EventState],
                 items: list[ArticleItem]) -> None:
        self.c = clusterer
        old = self._old_members(idf, active, items)
        self.n_old = len(old)
        ids = old + [i.id for i in items]
        self.sim = self._similarity(ids, idf)
        self.events: list[str] = []
        self.local: dict[str, int] = {}
        self.event_of = np.full(len(ids), -1, dtype=np.int64)
        self.first: list[float] = []
        self.last: list[float] = []
        self.dates = [clusterer._dates.get(a) for a in ids]
        self.weekdays = [lead_weekday(i.text, i.title) if i.date is None and clusterer.weekdays else None
                         for i in items]
        for pos, article_id in enumerate(old):
            self._place(pos, clusterer.assignments_[article_id])

    def _old_members(self, idf: Idf, active: list[EventState], items: list[ArticleItem]) -> list[str]:
        """Recent members of the active events that share rare terms with any article of the batch."""
        c = self.c
        batch_terms = top_terms_of(weigh(_stack([c._rows[i.id] for i in items]), idf), c.top_k)
        for item, terms in zip(items, batch_terms, strict=True):
            c._terms[item.id] = terms
            c.changed_terms_[item.id] = terms
        if not active:
            return []
        horizon = _horizon(items, c.window_days)
        recent = [[m for m in event.members if m in c._rows and _within(c._dates.get(m), horizon)][-c.max_members:]
                  for event in active]
        missing = [m for members in recent for m in members if m not in c._terms]
        if missing:   # saved before terms were kept: take them with today's weights
            missing_terms = top_terms_of(weigh(_stack([c._rows[m] for m in missing]), idf), c.top_k)
            c._terms.update(zip(missing, missing_terms, strict=True))
        event_terms = [[t for m in members for t in c._terms[m]] for members in recent]
        found = candidate_events([c._terms[i.id] for i in items], event_terms,
                                 [e.last_position for e in active], c.max_candidates, c.n_features)
        wanted = {e for row in found for e in row}
        chosen = sorted(wanted, key=lambda e: -active[e].last_position)
        members: list[str] = []
        for e in chosen:
            if len(members) + len(recent[e]) > c.max_universe:
                break
            members.extend(recent[e])
        return members

    def _similarity(self, ids: list[str], idf: Idf) -> np.ndarray:
        """Rows of the batch articles against the whole universe: first- and second-order mixed.

        Only the batch's rows are computed (batch × universe). Each article
        keeps its ``neighbors`` nearest neighbours with their first-order
        similarities, cached and saved with it: a batch article takes its
        top ones in the universe, and an old member merges in the batch
        articles that beat its current ones. So a member's profile is its
        nearest neighbours among everything seen so far - what one build over
        the whole corpus would give it - at O(batch × universe) per chunk
        instead of universe². Measured (BENCHMARKS.md): the 10k generated
        corpus clustered 2x faster (70.5 -> 34.7 s, words only); ECB+ is one
        chunk and does not change.
        """
        c = self.c
        emb = None
        if c.use_embeddings and all(a in c._emb for a in ids):
            emb = c._centred(np.stack([c._emb[a] for a in ids]))
        weight = c.word_weight + (c.embed_weight if emb is not None else 0.0)
        weighted = weigh(_stack([c._rows[a] for a in ids]), idf)
        names = None
        if emb is not None and c.name_floor > 0:      # name masks over the same compacted columns
            words, masks = compact_columns(weighted, _stack([c._names[a] for a in ids]))
            names = _names_only(words, masks)
        else:
            words = compact_columns(weighted)[0]

        def first(rows: np.ndarray) -> np.ndarray:
            block: np.ndarray = c.word_weight * (words[rows] @ words.T).toarray()
            if emb is not None:
                cosines = emb[rows] @ emb.T
                if names is not None:
                    cosines = np.where(cosines > 0, cosines * _name_gate(names, rows, c.name_floor), cosines)
                block += c.embed_weight * cosines
            return (block / weight).astype(np.float32)

        new = first(np.arange(self.n_old, len(ids)))
        if c.second_order <= 0:
            return new
        k = min(c.neighbors, len(ids) - 1)
        positions = np.asarray([c._pos[a] for a in ids], dtype=np.int64)
        changed = c.changed_profiles_
        for j in range(new.shape[0]):
            changed[ids[self.n_old + j]] = _nearest(positions, new[j], k, c.neighbor_ratio)
        for i in range(self.n_old):
            cached = c._profiles.get(ids[i])
            if cached is None:       # saved before profiles were kept: take its neighbours in this universe
                changed[ids[i]] = _nearest(positions, first(np.asarray([i]))[0], k, c.neighbor_ratio)
                continue
            column = new[:, i]
            if column.size and (cached[1].size <= k or column.max() >= cached[1].min()):
                merged = _nearest(np.concatenate([cached[0], positions[self.n_old:]]),
                                  np.concatenate([cached[1], column]), k, c.neighbor_ratio)
                if not np.array_equal(merged[0], cached[0]):
                    changed[ids[i]] = merged
        c._profiles.update(changed)
        universe = _profile_matrix([c._profiles[a] for a in ids], int(positions.max()) + 1)
        second: np.ndarray = (universe[self.n_old:] @ universe.T).toarray().astype(np.float32)
        floor = (c.word_weight * c.word_floor + (c.embed_weight * c.embed_floor if emb is not None else 0.0)) / weight
        if floor > 0:   # shared neighbours count only between articles that are also directly alike
            second *= np.clip(new / floor, 0.0, 1.0)
        return ((1.0 - c.second_order) * new + c.second_order * second).astype(np.float32)

    def _place(self, pos: int, event_id: str) -> None:
        if event_id not in self.local:
            self.local[event_id] = len(self.events)
            self.events.append(event_id)
            self.first.append(np.inf)
            self.last.append(-np.inf)
        e = self.local[event_id]
        self.event_of[pos] = e
        date = self.dates[pos]
        if date is not None:
            self.first[e] = min(self.first[e], date.toordinal())
            self.last[e] = max(self.last[e], date.toordinal())

    def join(self, k: int, event_id: str) -> None:
        self._place(self.n_old + k, event_id)

    def best(self, k: int) -> tuple[str | None, float]:
        """The best-scoring event among those already seen, and its score."""
        pos = self.n_old + k
        seen = np.nonzero(self.event_of >= 0)[0]
        if seen.size == 0:
            return None, 0.0
        sims = self.sim[k, seen]
        evs = self.event_of[seen]
        n = len(self.events)
        counts = np.bincount(evs, minlength=n)
        mean = np.bincount(evs, weights=sims, minlength=n) / np.maximum(counts, 1)
        top = np.full(n, -np.inf)
        np.maximum.at(top, evs, sims)
        link = self.c.max_link_weight
        score = (1.0 - link) * mean + link * top - self._time_penalty(pos)
        score[counts == 0] = -np.inf
        best = int(np.argmax(score))
        return (self.events[best], float(score[best])) if np.isfinite(score[best]) else (None, 0.0)

    def _time_penalty(self, pos: int) -> np.ndarray:
        """Zero inside an event's dates; grows with the gap up to ``time_weight``; beyond the window, excluded.

        An undated article whose lead says it happened on a weekday is
        excluded, like a dated one beyond the window, from dated events none
        of whose days (from ``WEEKDAY_LAG`` days before the first
        publication date to the last) is that weekday (``weekdays`` on; see
        :meth:`_weekday_penalty`).
        """
        date = self.dates[pos]
        if date is None:
            return self._weekday_penalty(pos - self.n_old)
        day = date.toordinal()
        first, last = np.asarray(self.first), np.asarray(self.last)
        gap = np.where(np.isfinite(first), np.maximum(0.0, np.maximum(first - day, day - last)), 0.0)
        penalty = self.c.time_weight * np.minimum(1.0, np.maximum(0.0, gap - 1) / self.c.time_scale_days)
        return np.where(gap > self.c.window_days, np.inf, penalty)

    def _weekday_penalty(self, k: int) -> np.ndarray:
        """For an undated article: excluded (inf) from dated events whose days miss the weekday its lead names.

        News is published on the day of a happening or soon after, and says
        "on Sunday" for the day it happened; two look-alike happenings days
        apart (a bank's collapse on Friday, another's closure on Sunday) are
        told apart by it when the article carries no date. Measured
        (BENCHMARKS.md, issue 15): newsdev, where 90 of 249 articles are
        undated, 0.847 -> 0.862 (static encoder) and 0.887 -> 0.895 (MiniLM);
        a penalty of ``time_weight`` instead of exclusion gave 0.850 / 0.887.
        """
        n = len(self.events)
        weekday = self.weekdays[k] if 0 <= k < len(self.weekdays) else None
        if weekday is None:
            return np.zeros(n)
        first, last = np.asarray(self.first), np.asarray(self.last)
        dated = np.isfinite(first)
        start = np.where(dated, first, 1.0) - WEEKDAY_LAG
        span = np.where(dated, last, 1.0) - start
        # days from ``start`` to the first day with that weekday (ordinal 1 is a Monday)
        ahead = (weekday - (start - 1) % 7) % 7
        return np.where(dated & (ahead > span), np.inf, 0.0)


def _names_only(words: sp.csr_matrix, masks: sp.csr_matrix) -> sp.csr_matrix:
    """The words of each row's own names, IDF-weighted and re-normalised (a row without names stays empty)."""
    out = sp.csr_matrix(words.multiply(masks))
    out.eliminate_zeros()
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ out, dtype=np.float32)


def _name_gate(names: sp.csr_matrix, rows: np.ndarray, floor: float) -> np.ndarray:
    """How far the embeddings may count between two articles: their names' cosine over ``floor``, at most 1.

    A sentence embedding sees "the same kind of happening" (two
    earthquakes, two look-alike shootings, one template with other
    names) as alike; the names (people, places, organisations) tell
    which one. Where either article names nothing, nothing is known and
    the embedding counts in full.
    """
    cos: np.ndarray = (names[rows] @ names.T).toarray()
    has = np.diff(names.indptr) > 0
    gate: np.ndarray = np.clip(cos / floor, 0.0, 1.0)
    gate[~has[rows], :] = 1.0
    gate[:, ~has] = 1.0
    return gate


def _horizon(items: Sequence[ArticleItem], window_days: int) -> dt.date | None:
    """The earliest publication date a batch may still be compared with (None: an undated batch)."""
    dates = [i.date for i in items if i.date is not None]
    return min(dates) - dt.timedelta(days=window_days) if dates else None


def _within(date: dt.date | None, horizon: dt.date | None) -> bool:
    return horizon is None or date is None or date >= horizon


def _stack(rows: list[sp.csr_matrix]) -> sp.csr_matrix:
    """One-row CSR matrices stacked by concatenating their arrays (scipy's vstack is 5x slower on many rows)."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([r.indptr[-1] for r in rows])
    indices = np.concatenate([r.indices for r in rows]) if rows else np.zeros(0, dtype=np.int32)
    data = np.concatenate([r.data for r in rows]) if rows else np.zeros(0, dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), rows[0].shape[1] if rows else 0))


def _nearest(positions: np.ndarray, sims: np.ndarray, k: int, ratio: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Itself and its ``k`` most similar (ties at the cut kept, positive only), as (positions, similarities).

    ``ratio`` > 0 makes the neighbourhood adapt to local density: only
    neighbours at least ``ratio`` times as similar as the closest other
    article stay, so an article with one close co-report keeps just that
    one, and one in a dense event keeps up to ``k``.
    """
    if sims.size > k + 1:
        cut = -np.partition(-sims, k)[k]
        keep = sims >= cut
    else:
        keep = np.ones(sims.size, dtype=bool)
    keep &= sims > 0
    if ratio > 0 and np.count_nonzero(keep) > 2:
        top2 = -np.partition(-sims[keep], 1)[:2]
        keep &= sims >= min(top2[0], ratio * top2[1])
    order = np.argsort(positions[keep], kind="stable")
    return positions[keep][order], sims[keep][order].astype(np.float32)


def _profile_matrix(profiles: list[tuple[np.ndarray, np.ndarray]], width: int) -> sp.csr_matrix:
    """Neighbour profiles as L2-normalised sparse rows over processing positions (cached and fresh ones line up)."""
    indptr = np.zeros(len(profiles) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([p[0].size for p in profiles])
    indices = np.concatenate([p[0] for p in profiles]) if profiles else np.zeros(0, dtype=np.int64)
    data = np.concatenate([p[1] for p in profiles]).astype(np.float32) if profiles else np.zeros(0, np.float32)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(profiles), width))
    matrix.sum_duplicates()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix, dtype=np.float32)
