"""Operational failures of the database and output files: one ``error:`` line naming the file, exit 1.

Items 3-7, 12 and 15 of issue 14, each through the real CLI in a subprocess,
as a user meets them. Every test checks that stderr holds no traceback.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from collections.abc import Callable

import pytest

from storyline.store.schema import MIGRATIONS

from .conftest import (assert_one_line_error, cli_cmd, cli_env, integrity, kill_tree, run_cli, wait_gone,
                       write_corpus)

SCHEMA_VERSION = max(version for version, _, _ in MIGRATIONS)     # what storyline.store.db stamps

N = 3000


def file_size_limit(limit: int) -> Callable[[], None]:
    """A preexec_fn capping every file the CLI writes at ``limit`` bytes: writes past it fail (EFBIG),
    as on a full disk. Python ignores SIGXFSZ, so the write fails instead of killing the process."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def count(db: Path, table: str = "articles") -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus.jsonl", N)


def test_disk_full_during_ingest(tmp_path: Path, corpus: Path) -> None:
    """Item 3: the DB (and its WAL) cannot grow past 2 MB; ingest stops with one line, the DB stays sound."""
    db = tmp_path / "full.db"
    result = run_cli("-q", "--db", str(db), "ingest", str(corpus), preexec_fn=file_size_limit(2_000_000))
    assert_one_line_error(result, str(db), "disk full")
    assert integrity(db) == "ok"
    kept = count(db)
    assert 0 < kept < N                          # the batches committed before the failure are kept
    again = run_cli("-q", "--db", str(db), "ingest", str(corpus))
    assert again.returncode == 0, again.stderr
    assert count(db) == N and integrity(db) == "ok"


@pytest.mark.slow
def test_disk_full_during_build(tmp_path: Path) -> None:
    """Item 3: a build stage (dedupe's signatures) meets a full disk: one line, the DB stays sound."""
    db = tmp_path / "build.db"
    n = 800
    corpus = write_corpus(tmp_path / "small.jsonl", n)
    assert run_cli("-q", "--db", str(db), "ingest", str(corpus)).returncode == 0
    # Checkpoint so the DB file holds everything and the WAL starts empty.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    limit = 100_000                              # the WAL may grow to 100 kB; dedupe writes far more
    result = run_cli("-q", "--db", str(db), "build", "--only", "dedupe", preexec_fn=file_size_limit(limit))
    assert_one_line_error(result, str(db), "disk full")
    assert integrity(db) == "ok"
    assert run_cli("-q", "--db", str(db), "build", "--only", "dedupe").returncode == 0
    assert count(db, "dedupe_signatures") == n


def test_read_only_database(tmp_path: Path) -> None:
    """Item 4: a DB file this user cannot write (mode 0444). As root the CLI runs without the
    capabilities that override file modes (setpriv), so the mode binds it. Reading it still works."""
    db = tmp_path / "ro.db"
    assert run_cli("-q", "--db", str(db), "ingest", str(Path(__file__).parents[2] / "examples" / "seeds")
                   ).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for leftover in (tmp_path / "ro.db-wal", tmp_path / "ro.db-shm"):
        leftover.unlink(missing_ok=True)
    db.chmod(0o444)
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.fail("running as root without setpriv (util-linux): cannot make a file read-only for the CLI")
    corpus = write_corpus(tmp_path / "more.jsonl", 3)
    result = run_cli("-q", "--db", str(db), "ingest", str(corpus), bound_by_modes=True)
    assert_one_line_error(result, str(db), "read-only")
    assert integrity(db) == "ok" and count(db) == 5
    assert run_cli("-q", "--db", str(db), "stats", bound_by_modes=True).returncode == 0, "reading still works"


def test_uncreatable_db_folder(tmp_path: Path) -> None:
    """Item 5: --db under a path whose parent is a file: the folder cannot be created."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "sub" / "x.db"
    result = run_cli("--db", str(target), "ingest", str(Path(__file__).parents[2] / "examples" / "seeds"))
    assert_one_line_error(result, str(target), "cannot create the folder")


def _foreign_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users(name) VALUES ('alice')")
    conn.commit()
    conn.close()
    return path


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    """Item 6: another application's SQLite file: no command writes into it or reads it as ours."""
    db = _foreign_db(tmp_path / "other.db")
    seeds = str(Path(__file__).parents[2] / "examples" / "seeds")
    assert_one_line_error(run_cli("--db", str(db), "ingest", seeds), str(db), "not a storyline database")
    assert _tables(db) == {"users"}              # nothing of storyline's was added
    assert_one_line_error(run_cli("--db", str(db), "stats"), str(db), "not a storyline database")


def test_empty_and_non_sqlite_files(tmp_path: Path) -> None:
    """Item 6: an empty file reads as 'nothing ingested yet'; a text file is not a database."""
    empty = tmp_path / "empty.db"
    empty.touch()
    assert_one_line_error(run_cli("--db", str(empty), "stats"), str(empty), "empty")
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 100)
    assert_one_line_error(run_cli("--db", str(text), "stats"), str(text), "not a storyline database")
    assert_one_line_error(run_cli("--db", str(text), "ingest", str(tmp_path)), str(text))
    assert text.read_text().startswith("these are my notes")


@pytest.mark.parametrize("how", ["migration", "user_version"])
def test_newer_schema_is_refused(tmp_path: Path, how: str) -> None:
    """Item 7: a DB from a newer storyline (an unknown migration, or a higher user_version)."""
    db = tmp_path / "newer.db"
    assert run_cli("-q", "--db", str(db), "ingest", str(tmp_path)).returncode == 0
    newer = SCHEMA_VERSION + 7
    conn = sqlite3.connect(db)
    if how == "migration":
        conn.execute("INSERT INTO migrations(version, name) VALUES (?, 'from the future')", (newer,))
        conn.execute("ALTER TABLE articles RENAME COLUMN title TO headline")
    else:
        conn.execute(f"PRAGMA user_version = {newer}")
    conn.commit()
    conn.close()
    for args in (["stats"], ["ingest", str(tmp_path)], ["articles"]):
        line = assert_one_line_error(run_cli("--db", str(db), *args), str(db), "newer storyline")
        assert str(newer) in line and str(SCHEMA_VERSION) in line


def test_report_into_missing_folder(tmp_path: Path) -> None:
    """Item 12: ``report -o`` into a folder that does not exist."""
    db = tmp_path / "r.db"
    assert run_cli("-q", "--db", str(db), "ingest", str(Path(__file__).parents[2] / "examples" / "seeds")
                   ).returncode == 0
    target = tmp_path / "missing" / "report.html"
    assert_one_line_error(run_cli("--db", str(db), "report", "-o", str(target)), str(target), "does not exist")


def test_killed_run_is_marked_interrupted(tmp_path: Path, corpus: Path) -> None:
    """Item 15: SIGKILL leaves the run open; the next command that opens the DB to write closes it."""
    db = tmp_path / "k.db"
    env = cli_env()
    proc = subprocess.Popen(cli_cmd("-q", "--db", str(db), "ingest", str(corpus)), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if count(db, "runs"):
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        assert proc.poll() is None, "ingest ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        kill_tree(env["STORYLINE_TEST_TAG"])
    assert wait_gone(env["STORYLINE_TEST_TAG"]) == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM runs WHERE ended_at IS NULL").fetchone()[0] == 1
    conn.close()
    assert run_cli("-q", "--db", str(db), "ingest", str(corpus)).returncode == 0
    conn = sqlite3.connect(db)
    runs = conn.execute("SELECT id, status, ended_at IS NOT NULL FROM runs ORDER BY id").fetchall()
    conn.close()
    assert runs == [(1, "interrupted", 1), (2, "done", 1)]
