"""Read paths over events for the API and CLI: event list, timelines."""
from __future__ import annotations

import json
from typing import Any

from ..errors import NotFoundError
from ..store import Database
from ..store.articles import rows

EVENT_COLUMNS = "id, title, date, start, end, place, keywords, n_articles, n_outlets, story_id"


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    if isinstance(row.get("keywords"), str):
        row["keywords"] = json.loads(row["keywords"])
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


def timeline_line(event: dict[str, Any]) -> str:
    """One dated line: date, range when it spans days, place, title, coverage."""
    span = ""
    if event.get("start") and event.get("end") and event["start"] != event["end"]:
        span = f" ({event['start']}…{event['end']})"
    place = f" [{event['place']}]" if event.get("place") else ""
    n_art, n_out = event.get("n_articles") or 0, event.get("n_outlets") or 0
    return (f"{event.get('date') or 'undated':<10}{span}{place}  {event.get('title') or ''}"
            f"  — {n_art} article{'s' * (n_art != 1)}, {n_out} source{'s' * (n_out != 1)}")


def story_titles(db: Database) -> dict[str, str]:
    """Story id → title, when stories are built."""
    return {r["id"]: r["title"] or r["id"] for r in db.query("SELECT id, title FROM stories")}


def print_timelines(db: Database) -> None:
    """A timeline per story, or one of all events; plain text on stdout."""
    import click

    events = list_events(db)
    if not events:
        return
    titles = story_titles(db)
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for event in events:
        key = event["story_id"] if event["story_id"] in titles else None
        groups.setdefault(key, []).append(event)
    for key, members in groups.items():
        heading = f"Story {key}: {titles[key]}" if key else "Timeline (all events)"
        click.echo("")
        click.echo(heading)
        for event in members:
            click.echo("  " + timeline_line(event))
