"""The understanding stage against the store: batched, watermarked, resumable steps."""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from typing import Any, Iterable, Iterator

from ..clean.encoding import repair_mojibake
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
# Captions, credits and bylines are a few hundred characters (seed margins: 0-1,400;
# India police: 16 on average); lines are taken top down, so what a cap cuts is the
# tail of comment threads and link lists, which costs NER time and says little.
MAX_MARGIN_CHARS = 2_000
_NON_WORD = re.compile(r"\W+")


def annotate_new(db: Database, progress: Progress, model: str | None = None, batch_size: int = 64,
                 n_process: int = 1) -> int:
    """NER mentions and sentence spans for articles past the watermark, one transaction per batch.

    The margin of each article (raw lines the cleaner removed) goes through the
    same NER in the same stream; its names are kept apart as margin mentions.
    """
    last = int(db.get_state(WATERMARK, 0) or 0)
    total = db.scalar("SELECT count(*) FROM articles WHERE seq > ?", (last,))
    if not total:
        return 0
    nlp = load_nlp(model)
    done = 0
    with progress.task("entities", total=total) as advance:
        for batch in _article_batches(db, last, size=max(batch_size * 4 * n_process, 64)):
            margins = [margin_of(raw, text) for _, _, text, raw in batch]
            texts = [text[:MAX_CHARS] for _, _, text, _ in batch]
            docs = list(nlp.pipe(texts + [m.text for m in margins if m.text], batch_size=batch_size,
                                 n_process=n_process))
            margin_docs = iter(docs[len(batch):])
            rows = [(aid, extract_mentions(doc, aid), split_sentences(text),
                     margin.mentions(next(margin_docs), aid) if margin.text else [])
                    for (_, aid, text, _), doc, margin in zip(batch, docs, margins)]
            _write_annotations(db, rows, batch[-1][0])
            done += len(batch)
            advance(len(batch))
    return done


class Margin:
    """The raw lines an article's clean text left out, joined by newlines, with their raw offsets."""

    def __init__(self, raw: str, spans: list[tuple[int, int]]) -> None:
        self.text = "\n".join(raw[a:b] for a, b in spans)
        self.starts: list[tuple[int, int]] = []       # (offset in self.text, offset in raw)
        pos = 0
        for a, b in spans:
            self.starts.append((pos, a))
            pos += b - a + 1

    def to_raw(self, offset: int) -> int:
        """Offset in the raw text of an offset in the margin text."""
        i = bisect.bisect_right(self.starts, (offset, float("inf"))) - 1
        return self.starts[i][1] + offset - self.starts[i][0]

    def mentions(self, doc: Any, article_id: str) -> list[RawMention]:
        """Mentions of the margin's doc, with offsets moved into the raw text."""
        out = extract_mentions(doc, article_id)
        for m in out:
            m.start, m.end = self.to_raw(m.start), self.to_raw(m.start) + (m.end - m.start)
        return out


def margin_of(raw: str | None, text: str, limit: int = MAX_MARGIN_CHARS) -> Margin:
    """Lines of the raw text (mojibake repaired, as the cleaner read it) whose words are not in
    the clean text, up to ``limit`` characters: captions, credits, bylines, handles."""
    raw = repair_mojibake(raw or "")
    if not raw.strip() or raw.strip() == text.strip():
        return Margin("", [])
    body = " " + _NON_WORD.sub(" ", text).strip().lower() + " "
    spans, size = [], 0
    for m in re.finditer(r"[^\r\n]+", raw):
        words = _NON_WORD.sub(" ", m.group()).strip().lower()
        if not words or f" {words} " in body:
            continue
        end = min(m.end(), m.start() + limit - size)
        spans.append((m.start(), end))
        size += end - m.start() + 1
        if size >= limit:
            break
    return Margin(raw, spans)


def _article_batches(db: Database, after: int, size: int) -> Iterator[list[tuple[int, str, str, str | None]]]:
    """(seq, id, text, raw_text) of articles past ``after``, in ingest order, ``size`` at a time."""
    while True:
        rows = db.query("SELECT seq, id, text, raw_text FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                        (after, size))
        if not rows:
            return
        yield [(r["seq"], r["id"], r["text"] or "", r["raw_text"]) for r in rows]
        after = rows[-1]["seq"]


def _write_annotations(db: Database, rows: list[tuple[str, list[RawMention], list[tuple[int, int]],
                                                      list[RawMention]]], seq: int) -> None:
    """Replace mentions, sentences and margin mentions of a batch and move the watermark, atomically."""
    with db.transaction() as conn:
        for aid, mentions, sentences, margin in rows:
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM sentences WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM margin_mentions WHERE article_id = ?", (aid,))
            conn.executemany("INSERT INTO mentions(article_id, start, end, text, label, roles) VALUES (?,?,?,?,?,?)",
                             [(aid, m.start, m.end, m.text, m.label, json.dumps(m.roles) if m.roles else None)
                              for m in mentions])
            conn.executemany("INSERT INTO margin_mentions(article_id, start, end, text, label, roles)"
                             " VALUES (?,?,?,?,?,?)",
                             [(aid, m.start, m.end, m.text, m.label, json.dumps(m.roles) if m.roles else None)
                              for m in margin])
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
    n_margin = db.scalar("SELECT count(*) FROM margin_mentions")
    signature = _hash(json.dumps([n_mentions, n_margin, sorted(events.items()), resolver.__dict__], sort_keys=True))
    if not force and db.get_state(RESOLVED) == signature:
        return False
    rows = db.query("SELECT rowid, article_id, start, end, text, label, roles FROM mentions")
    mentions = [_raw_mention(r) for r in rows]
    margin_rows = db.query("SELECT rowid, article_id, start, end, text, label, roles FROM margin_mentions")
    margin = [_raw_mention(r) for r in margin_rows]
    resolver.fit(mentions, events, margin=margin)
    with db.transaction() as conn:
        conn.execute("DELETE FROM entities")
        conn.executemany("INSERT INTO entities(id, name, type, aliases, roles, mentions) VALUES (?,?,?,?,?,?)",
                         [(e.id, e.name, e.type, json.dumps(e.aliases, ensure_ascii=False),
                           json.dumps(e.roles, ensure_ascii=False), e.mentions) for e in resolver.entities_])
        conn.executemany("UPDATE mentions SET entity_id = ? WHERE rowid = ?",
                         [(m.entity_id, r["rowid"]) for m, r in zip(mentions, rows)])
        conn.executemany("UPDATE margin_mentions SET entity_id = ? WHERE rowid = ?",
                         [(m.entity_id, r["rowid"]) for m, r in zip(margin, margin_rows)])
        db.set_state(RESOLVED, signature)
    return True


def _raw_mention(row: Any) -> RawMention:
    """A stored mention row (body or margin) as the resolver's input."""
    return RawMention(row["article_id"], row["start"], row["end"], row["text"], row["label"],
                      json.loads(row["roles"]) if row["roles"] else [])


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
            " event_id, speaker_start, speaker_end, how, confidence, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(rec.id, rec.text, rec.article_id, rec.start, rec.end, rec.speaker, rec.speaker_entity_id,
              rec.group_id, rec.event_id, q.speaker_start, q.speaker_end, q.how or None,
              q.confidence if q.speaker_entity_id else 0.0, None if q.speaker_entity_id else q.reason or None)
             for rec, q in found])
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
