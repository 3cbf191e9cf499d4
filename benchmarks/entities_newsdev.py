"""One entity per real-world referent on newsdev: a hand-made list of people and organisations.

Usage::

    python benchmarks/entities_newsdev.py [--db newsdev.db]

``tests/understand/newsdev_entities.json`` lists 45 people and organisations
that newsdev's articles name, each with the surface forms the text uses
("Joko Widodo", "Widodo", "Jokowi"; "Federal Reserve", "Fed"), written down
by hand while reading the articles and checked to occur in them. newsdev is
ingested and understood (a temporary store unless ``--db`` is given); every
body mention whose text is one of a referent's forms (case-insensitive) is
looked up. A referent is **whole** when all those mentions carry one entity
id; an entity **mixes** referents when mentions of two referents carry its id.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data" / "newsdev"
LIST = ROOT / "tests" / "understand" / "newsdev_entities.json"


def check(db: object, referents: list[dict]) -> tuple[list[str], list[tuple[str, list[str]]], dict[str, set]]:
    """(referents split over several entities, entities mixing referents, referent → entity ids)."""
    form_of = {f.lower(): r["name"] for r in referents for f in r["forms"]}
    ids: dict[str, set[str]] = defaultdict(set)
    for text, eid in db.conn.execute("SELECT m.text, m.entity_id FROM mentions m WHERE m.entity_id IS NOT NULL"):
        name = form_of.get(text.strip().lower())
        if name:
            ids[name].add(eid)
    split = [n for n, e in ids.items() if len(e) > 1]
    owners: dict[str, set[str]] = defaultdict(set)
    for n, es in ids.items():
        for e in es:
            owners[e].add(n)
    mixed = [(e, sorted(ns)) for e, ns in owners.items() if len(ns) > 1]
    return split, mixed, ids


def main(argv: list[str] | None = None) -> int:
    import storyline

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an existing store built from newsdev/articles.jsonl")
    args = parser.parse_args(argv)
    referents = json.loads(LIST.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "newsdev.db")
        sl = storyline.open(path)
        if not args.db:
            sl.ingest([str(DATA / "articles.jsonl")])
            sl.build(only=["understand"])
        split, mixed, ids = check(sl.db, referents)
        names = {e: n for e, n in sl.db.conn.execute("SELECT id, name FROM entities")}
        sl.close()
    found = len(ids)
    whole = found - len(split)
    print(f"{len(referents)} referents listed, {found} found as mentions; whole (one entity): {whole}/{found}; "
          f"entities mixing two referents: {len(mixed)}")
    for n in split:
        print(f"  split: {n} -> {sorted(names.get(e, e) for e in ids[n])}")
    for e, ns in mixed:
        print(f"  mixed: {names.get(e, e)} holds {ns}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
