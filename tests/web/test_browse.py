"""/entities, /quotes, /outlets and search over everything: true totals, paging past 50, filters, JSON twins."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def many(many_db: tuple[Path, dict[str, int]]) -> tuple[TestClient, dict[str, int]]:
    from storyline.web.app import create_app

    return TestClient(create_app(many_db[0]), base_url="http://localhost"), many_db[1]


def _ids(html: str, attr: str) -> list[str]:
    return re.findall(rf'{attr}="([^"]+)"', html)


def test_entities_index_counts_pages_and_filters(many) -> None:
    client, n = many
    first = client.get("/entities").text
    total = n["entities"] + 1      # + Sergey Lavrov from the seeds rows
    assert f"{total} entities" in first and len(_ids(first, "data-entity-id")) == 50 and 'rel="next"' in first
    last = client.get("/entities", params={"page": 3}).text
    assert len(_ids(last, "data-entity-id")) == total - 100 and 'rel="next"' not in last
    assert not set(_ids(first, "data-entity-id")) & set(_ids(last, "data-entity-id"))
    people = client.get("/api/entities", params={"type": "person"}).json()
    assert people["total"] == n["entities"] // 2 + 1 and {e["type"] for e in people["entities"]} == {"PERSON"}
    named = client.get("/api/entities", params={"name": "delegate 007"}).json()
    assert [e["id"] for e in named["entities"]] == ["many-n007"]
    assert client.get("/api/entities", params={"name": "Sergei"}).json()["entities"][0]["id"] == "lavrov"  # alias


def test_quotes_index_by_speaker_with_search(many) -> None:
    client, n = many
    everything = client.get("/api/quotes").json()
    assert everything["total"] >= n["quotes"] and everything["pages"] >= 3 and len(everything["quotes"]) == 50
    by_speaker = client.get("/api/quotes", params={"speaker": "Sergey Lavrov"}).json()
    assert by_speaker["total"] >= n["quotes"] and {q["entity_id"] for q in by_speaker["quotes"]} == {"lavrov"}
    words = client.get("/api/quotes", params={"speaker": "lavrov", "q": "item 42 of"}).json()
    assert [q["id"] for q in words["quotes"]] == ["many-q042"]
    page = client.get("/quotes", params={"speaker": "lavrov", "page": 2}).text
    assert "page 2 of" in page and 'rel="prev"' in page and "speaker=lavrov" in page


def test_outlets_index_and_blindspots(many) -> None:
    client, n = many
    outlets = {o["outlet"]: o for o in client.get("/api/outlets").json()["outlets"]}
    d, c = outlets["Wire D"], outlets["Wire C"]
    # the seeds event e2021 (four seed outlets) is everyone's blindspot; C also misses the second half's events
    assert outlets["Wire A"]["blindspots"] == 1 and d["blindspots"] == n["blindspots_d"] + 1
    assert c["blindspots"] == n["events"] - n["blindspots_d"] + 1
    assert d["events"] == n["events"] - n["blindspots_d"]
    one = client.get("/api/outlets/Wire D").json()
    assert one["total"] == n["blindspots_d"] + 1 and all(e["n_outlets"] >= 2 for e in one["blindspots"])
    missed = {e["id"] for e in one["blindspots"]}
    assert missed == {f"many-e{e:02d}" for e in range(n["blindspots_d"])} | {"e2021"}
    html = client.get("/outlets").text
    assert 'href="/outlets/Wire%20D"' in html and "Blindspots" in html
    assert client.get("/outlets/no such outlet").status_code == 404


def test_search_true_totals_groups_and_next_page(many) -> None:
    client, n = many
    first = client.get("/api/search", params={"q": "Lavrov"}).json()
    assert first["total"] > 50 and len(first["results"]) == 50 and first["pages"] >= 2
    second = client.get("/api/search", params={"q": "Lavrov", "page": 2}).json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert len(second["results"]) == min(50, first["total"] - 50)
    assert first["groups"]["quotes"]["total"] >= n["quotes"] and first["groups"]["entities"]["total"] == 1
    html = client.get("/search", params={"q": "Lavrov"}).text
    assert f"{first['total']} articles" in html and 'rel="next"' in html
    quotes = client.get("/search", params={"q": "Lavrov", "kind": "quotes", "page": 3}).text
    assert "page 3 of" in quotes and len(_ids(quotes, "data-quote-id")) == first["groups"]["quotes"]["total"] - 100
    events = client.get("/api/search", params={"q": "Moscow round", "kind": "events"}).json()["groups"]["events"]
    assert events["total"] == n["events"]
    assert client.get("/api/search", params={"q": "%_"}).json()["groups"]["quotes"]["total"] == 0


def test_story_chips_link_once_and_article_legend(web_db: Path) -> None:
    from storyline.web.app import create_app

    client = TestClient(create_app(web_db), base_url="http://localhost")
    story = client.get("/stories/s1").text
    chips = re.findall(r'<(a|span) class="pill"[^>]*>([^<]+)<', story)
    assert chips and all(tag == "a" for tag, _ in chips)
    assert len([name for _, name in chips]) == len({name for _, name in chips})
    first_hit = client.get("/api/search", params={"q": "Lavrov"}).json()["results"][0]["id"]
    article = client.get("/articles/" + first_hit).text
    assert 'id="entity-legend"' in article and '<span class="ent PERSON">person</span>' in article


def test_report_budget_lists_the_rest_by_title_and_folds_events(hostile_db) -> None:
    from storyline.report import render_report
    from storyline.store import Database

    db = Database(hostile_db[0], readonly=True)
    full, tight = render_report(db), render_report(db, budget=1)
    db.close()
    assert full.count('class="report-story"') == 2 and "more stor" not in full
    assert tight.count('class="report-story"') == 1 and 'id="more-stories"' in tight and "1 more story" in tight
    assert '<details class="event-details">' in tight and len(tight) < len(full)
