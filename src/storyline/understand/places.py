"""Where an event happened: the dateline, else the place its articles' leads name, as one canonical name.

A wire-style dateline ("PUYALLUP, Wash. —", "NEW DELHI:", "WILKINSBURG (KDKA)-")
is the reporter's own statement of where the story happened, so it weighs
most. Otherwise the places named in the lead (the first sentences of the
body, header lines such as " date 2021-06-01" skipped) vote, a place after
"in", "at", "near" or "outside" counting double: "a shooting in Zanesville"
says where, "Ohio police" or "a man from Chicago" less so. Only the body is
read: captions, bylines and link lists are margins the cleaner removed, so a
byline ("Moscow Shafqat Ali") or a photo caption never places an event.

The name shown is the resolved PLACE entity's name when one matches (its
most frequent written form), else the dateline in title case; possessives
are cut ("India's" → "India") and a dateline's US state abbreviation is
written out ("Puyallup, Washington").
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable

from ..store import Database

LEAD_CHARS = 600            # the lead: about the first two or three sentences of a news body
DATELINE_WEIGHT = 3.0
LOCATIVE_WEIGHT = 2.0
MENTION_WEIGHT = 1.0
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|inside|across|of downtown|on the streets of)\s+(?:the\s+)?$",
                       re.IGNORECASE)
_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-Z][A-Z.'’\-]+(?:[ \t]+[A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.]+(?:[ \t][A-Z][a-z.]+)?))?"
    r"[ \t]*(?:\([^)\n]{1,40}\)|\[[^\]\n]{1,40}\])?[ \t]*(?:[—–:]|--?[ \t]|-(?=[A-Z]))",
    re.MULTILINE)
_HEADER_LINE = re.compile(r"^\s*(?:date\s+\d{4}|published|updated|posted|please enable|by\s|photo|image|video)\b",
                          re.IGNORECASE)
_NOT_PLACES = {"update", "updated", "breaking", "watch", "video", "photos", "editor's note", "opinion", "story",
               "exclusive", "live", "analysis", "ap", "reuters", "afp", "cnn", "upi", "ians", "pti", "ani"}
# AP-style US state abbreviations as datelines write them (a general lexicon, not fitted to a corpus).
US_STATES = {
    "ala": "Alabama", "alaska": "Alaska", "ariz": "Arizona", "ark": "Arkansas", "calif": "California",
    "ca": "California", "colo": "Colorado", "conn": "Connecticut", "del": "Delaware", "fla": "Florida",
    "ga": "Georgia", "hawaii": "Hawaii", "idaho": "Idaho", "ill": "Illinois", "ind": "Indiana", "iowa": "Iowa",
    "kan": "Kansas", "kans": "Kansas", "ky": "Kentucky", "la": "Louisiana", "maine": "Maine", "md": "Maryland",
    "mass": "Massachusetts", "mich": "Michigan", "minn": "Minnesota", "miss": "Mississippi", "mo": "Missouri",
    "mont": "Montana", "neb": "Nebraska", "nev": "Nevada", "n.h": "New Hampshire", "n.j": "New Jersey",
    "n.m": "New Mexico", "n.y": "New York", "n.c": "North Carolina", "n.d": "North Dakota", "ohio": "Ohio",
    "okla": "Oklahoma", "ore": "Oregon", "pa": "Pennsylvania", "r.i": "Rhode Island", "s.c": "South Carolina",
    "s.d": "South Dakota", "tenn": "Tennessee", "texas": "Texas", "utah": "Utah", "vt": "Vermont", "va": "Virginia",
    "wash": "Washington", "w.va": "West Virginia", "wis": "Wisconsin", "wyo": "Wyoming", "d.c": "District of Columbia",
}


_STATE_KEYS = {v.lower() for v in US_STATES.values()}


@dataclass
class PlaceVotes:
    """Weighted votes for the places of one event, keyed by lower-cased name."""

    weight: dict[str, float] = field(default_factory=lambda: defaultdict(float))   # weights are fractional
    shown: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    first: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, weight: float, order: int) -> None:
        key = place_key(name)
        if not key or key in _NOT_PLACES:
            return
        self.weight[key] += weight
        self.shown[key][name] += 1
        self.first.setdefault(key, order)

    def best(self) -> str | None:
        """The most voted place (the earliest named on a tie), in its most frequent written form, with
        the US state the articles name when the place is a town ("Wilkinsburg, Pennsylvania")."""
        if not self.weight:
            return None
        key = max(self.weight, key=lambda k: (self.weight[k], -self.first[k]))
        shown = self.shown[key].most_common(1)[0][0]
        if "," in shown or key in _STATE_KEYS:
            return shown
        states = [k for k in self.weight if k in _STATE_KEYS]
        if states:
            state = max(states, key=lambda k: (self.weight[k], -self.first[k]))
            return f"{shown}, {self.shown[state].most_common(1)[0][0]}"
        return shown


def place_key(name: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", re.sub(r"['’]s$", "", name.strip()).lower()).strip()


def canonical_case(name: str) -> str:
    """"HAWTHORNE" → "Hawthorne", "O'FALLON" → "O'Fallon", "INDIA'S" → "India": title case without
    possessives (str.title would write "India'S")."""
    name = re.sub(r"['’][sS]$", "", name.strip(" ,.-—–:"))
    if not name.isupper():
        return name
    words = []
    for w in name.split():
        parts = re.split(r"(['’\-])", w.lower())
        words.append("".join(p[:1].upper() + p[1:] if len(p) > 1 or p.isalpha() else p for p in parts))
    return " ".join(words)


def dateline(text: str) -> str | None:
    """The dateline at the start of the body ("PUYALLUP, Wash. —" → "Puyallup, Washington")."""
    for line in _lead_lines(text)[:2]:
        m = _DATELINE.match(line)
        if not m:
            continue
        city = canonical_case(m.group("city"))
        if place_key(city) in _NOT_PLACES or len(city) < 3:
            continue
        region = (m.group("region") or "").strip()
        state = US_STATES.get(region.lower().rstrip("."))
        return f"{city}, {state}" if state else city
    return None


def _lead_lines(text: str) -> list[str]:
    """The body's first lines that are not headers (date stamps, "Published:", "Please enable Javascript")."""
    lines = [ln for ln in text[:LEAD_CHARS * 2].split("\n") if ln.strip()]
    return [ln for ln in lines if not _HEADER_LINE.match(ln)]


def lead_span(text: str) -> tuple[int, int]:
    """Offsets of the lead: from the first line that is not a header, LEAD_CHARS long."""
    start = 0
    for m in re.finditer(r"[^\n]+", text[:LEAD_CHARS * 2]):
        if m.group().strip() and not _HEADER_LINE.match(m.group()):
            start = m.start()
            break
    return start, start + LEAD_CHARS


def vote_article(votes: PlaceVotes, text: str, places: Iterable[tuple[int, int, str]], order: int) -> None:
    """Add one article's votes: its dateline, then the PLACE mentions of its lead."""
    line = dateline(text)
    if line:
        votes.add(line.split(",")[0], DATELINE_WEIGHT, order)
        votes.shown[place_key(line.split(",")[0])][line] += 2      # show "City, State" when given
    a, b = lead_span(text)
    for start, _end, name in places:
        if a <= start < b:
            locative = _LOCATIVE.search(text[max(0, start - 25):start])
            votes.add(canonical_case(name), LOCATIVE_WEIGHT if locative else MENTION_WEIGHT, order)


def event_places(db: Database) -> dict[str, str]:
    """Event id → the place of the event, from its original articles' datelines and leads."""
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    sql = ("SELECT m.article_id, m.start, m.end, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id"
           " WHERE e.type = 'PLACE' AND m.start < ? ORDER BY m.article_id, m.start")
    for r in db.conn.execute(sql, (LEAD_CHARS * 2,)):
        mentions[r[0]].append((r[1], r[2], r[3]))
    votes: dict[str, PlaceVotes] = defaultdict(PlaceVotes)
    rows = db.conn.execute("SELECT id, event_id, substr(text, 1, ?) FROM articles WHERE event_id IS NOT NULL"
                           " AND duplicate_of IS NULL ORDER BY seq", (LEAD_CHARS * 2,))
    for order, (aid, eid, text) in enumerate(rows):
        vote_article(votes[eid], text or "", mentions.get(aid, ()), order)
    return {eid: place for eid, v in votes.items() if (place := v.best())}


def assign_places(db: Database) -> int:
    """Write each event's place into the events table (replacing the events stage's guess)."""
    places = event_places(db)
    with db.transaction() as conn:
        conn.executemany("UPDATE events SET place = ? WHERE id = ?", [(p, e) for e, p in places.items()])
    return len(places)
