"""/events: every event, filtered by date range, outlet and entity, with the true total."""
from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient


def test_events_index_filters_and_counts(seeds_db: Path) -> None:
    import storyline
    from storyline.web.app import create_app

    sl = storyline.open(seeds_db, readonly=True)
    events = {r["id"]: r["date"] for r in sl.db.query("SELECT id, date FROM events")}
    lavrov = sl.db.scalar("SELECT id FROM entities WHERE name LIKE '%Lavrov%' ORDER BY mentions DESC LIMIT 1")
    sl.close()
    client = TestClient(create_app(seeds_db), base_url="http://localhost")
    every = client.get("/events")
    assert every.status_code == 200 and f"{len(events)} events" in every.text
    assert all(f'data-event-id="{e}"' in every.text for e in events)
    only_2021 = client.get("/events", params={"from": "2021-01-01", "to": "2021-12-31"}).text
    shown = [e for e in events if f'data-event-id="{e}"' in only_2021]
    assert shown == [e for e, d in events.items() if d.startswith("2021")] and "1 event" in only_2021
    by_entity = client.get("/events", params={"entity": lavrov}).text
    assert all(f'data-event-id="{e}"' in by_entity for e in events)
    none = client.get("/events", params={"outlet": "no-such-outlet"}).text
    assert "0 events" in none and "No events match" in none
    assert client.get("/events", params={"from": "not-a-date"}).status_code == 200
