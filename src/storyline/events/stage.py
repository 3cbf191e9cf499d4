"""The events build stage: cluster what is new, persist state and results in one transaction per chunk.

Articles without an event are taken in publication order (date, then seq)
in chunks of one publication day. Before each chunk the clusterer's state
(active events, their members inside the time window with their saved top
terms and nearest neighbours; document frequencies unless this process
saved them itself) is read back from the DB, so a build killed after chunk k
and run again continues exactly where an uninterrupted build would be: same
chunks, same state, same events. Event records are refreshed once at the
end from the stale marks the chunks left.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import ConfigError
from ..progress import NO_PROGRESS, Progress
from ..store import Database
from .clusterer import ArticleItem, EventClusterer, EventState
from .dating import event_dates, happened_date
from .features import CALENDAR, keywords, stop_words

PLACE_RE = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'’-]+[ \t]?){1,3})")
DATELINE_RE = re.compile(r"^\s*([A-Z][A-Z .'-]{2,30}?)\s*(?::|—|–|\s-\s)", re.M)

CHUNK_SIZE = 1000
EMBED_GROUP = 2000      # articles of consecutive chunks embedded in one encoder call
EMBED_LEAD_CHARS = 1000     # title + lead; the encoder truncates at its own token cap
EMBED_MAX_TOKENS = 128      # measured: 128 tokens embed ECB+ 2x faster than 256 with no loss in F1


def run(db: Database, settings: Settings, progress: Progress = NO_PROGRESS, executor: Any = None) -> dict[str, Any]:
    """Cluster every article that has no event yet; return counts for printing.

    A first build on an ``executor`` with ``window_events`` clusters time windows as its tasks (:mod:`.windowed`).
    """
    options = settings.section("events")
    chunk_size = int(options.pop("chunk_size", CHUNK_SIZE))   # a stage option, not a clusterer parameter
    if chunk_size < 1:
        raise ConfigError(f"[events] chunk_size = {chunk_size}; must be >= 1")
    try:
        clusterer = EventClusterer(**options)
    except TypeError as exc:
        raise ConfigError(f"[events] has an unknown setting: {exc}") from exc
    refresh_events(db)          # left stale by a build killed before its end
    pending = _pending(db)
    if not pending:
        return {"articles": 0, "events": db.scalar("SELECT count(*) FROM events")}
    if clusterer.use_embeddings:
        check_embed_model(db, settings)
    if getattr(executor, "window_events", False) and not db.scalar("SELECT count(*) FROM event_state"):
        return run_windowed(db, settings, executor, clusterer, options, plan_chunks(pending, chunk_size), progress)
    encoder = _encoder(settings) if clusterer.use_embeddings else None
    touched_all: set[str] = set()
    with progress.task("events", total=len(pending)) as advance:
        for group in _chunk_groups(plan_chunks(pending, chunk_size)):
            chunks = [_load_items(db, seqs) for seqs in group]
            if encoder is not None:
                embed_items([item for chunk in chunks for item in chunk], encoder)
            for chunk in chunks:
                touched_all |= cluster_chunk(db, clusterer, chunk, None)
                advance(len(chunk))
    refresh_events(db)
    return {"articles": len(pending), "events touched": len(touched_all),
            "events": db.scalar("SELECT count(*) FROM events")}


def run_windowed(db: Database, settings: Settings, executor: Any, clusterer: EventClusterer,
                 options: dict[str, Any], chunks: list[list[int]], progress: Progress) -> dict[str, Any]:
    """A first build on the Dask engine: time windows cluster on the workers, the client writes back.

    Windows overlap by the clusterer's look-back and are stitched (see
    :mod:`.windowed`); the results are then saved chunk by chunk in
    publication order with the state a sequential build would have saved, so
    later builds continue incrementally (sequentially: a day's new articles
    are few). A windowed build killed midway is finished sequentially by the
    next run. All pending texts are held on the client while the workers run.
    """
    from .windowed import cluster_windows

    loaded = [_load_items(db, seqs) for seqs in chunks]
    items = [item for chunk in loaded for item in chunk]
    embed_options = ({"max_length": EMBED_MAX_TOKENS, **settings.section("embed")}
                     if clusterer.use_embeddings else None)
    labels, vectors = cluster_windows(executor, items, options, embed_options, executor.window_days,
                                      executor.overlap_days)
    touched_all: set[str] = set()
    with progress.task("events", total=len(items)) as advance:
        for chunk in loaded:
            for item in chunk:
                vector = vectors.get(item.id)
                item.embedding = None if vector is None else np.asarray(vector, dtype=np.float32)
            clusterer.adopt(chunk, labels)
            with db.transaction():
                touched_all |= save_chunk(db, clusterer, chunk)
            advance(len(chunk))
    refresh_events(db)
    return {"articles": len(items), "events touched": len(touched_all), "windowed": True,
            "events": db.scalar("SELECT count(*) FROM events")}


def _encoder(settings: Settings) -> Any:
    from ..represent import get_encoder

    options = {"max_length": EMBED_MAX_TOKENS, **settings.section("embed")}
    return get_encoder(**options)


def check_embed_model(db: Database, settings: Settings) -> None:
    """Refuse to mix vectors of two models in one store; record the model on first use.

    A store made before fingerprints were recorded holds MiniLM vectors.
    """
    from ..represent import model_fingerprint

    embed = settings.section("embed")
    current = model_fingerprint(embed.get("model"), str(embed.get("device", "auto")))
    stored = _model_value(db, "embed_model", None)
    if stored is None and db.scalar("SELECT 1 FROM event_assignments WHERE embedding IS NOT NULL LIMIT 1"):
        stored = model_fingerprint("all-MiniLM-L6-v2")
    if stored is not None and stored != current:
        raise ConfigError(f"this database's event embeddings come from {stored}, but [embed] model now gives "
                          f"{current}: set [embed] model to the first, or build into a new database")
    if stored is None:
        with db.transaction():
            db.conn.execute("INSERT INTO event_model(key, value) VALUES ('embed_model', ?)", (json.dumps(current),))


def _pending(db: Database) -> list[tuple[int, str | None]]:
    """(seq, date) of articles without an event, in publication order (undated last)."""
    rows = db.query("SELECT seq, date FROM articles WHERE event_id IS NULL ORDER BY coalesce(date, '9999'), seq")
    return [(r[0], r[1][:10] if r[1] else None) for r in rows]


def plan_chunks(pending: Sequence[tuple[int, str | None]], chunk_size: int) -> list[list[int]]:
    """One chunk per publication day (split at ``chunk_size``); undated articles in chunks of ``chunk_size``.

    Chunking by day, not by count, makes one build over a month equal to a
    build after each day's ingest: a chunk sees the same look-ahead (the
    rest of its day) either way. Measured on ECB+ with synthetic dates and
    embeddings, 1,000-article chunks gave B³-F1 0.967 in one build vs 0.983
    in five slices; see BENCHMARKS.md for the per-day numbers.
    """
    chunks: list[list[int]] = []
    current: list[int] = []
    current_day: str | None = None
    for seq, day in pending:
        if current and (day != current_day or len(current) >= chunk_size):
            chunks.append(current)
            current = []
        current.append(seq)
        current_day = day
    if current:
        chunks.append(current)
    return chunks


def _load_items(db: Database, seqs: Sequence[int]) -> list[ArticleItem]:
    marks = ",".join("?" * len(seqs))
    rows = db.query(f"SELECT id, title, text, date, duplicate_of FROM articles WHERE seq IN ({marks})"
                    " ORDER BY coalesce(date, '9999'), seq", list(seqs))
    return [ArticleItem(r["id"], r["text"], r["title"], _date(r["date"]), None, r["duplicate_of"]) for r in rows]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _chunk_groups(chunks: list[list[int]], size: int = EMBED_GROUP) -> Iterator[list[list[int]]]:
    """Consecutive chunks holding about ``size`` articles together, embedded in one encoder call: a
    chunk is one day (2.9 articles on gva) and the encoder's fixed cost per call was 7 of the
    stage's 25 CPU-s there. A text's vector does not depend on the others in its call."""
    group: list[list[int]] = []
    n = 0
    for seqs in chunks:
        group.append(seqs)
        n += len(seqs)
        if n >= size:
            yield group
            group, n = [], 0
    if group:
        yield group


def embed_items(items: list[ArticleItem], encoder: Any) -> None:
    """Embed title + lead, rounded to float16 as stored, so reloaded state equals in-memory state."""
    texts = [((i.title or "") + ". " + i.text)[:EMBED_LEAD_CHARS] for i in items]
    vectors = encoder.encode(texts).astype(np.float16).astype(np.float32)
    for item, vector in zip(items, vectors, strict=True):
        item.embedding = vector


def cluster_chunk(db: Database, clusterer: EventClusterer, chunk: list[ArticleItem], encoder: Any) -> set[str]:
    """Restore state, cluster one chunk, and commit assignments, events and state together."""
    if encoder is not None:
        embed_items(chunk, encoder)
    dates = [i.date for i in chunk if i.date is not None]
    restore_state(db, clusterer, min(dates) if dates and len(dates) == len(chunk) else None, chunk)
    clusterer.partial_fit(chunk)
    with db.transaction():
        touched = save_chunk(db, clusterer, chunk)
    return touched


# -- state ---------------------------------------------------------------
def restore_state(db: Database, clusterer: EventClusterer, since: dt.date | None,
                  chunk: list[ArticleItem]) -> None:
    """Read df, positions and the events a chunk starting at ``since`` may join (with recent members)."""
    clusterer._init_state()
    n_docs = int(_model_value(db, "n_docs", 0))
    position = int(_model_value(db, "position", 0))
    # the counts saved with the last chunk are the ones in memory when this process saved it
    in_sync = clusterer.n_docs_ == n_docs and clusterer.position_ == position and n_docs > 0
    df = clusterer.df_ if in_sync else _load_df(db, clusterer.n_features)
    events = _active_states(db, clusterer, since)
    members = _active_members(db, clusterer, events, since)
    events += _original_states(db, chunk, {e.id for e in events})
    emb_sum, emb_n = (clusterer.emb_sum_, clusterer.emb_n_) if in_sync else _load_emb_sum(db)
    clusterer.restore(df, n_docs, position, events, members, emb_sum, emb_n)


def _original_states(db: Database, chunk: list[ArticleItem], known: set[str]) -> list[EventState]:
    """Events of near-duplicate originals that fell out of the window: a copy still joins its original's event.

    Such an event is past the window, so no article is compared with it: it
    carries only the originals (for their assignment), not its members' text
    - reloading those cost 10% of the stage at 100k articles (py-spy).
    """
    states: dict[str, EventState] = {}
    for item in chunk:
        if not item.duplicate_of:
            continue
        row = db.one("SELECT es.* FROM articles a JOIN event_state es ON es.event_id = a.event_id WHERE a.id = ?",
                     (item.duplicate_of,))
        if row is None or row["event_id"] in known:
            continue
        state = states.setdefault(row["event_id"], EventState(row["event_id"], [], _date(row["first"]),
                                                              _date(row["last"]), row["last_position"]))
        if item.duplicate_of not in state.members:
            state.members.append(item.duplicate_of)
    return list(states.values())


def _active_states(db: Database, clusterer: EventClusterer, since: dt.date | None) -> list[EventState]:
    if since is None:
        params: tuple[str | int, ...] = (clusterer.max_active,)
        sql = "SELECT * FROM event_state ORDER BY last_position DESC LIMIT ?"
    else:
        horizon = (since - dt.timedelta(days=clusterer.window_days)).isoformat()
        sql = ("SELECT * FROM (SELECT * FROM event_state WHERE last >= ? UNION ALL"
               " SELECT * FROM event_state WHERE last IS NULL) ORDER BY last_position DESC LIMIT ?")
        params = (horizon, clusterer.max_active)
    states = [EventState(r["event_id"], [], _date(r["first"]), _date(r["last"]), r["last_position"])
              for r in db.query(sql, params)]
    return sorted(states, key=lambda e: e.last_position)


def _active_members(db: Database, clusterer: EventClusterer, events: list[EventState],
                    since: dt.date | None) -> list[ArticleItem]:
    """Fill each event's recent members (published inside the window); return those not cached yet.

    Members older than the window are never compared (the clusterer drops
    them too), and leaving them out bounds a chunk's work by the articles of
    the window: a long-running event would otherwise bring its last
    ``max_members`` however old, and at 100k articles such events tripled
    the members every chunk handled.
    """
    keep = clusterer.max_members
    horizon = (since - dt.timedelta(days=clusterer.window_days)).isoformat() if since else ""
    # every article dated inside the window was clustered at or after this position (event_days keeps
    # the earliest position of each day, late arrivals included): reading members
    # from it on uses the (event_id, position) index and skips a long event's old members unread
    first = db.scalar("SELECT min(first_position) FROM event_days WHERE day >= ?", (horizon[:10],)) if horizon else None
    low = first if first is not None else 0
    cached = clusterer._rows
    by_event: dict[str, list[str]] = {e.id: [] for e in events}
    ids = list(by_event)
    for start in range(0, len(ids), 500):      # one query per 500 events, not one per event
        part = ids[start:start + 500]
        rows = db.query(f"SELECT ea.event_id, ea.article_id FROM event_assignments ea JOIN articles a"
                        f" ON a.id = ea.article_id WHERE ea.event_id IN ({','.join('?' * len(part))})"
                        " AND ea.position >= ? AND (a.date IS NULL OR a.date >= ?) ORDER BY ea.position",
                        (*part, low, horizon))
        for event_id, article_id in rows:
            by_event[event_id].append(article_id)
    items = []
    for event in events:
        event.members = by_event[event.id][-keep:]
        for article_id in reversed(event.members):
            if article_id in cached:
                continue
            row = db.one("SELECT a.title, a.text, a.date, ea.embedding, ea.position, ea.profile, ea.terms"
                         " FROM articles a JOIN event_assignments ea ON ea.article_id = a.id WHERE a.id = ?",
                         (article_id,))
            if row is None:
                continue
            emb = np.frombuffer(row["embedding"], dtype=np.float16).astype(np.float32) if row["embedding"] else None
            items.append(ArticleItem(article_id, row["text"], row["title"], _date(row["date"]), emb,
                                     position=row["position"], profile=unpack_profile(row["profile"]),
                                     terms=(np.frombuffer(row["terms"], dtype=np.int64).tolist()
                                            if row["terms"] else None)))
    return items


def pack_profile(profile: tuple[np.ndarray, np.ndarray]) -> bytes:
    """A neighbour profile as bytes: count, int64 positions, float32 similarities (exact: a resumed build matches)."""
    positions, weights = profile
    return (np.int64(positions.size).tobytes() + positions.astype(np.int64).tobytes()
            + weights.astype(np.float32).tobytes())


def unpack_profile(blob: bytes | None) -> tuple[np.ndarray, np.ndarray] | None:
    if not blob:
        return None
    n = int(np.frombuffer(blob[:8], dtype=np.int64)[0])
    return (np.frombuffer(blob[8:8 + 8 * n], dtype=np.int64).copy(),
            np.frombuffer(blob[8 + 8 * n:], dtype=np.float32).copy())


def _model_value(db: Database, key: str, default: Any) -> Any:
    raw = db.scalar("SELECT value FROM event_model WHERE key = ?", (key,))
    return default if raw is None else json.loads(raw)


def _load_emb_sum(db: Database) -> tuple[np.ndarray | None, int]:
    """The running sum of embeddings and its count (None, 0 for a store that has none yet)."""
    total = _model_value(db, "emb_sum", None)
    return (None if total is None else np.asarray(total, dtype=np.float64)), int(_model_value(db, "emb_n", 0))


def _load_df(db: Database, size: int) -> np.ndarray:
    """Document frequencies: the ``event_df`` table, or the blob that stores made before it existed."""
    out = np.zeros(size, dtype=np.int64)
    rows = db.query("SELECT col, n FROM event_df")
    if rows:
        cols = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        out[cols] = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        return out
    return _model_array(db, "df", size)


def _save_df(db: Database, clusterer: EventClusterer) -> None:
    """Upsert the columns this chunk changed (a store from before the table gets every column once)."""
    cols = clusterer.changed_columns_
    if db.scalar("SELECT count(*) FROM event_model WHERE key = 'df'"):
        cols = np.nonzero(clusterer.df_)[0]
        db.conn.execute("DELETE FROM event_model WHERE key = 'df'")
    db.conn.executemany("INSERT INTO event_df(col, n) VALUES (?, ?) ON CONFLICT(col) DO UPDATE SET n = excluded.n",
                        zip(cols.tolist(), clusterer.df_[cols].tolist(), strict=True))


def _model_array(db: Database, key: str, size: int) -> np.ndarray:
    raw = db.scalar("SELECT value FROM event_model WHERE key = ?", (key,))
    out = np.zeros(size, dtype=np.int64)
    if raw is None:
        return out
    data = zlib.decompress(raw)
    n = int(np.frombuffer(data[:8], dtype=np.int64)[0])
    columns = np.frombuffer(data[8:8 + 4 * n], dtype=np.int32)
    out[columns] = np.frombuffer(data[8 + 4 * n:], dtype=np.int64)
    return out


def _set_model(db: Database, key: str, value: Any) -> None:
    db.conn.execute("INSERT INTO event_model(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
                    " value = excluded.value", (key, value))


# -- results ---------------------------------------------------------------
def save_chunk(db: Database, clusterer: EventClusterer, chunk: list[ArticleItem]) -> set[str]:
    """Write assignments, model state and stale marks for the touched events (call inside a transaction)."""
    conn = db.conn
    touched: set[str] = set()
    first_position = clusterer.position_ - len(chunk)
    for k, item in enumerate(chunk):
        event_id = clusterer.assignments_[item.id]
        touched.add(event_id)
        happened = happened_date(item.text, item.date)
        blob = item.embedding.astype(np.float16).tobytes() if item.embedding is not None else None
        conn.execute("INSERT OR REPLACE INTO event_assignments(article_id, event_id, position, happened, embedding)"
                     " VALUES (?,?,?,?,?)", (item.id, event_id, first_position + k + 1,
                                              happened.isoformat() if happened else None, blob))
        conn.execute("UPDATE articles SET event_id = ? WHERE id = ?", (event_id, item.id))
    conn.executemany("UPDATE event_assignments SET profile = ? WHERE article_id = ?",
                     [(pack_profile(p), a) for a, p in sorted(clusterer.changed_profiles_.items())])
    conn.executemany("UPDATE event_assignments SET terms = ? WHERE article_id = ?",
                     [(np.asarray(t, dtype=np.int64).tobytes(), a)
                      for a, t in sorted(clusterer.changed_terms_.items())])
    for event_id in sorted(touched):
        state = clusterer.events_[event_id]
        conn.execute("INSERT INTO event_state(event_id, first, last, last_position) VALUES (?,?,?,?)"
                     " ON CONFLICT(event_id) DO UPDATE SET first = excluded.first, last = excluded.last,"
                     " last_position = excluded.last_position",
                     (event_id, _iso(state.first), _iso(state.last), state.last_position))
    conn.executemany("INSERT OR IGNORE INTO events_stale(event_id) VALUES (?)", [(e,) for e in sorted(touched)])
    _save_df(db, clusterer)
    days: dict[str, int] = {}
    for k, item in enumerate(chunk):
        if item.date is not None:
            day = item.date.isoformat()
            days[day] = min(days.get(day, first_position + k + 1), first_position + k + 1)
    conn.executemany("INSERT INTO event_days(day, first_position) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET"
                     " first_position = min(first_position, excluded.first_position)", sorted(days.items()))
    _set_model(db, "n_docs", json.dumps(clusterer.n_docs_))
    _set_model(db, "position", json.dumps(clusterer.position_))
    if clusterer.emb_sum_ is not None:
        _set_model(db, "emb_sum", json.dumps([float(x) for x in clusterer.emb_sum_]))
        _set_model(db, "emb_n", json.dumps(clusterer.emb_n_))
    return touched


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def refresh_events(db: Database, batch: int = 500) -> None:
    """Recompute the records of events marked stale, a batch per transaction.

    An event touched on several days is recomputed once per build, not once
    per chunk (the stage's records cost ~25% of it when they were per chunk);
    the marks are written with each chunk, so a killed build leaves them for
    the next run and the records always end equal to an uninterrupted run's.
    """
    while True:
        ids = [r[0] for r in db.query("SELECT event_id FROM events_stale ORDER BY event_id LIMIT ?", (batch,))]
        if not ids:
            return
        with db.transaction():
            for event_id in ids:
                write_event_row(db, event_id)
            db.conn.executemany("DELETE FROM events_stale WHERE event_id = ?", [(e,) for e in ids])


def write_event_row(db: Database, event_id: str) -> None:
    """(Re)compute one event's record from its members: title, dates, place, keywords, counts."""
    rows = db.query("SELECT a.seq, a.id, a.title, a.outlet, a.duplicate_of, ea.happened, ea.position"
                    " FROM event_assignments ea JOIN articles a ON a.id = ea.article_id"
                    " WHERE ea.event_id = ? ORDER BY ea.position", (event_id,))
    if not rows:
        return
    date, start, end = event_dates(_date(r["happened"]) for r in rows if not r["duplicate_of"])
    originals = [r for r in rows if not r["duplicate_of"]] or list(rows)
    sources = {r["outlet"] or f"article:{r['id']}" for r in originals}
    # the first members suffice for title, place and keywords: a big event touched daily stays cheap
    first = db.query("SELECT a.title, substr(a.text, 1, 600) AS lead, ea.embedding FROM event_assignments ea"
                     " JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = ? ORDER BY ea.position LIMIT 50",
                     (event_id,))
    leads = [((r["title"] or "") + "\n" + r["lead"]) for r in first]
    values = (event_id, representative_title(first), _iso(date), _iso(start), _iso(end), event_place(leads),
              json.dumps(keywords(leads)), len(rows), len(sources), min(r["seq"] for r in rows))
    db.conn.execute(
        "INSERT INTO events(id, title, date, start, end, place, keywords, n_articles, n_outlets, first_seq)"
        " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, date = excluded.date,"
        " start = excluded.start, end = excluded.end, place = excluded.place, keywords = excluded.keywords,"
        " n_articles = excluded.n_articles, n_outlets = excluded.n_outlets, first_seq = excluded.first_seq", values)


def representative_title(rows: Sequence[Any]) -> str:
    """The most central real headline of the first members, re-cased; else a lead-made title, else the lead.

    A "real" headline is one the article carried, not one cleaning made
    from its lead sentence (a title that the text itself starts with) and
    not a lower-case URL slug: those stand in only when no member has a
    real one. Central = closest to the embedding centroid of the titled
    members (the first one when fewer than two have embeddings).
    """
    titled = [r for r in rows if (r["title"] or "").strip()]
    if not titled:
        return (rows[0]["lead"] or "").strip().split("\n")[0][:120]
    real = [r for r in titled if not _lead_made(r["title"], r["lead"]) and not _slug_like(r["title"])]
    chosen = _central(real or titled)
    return _recased(chosen["title"].strip(), chosen["lead"] or "")


def _central(rows: Sequence[Any]) -> Any:
    with_emb = [r for r in rows if r["embedding"]]
    if len(with_emb) < 2:
        return rows[0]
    matrix = np.stack([np.frombuffer(r["embedding"], dtype=np.float16).astype(np.float32) for r in with_emb])
    return with_emb[int(np.argmax(matrix @ matrix.mean(axis=0)))]


_NON_WORD = re.compile(r"\W+")


def _lead_made(title: str, lead: str | None) -> bool:
    """True when the title is the start of the article's own text (cleaning made it from the lead sentence)."""
    head = _NON_WORD.sub(" ", title.lower()).strip().rstrip("…. ")
    return bool(head) and _NON_WORD.sub(" ", (lead or "").lower()).strip().startswith(head[:60])


def _slug_like(title: str) -> bool:
    from ..clean.titles import is_slug_like

    return is_slug_like(title)


def _recased(title: str, lead: str) -> str:
    """A lower-case slug-like title takes the casing of the article's own words (``clean.titles``)."""
    from ..clean.titles import is_slug_like, recase_title

    return recase_title(title, lead) if is_slug_like(title) else title


def event_place(leads: Sequence[str]) -> str | None:
    """Most cited place: "in/at X" capitalised phrases in the leads (weight 2), then datelines ("ISLAMABAD:")."""
    cited: Counter[str] = Counter()
    for lead in leads:
        for m in PLACE_RE.finditer(lead):
            name = re.split(r"['’]s\s+", m.group(1).strip())[-1]
            words = [w for w in name.split() if w.lower() not in stop_words() and w.lower() not in CALENDAR]
            if words:
                cited[" ".join(words).title()] += 2
        for m in DATELINE_RE.finditer(lead):
            cited[m.group(1).strip().title()] += 1
    if not cited:
        return None
    return max(cited, key=lambda p: (cited[p], p))
