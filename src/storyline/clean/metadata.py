"""Article metadata: publication date (with where it came from), title, outlet, language.

Dates are tried in order of trust: the file header, the record's own field,
the HTML meta tags, the URL path, then the text itself. Common written
formats ("May 04, 2023", "07 Apr 2021", "2021-04-07") are matched with
regular expressions, which are fast; ``dateparser`` is only a fallback for
short field values, never run over a whole text.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from typing import Iterable
from urllib.parse import urlsplit

MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),          # 2021-04-07
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),                               # April 6, 2021
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.I),                     # 07 Apr 2021
]
# In the URL *path* only (query strings carry tracking ids and timestamps), and only as a whole
# token: a date glued inside a longer run of digits (a Unix timestamp, an article number) is not one.
URL_DATE_PATTERNS = [
    re.compile(rf"(?<![\w]){_YEAR}[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?=$|[/_.-])"),    # /2021/04/07/, -2021-04-07-
    re.compile(rf"/{_YEAR}[/-]{_MONTH}[/-](?P<day>[0-3]?\d)(?:/|-|_|$)", re.I),          # /2021/apr/07/
    re.compile(rf"(?:^|[/_-]){_YEAR}(?P<month>[01]\d)(?P<day>[0-3]\d)(?=$|[/_.-])"),      # /20210407/
]
# The seed format's first line: " date 2021-04-07" (or a partial " date 2023-09") before the page text.
# Scrapers put it at the start of any record's text (text files, JSONL, feeds), so it is read everywhere.
HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(?P<value>(?:19|20)\d\d-[01]\d(?:-[0-3]\d)?)(?![\d-])"
                    r"(?:[ \t]+|[ \t]*\r?\n|\Z)")
_PARTIAL = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})\Z")
# A byline or dateline is a short line; a date in it is the publication date far
# more often than a date inside a paragraph (which is often an event date).
BYLINE_MAX_CHARS = 100
TEXT_SCAN_CHARS = 3000
MIN_YEAR = 1900
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")


def parse_date_match(match: re.Match[str]) -> dt.date | None:
    """The calendar date a pattern matched, or None when it is not a real day."""
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower().rstrip("."))
    try:
        day = dt.date(int(match.group("year")), month or 0, int(match.group("day")))
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= dt.date.today().year + 1 else None


def dates_in(text: str) -> Iterable[tuple[int, dt.date]]:
    """Every (offset, date) written in a common format, in text order."""
    if not _YEAR_HINT.search(text):
        return []                                  # every pattern needs a year: skip the costly ones
    found = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            day = parse_date_match(match)
            if day:
                found.append((match.start(), day))
    return sorted(found)


# What precedes a publication stamp's date: "Published", "Updated 0639 GMT (1439 HKT)", "Posted: Friday,".
# Only such words may stand between the keyword and the date. (A bare clock time is no stamp:
# "at 9:30 p.m. Saturday, Feb. 9" is when the reported happening took place.)
_STAMP_LEAD = re.compile(
    r"\b(?:published|posted|updated|last\s+updated|first\s+published|last\s+modified)\b\s*(?:on|at)?\s*:?\s*"
    r"(?:\d{3,4}\s*[A-Z]{2,4}\s*(?:\(\s*\d{3,4}\s*[A-Z]{2,4}\s*\))?\s*|\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*"
    r"(?:[A-Z]{2,4}\b)?\s*,?\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?\Z", re.I)
STAMP_REACH = 60
# A dateline opens a paragraph with capitalised place or agency words before the date
# ("Beijing, 7 July 2023 (TDI):", "BEIJING (UrduPoint News / Sputnik - 16th November, 2021)").
DATELINE_MAX_OFFSET = 60
_LOWER_WORD = re.compile(r"\b[a-z][a-z]+\b")
# A date right after one of these words is inside a sentence ("gunned down on March 13, 2013"):
# it dates what is told, not the page.
_IN_SENTENCE = re.compile(r"\b(?:on|in|at|since|until|from|before|after|during|between|of|and|to|is|was|were|"
                          r"by|than|through|around)\s*\Z", re.I)
SENTENCE_MIN_WORDS = 8


def date_from_text(text: str) -> dt.date | None:
    """The publication date written near the top: a stamp, a byline-like short line, or a dateline.

    In order of trust: a date right after "Published/Posted/Updated"; the first
    date on a short (byline-like) line that is not a sentence; a date that opens
    a paragraph after capitalised place or agency words only. Dates inside
    sentences are not used: on the 1,257 india_police_events articles they were
    the publication date 0 times in 14 (the rest of the time they name the
    events reported, e.g. "December 6, 1992"), and photo captions date the happening.
    """
    head = text[:TEXT_SCAN_CHARS]
    found = list(dates_in(head))
    for offset, day in found:
        if _STAMP_LEAD.search(head[max(0, offset - STAMP_REACH):offset]):
            return day
    for line in head.splitlines():
        if len(line.strip()) <= BYLINE_MAX_CHARS and not _is_sentence(line):
            for _, day in dates_in(line):
                return day
    for offset, day in found:
        start = head.rfind("\n", 0, offset) + 1
        if offset - start <= DATELINE_MAX_OFFSET and _is_dateline_lead(head[start:offset]):
            return day
    return None


def _is_sentence(line: str) -> bool:
    """A line of running prose (many words, a final full stop), whose dates are those of what it tells."""
    stripped = line.strip()
    return stripped.endswith(".") and len(stripped.split()) >= SENTENCE_MIN_WORDS


def _is_dateline_lead(lead: str) -> bool:
    """Capitalised place or agency words only, before a paragraph's date ("BEIJING (Sputnik - ")."""
    words = lead.replace("(", " ").replace(")", " ")
    return not _LOWER_WORD.search(words) and not _IN_SENTENCE.search(lead) \
        and not re.search(r"\b(?:On|In|At|Since|From|Until|Before|After|During|As)\b", lead) \
        and not lead.strip(" ,:;-–—(").endswith((".", "!", "?"))


def date_from_url(url: str | None) -> dt.date | None:
    """A date in the URL path (``/2021/04/07/``, ``/2021/apr/07/``, ``-20210407``)."""
    if not url:
        return None
    path = urlsplit(url).path
    for pattern in URL_DATE_PATTERNS:
        match = pattern.search(path)
        if match:
            day = parse_date_match(match)
            if day:
                return day
    return None


# -- relative dates --------------------------------------------------------
# "2 days ago", "yesterday", "last week": meaningful only against the moment the record was
# written or fetched. The machine's clock is never that moment, so without the record's own
# reference date they give no date at all.
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_UNIT_DAYS = {"second": 0, "sec": 0, "s": 0, "minute": 0, "min": 0, "m": 0, "hour": 0, "hr": 0, "h": 0,
              "day": 1, "d": 1, "week": 7, "wk": 7, "w": 7, "month": 30, "mo": 30, "year": 365, "yr": 365, "y": 365}
_AGO = re.compile(r"^(?:about |around |over |almost )?(?P<n>\d{1,4}|" + "|".join(_NUMBER_WORDS) +
                  r")\s*(?P<unit>" + "|".join(sorted(_UNIT_DAYS, key=len, reverse=True)) + r")s?\.?\s+ago$", re.I)
_NAMED_OFFSETS = {"today": 0, "now": 0, "just now": 0, "yesterday": -1, "tomorrow": 1,
                  "last week": -7, "next week": 7, "last month": -30, "next month": 30,
                  "last year": -365, "next year": 365, "this week": 0, "this month": 0}
_RELATIVE_HINT = re.compile(r"\b(?:ago|yesterday|today|tomorrow|now|last|next|this|hence|earlier|later)\b", re.I)


def is_relative(value: str) -> bool:
    """True for a date written relative to an unstated moment ("2 days ago", "yesterday", "last week")."""
    return bool(_RELATIVE_HINT.search(value))


def resolve_relative(value: str, reference: dt.date | None) -> dt.date | None:
    """The day a relative expression names, counted from ``reference``; None without a reference or when unknown."""
    if reference is None:
        return None
    text = " ".join(value.lower().replace(",", " ").split())
    text = re.sub(r"^(?:posted|published|updated)\s+", "", text)
    if text in _NAMED_OFFSETS:
        return reference + dt.timedelta(days=_NAMED_OFFSETS[text])
    match = _AGO.match(text)
    if not match:
        return None
    n_text = match.group("n")
    n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS[n_text]
    try:
        return reference - dt.timedelta(days=n * _UNIT_DAYS[match.group("unit").lower()])
    except OverflowError:
        return None


# -- header --------------------------------------------------------------
def split_header(text: str) -> tuple[str | None, str]:
    """(the header's date text, ``YYYY-MM-DD`` or ``YYYY-MM``, or None; the text without the header)."""
    match = HEADER.match(text)
    if not match:
        return None, text
    return match.group("value"), text[match.end():]


def header_month(value: str | None) -> tuple[int, int] | None:
    """(year, month) of a partial header ``YYYY-MM``; None for a full or missing one."""
    match = _PARTIAL.match(value or "")
    if not match or not 1 <= int(match.group("month")) <= 12:
        return None
    return int(match.group("year")), int(match.group("month"))


# -- choosing the date ----------------------------------------------------
_URL_YEAR = re.compile(r"/((?:19|20)\d\d)(?=/)")


def url_year(url: str | None) -> int | None:
    """The year of a ``/YYYY/`` folder in the URL path (sites file articles by year), or None."""
    match = _URL_YEAR.search(urlsplit(url).path) if url else None
    return int(match.group(1)) if match else None


def parse_date_value(value: str | None, reference: dt.date | None = None) -> dt.date | None:
    """A date field's value in any common format: ISO, RFC 2822, written, else ``dateparser`` (bounded).

    A relative value ("2 days ago", "yesterday") is counted from ``reference``, the
    record's own reference date; with none it gives no date (never the machine's clock).
    """
    if not value:
        return None
    value = value.strip()[:100]
    for pattern in DATE_PATTERNS:
        match = pattern.search(value)
        if match and (day := parse_date_match(match)):
            return day
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed and MIN_YEAR <= parsed.year:
            return parsed.date()
    except (TypeError, ValueError, IndexError):
        pass
    if is_relative(value):
        return resolve_relative(value, reference)
    return _dateparser_date(value[:64])


# dateparser's relative-time and timestamp parsers read "2 days ago" and "1e20" against the
# machine's clock; only its absolute parsers run (relative values are resolved above).
_DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                        "PARSERS": ["custom-formats", "absolute-time"]}


@functools.lru_cache(maxsize=4096)
def _dateparser_date(value: str) -> dt.date | None:
    """Slow path for unusual formats and languages; cached because feeds repeat formats."""
    if not re.search(r"\d", value):
        return None
    try:
        import dateparser

        parsed = dateparser.parse(value, settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises many types on odd input  # noqa: BLE001
        return None
    if parsed is None or not MIN_YEAR <= parsed.year <= dt.date.today().year + 1:
        return None
    return parsed.date()


def choose_date(candidates: Iterable[tuple[str, str | dt.date | None]],
                reference: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """The first usable (date, source) from candidates given in order of trust."""
    for source, value in candidates:
        if value is None:
            continue
        day = value if isinstance(value, dt.date) else parse_date_value(value, reference)
        if day:
            return day, source
    return None, None


def find_date(*, header: str | None = None, field: str | None = None, meta: str | None = None,
              url: str | None = None, text: str | None = None,
              reference: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """Publication date and its source: header > field > meta > url > text.

    A partial header (``2023-09``) is no day by itself: it is completed by a URL or
    text date of the same month (source ``header+url`` / ``header+text``), and a
    URL or text date of another month is then not trusted. ``reference`` is the
    record's own reference date (a crawl time), the only base for relative values.
    """
    month = header_month(header)
    full_header = None if month else header
    day, source = choose_date([("header", full_header), ("field", field), ("meta", meta)], reference)
    if day:
        return day, source
    text_day = date_from_text(text) if text else None
    if text_day and url_year(url) not in (None, text_day.year):
        text_day = None                          # the URL's /2023/ folder outranks a stray "August 31 2024"
    found = [("url", date_from_url(url)), ("text", text_day)]
    for source, day in found:
        if day and month is None:
            return day, source
        if day and (day.year, day.month) == month:
            return day, f"header+{source}"
    if month and text:
        day = next((d for _, d in dates_in(text[:TEXT_SCAN_CHARS]) if (d.year, d.month) == month), None)
        if day:
            return day, "header+text"
    return None, None


# -- title ---------------------------------------------------------------
_DATELINE = re.compile(r"^(?:[A-Z][A-Za-z.'-]*(?:[ ,/]+[A-Z][A-Za-z.'-]*){0,3})\s*(?:\([^)]{1,40}\))?\s*[:—–-]\s+"
                       r"|^[^\W\d][\w.'-]*(?:[ /][^\W\d][\w.'-]*){0,2}\s*:\s+")   # also "lucknow: " in lower-cased text
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,40}\)")        # "(aibmac)", "(Reuters)": never headline material
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gen|Col|Lt|Gov|Jr|Sr|No|vs|Inc|Ltd|Co)|\b[A-Z](?:\.[A-Z])*)\.$")
_CLAUSE_BREAK = re.compile(r"\s*(?:,|;|:|—|–| - |\()\s*")
TITLE_MAX_WORDS = 16      # news headlines run 6-14 words; past 16 a "title" reads as a sentence
TITLE_MIN_WORDS = 6
FIRST_PARAGRAPH_CHARS = 1500   # a lead sentence is never longer; bounds the work on one-paragraph texts
_TRAILING_WEAK = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from",
                  "as", "that", "which", "who", "is", "are", "was", "were", "but", "its", "their", "his", "her",
                  "near", "after", "before", "over", "into", "about", "had", "has", "have", "will", "be", "been"}


def first_sentence(text: str) -> str:
    """The first sentence of the first paragraph, without a leading dateline (``ISLAMABAD:``)."""
    paragraph = next((p.strip() for p in text[:FIRST_PARAGRAPH_CHARS].split("\n") if p.strip()), "")
    paragraph = _DATELINE.sub("", paragraph, count=1) if _DATELINE.match(paragraph) else paragraph
    for match in _SENTENCE_END.finditer(paragraph):
        if not _ABBREVIATION.search(paragraph[:match.start()]):
            return paragraph[:match.start()].strip()
    return paragraph.strip()


def headline_from_text(text: str, max_words: int = TITLE_MAX_WORDS) -> str | None:
    """A headline for an article without one: its lead sentence, cut at a clause boundary when long."""
    sentence = _PARENTHETICAL.sub("", first_sentence(text))
    if not sentence:
        return None
    words = sentence.split()
    if len(words) <= max_words:
        return sentence.rstrip(" .")
    clause = _longest_clause_prefix(sentence, max_words)
    words = (clause or " ".join(words[:max_words])).split()
    while len(words) > TITLE_MIN_WORDS and words[-1].lower().strip(",;:") in _TRAILING_WEAK:
        words.pop()
    return " ".join(words).rstrip(" ,;:—–-")


def _longest_clause_prefix(sentence: str, max_words: int) -> str | None:
    """The longest prefix ending at a clause break with between TITLE_MIN_WORDS and max_words words."""
    best = None
    for match in _CLAUSE_BREAK.finditer(sentence):
        prefix = sentence[:match.start()]
        n = len(prefix.split())
        if n > max_words:
            break
        if n >= TITLE_MIN_WORDS:
            best = prefix
    return best


def tidy_title(title: str | None) -> str | None:
    """One line, single spaces, no trailing site name after a `` | `` separator."""
    if not title:
        return None
    title = " ".join(title.split())
    for sep in (" | ", " :: "):
        if sep in title:
            head = title.split(sep)[0].strip()
            if len(head.split()) >= 3:
                title = head
    return title or None


# -- outlet --------------------------------------------------------------
def outlet_from_url(url: str | None) -> str | None:
    """The site's host without ``www.``/``m.``/``amp.`` (``tribune.com.pk``)."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    for prefix in ("www.", "m.", "amp.", "mobile."):
        host = host.removeprefix(prefix)
    return host or None


# -- language ------------------------------------------------------------
# py3langid's cost grows with length; on the 164 AEB pages over 1,000 characters (8 languages),
# a 300-character prefix gave the same language as 5,000 characters on every page, at 0.17 ms.
LANGUAGE_PREFIX_CHARS = 300


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (offline py3langid on a prefix), or None for too little text."""
    sample = text[:LANGUAGE_PREFIX_CHARS]
    if len(sample.strip()) < 20:
        return None
    import py3langid

    lang, _ = py3langid.classify(sample)
    return str(lang)


def normalize_language(value: str | None) -> str | None:
    """``en-US`` / ``EN`` / ``en_GB`` → ``en``."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None
