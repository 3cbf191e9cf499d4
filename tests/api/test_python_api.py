"""The Python API (`storyline.open`) over the built seeds: what the CLI and the README promise from Python."""
from __future__ import annotations

from pathlib import Path

import pytest

import storyline
from storyline.errors import NotFoundError


def test_reads_of_a_built_db(seeds_db: Path) -> None:
    sl = storyline.open(seeds_db, readonly=True)
    stats = sl.stats()
    assert stats["articles"] == 5 and stats["events"] == 2 and stats["stories"] == 1
    events = sl.events()
    assert [len(e["article_ids"]) for e in events] == [4, 1]          # time order: 2021 visit, then Goa 2023
    story = sl.stories()[0]
    assert story["event_ids"] == [e["id"] for e in events]
    assert [e["id"] for e in sl.timeline(story["id"])] == story["event_ids"]
    event = sl.event(events[0]["id"])
    assert {a["id"] for src in event["sources"] for a in [src, *src["copies"]]} == set(events[0]["article_ids"])
    assert sl.entity("Lavrov")["name"] == "Sergey Lavrov"
    assert all(q["speaker_entity_id"] == sl.entity("Lavrov")["id"] for q in sl.quotes(speaker="Lavrov"))
    sl.close()


def test_unknown_ids_raise_not_found(seeds_db: Path) -> None:
    sl = storyline.open(seeds_db, readonly=True)
    for call in (lambda: sl.event("ev-nope"), lambda: sl.timeline("st-nope"), lambda: sl.entity("Nobody Atall"),
                 lambda: sl.article("nope")):
        with pytest.raises(NotFoundError):
            call()
    sl.close()
