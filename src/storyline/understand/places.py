"""Where an event happened: the dateline, else the place its articles' titles and leads name, as one name.

A wire-style dateline ("PUYALLUP, Wash. —", "NEW DELHI:", "WILKINSBURG (KDKA)-")
is the reporter's own statement of where the story happened, so it weighs
most. The candidates are the dateline cities, the places NER finds in the
lead (the first sentences of the body, header lines such as
" date 2021-06-01" skipped) and capitalised names after "in", "near",
"outside" in the lead. Each candidate is then looked for, as written, in
every article's title and lead: an article votes for it once per source
(dateline 3, title 2 unless after "to/from/of…", lead 3.5 where the text
says it happened there — "held in Goa", "shot in Gary" —, 2 after another
locative preposition, 0.5 after "to/from/of…" — "handed the presidency to
Brazil", "a man from Chicago" —, else 1; the dateline's own words are not
counted again; names of storms are no places), so a
town every headline names ("Shooting in Vallejo") beats the street the
address gives ("the 800 block of Humboldt Street"). Streets, buildings and
bare compass words weigh a quarter: an event's place is a town, a county, a
country. Only the body and the title are read: captions, bylines and link
lists are margins the cleaner removed, and a title's site suffix
(" - WMC Action News 5 - Memphis, Tennessee") is cut, so neither a byline
("Moscow Shafqat Ali") nor a station's home town places an event.

The name shown is the most frequent written form in canonical case
("HAWTHORNE" → "Hawthorne", possessives cut: "India's" → "India"), a
neighbourhood with the town the text puts it in ("Liberty City, Miami"),
and the US state: the one the articles write after it ("Gary, Ind." →
"Gary, Indiana"), else the one the GeoNames gazetteer gives it
(:mod:`.gazetteer`) that the event's other places and datelines support.
A place larger abroad than in the US gets none; an event whose articles
name no place gets none.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..store import Database
from .gazetteer import Gazetteer, load_gazetteer

PLACES_VERSION = "5"        # stored with the placed events: bump when the method changes
LEAD_CHARS = 600            # the lead: about the first two or three sentences of a news body
DATELINE_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
LOCATIVE_WEIGHT = 2.0
HAPPENED_WEIGHT = 3.5       # "held in Goa", "happened in Zanesville": the text says where, above a dateline
MENTION_WEIGHT = 1.0
AWAY_WEIGHT = 0.5           # "a man from Chicago", "handed the presidency to Brazil": a place, not where it happened
MINOR_FACTOR = 0.25         # streets, buildings, compass words: where exactly, not which place
BROAD_FACTOR = 0.5          # a state or a country: true, but a town says more
MAX_ARTICLES = 50           # the first articles of an event suffice to place it (as for its title)
MAX_CANDIDATES = 40

_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside|across|of downtown|on the streets of)\s+(?:the\s+)?$",
                              re.IGNORECASE)
_HAPPENED_BEFORE = re.compile(r"\b(?:held|happened|occurred|took\s+place|erupted|broke\s+out|struck|unfolded|"
                              r"hosted|convened|opened|began|killed|shot|wounded|injured|died)\s+"
                              r"(?:\w+\s+){0,3}?(?:in|at|near|outside)\s+(?:the\s+)?(?:city\s+of\s+)?$", re.IGNORECASE)
_AWAY_BEFORE = re.compile(r"\b(?:to|from|with|against|toward|towards|for|of|via)\s+(?:the\s+)?$",
                          re.IGNORECASE)
_STORM = re.compile(r"\b(?:[Hh]urricane|[Tt]ropical [Ss]torm|[Ss]uperstorm|[Tt]yphoon|[Cc]yclone|[Ss]torm)\s+"
                    r"([A-Z][a-z]+)\b")
_LOCATIVE_NAME = re.compile(r"\b(?:in|near|outside)\s+(?:downtown\s+|suburban\s+|northern\s+|southern\s+|eastern\s+"
                            r"|western\s+|central\s+)?((?:[A-Z][A-Za-z'’.\-]+)(?:[ \t]+[A-Z][A-Za-z'’.\-]+){0,2})")
_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-Z][A-Z.'’\-]+(?:[ \t]+[A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.]+(?:[ \t][A-Z][a-z.]+)?))?"
    r"[ \t]*(?:\([^)\n]{1,40}\)|\[[^\]\n]{1,40}\])?[ \t]*(?:[—–:|]|--?[ \t]|-(?=[A-Z]))",
    re.MULTILINE)
_HEADER_LINE = re.compile(r"^\s*(?:date\s+\d{4}|published|updated|posted|please enable|by\s|photo|image|video"
                          r"|message:|\(source:)", re.IGNORECASE)
# A title's tail after " - ", " | " or " « " names the site ("… - WMC Action News 5 - Memphis, Tennessee").
_TITLE_SUFFIX = re.compile(r"\s+(?:-|\||«|::)\s+.*$")
_NOT_PLACES = {"update", "updated", "breaking", "watch", "video", "photos", "editor's note", "opinion", "story",
               "exclusive", "live", "analysis", "ap", "reuters", "afp", "cnn", "upi", "ians", "pti", "ani",
               "police", "the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my", "your",
               "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
               "sunday", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
               "today", "tonight", "christmas", "easter", "thanksgiving", "new year", "english", "spanish",
               "photo", "file", "getty", "getty images", "ap photo", "reuters photo"}
_CALENDAR = {"january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
             "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "easter",
             "christmas", "thanksgiving", "halloween"}
# General English words for streets, buildings and sides of town (not fitted to a corpus).
_MINOR_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "dr", "lane", "ln",
                "court", "ct", "way", "place", "pl", "highway", "hwy", "parkway", "pkwy", "terrace", "circle",
                "trail", "route", "interstate", "freeway", "expressway", "square", "plaza", "block", "apartments",
                "apartment", "complex", "club", "lounge", "bar", "tavern", "grill", "restaurant", "hotel", "motel",
                "inn", "center", "centre", "mall", "store", "market", "hospital", "school", "college", "university",
                "academy", "church", "temple", "mosque", "station", "airport", "park", "jail", "prison",
                "hall", "building", "tower", "house", "home", "office", "department", "sheriff", "headquarters",
                "base", "yard", "stadium", "arena", "theater", "theatre", "library", "cafe", "pub", "nightclub",
                "courthouse", "police", "story", "abbey", "cathedral", "palace", "castle", "chapel", "embassy",
                "garden", "gardens"}
_COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "downtown",
            "uptown", "midtown", "central", "northern", "southern", "eastern", "western", "east side", "west side",
            "north side", "south side"}
# Seas, coasts and continents: true places, but no town and never in one US state.
_REGIONS = {"europe", "asia", "africa", "america", "north america", "south america", "latin america", "middle east",
            "arctic", "antarctica", "antarctic", "oceania", "caribbean", "atlantic", "pacific", "mediterranean",
            "gulf", "the gulf"}
_REGION_WORDS = {"gulf", "ocean", "sea", "coast", "strait", "straits", "channel", "basin", "peninsula", "continent"}
_COUNTRIES = {"united states", "us", "usa", "u.s", "u.s.", "america", "united states of america", "uk",
              "united kingdom", "britain", "india", "pakistan", "china", "russia"}
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
# USPS two-letter codes, read only where a state stands: after "City, " ("Greenwood, SC").
US_POSTAL = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia",
}
_STATE_NAMES = sorted(set(US_STATES.values()), key=len, reverse=True)
_STATE_KEYS = {v.lower() for v in _STATE_NAMES}
# States whose name is also a city or a country: counted only where a state stands ("Tacoma, Washington").
_AMBIGUOUS_STATES = {"washington", "georgia", "new york", "district of columbia"}
_STATE_AFTER_COMMA = re.compile(
    r",[ \t]*(" + "|".join(re.escape(s) for s in _STATE_NAMES) + r"|"
    + "|".join(re.escape(".".join(p.capitalize() for p in a.split("."))) + r"\.?" for a in US_STATES)
    + r"|" + "|".join(US_POSTAL) + r")(?![A-Za-z])")
_STATE_ANYWHERE = re.compile(r"\b(" + "|".join(re.escape(s) for s in _STATE_NAMES) + r")\b")


def place_key(name: str) -> str:
    """The name compared: lower case, possessive and punctuation dropped."""
    return re.sub(r"[^a-z0-9 ]+", "", re.sub(r"['’]s$", "", name.strip()).lower()).strip()


def canonical_case(name: str) -> str:
    """"HAWTHORNE" → "Hawthorne", "O'FALLON" → "O'Fallon", "INDIA'S" → "India": title case without
    possessives (str.title would write "India'S")."""
    name = re.sub(r"['’][sS]$", "", name.strip(" ,-—–:"))
    name = re.sub(r"^the\s+", "", name)          # "the Gulf of Mexico" as written mid-sentence; "The Hague" stays
    if not re.search(r"(?:^|[. ])[A-Za-z]\.$", name):       # "D.C." and "U.S." keep their last dot
        name = name.rstrip(".")
    if not name.isupper() or len(name) <= 3:
        return name
    words = []
    for w in name.split():
        if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", w):      # "U.S.", "D.C." stay as written
            words.append(w)
            continue
        parts = re.split(r"(['’\-])", w.lower())
        words.append("".join(p[:1].upper() + p[1:] if len(p) > 1 or p.isalpha() else p for p in parts))
    return " ".join(words)


def state_name(token: str) -> str | None:
    """"Wash." / "WA" / "Washington" → "Washington"; None for anything else."""
    token = token.strip()
    if token in US_POSTAL:
        return US_POSTAL[token]
    low = token.lower().rstrip(".")
    if low in US_STATES:
        return US_STATES[low]
    return token if low in _STATE_KEYS else None


def dateline(text: str) -> str | None:
    """The dateline at the start of the body ("PUYALLUP, Wash. —" → "Puyallup, Washington")."""
    found = _dateline_at(text)
    return found[0] if found else None


def _dateline_at(text: str) -> tuple[str, int] | None:
    """The dateline and the offset in ``text`` where it ends (its name is not counted again as a mention)."""
    pos = 0
    lines = 0
    for m in re.finditer(r"[^\n]+", text[:LEAD_CHARS * 2]):
        line = m.group()
        if not line.strip() or _HEADER_LINE.match(line):
            continue
        lines += 1
        if lines > 3:
            break
        d = _DATELINE.match(line)
        if not d:
            continue
        words = d.group("city").split()
        while len(words) > 1 and place_key(words[0]) in _NOT_PLACES:      # "AP KEY WEST" → Key West
            words.pop(0)
        city = canonical_case(" ".join(words))
        if place_key(city) in _NOT_PLACES or len(city) < 3:
            continue
        region = (d.group("region") or "").strip()
        state = state_name(region) if region else None
        pos = m.start() + d.end()
        return (f"{city}, {state}" if state and place_key(state) != place_key(city) else city), pos
    return None


def clean_title(title: str | None) -> str:
    """The title without the site's name after it."""
    return _TITLE_SUFFIX.sub("", (title or "").strip())


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


def locative_names(text: str) -> list[str]:
    """Capitalised names after "in", "near", "outside" ("a shooting in Vallejo on Monday" → "Vallejo")."""
    out = []
    for m in _LOCATIVE_NAME.finditer(text):
        words = []
        for word in m.group(1).split():
            words.append(word.rstrip(".") if len(word) > 4 else word)
            if word.endswith(".") and len(word) > 4:      # "Pines." ends the sentence; "St." does not
                break
        while words and place_key(words[-1]) in _NOT_PLACES:
            words.pop()
        if words and place_key(words[0]) not in _NOT_PLACES:
            out.append(" ".join(words))
    return out


def place_factor(name: str, label: str | None = None) -> float:
    """How much a candidate can be an event's place: a town 1, a state or country a half, a street a quarter."""
    key = place_key(name)
    words = key.split()
    if not words or key in _COMPASS or label == "FAC" or words[-1] in _MINOR_WORDS or re.match(r"\d", key):
        return MINOR_FACTOR
    if key in _STATE_KEYS or key in _COUNTRIES or _is_region(key):
        return BROAD_FACTOR
    return 1.0


def _is_region(key: str) -> bool:
    """A sea, a coast, a continent ("Gulf of Mexico", "the Gulf Coast", "Europe")."""
    return key in _REGIONS or any(w in _REGION_WORDS for w in key.split())


@dataclass
class Lead:
    """What one article offers to place its event: title (site cut), lead text, dateline, NER places."""

    title: str
    text: str
    dateline: str | None = None
    dateline_end: int = 0                                                  # offset in text where it ends
    places: list[tuple[int, str, str]] = field(default_factory=list)     # (offset in text, written name, label)
    persons: set[str] = field(default_factory=set)                        # keys of names NER read as people


def make_lead(title: str | None, text: str, places: Iterable[tuple[int, int, str, str]] = (),
              persons: Iterable[str] = ()) -> Lead:
    """A :class:`Lead` from an article's title, body, PLACE mentions (start, end, text, NER label) and the
    people it names (a surname after "in" is no place: "in Smith's car")."""
    a, b = lead_span(text)
    found = _dateline_at(text)
    return Lead(clean_title(title), text[a:b], found[0] if found else None, max(0, found[1] - a) if found else 0,
                [(start - a, name, label) for start, _end, name, label in places if a <= start < b],
                {place_key(p) for p in persons})


@dataclass
class PlaceVotes:
    """Candidates and the articles' evidence for them, keyed by lower-cased name."""

    leads: list[Lead] = field(default_factory=list)

    def add(self, lead: Lead) -> None:
        self.leads.append(lead)

    def candidates(self) -> dict[str, tuple[Counter[str], float]]:
        """Key → (written forms, place factor) of every candidate the articles offer.

        A name only found after "in"/"near" must be a place the gazetteer knows
        (when one is installed), and a name NER read as a person in these
        articles is none, unless a dateline gives it or it is a US town.
        """
        gazetteer = load_gazetteer()
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        dated: set[str] = set()
        persons = set().union(*(lead.persons for lead in self.leads)) if self.leads else set()
        for lead in self.leads:
            if lead.dateline:
                city = lead.dateline.split(",")[0]
                forms[place_key(city)][city] += 1
                dated.add(place_key(city))
            for _, name, label in lead.places:
                name = _full_state(canonical_case(name))
                forms[place_key(name)][name] += 1
                labels[place_key(name)][label] += 1
            for name in locative_names(lead.text):
                name = _full_state(canonical_case(name))
                if place_key(name) in labels or gazetteer is None or gazetteer.knows(name):
                    forms[place_key(name)][name] += 1
            for name in locative_names(lead.title):        # titles are often in title case: only known places
                name = _full_state(canonical_case(name))
                if gazetteer is not None and gazetteer.knows(name):
                    forms[place_key(name)][name] += 1
        out = {}
        storms = self._storm_names()
        for key, written in forms.items():
            if key in storms:
                continue
            person = key in persons and key not in dated and not (gazetteer and gazetteer.states(key))
            if not key or key in _NOT_PLACES or len(key) < 2 or person or any(w in _CALENDAR for w in key.split()):
                continue
            ner = labels[key].most_common(1)[0][0] if labels[key] else None
            out[key] = (written, place_factor(written.most_common(1)[0][0], ner))
        return out

    def _storm_names(self) -> set[str]:
        """Keys of names the articles give to storms ("Hurricane Idalia"): NER reads them as places."""
        return {place_key(m.group(1)) for lead in self.leads for text in (lead.title, lead.text)
                for m in _STORM.finditer(text)}

    def scores(self) -> dict[str, float]:
        """Key → weighted votes: per article, dateline 3 + title 2 + lead (2 after "in", else 1), times the factor."""
        cands = self.candidates()
        ranked = sorted(cands, key=lambda k: -sum(cands[k][0].values()))[:MAX_CANDIDATES]
        out: dict[str, float] = {}
        for key in ranked:
            written, factor = cands[key]
            pattern = _occurrence_pattern(written)
            total = 0.0
            for lead in self.leads:
                if lead.dateline and place_key(lead.dateline.split(",")[0]) == key:
                    total += DATELINE_WEIGHT
                if any(not _AWAY_BEFORE.search(lead.title[:m.start()]) for m in pattern.finditer(lead.title)):
                    total += TITLE_WEIGHT
                best = 0.0
                for m in pattern.finditer(lead.text, lead.dateline_end):
                    before = lead.text[max(0, m.start() - 60):m.start()]
                    weight = HAPPENED_WEIGHT if _HAPPENED_BEFORE.search(before) else \
                        LOCATIVE_WEIGHT if _LOCATIVE_BEFORE.search(before[-25:]) else \
                        AWAY_WEIGHT if _AWAY_BEFORE.search(before[-25:]) else MENTION_WEIGHT
                    best = max(best, weight)
                total += best
            if total:
                out[key] = total * factor
        return out

    def best(self) -> str | None:
        """The most voted place in its most frequent written form, with its US state where one is known."""
        scores = self.scores()
        if not scores:
            return None
        cands = self.candidates()
        key = max(scores, key=lambda k: (scores[k], -len(k), k))
        shown = cands[key][0].most_common(1)[0][0]
        if key in _STATE_KEYS or key in _COUNTRIES or _is_region(key):
            return shown
        town = self.town_of(key, cands, scores)
        if town:          # a neighbourhood with its city: "Frayser, Memphis, Tennessee"
            shown, key = f"{shown}, {cands[town][0].most_common(1)[0][0]}", town
        state = self.state_of(key, cands, scores)
        return f"{shown}, {state}" if state and place_key(state) != key else shown

    def town_of(self, key: str, cands: dict[str, tuple[Counter[str], float]], scores: dict[str, float]) -> str | None:
        """For a place the gazetteer does not know (a neighbourhood, a street), the US town a title or lead
        names right beside it ("Miami's Liberty City"), if that town has a third of its votes."""
        gazetteer = load_gazetteer()
        name = cands[key][0].most_common(1)[0][0]
        if gazetteer is None or gazetteer.knows(name) or name.lower().endswith(" county"):
            return None
        towns = [k for k in scores if k != key and k not in _STATE_KEYS and k not in _COUNTRIES
                 and place_key(k) not in place_key(key).split()
                 and (where := gazetteer.states(cands[k][0].most_common(1)[0][0]))
                 and 10**8 not in where.values() and not gazetteer.mostly_foreign(cands[k][0].most_common(1)[0][0])]
        together = [k for k in towns
                    if scores[k] >= scores[key] / 3 and self._said_together(cands[key][0], cands[k][0])]
        return max(together, key=lambda k: scores[k]) if together else None

    def _said_together(self, place: Counter[str], town: Counter[str]) -> bool:
        """Whether a title or lead names the two within a few words ("Miami's Liberty City", "the Natomas area
        of Sacramento", "East Flatbush, Brooklyn"): the text, not the vote, says one is in the other."""
        a = "|".join(re.escape(n) for n in place)
        b = "|".join(re.escape(n) for n in town)
        near = re.compile(rf"(?:{a})\W+(?:\w+\W+){{0,4}}?(?:{b})\b|(?:{b})['’]s\s+(?:{a})", re.IGNORECASE)
        return any(near.search(text) for lead in self.leads for text in (lead.title, lead.text))

    def state_of(self, key: str, cands: dict[str, tuple[Counter[str], float]], scores: dict[str, float]) -> str | None:
        """The US state of the chosen place: written after it ("Gary, Ind."), else the state the gazetteer
        gives it that the event's other places and datelines support most, else one the leads name."""
        written = cands[key][0]
        after: Counter[str] = Counter()
        pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in written) + r")(?=,)", re.IGNORECASE)
        for lead in self.leads:
            for text in (lead.title, lead.text, lead.dateline or ""):
                for m in pattern.finditer(text):
                    s = _STATE_AFTER_COMMA.match(text, m.end())
                    if s and (state := state_name(s.group(1))):
                        after[state] += 1
        if after:
            return after.most_common(1)[0][0]
        gazetteer = load_gazetteer()
        if gazetteer is not None:
            name = written.most_common(1)[0][0]
            if gazetteer.mostly_foreign(name):
                return None
            return _supported_state(gazetteer, self.leads, name, scores.get(key, 0.0),
                                    {cands[k][0].most_common(1)[0][0]: v for k, v in scores.items() if k != key})
        dated = Counter(state for lead in self.leads if lead.dateline and "," in lead.dateline
                        if (state := state_name(lead.dateline.split(",", 1)[1])))
        if dated:
            return dated.most_common(1)[0][0]
        named: Counter[str] = Counter()
        for lead in self.leads:
            for text in (lead.title, lead.text):
                for m in _STATE_ANYWHERE.finditer(text):
                    if m.group(1).lower() not in _AMBIGUOUS_STATES:
                        named[m.group(1)] += 1
        return named.most_common(1)[0][0] if named else None


def _supported_state(gazetteer: Gazetteer, leads: Sequence[Lead], name: str, score: float,
                     others: dict[str, float]) -> str | None:
    """The state of ``name`` that the other places (a vote split over the states each can be in, for names
    in at most three states) and the datelines' states support most; without support, the state where a
    place of the name is three times larger than elsewhere. A name the gazetteer does not know (a
    neighbourhood) takes the best-supported state if that support is a quarter of its own score."""
    support: dict[str, float] = defaultdict(float)
    abroad = 0.0
    for other, weight in others.items():
        if gazetteer.mostly_foreign(other):
            abroad += weight
            continue
        where = gazetteer.states(other)
        if 1 <= len(where) <= 3:
            for state in where:
                support[state] += weight / len(where)
    for lead in leads:
        given = state_name(lead.dateline.split(",", 1)[1]) if lead.dateline and "," in lead.dateline else None
        if given:
            support[given] += DATELINE_WEIGHT
    own = gazetteer.states(name)
    if own:
        backed = [s for s in own if support.get(s, 0.0) > 0]
        if backed:
            return max(backed, key=lambda s: (support[s], own[s]))
        sizes = sorted(own.values(), reverse=True)
        if len(sizes) == 1 or sizes[0] >= 3 * sizes[1]:
            return max(own, key=lambda s: own[s])
        return None
    if support:
        state = max(support, key=lambda s: (support[s], s))
        if support[state] >= 0.25 * score and support[state] > abroad:
            return state
    return None


def _full_state(name: str) -> str:
    """A state abbreviation standing alone as a place ("Fla.", "D.C.") written out."""
    state = state_name(name) if len(name) <= 5 else None
    return state or name


def _occurrence_pattern(written: Counter[str]) -> re.Pattern[str]:
    """Any written form of a candidate, as written or in capitals, as a whole word."""
    forms = {f for name in written for f in (name, name.upper())}
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                      + r")(?:['’]s)?(?![\w])")


def vote_article(votes: PlaceVotes, text: str, places: Iterable[tuple[int, int, str]], order: int = 0,
                 title: str | None = None) -> None:
    """Add one article: its dateline, title and the PLACE mentions (start, end, written name) of its lead."""
    del order     # kept for callers of the earlier signature; articles now vote in the order they are added
    votes.add(make_lead(title, text, [(a, b, name, "GPE") for a, b, name in places]))


def event_places(db: Database) -> dict[str, str]:
    """Event id → the place of the event, from its first original articles' datelines, titles and leads."""
    mentions: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    persons: dict[str, list[str]] = defaultdict(list)
    sql = ("SELECT m.article_id, m.start, m.end, m.text, m.label, e.type FROM mentions m"
           " JOIN entities e ON e.id = m.entity_id WHERE m.start < ? ORDER BY m.article_id, m.start")
    for r in db.conn.execute(sql, (LEAD_CHARS * 2,)):
        if r[5] == "PLACE" and r[4] in ("GPE", "LOC", "FAC"):
            mentions[r[0]].append((r[1], r[2], r[3], r[4]))
        elif r[5] == "PERSON" and r[4] == "PERSON":
            persons[r[0]] += [r[3], r[3].split()[-1]] if r[3].split() else []   # the name and its surname
    votes: dict[str, PlaceVotes] = defaultdict(PlaceVotes)
    rows = db.conn.execute("SELECT id, event_id, title, substr(text, 1, ?) FROM articles WHERE event_id IS NOT NULL"
                           " AND duplicate_of IS NULL ORDER BY seq", (LEAD_CHARS * 2,))
    for aid, eid, title, text in rows:
        if len(votes[eid].leads) < MAX_ARTICLES:
            votes[eid].add(make_lead(title, text or "", mentions.get(aid, ()), persons.get(aid, ())))
    return {eid: place for eid, v in votes.items() if (place := v.best())}


def assign_places(db: Database) -> int:
    """Write each event's place into the events table, replacing the events stage's guess; an event
    whose articles name no place gets none (no place is better than a guessed one)."""
    places = event_places(db)
    with db.transaction() as conn:
        conn.execute("UPDATE events SET place = NULL")
        conn.executemany("UPDATE events SET place = ? WHERE id = ?", [(p, e) for e, p in places.items()])
    return len(places)


def places_of(leads: Sequence[Lead]) -> str | None:
    """The place of one event given its articles' leads (for callers outside the store)."""
    votes = PlaceVotes()
    for lead in leads:
        votes.add(lead)
    return votes.best()
