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
                "article_ids", "event_ids", "summary", "agreement"}


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
    members: dict[str, list[str]] = {}
    for article_id, event_id in db.conn.execute(
            "SELECT id, event_id FROM articles WHERE event_id IS NOT NULL ORDER BY coalesce(date,'9999'), seq"):
        members.setdefault(event_id, []).append(article_id)
    summaries: dict[str, list[dict[str, Any]]] = {}
    for r in db.conn.execute("SELECT event_id, text, article_id, outlet FROM summaries ORDER BY event_id, position"):
        summaries.setdefault(r["event_id"], []).append({"text": r["text"], "article_id": r["article_id"],
                                                       "outlet": r["outlet"]})
    ent = _event_entities(db)
    for row in db.conn.execute("SELECT * FROM events ORDER BY coalesce(date,'9999'), id"):
        out = _decode(dict(row))
        out["article_ids"] = members.get(out["id"], [])
        out["summary"] = summaries.get(out["id"], [])
        out["entities"] = ent.get(out["id"], [])
        yield out


def _event_entities(db: Database, top: int = 10) -> dict[str, list[str]]:
    """Most-mentioned entity names per event."""
    sql = ("SELECT a.event_id AS event_id, e.name AS name, count(*) AS n FROM mentions m"
           " JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id"
           " WHERE a.event_id IS NOT NULL GROUP BY a.event_id, e.id ORDER BY a.event_id, n DESC")
    out: dict[str, list[str]] = {}
    for r in db.conn.execute(sql):
        names = out.setdefault(r["event_id"], [])
        if len(names) < top:
            names.append(r["name"])
    return out


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
