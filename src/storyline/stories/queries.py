"""Read paths for stories: the list the CLI, API and export show."""
from __future__ import annotations

import json
from typing import Any

from ..store import Database


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
