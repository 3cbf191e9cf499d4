"""One story, event, entity or article in full, and search: what every page, the API, the CLI and the report show.

Each function takes a :class:`~storyline.store.Database` (opened read-only by
the app) and returns plain dicts and lists, so the same data feeds an HTML
page, its JSON twin under ``/api``, ``storyline event`` and the static report. Every function
degrades to empty lists where a later stage (entities, quotes, facts,
summaries) has not run, and raises :class:`NotFoundError` for unknown ids.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import NotFoundError
from ..records import parse_date
from ..store import Database

PAGE_SIZE = 50
ENTITY_EVENTS_SHOWN = 300
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"   # control characters never found in clean text
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# -- small helpers -------------------------------------------------------------
def _dicts(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(sql, params)]


def _json_list(raw: Any) -> list[Any]:
    """A JSON list column as a list; anything malformed reads as empty."""
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def safe_href(url: str | None) -> str | None:
    """The URL if it is http(s), else None: ``javascript:`` and friends never become live links."""
    if not url:
        return None
    stripped = url.strip()
    lowered = re.sub(r"[\x00-\x20]", "", stripped).lower()
    return stripped if lowered.startswith(("http://", "https://")) else None


def first_sentence(text: str | None, limit: int = 180) -> str:
    """The first sentence of a text, cut to ``limit`` characters, for one-line summaries."""
    if not text:
        return ""
    line = next((p.strip() for p in text.splitlines() if len(p.strip()) > 40), text.strip())
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


# -- stories -------------------------------------------------------------------
def list_stories(db: Database, page: int = 1, sort: str = "recent") -> dict[str, Any]:
    """Stories with span, counts and coverage per day; events with no story when no stories exist."""
    total = db.scalar("SELECT count(*) FROM stories") or 0
    page = max(page, 1)
    ids = _story_page(db, sort, (page - 1) * PAGE_SIZE)
    stories = _dicts(db, f"""
        SELECT s.id, s.title, s.start, s.end, s.n_events,
               (SELECT count(*) FROM articles a JOIN events e ON a.event_id = e.id WHERE e.story_id = s.id)
                   AS n_articles,
               (SELECT count(DISTINCT a.outlet) FROM articles a JOIN events e ON a.event_id = e.id
                   WHERE e.story_id = s.id) AS n_outlets
        FROM stories s WHERE s.id IN ({_placeholders(ids)})""", ids) if ids else []
    stories.sort(key=lambda s: ids.index(s["id"]))
    coverage = story_coverage(db, ids)
    for story in stories:
        story["coverage"] = coverage.get(story["id"], [])
    return {"stories": stories, "total": total, "page": page, "page_size": PAGE_SIZE,
            "unassigned_events": [] if total else list_events(db, limit=PAGE_SIZE),
            "stats": overview_counts(db)}


def _story_page(db: Database, sort: str, offset: int) -> list[str]:
    """Ids of one page of stories: most recent first, or most covered (events' article counts) first.

    Ordering first and counting only the page's 50 stories keeps the front page
    fast however many stories there are (measured in benchmarks/web_latency.py).
    """
    if sort == "size":
        sql = """SELECT s.id FROM stories s LEFT JOIN (SELECT story_id, sum(n_articles) AS n FROM events
                     WHERE story_id IS NOT NULL GROUP BY story_id) c ON c.story_id = s.id
                 ORDER BY coalesce(c.n, 0) DESC, coalesce(s.end, s.start) DESC, s.id LIMIT ? OFFSET ?"""
    else:
        sql = "SELECT id FROM stories ORDER BY coalesce(end, start) DESC, id LIMIT ? OFFSET ?"
    return [r[0] for r in db.query(sql, (PAGE_SIZE, offset))]


def story_coverage(db: Database, story_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Articles per publication day for each story (the coverage chart's data)."""
    if not story_ids:
        return {}
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(f"""
            SELECT e.story_id AS story_id, coalesce(a.date, e.date) AS day, count(*) AS n
            FROM events e JOIN articles a ON a.event_id = e.id
            WHERE e.story_id IN ({_placeholders(story_ids)}) GROUP BY e.story_id, day ORDER BY day""",
                        list(story_ids)):
        if parse_date(row["day"]):
            out[row["story_id"]].append({"date": row["day"][:10], "n": row["n"]})
    return out


def overview_counts(db: Database) -> dict[str, Any]:
    """Headline counts for the front page."""
    counts = {t: db.scalar(f"SELECT count(*) FROM {t}") for t in ("articles", "events", "stories", "entities")}
    counts["outlets"] = db.scalar("SELECT count(DISTINCT outlet) FROM articles")
    return counts


def list_events(db: Database, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """The most recent events (shown when no story stage has run)."""
    events = _dicts(db, "SELECT id, title, date, n_articles, n_outlets, story_id FROM events"
                        " ORDER BY coalesce(date, '') DESC LIMIT ?", (limit,))
    return _with_one_liners(db, events)


def get_story(db: Database, story_id: str) -> dict[str, Any]:
    """A story with its events in date order (each with a one-line summary) and its entities."""
    row = db.one("SELECT id, title, start, end, entities, n_events FROM stories WHERE id = ?", (story_id,))
    if row is None:
        raise NotFoundError(f"no story with id {story_id!r}")
    story = dict(row)
    story["entity_names"] = _json_list(story.pop("entities"))
    events = _dicts(db, "SELECT id, title, date, start, end, place, n_articles, n_outlets FROM events"
                        " WHERE story_id = ? ORDER BY coalesce(date, start, '9999'), id", (story_id,))
    story["events"] = _with_one_liners(db, events)
    story["n_articles"] = sum(e["n_articles"] or 0 for e in events)
    story["n_outlets"] = db.scalar("SELECT count(DISTINCT a.outlet) FROM articles a JOIN events e"
                                   " ON a.event_id = e.id WHERE e.story_id = ?", (story_id,))
    story["entities"] = top_entities(db, "e.story_id = ?", (story_id,), named=story["entity_names"])
    story["coverage"] = story_coverage(db, [story_id]).get(story_id, [])
    return story


def _with_one_liners(db: Database, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attach a one-line summary to each event: its first summary sentence, else its first article's lead."""
    ids = [e["id"] for e in events]
    lines: dict[str, str] = {}
    for chunk in _chunks(ids, 500):
        for row in db.query(f"SELECT event_id, text FROM summaries WHERE position = 0"
                            f" AND event_id IN ({_placeholders(chunk)})", chunk):
            lines[row["event_id"]] = row["text"]
        missing = [i for i in chunk if i not in lines]
        if missing:
            for row in db.query(f"""
                    SELECT e.id AS event_id, a.text AS text FROM events e JOIN articles a ON a.seq = e.first_seq
                    WHERE e.id IN ({_placeholders(missing)})""", missing):
                lines[row["event_id"]] = first_sentence(row["text"])
    for event in events:
        event["one_liner"] = first_sentence(lines.get(event["id"]) or "", 220)
    return events


def _chunks(values: Sequence[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start:start + size])


def top_entities(db: Database, where: str, params: Sequence[Any], limit: int = 24,
                 named: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The entities most mentioned in the articles of a story or event (``where`` filters ``events e``)."""
    found = _dicts(db, f"""
        SELECT n.id, n.name, n.type, count(*) AS n_mentions
        FROM events e JOIN articles a ON a.event_id = e.id
             JOIN mentions m ON m.article_id = a.id JOIN entities n ON n.id = m.entity_id
        WHERE {where} GROUP BY n.id ORDER BY n_mentions DESC, n.name LIMIT ?""", (*params, limit))
    have = {e["id"] for e in found}
    for name in named:
        if not isinstance(name, str):
            continue
        # the story's key names, each once and each a link: by exact name, else by name or alias ignoring case
        match = db.one("SELECT id, name, type FROM entities WHERE name = ?", (name,)) or db.one(
            "SELECT id, name, type FROM entities WHERE name = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM"
            " json_each(entities.aliases) WHERE value = ? COLLATE NOCASE) ORDER BY mentions DESC LIMIT 1",
            (name, name))
        if match and match["id"] not in have:
            found.append(dict(match) | {"n_mentions": None})
            have.add(match["id"])
    return found


# -- events --------------------------------------------------------------------
def get_event(db: Database, event_id: str) -> dict[str, Any]:
    """An event with its cited summary, folded sources, facts × outlets, quotes by speaker, entities."""
    row = db.one("SELECT id, title, date, start, end, place, keywords, n_articles, n_outlets, story_id"
                 " FROM events WHERE id = ?", (event_id,))
    if row is None:
        raise NotFoundError(f"no event with id {event_id!r}")
    event = dict(row)
    event["keywords"] = _json_list(event["keywords"])
    event["story"] = _story_ref(db, event["story_id"])
    event["sources"] = event_sources(db, event_id)
    numbers = {a["id"]: a["n"] for a in _flatten(event["sources"])}
    event["summary"] = event_summary(db, event_id)
    event["quotes"] = event_quotes(db, event_id)
    for item in [*event["summary"], *(a for sp in event["quotes"] for q in sp["quotes"] for a in q["articles"])]:
        item["n"] = numbers.get(item.get("article_id") or item.get("id"))
    event["columns"], column_of = matrix_columns(event["sources"])
    event["facts"] = event_facts(db, event_id, column_of)
    event["n_facts_shared"] = sum(1 for f in event["facts"] if f["shared"])
    event["n_facts_single"] = len(event["facts"]) - event["n_facts_shared"]
    event["entities"] = top_entities(db, "e.id = ?", (event_id,))
    return event


def matrix_columns(sources: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Columns of the facts matrix: one per outlet when every source names one, else one per original source.

    Returns the columns and a map from article id and outlet name to column key.
    """
    every = _flatten(sources)
    column_of: dict[str, str] = {}
    if every and all(a["outlet"] for a in every):
        columns = [{"key": o, "label": o, "title": o, "by": "outlet"} for o in sorted({a["outlet"] for a in every})]
        for a in every:
            column_of[a["id"]] = column_of[a["outlet"]] = a["outlet"]
        return columns, column_of
    columns = []
    for src in sources:
        columns.append({"key": src["id"], "label": f"[{src['n']}]", "title": src["title"] or src["id"], "by": "source"})
        for a in [src, *src["copies"]]:
            column_of[a["id"]] = src["id"]
    return columns, column_of


def _story_ref(db: Database, story_id: str | None) -> dict[str, Any] | None:
    if not story_id:
        return None
    row = db.one("SELECT id, title FROM stories WHERE id = ?", (story_id,))
    return dict(row) if row else None


def _flatten(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for src in sources for s in [src, *src["copies"]]]


def event_sources(db: Database, event_id: str) -> list[dict[str, Any]]:
    """The event's articles by date, each duplicate copy folded under its original."""
    arts = _dicts(db, """
        SELECT id, title, date, outlet, url, duplicate_of FROM articles WHERE event_id = ?
        UNION SELECT id, title, date, outlet, url, duplicate_of FROM articles
              WHERE duplicate_of IN (SELECT id FROM articles WHERE event_id = ?)
        ORDER BY date, id""", (event_id, event_id))
    by_id = {a["id"]: a for a in arts}
    for art in arts:
        art["href"] = safe_href(art["url"])
        art["copies"] = []
    originals: list[dict[str, Any]] = []
    for art in arts:
        parent = by_id.get(art["duplicate_of"] or "")
        (parent["copies"] if parent is not None and parent is not art else originals).append(art)
    for n, src in enumerate(originals, start=1):       # [n] is how citations and quotes refer to a source
        for art in [src, *src["copies"]]:
            art["n"] = n
    return originals


def event_summary(db: Database, event_id: str) -> list[dict[str, Any]]:
    """The extractive summary, one sentence per row with the article it cites."""
    return _dicts(db, """
        SELECT s.position, s.text, s.article_id, coalesce(s.outlet, a.outlet) AS outlet, a.title AS article_title
        FROM summaries s LEFT JOIN articles a ON a.id = s.article_id
        WHERE s.event_id = ? ORDER BY s.position""", (event_id,))


def event_facts(db: Database, event_id: str, column_of: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Facts of the event with, per matrix column (outlet or source), the sentence that reports it.

    Facts several outlets report come first (``shared``); pages show those and
    fold the single-outlet ones behind a count (:func:`split_facts`).
    """
    column_of = column_of or {}
    rows = db.query("SELECT id, text, sentences, outlets, single_outlet, disagreement, agreement FROM facts"
                    " WHERE event_id = ? ORDER BY id", (event_id,))
    names = _person_names(db, [d for row in rows for d in _json_list(row["disagreement"])])
    facts = []
    for row in rows:
        cells: dict[str, str] = {}
        for sent in _json_list(row["sentences"]):
            if isinstance(sent, dict):
                key = column_of.get(str(sent.get("article_id"))) or column_of.get(str(sent.get("outlet")))
                if key:
                    cells.setdefault(key, str(sent.get("text") or ""))
        for outlet in _json_list(row["outlets"]):
            if column_of.get(str(outlet)):
                cells.setdefault(column_of[str(outlet)], row["text"])
        outlets = [str(o) for o in _json_list(row["outlets"])]
        single = bool(row["single_outlet"]) or len(outlets) < 2
        disagreement = [d for d in _json_list(row["disagreement"]) if not _same_person(d, names)]
        facts.append({"id": row["id"], "text": row["text"], "cells": cells, "outlets": outlets,
                      "single_outlet": single, "shared": not single,
                      "sentences": [x for x in _json_list(row["sentences"]) if isinstance(x, dict)],
                      "agreement": _json_list(row["agreement"]),
                      "disagreement": disagreement,
                      "disagreement_text": [describe_values(d, names) for d in disagreement]})
    return sorted(facts, key=lambda f: -len(f["cells"]))      # the most widely reported facts first


def split_facts(facts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(facts two or more outlets report, single-outlet facts): what a page shows, and what it folds."""
    return [f for f in facts if f["shared"]], [f for f in facts if not f["shared"]]


def _same_person(item: Any, names: dict[str, str]) -> bool:
    """A name "disagreement" whose people have one surname ("Flores" in two articles the resolver kept
    apart): not something the outlets disagree on."""
    if not isinstance(item, dict) or item.get("kind") != "name":
        return False
    shown = {names.get(str(v), str(v)).split()[-1].lower() for v in (item.get("values") or {}).values()
             if names.get(str(v), str(v)).split()}
    return len(shown) <= 1


def _person_names(db: Database, items: list[Any]) -> dict[str, str]:
    """Entity id → name for the people a name disagreement cites (stored as entity ids)."""
    ids = sorted({str(v) for d in items if isinstance(d, dict) and d.get("kind") == "name"
                  for v in (d.get("values") or {}).values()})
    if not ids:
        return {}
    rows = db.query(f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(ids))})", tuple(ids))
    return {r["id"]: r["name"] for r in rows}


_UNCHANGED_PLURALS = {"people", "children", "men", "women", "police", "staff", "dead", "deer", "sheep", "fish"}
_IRREGULAR_PLURALS = {"child": "children", "person": "people", "man": "men", "woman": "women"}


def _plural(unit: str) -> str:
    """A counted unit written for a number above one ("diplomat" → "diplomats", "child" → "children")."""
    if unit in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[unit]
    if unit in _UNCHANGED_PLURALS or unit.endswith(("ed", "s")):
        return unit
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    if unit.endswith(("ch", "sh", "x")):
        return unit + "es"
    return unit + "s"


def _value_phrase(kind: str, unit: str, value: Any, names: dict[str, str]) -> str:
    """One stated value in words: "19 children", "46%", "$3 billion", "the year 2012", "Tuesday 6 April"."""
    if kind == "name":
        return names.get(str(value), str(value))
    number = value if isinstance(value, (int, float)) else None
    if number is None:
        return str(value)
    shown = f"{int(number):,}" if float(number).is_integer() else f"{number:g}"
    if kind == "percent":
        return f"{shown}%"
    if kind == "money":
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(number) >= scale:
                return f"{number / scale:g} {word}"
        return shown
    if kind == "year":
        return f"the year {int(number)}"
    if kind == "count" and unit:
        noun, _, outcome = unit.partition(" ")       # "child killed" → "19 children killed"
        return " ".join(filter(None, (shown, noun if number == 1 else _plural(noun), outcome)))
    return shown


def describe_values(item: Any, names: dict[str, str] | None = None) -> str:
    """A disagreement as a sentence: "19 children: 4 outlets; 20 children: democracynow.org", never raw JSON.

    Values are grouped by what they say, the most widely reported first; more
    than two outlets are counted, fewer named.
    """
    if not isinstance(item, dict):
        return str(item)
    kind, unit = str(item.get("kind") or "value"), str(item.get("unit") or "")
    by_value: dict[str, list[str]] = {}
    for outlet, value in (item.get("values") or {}).items():
        values = value if isinstance(value, (list, tuple, set)) else [value]
        shown = " or ".join(_value_phrase(kind, unit, v, names or {}) for v in values)
        by_value.setdefault(shown, []).append(str(outlet))
    parts = [f"{value}: " + (f"{len(outlets)} outlets" if len(outlets) > 2 else ", ".join(sorted(outlets)))
             for value, outlets in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    about = {"name": "Outlets name different people", "year": "Outlets give different years"}.get(
        kind, "Outlets give different figures")
    return f"{about}: " + "; ".join(parts) if parts else about


def event_quotes(db: Database, event_id: str) -> list[dict[str, Any]]:
    """Quotes of the event grouped by speaker; a quote repeated across articles is shown once."""
    rows = _dicts(db, """
        SELECT q.id, q.text, q.article_id, q.speaker, q.speaker_entity_id, q.group_id, a.outlet, a.date
        FROM quotes q JOIN articles a ON a.id = q.article_id
        WHERE q.rowid IN (SELECT rowid FROM quotes WHERE event_id = ?
                          UNION SELECT q2.rowid FROM articles a2 JOIN quotes q2 ON q2.article_id = a2.id
                                WHERE a2.event_id = ?)
        ORDER BY a.date, q.article_id, q.start""", (event_id, event_id))
    return group_quotes(rows)


def group_quotes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold quote rows into speakers → distinct quotes (by group id) → the articles carrying each."""
    speakers: dict[tuple[Any, Any], dict[str, Any]] = {}
    for q in rows:
        key = (q["speaker_entity_id"], None if q["speaker_entity_id"] else (q["speaker"] or "unattributed"))
        speaker = speakers.setdefault(key, {"speaker": q["speaker"] or "Unattributed",
                                            "entity_id": q["speaker_entity_id"], "quotes": {}})
        group = speaker["quotes"].setdefault(q["group_id"] or q["id"], {"text": q["text"], "articles": []})
        if q["article_id"] not in [a["id"] for a in group["articles"]]:
            group["articles"].append({"id": q["article_id"], "outlet": q["outlet"], "date": q["date"]})
    out = []
    for speaker in speakers.values():
        speaker["quotes"] = list(speaker["quotes"].values())
        out.append(speaker)
    return sorted(out, key=lambda s: -len(s["quotes"]))


# -- entities ------------------------------------------------------------------
def get_entity(db: Database, entity_id: str) -> dict[str, Any]:
    """An entity with its aliases, the events it appears in, its quotes and mentions per month."""
    row = db.one("SELECT id, name, type, aliases, roles, mentions FROM entities WHERE id = ?", (entity_id,))
    if row is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    entity = dict(row)
    entity["aliases"] = [a for a in _json_list(entity["aliases"]) if a != entity["name"]]
    entity["roles"] = _json_list(entity["roles"])
    entity["events"] = _dicts(db, """
        SELECT e.id, e.title, e.date, e.story_id, count(*) AS n_mentions
        FROM mentions m JOIN articles a ON a.id = m.article_id JOIN events e ON e.id = a.event_id
        WHERE m.entity_id = ? GROUP BY e.id ORDER BY coalesce(e.date, '9999'), e.id LIMIT ?""",
                              (entity_id, ENTITY_EVENTS_SHOWN))
    entity["n_events"] = db.scalar("""
        SELECT count(DISTINCT a.event_id) FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE m.entity_id = ?""", (entity_id,))
    quotes = _dicts(db, """
        SELECT q.id, q.text, q.article_id, q.speaker, q.speaker_entity_id, q.group_id, a.outlet, a.date
        FROM quotes q JOIN articles a ON a.id = q.article_id
        WHERE q.speaker_entity_id = ? ORDER BY a.date LIMIT 500""", (entity_id,))
    entity["quotes"] = [q for s in group_quotes(quotes) for q in s["quotes"]]
    about = _dicts(db, """
        SELECT DISTINCT q.id, q.text, q.article_id, q.speaker, q.speaker_entity_id, q.group_id, a.outlet, a.date
        FROM mentions m JOIN quotes q ON q.article_id = m.article_id AND m.start >= q.start AND m.end <= q.end
             JOIN articles a ON a.id = q.article_id
        WHERE m.entity_id = ? AND coalesce(q.speaker_entity_id, '') != ? ORDER BY a.date LIMIT 200""",
                   (entity_id, entity_id))
    entity["quotes_about"] = group_quotes(about)
    entity["timeline"] = [{"date": r["day"], "n": r["n"]} for r in db.query("""
        SELECT substr(a.date, 1, 10) AS day, count(*) AS n FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE m.entity_id = ? AND a.date IS NOT NULL GROUP BY day ORDER BY day""", (entity_id,))]
    return entity


# -- articles ------------------------------------------------------------------
def get_article(db: Database, article_id: str) -> dict[str, Any]:
    """An article with its text cut into plain and entity-marked segments, its event, story and copies."""
    row = db.one("SELECT id, url, title, date, outlet, language, text, duplicate_of, event_id, story_id"
                 " FROM articles WHERE id = ?", (article_id,))
    if row is None:
        raise NotFoundError(f"no article with id {article_id!r}")
    art = dict(row)
    art["href"] = safe_href(art["url"])
    mentions = _dicts(db, """
        SELECT m.start, m.end, m.entity_id, m.label, n.name AS entity_name FROM mentions m
        LEFT JOIN entities n ON n.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start, m.end DESC""",
                      (article_id,))
    art["segments"] = mark_segments(art["text"], mentions)
    art["paragraphs"] = split_paragraphs(art["segments"])
    event = db.one("SELECT id, title, date, story_id FROM events WHERE id = ?", (art["event_id"] or "",))
    art["event"] = dict(event) if event else None
    art["story"] = _story_ref(db, art["story_id"] or (event["story_id"] if event else None))
    art["duplicates"] = _dicts(db, "SELECT id, title, outlet, date FROM articles WHERE duplicate_of = ?"
                                   " ORDER BY date, id", (article_id,))
    original = db.one("SELECT id, title, outlet, date FROM articles WHERE id = ?", (art["duplicate_of"] or "",))
    art["original"] = dict(original) if original else None
    art["entities"] = sorted({(m["entity_id"], m["entity_name"] or "") for m in mentions if m["entity_id"]},
                             key=lambda e: e[1])
    art["legend"] = entity_legend(m["label"] for m in mentions if m["entity_id"])
    return art


# The colour classes of marked names in an article (style.css .ent.*) and what each means, for its legend.
ENTITY_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
                "PLACE": "place"}


def entity_legend(labels: Iterable[str | None]) -> list[dict[str, str]]:
    """One legend entry per colour used: the CSS label class and the kind of name it marks."""
    seen: dict[str, dict[str, str]] = {}
    for label in labels:
        kind = ENTITY_KINDS.get(label or "", "other name")
        seen.setdefault(kind, {"label": label if label in ENTITY_KINDS else "OTHER", "kind": kind})
    order = ["person", "organisation", "place", "other name"]
    return sorted(seen.values(), key=lambda e: order.index(e["kind"]))


def mark_segments(text: str, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut ``text`` into segments; mention offsets out of range or overlapping an earlier one are skipped."""
    segments: list[dict[str, Any]] = []
    pos = 0
    for m in mentions:
        start, end = m["start"], m["end"]
        if not (isinstance(start, int) and isinstance(end, int)) or start < pos or end <= start or end > len(text):
            continue
        if start > pos:
            segments.append({"text": text[pos:start]})
        segments.append({"text": text[start:end], "entity_id": m["entity_id"], "label": m["label"],
                         "name": m.get("entity_name")})
        pos = end
    if pos < len(text):
        segments.append({"text": text[pos:]})
    return segments


def split_paragraphs(segments: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group segments into paragraphs at blank lines so long texts read as prose."""
    paragraphs: list[list[dict[str, Any]]] = [[]]
    for seg in segments:
        if seg.get("entity_id") is not None or "\n\n" not in seg["text"]:
            paragraphs[-1].append(seg)
            continue
        parts = re.split(r"\n\s*\n", seg["text"])
        for i, part in enumerate(parts):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append({"text": part})
    return [p for p in paragraphs if any(s["text"].strip() for s in p)]


# -- search --------------------------------------------------------------------
def fts_query(text: str | None, any_word: bool = False) -> str | None:
    """User input as a safe FTS5 query: every word token double-quoted, ANDed (or ORed); None when no token.

    Quoting each token means no FTS5 syntax (NEAR, OR, column filters,
    unbalanced quotes) from the user ever reaches the parser.
    """
    tokens = _TOKEN.findall(text or "")[:32]
    return (" OR " if any_word else " ").join(f'"{t}"' for t in tokens) or None


def search(db: Database, q: str | None = None, entity: str | None = None, outlet: str | None = None,
           date_from: str | None = None, date_to: str | None = None, limit: int = PAGE_SIZE,
           page: int = 1) -> dict[str, Any]:
    """Ranked full-text search (bm25, title weighted) with snippets, filtered by entity, outlet and dates.

    ``total`` is the true count of matches (not capped at ``limit``); ``page`` pages through them.
    """
    match = fts_query(q)
    where, params = _search_filters(entity, outlet, parse_date(date_from), parse_date(date_to))
    page = max(1, page)
    offset = (page - 1) * limit
    total, any_word = _count(db, match, where, params), False
    if not total and match and " " in match:
        # no article has every word: rank those with any of them rather than show nothing
        match, any_word = fts_query(q, any_word=True), True
        total = _count(db, match, where, params)
    results = _ranked(db, match, where, params, limit, offset) if total else []
    for r in results:
        r["snippet"] = snippet_segments(r["snippet"] or "")
    return {"q": q or "", "query": match, "any_word": any_word, "results": results, "total": total,
            "page": page, "page_size": limit, "pages": max(1, -(-total // limit)),
            "filters": {"entity": entity, "outlet": outlet, "date_from": date_from, "date_to": date_to},
            "outlets": [r[0] for r in db.query("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL"
                                               " ORDER BY outlet LIMIT 500")],
            "entity_name": db.scalar("SELECT name FROM entities WHERE id = ? OR name = ? COLLATE NOCASE",
                                     (entity or "", entity or ""))}


def _count(db: Database, match: str | None, where: str, params: list[Any]) -> int:
    """How many articles match the FTS query and filters (the true total behind one page of results)."""
    if match:
        return db.scalar("SELECT count(*) FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                         f" WHERE articles_fts MATCH ? {where}", (match, *params)) or 0
    if where:
        return db.scalar(f"SELECT count(*) FROM articles a WHERE 1 {where}", params) or 0
    return 0


def _ranked(db: Database, match: str | None, where: str, params: list[Any], limit: int,
            offset: int = 0) -> list[dict[str, Any]]:
    """Articles matching the FTS query (bm25, title weighted 4x) and filters; filters alone sort by date."""
    if match:
        sql = f"""
            SELECT a.id, a.title, a.date, a.outlet, a.event_id, a.duplicate_of,
                   snippet(articles_fts, 1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 24) AS snippet,
                   bm25(articles_fts, 4.0, 1.0) AS score
            FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
            WHERE articles_fts MATCH ? {where} ORDER BY score, a.seq LIMIT ? OFFSET ?"""
        return _dicts(db, sql, (match, *params, limit, offset))
    if where:
        return _dicts(db, f"SELECT a.id, a.title, a.date, a.outlet, a.event_id, a.duplicate_of,"
                          f" substr(a.text, 1, 200) AS snippet, 0.0 AS score FROM articles a"
                          f" WHERE 1 {where} ORDER BY a.date DESC, a.seq LIMIT ? OFFSET ?", (*params, limit, offset))
    return []


def _search_filters(entity: str | None, outlet: str | None, start: dt.date | None,
                    end: dt.date | None) -> tuple[str, list[Any]]:
    """SQL conditions on ``articles a`` and their parameters (always bound, never formatted)."""
    where, params = "", []
    if entity:   # an entity id, or a name typed by the user (any entity of that name, case-insensitive)
        where += (" AND a.id IN (SELECT article_id FROM mentions WHERE entity_id IN"
                  " (SELECT id FROM entities WHERE id = ? OR name = ? COLLATE NOCASE))")
        params += [entity, entity]
    if outlet:
        where += " AND a.outlet = ?"
        params.append(outlet)
    if start:
        where += " AND a.date >= ?"
        params.append(start.isoformat())
    if end:
        where += " AND a.date <= ?"
        params.append(end.isoformat() + "T99")
    return where, params


def snippet_segments(snippet: str) -> list[dict[str, Any]]:
    """An FTS5 snippet as segments with ``hit`` flags, so templates escape every character."""
    segments = []
    for i, part in enumerate(re.split(f"[{SNIPPET_OPEN}{SNIPPET_CLOSE}]", snippet)):
        if part:
            segments.append({"text": part, "hit": i % 2 == 1})
    return segments
