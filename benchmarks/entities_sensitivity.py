"""How the resolver's hand-set thresholds move ECB+ B³-F1 and the newsdev referent check.

Usage::

    python benchmarks/entities_sensitivity.py [--db newsdev.db]

Each threshold of the corpus-level rules in ``storyline.understand.entities``
(``JUXTAPOSED_MIN``, ``DOMINANT_SHARE``, ``DOMINANT_MIN``, ``CONTEXT_MIN``,
``CONTEXT_SHARE``) is halved and doubled (shares moved toward 0 and 1) one at
a time; ECB+ (named mentions, gold sub-topic as event) and newsdev's
hand-made referent list are scored again. newsdev is ingested and understood
once (or read from ``--db``); its stored mentions, labels and roles are then
resolved again for every setting, so only the resolver varies.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
SETTINGS = {"JUXTAPOSED_MIN": (5, 20), "DOMINANT_SHARE": (0.9, 0.98), "DOMINANT_MIN": (10, 40),
            "CONTEXT_MIN": (2, 6), "CONTEXT_SHARE": (0.1, 0.4)}


def newsdev_check(rows: list[Any], referents: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(referents whole, referents found, entities mixing two) for stored newsdev mentions."""
    from storyline.understand import entities as E

    form_of = {f.lower(): r["name"] for r in referents for f in r["forms"]}
    ms = [E.RawMention(a, s, e, t, lab, json.loads(roles) if roles else []) for a, s, e, t, lab, roles in rows]
    texts = [m.text for m in ms]
    E.EntityResolver().fit(ms)
    ids: dict[str, set[str]] = defaultdict(set)
    for text, m in zip(texts, ms, strict=True):
        name = form_of.get(text.strip().lower())
        if name and m.entity_id:
            ids[name].add(m.entity_id)
    owners: dict[str, set[str]] = defaultdict(set)
    for name, es in ids.items():
        for e in es:
            owners[e].add(name)
    return sum(len(e) == 1 for e in ids.values()), len(ids), sum(len(v) > 1 for v in owners.values())


def main(argv: list[str] | None = None) -> int:
    import entities_ecbplus as ecb
    import entities_newsdev as nd
    import storyline
    from storyline.evaluate.coref_metrics import conll
    from storyline.understand import entities as E

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an existing store built from newsdev/articles.jsonl")
    args = parser.parse_args(argv)
    topics = sorted((p for p in ecb.DATA.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    keep = ecb.annotated_sentences()
    gold_ms = [m for t in topics for f in sorted(t.glob("*.xml")) for m in ecb.read_document(f, keep)
               if ecb.is_named(m.text)]
    gold = {m.key: m.chain for m in gold_ms}
    referents = json.loads(nd.LIST.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store = storyline.open(args.db or str(Path(tmp) / "newsdev.db"))
        if not args.db:
            store.ingest([str(nd.DATA / "articles.jsonl")])
            store.build(only=["understand"])
        rows = store.db.conn.execute("SELECT article_id, start, end, text, label, roles FROM mentions"
                                     " ORDER BY article_id, start").fetchall()
        store.close()
    print(f"{'setting':<28} {'ECB+ B3 F1':>10} {'newsdev whole/found':>20} {'mixed':>6}")
    for name, values in [("defaults", (None,)), *SETTINGS.items()]:
        for value in values:
            saved = getattr(E, name, None)
            if value is not None:
                setattr(E, name, value)
            f1 = conll(ecb.resolve(gold_ms, True), gold)["b3"]["f1"]
            whole, found, mixed = newsdev_check(rows, referents)
            if value is not None:
                setattr(E, name, saved)
            label = name if value is None else f"{name}={value}"
            print(f"{label:<28} {f1:>10.3f} {f'{whole}/{found}':>20} {mixed:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
