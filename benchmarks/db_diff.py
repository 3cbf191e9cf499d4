"""Which tables of two storyline DBs differ (issue 11: a speed change must leave the content as it was).

    python benchmarks/db_diff.py A.db B.db

Compares every table's rows as sorted lists; prints "same" or how many rows differ. Timestamps
(`articles.ingested_at`, `runs`, `stage_state`, `migrations`) differ between any two builds.
"""
from __future__ import annotations

import sqlite3
import sys


def rows(conn: sqlite3.Connection, table: str) -> list[str]:
    """A table's rows as sorted reprs (order-free comparison)."""
    return sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"').fetchall()))


def main(a_path: str, b_path: str) -> None:
    a, b = sqlite3.connect(a_path), sqlite3.connect(b_path)
    tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND name NOT LIKE 'sqlite%' ORDER BY name")]
    for table in tables:
        ra, rb = rows(a, table), rows(b, table)
        if ra == rb:
            print(f"{table}: same ({len(ra)} rows)")
        else:
            print(f"{table}: DIFFER ({len(ra)} vs {len(rb)} rows, {len(set(ra) ^ set(rb))} rows differ)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
