"""Report size (bytes) and build time per corpus: the seeds (built here) and any built DB given with --db.

    .venv/bin/python benchmarks/report_size.py                      # the seeds
    .venv/bin/python benchmarks/report_size.py --db gva.db          # a DB built with `storyline run`

Targets (issue 13): <= 500 KB for ~200 articles, <= 5 MB for 5,000.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def measure(db_path: Path, out_dir: Path) -> tuple[int, int, float]:
    """(articles, report bytes, seconds) of one built database."""
    import storyline
    from storyline.report import write_report

    sl = storyline.open(db_path, readonly=True)
    n = sl.db.scalar("SELECT count(*) FROM articles")
    start = time.perf_counter()
    size = write_report(sl.db, out_dir / f"{db_path.stem}.html")
    seconds = time.perf_counter() - start
    sl.close()
    return n, size, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", default=[], help="a built database (repeatable)")
    parser.add_argument("--no-seeds", action="store_true")
    args = parser.parse_args()
    import storyline

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        dbs = [Path(p) for p in args.db]
        if not args.no_seeds:
            seeds = out / "seeds.db"
            sl = storyline.open(seeds)
            sl.ingest([str(ROOT / "examples" / "seeds")])
            sl.build()
            sl.close()
            dbs.insert(0, seeds)
        print("| database | articles | report bytes | KB per article | seconds |")
        print("|---|---|---|---|---|")
        for db in dbs:
            n, size, seconds = measure(db, out)
            print(f"| {db.name} | {n} | {size:,} | {size / 1024 / max(n, 1):.1f} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
