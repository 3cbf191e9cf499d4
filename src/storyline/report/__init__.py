"""``storyline report``: the stories, their timelines and events in one self-contained HTML file.

Everything is inline (CSS, SVG charts) and a Content-Security-Policy meta tag
forbids scripts and any fetch, so the file opens from disk with no network
and nothing in the data can run.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..store import Database
from ..summarize.timeline import story_key_dates
from ..views import pages as queries
from ..web import charts
from ..web.render import make_environment

STYLESHEET = Path(__file__).parent.parent / "web" / "static" / "style.css"
KEY_DATE_STORIES = 20      # the most covered stories get their key dates (summarised timeline) in the report


def collect(db: Database, max_stories: int | None = None) -> dict[str, Any]:
    """Every story (most covered first) with its timeline and full events, from the read model (views.pages)."""
    ids = [r[0] for r in db.query("""
        SELECT s.id FROM stories s LEFT JOIN events e ON e.story_id = s.id
        GROUP BY s.id ORDER BY sum(coalesce(e.n_articles, 0)) DESC, s.id""")]
    stories = []
    for rank, story_id in enumerate(ids[:max_stories] if max_stories else ids):
        story = queries.get_story(db, story_id)
        story["key_dates"] = story_key_dates(db, story_id) if rank < KEY_DATE_STORIES else []
        story["timeline"] = charts.timeline(story["events"])
        story["spark"] = charts.sparkline(story["coverage"])
        story["full_events"] = [queries.get_event(db, e["id"]) for e in story["events"]]
        stories.append(story)
    linked = {a["id"] for st in stories for ev in st["full_events"] for src in ev["sources"]
              for a in [src, *src["copies"]]}
    linked |= {s["article_id"] for st in stories for ev in st["full_events"] for s in ev["summary"]}
    articles = sorted((queries.get_article(db, a) for a in linked), key=lambda a: (a["date"] or "", a["id"]))
    return {"stories": stories, "articles": articles, "stats": queries.overview_counts(db)}


def render_report(db: Database, max_stories: int | None = None) -> str:
    """The report as one HTML string."""
    env = make_environment(report=True)
    data = collect(db, max_stories)
    return env.get_template("report.html").render(
        css=STYLESHEET.read_text(encoding="utf-8"), generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        request_path="", **data)


def write_report(db: Database, path: str | os.PathLike[str], max_stories: int | None = None) -> int:
    """Write the report to ``path``; return its size in bytes."""
    html = render_report(db, max_stories)
    Path(path).write_text(html, encoding="utf-8")
    return Path(path).stat().st_size
