"""User corrections of entities: merge, split, rename, stored and applied after each resolution."""
from __future__ import annotations

import json

import pytest

from storyline.errors import InputError, NotFoundError
from storyline.store import Database
from storyline.understand.corrections import add_correction, apply_corrections, corrections
from storyline.understand.entities import EntityResolver, RawMention


def _resolved() -> tuple[list, list[RawMention]]:
    ms = [RawMention("a", 0, 13, "Imran Khan", "PERSON"), RawMention("a", 20, 25, "Khan", "PERSON"),
          RawMention("b", 0, 12, "Imran Ismail", "PERSON"), RawMention("c", 0, 7, "PM Imran", "PERSON")]
    r = EntityResolver().fit(ms)
    return r.entities_, ms


def test_merge_rename_and_split_change_entities_and_mention_ids() -> None:
    ents, ms = _resolved()
    names = {e.name for e in ents}
    assert {"Imran Khan", "Imran Ismail"} <= names
    out = apply_corrections(ents, ms, [("merge", "Imran Khan", "PM Imran"),
                                       ("rename", "Imran Khan", "Imran Ahmed Khan Niazi")])
    khan = next(e for e in out if e.name == "Imran Ahmed Khan Niazi")
    assert "Imran Khan" in khan.aliases and not any(e.name == "PM Imran" for e in out)
    assert {m.entity_id for m in ms if m.article_id in ("a", "c")} == {khan.id}
    out = apply_corrections(out, ms, [("split", "Imran Ahmed Khan Niazi", "Khan")])
    lone = next(e for e in out if e.name == "Khan")
    assert lone.mentions == 1 and ms[1].entity_id == lone.id and ms[0].entity_id == khan.id


def test_corrections_are_checked_and_stored_in_order(tmp_path) -> None:
    db = Database(tmp_path / "s.db")
    with db.transaction() as conn:
        conn.execute("INSERT INTO entities(id, name, type, aliases, roles, mentions) VALUES (?,?,?,?,?,?)",
                     ("e1", "Imran Khan", "PERSON", json.dumps(["Khan"]), "[]", 2))
        conn.execute("INSERT INTO entities(id, name, type, aliases, roles, mentions) VALUES (?,?,?,?,?,?)",
                     ("e2", "Imran Ismail", "PERSON", "[]", "[]", 1))
    with pytest.raises(NotFoundError):
        add_correction(db, "merge", "Nobody", "Imran Khan")
    with pytest.raises(InputError):
        add_correction(db, "split", "Imran Khan", "Ismail")
    add_correction(db, "rename", "Imran Khan", "Imran Ahmed Khan Niazi")
    add_correction(db, "split", "Imran Khan", "Khan")
    assert corrections(db) == [("rename", "Imran Khan", "Imran Ahmed Khan Niazi"), ("split", "Imran Khan", "Khan")]
