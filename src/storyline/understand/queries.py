"""Reads over the understanding tables: entities, one entity by name, quotes, an event in full."""
from __future__ import annotations

import json
from typing import Any

from ..errors import NotFoundError
from ..store import Database
from .entities import is_variant, name_tokens


def _rows(db: Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(sql, params)]


def _decode(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
        elif row.get(key) is None:
            row[key] = []
    return row


def list_entities(db: Database, limit: int | None = None, type: str | None = None) -> list[dict[str, Any]]:  # noqa: A002
    """Entities by mention count: id, name, type, aliases, roles, mentions, articles."""
    sql = ("SELECT e.id, e.name, e.type, e.aliases, e.roles, e.mentions,"
           " (SELECT count(DISTINCT article_id) FROM mentions m WHERE m.entity_id = e.id) AS articles"
           " FROM entities e" + (" WHERE e.type = ?" if type else "") + " ORDER BY e.mentions DESC, e.name")
    params: tuple[Any, ...] = (type.upper(),) if type else ()
    if limit:
        sql += " LIMIT ?"
        params += (int(limit),)
    return [_decode(r, "aliases", "roles") for r in _rows(db, sql, params)]


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
    return _rows(db, sql, params)


def event_detail(db: Database, event_id: str) -> dict[str, Any]:
    """An event (or a lone article) with cited summary, sources, facts × outlets, quotes and entities."""
    row = db.one("SELECT * FROM events WHERE id = ?", (event_id,))
    if row is not None:
        event = _decode(dict(row), "keywords")
        where, param = "a.event_id = ?", event_id
    elif db.one("SELECT 1 FROM articles WHERE id = ? AND event_id IS NULL", (event_id,)):
        event = {"id": event_id, "title": db.scalar("SELECT title FROM articles WHERE id = ?", (event_id,))}
        where, param = "a.id = ?", event_id
    else:
        raise NotFoundError(f"no event with id {event_id!r}")
    event["sources"] = _rows(db, f"SELECT a.id, a.outlet, a.date, a.title, a.url, a.duplicate_of FROM articles a"
                                 f" WHERE {where} ORDER BY coalesce(a.date, '9999'), a.seq", (param,))
    event["summary"] = _rows(db, "SELECT text, article_id, outlet FROM summaries WHERE event_id = ? ORDER BY position",
                             (event_id,))
    facts = _rows(db, "SELECT id, text, sentences, outlets, single_outlet, disagreement, agreement FROM facts"
                      " WHERE event_id = ?", (event_id,))
    for f in facts:
        _decode(f, "sentences", "outlets", "disagreement", "agreement")
        f["single_outlet"] = bool(f["single_outlet"])
    facts.sort(key=lambda f: (-len(f["outlets"]), f["id"]))
    event["facts"] = facts
    event["outlets"] = sorted({o for f in facts for o in f["outlets"]})
    event["quotes"] = _rows(db, "SELECT id, text, speaker, speaker_entity_id, article_id, group_id FROM quotes"
                                " WHERE event_id = ? ORDER BY article_id, start", (event_id,))
    event["entities"] = _rows(db, f"SELECT e.id, e.name, e.type, count(*) AS mentions FROM mentions m"
                                  f" JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id"
                                  f" WHERE {where} GROUP BY e.id ORDER BY mentions DESC, e.name", (param,))
    return event
