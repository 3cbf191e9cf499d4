"""When it happened: dates the text talks about, resolved against the publication date.

News tells time relative to the day it is published: "today (Wednesday)",
"arrived on Tuesday", "last night". :func:`text_dates` finds explicit dates
("May 4, 2023", "07 Apr 2021", "2021-04-07") and relative ones (weekdays,
today/yesterday/tomorrow) and resolves them. :func:`happened_date` picks
the article's date of the happening from its lead; :func:`event_dates`
aggregates articles into an event's date (the mode) and range.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from collections.abc import Iterable

MONTHS = {name: i + 1 for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({name[:3]: num for name, num in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(rf"\b{_MON}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+{_MON}(?:\s*,\s*|\s+){_YEAR}\b", re.I),
    re.compile(rf"\b(?:on\s+)?{_MON}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)", re.I),
    re.compile(rf"\b(?:on\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)", re.I),
]
RELATIVE = re.compile(
    r"\b(?P<mod>last|next|this|coming)?\s*(?P<word>today|tonight|yesterday|tomorrow|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
FUTURE_CUE = re.compile(r"\b(will|would|to be|is to|are to|scheduled|set to|expected|due|plans?|planned)\b[^.]{0,40}$",
                        re.I)


@dataclass(frozen=True)
class TextDate:
    """A date found in the text: the day it resolves to, where it was, and how it was written."""

    date: dt.date
    start: int
    kind: str          # explicit | partial | relative


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def explicit_dates(text: str, published: dt.date | None = None) -> list[TextDate]:
    """Calendar dates in the text; a date without a year takes the publication year (or the year before)."""
    found: list[TextDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            month = int(groups["mnum"]) if groups.get("mnum") else MONTHS.get(groups["mon"].lower().rstrip("."))
            if not month:
                continue
            if groups.get("year"):
                date = _safe_date(int(groups["year"]), month, int(groups["day"]))
                kind = "explicit"
            else:
                if published is None or groups["mon"].lower() == "may" and not m.group(0)[0].isupper():
                    continue
                date = _safe_date(published.year, month, int(groups["day"]))
                if date and date > published + dt.timedelta(days=60):
                    date = _safe_date(published.year - 1, month, int(groups["day"]))
                kind = "partial"
            if date:
                found.append(TextDate(date, m.start(), kind))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def relative_dates(text: str, published: dt.date) -> list[TextDate]:
    """Today/yesterday/tomorrow and weekday names, resolved against the publication date.

    A bare weekday means the latest such day on or before publication
    ("arrived on Tuesday"), unless the sentence speaks of the future ("will
    meet on Friday") or says "next"; "today (Wednesday)" counts once.
    """
    found: list[TextDate] = []
    for m in RELATIVE.finditer(text):
        word, mod = m.group("word").lower(), (m.group("mod") or "").lower()
        if word in ("today", "tonight"):
            date = published
        elif word == "yesterday":
            date = published - dt.timedelta(days=1)
        elif word == "tomorrow":
            date = published + dt.timedelta(days=1)
        else:
            back = (published.weekday() - WEEKDAYS[word]) % 7
            ahead = (WEEKDAYS[word] - published.weekday()) % 7
            before = text[max(0, m.start() - 60): m.start()]
            if mod in ("next", "coming") or (back and FUTURE_CUE.search(before)):
                date = published + dt.timedelta(days=ahead or 7)
            elif mod == "last" and back == 0:
                date = published - dt.timedelta(days=7)
            else:
                date = published - dt.timedelta(days=back)
            if text[max(0, m.start() - 8): m.start()].rstrip().endswith("(") and found and \
                    found[-1].start >= m.start() - 12:
                continue  # "today (Wednesday)": the weekday restates the day already found
        found.append(TextDate(date, m.start(), "relative"))
    return found


def text_dates(text: str, published: dt.date | None) -> list[TextDate]:
    """Every date the text talks about, in text order."""
    dates = explicit_dates(text, published)
    if published is not None:
        dates += relative_dates(text, published)
    return sorted(dates, key=lambda d: d.start)


def reference_date(text: str, lead_chars: int = 600) -> dt.date | None:
    """A stand-in publication date for an undated article: the first full date in its lead (dateline, byline)."""
    for found in explicit_dates(text[:lead_chars]):
        if found.kind == "explicit":
            return found.date
    return None


def happened_date(text: str, published: dt.date | None, lead_chars: int = 800,
                  max_days: int = 14) -> dt.date | None:
    """The day the article's happening took place: the most cited nearby date of its lead, else publication.

    Only dates within ``max_days`` of publication count: leads also cite
    background ("first visit since 2012"), which is not the happening.
    """
    anchor = published or reference_date(text)
    if anchor is None:
        return None
    near = [d.date for d in text_dates(text[:lead_chars], anchor)
            if abs((d.date - anchor).days) <= max_days]
    if not near:
        return anchor
    counts = Counter(near)
    return max(counts, key=lambda d: (counts[d], -near.index(d)))


def event_dates(dates: Iterable[dt.date | None],
                max_spread: int = 7) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(date, start, end) of an event from its articles' happened-dates: the mode and the range around it.

    Ties in the mode go to the later day (coverage peaks after the start of
    a happening); the range keeps dates within ``max_spread`` days of the mode.
    """
    known = [d for d in dates if d is not None]
    if not known:
        return None, None, None
    counts = Counter(known)
    mode = max(counts, key=lambda d: (counts[d], d))
    close = [d for d in known if abs((d - mode).days) <= max_spread]
    return mode, min(close), max(close)


LEAD_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def lead_weekday(text: str, title: str | None = None, chars: int = 400) -> int | None:
    """The weekday (0 = Monday) the title or lead first says something happened on, or None.

    An undated article cannot be placed on the calendar, but "regulators
    closed it on Sunday" still tells which day of the week it happened:
    an event whose dates hold no such day is a different happening. A
    weekday spoken of as the future ("will meet on Friday", "next Monday")
    is skipped, as :func:`relative_dates` does.

    >>> lead_weekday("Regulators shut Signature Bank on Sunday.", None)
    6
    >>> lead_weekday("Leaders will meet on Friday in Bali.") is None
    True
    """
    lead = (title or "") + "\n" + text[:chars]
    for match in LEAD_WEEKDAY.finditer(lead):
        before = lead[max(0, match.start() - 60): match.start()]
        if re.search(r"\b(?:next|coming)\s*$", before, re.I) or FUTURE_CUE.search(before):
            continue
        return WEEKDAYS[match.group(1).lower()]
    return None
