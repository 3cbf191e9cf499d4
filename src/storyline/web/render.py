"""The Jinja2 environment shared by the web app and the report: autoescape always on."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from .charts import gap_label
from ..records import parse_date

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATES = Path(__file__).parent.parent / "report" / "templates"


def nice_date(value: Any) -> str:
    """``2021-04-07`` as ``7 Apr 2021``; unknown dates read as an em dash."""
    day = parse_date(value) if not isinstance(value, dt.date) else value
    return f"{day.day} {day:%b %Y}" if day else "—"


def date_span(start: Any, end: Any) -> str:
    """A human date range, collapsing equal ends."""
    a, b = nice_date(start), nice_date(end)
    return a if a == b or b == "—" else f"{a} – {b}"


def plural(n: Any, word: str, many: str | None = None) -> str:
    n = n or 0
    return f"{n} {word if n == 1 else (many or word + 's')}"


PAGES = {"story": "/stories/", "event": "/events/", "entity": "/entities/", "article": "/articles/",
         "outlet": "/outlets/"}


def app_url(kind: str, ident: Any) -> str:
    """The app's URL of a story, event, entity or article (ids percent-encoded, so none escapes its route)."""
    return PAGES[kind] + quote(str(ident), safe="")


def report_url(kind: str, ident: Any) -> str:
    """The in-page anchor of an item in the self-contained report ('' for entities, which have no section)."""
    return "" if kind in ("entity", "outlet") else f"#{kind}-" + quote(str(ident), safe="")


def anchor_id(kind: str, ident: Any) -> str:
    return f"{kind}-" + quote(str(ident), safe="")


def make_environment(report: bool = False) -> Environment:
    """Templates from the web package (and the report's), every value HTML-escaped unless a template says not."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), FileSystemLoader(str(REPORT_TEMPLATES))]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(nice_date=nice_date, date_span=date_span, plural=plural)
    env.globals.update(url=report_url if report else app_url, anchor_id=anchor_id, report=report,
                       gap_label=gap_label)
    return env
