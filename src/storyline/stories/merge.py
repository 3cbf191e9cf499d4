"""The merge pass: stories touched by a build merge, best pair first, with the stories they are one with.

Agglomerative, not a chain of pairwise links: every merge is judged on the
two whole stories (average link against their cohesion, :class:`StoryLinker`),
and the pair with the highest ratio goes first, so a loose bridge event
never decides before the tight pairs around it. A merged story is scored
again against its own candidates, so it can go on growing while it stays
as close across as within.

Candidates come from the inverted index of each story's heaviest terms, so
a story is scored against a bounded set of others however many exist. Only
stories touched since the last pass (marked ``dirty``) start the search;
older stories merge only with them. The older story (lower ``position``)
survives a merge and keeps its id, so a story id once shown stays valid
for its oldest events.
"""
from __future__ import annotations

import heapq
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .linker import StoryLinker

HeapEntry = tuple[float, int, int, str, str, int, int]
Vector = tuple[np.ndarray, np.ndarray]      # sorted unique hashed columns (int64), their weights (float64)
EMPTY: Vector = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
STORY_ENTITIES = 10          # names kept on a story row
PROFILE_ENTITIES = 40        # names tracked per story profile


@dataclass
class Profile:
    """One story's summed article vector (sorted hashed columns), size, squared norm and names."""

    story_id: str
    position: int
    cols: np.ndarray
    vals: np.ndarray
    n: int
    sq: float
    entities: Counter[str]
    version: int = 0
    alive: bool = field(default=True)


def merge_stories(conn: sqlite3.Connection, linker: StoryLinker, background: float = 0.0,
                  weakest: Callable[[Profile], float] | None = None) -> int:
    """Merge every touched story with the stories it is one with; clear the marks; return merges made.

    ``background`` is the corpus's mean cosine of two articles in different stories (:class:`Corpus`).
    ``weakest`` gives a story's weakest member link (its lowest article mean cosine to the rest);
    with it, the small stories this pass leaves are put into the host they are no weaker a member
    of (:func:`attach_small_stories`).
    """
    pool = _Pool(conn, linker, background)
    touched = [r[0] for r in conn.execute("SELECT story_id FROM story_profiles WHERE dirty = 1 ORDER BY position")]
    heap: list[HeapEntry] = []
    for story_id in touched:
        pool.push_candidates(heap, story_id)
    merged = 0
    while heap:
        _, _, _, a_id, b_id, a_version, b_version = heapq.heappop(heap)
        a, b = pool.get(a_id), pool.get(b_id)
        if a is None or b is None:
            continue
        if (a.version, b.version) != (a_version, b_version):
            pool.push_pair(heap, a, b)          # one side grew since: judge the pair again
            continue
        survivor = pool.merge(a, b)
        merged += 1
        pool.push_candidates(heap, survivor.story_id)
    if weakest is not None and (linker.tail_articles > 0 or linker.tail_share > 0):
        survivors = sorted(set(pool.changed()) | {s for s in touched if pool.get(s) is not None})
        merged += attach_small_stories(pool, survivors, weakest)
    pool.save()
    conn.execute("UPDATE story_profiles SET dirty = 0 WHERE dirty = 1")
    for story_id in sorted(set(pool.changed()) | {s for s in touched if pool.get(s) is not None}):
        write_story_row(conn, story_id)
    return merged


def attach_small_stories(pool: _Pool, story_ids: list[str], weakest: Callable[[Profile], float]) -> int:
    """Put each small story into the large one it is no weaker a member of than that story's weakest member.

    A story of a few articles about a months-long topic (a column on the oil
    spill, a blog post on the pandemic) links to the topic's story below its
    cohesion (its ratio sits near 0.5 where merging asks 0.65), because
    cohesion is the mean over members and a peripheral article is, by
    definition, below the mean. Asking instead whether it is at least as
    close to the story as the story's own weakest member asks whether the
    story would have to be any looser to hold it. Only stories of at most
    ``tail_articles`` articles, or at most ``tail_share`` of the host's size,
    move, only into stories of at least ``host_articles`` (a minimum over
    fewer is noise), each into its nearest such host. The share lets a side
    thread of a months-long topic (a dozen articles on one turn of it beside
    hundreds on the whole) go home, where a fixed size
    would have to be large enough to move whole stories between two small
    hosts. A story moved by the share must also clear the corpus background
    by ``lift``, as a merge must: in gva and the generated corpus the large
    stories are loose city- or template-level clusters whose weakest member
    sits near the background. Measured on Timeline17 (BENCHMARKS.md,
    "Stories, sixth session"; "Stories, seventh session" for the share).
    """
    linker, attached, floors = pool.linker, 0, {}
    for story_id in story_ids:
        small = pool.get(story_id)
        if small is None or small.n == 0 or (small.n > linker.tail_articles and linker.tail_share <= 0):
            continue
        best: tuple[float, Profile] | None = None
        for host in pool.candidates(small):
            if (host.n < linker.host_articles or not _may_host(linker, small.n, host.n)
                    or distinct_cores(small.entities, small.n, host.entities, host.n)):
                continue
            link = sparse_dot((small.cols, small.vals), (host.cols, host.vals)) / (small.n * host.n)
            if best is None or link > best[0]:
                best = (link, host)
        if best is None:
            continue
        link, host = best
        if host.story_id not in floors:
            floors[host.story_id] = weakest(host)
        if link > floors[host.story_id] and (small.n <= linker.tail_articles
                                             or link >= linker.lift * pool.background):
            pool.merge(small, host)
            attached += 1
    return attached


def _may_host(linker: StoryLinker, small: int, host: int) -> bool:
    """Whether a story of ``host`` articles is large enough to take one of ``small`` as a peripheral member."""
    return small <= linker.tail_articles or small <= linker.tail_share * host


class _Pool:
    """Profiles read on demand and kept for the pass; merges written through to the store."""

    def __init__(self, conn: sqlite3.Connection, linker: StoryLinker, background: float) -> None:
        self.conn = conn
        self.linker = linker
        self.background = background
        self._profiles: dict[str, Profile] = {}
        self._changed: set[str] = set()

    def get(self, story_id: str) -> Profile | None:
        """The live profile of a story, or None once it was merged away (or never existed)."""
        found = self._profiles.get(story_id)
        if found is None:
            row = self.conn.execute("SELECT position, terms, n, sq, entities FROM story_profiles WHERE story_id = ?",
                                    (story_id,)).fetchone()
            if row is None:
                return None
            cols, vals = decode(row[1])
            found = Profile(story_id, int(row[0]), cols, vals, int(row[2] or 0), float(row[3] or 0.0),
                            Counter(json.loads(row[4] or "{}")))
            self._profiles[story_id] = found
        return found if found.alive else None

    def candidates(self, story: Profile) -> list[Profile]:
        """Stories indexed under this story's heaviest terms, most shared weight first (bounded)."""
        shared: dict[str, float] = {}
        for i in heaviest(story.vals, story.cols, self.linker.query_terms):
            term, weight = int(story.cols[i]), float(story.vals[i])
            for (other,) in self.conn.execute("SELECT story_id FROM story_terms WHERE term = ? ORDER BY rowid DESC "
                                              "LIMIT ?", (term, self.linker.max_postings)):
                if other != story.story_id:
                    shared[other] = shared.get(other, 0.0) + weight
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[: self.linker.max_candidates]
        return [p for p in (self.get(s) for s, _ in ranked) if p is not None]

    def push_candidates(self, heap: list[HeapEntry], story_id: str) -> None:
        story = self.get(story_id)
        if story is None:
            return
        for other in self.candidates(story):
            self.push_pair(heap, story, other)

    def push_pair(self, heap: list[HeapEntry], a: Profile, b: Profile) -> None:
        """Queue a pair that passes the rule, highest ratio first (ties: oldest stories first)."""
        if a.n == 0 or b.n == 0:
            return
        link = sparse_dot((a.cols, a.vals), (b.cols, b.vals)) / (a.n * b.n)
        if (not self.linker.passes(link, a.n, a.sq, b.n, b.sq, self.background)
                or distinct_cores(a.entities, a.n, b.entities, b.n)):
            return
        ratio = self.linker.ratio(link, a.n, a.sq, b.n, b.sq)
        first, second = sorted((a, b), key=lambda p: p.position)
        heapq.heappush(heap, (-ratio, first.position, second.position, first.story_id, second.story_id,
                              first.version, second.version))

    def merge(self, a: Profile, b: Profile) -> Profile:
        """Fold the younger story into the older one, in memory and in the store."""
        keep, gone = (a, b) if a.position < b.position else (b, a)
        cross = sparse_dot((keep.cols, keep.vals), (gone.cols, gone.vals))
        keep.cols, keep.vals = add((keep.cols, keep.vals), (gone.cols, gone.vals), self.linker.profile_terms)
        keep.sq += gone.sq + 2.0 * cross
        keep.n += gone.n
        keep.entities.update(gone.entities)
        keep.version += 1
        gone.alive = False
        self._changed.add(keep.story_id)
        self._changed.discard(gone.story_id)
        conn = self.conn
        conn.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (keep.story_id, gone.story_id))
        conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep.story_id, gone.story_id))
        for table, key in (("stories", "id"), ("story_profiles", "story_id"), ("story_terms", "story_id")):
            conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (gone.story_id,))
        self._index(keep)
        return keep

    def _index(self, story: Profile) -> None:
        index_story(self.conn, self.linker, story.story_id, (story.cols, story.vals))

    def save(self) -> None:
        """Write every merged profile back (columns, weights, size, norm, names)."""
        for story_id in sorted(self._changed):
            p = self._profiles[story_id]
            self.conn.execute("UPDATE story_profiles SET terms = ?, n = ?, sq = ?, entities = ? WHERE story_id = ?",
                              (encode((p.cols, p.vals)), p.n, p.sq, json.dumps(top_entities(p.entities)), story_id))

    def changed(self) -> list[str]:
        return sorted(self._changed)


class Corpus:
    """The sum of every linked article's unit vector, its size and squared norm: the corpus background.

    Kept in ``story_model`` and updated as articles are linked (with the IDF
    of their build, as story profiles are), so the background costs nothing
    per build beyond the new articles.
    """

    def __init__(self, conn: sqlite3.Connection, n_features: int) -> None:
        self.total = np.zeros(n_features, dtype=np.float64)
        row = conn.execute("SELECT value FROM story_model WHERE key = 'corpus'").fetchone()
        stats = conn.execute("SELECT value FROM story_model WHERE key = 'corpus_stats'").fetchone()
        self.n, self.sq = (0, 0.0) if stats is None else tuple(json.loads(stats[0]))
        if row is not None:
            cols, vals = decode(row[0])
            self.total[cols] = vals

    def add(self, vector: Vector, n: int) -> None:
        cols, vals = vector
        self.sq += 2.0 * float(np.dot(self.total[cols], vals)) + float(np.dot(vals, vals))
        self.total[cols] += vals
        self.n += n

    def between_stories(self, conn: sqlite3.Connection) -> float:
        """Mean cosine of two articles in different stories (0 while there are no such pairs).

        The background a merge must clear. The mean over all pairs is
        inflated by the corpus's own large topics (half of a corpus about one
        oil spill makes most pairs oil-spill pairs), so it would block the
        loose members of exactly those topics; pairs across stories measure
        only what unrelated coverage of the corpus shares.
        """
        sq_inside, n_squared = conn.execute("SELECT coalesce(sum(sq), 0), coalesce(sum(n * n), 0) "
                                            "FROM story_profiles").fetchone()
        pairs = self.n * self.n - n_squared
        return (self.sq - sq_inside) / pairs if pairs > 0 else 0.0

    def save(self, conn: sqlite3.Connection) -> None:
        cols = np.flatnonzero(self.total)
        for key, value in (("corpus", encode((cols, self.total[cols]))),
                           ("corpus_stats", json.dumps([self.n, self.sq]).encode())):
            conn.execute("INSERT INTO story_model(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def decode(blob: bytes) -> Vector:
    """A stored profile: int32 columns then float32 weights, sorted by column."""
    n = len(blob) // 8
    return (np.frombuffer(blob[: 4 * n], dtype=np.int32).astype(np.int64),
            np.frombuffer(blob[4 * n:], dtype=np.float32).astype(np.float64))


def encode(vector: Vector) -> bytes:
    """Inverse of :func:`decode`: compact and byte-for-byte deterministic."""
    return vector[0].astype(np.int32).tobytes() + vector[1].astype(np.float32).tobytes()


def sparse_dot(a: Vector, b: Vector) -> float:
    """Dot product of two sparse vectors."""
    _, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(np.dot(a[1][ia], b[1][ib]))


def add(a: Vector, b: Vector, cap: int | None) -> Vector:
    """Sum of two sparse vectors (either may repeat columns), keeping the ``cap`` heaviest terms."""
    cols, inverse = np.unique(np.concatenate([a[0], b[0]]), return_inverse=True)
    vals = np.bincount(inverse, weights=np.concatenate([a[1], b[1]]), minlength=len(cols))
    if cap is not None and len(cols) > cap:
        top = np.sort(heaviest(vals, cols, cap))
        cols, vals = cols[top], vals[top]
    return cols, vals


def heaviest(vals: np.ndarray, cols: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` heaviest terms, heaviest first (ties by column, for determinism)."""
    return np.lexsort((cols, -vals))[:k]


def top_entities(entities: Counter[str]) -> dict[str, int]:
    """The ``PROFILE_ENTITIES`` most frequent names of a story (ties by name)."""
    return dict(sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_ENTITIES])


def index_story(conn: sqlite3.Connection, linker: StoryLinker, story_id: str, profile: Vector) -> None:
    """The story's heaviest terms in the candidate index, replacing what was there."""
    conn.execute("DELETE FROM story_terms WHERE story_id = ?", (story_id,))
    conn.executemany("INSERT INTO story_terms(term, story_id) VALUES (?, ?)",
                     [(int(profile[0][i]), story_id) for i in heaviest(profile[1], profile[0], linker.index_terms)])


def write_story_row(conn: sqlite3.Connection, story_id: str) -> None:
    """The ``stories`` row from its events: a title naming its core, span, key names, size."""
    events = conn.execute("SELECT title, date, start, end, n_articles, first_seq FROM events WHERE story_id = ?",
                          (story_id,)).fetchall()
    if not events:
        return
    lead = min(events, key=lambda e: (-(e["n_articles"] or 0), e["first_seq"] or 0))
    starts = [d for e in events for d in (e["start"], e["date"]) if d]
    ends = [d for e in events for d in (e["end"], e["date"]) if d]
    entities = json.loads(conn.execute("SELECT entities FROM story_profiles WHERE story_id = ?",
                                       (story_id,)).fetchone()[0] or "{}")
    names = [n for n, _ in sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_ENTITIES]]
    n_articles = conn.execute("SELECT n FROM story_profiles WHERE story_id = ?", (story_id,)).fetchone()[0]
    title = story_title(lead["title"], entities, int(n_articles or 0), len(events))
    conn.execute("INSERT INTO stories(id, title, start, end, entities, n_events) VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT(id) DO UPDATE SET title = excluded.title, start = excluded.start, end = excluded.end, "
                 "entities = excluded.entities, n_events = excluded.n_events",
                 (story_id, title, min(starts) if starts else None, max(ends) if ends else None,
                  json.dumps(names), len(events)))


def story_title(headline: str | None, names: dict[str, int], n_articles: int, n_events: int) -> str | None:
    """A story of several events is titled by its core, then its largest event's headline.

    ``"Pakistan and Russia: Russian Foreign Minister Sergey Lavrov is arriving
    in Islamabad…"``: the core names say what the whole chain is about, the
    headline what its main happening was. A one-event story is that event,
    so it keeps the event's title.

    >>> story_title("Lavrov arrives in Islamabad", {"Pakistan": 5, "Russia": 5, "Russian": 4, "Goa": 1}, 5, 2)
    'Pakistan and Russia: Lavrov arrives in Islamabad'
    >>> story_title("Lavrov arrives in Islamabad", {"Pakistan": 5}, 5, 1)
    'Lavrov arrives in Islamabad'
    """
    core = core_names(names, n_articles)
    if n_events < 2 or not core:
        return headline
    named = core[0] if len(core) == 1 else ", ".join(core[:-1]) + " and " + core[-1]
    return f"{named}: {headline}" if headline else named


def core_names(names: dict[str, int], n_articles: int, limit: int = 3, share: float = 0.3) -> list[str]:
    """The names most of a story's articles carry (at least ``share`` of them), variants once.

    A name is skipped when it is a variant of one already taken: the same
    words plus or minus some ("Xi" beside "Xi Jinping"), its initials ("SVB"
    beside "Silicon Valley Bank"), or a derived form of
    a one-word name ("Russian" beside "Russia": a shared prefix of at least 4
    letters and three quarters of the shorter).
    """
    need = max(2.0, share * n_articles)
    taken: list[str] = []
    for name, count in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])):
        if count < need or len(taken) >= limit:
            break
        if len(name) < 3 or any(ch.isdigit() for ch in name) or any(_variant(name, t) for t in taken):
            continue
        taken.append(name)
    return taken


def _variant(a: str, b: str) -> bool:
    """Whether two names are forms of one (word subset, or a one-word derived form)."""
    wa, wb = set(a.lower().split()), set(b.lower().split())
    if wa <= wb or wb <= wa:
        return True
    for short, long in ((a, b), (b, a)):
        if short.isupper() and short == "".join(w[0] for w in long.split() if w[:1].isupper()):
            return True           # initials: "SVB" and "Silicon Valley Bank"
    if len(wa) == 1 and len(wb) == 1:
        x, y = a.lower(), b.lower()
        common = len(os.path.commonprefix([x, y]))
        return common >= max(4, 0.75 * min(len(x), len(y)))
    return False


def distinct_cores(names_a: Mapping[str, int], n_a: int, names_b: Mapping[str, int], n_b: int) -> bool:
    """Whether two stories centre on different instances of one kind of name, so they are two stories.

    "Hurricane Ian" in every article of one and "Hurricane Idalia" in every
    article of the other: the names start with the same word, not a title
    ("Hurricane", unlike "President"), end differently (not a spelling
    variant: "Sergey" / "Sergei" Lavrov is one man), each is carried by at
    least half of its own story (two articles or more) and by at most a
    tenth of the other. Same-kind happenings resemble each other in every
    other word (landfall, evacuations, the governor), which is why the
    similarity alone cannot keep them apart.

    >>> distinct_cores({"Hurricane Ian": 14, "Florida": 14}, 14, {"Hurricane Idalia": 9, "Florida": 9}, 9)
    True
    >>> distinct_cores({"President Joe Biden": 5}, 5, {"President Xi Jinping": 4}, 4)
    False
    """
    for x in _core(names_a, n_a):
        for y in _core(names_b, n_b):
            if _same_kind(x, y) and names_a.get(y, 0) <= 0.1 * n_a and names_b.get(x, 0) <= 0.1 * n_b:
                return True
    return False


def _core(names: Mapping[str, int], n: int) -> list[str]:
    """Names of two words or more that at least half of a story's articles (two or more) carry."""
    return [name for name, count in names.items() if len(name.split()) >= 2 and count >= max(2.0, 0.5 * n)]


def _same_kind(x: str, y: str) -> bool:
    """Same first word (not a title), different and dissimilar rest: two instances of one kind."""
    from difflib import SequenceMatcher

    wx, wy = x.lower().split(), y.lower().split()
    if wx[0] != wy[0] or wx[0] in _TITLE_WORDS or _variant(x, y):
        return False
    return SequenceMatcher(None, " ".join(wx[1:]), " ".join(wy[1:])).ratio() < 0.8


def _title_words() -> frozenset[str]:
    from ..understand.entities import PERSON_TITLES

    return frozenset(word for title in PERSON_TITLES for word in title.split())


_TITLE_WORDS = _title_words()
