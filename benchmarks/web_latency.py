"""Web latency: p50/p95 per page type on a 10k-article DB, through a real uvicorn server.

Steps (each reused when its output exists):

1. generate a corpus with ``benchmarks/generate.py`` (planted events/stories, gold labels);
2. ``storyline ingest`` it into ``DB``;
3. ``--build``: run the real ``storyline build``; otherwise (default, and whenever the
   build left no stories) fill events/stories from the generator's gold labels and add
   entities, mentions, quotes, facts and summaries with cheap stand-ins, so every page
   has the row counts of a built DB without the build's cost;
4. serve the DB with uvicorn on 127.0.0.1 and time ``--requests`` GETs per page type
   (ids drawn at random, search words drawn from titles), one client, sequential.

    python benchmarks/web_latency.py --n 10000 --out bench-output/web10k [--requests 200] [--build]

Target (issue 5): every page p95 < 300 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 300.0
NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\b")
QUOTE = re.compile(r"[\"“]([^\"”]{20,240})[\"”]")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def run(cmd: list[str]) -> float:
    """Run a command, fail loudly, return its wall time."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def ensure_corpus(n: int, out: Path) -> Path:
    corpus = out / "corpus.jsonl"
    if not corpus.exists():
        run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--n", str(n), "--out", str(out)])
    return corpus


def ensure_db(corpus: Path, db: Path, build: bool) -> None:
    """Ingest (and optionally build); then fill the later tables from gold if no stories exist."""
    cli = [sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q"]
    if not db.exists():
        print(f"ingest: {run(cli + ['ingest', str(corpus)]):.1f} s")
        if build:
            print(f"build: {run(cli + ['build']):.1f} s")
    import storyline

    sl = storyline.open(db)
    if not sl.db.scalar("SELECT count(*) FROM stories"):
        fill_from_gold(sl.db, corpus.parent / "gold.jsonl")
    print("db:", {k: v for k, v in sl.stats().items() if isinstance(v, int)})
    sl.close()


def fill_from_gold(db, gold_path: Path) -> None:
    """Events and stories from the generator's labels; understanding rows from cheap stand-ins."""
    gold = [json.loads(line) for line in gold_path.open(encoding="utf-8")]
    arts = {r["id"]: dict(r) for r in db.query("SELECT seq, id, title, date, outlet, text FROM articles")}
    events, stories = defaultdict(list), defaultdict(set)
    for g in gold:
        art = arts.get(g["id"])
        if art is not None:
            events[g["event"]].append(art)
            stories[g["story"]].add(g["event"])
    entity_ids: dict[str, str] = {}
    with db.transaction() as conn:
        for eid, members in events.items():
            members.sort(key=lambda a: (a["date"] or "", a["seq"]))
            first = members[0]
            conn.execute("INSERT OR REPLACE INTO events(id, title, date, start, end, n_articles, n_outlets, story_id,"
                         " first_seq) VALUES (?,?,?,?,?,?,?,?,?)",
                         (eid, first["title"], first["date"], first["date"], members[-1]["date"], len(members),
                          len({a["outlet"] for a in members}), None, first["seq"]))
            conn.executemany("UPDATE articles SET event_id = ? WHERE id = ?", [(eid, a["id"]) for a in members])
            for pos, art in enumerate(members[:3]):
                sentence = SENTENCE.split(art["text"].strip(), maxsplit=1)[0][:300]
                conn.execute("INSERT OR REPLACE INTO summaries(event_id, position, text, article_id, outlet)"
                             " VALUES (?,?,?,?,?)", (eid, pos, sentence, art["id"], art["outlet"]))
            add_understanding(conn, eid, members, entity_ids)
        for sid, eids in stories.items():
            dates = sorted(a["date"] for e in eids for a in events[e] if a["date"])
            title = events[sorted(eids)[0]][0]["title"]
            conn.execute("INSERT OR REPLACE INTO stories(id, title, start, end, entities, n_events)"
                         " VALUES (?,?,?,?,?,?)",
                         (sid, title, dates[0] if dates else None, dates[-1] if dates else None, "[]", len(eids)))
            conn.executemany("UPDATE events SET story_id = ? WHERE id = ?", [(sid, e) for e in eids])
        conn.executemany("UPDATE articles SET duplicate_of = ? WHERE id = ?",
                         [(g["copy_of"], g["id"]) for g in gold if g.get("copy_of") and g["id"] in arts])
        conn.execute("UPDATE entities SET mentions = (SELECT count(*) FROM mentions m WHERE m.entity_id = entities.id)")


def add_understanding(conn, eid: str, members: list[dict], entity_ids: dict[str, str]) -> None:
    """Capitalised names as entities/mentions, quoted spans as quotes, one fact per event (benchmark data only)."""
    outlets = sorted({a["outlet"] or "unknown" for a in members})
    for art in members:
        for m in NAME.finditer(art["text"]):
            name = m.group(1)
            if name not in entity_ids:
                entity_ids[name] = f"ent{len(entity_ids)}"
                conn.execute("INSERT INTO entities(id, name, type, aliases, roles, mentions) VALUES (?,?,?,?,?,0)",
                             (entity_ids[name], name, "ORG", "[]", "[]"))
            conn.execute("INSERT INTO mentions(article_id, entity_id, start, end, text, label) VALUES (?,?,?,?,?,?)",
                         (art["id"], entity_ids[name], m.start(1), m.end(1), name, "ORG"))
        for k, q in enumerate(QUOTE.finditer(art["text"])):
            conn.execute("INSERT OR REPLACE INTO quotes(id, text, article_id, start, end, speaker, speaker_entity_id,"
                         " group_id, event_id) VALUES (?,?,?,?,?,?,?,?,?)",
                         (f"{art['id']}-q{k}", q.group(1), art["id"], q.start(1), q.end(1), None, None, None, eid))
    conn.execute("INSERT OR REPLACE INTO facts(id, event_id, text, sentences, outlets, single_outlet, disagreement)"
                 " VALUES (?,?,?,?,?,?,?)",
                 (f"{eid}-f0", eid, members[0]["title"] or "",
                  json.dumps([{"article_id": a["id"], "outlet": a["outlet"], "text": a["title"]} for a in members]),
                  json.dumps(outlets), int(len(outlets) == 1), "[]"))


def sample_paths(db_path: Path, n: int, seed: int = 3) -> dict[str, list[str]]:
    """``n`` URLs per page type, ids drawn at random from the DB."""
    from storyline.store import Database

    db = Database(db_path, readonly=True)
    rng = random.Random(seed)

    def ids(sql: str) -> list[str]:
        values = [r[0] for r in db.query(sql)]
        return [rng.choice(values) for _ in range(n)] if values else []

    words = [w for t in ids("SELECT title FROM articles WHERE title IS NOT NULL")
             for w in re.findall(r"[a-z]{5,}", (t or "").lower())]
    paths = {
        "stories": [f"/?page={rng.randint(1, 3)}&sort={rng.choice(['recent', 'size'])}" for _ in range(n)],
        "story": [f"/stories/{i}" for i in ids("SELECT id FROM stories")],
        "event": [f"/events/{i}" for i in ids("SELECT id FROM events")],
        "entity": [f"/entities/{i}" for i in ids("SELECT id FROM entities ORDER BY mentions DESC LIMIT 2000")],
        "article": [f"/articles/{i}" for i in ids("SELECT id FROM articles")],
        "search": [f"/search?q={rng.choice(words)}" + (f"+{rng.choice(words)}" if rng.random() < .5 else "")
                   for _ in range(n)],
        "api_event": [f"/api/events/{i}" for i in ids("SELECT id FROM events")],
    }
    db.close()
    return paths


def time_pages(db_path: Path, paths: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Serve with uvicorn in a thread; time each GET from a keep-alive httpx client."""
    import httpx
    import uvicorn

    sys.path.insert(0, str(ROOT / "src"))
    from storyline.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    results = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        for name, urls in paths.items():
            for url in urls[:5]:                      # warm the page cache and templates
                http.get(url)
            times = []
            for url in urls:
                start = time.perf_counter()
                response = http.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times.sort()
            results[name] = {"n": len(times), "p50_ms": statistics.median(times),
                             "p95_ms": times[int(0.95 * (len(times) - 1))], "max_ms": times[-1]}
    server.should_exit = True
    thread.join(timeout=10)
    return results


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--out", default=str(ROOT / "bench-output" / "web10k"))
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--build", action="store_true", help="run the real build instead of filling from gold labels")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / ("built.db" if args.build else "web.db")
    ensure_db(ensure_corpus(args.n, out), db, args.build)
    results = time_pages(db, sample_paths(db, args.requests))
    print(f"\nweb latency, {args.requests} sequential GETs per page, DB {db} (cpus: {os.cpu_count()})")
    print(f"{'page':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, r in results.items():
        flag = "" if r["p95_ms"] < TARGET_P95_MS else "  <-- over target"
        print(f"{name:<10} {r['n']:>5} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['max_ms']:>8.1f}{flag}")
    worst = max(r["p95_ms"] for r in results.values())
    print(f"worst p95 {worst:.1f} ms; target < {TARGET_P95_MS:.0f} ms: {'PASS' if worst < TARGET_P95_MS else 'FAIL'}")
    (out / "web_latency.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
