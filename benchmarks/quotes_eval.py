"""Quote attribution against a hand-labelled set of quotes from real articles.

Usage::

    python benchmarks/quotes_eval.py              # score the system and the baseline
    python benchmarks/quotes_eval.py --candidates out.jsonl   # dump unlabelled quotes to label

The gold set (``tests/understand/quotes_gold.jsonl``, procedure in
``tests/understand/QUOTES_LABELLING.md``) names, for each quote of a sample
of articles from ``newsdev``, ``gva`` and ``news_story_chains``, the speaker
or ``unattributable``. The articles are ingested and understood by the
product itself (clean → NER → resolution → quotes) in a temporary store, so
the quotes and their speakers are exactly what a user sees.

Scores: speaker precision over the quotes the system attributes (a quote
whose gold is ``unattributable`` counts as wrong when attributed); the
attribution rate over attributable quotes (given a correct speaker); and the
number of speakers that are not a PERSON or ORG entity with a mention in the
article's clean text. Baseline: the nearest PERSON mention ending before the
quote in the same article.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data"
GOLD = ROOT / "tests" / "understand" / "quotes_gold.jsonl"
UNATTRIBUTABLE = "unattributable"
# Articles sampled per corpus: every newsdev article; gva and news_story_chains
# by the lowest hash of their id (a fixed, unbiased sample).
SAMPLE = {"newsdev": 249, "gva": 90, "news_story_chains": 40}
_STOP = {"the", "of", "and", "for", "in", "on", "at", "de", "la", "a", "an", "mr", "mrs", "ms", "dr", "s", "jr", "sr"}


@dataclass
class Scores:
    """What the benchmark prints for one system."""

    quotes: int
    attributable: int
    attributed: int
    correct: int
    non_entity_speakers: int

    @property
    def precision(self) -> float:
        return self.correct / self.attributed if self.attributed else 0.0

    @property
    def rate(self) -> float:
        return self.correct / self.attributable if self.attributable else 0.0


def _sample_ids(ids: list[str], n: int) -> set[str]:
    return set(sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())[:n])


def iter_sample(data: Path = DATA) -> Iterator[dict[str, Any]]:
    """The sampled articles of the three corpora as JSONL records the reader ingests."""
    for name in ("newsdev", "gva"):
        path = data / name / "articles.jsonl"
        recs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        keep = _sample_ids([r["id"] for r in recs], SAMPLE[name])
        for r in recs:
            if r["id"] in keep:
                yield {"id": f"{name}:{r['id']}", "url": r.get("url"), "title": r.get("title"),
                       "date": r.get("date"), "text": r["text"]}
    csv.field_size_limit(10 ** 9)
    path = data / "news_story_chains" / "gedikli-business_energy_news_dataset-2021-06-29-article_texts.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    keep = _sample_ids([r["url"] for r in rows], SAMPLE["news_story_chains"])
    for r in rows:
        if r["url"] in keep:
            yield {"id": f"news_story_chains:{r['url']}", "url": r["url"], "title": r.get("title"),
                   "date": (r.get("date") or "")[:10] or None, "text": r["text"]}


def build_store(workdir: Path, data: Path = DATA) -> Any:
    """Ingest the sample and run the understanding stage; the open store."""
    import storyline

    src = workdir / "sample.jsonl"
    with src.open("w", encoding="utf-8") as out:
        for rec in iter_sample(data):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    store = storyline.open(workdir / "quotes.db")
    store.ingest([str(src)])
    store.build(only=["understand"])
    return store


def reuse_store(folder: Path) -> Any:
    """The store kept in ``folder`` with its quotes attributed again, or a new one built there."""
    import storyline
    from storyline.progress import NO_PROGRESS
    from storyline.understand.quotes import QuoteExtractor
    from storyline.understand.stage import attribute_quotes

    if not (folder / "quotes.db").exists():
        folder.mkdir(parents=True, exist_ok=True)
        return build_store(folder)
    store = storyline.open(folder / "quotes.db")
    db = store.db if hasattr(store, "db") else store._db
    with db.transaction() as conn:      # queue every article: a built store has an empty queue
        conn.execute("INSERT OR IGNORE INTO quotes_stale(article_id) SELECT id FROM articles")
    attribute_quotes(store.db, QuoteExtractor(), NO_PROGRESS)
    return store


def source_ids(db: Any) -> dict[str, str]:
    """Store article id → sample id (``corpus:original id``), by URL."""
    sample = {r["url"]: r["id"] for r in iter_sample()}
    return {r[0]: sample.get(r[1], r[0]) for r in db.conn.execute("SELECT id, url FROM articles")}


def quote_rows(db: Any) -> list[dict[str, Any]]:
    """Every stored quote with its article's clean text."""
    sql = ("SELECT q.article_id, q.start, q.end, q.text, q.speaker, q.speaker_entity_id, e.type AS speaker_type,"
           " q.how, q.reason,"
           " a.text AS article_text FROM quotes q JOIN articles a ON a.id = q.article_id"
           " LEFT JOIN entities e ON e.id = q.speaker_entity_id ORDER BY a.seq, q.start")
    return [dict(r) for r in db.conn.execute(sql)]


def key_of(sample_id: str, text: str) -> str:
    """A quote's identity across runs: its article and its first words."""
    return sample_id + "|" + " ".join(re.findall(r"\w+", text.lower())[:8])


def dump_candidates(db: Any, out: Path, per_article: int = 4) -> int:
    """Unlabelled quotes with context, no system answer: the labelling sheet."""
    ids = source_ids(db)
    n, seen = 0, {}
    with out.open("w", encoding="utf-8") as handle:
        for q in quote_rows(db):
            sid = ids[q["article_id"]]
            seen[sid] = seen.get(sid, 0) + 1
            if seen[sid] > per_article:
                continue
            t = q["article_text"]
            ctx = (t[max(0, q["start"] - 500):q["start"]] + "⟦" + t[q["start"]:q["end"]] + "⟧"
                   + t[q["end"]:q["end"] + 250])
            handle.write(json.dumps({"key": key_of(sid, q["text"]), "context": ctx}, ensure_ascii=False) + "\n")
            n += 1
    return n


def load_gold(path: Path = GOLD) -> dict[str, str]:
    """Quote key → gold speaker (``A|B`` lists accepted names) or ``unattributable``."""
    return {r["key"]: r["gold"] for r in map(json.loads, path.open(encoding="utf-8")) if r.get("gold")}


def same_speaker(gold: str, system: str) -> bool:
    """A system name matches a gold name when they share a surname-like token (the gold's last
    content word) or the whole of one is contained in the other."""
    s = [t for t in re.findall(r"\w+", system.lower()) if t not in _STOP]
    initials = "".join(t[0] for t in s if t not in _STOP)
    for name in gold.split("|"):
        if name.isupper() and name.isalpha() and name.lower() == initials:
            return True         # "ISRO" = Indian Space Research Organisation
        g = [t for t in re.findall(r"\w+", name.lower()) if t not in _STOP]
        if g and s and (g[-1] in s or s[-1] in g or " ".join(s) in " ".join(g) or " ".join(g) in " ".join(s)):
            return True
    return False


def body_entities(db: Any) -> set[tuple[str, str]]:
    """(article id, entity id) of PERSON/ORG entities mentioned in each clean text."""
    sql = ("SELECT m.article_id, m.entity_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
           " WHERE e.type IN ('PERSON', 'ORG')")
    return {(r[0], r[1]) for r in db.conn.execute(sql)}


def baseline_speakers(db: Any) -> dict[tuple[str, int], tuple[str, str]]:
    """The nearest PERSON mention ending before each quote: (article, start) → (name, entity id)."""
    persons: dict[str, list[tuple[int, str, str]]] = {}
    sql = ("SELECT m.article_id, m.end, e.name, e.id FROM mentions m JOIN entities e ON e.id = m.entity_id"
           " WHERE e.type = 'PERSON' ORDER BY m.article_id, m.end")
    for r in db.conn.execute(sql):
        persons.setdefault(r[0], []).append((r[1], r[2], r[3]))
    out = {}
    for q in quote_rows(db):
        before = [p for p in persons.get(q["article_id"], []) if p[0] <= q["start"]]
        if before:
            out[(q["article_id"], q["start"])] = (before[-1][1], before[-1][2])
    return out


def score(db: Any, gold: dict[str, str], baseline: bool = False) -> tuple[Scores, list[dict[str, Any]]]:
    """Precision, attribution rate and non-entity speakers over the labelled quotes."""
    ids = source_ids(db)
    body = body_entities(db)
    base = baseline_speakers(db) if baseline else {}
    rows, errors = [], []
    for q in quote_rows(db):
        k = key_of(ids[q["article_id"]], q["text"])
        if k not in gold:
            continue
        name, eid = (base.get((q["article_id"], q["start"]), (None, None)) if baseline
                     else (q["speaker"], q["speaker_entity_id"]))
        rows.append((gold[k], name, eid, q))
    attributable = sum(g != UNATTRIBUTABLE for g, *_ in rows)
    attributed = [r for r in rows if r[1]]
    correct = 0
    for g, name, _eid, q in attributed:
        ok = g != UNATTRIBUTABLE and same_speaker(g, name)
        correct += ok
        if not ok:
            errors.append({"key": key_of(ids[q["article_id"]], q["text"]), "gold": g, "system": name,
                           "how": q["how"]})
    non_entity = sum(1 for _, name, eid, q in attributed if (q["article_id"], eid) not in body)
    for g, name, _eid, q in rows:
        if not name and g != UNATTRIBUTABLE:
            errors.append({"key": key_of(ids[q["article_id"]], q["text"]), "gold": g, "system": None,
                           "reason": q["reason"]})
    return Scores(len(rows), attributable, len(attributed), correct, non_entity), errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=Path, help="write the unlabelled quotes to this JSONL file")
    parser.add_argument("--errors", action="store_true", help="list the system's wrong and missed speakers")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the built store in this folder and reuse it next time "
                        "(quotes are attributed again; for iterating on attribution)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = reuse_store(args.keep) if args.keep else build_store(Path(tmp))
        db = store.db if hasattr(store, "db") else store._db
        if args.candidates:
            print(f"{dump_candidates(db, args.candidates)} candidate quotes -> {args.candidates}")
            return 0
        gold = load_gold()
        system, errors = score(db, gold)
        base, _ = score(db, gold, baseline=True)
        store.close()
    table = {"system": system, "baseline (nearest PERSON before)": base}
    if args.json:
        print(json.dumps({k: dict(vars(v), precision=v.precision, rate=v.rate) for k, v in table.items()}))
    else:
        print(f"{len(gold)} labelled quotes; matched in this run: {system.quotes}; attributable {system.attributable}")
        print(f"{'system':<34} {'attributed':>10} {'correct':>8} {'precision':>9} {'rate':>6} {'non-entity':>10}")
        for k, v in table.items():
            print(f"{k:<34} {v.attributed:>10} {v.correct:>8} {v.precision:>9.3f} {v.rate:>6.3f}"
                  f" {v.non_entity_speakers:>10}")
    if args.errors:
        for e in errors:
            print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
