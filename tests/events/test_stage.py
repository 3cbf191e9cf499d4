"""The events build stage: incremental = batch, stable ids, and resume after SIGKILL gives the same result."""
from __future__ import annotations

import pytest

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storyline.evaluate.metrics import b_cubed

from events_helpers import ROOT, cli, write_jsonl


def _assignments(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, event_id FROM articles"))


def _events(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, title, date, start, end, place, keywords, n_articles, n_outlets"
                            " FROM events ORDER BY id").fetchall()


@pytest.mark.slow
def test_five_slices_equal_one_build_and_ids_never_change(ecb_dated: list[dict[str, str]], tmp_path: Path,
                                                          no_embed_config: Path) -> None:
    gold = {r["id"]: r["label"] for r in ecb_dated}
    whole = tmp_path / "whole.db"
    assert cli("ingest", str(write_jsonl(ecb_dated, tmp_path / "all.jsonl")), db=whole).returncode == 0
    assert cli("build", "--only", "dedupe", "--only", "events", db=whole, config=no_embed_config).returncode == 0
    batch_f1 = b_cubed(_assignments(whole), gold).f1

    sliced = tmp_path / "sliced.db"
    n = len(ecb_dated)
    seen: dict[str, str] = {}
    for k in range(5):
        part = ecb_dated[k * n // 5:(k + 1) * n // 5]
        assert cli("ingest", str(write_jsonl(part, tmp_path / f"s{k}.jsonl")), db=sliced).returncode == 0
        assert cli("build", "--only", "dedupe", "--only", "events", db=sliced, config=no_embed_config).returncode == 0
        now = _assignments(sliced)
        assert all(now[a] == e for a, e in seen.items()), "an event id changed after a later slice"
        seen = now
    slices_f1 = b_cubed(seen, gold).f1
    assert batch_f1 > 0.8
    assert abs(slices_f1 - batch_f1) <= 0.01, (slices_f1, batch_f1)


@pytest.mark.slow
def test_killed_build_rerun_equals_uninterrupted(ecb_dated: list[dict[str, str]], tmp_path: Path,
                                                 no_embed_config: Path) -> None:
    corpus = write_jsonl(ecb_dated[:150], tmp_path / "c.jsonl")
    reference, killed = tmp_path / "ref.db", tmp_path / "killed.db"
    for db in (reference, killed):
        assert cli("ingest", str(corpus), db=db).returncode == 0
    assert cli("build", "--only", "dedupe", "--only", "events", db=reference, config=no_embed_config).returncode == 0

    cmd = [sys.executable, "-m", "storyline.cli.main", "-q", "--db", str(killed), "--config", str(no_embed_config),
           "build", "--only", "dedupe", "--only", "events"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"file:{killed}?mode=ro", uri=True, timeout=1) as conn:
                done = conn.execute("SELECT count(*) FROM articles WHERE event_id IS NOT NULL").fetchone()[0]
        except sqlite3.OperationalError:
            done = 0
        if done > 0:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait()
    assert 0 < done < 150, f"the build was not caught mid-run ({done} of 150 done)"
    assert cli("build", "--only", "dedupe", "--only", "events", db=killed, config=no_embed_config).returncode == 0
    assert _assignments(killed) == _assignments(reference)
    assert _events(killed) == _events(reference)


def _legacy_df_blob(conn: sqlite3.Connection) -> bytes:
    """The document frequencies as stores before migration 105 kept them: (count, int32 columns, int64 values)."""
    import zlib

    import numpy as np

    rows = conn.execute("SELECT col, n FROM event_df ORDER BY col").fetchall()
    cols = np.asarray([r[0] for r in rows], dtype=np.int32)
    values = np.asarray([r[1] for r in rows], dtype=np.int64)
    return zlib.compress(np.int64(cols.size).tobytes() + cols.tobytes() + values.tobytes(), 1)


@pytest.mark.slow
def test_a_store_from_before_the_saved_neighbours_terms_and_df_table_continues(
        ecb_dated: list[dict[str, str]], tmp_path: Path, no_embed_config: Path) -> None:
    """Builds made before migrations 102-105 have no neighbour lists, top terms or df table: a later build copes."""
    first, later = ecb_dated[:120], ecb_dated[120:160]
    legacy, fresh = tmp_path / "legacy.db", tmp_path / "fresh.db"
    for db in (legacy, fresh):
        assert cli("ingest", str(write_jsonl(first, tmp_path / "a.jsonl")), db=db).returncode == 0
        assert cli("build", "--only", "dedupe", "--only", "events", db=db, config=no_embed_config).returncode == 0
    with sqlite3.connect(legacy) as conn:          # turn it into what the older code left behind
        blob = _legacy_df_blob(conn)
        conn.execute("INSERT INTO event_model(key, value) VALUES ('df', ?)", (blob,))
        conn.execute("DELETE FROM event_df")
        conn.execute("UPDATE event_assignments SET profile = NULL, terms = NULL")
    before = _assignments(legacy)
    for db in (legacy, fresh):
        assert cli("ingest", str(write_jsonl(later, tmp_path / "b.jsonl")), db=db).returncode == 0
        built = cli("build", "--only", "dedupe", "--only", "events", db=db, config=no_embed_config)
        assert built.returncode == 0, built.stderr
    after = _assignments(legacy)
    assert all(after[a] == e for a, e in before.items()), "an earlier event id changed"
    assert all(after.values()), "every article has an event"
    with sqlite3.connect(legacy) as conn:
        assert conn.execute("SELECT count(*) FROM event_model WHERE key = 'df'").fetchone()[0] == 0
        legacy_df = dict(conn.execute("SELECT col, n FROM event_df"))
    with sqlite3.connect(fresh) as conn:
        assert legacy_df == dict(conn.execute("SELECT col, n FROM event_df"))   # the counts carried over exactly
    gold = {r["id"]: r["label"] for r in first + later}
    assert b_cubed(after, gold).f1 >= b_cubed(_assignments(fresh), gold).f1 - 0.05
