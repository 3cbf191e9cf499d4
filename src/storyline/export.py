"""Export tables as JSONL or CSV, streaming row by row.

Each kind has one row function; JSON-list columns come out as lists in JSONL
and as JSON text in CSV.
"""
from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TextIO

from .errors import InputError
from .store import Database

JSON_COLUMNS = {"keywords", "entities", "aliases", "roles", "sentences", "outlets", "disagreement",
                "article_ids", "event_ids", "summary", "agreement", "sources", "quotes", "facts"}


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in JSON_COLUMNS & row.keys():
        if isinstance(row[key], str):
            try:
                row[key] = json.loads(row[key])
            except json.JSONDecodeError:
                pass
    return row


def article_rows(db: Database) -> Iterator[dict[str, Any]]:
    sql = ("SELECT id, url, title, date, outlet, language, duplicate_of, event_id, story_id"
           " FROM articles ORDER BY coalesce(date, '9999'), seq")
    for row in db.conn.execute(sql):
        yield dict(row)


def event_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Each event as the event page shows it (:func:`storyline.views.pages.get_event`), flattened to one row."""
    from .views.pages import get_event

    for (event_id,) in db.conn.execute("SELECT id FROM events ORDER BY coalesce(date,'9999'), id").fetchall():
        event = get_event(db, event_id)
        sources = [a for src in event["sources"] for a in [src, *src["copies"]]]
        yield {key: event[key] for key in EVENT_FIELDS} | {
            "story_title": (event["story"] or {}).get("title"),
            "article_ids": [a["id"] for a in sources],
            "sources": [{"n": a["n"], "id": a["id"], "outlet": a["outlet"], "date": a["date"],
                         "copy_of": a["duplicate_of"]} for a in sources],
            "summary": [{"text": x["text"], "article_id": x["article_id"], "outlet": x["outlet"], "n": x["n"]}
                        for x in event["summary"]],
            "entities": [e["name"] for e in event["entities"][:10]],
            "quotes": [{"speaker": sp["speaker"], "speaker_entity_id": sp["entity_id"], "text": q["text"],
                        "article_ids": [a["id"] for a in q["articles"]]}
                       for sp in event["quotes"] for q in sp["quotes"]],
            "facts": [{k: f[k] for k in ("id", "text", "outlets", "single_outlet", "disagreement")}
                      for f in event["facts"]],
        }


EVENT_FIELDS = ("id", "title", "date", "start", "end", "place", "keywords", "n_articles", "n_outlets", "story_id")


def story_rows(db: Database) -> Iterator[dict[str, Any]]:
    events: dict[str, list[str]] = {}
    for r in db.conn.execute("SELECT id, story_id FROM events WHERE story_id IS NOT NULL ORDER BY coalesce(date,'9999'), id"):
        events.setdefault(r["story_id"], []).append(r["id"])
    for row in db.conn.execute("SELECT * FROM stories ORDER BY coalesce(start,'9999'), id"):
        out = _decode(dict(row))
        out["event_ids"] = events.get(out["id"], [])
        yield out


def entity_rows(db: Database) -> Iterator[dict[str, Any]]:
    for row in db.conn.execute("SELECT id, name, type, aliases, roles, mentions FROM entities ORDER BY mentions DESC, name"):
        yield _decode(dict(row))


def quote_rows(db: Database) -> Iterator[dict[str, Any]]:
    for row in db.conn.execute("SELECT id, text, speaker, speaker_entity_id, article_id, event_id, group_id, start, end"
                               " FROM quotes ORDER BY article_id, start"):
        yield dict(row)


def fact_rows(db: Database) -> Iterator[dict[str, Any]]:
    for row in db.conn.execute("SELECT * FROM facts ORDER BY event_id, id"):
        out = _decode(dict(row))
        out["single_outlet"] = bool(out["single_outlet"])
        yield out


ROWS: dict[str, Callable[[Database], Iterator[dict[str, Any]]]] = {
    "articles": article_rows, "events": event_rows, "stories": story_rows,
    "entities": entity_rows, "quotes": quote_rows, "facts": fact_rows,
}


@contextmanager
def _open_output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    with handle:
        yield handle


def export_rows(sl: Any, kind: str, fmt: str, output: str) -> int:
    """Write every row of ``kind`` to ``output`` as ``fmt``; return the row count."""
    if kind not in ROWS:
        raise InputError(f"cannot export {kind!r}; choose one of {', '.join(ROWS)}")
    rows = ROWS[kind](sl.db)
    n = 0
    with _open_output(output) as out:
        writer = None
        for row in rows:
            if fmt == "jsonl":
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row.keys()), extrasaction="ignore")
                    writer.writeheader()
                writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                                 for k, v in row.items()})
            n += 1
    return n
