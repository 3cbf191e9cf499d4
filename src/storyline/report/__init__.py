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

from jinja2 import Environment
from markupsafe import Markup

from ..store import Database
from ..summarize.timeline import story_key_dates
from ..views import pages as queries
from ..web import charts
from ..web.render import make_environment

STYLESHEET = Path(__file__).parent.parent / "web" / "static" / "style.css"
KEY_DATE_STORIES = 20      # the most covered stories get their key dates (summarised timeline) in the report


# Size budget (issue 13: <= 500 KB for ~200 articles, <= 5 MB for 5,000): the largest stories get full detail
# until their HTML reaches DETAIL_BUDGET bytes; the rest are listed by title. Cited articles show their lead only.
DETAIL_BUDGET = 300_000
LEAD_PARAGRAPHS = 2
REPORT_FACTS = 12          # fact rows per event in the report (the app shows them all); cells carry no sentence text


def story_order(db: Database) -> list[dict[str, Any]]:
    """Every story, most covered first, with its span and counts (enough to list it by title)."""
    return [dict(r) for r in db.query("""
        SELECT s.id, s.title, s.start, s.end, count(e.id) AS n_events, sum(coalesce(e.n_articles, 0)) AS n_articles
        FROM stories s LEFT JOIN events e ON e.story_id = s.id
        GROUP BY s.id ORDER BY n_articles DESC, s.id""")]


def full_story(db: Database, story_id: str, rank: int) -> dict[str, Any]:
    """One story with its timeline, key dates (for the most covered) and every event in full."""
    story = queries.get_story(db, story_id)
    story["key_dates"] = story_key_dates(db, story_id) if rank < KEY_DATE_STORIES else []
    story["timeline"] = charts.timeline(story["events"])
    story["spark"] = charts.sparkline(story["coverage"])
    story["full_events"] = [lighter_facts(queries.get_event(db, e["id"])) for e in story["events"]]
    return story


def lighter_facts(event: dict[str, Any]) -> dict[str, Any]:
    """The event's first :data:`REPORT_FACTS` facts two or more outlets report, each cell a bare tick (the
    matrices were most of the bytes); single-outlet facts are only counted, as the app folds them anyway."""
    shared, single = queries.split_facts(event["facts"])
    event["facts_more"] = max(0, len(shared) - REPORT_FACTS)
    event["facts_single_more"] = len(single)
    event["facts"] = shared[:REPORT_FACTS]
    for fact in event["facts"]:
        fact["cells"] = {key: "" for key in fact["cells"]}
    return event


def collect(db: Database, max_stories: int | None = None, env: Environment | None = None,
            budget: int = DETAIL_BUDGET) -> dict[str, Any]:
    """The largest stories in full (rendered, until ``budget`` bytes), the rest by title, and the cited articles."""
    env = env or make_environment(report=True)
    section = env.get_template("_report_story.html")
    order = story_order(db)[:max_stories] if max_stories else story_order(db)
    stories: list[dict[str, Any]] = []
    sections: list[Markup] = []
    listed: list[dict[str, Any]] = []
    used = 0
    for rank, row in enumerate(order):
        if used >= budget and stories:
            listed.append(row)
            continue
        story = full_story(db, row["id"], rank)
        html = Markup(section.render(s=story))
        used += len(html.encode("utf-8"))
        stories.append(story)
        sections.append(html)
    linked = {a["id"] for st in stories for ev in st["full_events"] for src in ev["sources"]
              for a in [src, *src["copies"]]}
    linked |= {s["article_id"] for st in stories for ev in st["full_events"] for s in ev["summary"]}
    linked |= {s["article_id"] for st in stories for day in st["key_dates"] for s in day["sentences"]}
    articles = sorted((queries.get_article(db, a) for a in linked), key=lambda a: (a["date"] or "", a["id"]))
    for article in articles:
        del article["segments"], article["text"]
        article["paragraphs"] = article["paragraphs"][:LEAD_PARAGRAPHS + 1]
    return {"stories": stories, "story_sections": sections, "listed": listed, "articles": articles,
            "stats": queries.overview_counts(db)}


def render_report(db: Database, max_stories: int | None = None, budget: int = DETAIL_BUDGET) -> str:
    """The report as one HTML string."""
    env = make_environment(report=True)
    env.globals["LEAD_PARAGRAPHS"] = LEAD_PARAGRAPHS
    data = collect(db, max_stories, env, budget)
    return env.get_template("report.html").render(
        css=STYLESHEET.read_text(encoding="utf-8"),
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), request_path="", **data)


def write_report(db: Database, path: str | os.PathLike[str], max_stories: int | None = None) -> int:
    """Write the report to ``path``; return its size in bytes."""
    html = render_report(db, max_stories)
    Path(path).write_text(html, encoding="utf-8")
    return Path(path).stat().st_size
