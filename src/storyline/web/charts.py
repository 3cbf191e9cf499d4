"""Geometry for the inline SVG charts: the story timeline and the coverage sparklines.

Positions are computed here, in Python, so templates only draw numbers and
the same picture appears in the web app and the self-contained report. The
time axis is linear in days: two years between events look like two years.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from ..records import parse_date

WIDTH = 1000
LABEL_WIDTH = 300      # px of axis a label card occupies; cards closer than this go to another lane
MAX_LANES = 4
LANE_HEIGHT = 86
CARD_HEIGHT = 74


def _span(dates: Sequence[dt.date]) -> tuple[dt.date, dt.date]:
    """The axis range: the dates' span padded by 4% each side (at least a week), so dots never sit on the edge."""
    lo, hi = min(dates), max(dates)
    pad = max((hi - lo).days * 0.04, 7)
    return lo - dt.timedelta(days=pad), hi + dt.timedelta(days=pad)


def _ticks(lo: dt.date, hi: dt.date, left: float, width: float) -> list[dict[str, Any]]:
    """Axis ticks at year, quarter, month or week boundaries, whichever gives 3-14 ticks."""
    days = max((hi - lo).days, 1)

    def x(d: dt.date) -> float:
        return left + (d - lo).days / days * width

    for step_months, fmt in ((120, "%Y"), (60, "%Y"), (24, "%Y"), (12, "%Y"), (6, "%b %Y"), (3, "%b %Y"),
                             (1, "%b %Y")):
        ticks = []
        y, m = lo.year, 1
        while dt.date(y, m, 1) <= hi:
            d = dt.date(y, m, 1)
            if d >= lo and ((y * 12 + m - 1) % step_months == 0):
                ticks.append({"x": round(x(d), 1), "label": d.strftime(fmt)})
            m += 1
            if m == 13:
                y, m = y + 1, 1
        if len(ticks) >= 3 and len(ticks) <= 14:
            return ticks
        if len(ticks) > 14:
            break
    start = lo + dt.timedelta(days=(7 - lo.weekday()) % 7)
    step = max(1, math.ceil(days / 10 / 7)) * 7 if days > 21 else max(1, days // 7)
    out, d = [], start
    while d <= hi:
        if left + 30 <= x(d) <= left + width - 30:      # a label centred on the edge would be cut off
            out.append({"x": round(x(d), 1), "label": f"{d.day} {d:%b %Y}"})
        d += dt.timedelta(days=step)
    return out


def timeline(events: Sequence[dict[str, Any]], width: int = WIDTH) -> dict[str, Any]:
    """Place events on a real time axis, radius by coverage, label cards in non-overlapping lanes."""
    dated = sorted(((d, e) for e in events if (d := parse_date(e.get("date") or e.get("start"))) is not None),
                   key=lambda p: (p[0], p[1]["id"]))
    undated = [e for e in events if not parse_date(e.get("date") or e.get("start"))]
    if not dated:
        return {"points": [], "ticks": [], "width": width, "height": 0, "undated": undated}
    lo, hi = _span([d for d, _ in dated])
    left, right = 20.0, 20.0
    plot = width - left - right
    days = max((hi - lo).days, 1)
    max_n = max((e.get("n_articles") or 1) for _, e in dated)
    lane_end = [-1e9] * MAX_LANES
    points = []
    # label the biggest events first so, when lanes run out, small events lose their card, not big ones
    order = sorted(range(len(dated)), key=lambda i: -(dated[i][1].get("n_articles") or 1))
    lanes: dict[int, int | None] = {}
    for i in order:
        x = left + (dated[i][0] - lo).days / days * plot
        lanes[i] = _free_lane(lane_end, x, width)
    for i, (day, event) in enumerate(dated):
        n = event.get("n_articles") or 1
        x = left + (day - lo).days / days * plot
        lane = lanes[i]
        card_x = min(max(x - 12, 0), width - LABEL_WIDTH)
        points.append({
            "id": event["id"], "date": day.isoformat(), "x": round(x, 1),
            "r": round(5 + 11 * math.sqrt(n / max_n), 1), "n_articles": n,
            "title": _clip(event.get("title") or "Untitled event", 34),
            "full_title": event.get("title") or "Untitled event",
            "lines": _wrap(event.get("one_liner") or "", 44, 2),
            "lane": lane, "card_x": round(card_x, 1),
            "card_y": None if lane is None else 8 + lane * LANE_HEIGHT,
        })
    n_lanes = 1 + max([p["lane"] for p in points if p["lane"] is not None], default=0)
    axis_y = 8 + n_lanes * LANE_HEIGHT + 30
    return {"points": points, "ticks": _ticks(lo, hi, left, plot), "width": width,
            "axis_y": axis_y, "height": axis_y + 36, "undated": undated,
            "start": dated[0][0].isoformat(), "end": dated[-1][0].isoformat()}


def gap_label(prev: str | None, cur: str | None) -> str | None:
    """'2 years later' between consecutive events more than a month apart (None otherwise)."""
    a, b = parse_date(prev), parse_date(cur)
    if not (a and b):
        return None
    days = (b - a).days
    if days < 31:
        return None
    if days < 365:
        n = round(days / 30.4)
        return f"{n} month{'s' if n != 1 else ''} later"
    years = round(days / 365.25, 1)
    n_txt = f"{years:g}"
    return f"{n_txt} year{'s' if years != 1 else ''} later"


def _clip(text: str, limit: int) -> str:
    """Cut a label at a word boundary so it fits its card."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines; the last one ends with an ellipsis when cut."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line[:width])
    if words and out:
        out[-1] = _clip(out[-1] + " " + " ".join(words), width)
    return out


def _free_lane(lane_end: list[float], x: float, width: int) -> int | None:
    """The first lane whose cards leave room at ``x`` (claiming it), or None when all are full."""
    card_x = min(max(x - 12, 0), width - LABEL_WIDTH)
    for lane, (ends) in enumerate(lane_end):
        if ends <= card_x:
            lane_end[lane] = card_x + LABEL_WIDTH + 6
            return lane
    return None


def sparkline(coverage: Sequence[dict[str, Any]], width: int = 220, height: int = 40,
              bins: int = 36) -> dict[str, Any]:
    """Articles per time bin as bars across the coverage's own span (coverage-over-time chart)."""
    points = [(d, c["n"]) for c in coverage if (d := parse_date(c["date"])) is not None]
    if not points:
        return {"bars": [], "width": width, "height": height}
    lo, hi = min(d for d, _ in points), max(d for d, _ in points)
    days = (hi - lo).days + 1
    bins = min(bins, days)
    counts = [0] * bins
    for d, n in points:
        counts[min(bins - 1, (d - lo).days * bins // days)] += n
    top = max(counts)
    bar_w = width / bins
    drawn_w = min(max(bar_w - 1, 1), 10)          # a one-day story is a thin bar, not a slab
    bars = [{"x": round(i * bar_w + (bar_w - drawn_w) / 2, 1), "w": round(drawn_w, 1),
             "h": round(max(2, (height - 2) * c / top), 1), "n": c} for i, c in enumerate(counts) if c]
    for bar in bars:
        bar["y"] = round(height - bar["h"], 1)
    return {"bars": bars, "width": width, "height": height, "start": lo.isoformat(), "end": hi.isoformat(),
            "total": sum(counts)}
