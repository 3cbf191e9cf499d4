"""Test databases for the web layer, written straight into the schema.

``synthetic_seeds_db`` stores the five seeds and hand-made rows for every later
stage, so the pages can be tested before (or without) the real build; the
browser tests prefer the real ``seeds_db`` when the build stages produce
stories. ``add_hostile_article`` adds an article, event, story, entity, quote,
fact and summary whose every text field carries an XSS payload.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from storyline.records import Article
from storyline.store import Database, write_batch

XSS = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
       '<a href="javascript:window.__xss=3">click me</a>"><svg onload="window.__xss=4">'
       "'><iframe srcdoc=\"<script>parent.__xss=5</script>\">")
XSS_URL = "javascript:window.__xss=6"


def _seed_article(path: Path) -> Article:
    """A seed file as an article: optional `` date YYYY-MM-DD`` header, title = first short line."""
    text = path.read_text(encoding="utf-8")
    day = None
    match = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\s*", text)
    if match:
        day, text = dt.date.fromisoformat(match.group(1)), text[match.end():]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = next((ln for ln in lines if 20 < len(ln) < 120), lines[0][:100])
    return Article(id=path.stem, text=text.strip(), title=title, date=day or dt.date(2023, 5, 4),
                   outlet=f"Outlet {path.stem[:3]}", url=f"https://news.example/{path.stem}",
                   content_hash=hashlib.sha1(text.encode()).hexdigest(), source=str(path))


def synthetic_seeds_db(path: Path, seeds_dir: Path) -> Path:
    """The seeds plus two events, one story and understanding rows, as the real build would write them."""
    db = Database(path)
    arts = [_seed_article(p) for p in sorted(seeds_dir.glob("*.txt"))]
    write_batch(db, arts, [], None)
    ids = [a.id for a in arts]
    first, second = ids[:4], ids[4:]
    with db.transaction() as conn:
        conn.execute("INSERT INTO stories(id, title, start, end, entities, n_events)"
                     " VALUES ('s1', 'Pakistan and Russia foreign ministers meet', '2021-04-07',"
                     " '2023-05-04', ?, 2)", (json.dumps(["Sergey Lavrov", "Pakistan"]),))
        for eid, title, day, members in (("e2021", "Lavrov visits Islamabad for talks with Qureshi", "2021-04-07",
                                          first),
                                         ("e2023", "Bilawal meets Lavrov at SCO meeting in Goa", "2023-05-04", second)):
            seqs = [conn.execute("SELECT seq FROM articles WHERE id = ?", (i,)).fetchone()[0] for i in members]
            conn.execute("INSERT INTO events(id, title, date, start, end, n_articles, n_outlets, story_id, first_seq)"
                         " VALUES (?,?,?,?,?,?,?,?,?)", (eid, title, day, day, day, len(members), len(members), "s1",
                                                          min(seqs)))
            marks = ",".join("?" * len(members))
            conn.execute(f"UPDATE articles SET event_id = ?, story_id = 's1' WHERE id IN ({marks})", (eid, *members))
            texts = {i: conn.execute("SELECT text, outlet FROM articles WHERE id = ?", (i,)).fetchone()
                     for i in members}
            for pos, aid in enumerate(members[:3]):
                sentence = re.split(r"(?<=[.!?])\s+", texts[aid][0].split("\n")[-1])[0][:200]
                conn.execute("INSERT INTO summaries(event_id, position, text, article_id, outlet) VALUES (?,?,?,?,?)",
                             (eid, pos, sentence, aid, texts[aid][1]))
            conn.execute("INSERT INTO facts(id, event_id, text, sentences, outlets, single_outlet, disagreement)"
                         " VALUES (?,?,?,?,?,?,?)",
                         (f"f-{eid}", eid, "The ministers held talks.",
                          json.dumps([{"article_id": a, "outlet": texts[a][1], "text": "They held talks."}
                                      for a in members[:2]]),
                          json.dumps([texts[a][1] for a in members[:2]]), int(len(members) == 1), "[]"))
        conn.execute("INSERT INTO entities(id, name, type, aliases, roles, mentions)"
                     " VALUES ('lavrov', 'Sergey Lavrov', 'PERSON', ?, '[]', 0)",
                     (json.dumps(["Lavrov", "Sergei Lavrov"]),))
        for aid in ids:
            text = conn.execute("SELECT text FROM articles WHERE id = ?", (aid,)).fetchone()[0]
            for m in re.finditer(r"Lavrov", text):
                conn.execute("INSERT INTO mentions(article_id, entity_id, start, end, text, label)"
                             " VALUES (?,?,?,?,?,?)",
                             (aid, "lavrov", m.start(), m.end(), m.group(), "PERSON"))
            quote = re.search(r"[\"“]([^\"”]{20,200})[\"”]", text)
            if quote:
                conn.execute("INSERT INTO quotes(id, text, article_id, start, end, speaker, speaker_entity_id,"
                             " group_id, event_id) VALUES (?,?,?,?,?,?,?,?,?)",
                             (f"q-{aid}", quote.group(1), aid, quote.start(1), quote.end(1), "Lavrov", "lavrov",
                              None, "e2021" if aid in first else "e2023"))
        conn.execute("UPDATE entities SET mentions = (SELECT count(*) FROM mentions WHERE entity_id = 'lavrov')")
    db.close()
    return path


def add_hostile_article(path: Path) -> dict[str, str]:
    """An article (and rows of every later stage) whose texts carry script payloads; returns its ids."""
    db = Database(path)
    art = Article(id="xss-1", title=f"Hostile {XSS}", text=f"Hostile text {XSS}\n\nSecond paragraph {XSS} end.",
                  url=XSS_URL, outlet=f"Evil {XSS}", date=dt.date(2022, 1, 1),
                  content_hash=hashlib.sha1(XSS.encode()).hexdigest())
    write_batch(db, [art], [], None)
    with db.transaction() as conn:
        conn.execute("INSERT INTO stories(id, title, start, end, entities, n_events)"
                     " VALUES ('sx', ?, '2022-01-01', '2022-01-01', ?, 1)", (f"Story {XSS}", json.dumps([XSS])))
        conn.execute("INSERT INTO events(id, title, date, start, end, n_articles, n_outlets, story_id, first_seq,"
                     " keywords) VALUES ('ex', ?, '2022-01-01', '2022-01-01', '2022-01-01', 1, 1, 'sx',"
                     " (SELECT seq FROM articles WHERE id = 'xss-1'), ?)", (f"Event {XSS}", json.dumps([XSS])))
        conn.execute("UPDATE articles SET event_id = 'ex', story_id = 'sx' WHERE id = 'xss-1'")
        conn.execute("INSERT INTO entities(id, name, type, aliases, roles, mentions)"
                     " VALUES ('nx', ?, 'PERSON', ?, ?, 1)",
                     (f"Name {XSS}", json.dumps([XSS]), json.dumps([XSS])))
        conn.execute("INSERT INTO mentions(article_id, entity_id, start, end, text, label)"
                     " VALUES ('xss-1', 'nx', 0, 7, 'Hostile', ?)", (XSS,))
        conn.execute("INSERT INTO quotes(id, text, article_id, start, end, speaker, speaker_entity_id, group_id,"
                     " event_id) VALUES ('qx', ?, 'xss-1', 0, 8, ?, 'nx', NULL, 'ex')", (XSS, XSS))
        conn.execute("INSERT INTO facts(id, event_id, text, sentences, outlets, single_outlet, disagreement)"
                     " VALUES ('fx', 'ex', ?, ?, ?, 1, ?)",
                     (XSS, json.dumps([{"article_id": "xss-1", "outlet": XSS, "text": XSS}]), json.dumps([XSS]),
                      json.dumps([XSS])))
        conn.execute("INSERT INTO summaries(event_id, position, text, article_id, outlet)"
                     " VALUES ('ex', 0, ?, 'xss-1', ?)", (XSS, XSS))
    db.close()
    return {"article": "xss-1", "event": "ex", "story": "sx", "entity": "nx"}


def add_many(path: Path, n: int = 120) -> dict[str, int]:
    """``n`` more articles (4 outlets, events of 3), ``n`` entities and ``n`` Lavrov quotes: every index pages.

    Outlet ``Wire D`` never covers the events of the first half, which A, B
    and C share: those are its blindspots. Returns the expected counts.
    """
    db = Database(path)
    outlets = ["Wire A", "Wire B", "Wire C", "Wire D"]
    arts = []
    for i in range(n):
        outlet = outlets[i % 3] if i < n // 2 else ["Wire A", "Wire D", "Wire B"][i % 3]
        text = (f"Sergey Lavrov met delegation number {i} in Moscow.\n\n"
                f"\u201cWe discussed item {i} of the pipeline agenda at length today,\u201d Lavrov said.")
        arts.append(Article(id=f"many-{i:03d}", title=f"Lavrov talks round {i}", text=text, outlet=outlet,
                            date=dt.date(2024, 1, 1) + dt.timedelta(days=i // 3), url=f"https://wire.example/{i}",
                            content_hash=hashlib.sha1(text.encode()).hexdigest()))
    write_batch(db, arts, [], None)
    with db.transaction() as conn:
        for e in range(n // 3):
            members = [f"many-{i:03d}" for i in range(3 * e, 3 * e + 3)]
            first = conn.execute("SELECT min(seq) FROM articles WHERE id IN (?,?,?)", members).fetchone()[0]
            n_outlets = conn.execute("SELECT count(DISTINCT outlet) FROM articles WHERE id IN (?,?,?)",
                                     members).fetchone()[0]
            conn.execute("INSERT INTO events(id, title, date, start, end, n_articles, n_outlets, story_id, first_seq)"
                         " VALUES (?,?,?,?,?,3,?,NULL,?)", (f"many-e{e:02d}", f"Moscow round {e}",
                                                           (dt.date(2024, 1, 1) + dt.timedelta(days=e)).isoformat(),
                                                           None, None, n_outlets, first))
            conn.execute("UPDATE articles SET event_id = ? WHERE id IN (?,?,?)", (f"many-e{e:02d}", *members))
        for i in range(n):
            conn.execute("INSERT INTO entities(id, name, type, aliases, roles, mentions) VALUES (?,?,?,?,'[]',?)",
                         (f"many-n{i:03d}", f"Delegate {i:03d}", "PERSON" if i % 2 else "ORG", "[]", n - i))
            conn.execute("INSERT INTO quotes(id, text, article_id, start, end, speaker, speaker_entity_id, group_id,"
                         " event_id) VALUES (?,?,?,0,10,'Lavrov','lavrov',NULL,?)",
                         (f"many-q{i:03d}", f"We discussed item {i} of the pipeline agenda at length today,",
                          f"many-{i:03d}", f"many-e{i // 3:02d}"))
    db.close()
    return {"articles": n, "entities": n, "quotes": n, "events": n // 3, "blindspots_d": (n // 2) // 3}
