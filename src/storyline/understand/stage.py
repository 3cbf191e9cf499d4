"""The understanding stage against the store: batched, watermarked, resumable steps."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from typing import Any, Iterable, Iterator

from ..progress import Progress
from ..records import Quote
from ..store import Database
from .entities import EntityResolver, RawMention, extract_mentions
from .facts import EventSentence, FactAligner
from .nlp import load_nlp, split_sentences
from .quotes import QuoteExtractor, SpeakerMention, group_quotes, quote_id

WATERMARK = "understand.seq"
RESOLVED = "understand.resolved"
MAX_CHARS = 100_000     # spaCy's default limit is 1M; news beyond this is a feed dump, not an article


def annotate_new(db: Database, progress: Progress, model: str | None = None, batch_size: int = 64,
                 n_process: int = 1) -> int:
    """NER mentions and sentence spans for articles past the watermark, one transaction per batch."""
    last = int(db.get_state(WATERMARK, 0) or 0)
    total = db.scalar("SELECT count(*) FROM articles WHERE seq > ?", (last,))
    if not total:
        return 0
    nlp = load_nlp(model)
    done = 0
    with progress.task("entities", total=total) as advance:
        for batch in _article_batches(db, last, size=max(batch_size * 4 * n_process, 64)):
            texts = [text[:MAX_CHARS] for _, _, text in batch]
            docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
            rows = [(aid, extract_mentions(doc, aid), split_sentences(text))
                    for (_, aid, text), doc in zip(batch, docs)]
            _write_annotations(db, rows, batch[-1][0])
            done += len(batch)
            advance(len(batch))
    return done


def _article_batches(db: Database, after: int, size: int) -> Iterator[list[tuple[int, str, str]]]:
    """(seq, id, text) of articles past ``after``, in ingest order, ``size`` at a time."""
    while True:
        rows = db.query("SELECT seq, id, text FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (after, size))
        if not rows:
            return
        yield [(r["seq"], r["id"], r["text"] or "") for r in rows]
        after = rows[-1]["seq"]


def _write_annotations(db: Database, rows: list[tuple[str, list[RawMention], list[tuple[int, int]]]],
                       seq: int) -> None:
    """Replace mentions and sentences of a batch and move the watermark, atomically."""
    with db.transaction() as conn:
        for aid, mentions, sentences in rows:
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM sentences WHERE article_id = ?", (aid,))
            conn.executemany("INSERT INTO mentions(article_id, start, end, text, label, roles) VALUES (?,?,?,?,?,?)",
                             [(aid, m.start, m.end, m.text, m.label, json.dumps(m.roles) if m.roles else None)
                              for m in mentions])
            text = db.scalar("SELECT text FROM articles WHERE id = ?", (aid,)) or ""
            conn.executemany("INSERT INTO sentences(article_id, position, start, end, text) VALUES (?,?,?,?,?)",
                             [(aid, i, a, b, text[a:b]) for i, (a, b) in enumerate(sentences)])
        db.set_state(WATERMARK, seq)


def event_map(db: Database) -> dict[str, str]:
    """Article id → event id; an article not in any event is its own event."""
    return {r[0]: r[1] for r in db.conn.execute("SELECT id, coalesce(event_id, id) FROM articles")}


def resolve_entities(db: Database, resolver: EntityResolver, force: bool = False) -> bool:
    """Re-resolve every mention of the corpus into entities; skipped when nothing changed."""
    events = event_map(db)
    n_mentions = db.scalar("SELECT count(*) FROM mentions")
    signature = _hash(json.dumps([n_mentions, sorted(events.items()), resolver.__dict__], sort_keys=True))
    if not force and db.get_state(RESOLVED) == signature:
        return False
    rows = db.query("SELECT rowid, article_id, start, end, text, label, roles FROM mentions")
    mentions = [RawMention(r["article_id"], r["start"], r["end"], r["text"], r["label"],
                           json.loads(r["roles"]) if r["roles"] else []) for r in rows]
    resolver.fit(mentions, events)
    with db.transaction() as conn:
        conn.execute("DELETE FROM entities")
        conn.executemany("INSERT INTO entities(id, name, type, aliases, roles, mentions) VALUES (?,?,?,?,?,?)",
                         [(e.id, e.name, e.type, json.dumps(e.aliases, ensure_ascii=False),
                           json.dumps(e.roles, ensure_ascii=False), e.mentions) for e in resolver.entities_])
        conn.executemany("UPDATE mentions SET entity_id = ? WHERE rowid = ?",
                         [(m.entity_id, r["rowid"]) for m, r in zip(mentions, rows)])
        db.set_state(RESOLVED, signature)
    return True


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def speaker_mentions(db: Database) -> dict[str, list[SpeakerMention]]:
    """Resolved mentions per article with their entity's name, type and roles."""
    out: dict[str, list[SpeakerMention]] = defaultdict(list)
    sql = ("SELECT m.article_id, m.start, m.end, e.id, e.name, e.type, e.roles FROM mentions m"
           " JOIN entities e ON e.id = m.entity_id ORDER BY m.article_id, m.start")
    roles_cache: dict[str, tuple[str, ...]] = {}
    for r in db.conn.execute(sql):
        roles = roles_cache.setdefault(r[3], tuple(json.loads(r[6]) if r[6] else ()))
        out[r[0]].append(SpeakerMention(r[1], r[2], r[3], r[4], r[5], roles))
    return out


def attribute_quotes(db: Database, extractor: QuoteExtractor, progress: Progress) -> int:
    """Find and attribute the quotes of every article, group repeats per event, rewrite the table."""
    mentions = speaker_mentions(db)
    found: list[Any] = []
    total = db.scalar("SELECT count(*) FROM articles")
    with progress.task("quotes", total=total) as advance:
        for r in db.conn.execute("SELECT id, text, event_id FROM articles ORDER BY seq").fetchall():
            sentences = [(s[0], s[1]) for s in db.conn.execute(
                "SELECT start, end FROM sentences WHERE article_id = ? ORDER BY position", (r["id"],))]
            for q in extractor.extract(r["text"] or "", mentions.get(r["id"], []), sentences or None):
                rec = Quote(quote_id(r["id"], q.start), q.text, r["id"], q.start, q.end, q.speaker,
                            q.speaker_entity_id, None, r["event_id"] or r["id"])
                found.append((rec, q))
            advance(1)
    by_event: dict[str, list[Any]] = defaultdict(list)
    for rec, _ in found:
        by_event[rec.event_id].append(rec)
    for quotes in by_event.values():
        group_quotes(quotes)
    with db.transaction() as conn:
        conn.execute("DELETE FROM quotes")
        conn.executemany(
            "INSERT OR REPLACE INTO quotes(id, text, article_id, start, end, speaker, speaker_entity_id, group_id,"
            " event_id, speaker_start, speaker_end, how) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(rec.id, rec.text, rec.article_id, rec.start, rec.end, rec.speaker, rec.speaker_entity_id,
              rec.group_id, rec.event_id, q.speaker_start, q.speaker_end, q.how or None) for rec, q in found])
    return len(found)


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
    out = []
    for a in articles:
        published = _date(a.get("date"))
        persons = [(r[0], r[1], r[2]) for r in db.conn.execute(
            "SELECT m.start, m.end, m.entity_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.article_id = ? AND e.type = 'PERSON'", (a["id"],))]
        for s in db.conn.execute("SELECT start, end, text FROM sentences WHERE article_id = ? ORDER BY position",
                                 (a["id"],)):
            names = frozenset(eid for ms, me, eid in persons if ms >= s[0] and me <= s[1])
            out.append(EventSentence(a["id"], a.get("outlet") or a["id"], s[2], published, s[0], s[1], names))
    return out


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def align_facts(db: Database, aligner: FactAligner, progress: Progress) -> int:
    """Facts for each event (2+ original articles) whose article set changed."""
    events = {e: arts for e, arts in event_articles(db).items() if len(arts) >= 2}
    extra = json.dumps(aligner.__dict__, sort_keys=True, default=str)
    todo = changed_events(db, "facts", events, extra)
    with progress.task("facts", total=len(todo)) as advance:
        for eid in todo:
            facts = aligner.align(eid, event_sentences(db, events[eid]))
            with db.transaction() as conn:
                conn.execute("DELETE FROM facts WHERE event_id = ?", (eid,))
                conn.executemany(
                    "INSERT OR REPLACE INTO facts(id, event_id, text, sentences, outlets, single_outlet, disagreement,"
                    " agreement) VALUES (?,?,?,?,?,?,?,?)",
                    [(f.id, eid, f.text, json.dumps(f.sentences, ensure_ascii=False), json.dumps(f.outlets),
                      int(f.single_outlet), json.dumps(f.disagreement), json.dumps(f.agreement))
                     for f in facts])
                conn.execute("INSERT OR REPLACE INTO event_signatures(stage, event_id, signature) VALUES ('facts',?,?)",
                             (eid, signature_of(events[eid], extra)))
            advance(1)
    return int(db.scalar("SELECT count(*) FROM facts"))
