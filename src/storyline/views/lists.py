"""Lists behind the CLI, the Python API and export: events, timelines, stories, entities, quotes."""
from __future__ import annotations

import json
from typing import Any

from ..errors import NotFoundError
from ..store import Database
from ..store.articles import rows
from ..understand.entities import is_variant, name_tokens

EVENT_COLUMNS = "id, title, date, start, end, place, keywords, n_articles, n_outlets, story_id"


def _decode(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    """JSON columns (``keywords`` by default) decoded in place; NULL becomes an empty list."""
    for key in keys or ("keywords",):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
        elif key in row and row[key] is None:
            row[key] = []
    return row


def list_events(db: Database, limit: int | None = None) -> list[dict[str, Any]]:
    """Events in time order (undated last) with their article ids."""
    sql = f"SELECT {EVENT_COLUMNS} FROM events ORDER BY coalesce(date, '9999'), first_seq, id"
    out = [_decode(r) for r in rows(db, sql + (f" LIMIT {int(limit)}" if limit else ""))]
    members: dict[str, list[str]] = {}
    for r in db.query("SELECT id, event_id FROM articles WHERE event_id IS NOT NULL"
                      " ORDER BY coalesce(date, '9999'), seq"):
        members.setdefault(r["event_id"], []).append(r["id"])
    for event in out:
        event["article_ids"] = members.get(event["id"], [])
    return out


def timeline(db: Database, story_id: str | None = None) -> list[dict[str, Any]]:
    """The events of one story (or of every story, or all events when none are built), in time order."""
    if story_id is not None:
        if not db.one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) and \
                not db.one("SELECT 1 FROM events WHERE story_id = ?", (story_id,)):
            raise NotFoundError(f"no story with id {story_id!r}; `storyline stories` lists them")
        return [e for e in list_events(db) if e["story_id"] == story_id]
    return list_events(db)


def story_titles(db: Database) -> dict[str, str]:
    """Story id → title, when stories are built."""
    return {r["id"]: r["title"] or r["id"] for r in db.query("SELECT id, title FROM stories")}


def list_stories(db: Database, limit: int | None = None) -> list[dict[str, Any]]:
    """Stories, latest activity first: title, span, key names, events in time order, coverage."""
    rows = db.query("SELECT s.id, s.title, s.start, s.end, s.entities, s.n_events, "
                    "(SELECT count(*) FROM articles a WHERE a.story_id = s.id) AS n_articles "
                    "FROM stories s ORDER BY coalesce(s.end, '') DESC, s.id LIMIT ?", (-1 if limit is None else limit,))
    out = []
    for row in rows:
        story = dict(row)
        story["entities"] = json.loads(story["entities"] or "[]")
        story["event_ids"] = [r[0] for r in db.query(
            "SELECT id FROM events WHERE story_id = ? ORDER BY coalesce(start, date, '9999'), first_seq, id", (row["id"],))]
        out.append(story)
    return out


def list_entities(db: Database, limit: int | None = None, type: str | None = None) -> list[dict[str, Any]]:  # noqa: A002
    """Entities by mention count: id, name, type, aliases, roles, mentions, articles."""
    sql = ("SELECT e.id, e.name, e.type, e.aliases, e.roles, e.mentions,"
           " (SELECT count(DISTINCT article_id) FROM mentions m WHERE m.entity_id = e.id) AS articles"
           " FROM entities e" + (" WHERE e.type = ?" if type else "") + " ORDER BY e.mentions DESC, e.name")
    params: tuple[Any, ...] = (type.upper(),) if type else ()
    if limit:
        sql += " LIMIT ?"
        params += (int(limit),)
    return [_decode(r, "aliases", "roles") for r in rows(db, sql, params)]


def find_entity(db: Database, name: str) -> dict[str, Any]:
    """An entity by id, name or alias (case and accents ignored), with its articles, events and quotes."""
    row = db.one("SELECT * FROM entities WHERE id = ?", (name,))
    if row is None:
        row = _match_name(db, name)
    if row is None:
        raise NotFoundError(f"no entity named {name!r}; try `storyline entities` for the list")
    entity = _decode(dict(row), "aliases", "roles")
    entity["articles"] = [r["article_id"] for r in db.query(
        "SELECT DISTINCT article_id FROM mentions WHERE entity_id = ? ORDER BY article_id", (entity["id"],))]
    entity["events"] = [r[0] for r in db.query(
        "SELECT DISTINCT coalesce(a.event_id, a.id) FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.entity_id = ? ORDER BY 1", (entity["id"],))]
    entity["quotes"] = list_quotes(db, entity_id=entity["id"])
    return entity


def _match_name(db: Database, name: str) -> Any:
    """The most-mentioned entity whose name or an alias has the same tokens as ``name``."""
    want = name_tokens(name)
    best = None
    for row in db.query("SELECT * FROM entities ORDER BY mentions DESC"):
        forms = [row["name"], *json.loads(row["aliases"] or "[]")]
        if any(name_tokens(f) == want for f in forms):
            return row
        if best is None and any(is_variant(name_tokens(f), want) for f in forms):
            best = row          # a spelling variant ("Shah Mehmood Qureshi")
        if best is None and any(set(want) <= set(name_tokens(f)) for f in forms):
            best = row
    return best


def list_quotes(db: Database, speaker: str | None = None, entity_id: str | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Quotes with speaker, article, event and group; filtered by a speaker's name or entity id."""
    if speaker and not entity_id:
        entity_id = find_entity(db, speaker)["id"]
    sql = ("SELECT q.id, q.text, q.speaker, q.speaker_entity_id, q.article_id, q.event_id, q.group_id,"
           " q.start, q.end, a.outlet, a.date FROM quotes q JOIN articles a ON a.id = q.article_id"
           + (" WHERE q.speaker_entity_id = ?" if entity_id else "") + " ORDER BY coalesce(a.date, '9999'), a.seq, q.start")
    params: tuple[Any, ...] = (entity_id,) if entity_id else ()
    if limit:
        sql += " LIMIT ?"
        params += (int(limit),)
    return rows(db, sql, params)
