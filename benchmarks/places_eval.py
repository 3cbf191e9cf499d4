"""Event places against gva's incident records: does the event's place name the gold city or state?

Usage::

    python benchmarks/places_eval.py --db gva.db        # a store built from gva/articles.jsonl
    python benchmarks/places_eval.py --db gva.db --recompute   # assign places again first

Events are those of the pipeline (``storyline build``), not the gold ones.
Each event with >= 2 original articles is matched to the gold incident most
of its articles belong to (``gva/gold.jsonl``); it counts as right when its
place names that incident's ``city_or_county`` or ``state``
(``gva/incidents.jsonl``), compared case-insensitively on whole words, with
"St." read as "Saint", "Mt." as "Mount", and a name the record gives in brackets counted too
("Chicago (Englewood)" is Chicago or Englewood). Incidents whose record
gives neither city nor state cannot be scored and are left out (counted).
Baseline: the place the events stage wrote before the understanding stage
(recomputed here with ``storyline.events.stage.event_place`` on the same leads).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data" / "gva"


def load_gold(data: Path = DATA) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """URL → gold incident, and incident → its record."""
    urls = {}
    ids = {json.loads(line)["id"]: json.loads(line)["url"] for line in (data / "articles.jsonl").open()}
    for line in (data / "gold.jsonl").open():
        rec = json.loads(line)
        urls[ids[rec["id"]]] = rec["event"]
    incidents = {json.loads(line)["event"]: json.loads(line) for line in (data / "incidents.jsonl").open()}
    return urls, incidents


def _words(text: str) -> str:
    low = re.sub(r"\bmt\b\.?", "mount", re.sub(r"\bst\b\.?", "saint", text.lower()))
    return re.sub(r"[^a-z0-9]+", " ", low).strip()


def gold_names(incident: dict[str, Any]) -> list[str]:
    """The incident's city or county (and any name it gives in brackets) and its state, as compared words."""
    names = []
    for gold in (incident.get("city_or_county"), incident.get("state")):
        gold = gold or ""
        for part in [re.sub(r"\(.*?\)", "", gold), *re.findall(r"\((.*?)\)", gold)]:
            words = _words(re.sub(r"\bcounty\b", "", part, flags=re.IGNORECASE))
            if words:
                names.append(words)
    return names


def names_gold(place: str | None, incident: dict[str, Any]) -> bool:
    """The place names the incident's city/county or state (whole words, any case)."""
    if not place:
        return False
    low = f" {_words(place)} "
    return any(f" {g} " in low for g in gold_names(incident))


def baseline_places(db: Any) -> dict[str, str | None]:
    """The events stage's own heuristic on the first 50 leads of each event."""
    from storyline.events.stage import event_place

    out = {}
    for (eid,) in db.conn.execute("SELECT id FROM events").fetchall():
        rows = db.query("SELECT a.title, substr(a.text, 1, 600) AS lead FROM event_assignments ea JOIN articles a"
                        " ON a.id = ea.article_id WHERE ea.event_id = ? ORDER BY ea.position LIMIT 50", (eid,))
        out[eid] = event_place([(r["title"] or "") + "\n" + r["lead"] for r in rows])
    return out


def state_precision(db: Any, places: dict[str, str | None]) -> tuple[int, int]:
    """(right, given): of the events with >= 2 originals whose place ends in a US state, how many give the
    incident's state. A wrong state is worse than none: this keeps the gazetteer's guesses honest."""
    from storyline.understand.places import state_name

    urls, incidents = load_gold()
    members: dict[str, list[str]] = {}
    for r in db.conn.execute("SELECT event_id, url FROM articles WHERE event_id IS NOT NULL AND duplicate_of IS NULL"):
        members.setdefault(r[0], []).append(urls.get(r[1], ""))
    right = given = 0
    for eid, golds in members.items():
        gold = Counter(g for g in golds if g).most_common(1)
        place = places.get(eid) or ""
        state = state_name(place.rsplit(",", 1)[-1]) if "," in place else None
        if len(golds) < 2 or not gold or not state or not incidents[gold[0][0]].get("state"):
            continue
        given += 1
        right += state == incidents[gold[0][0]]["state"]
    return right, given


def score(db: Any, places: dict[str, str | None]) -> tuple[int, int, list[tuple[str, str | None, str]]]:
    """(right, events with >= 2 originals, misses) for a mapping event → place."""
    urls, incidents = load_gold()
    members: dict[str, list[str]] = {}
    for r in db.conn.execute("SELECT event_id, url FROM articles WHERE event_id IS NOT NULL AND duplicate_of IS NULL"):
        members.setdefault(r[0], []).append(urls.get(r[1], ""))
    right, total, misses = 0, 0, []
    for eid, golds in members.items():
        if len(golds) < 2:
            continue
        gold = Counter(g for g in golds if g).most_common(1)
        if not gold or not gold_names(incidents[gold[0][0]]):
            continue
        total += 1
        inc = incidents[gold[0][0]]
        if names_gold(places.get(eid), inc):
            right += 1
        else:
            misses.append((eid, places.get(eid), f"{inc.get('city_or_county')}, {inc.get('state')}"))
    return right, total, misses


def gold_event_places(data: Path = DATA) -> tuple[int, int]:
    """Places of the GOLD incidents (>= 2 articles) from the same dateline and lead votes, NER run on
    the leads here: the place method alone, without the event clusterer's mistakes."""
    from storyline.understand.nlp import load_nlp
    from storyline.understand.places import LEAD_CHARS, PlaceVotes, make_lead

    urls, incidents = load_gold(data)
    arts = [json.loads(line) for line in (data / "articles.jsonl").open()]
    by_event: dict[str, list[dict]] = {}
    for a in arts:
        by_event.setdefault(urls.get(a["url"], ""), []).append(a)
    events = {e: a for e, a in by_event.items() if e and len(a) >= 2 and gold_names(incidents[e])}
    nlp = load_nlp()
    right = 0
    for eid, members in sorted(events.items()):
        votes = PlaceVotes()
        texts = [a["text"][:LEAD_CHARS * 2] for a in members]
        for art, text, doc in zip(members, texts, nlp.pipe(texts), strict=True):
            places = [(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents
                      if e.label_ in ("GPE", "LOC", "FAC")]
            votes.add(make_lead(art.get("title"), text, places))
        right += names_gold(votes.best(), incidents[eid])
    return right, len(events)


def main(argv: list[str] | None = None) -> int:
    import storyline
    from storyline.understand.places import assign_places

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="a store built from gva/articles.jsonl")
    parser.add_argument("--gold-events", action="store_true", help="score the place method on gold incidents")
    parser.add_argument("--recompute", action="store_true", help="assign places again before scoring")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)
    if args.gold_events:
        right, total = gold_event_places()
        print(f"gold incidents with >= 2 articles whose place names the gold city or state: {right}/{total} = "
              f"{right / max(total, 1):.3f}")
        return 0
    if not args.db:
        parser.error("--db is required unless --gold-events")
    sl = storyline.open(args.db)
    if args.recompute:
        assign_places(sl.db)
    system = {r[0]: r[1] for r in sl.db.conn.execute("SELECT id, place FROM events")}
    for name, places in (("understand.places", system), ("baseline: events stage heuristic", baseline_places(sl.db))):
        right, total, misses = score(sl.db, places)
        print(f"{name:<36} {right}/{total} events with >= 2 articles name the gold city or state: "
              f"{right / max(total, 1):.3f}")
        if name.startswith("understand"):
            ok, given = state_precision(sl.db, places)
            print(f"{'':<36} of those whose place ends in a US state, the incident's state: {ok}/{given} = "
                  f"{ok / max(given, 1):.3f}")
            for m in misses[:args.misses]:
                print("   miss:", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
