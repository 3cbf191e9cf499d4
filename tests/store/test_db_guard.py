"""The store's guards: a stamped schema, foreign and newer files refused, sqlite3 failures translated."""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.errors import DiskFullError, ForeignDatabaseError, ReadOnlyError, SchemaVersionError, StoreError
from storyline.records import Article
from storyline.store import Database, write_batch
from storyline.store.articles import start_run
from storyline.store.db import APPLICATION_ID, SCHEMA_VERSION


def test_new_database_is_stamped(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.db")
    assert db.scalar("PRAGMA application_id") == APPLICATION_ID
    assert db.scalar("PRAGMA user_version") == SCHEMA_VERSION
    db.close()


def test_unstamped_storyline_database_is_adopted(tmp_path: Path) -> None:
    """A DB made before the stamp existed (all of migration 1's tables, no application_id) still opens."""
    path = tmp_path / "old.db"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    db = Database(path)
    assert db.scalar("PRAGMA application_id") == APPLICATION_ID
    db.close()


def test_foreign_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)")   # a name storyline also uses
    conn.execute("CREATE TABLE migrations (version INTEGER)")
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(ForeignDatabaseError, match="not a storyline database"):
            Database(path, readonly=readonly)
    conn = sqlite3.connect(path)
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} == {"articles", "migrations"}
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()


def test_other_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stamped.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()
    with pytest.raises(ForeignDatabaseError):
        Database(path)


def test_newer_schema_names_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations(version, name) VALUES (?, 'future')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(SchemaVersionError, match=f"{SCHEMA_VERSION + 1}.*{SCHEMA_VERSION}"):
            Database(path, readonly=readonly)


def test_empty_file_read_only_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match="empty"):
        Database(path, readonly=True)


def test_write_on_read_only_connection_is_translated(tmp_path: Path) -> None:
    """sqlite3's "attempt to write a readonly database" leaves as ReadOnlyError naming the file."""
    path = tmp_path / "r.db"
    Database(path).close()
    db = Database(path, readonly=True)
    with pytest.raises(ReadOnlyError, match=str(path)):
        with db.transaction() as conn:
            conn.execute("INSERT INTO state(key, value) VALUES ('k', 'v')")
    db.close()


def _articles(n: int, start: int = 0) -> list[Article]:
    return [Article(id=f"a{i}", title=f"T{i}", text=f"Body {i} " + "word " * 2000, date=dt.date(2024, 1, 1),
                    content_hash=f"h{i}") for i in range(start, start + n)]


def test_full_database_is_translated_and_stays_sound(tmp_path: Path) -> None:
    """SQLITE_FULL (here from PRAGMA max_page_count) is a DiskFullError; the batch rolls back whole."""
    path = tmp_path / "f.db"
    db = Database(path)
    write_batch(db, _articles(5), [], None)
    pages = db.scalar("PRAGMA page_count")
    db.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(DiskFullError, match="disk full"):
        write_batch(db, _articles(50, start=5), [], None)
    assert db.scalar("SELECT count(*) FROM articles") == 5
    assert db.integrity_ok()
    db.conn.execute("PRAGMA max_page_count = 1073741823")
    write_batch(db, _articles(50, start=5), [], None)
    assert db.scalar("SELECT count(*) FROM articles") == 55
    db.close()


def test_dead_runs_are_marked_interrupted(tmp_path: Path) -> None:
    """A run whose process is gone is closed as interrupted on the next open; a live one is left open."""
    path = tmp_path / "runs.db"
    db = Database(path)
    mine = start_run(db, "ingest")
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
    with db.transaction() as conn:
        conn.execute("INSERT INTO runs(kind, pid) VALUES ('build', ?)", (int(dead_pid),))
        conn.execute("INSERT INTO runs(kind) VALUES ('build')")              # made before runs had a pid
    db.close()
    db = Database(path)
    status = {r["id"]: (r["status"], r["ended_at"] is not None) for r in db.query("SELECT * FROM runs")}
    assert status[mine] == (None, False)
    assert status[mine + 1] == ("interrupted", True) and status[mine + 2] == ("interrupted", True)
    db.close()


def test_uncreatable_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder"):
        Database(tmp_path / "file" / "sub" / "x.db")


def _open_when_told(path: str, go: object, out: object) -> None:
    go.wait()  # type: ignore[attr-defined]
    try:
        Database(path).close()
        out.put("ok")  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
        out.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


def test_two_processes_create_one_database_at_once(tmp_path: Path) -> None:
    """Both creators of a new file succeed: no "foreign database", no "table already exists"."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    results = []
    for round_no in range(8):
        path = str(tmp_path / f"race{round_no}.db")
        go, out = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_open_when_told, args=(path, go, out)) for _ in range(3)]
        for proc in procs:
            proc.start()
        go.set()
        results += [out.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
    assert set(results) == {"ok"}, sorted(set(results))
