"""Timeline summarization: the N most important dates of a set of articles, K cited sentences each.

The date-wise method of news-tls (Gholipour Ghalandari & Ifrim, ACL 2020):

1. **Date ranking.** Every sentence's date mentions ("on April 20",
   "yesterday", "2010-04-20") are resolved against its article's
   publication date by :func:`storyline.events.dating.text_dates`. A date's
   importance is the number of *articles* that refer to it (an article
   counts once however often it repeats the date), plus ``pub_weight`` per
   article published that day or the next (coverage peaks the day after a
   happening). Mentions of a day *before* publication count
   ``back_weight`` more: a newsroom looking back at a day marks it as a
   milestone; the day's own "today" is only coverage.
2. **Candidate sentences** of a date (news-tls's PM-Mean collector): the
   sentences that mention it, and the lead sentences (first
   ``clip_sents``) without a date of the articles published that day or
   the next.
3. **Summary.** The candidates are ranked by cosine to the date's TF-IDF
   centroid (the mean of the mentioning sentences and the mean of the lead
   sentences, weighed equally), and picked greedily, skipping a sentence
   too similar to one already picked (``max_similarity``) and sentences
   that are too short or too long to read as a summary line.

Everything is cited: a :class:`TimelineSentence` keeps its article id.
The parameters and how they were chosen are in BENCHMARKS.md (Timelines).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..events.dating import text_dates
from ..records import parse_date
from ..understand.nlp import split_sentences

_WORD = re.compile(r"\w+")
_NOISE = re.compile(r"^(read more|also read|related|photo|file photo|click|subscribe|copyright|\W)", re.IGNORECASE)


@dataclass(frozen=True)
class TimelineArticle:
    """What the summarizer needs of one article: id, publication date and text."""

    id: str
    date: dt.date | None
    text: str
    title: str | None = None


@dataclass(frozen=True)
class TimelineSentence:
    """One summary sentence and the article it comes from."""

    text: str
    article_id: str


@dataclass
class TimelineEntry:
    """One date of a timeline: the day, its importance score and what happened, cited."""

    date: dt.date
    score: float
    sentences: list[TimelineSentence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: {"date", "sentences": [{"text", "article_id"}]}."""
        return {"date": self.date.isoformat(),
                "sentences": [{"text": s.text, "article_id": s.article_id} for s in self.sentences]}


@dataclass
class _Sentence:
    text: str
    article_id: str
    published: dt.date | None
    position: int
    dates: frozenset[dt.date]


class TimelineSummarizer:
    """Pick important dates from date mentions and summarise each with central, non-redundant sentences.

    ``pub_weight`` and ``back_weight`` weigh publication counts and
    retrospective mentions against the plain article count; ``lead_weight``
    weighs the lead sentences' centroid against the mentioning sentences'
    (fresh reports say what happened more plainly than later references);
    ``clip_sents`` and ``pub_days`` follow news-tls (5 lead sentences, the
    day of publication and the day before). The weights were chosen by
    leave-one-topic-out cross-validation on Timeline17 (BENCHMARKS.md,
    Timelines; ``benchmarks/tls_cv.py``).
    """

    def __init__(self, pub_weight: float = 0.25, back_weight: float = 1.0, clip_sents: int = 5,
                 pub_days: int = 2, min_words: int = 6, max_words: int = 60,
                 max_similarity: float = 0.5, lead_weight: float = 3.0) -> None:
        self.pub_weight = pub_weight
        self.back_weight = back_weight
        self.clip_sents = clip_sents
        self.pub_days = pub_days
        self.min_words = min_words
        self.max_words = max_words
        self.max_similarity = max_similarity
        self.lead_weight = lead_weight

    # -- public -----------------------------------------------------------------------------
    def summarize(self, articles: Iterable[TimelineArticle], n_dates: int = 10, n_sentences: int = 2,
                  start: dt.date | None = None, end: dt.date | None = None) -> list[TimelineEntry]:
        """The timeline: up to ``n_dates`` dates in time order, each with up to ``n_sentences`` sentences.

        Dates outside ``start``..``end`` are never picked; by default the span
        is the day before the first publication to the last publication.
        """
        return self.summarize_prepared(prepare(articles), n_dates, n_sentences, start, end)

    def summarize_prepared(self, prepared: Prepared, n_dates: int, n_sentences: int,
                           start: dt.date | None = None, end: dt.date | None = None) -> list[TimelineEntry]:
        """:meth:`summarize` on sentences split and dated once (several timelines of one collection)."""
        sentences = prepared.sentences
        start, end = self._span(sentences, start, end)
        scores = self.date_scores(sentences)
        ranked = [d for d in sorted(scores, key=lambda d: (-scores[d], d)) if start <= d <= end]
        mentions, leads = self.candidates(sentences)
        timeline: list[TimelineEntry] = []
        for date in ranked:
            if len(timeline) >= n_dates:
                break
            picked = self.summarize_date(mentions.get(date, []), leads.get(date, []), n_sentences,
                                         prepared.vectorizer)
            if picked:
                timeline.append(TimelineEntry(date, round(scores[date], 3), picked))
        return sorted(timeline, key=lambda e: e.date)

    def date_scores(self, sentences: Sequence[_Sentence]) -> dict[dt.date, float]:
        """The importance of each date some text refers to or some article was published on (module docstring)."""
        mentioned: dict[dt.date, set[str]] = defaultdict(set)
        back: dict[dt.date, set[str]] = defaultdict(set)
        published: dict[str, dt.date] = {}
        for s in sentences:
            if s.published is not None:
                published[s.article_id] = s.published
            for d in s.dates:
                mentioned[d].add(s.article_id)
                if s.published is not None and d < s.published:
                    back[d].add(s.article_id)
        scores: dict[dt.date, float] = {d: 0.0 for d in set(mentioned) | set(published.values())}
        for d, ids in mentioned.items():
            scores[d] += len(ids) + self.back_weight * len(back.get(d, ()))
        for pub in published.values():
            for k in range(self.pub_days):
                day = pub - dt.timedelta(days=k)
                if day in scores:      # only days the text refers to or articles appeared on are candidates
                    scores[day] += self.pub_weight
        return scores

    def summarize_date(self, mentions: Sequence[_Sentence], leads: Sequence[_Sentence], k: int,
                       vectorizer: Any) -> list[TimelineSentence]:
        """Up to ``k`` sentences closest to the date's centroid, no two near-duplicates."""
        pool = _unique([s for s in list(mentions) + list(leads) if self._readable(s.text)])
        if not pool or k <= 0:
            return []
        matrix = vectorizer.transform([s.text for s in pool])
        n_ment = sum(1 for s in pool if s.dates)   # mentions carry dates, leads none
        centroid = _centroid(matrix[:n_ment]) + self.lead_weight * _centroid(matrix[n_ment:])
        norm = np.linalg.norm(centroid)
        if norm == 0:
            return []
        relevance = np.asarray(matrix @ (centroid / norm)).ravel()
        chosen: list[int] = []
        for i in np.argsort(-relevance, kind="stable"):
            if len(chosen) >= k or relevance[i] <= 0:
                break
            if chosen and float((matrix[chosen] @ matrix[i].T).max()) >= self.max_similarity:
                continue
            chosen.append(int(i))
        return [TimelineSentence(pool[i].text, pool[i].article_id) for i in chosen]

    # -- helpers ----------------------------------------------------------------------------
    def candidates(self, sentences: Sequence[_Sentence]) -> tuple[dict[dt.date, list[_Sentence]],
                                                                   dict[dt.date, list[_Sentence]]]:
        """Date → sentences mentioning it; date → undated lead sentences published that day or the next."""
        mentions: dict[dt.date, list[_Sentence]] = defaultdict(list)
        leads: dict[dt.date, list[_Sentence]] = defaultdict(list)
        for s in sentences:
            for d in s.dates:
                mentions[d].append(s)
            if not s.dates and s.position < self.clip_sents and s.published is not None:
                for k in range(self.pub_days):
                    leads[s.published - dt.timedelta(days=k)].append(s)
        return mentions, leads

    def _readable(self, text: str) -> bool:
        """A summary line: a whole sentence of ``min_words``-``max_words`` words, not page furniture."""
        n = len(_WORD.findall(text))
        return self.min_words <= n <= self.max_words and not _NOISE.match(text) and text[:1].isupper()

    @staticmethod
    def _span(sentences: Sequence[_Sentence], start: dt.date | None,
              end: dt.date | None) -> tuple[dt.date, dt.date]:
        """The allowed dates: given, else the day before the first publication to the last."""
        pubs = [s.published for s in sentences if s.published is not None]
        first = min(pubs) - dt.timedelta(days=1) if pubs else dt.date.min
        last = max(pubs) if pubs else dt.date.max
        return start or first, end or last


@dataclass
class Prepared:
    """A collection's sentences with their resolved dates, and the TF-IDF model fitted on them."""

    sentences: list[_Sentence]
    vectorizer: Any


def prepare(articles: Iterable[TimelineArticle]) -> Prepared:
    """Split and date every sentence once; fit the sentence TF-IDF."""
    sentences = split_article_sentences(articles)
    return Prepared(sentences, _fit_vectorizer([s.text for s in sentences]))


def split_article_sentences(articles: Iterable[TimelineArticle]) -> list[_Sentence]:
    """Every sentence of every article with the dates it mentions (resolved against publication)."""
    out: list[_Sentence] = []
    for art in articles:
        for position, (a, b) in enumerate(split_sentences(art.text)):
            text = " ".join(art.text[a:b].split())
            dates = frozenset(d.date for d in text_dates(text, art.date))
            out.append(_Sentence(text, art.id, art.date, position, dates))
    return out


def _fit_vectorizer(texts: Sequence[str]) -> Any:
    """TF-IDF over the collection's sentences (English stop words out), rows L2-normalised."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", lowercase=True, sublinear_tf=True)
    try:
        vectorizer.fit(texts)
    except ValueError:          # no words at all (no articles, or stop words only): a one-word vocabulary
        vectorizer = TfidfVectorizer(lowercase=True).fit(["empty"])
    return vectorizer


def _centroid(matrix: Any) -> np.ndarray:
    """Mean row of a sparse matrix (zeros when it has no rows)."""
    if matrix.shape[0] == 0:
        return np.zeros(matrix.shape[1])
    return np.asarray(matrix.mean(axis=0)).ravel()


def _unique(sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """Drop repeated sentence texts (syndicated copies), keeping the first; mentions stay before leads."""
    seen: set[str] = set()
    out = []
    for s in sentences:
        key = s.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


# -- from the database ------------------------------------------------------------------------------

DEFAULT_DATES = 10
DEFAULT_SENTENCES = 2


def db_articles(db: Any, story_id: str | None = None) -> list[TimelineArticle]:
    """The originals (not duplicates) of one story, or of the whole database."""
    sql = "SELECT id, date, text, title FROM articles WHERE duplicate_of IS NULL"
    params: tuple[Any, ...] = ()
    if story_id is not None:
        sql += " AND story_id = ?"
        params = (story_id,)
    return [TimelineArticle(r["id"], parse_date(r["date"]), r["text"] or "", r["title"])
            for r in db.query(sql + " ORDER BY seq", params)]


def story_timeline(db: Any, story_id: str | None = None, n_dates: int = DEFAULT_DATES,
                   n_sentences: int = DEFAULT_SENTENCES,
                   summarizer: TimelineSummarizer | None = None) -> list[TimelineEntry]:
    """The summarised timeline of one story (``NotFoundError`` for an unknown id), or of every article."""
    from ..errors import NotFoundError

    if n_dates < 1 or n_sentences < 1:
        from ..errors import ConfigError

        raise ConfigError(f"--dates and --sentences must be at least 1 (got {n_dates}, {n_sentences})")
    articles = db_articles(db, story_id)
    if story_id is not None and not articles:
        if not db.one("SELECT 1 FROM stories WHERE id = ?", (story_id,)):
            raise NotFoundError(f"no story with id {story_id!r}; `storyline stories` lists them")
    return (summarizer or TimelineSummarizer()).summarize(articles, n_dates, n_sentences)


def entry_events(db: Any, entry: TimelineEntry) -> list[str]:
    """The events of the articles an entry cites (where to read on: ``storyline event ID``)."""
    ids = [s.article_id for s in entry.sentences]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = db.query(f"SELECT DISTINCT event_id FROM articles WHERE id IN ({marks}) AND event_id IS NOT NULL"
                    " ORDER BY event_id", tuple(ids))
    return [r["event_id"] for r in rows]


def to_timelinejs(entries: Sequence[TimelineEntry], headline: str,
                  outlets: dict[str, str] | None = None) -> dict[str, Any]:
    """TimelineJS 3's JSON: a title slide and one event per date, each sentence cited by article id."""
    from html import escape

    outlets = outlets or {}

    def cite(s: TimelineSentence) -> str:
        source = outlets.get(s.article_id) or s.article_id
        return f"<p>{escape(s.text)} <small>[{escape(source)}]</small></p>"

    events = []
    for e in entries:
        first = e.sentences[0].text if e.sentences else ""
        events.append({
            "start_date": {"year": str(e.date.year), "month": str(e.date.month), "day": str(e.date.day)},
            "text": {"headline": escape(_headline(first)), "text": "".join(cite(s) for s in e.sentences)},
            "unique_id": f"d{e.date.isoformat()}",
        })
    return {"title": {"text": {"headline": escape(headline), "text": f"{len(entries)} dates"}}, "events": events}


def _headline(text: str, limit: int = 80) -> str:
    """A slide headline: the first sentence cut at a word boundary."""
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


STORY_PAGE_DATES = 8        # key dates on a story page and in the report
STORY_PAGE_SENTENCES = 1


def story_key_dates(db: Any, story_id: str, n_dates: int = STORY_PAGE_DATES,
                    n_sentences: int = STORY_PAGE_SENTENCES) -> list[dict[str, Any]]:
    """A story's key dates for a page: [{"date": ISO, "sentences": [{"text", "article_id"}]}]."""
    return [e.as_dict() for e in story_timeline(db, story_id, n_dates, n_sentences)]
