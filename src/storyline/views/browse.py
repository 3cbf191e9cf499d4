"""Index pages for browsing: every event, filtered by date range, outlet and entity, with true totals and paging."""
from __future__ import annotations

import json
import re
from typing import Any

from ..errors import NotFoundError
from ..store import Database
from ..records import parse_date
from .pages import PAGE_SIZE, _dicts, _with_one_liners


def browse_events(db: Database, date_from: str | None = None, date_to: str | None = None,
                  outlet: str | None = None, entity: str | None = None, page: int = 1) -> dict[str, Any]:
    """Events in time order (latest first) matching the filters: one page of them and the total count."""
    where, params = _event_filters(date_from, date_to, outlet, entity)
    total = db.scalar(f"SELECT count(*) FROM events e {where}", params) or 0
    page = max(1, page)
    rows = _dicts(db, "SELECT e.id, e.title, e.date, e.place, e.n_articles, e.n_outlets, e.story_id FROM events e"
                      f" {where} ORDER BY coalesce(e.date, '') DESC, e.id LIMIT ? OFFSET ?",
                  (*params, PAGE_SIZE, (page - 1) * PAGE_SIZE))
    outlets = [r[0] for r in db.query("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]
    return {"events": _with_one_liners(db, rows), "total": total, "page": page, "page_size": PAGE_SIZE,
            "pages": max(1, -(-total // PAGE_SIZE)), "outlets": outlets,
            "filters": {"from": date_from or "", "to": date_to or "", "outlet": outlet or "", "entity": entity or ""}}


def _event_filters(date_from: str | None, date_to: str | None, outlet: str | None,
                   entity: str | None) -> tuple[str, tuple[Any, ...]]:
    """SQL WHERE for the event filters; unparseable dates are ignored rather than failing the page."""
    clauses: list[str] = []
    params: list[Any] = []
    start, end = parse_date(date_from), parse_date(date_to)
    if start:
        clauses.append("coalesce(e.end, e.date) >= ?")
        params.append(start.isoformat())
    if end:
        clauses.append("coalesce(e.start, e.date) <= ?")
        params.append(end.isoformat())
    if outlet:
        clauses.append("EXISTS (SELECT 1 FROM articles a WHERE a.event_id = e.id AND a.outlet = ?)")
        params.append(outlet)
    if entity:
        clauses.append("EXISTS (SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id"
                       " WHERE a.event_id = e.id AND m.entity_id = ?)")
        params.append(entity)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _paging(total: int, page: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Page number (clamped to >= 1), page size, page count and the SQL offset of one page of ``total`` rows."""
    page = max(1, page)
    return {"total": total, "page": page, "page_size": size, "pages": max(1, -(-total // size)),
            "offset": (page - 1) * size}


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally (ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def words(q: str | None) -> list[str]:
    """The words of a query, for LIKE matching of events, entities and quotes (every word must match)."""
    return _WORD.findall(q or "")[:8]


_WORD = re.compile(r"\w+", re.UNICODE)


def browse_entities(db: Database, type: str | None = None, name: str | None = None,  # noqa: A002
                    page: int = 1) -> dict[str, Any]:
    """Entities by mentions (most first), filtered by type and by a name or alias containing ``name``."""
    clauses, params = [], []
    if type:
        clauses.append("e.type = ?")
        params.append(type.upper())
    for word in words(name):
        clauses.append("(e.name LIKE ? ESCAPE '\\' OR e.aliases LIKE ? ESCAPE '\\')")
        params += [_like(word), _like(word)]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    paging = _paging(db.scalar(f"SELECT count(*) FROM entities e {where}", params) or 0, page)
    rows = _dicts(db, "SELECT e.id, e.name, e.type, e.mentions, e.aliases,"
                      " (SELECT count(DISTINCT article_id) FROM mentions m WHERE m.entity_id = e.id) AS articles"
                      f" FROM entities e {where} ORDER BY e.mentions DESC, e.name, e.id LIMIT ? OFFSET ?",
                  (*params, PAGE_SIZE, paging.pop("offset")))
    for row in rows:
        row["aliases"] = [a for a in json.loads(row["aliases"] or "[]") if a != row["name"]][:5]
    types = [{"type": r[0], "n": r[1]} for r in db.query(
        "SELECT type, count(*) FROM entities WHERE type IS NOT NULL GROUP BY type ORDER BY count(*) DESC")]
    return {"entities": rows, "types": types, **paging, "filters": {"type": (type or "").upper(), "name": name or ""}}


def _quote_filters(speaker: str | None, q: str | None) -> tuple[str, list[Any]]:
    """WHERE for quotes: the speaker (entity id, or words of the name or alias) and words of the text."""
    clauses, params = [], []
    if speaker:
        clauses.append("(q.speaker_entity_id = ? OR (" + " AND ".join(
            ["(q.speaker LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\' OR s.aliases LIKE ? ESCAPE '\\')"]
            * max(1, len(words(speaker)))) + "))")
        params.append(speaker)
        for word in words(speaker) or [speaker]:
            params += [_like(word)] * 3
    for word in words(q):
        clauses.append("q.text LIKE ? ESCAPE '\\'")
        params.append(_like(word))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def browse_quotes(db: Database, speaker: str | None = None, q: str | None = None, page: int = 1) -> dict[str, Any]:
    """Quotes by speaker (most quoted speakers first, then time order), filtered by speaker and words of the text."""
    where, params = _quote_filters(speaker, q)
    base = "FROM quotes q LEFT JOIN entities s ON s.id = q.speaker_entity_id JOIN articles a ON a.id = q.article_id"
    paging = _paging(db.scalar(f"SELECT count(*) {base} {where}", params) or 0, page)
    rows = _dicts(db, f"""
        SELECT q.id, q.text, coalesce(s.name, q.speaker) AS speaker, q.speaker_entity_id AS entity_id,
               q.article_id, a.title AS article_title, a.outlet, a.date, q.event_id,
               count(*) OVER (PARTITION BY coalesce(q.speaker_entity_id, q.speaker)) AS speaker_quotes
        {base} {where}
        ORDER BY speaker_quotes DESC, coalesce(s.name, q.speaker), coalesce(a.date, '9999'), a.seq, q.start
        LIMIT ? OFFSET ?""", (*params, PAGE_SIZE, paging.pop("offset")))
    speakers = [{"speaker": r[0], "entity_id": r[1], "n": r[2]} for r in db.query(
        "SELECT coalesce(s.name, q.speaker), q.speaker_entity_id, count(*) FROM quotes q"
        " LEFT JOIN entities s ON s.id = q.speaker_entity_id WHERE coalesce(s.name, q.speaker) IS NOT NULL"
        " GROUP BY coalesce(q.speaker_entity_id, q.speaker) ORDER BY count(*) DESC LIMIT 30")]
    return {"quotes": rows, "speakers": speakers, **paging, "filters": {"speaker": speaker or "", "q": q or ""}}


# Coverage of each event by outlet (copies count: an outlet that ran a wire story covered the event).
_EVENT_OUTLETS = """
    WITH eo AS (SELECT DISTINCT event_id, outlet FROM articles WHERE event_id IS NOT NULL AND outlet IS NOT NULL),
         ec AS (SELECT event_id, count(*) AS n FROM eo GROUP BY event_id)"""


def browse_outlets(db: Database, page: int = 1) -> dict[str, Any]:
    """Outlets by events covered, each with its blindspots: events >= 2 other outlets covered that it missed."""
    shared = db.scalar(f"{_EVENT_OUTLETS} SELECT count(*) FROM ec WHERE n >= 2") or 0
    paging = _paging(db.scalar("SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL") or 0, page)
    rows = _dicts(db, f"""{_EVENT_OUTLETS}
        SELECT a.outlet, count(*) AS articles,
               (SELECT count(*) FROM eo WHERE eo.outlet = a.outlet) AS events,
               ? - (SELECT count(*) FROM eo JOIN ec USING (event_id)
                    WHERE eo.outlet = a.outlet AND ec.n >= 2) AS blindspots
        FROM articles a WHERE a.outlet IS NOT NULL GROUP BY a.outlet
        ORDER BY events DESC, a.outlet LIMIT ? OFFSET ?""", (shared, PAGE_SIZE, paging.pop("offset")))
    return {"outlets": rows, "shared_events": shared, **paging}


def outlet_blindspots(db: Database, outlet: str, page: int = 1) -> dict[str, Any]:
    """One outlet: its counts and the events >= 2 other outlets covered that it did not, most covered first."""
    if not db.one("SELECT 1 FROM articles WHERE outlet = ? LIMIT 1", (outlet,)):
        raise NotFoundError(f"no outlet named {outlet!r}; /outlets lists them")
    missed = "FROM events e JOIN ec ON ec.event_id = e.id WHERE ec.n >= 2 AND e.id NOT IN " \
             "(SELECT event_id FROM eo WHERE outlet = ?)"
    paging = _paging(db.scalar(f"{_EVENT_OUTLETS} SELECT count(*) {missed}", (outlet,)) or 0, page)
    rows = _dicts(db, f"""{_EVENT_OUTLETS}
        SELECT e.id, e.title, e.date, e.place, e.n_articles, ec.n AS n_outlets, e.story_id {missed}
        ORDER BY ec.n DESC, coalesce(e.date, '') DESC, e.id LIMIT ? OFFSET ?""",
                  (outlet, PAGE_SIZE, paging.pop("offset")))
    articles = db.scalar("SELECT count(*) FROM articles WHERE outlet = ?", (outlet,)) or 0
    events = db.scalar("SELECT count(DISTINCT event_id) FROM articles WHERE outlet = ? AND event_id IS NOT NULL",
                       (outlet,)) or 0
    return {"outlet": outlet, "articles": articles, "events_covered": events,
            "blindspots": _with_one_liners(db, rows), **paging}


SEARCH_KINDS = ("articles", "events", "entities", "quotes")
GROUP_PREVIEW = 10      # results of each kind shown on the grouped search page; ?kind= pages through all


def search_events(db: Database, q: str | None, page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Events whose title, place or summary has every word of ``q``: most covered first, with the true total."""
    clauses, params = [], []
    for word in words(q):
        clauses.append("(e.title LIKE ? ESCAPE '\\' OR e.place LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM"
                       " summaries s WHERE s.event_id = e.id AND s.text LIKE ? ESCAPE '\\'))")
        params += [_like(word)] * 3
    if not clauses:
        return {"hits": [], **_paging(0, page, size)}
    where = "WHERE " + " AND ".join(clauses)
    paging = _paging(db.scalar(f"SELECT count(*) FROM events e {where}", params) or 0, page, size)
    title_hits = " + ".join(["(e.title LIKE ? ESCAPE '\\')"] * len(words(q)))
    rows = _dicts(db, "SELECT e.id, e.title, e.date, e.place, e.n_articles, e.n_outlets, e.story_id FROM events e"
                      f" {where} ORDER BY ({title_hits}) DESC, e.n_articles DESC, e.id LIMIT ? OFFSET ?",
                  (*params, *[_like(w) for w in words(q)], size, paging.pop("offset")))
    return {"hits": _with_one_liners(db, rows), **paging}


def search_entities(db: Database, q: str | None, page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Entities whose name or an alias has every word of ``q``, most mentioned first."""
    if not words(q):
        return {"hits": [], **_paging(0, page, size)}
    found = browse_entities(db, None, q, page)
    if size != PAGE_SIZE:
        found["entities"] = found["entities"][:size]
        found.update(page_size=size, pages=max(1, -(-found["total"] // size)))
    return {"hits": found["entities"], **{k: found[k] for k in ("total", "page", "page_size", "pages")}}


def search_quotes(db: Database, q: str | None, page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Quotes whose text or speaker (name or alias) has every word of ``q``: the speaker's own quotes first."""
    ws = words(q)
    if not ws:
        return {"hits": [], **_paging(0, page, size)}
    match = "(q.text LIKE ? ESCAPE '\\' OR q.speaker LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\'" \
            " OR s.aliases LIKE ? ESCAPE '\\')"
    where = "WHERE " + " AND ".join([match] * len(ws))
    params = [p for w in ws for p in [_like(w)] * 4]
    by_speaker = " AND ".join(["(coalesce(s.name, q.speaker) LIKE ? ESCAPE '\\' OR s.aliases LIKE ? ESCAPE '\\')"]
                              * len(ws))
    base = "FROM quotes q LEFT JOIN entities s ON s.id = q.speaker_entity_id JOIN articles a ON a.id = q.article_id"
    paging = _paging(db.scalar(f"SELECT count(*) {base} {where}", params) or 0, page, size)
    rows = _dicts(db, f"""
        SELECT q.id, q.text, coalesce(s.name, q.speaker) AS speaker, q.speaker_entity_id AS entity_id,
               q.article_id, a.title AS article_title, a.outlet, a.date, q.event_id
        {base} {where} ORDER BY ({by_speaker}) DESC, coalesce(a.date, '9999'), a.seq, q.start LIMIT ? OFFSET ?""",
                  (*params, *[p for w in ws for p in [_like(w)] * 2], size, paging.pop("offset")))
    return {"hits": rows, **paging}


def search_everything(db: Database, q: str | None, kind: str | None = None, page: int = 1,
                      **filters: str | None) -> dict[str, Any]:
    """Search over articles, events, entities and quotes, grouped by kind, each group with its true total.

    With ``kind`` one group is paged 50 at a time; without, each shows its best
    :data:`GROUP_PREVIEW` (articles a full page) and links to the rest.
    """
    from .pages import search

    kind = kind if kind in SEARCH_KINDS else None
    size = PAGE_SIZE if kind else GROUP_PREVIEW
    articles = search(db, q, filters.get("entity"), filters.get("outlet"), filters.get("date_from"),
                      filters.get("date_to"), page=page if kind in (None, "articles") else 1)
    groups: dict[str, dict[str, Any]] = {}
    others = {"events": search_events, "entities": search_entities, "quotes": search_quotes}
    for name, find in others.items():
        if kind in (None, name) and not any(filters.values()):
            groups[name] = find(db, q, page if kind == name else 1, size)
        else:
            groups[name] = {"hits": [], "total": None if kind not in (None, name) else 0}
    return {**articles, "kind": kind or "", "groups": groups}
