"""The understanding stage against the store: batched, watermarked, resumable steps."""
from __future__ import annotations

import hashlib
import itertools
import json
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..progress import Progress
from ..records import Quote, parse_date
from ..store import Database
from .corrections import apply_corrections, corrections
from .entities import EntityResolver, RawMention
from .facts import EventSentence, FactAligner
from .annotate import AUTO_PROCESS_MIN
from .quotes import FoundQuote, QuoteExtractor, SpeakerMention, group_quotes, quote_id

RESOLVED = "understand.resolved"
ID_CHUNK = 500          # ids per ``IN (...)`` query, well under SQLite's variable limit
QUOTE_CHUNK = 256       # articles whose quotes are attributed and written per transaction
QUOTES_AHEAD = 8        # chunks handed to the quote workers before the first is written
FACT_CHUNK = 64         # events whose facts are aligned per encoder call and transaction


def event_map(db: Database) -> dict[str, str]:
    """Article id → event id; an article not in any event is its own event."""
    return {r[0]: r[1] for r in db.conn.execute("SELECT id, coalesce(event_id, id) FROM articles")}


def resolve_entities(db: Database, resolver: EntityResolver, force: bool = False) -> bool:
    """Re-resolve every mention of the corpus into entities; skipped when nothing changed.

    Resolution stays corpus-wide (a new long name can change what an old short
    one means), but only what changed is written: mentions whose entity moved,
    entities whose record changed. Articles whose speakers changed (a mention
    moved, or its entity's name, type or roles did) are queued for quotes.
    """
    events = event_map(db)
    n_mentions = db.scalar("SELECT count(*) FROM mentions")
    n_margin = db.scalar("SELECT count(*) FROM margin_mentions")
    fixes = corrections(db)            # the user's merges, splits and renames (understand/corrections.py)
    signature = _hash(json.dumps([n_mentions, n_margin, sorted(events.items()), resolver.__dict__, fixes],
                                 sort_keys=True))
    if not force and db.get_state(RESOLVED) == signature:
        return False
    rows = db.conn.execute("SELECT rowid, article_id, start, end, text, label, roles, entity_id FROM mentions"
                           " ORDER BY rowid").fetchall()
    mentions = [_raw_mention(r) for r in rows]
    margin_rows = db.conn.execute("SELECT rowid, article_id, start, end, text, label, roles, entity_id"
                                  " FROM margin_mentions ORDER BY rowid").fetchall()
    margin = [_raw_mention(r) for r in margin_rows]
    resolver.fit(mentions, events, margin=margin)
    resolver.entities_ = apply_corrections(resolver.entities_, mentions, fixes)
    old = {r[0]: tuple(r[1:]) for r in db.conn.execute("SELECT id, name, type, aliases, roles, mentions FROM entities")}
    new = {e.id: (e.name, e.type, json.dumps(e.aliases, ensure_ascii=False), json.dumps(e.roles, ensure_ascii=False),
                  e.mentions) for e in resolver.entities_}
    changed = {eid for eid, rec in new.items() if old.get(eid) != rec}
    speaker_changed = {eid for eid in changed if eid not in old or old[eid][:2] != new[eid][:2]
                       or old[eid][3] != new[eid][3]} | (old.keys() - new.keys())
    moved = [(m.entity_id, r[0]) for m, r in zip(mentions, rows, strict=True) if m.entity_id != r[7]]
    stale = {r[1] for m, r in zip(mentions, rows, strict=True) if m.entity_id != r[7] or m.entity_id in speaker_changed}
    with db.transaction() as conn:
        conn.executemany("DELETE FROM entities WHERE id = ?", [(e,) for e in old.keys() - new.keys()])
        conn.executemany("INSERT OR REPLACE INTO entities(id, name, type, aliases, roles, mentions)"
                         " VALUES (?,?,?,?,?,?)", [(e, *new[e]) for e in changed])
        conn.executemany("UPDATE mentions SET entity_id = ? WHERE rowid = ?", moved)
        conn.executemany("UPDATE margin_mentions SET entity_id = ? WHERE rowid = ?",
                         [(m.entity_id, r[0]) for m, r in zip(margin, margin_rows, strict=True) if m.entity_id != r[7]])
        conn.executemany("INSERT OR IGNORE INTO quotes_stale(article_id) VALUES (?)", [(a,) for a in stale])
        db.set_state(RESOLVED, signature)
    return True


def _raw_mention(row: Any) -> RawMention:
    """A stored mention row (body or margin) as the resolver's input."""
    return RawMention(row["article_id"], row["start"], row["end"], row["text"], row["label"],
                      json.loads(row["roles"]) if row["roles"] else [])


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def speaker_mentions(db: Database, article_ids: Sequence[str] | None = None) -> dict[str, list[SpeakerMention]]:
    """Resolved mentions per article (all, or only of ``article_ids``) with their entity's name, type and roles."""
    out: dict[str, list[SpeakerMention]] = defaultdict(list)
    sql = ("SELECT m.article_id, m.start, m.end, e.id, e.name, e.type, e.roles FROM mentions m"
           " JOIN entities e ON e.id = m.entity_id")
    roles_cache: dict[str, tuple[str, ...]] = {}
    for r in _rows_for(db, sql, "m.article_id", article_ids, "m.article_id, m.start"):
        roles = roles_cache.setdefault(r[3], tuple(json.loads(r[6]) if r[6] else ()))
        out[r[0]].append(SpeakerMention(r[1], r[2], r[3], r[4], r[5], roles))
    return out


def _rows_for(db: Database, sql: str, column: str, ids: Sequence[str] | None, order: str) -> Iterator[Any]:
    """Rows of ``sql`` (a SELECT without WHERE) for ``column IN ids``, chunked under SQLite's variable
    limit; every row when ``ids`` is None. Each chunk comes ordered by ``order``."""
    if ids is None:
        yield from db.conn.execute(f"{sql} ORDER BY {order}")
        return
    ids = list(ids)
    for i in range(0, len(ids), ID_CHUNK):
        part = ids[i:i + ID_CHUNK]
        yield from db.conn.execute(f"{sql} WHERE {column} IN ({','.join('?' * len(part))}) ORDER BY {order}", part)


def attribute_quotes(db: Database, extractor: QuoteExtractor, progress: Progress,
                     meanwhile: Callable[[], Any] | None = None) -> int:
    """Find and attribute the quotes of the articles queued for it, then regroup repeats per event.

    An article is queued when it is first annotated and when resolution changes
    one of its speakers; an article that moved to another event takes its
    quotes along. Repeats are regrouped only in the events these touched, in
    the order a whole-corpus pass would see them, so the result equals one.

    ``meanwhile`` runs once the first ``QUOTES_AHEAD`` chunks are handed to the
    workers, before any is written: the build aligns facts and places events
    there, on one core, while the two quote workers parse (they read nothing
    those steps write).
    """
    stale = [r[0] for r in db.conn.execute(
        "SELECT s.article_id FROM quotes_stale s JOIN articles a ON a.id = s.article_id ORDER BY a.seq")]
    _move_quotes(db)
    chunks = iter([stale[i:i + QUOTE_CHUNK] for i in range(0, len(stale), QUOTE_CHUNK)])
    with quote_mapper(len(stale)) as mapper:
        ahead: deque[tuple[list[str], Callable[[], list[tuple[Quote, Any]]]]] = deque()

        def submit() -> None:
            chunk = next(chunks, None)
            if chunk is not None:
                ahead.append((chunk, _extract_quotes_later(db, extractor, chunk, mapper)))

        for _ in range(QUOTES_AHEAD):
            submit()
        if meanwhile is not None:
            meanwhile()
        with progress.task("quotes", total=len(stale)) as advance:
            while ahead:
                chunk, found = ahead.popleft()
                _write_quotes(db, chunk, found())
                submit()
                advance(len(chunk))
    _regroup(db)
    return int(db.scalar("SELECT count(*) FROM quotes"))


@contextmanager
def quote_mapper(n_articles: int) -> Iterator[Callable[..., Iterable[Any]]]:
    """``map`` over two worker processes when the machine has two cores and enough articles are
    queued to pay for a second parser load, else the builtin ``map``. Each article's quotes
    depend on that article alone, so the result is the same either way."""
    import os

    if (os.cpu_count() or 1) < 2 or n_articles < AUTO_PROCESS_MIN:
        yield map
        return
    from ..engine import guarded_pool, stop_signals_blocked
    from .quotes import load_parser

    load_parser()           # loaded once here, before the workers fork, instead of once in each
    pool = guarded_pool(2)

    def map_items(fn: Callable[..., Any], *its: Iterable[Any]) -> Iterable[Any]:
        with stop_signals_blocked():            # the first submit forks the workers
            return pool.map(fn, *its, chunksize=8)

    try:
        yield map_items
    finally:
        pool.shutdown(cancel_futures=True)


def _quotes_of(extractor: QuoteExtractor, text: str, mentions: list[SpeakerMention],
               sentences: list[tuple[int, int]] | None) -> list[FoundQuote]:
    """One article's attributed quotes (a module function, so a worker process can run it)."""
    return extractor.extract(text, mentions, sentences)


def _move_quotes(db: Database) -> None:
    """Quotes of articles whose event changed follow them; both events are regrouped."""
    rows = db.conn.execute("SELECT q.id, q.event_id, coalesce(a.event_id, a.id) FROM quotes q"
                           " JOIN articles a ON a.id = q.article_id"
                           " WHERE q.event_id IS NOT coalesce(a.event_id, a.id)").fetchall()
    if not rows:
        return
    with db.transaction() as conn:
        conn.executemany("UPDATE quotes SET event_id = ? WHERE id = ?", [(r[2], r[0]) for r in rows])
        conn.executemany("INSERT OR IGNORE INTO quotes_regroup(event_id) VALUES (?)",
                         [(e,) for r in rows for e in (r[1], r[2]) if e])


def _extract_quotes_later(db: Database, extractor: QuoteExtractor, article_ids: list[str],
                          mapper: Callable[..., Iterable[Any]] = map) -> Callable[[], list[tuple[Quote, Any]]]:
    """Read these articles' text, sentences and speakers now and hand them to ``mapper`` (a pool's
    map starts on them at once); the function returned collects the (record, found quote) pairs."""
    mentions = speaker_mentions(db, article_ids)
    sentences: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in _rows_for(db, "SELECT article_id, start, end FROM sentences", "article_id", article_ids,
                       "article_id, position"):
        sentences[r[0]].append((r[1], r[2]))
    rows = list(_rows_for(db, "SELECT id, text, coalesce(event_id, id) AS event_id, seq FROM articles", "id",
                          article_ids, "seq"))
    per_article = mapper(_quotes_of, itertools.repeat(extractor), [r["text"] or "" for r in rows],
                         [mentions.get(r["id"], []) for r in rows], [sentences.get(r["id"]) or None for r in rows])

    def collect() -> list[tuple[Quote, Any]]:
        found = []
        for r, quotes in zip(rows, per_article, strict=True):
            for q in quotes:
                found.append((Quote(quote_id(r["id"], q.start), q.text, r["id"], q.start, q.end, q.speaker,
                                    q.speaker_entity_id, quote_id(r["id"], q.start), r["event_id"]), q))
        return found

    return collect


def _write_quotes(db: Database, article_ids: list[str], found: list[tuple[Quote, Any]]) -> None:
    """Replace these articles' quotes, dequeue them and queue their old and new events for regrouping."""
    old_events = [r[0] for r in _rows_for(db, "SELECT DISTINCT event_id FROM quotes", "article_id", article_ids,
                                          "event_id")]
    with db.transaction() as conn:
        conn.executemany("DELETE FROM quotes WHERE article_id = ?", [(a,) for a in article_ids])
        conn.executemany(
            "INSERT OR REPLACE INTO quotes(id, text, article_id, start, end, speaker, speaker_entity_id, group_id,"
            " event_id, speaker_start, speaker_end, how, confidence, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(rec.id, rec.text, rec.article_id, rec.start, rec.end, rec.speaker, rec.speaker_entity_id,
              rec.group_id, rec.event_id, q.speaker_start, q.speaker_end, q.how or None,
              q.confidence if q.speaker_entity_id else 0.0, None if q.speaker_entity_id else q.reason or None)
             for rec, q in found])
        conn.executemany("INSERT OR IGNORE INTO quotes_regroup(event_id) VALUES (?)",
                         [(e,) for e in {*old_events, *(rec.event_id for rec, _ in found)} if e])
        conn.executemany("DELETE FROM quotes_stale WHERE article_id = ?", [(a,) for a in article_ids])


def _regroup(db: Database) -> None:
    """Group repeated quotes inside each queued event, quotes in ingest order as one pass reads them."""
    events = [r[0] for r in db.conn.execute("SELECT event_id FROM quotes_regroup")]
    for i in range(0, len(events), ID_CHUNK):
        part = events[i:i + ID_CHUNK]
        by_event: dict[str, list[Quote]] = defaultdict(list)
        old: dict[str, str | None] = {}
        sql = ("SELECT q.id, q.text, q.article_id, q.start, q.end, q.event_id, q.group_id FROM quotes q"
               " JOIN articles a ON a.id = q.article_id")
        for r in _rows_for(db, sql, "q.event_id", part, "q.event_id, a.seq, q.start"):
            by_event[r[5]].append(Quote(r[0], r[1], r[2], r[3], r[4], event_id=r[5]))
            old[r[0]] = r[6]
        for quotes in by_event.values():
            group_quotes(quotes)
        with db.transaction() as conn:
            conn.executemany("UPDATE quotes SET group_id = ? WHERE id = ?",
                             [(q.group_id, q.id) for qs in by_event.values() for q in qs if q.group_id != old[q.id]])
            conn.executemany("DELETE FROM quotes_regroup WHERE event_id = ?", [(e,) for e in part])


def event_articles(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Event id → its original articles (near-duplicate copies left out: they count once)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    sql = ("SELECT id, coalesce(event_id, id) AS event_id, outlet, date, duplicate_of FROM articles"
           " ORDER BY coalesce(date, '9999'), seq")
    for r in db.conn.execute(sql):
        out[r["event_id"]].append(dict(r))
    for eid, arts in out.items():
        ids = {a["id"] for a in arts}
        out[eid] = [a for a in arts if not a["duplicate_of"] or a["duplicate_of"] not in ids]
    return out


def signature_of(articles: Iterable[dict[str, Any]], extra: str = "") -> str:
    """What an event's facts or summary depend on: its article ids (and a stage's own settings)."""
    return _hash(extra + "|" + ",".join(sorted(a["id"] for a in articles)))


def changed_events(db: Database, stage: str, events: dict[str, list[dict[str, Any]]], extra: str = "") -> list[str]:
    """Events whose article set changed since ``stage`` last processed them; drops vanished events."""
    known = {r[0]: r[1] for r in db.conn.execute(
        "SELECT event_id, signature FROM event_signatures WHERE stage = ?", (stage,))}
    gone = [e for e in known if e not in events]
    if gone:
        with db.transaction() as conn:
            for e in gone:
                conn.execute("DELETE FROM event_signatures WHERE stage = ? AND event_id = ?", (stage, e))
                conn.execute(f"DELETE FROM {'facts' if stage == 'facts' else 'summaries'} WHERE event_id = ?", (e,))
    return [e for e, arts in events.items() if known.get(e) != signature_of(arts, extra)]


def event_sentences(db: Database, articles: list[dict[str, Any]]) -> list[EventSentence]:
    """Every stored sentence of these articles, with outlet, publication date and persons named."""
    return events_sentences(db, [articles])[0]


def events_sentences(db: Database, events: Sequence[list[dict[str, Any]]]) -> list[list[EventSentence]]:
    """The sentences of several events' articles, read in a few queries (not two per article)."""
    ids = [a["id"] for arts in events for a in arts]
    persons: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    sql = ("SELECT m.article_id, m.start, m.end, m.entity_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
           " AND e.type = 'PERSON'")
    for r in _rows_for(db, sql, "m.article_id", ids, "m.article_id"):
        persons[r[0]].append((r[1], r[2], r[3]))
    stored: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for r in _rows_for(db, "SELECT article_id, start, end, text FROM sentences", "article_id", ids,
                       "article_id, position"):
        stored[r[0]].append((r[1], r[2], r[3]))
    out = []
    for arts in events:
        sentences = []
        for a in arts:
            published, mine = parse_date(a.get("date")), persons.get(a["id"], [])
            for start, end, text in stored.get(a["id"], []):
                names = frozenset(eid for ms, me, eid in mine if ms >= start and me <= end)
                sentences.append(EventSentence(a["id"], a.get("outlet") or a["id"], text, published, start, end,
                                               names))
        out.append(sentences)
    return out


class SentenceVectors:
    """Embeddings of stored sentences, made once per process and shared by facts and summaries.

    Both stages embed largely the same sentences of the same events with the
    same model; a sentence is keyed by (article, start, end), so the second
    stage reads what the first made. The cache is emptied when it passes
    ``limit`` rows (about 1 KB each), which bounds memory on large corpora.
    """

    def __init__(self, model: str | None = None, limit: int = 200_000) -> None:
        self.model = model
        self.limit = limit
        self._rows: dict[tuple[str, int, int], Any] = {}

    def __call__(self, sentences: Sequence[EventSentence]) -> Any:
        """Unit vectors of ``sentences``, one row each, in order."""
        import numpy as np

        keys = [(s.article_id, s.start, s.end) for s in sentences]
        missing = {k: s.text for k, s in zip(keys, sentences, strict=True) if k not in self._rows}
        if missing:
            if len(self._rows) + len(missing) > self.limit:
                self._rows.clear()
                missing = {k: s.text for k, s in zip(keys, sentences, strict=True)}
            from ..represent import get_encoder

            vectors = get_encoder(self.model).encode(list(missing.values()))
            self._rows.update(zip(missing, vectors, strict=True))
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._rows[k] for k in keys])


_VECTORS: dict[str | None, SentenceVectors] = {}


def sentence_vectors(model: str | None = None) -> SentenceVectors:
    """The process's one sentence-vector cache for ``model``."""
    return _VECTORS.setdefault(model, SentenceVectors(model))


def align_facts(db: Database, aligner: FactAligner, progress: Progress) -> int:
    """Facts for each event (2+ original articles) whose article set changed, a chunk of events per
    encoder call and per transaction."""
    events = {e: arts for e, arts in event_articles(db).items() if len(arts) >= 2}
    extra = json.dumps(aligner.__dict__, sort_keys=True, default=str)
    todo = changed_events(db, "facts", events, extra)
    vectors = sentence_vectors(aligner.model)
    with progress.task("facts", total=len(todo)) as advance:
        for i in range(0, len(todo), FACT_CHUNK):
            chunk = todo[i:i + FACT_CHUNK]
            cands = [aligner.candidates(s) for s in events_sentences(db, [events[e] for e in chunk])]
            flat = [s for group in cands for s in group]
            matrix = vectors(flat) if flat else None
            found, at = [], 0
            for eid, group in zip(chunk, cands, strict=True):
                if group and matrix is not None:        # a non-empty group is in flat, so matrix is set
                    found.append(aligner.align(eid, group, matrix[at:at + len(group)]))
                else:
                    found.append([])
                at += len(group)
            _write_facts(db, chunk, found, [signature_of(events[e], extra) for e in chunk])
            advance(len(chunk))
    return int(db.scalar("SELECT count(*) FROM facts"))


def _write_facts(db: Database, event_ids: list[str], facts: list[list[Any]], signatures: list[str]) -> None:
    """Replace the facts of these events and record their signatures, in one transaction."""
    with db.transaction() as conn:
        conn.executemany("DELETE FROM facts WHERE event_id = ?", [(e,) for e in event_ids])
        conn.executemany(
            "INSERT OR REPLACE INTO facts(id, event_id, text, sentences, outlets, single_outlet, disagreement,"
            " agreement) VALUES (?,?,?,?,?,?,?,?)",
            [(f.id, eid, f.text, json.dumps(f.sentences, ensure_ascii=False), json.dumps(f.outlets),
              int(f.single_outlet), json.dumps(f.disagreement), json.dumps(f.agreement))
             for eid, found in zip(event_ids, facts, strict=True) for f in found])
        conn.executemany("INSERT OR REPLACE INTO event_signatures(stage, event_id, signature) VALUES ('facts',?,?)",
                         list(zip(event_ids, signatures, strict=True)))
