"""Index pages for browsing: every event, filtered by date range, outlet and entity, with true totals and paging."""
from __future__ import annotations

from typing import Any

from ..store import Database
from .pages import PAGE_SIZE, _dicts, _with_one_liners, parse_date


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
