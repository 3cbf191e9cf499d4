"""Summaries: a cited extractive summary per event (and an optional abstractive rewrite).

``run(db, settings, progress)`` summarises each event whose article set
changed since the last run; a summary and its signature are written in one
transaction, so a killed build resumes where it stopped.
"""
from __future__ import annotations

import json
from typing import Any

from ..config import Settings
from ..progress import Progress
from ..store import Database
from .extractive import EventSummarizer

__all__ = ["run", "EventSummarizer", "event_one_liner", "event_summary"]

CHUNK_EVENTS = 128      # events summarised per encoder call and per transaction


def run(db: Database, settings: Settings, progress: Progress) -> dict[str, Any]:
    """Summarise every new or changed event; returns counts."""
    from ..errors import StageOrderError
    from ..understand.annotate import WATERMARK
    from ..understand.stage import changed_events, event_articles, events_sentences, sentence_vectors, signature_of

    if int(db.get_state(WATERMARK, 0) or 0) < int(db.scalar("SELECT coalesce(max(seq), 0) FROM articles")):
        raise StageOrderError("summaries need the sentences of every article: run `storyline build` "
                              "(or `storyline build --only understand`) first")
    options = settings.section("summarize")
    abstractive = _abstractive(options)
    summarizer = EventSummarizer(**options)
    summarizer.model = settings.get("embed", "model")
    events = event_articles(db)
    extra = json.dumps(summarizer.__dict__, sort_keys=True, default=str)
    todo = changed_events(db, "summaries", events, extra)
    vectors = sentence_vectors(summarizer.model)     # what facts embedded in this process is reused
    with progress.task("summarize", total=len(todo)) as advance:
        for start in range(0, len(todo), CHUNK_EVENTS):
            chunk = todo[start:start + CHUNK_EVENTS]
            support = _fact_support(db, chunk)
            sentences = events_sentences(db, [events[eid] for eid in chunk])
            inputs = [(s, support.get(eid, {})) for eid, s in zip(chunk, sentences, strict=True)]
            summaries = summarizer.summarize_many(inputs, encode=vectors)
            # the optional endpoint is called before the write lock is taken
            abstracts = [_rewrite(abstractive, s) if abstractive is not None else None for s in summaries]
            with db.transaction() as conn:       # a chunk and its signatures commit together
                for eid, summary, abstract in zip(chunk, summaries, abstracts, strict=True):
                    outlets = {a["id"]: a["outlet"] for a in events[eid]}
                    _write_summary(conn, eid, summary, abstract, outlets)
                    conn.execute("INSERT OR REPLACE INTO event_signatures(stage, event_id, signature)"
                                 " VALUES ('summaries',?,?)", (eid, signature_of(events[eid], extra)))
            advance(len(chunk))
    return {"events": len(todo), "summaries": db.scalar("SELECT count(DISTINCT event_id) FROM summaries")}


def _write_summary(conn: Any, event_id: str, summary: list[Any], abstract: tuple[str | None, str, str | None] | None,
                   outlets: dict[str, str | None]) -> None:
    """Replace one event's summary rows (and its abstract when one was made); ``outlets``: article id → outlet."""
    conn.execute("DELETE FROM summaries WHERE event_id = ?", (event_id,))
    conn.executemany("INSERT INTO summaries(event_id, position, text, article_id, outlet) VALUES (?,?,?,?,?)",
                     [(event_id, i, s.text, s.article_id, outlets.get(s.article_id)) for i, s in enumerate(summary)])
    if abstract is not None:
        conn.execute("INSERT OR REPLACE INTO abstracts(event_id, text, model, error) VALUES (?,?,?,?)",
                     (event_id, *abstract))


def _abstractive(options: dict[str, Any]) -> Any:
    """The optional rewriter from ``abstractive_*`` keys of [summarize] (removed from ``options``)."""
    keys = {k: options.pop(k) for k in list(options) if k.startswith("abstractive_")}
    if not keys.get("abstractive_url"):
        return None
    from .abstractive import AbstractiveSummarizer

    return AbstractiveSummarizer(**{k.removeprefix("abstractive_"): v for k, v in keys.items()})


def _rewrite(abstractive: Any, summary: list[Any]) -> tuple[str | None, str, str | None]:
    """(text, model, error): an endpoint failure is recorded, never fatal to the build."""
    from ..errors import StorylineError

    if not summary:
        return None, abstractive.model, "no summary sentences"
    try:
        return abstractive.rewrite(summary), abstractive.model, None
    except StorylineError as exc:
        return None, abstractive.model, str(exc)


def _fact_support(db: Database, event_ids: list[str]) -> dict[str, dict[tuple[str, int], tuple[str, int]]]:
    """Per event: (article id, sentence start) → (fact id, number of outlets reporting that fact)."""
    out: dict[str, dict[tuple[str, int], tuple[str, int]]] = {}
    for i in range(0, len(event_ids), 500):
        part = event_ids[i:i + 500]
        sql = f"SELECT event_id, id, sentences, outlets FROM facts WHERE event_id IN ({','.join('?' * len(part))})"
        for r in db.conn.execute(sql, part):
            n = len(json.loads(r["outlets"] or "[]"))
            mine = out.setdefault(r["event_id"], {})
            for s in json.loads(r["sentences"] or "[]"):
                mine[(s["article_id"], int(s.get("start", -1)))] = (r["id"], n)
    return out


def event_summary(db: Database, event_id: str) -> list[dict[str, Any]]:
    """The stored summary of an event: ``[{text, article_id, outlet}]`` in order."""
    return [dict(r) for r in db.query("SELECT text, article_id, outlet FROM summaries WHERE event_id = ?"
                                      " ORDER BY position", (event_id,))]


def event_one_liner(db: Database, event_id: str, limit: int = 160) -> str | None:
    """One line for a timeline: the event's first summary sentence, cut at ``limit`` characters."""
    text: str | None = db.scalar("SELECT text FROM summaries WHERE event_id = ? ORDER BY position LIMIT 1",
                                 (event_id,))
    if not text:
        return None
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"
