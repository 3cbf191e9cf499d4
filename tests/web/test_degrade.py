"""Pages degrade gracefully where later stages have not run (no events, no stories, no understanding)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from storyline.records import Article
from storyline.store import Database, write_batch
from storyline.web import create_app


def _articles_only(path: Path) -> Path:
    db = Database(path)
    write_batch(db, [Article(id=f"a{i}", title=f"Title {i}", text=f"Body about the harbour number {i}. " * 5,
                             date=dt.date(2024, 1, 1 + i), content_hash=f"h{i}") for i in range(3)], [], None)
    db.close()
    return path


def test_only_ingested_articles(tmp_path: Path) -> None:
    client = TestClient(create_app(_articles_only(tmp_path / "a.db")), base_url="http://localhost")
    home = client.get("/")
    assert home.status_code == 200 and "storyline build" in home.text
    assert client.get("/articles/a1").status_code == 200
    assert "Not assigned to an event yet" in client.get("/articles/a1").text
    hits = client.get("/api/search", params={"q": "harbour"}).json()["results"]
    assert len(hits) == 3
    assert client.get("/api/stories").json()["stories"] == []


def test_events_without_stories_or_understanding(tmp_path: Path) -> None:
    path = _articles_only(tmp_path / "e.db")
    db = Database(path)
    with db.transaction() as conn:
        conn.execute("INSERT INTO events(id, title, date, n_articles, n_outlets, first_seq)"
                     " VALUES ('e1', 'Harbour', '2024-01-02', 3, 1, 1)")
        conn.execute("UPDATE articles SET event_id = 'e1'")
    db.close()
    client = TestClient(create_app(path), base_url="http://localhost")
    home = client.get("/").text
    assert "/events/e1" in home and "No stories yet" in home
    event = client.get("/events/e1")
    assert event.status_code == 200
    for note in ("No summary yet", "No facts extracted yet", "No quotes extracted yet", "No entities extracted yet"):
        assert note in event.text
    assert event.text.count('class="source"') == 3
    data = client.get("/api/events/e1").json()
    assert data["summary"] == [] and data["facts"] == [] and data["quotes"] == [] and data["entities"] == []


def test_empty_database(tmp_path: Path) -> None:
    Database(tmp_path / "empty.db").close()
    client = TestClient(create_app(tmp_path / "empty.db"), base_url="http://localhost")
    for path in ("/", "/search", "/search?q=anything", "/api/stories", "/docs"):
        assert client.get(path).status_code == 200, path
