"""Entities + quotes throughput on india_police_events (1,257 Times of India articles), in articles/s.

Usage::

    python benchmarks/understand_throughput.py [--n-process 1 2] [--limit N]

The articles are ingested into a temporary DB first (not timed). Then, for
each ``--n-process`` value, on a fresh copy: spaCy NER + mention cleaning +
sentence split (``annotate_new``), corpus-wide entity resolution
(``resolve_entities``) and quote extraction/attribution
(``attribute_quotes``) are timed separately and together. ``n_process 2``
runs spaCy in two worker processes (the 2-core figure); resolution and
quotes are single-process. Wall time, so a busy machine reads slower; the
CPU time (this process plus spaCy's workers) is the stable figure: on two
idle cores the 2-process rate approaches 2 × articles per CPU-second.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data"
SOURCE = DATA / "india_police_events" / "data" / "final" / "docs.jsonl"


def ingest(tmp: Path, limit: int | None) -> Path:
    """A DB holding the corpus (optionally its first ``limit`` records)."""
    import storyline

    source = SOURCE
    if limit:
        source = tmp / "subset.jsonl"
        with SOURCE.open(encoding="utf-8") as src, source.open("w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= limit:
                    break
                out.write(line)
    path = tmp / "base.db"
    sl = storyline.open(path)
    sl.ingest([str(source)])
    sl.close()
    return path


def run_once(base: Path, tmp: Path, n_process: int) -> dict[str, float]:
    """Time the three steps on a fresh copy of the ingested DB."""
    import storyline
    from storyline.progress import NO_PROGRESS
    from storyline.understand import EntityResolver, QuoteExtractor
    from storyline.understand.nlp import load_nlp
    from storyline.understand.annotate import annotate_new
    from storyline.understand.stage import attribute_quotes, resolve_entities

    path = tmp / f"run{n_process}.db"
    shutil.copy(base, path)
    sl = storyline.open(path)
    load_nlp()                                   # model load is per process, not per article
    n = sl.db.scalar("SELECT count(*) FROM articles")
    c0 = _cpu()
    t0 = time.perf_counter()
    annotate_new(sl.db, NO_PROGRESS, n_process=n_process)
    t1 = time.perf_counter()
    resolve_entities(sl.db, EntityResolver(), force=True)
    t2 = time.perf_counter()
    n_quotes = attribute_quotes(sl.db, QuoteExtractor(), NO_PROGRESS)
    t3 = time.perf_counter()
    out = {"articles": n, "cpu_s": _cpu() - c0, "ner_s": t1 - t0, "resolve_s": t2 - t1, "quotes_s": t3 - t2,
           "total_s": t3 - t0,
           "mentions": sl.db.scalar("SELECT count(*) FROM mentions"),
           "entities": sl.db.scalar("SELECT count(*) FROM entities"), "quotes": n_quotes}
    sl.close()
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children (spaCy's worker processes)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--limit", type=int, default=None, help="Only the first N articles.")
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"corpus not found: {SOURCE}")
    print(f"$ python benchmarks/understand_throughput.py --n-process {' '.join(map(str, args.n_process))}"
          + (f" --limit {args.limit}" if args.limit else ""))
    print(f"cpu cores visible: {os.cpu_count()}; wall-clock times (noisy when the machine is shared)")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        base = ingest(tmp, args.limit)
        for n_process in args.n_process:
            r = run_once(base, tmp, n_process)
            n = r["articles"]
            print(f"n_process={n_process}: {n} articles, {r['mentions']} mentions → {r['entities']} entities,"
                  f" {r['quotes']} quotes")
            print(f"  NER+sentences {r['ner_s']:.1f}s ({n / r['ner_s']:.1f} art/s) | resolve {r['resolve_s']:.1f}s"
                  f" | quotes {r['quotes_s']:.1f}s ({n / r['quotes_s']:.0f} art/s)")
            print(f"  entities + quotes end to end: {r['total_s']:.1f}s = {n / r['total_s']:.1f} articles/s"
                  f" (wall); {r['cpu_s']:.1f} CPU-s = {n / r['cpu_s']:.1f} articles per CPU-second")
        print(f"load average after the runs: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
