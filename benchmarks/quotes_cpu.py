"""Quote attribution of a whole built DB, in this process vs on two worker processes (issue 11).

    python benchmarks/quotes_cpu.py DB one     # every article re-attributed in this process
    python benchmarks/quotes_cpu.py DB pool    # the same on the two-worker pool the stage uses

DB is a built storyline DB (e.g. after ``storyline --db gva.db run ../shared/data/gva/articles.jsonl``);
it is copied, its quotes cleared and every article queued. Prints the quote count, CPU seconds of
this process and its children, wall seconds and the load average, so runs can be compared back to back.
"""
from __future__ import annotations

import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def queue_all(path: str) -> None:
    """Clear the quotes and queue every article for attribution."""
    conn = sqlite3.connect(path)
    conn.executescript("DELETE FROM quotes; INSERT OR IGNORE INTO quotes_stale(article_id) SELECT id FROM articles;")
    conn.commit()
    conn.close()


def main(db_path: str, mode: str) -> None:
    from storyline.progress import NO_PROGRESS
    from storyline.store import Database
    from storyline.understand import QuoteExtractor, stage

    with tempfile.TemporaryDirectory() as tmp:
        copy = str(Path(tmp) / "quotes.db")
        shutil.copy(db_path, copy)
        queue_all(copy)
        if mode == "one":
            stage.AUTO_PROCESS_MIN = 10**9          # below the pool's threshold: the builtin map
        db = Database(copy)
        c0, w0 = cpu(), time.perf_counter()
        n = stage.attribute_quotes(db, QuoteExtractor(), NO_PROGRESS)
        with open("/proc/loadavg", encoding="utf-8") as fh:
            load = fh.read().split()[:3]
        used, wall = cpu() - c0, time.perf_counter() - w0
        print(f"{mode}: {n} quotes, {used:.1f} CPU-s, {wall:.1f} s wall, load {' '.join(load)}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("one", "pool"):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
