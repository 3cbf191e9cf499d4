"""SIGKILL in the middle of ``storyline ingest`` leaves a sound DB, and a re-run completes without duplicates."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_RECORDS = 5000
PARA = ("Officials in the district said on Monday that the new bridge would open to traffic next week, "
        "two years after construction began, and that tolls would be collected electronically.")


def count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:      # not created or migrated yet
        return 0


def ingest_cmd(db: Path, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "storyline.cli.main", "-q", "--db", str(db), "ingest", str(corpus)]


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as out:
        for i in range(N_RECORDS):
            text = "\n\n".join(f"{PARA} Record {i}, paragraph {k}." for k in range(4))
            out.write(json.dumps({"id": f"k{i}", "title": f"Bridge {i}", "text": text,
                                  "date": "2022-03-01"}) + "\n")
    db = tmp_path / "kill.db"
    proc = subprocess.Popen(ingest_cmd(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while count_articles(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)          # its pool workers, started in the session we created
        except ProcessLookupError:
            pass
        if proc.stderr:
            proc.stderr.close()
    committed = count_articles(db)
    assert 0 < committed < N_RECORDS
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    done = subprocess.run(ingest_cmd(db, corpus), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    match = re.search(r"read (\d+) = stored (\d+) \+ duplicates (\d+) \+ rejected (\d+)", done.stderr)
    assert match, done.stderr
    read, stored, duplicates, rejected = map(int, match.groups())
    assert read == N_RECORDS == stored + duplicates + rejected
    assert rejected == 0 and duplicates == committed and stored == N_RECORDS - committed

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash) FROM articles"
                        ).fetchone() == (N_RECORDS, N_RECORDS, N_RECORDS)
    fts = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'bridge'").fetchone()[0]
    assert fts == N_RECORDS
    conn.close()
