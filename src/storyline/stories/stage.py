"""The stories build stage: every new event into a story of its own, then merge the stories that are one.

"New" is read from the data itself: an article with an event but no story.
Events are taken in publication order (earliest article date, then the seq
that opened them). An event already in a story adds its new articles to
that story's profile; a new event opens a story of its own. Profiles, the
candidate index, ``events.story_id`` and ``articles.story_id`` of a chunk
are written in one transaction. Then
:func:`~storyline.stories.merge.merge_stories` merges, best pair first,
every story this build touched with the stories it is as close to as to
itself, puts each small story it leaves into the large one it is no
weaker a member of (:func:`~storyline.stories.merge.attach_small_stories`),
and writes the ``stories`` row of each (once: a row read all of its story's
events, so writing it at every join cost the square of a large story's
size), in one transaction of its own; touched stories stay marked
until it commits, so a killed build resumes exactly where it stopped.

Document frequencies for IDF are counted over every stored article (copies
once) at the start of each build, before any linking, so one build over a
corpus sees the corpus's own IDF.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zlib
from collections import Counter
from typing import Any

import numpy as np

from ..config import Settings
from ..progress import NO_PROGRESS, Progress
from ..store import Database
from .linker import StoryLinker
from .merge import (EMPTY, Corpus, Profile, Vector, add, decode, distinct_cores, encode, heaviest, index_story,
                    merge_stories, sparse_dot, top_entities)

CHUNK_EVENTS = 200
RELINK_GROWTH = 1.25     # re-link every story once the corpus has grown by a quarter since the last full link
_POSSESSIVE_RE = re.compile(r"['’]s$")
DF_BATCH = 1000
Entry = tuple[np.ndarray, np.ndarray, list[str], np.ndarray]   # columns, tf, names, named-phrase mask


def story_id_for(event_id: str) -> str:
    """Stable id of the story an event opens."""
    return "st-" + hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:12]


def run(db: Database, settings: Settings, progress: Progress = NO_PROGRESS) -> dict[str, Any]:
    """Link every event with unlinked articles; return counts for printing."""
    from ..events.features import ArticleFeaturizer

    linker = StoryLinker(**settings.section("stories"))
    featurizer = ArticleFeaturizer()
    cache = TermCache()
    df, n_docs = update_document_frequencies(db, featurizer, cache)
    idf = _idf(df, n_docs)
    counts = {"events": 0, "new stories": 0, "relinked": int(relink_if_grown(db, n_docs))}
    pending = _pending_events(db)
    corpus = Corpus(db.conn, featurizer.n_features)
    with progress.task("stories", total=len(pending)) as advance:
        for start in range(0, len(pending), CHUNK_EVENTS):
            chunk = pending[start:start + CHUNK_EVENTS]
            with db.transaction() as conn:
                for event_id in chunk:
                    counts["new stories"] += link_event(conn, linker, featurizer, cache, idf, event_id, corpus)
                corpus.save(conn)
            counts["events"] += len(chunk)
            advance(len(chunk))
    with db.transaction() as conn:
        weakest = lambda story: weakest_member(conn, linker, featurizer, cache, idf, story)  # noqa: E731
        counts["merged"] = merge_stories(conn, linker, corpus.between_stories(conn), weakest)
    counts["stories"] = db.scalar("SELECT count(*) FROM stories")
    return counts


def relink_if_grown(db: Database, n_docs: int, growth: float = RELINK_GROWTH) -> bool:
    """Unlink every story (one transaction) when the corpus has grown ``growth`` times since the last full link.

    A story's vectors are weighted with the IDF of the build that linked
    them and its merges judged against that build's background, and a join
    or merge is never undone: stories linked while the corpus was a third of
    its size stay as that smaller corpus saw them (newsdev in three date
    slices: 0.867 against 0.899 in one build, 0.907 when the stories were
    re-linked on the same events). Re-linking from scratch whenever the
    corpus has grown by a quarter costs at most 1 / (1 - 1 / growth) = 5
    times one build of the final size over any sequence of builds, and a
    build that adds a few articles to a large corpus re-links nothing.
    Story ids survive: a story is named after the event that opened it.
    """
    linked = db.get_state("stories.linked", None)
    if linked is None or not db.scalar("SELECT count(*) FROM story_profiles"):   # linking from scratch anyway
        with db.transaction():
            db.set_state("stories.linked", n_docs)
        return False
    if n_docs < growth * int(linked):
        return False
    with db.transaction() as conn:
        for table in ("stories", "story_profiles", "story_terms"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM story_model WHERE key IN ('corpus', 'corpus_stats')")
        conn.execute("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL")
        conn.execute("UPDATE events SET story_id = NULL WHERE story_id IS NOT NULL")
        db.set_state("stories.linked", n_docs)
    return True


# -- document frequencies -------------------------------------------------------------------------

def update_document_frequencies(db: Database, featurizer: Any, cache: TermCache) -> tuple[np.ndarray, int]:
    """Add every article stored since the last build (copies once) to the running DF counts."""
    df, n_docs, done = _load_df(db, featurizer.n_features)
    while rows := db.query("SELECT seq, id, title, text FROM articles WHERE seq > ? AND duplicate_of IS NULL "
                           "ORDER BY seq LIMIT ?", (done, DF_BATCH)):
        for r in rows:
            df[cache.get(featurizer, r)[0]] += 1      # columns are unique within an article
        n_docs += len(rows)
        done = rows[-1]["seq"]
        _save_df(db, df, n_docs, done)
    last = db.scalar("SELECT max(seq) FROM articles") or 0
    if last > done:   # only copies came after: remember they were seen
        _save_df(db, df, n_docs, last)
    return df, n_docs


class TermCache:
    """Each article's hashed sublinear term frequencies and names, computed once per build.

    Kept as compact arrays (~2.5 kB an article) and bounded (``limit``
    articles, ~500 MB), so a 1M-article build never holds the corpus; past
    the limit an article is simply featurized again. The document-frequency
    pass fills it in store order and linking reads it in date order, so a
    limit below the corpus size featurizes most articles twice: with 20,000
    the stage took 228.5 s at 100k generated articles vs 13.5 s at 10k;
    with 200,000, 147.5 s (and 25k instead of 35k events to link).
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self._rows: dict[str, Entry] = {}

    def _compute(self, featurizer: Any, row: sqlite3.Row) -> Entry:
        from ..events.features import term_column

        counts = featurizer.term_counts(row["text"], row["title"])
        buckets: dict[int, float] = {}
        named: set[int] = set()
        for term, count in counts.items():
            col = term_column(term, featurizer.n_features)
            buckets[col] = buckets.get(col, 0.0) + count
            if term.startswith("n:"):
                named.add(col)
        cols = np.array(sorted(buckets), dtype=np.int32)
        raw = np.array([buckets[c] for c in cols.tolist()], dtype=np.float64)
        tf = np.where(raw >= 1, 1.0 + np.log(np.maximum(raw, 1e-12)), raw).astype(np.float32)
        surfaces = _surfaces((row["title"] or "") + "\n" + row["text"])
        names = sorted({_POSSESSIVE_RE.sub("", surfaces.get(t[2:], t[2:])) for t in counts if t.startswith("n:")})
        return cols, tf, names, np.isin(cols, np.fromiter(named, dtype=np.int32, count=len(named)))

    def get(self, featurizer: Any, row: sqlite3.Row) -> tuple[np.ndarray, np.ndarray]:
        """Hashed columns and their sublinear term frequencies."""
        cols, tf, _, _ = self.entry(featurizer, row)
        return cols, tf

    def entry(self, featurizer: Any, row: sqlite3.Row) -> Entry:
        """Columns, sublinear term frequencies, names as written, and which columns are named phrases."""
        found = self._rows.get(row["id"])
        if found is None:
            found = self._compute(featurizer, row)
            if len(self._rows) < self.limit:
                self._rows[row["id"]] = found
        return found


def _load_df(db: Database, n_features: int) -> tuple[np.ndarray, int, int]:
    row = db.one("SELECT value FROM story_model WHERE key = 'df'")
    if row is None:
        return np.zeros(n_features, dtype=np.int64), 0, 0
    meta = db.get_state("stories.df", {"n_docs": 0, "seq": 0})
    return np.frombuffer(zlib.decompress(row[0]), dtype=np.int64).copy(), int(meta["n_docs"]), int(meta["seq"])


def _save_df(db: Database, df: np.ndarray, n_docs: int, seq: int) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO story_model(key, value) VALUES ('df', ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (zlib.compress(df.tobytes()),))
        db.set_state("stories.df", {"n_docs": n_docs, "seq": seq})


def _idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    from ..events.features import idf_weights

    return idf_weights(df, max(n_docs, 1))


# -- events -------------------------------------------------------------------------------------

def _pending_events(db: Database) -> list[str]:
    """Events with articles not yet in a story, in publication order of their first article."""
    rows = db.query("SELECT a.event_id AS id, min(coalesce(a.date, '9999')) AS first, "
                    "coalesce(e.first_seq, min(a.seq)) AS opened FROM articles a "
                    "LEFT JOIN events e ON e.id = a.event_id "
                    "WHERE a.event_id IS NOT NULL AND a.story_id IS NULL GROUP BY a.event_id"
                    " ORDER BY first, opened, id")
    return [r["id"] for r in rows]


def link_event(conn: sqlite3.Connection, linker: StoryLinker, featurizer: Any, cache: TermCache,
               idf: np.ndarray, event_id: str, corpus: Corpus | None = None) -> int:
    """Put an event's unlinked articles into a story: its own, the one it plainly belongs to, or a new one; 1 if new.

    Which whole stories are one is decided afterwards, by :func:`merge_stories`,
    over every story this build touched.
    """
    rows = conn.execute("SELECT id, title, text, duplicate_of FROM articles WHERE event_id = ? AND story_id IS NULL "
                        "ORDER BY coalesce(date, '9999'), seq", (event_id,)).fetchall()
    if not rows:
        return 0
    total, n = article_sum(linker, featurizer, cache, idf, rows)
    if corpus is not None:
        corpus.add(total, n)
    names = _names(featurizer, cache, rows)
    story_id = conn.execute("SELECT story_id FROM events WHERE id = ?", (event_id,)).fetchone()
    story_id = story_id[0] if story_id else None
    opened = 0
    if story_id is None:
        story_id = best_story(conn, linker, total, n, names)
    if story_id is None:
        story_id, opened = story_id_for(event_id), 1
    _add_to_profile(conn, linker, story_id, total, n, names)
    conn.execute("UPDATE events SET story_id = ? WHERE id = ?", (story_id, event_id))
    conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?", [(story_id, r["id"]) for r in rows])
    return opened      # the story's row is written once, by the merge pass, for every story a build touched


def best_story(conn: sqlite3.Connection, linker: StoryLinker, total: Vector, n: int,
               names: Counter[str]) -> str | None:
    """The indexed story whose profile the event's articles resemble most, if that reaches ``join``.

    The score is the mean cosine of the event's articles to the story's
    summed vector; the merge pass then decides which whole stories are one.
    """
    cols, vals = total
    if not len(cols):
        return None
    shared: dict[str, float] = {}
    for i in heaviest(vals, cols, linker.query_terms):
        for (story_id,) in conn.execute("SELECT story_id FROM story_terms WHERE term = ? ORDER BY rowid DESC LIMIT ?",
                                        (int(cols[i]), linker.max_postings)):
            shared[story_id] = shared.get(story_id, 0.0) + float(vals[i])
    best: tuple[float, str] | None = None
    for story_id, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[: linker.max_candidates]:
        row = conn.execute("SELECT terms, sq, entities, n FROM story_profiles WHERE story_id = ?",
                           (story_id,)).fetchone()
        score = sparse_dot(total, decode(row[0])) / (n * max(float(row[1]), 1e-12) ** 0.5)
        if score >= linker.join and (best is None or score > best[0]) and not distinct_cores(
                names, n, json.loads(row[2] or "{}"), int(row[3] or 0)):
            best = (score, story_id)
    return best[1] if best else None


def article_sum(linker: StoryLinker, featurizer: Any, cache: TermCache, idf: np.ndarray,
                rows: list[sqlite3.Row]) -> tuple[Vector, int]:
    """Sum of the articles' unit vectors (IDF-weighted heaviest terms; copies count once) and their number.

    Named phrases weigh ``name_weight`` times their IDF weight (:class:`StoryLinker`).
    """
    originals = [r for r in rows if r["duplicate_of"] is None] or list(rows)
    parts_cols, parts_vals = [], []
    for r in originals:
        cols, tf, _, named = cache.entry(featurizer, r)
        weighted = tf.astype(np.float64) * idf[cols]
        if linker.name_weight != 1.0:
            weighted[named] *= linker.name_weight
        kept = heaviest(weighted, cols, linker.article_terms)
        norm = float(np.sqrt(np.dot(weighted[kept], weighted[kept]))) or 1.0
        parts_cols.append(cols[kept].astype(np.int64))
        parts_vals.append(weighted[kept] / norm)
    return add((np.concatenate(parts_cols), np.concatenate(parts_vals)), EMPTY, None), len(originals)


def weakest_member(conn: sqlite3.Connection, linker: StoryLinker, featurizer: Any, cache: TermCache,
                   idf: np.ndarray, story: Profile) -> float:
    """The lowest mean cosine of one of a story's articles to the others (copies once; its own vector left out)."""
    rows = conn.execute("SELECT id, title, text, duplicate_of FROM articles "
                        "WHERE story_id = ? AND duplicate_of IS NULL", (story.story_id,)).fetchall()
    if story.n < 2 or not rows:
        return float("inf")
    total = (story.cols, story.vals)
    return min((sparse_dot(article_sum(linker, featurizer, cache, idf, [r])[0], total) - 1.0) / (story.n - 1)
               for r in rows)


def _add_to_profile(conn: sqlite3.Connection, linker: StoryLinker, story_id: str, total: Vector, n: int,
                    names: Counter[str]) -> None:
    """Add articles (their vector sum and count) and names to a story's profile; mark it for the merge pass."""
    row = conn.execute("SELECT terms, entities, n, sq FROM story_profiles WHERE story_id = ?", (story_id,)).fetchone()
    entities: Counter[str]
    if row is None:
        position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM story_profiles").fetchone()[0]
        profile, entities, n_before, sq_before = EMPTY, Counter(), 0, 0.0
        conn.execute("INSERT INTO story_profiles(story_id, position, terms) VALUES (?, ?, ?)",
                     (story_id, position, b""))
    else:
        profile, entities = decode(row[0]), Counter(json.loads(row[1] or "{}"))
        n_before, sq_before = int(row[2] or 0), float(row[3] or 0.0)
    sq = sq_before + 2.0 * sparse_dot(profile, total) + float(np.dot(total[1], total[1]))
    profile = add(profile, total, linker.profile_terms)
    entities.update(names)
    conn.execute("UPDATE story_profiles SET terms = ?, entities = ?, n = ?, sq = ?, dirty = 1 WHERE story_id = ?",
                 (encode(profile), json.dumps(top_entities(entities)), n_before + n, sq, story_id))
    index_story(conn, linker, story_id, profile)


def _names(featurizer: Any, cache: TermCache, rows: list[sqlite3.Row]) -> Counter[str]:
    """Named phrases of an event in their written form, counted once per article (copies once, as in the sum)."""
    counts: Counter[str] = Counter()
    for r in [r for r in rows if r["duplicate_of"] is None] or rows:
        counts.update(set(cache.entry(featurizer, r)[2]))
    return counts


def _surfaces(text: str) -> dict[str, str]:
    """Lowercased capitalised runs (and the run without its first word) → the run as written, in one pass."""
    from ..events.features import CAP_RUN_RE

    found: dict[str, str] = {}
    for match in CAP_RUN_RE.finditer(text):
        tokens = match.group(0).strip(" .,'’-").split()
        for part in (tokens, tokens[1:]):
            if part:
                found.setdefault(" ".join(t.lower() for t in part), " ".join(part))
    return found
