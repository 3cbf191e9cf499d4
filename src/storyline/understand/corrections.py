"""A user's corrections of entity resolution, kept in the store and applied after every resolution.

``storyline entities merge A B`` (B becomes part of A), ``split A FORM`` (the
mentions written FORM leave A and become their own entity) and ``rename A
NAME`` are stored in ``entity_corrections`` in the order given. Entities are
named, not numbered, so a correction still finds its entity after a rebuild
re-resolves the corpus; one that no longer finds it is skipped (its entity
is gone), never an error in a build.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence

from ..errors import InputError, NotFoundError
from ..records import Entity
from ..store import Database
from .entities import RawMention, display_form

ACTIONS = ("merge", "split", "rename")


def add_correction(db: Database, action: str, a: str, b: str) -> None:
    """Record a correction after checking that it names existing entities (and forms)."""
    if action not in ACTIONS:
        raise InputError(f"unknown correction {action!r}; choose from {', '.join(ACTIONS)}")
    entities = [_entity_row(r) for r in db.query("SELECT id, name, type, aliases FROM entities")]
    first = find(entities, a)
    if first is None:
        raise NotFoundError(f"no entity named {a!r}")
    if action == "merge" and find(entities, b) is None:
        raise NotFoundError(f"no entity named {b!r}")
    if action == "merge" and find(entities, b) is first:
        raise InputError(f"{a!r} and {b!r} are already one entity")
    if action == "split" and b.lower() not in {x.lower() for x in first.aliases}:
        raise InputError(f"{b!r} is not an alias of {first.name!r}; its aliases: {', '.join(first.aliases) or '-'}")
    if action == "rename" and not b.strip():
        raise InputError("the new name is empty")
    with db.transaction() as conn:
        conn.execute("INSERT INTO entity_corrections(action, a, b) VALUES (?,?,?)", (action, a, b))


def _entity_row(r: sqlite3.Row) -> Entity:
    import json

    return Entity(r["id"], r["name"], r["type"], json.loads(r["aliases"] or "[]"))


def find(entities: Sequence[Entity], name: str) -> Entity | None:
    """The entity with this id or name, else the one with this alias."""
    low = name.strip().lower()
    for e in entities:
        if e.id == name or e.name.lower() == low:
            return e
    hits = [e for e in entities if low in {x.lower() for x in e.aliases}]
    return hits[0] if len(hits) == 1 else None


def corrections(db: Database) -> list[tuple[str, str, str]]:
    """The stored corrections in the order given."""
    return [(r[0], r[1], r[2]) for r in db.conn.execute("SELECT action, a, b FROM entity_corrections ORDER BY seq")]


def apply_corrections(entities: list[Entity], mentions: Sequence[RawMention],
                      todo: Sequence[tuple[str, str, str]]) -> list[Entity]:
    """Entities after the user's corrections; mentions' entity ids follow."""
    for action, a, b in todo:
        target = find(entities, a)
        if target is None:
            continue
        if action == "rename":
            target.aliases = sorted({*target.aliases, target.name} - {b})
            target.name = b
        elif action == "merge":
            other = find(entities, b)
            if other is None or other is target:
                continue
            _merge(target, other, mentions)
            entities.remove(other)
        elif action == "split":
            entities.append(_split(target, b, mentions))
    return entities


def _merge(target: Entity, other: Entity, mentions: Sequence[RawMention]) -> None:
    for m in mentions:
        if m.entity_id == other.id:
            m.entity_id = target.id
    target.aliases = sorted({*target.aliases, *other.aliases, other.name} - {target.name})
    target.roles = list(dict.fromkeys([*target.roles, *other.roles]))[:5]
    target.mentions += other.mentions


def _split(source: Entity, form: str, mentions: Sequence[RawMention]) -> Entity:
    eid = "ent-" + hashlib.sha1(f"split|{source.id}|{form.lower()}".encode()).hexdigest()[:10]
    new = Entity(eid, form, source.type)
    for m in mentions:
        if m.entity_id == source.id and display_form(m.text).lower() == form.lower():
            m.entity_id = eid
            new.mentions += 1
    source.mentions -= new.mentions
    source.aliases = [x for x in source.aliases if x.lower() != form.lower()]
    return new
