"""The facts panel (issue 10, item 4): facts two or more outlets report first, single-outlet ones folded
behind a count, disagreements as sentences, never raw JSON, on the web page, in the report and the CLI."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.cli.main import cli
from storyline.report import render_report
from storyline.store import Database
from storyline.views.pages import describe_values, get_event, split_facts
from storyline.web import create_app

RAW_JSON = re.compile(r'\{\s*"(?:kind|unit|values)"|"unit"\s*:')


def test_a_disagreement_reads_as_a_sentence_with_units_and_names() -> None:
    counts = {"kind": "count", "unit": "child killed",
              "values": {"a.com": 19, "b.com": 19, "c.com": 19, "d.com": 19, "democracynow.org": 20}}
    text = describe_values(counts)
    assert text == ("Outlets give different figures: 19 children killed: 4 outlets; "
                    "20 children killed: democracynow.org")
    people = describe_values({"kind": "name", "unit": "person", "values": {"A": "e-1", "B": "e-2"}},
                             {"e-1": "Jan Berg", "e-2": "Ole Lund"})
    assert people == "Outlets name different people: Jan Berg: A; Ole Lund: B"
    assert describe_values({"kind": "percent", "unit": "", "values": {"A": 46, "B": 64}}) == \
        "Outlets give different figures: 46%: A; 64%: B"


def test_plural_units_are_written_as_words() -> None:
    text = describe_values({"kind": "count", "unit": "diplomat", "values": {"A": 2, "B": 3}})
    assert text == "Outlets give different figures: 2 diplomats: A; 3 diplomats: B"


def _with_facts(path: Path) -> str:
    """Replace the facts of the seeds' largest event by two shared facts (one with a disagreement) and
    three single-outlet ones; returns the event id."""
    db = Database(path)
    event_id = db.scalar("SELECT id FROM events ORDER BY n_articles DESC, id LIMIT 1")
    arts = db.query("SELECT id, outlet FROM articles WHERE event_id = ? AND duplicate_of IS NULL", (event_id,))
    a, b = arts[0], arts[-1]
    rows = [
        ("f-shared-1", "Twelve people were killed.", [a, b], [{"kind": "count", "unit": "people",
                                                               "values": {a["outlet"] or a["id"]: 12,
                                                                          b["outlet"] or b["id"]: 15}}]),
        ("f-shared-2", "The talks lasted two days.", [a, b], []),
        *((f"f-single-{i}", f"Only one outlet says thing {i}.", [a], []) for i in range(3)),
    ]
    with db.transaction() as conn:
        conn.execute("DELETE FROM facts WHERE event_id = ?", (event_id,))
        for fid, text, members, disagreement in rows:
            outlets = sorted({m["outlet"] or m["id"] for m in members})
            conn.execute("INSERT INTO facts(id, event_id, text, sentences, outlets, single_outlet, disagreement,"
                         " agreement) VALUES (?,?,?,?,?,?,?,?)",
                         (fid, event_id, text, json.dumps([{"article_id": m["id"], "outlet": m["outlet"] or m["id"],
                                                            "text": text} for m in members]),
                          json.dumps(outlets), int(len(outlets) == 1), json.dumps(disagreement), "[]"))
    db.close()
    return str(event_id)


def test_single_outlet_facts_are_folded_on_every_surface(seeds_db_copy: Path) -> None:
    event_id = _with_facts(seeds_db_copy)
    db = Database(seeds_db_copy, readonly=True)
    event = get_event(db, event_id)
    shared, single = split_facts(event["facts"])
    assert [f["id"] for f in shared] == ["f-shared-1", "f-shared-2"] and len(single) == 3
    assert event["n_facts_shared"] == 2 and event["n_facts_single"] == 3

    page = TestClient(create_app(seeds_db_copy), base_url="http://localhost").get(f"/events/{event_id}").text
    assert "reported by one outlet only" in page
    shown, folded = page.split("reported by one outlet only", 1)
    assert "3 facts" in shown[-200:] and "Only one outlet says thing 0." in folded
    assert "Only one outlet says thing" not in shown and "Twelve people were killed." in shown
    assert "12 people" in html.unescape(page) and "15 people" in html.unescape(page)
    assert not RAW_JSON.search(html.unescape(page))

    report = html.unescape(render_report(db))
    assert "3 facts reported by one outlet only" in report and not RAW_JSON.search(report)
    db.close()

    runner = CliRunner()
    plain = runner.invoke(cli, ["--db", str(seeds_db_copy), "event", event_id], catch_exceptions=False).stdout
    assert "2 reported by two or more outlets, 3 by one" in plain and "12 people" in plain
    grid = runner.invoke(cli, ["--db", str(seeds_db_copy), "event", event_id, "--facts"],
                         catch_exceptions=False).stdout
    assert "Only one outlet says" not in grid and "3 facts reported by one outlet only" in grid
    full = runner.invoke(cli, ["--db", str(seeds_db_copy), "event", event_id, "--all-facts"],
                         catch_exceptions=False).stdout
    assert "Only one outlet says" in full
    for out in (plain, grid, full):
        assert not RAW_JSON.search(out)


def test_one_surname_in_two_articles_is_no_name_disagreement() -> None:
    from storyline.views.pages import _same_person

    names = {"e-1": "Flores", "e-2": "Esteban Flores", "e-3": "Marcus Butler"}
    assert _same_person({"kind": "name", "values": {"A": "e-1", "B": "e-2"}}, names)
    assert not _same_person({"kind": "name", "values": {"A": "e-2", "B": "e-3"}}, names)
    assert not _same_person({"kind": "count", "unit": "people", "values": {"A": 1, "B": 2}}, names)
    assert describe_values({"kind": "count", "unit": "shooting", "values": {"A": 1, "B": 3}}) == \
        "Outlets give different figures: 1 shooting: A; 3 shootings: B"
