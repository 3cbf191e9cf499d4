"""SQLite connection, migrations and transactions.

One writer, many readers: WAL mode lets the web app read while ingest or
build writes. Every batch is one transaction, so a killed run leaves the
database at the last committed batch.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from ..errors import (ForeignDatabaseError, ReadOnlyError, SchemaVersionError, StoreError, translate_os,
                      translate_sqlite)
from .schema import MIGRATIONS

DEFAULT_DB = "storyline.db"
# Stamped into the SQLite header (PRAGMA application_id) so a storyline DB is known as one: ASCII "STLN".
APPLICATION_ID = 0x53544C4E
# The newest migration this storyline knows; stamped as PRAGMA user_version so an older storyline refuses it.
SCHEMA_VERSION = max(version for version, _, _ in MIGRATIONS)
# The tables of migration 1: an unstamped file holding all of them was made by an older storyline.
LEGACY_TABLES = {"migrations", "articles", "articles_fts", "rejects", "runs", "state"}


def default_path() -> str:
    """The DB path when none is given: ``$STORYLINE_DB`` or ``./storyline.db``."""
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


class Database:
    """A migrated SQLite database with helpers for batched, idempotent writes.

    >>> db = Database(":memory:")
    >>> db.scalar("SELECT count(*) FROM articles")
    0
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False) -> None:
        self.path = str(path or default_path())
        self.readonly = readonly
        if not readonly:
            self._check_writable()
        self.conn = self._connect()
        try:
            self._check_identity()
            if not readonly:
                self.migrate()
                close_dead_runs(self)
        except BaseException:
            self.conn.close()
            raise

    def _check_writable(self) -> None:
        """Create the DB's folder; refuse a file or folder this user cannot write (SQLite would fail later)."""
        if self.path == ":memory:" or self.path.startswith("file:"):
            return
        file = Path(self.path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {file.parent} for database {self.path}: "
                             f"{exc.strerror or exc}; create it or choose another file with --db") from exc
        if file.is_dir():
            raise StoreError(f"database {self.path} is a folder; choose a file with --db")
        if (file.exists() and not os.access(file, os.W_OK)) or not os.access(file.parent, os.W_OK):
            raise ReadOnlyError(f"database {self.path} is read-only for this user (the file or its folder); "
                                "fix the permissions or choose another file with --db")

    def _check_identity(self) -> None:
        """Refuse another application's SQLite file, an empty file opened to read, and a newer schema."""
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            app_id = int(self.conn.execute("PRAGMA application_id").fetchone()[0])
            user_version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
            recorded = ({int(r[0]) for r in self.conn.execute("SELECT version FROM migrations")}
                        if "migrations" in tables else set())
        except sqlite3.Error as exc:
            raise translate_sqlite(exc, self.path) from exc
        ours = app_id == APPLICATION_ID or LEGACY_TABLES <= tables    # DBs made before the stamp carry none
        if tables and not ours or app_id not in (0, APPLICATION_ID):
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise ForeignDatabaseError(f"{self.path} is not a storyline database (it holds other tables: {shown});"
                                       " storyline will not write into it; choose another file with --db")
        if not tables and self.readonly:
            raise StoreError(f"database {self.path} is empty; run `storyline ingest` on it first")
        check_schema_version(self.path, recorded, user_version)

    def _connect(self) -> sqlite3.Connection:
        """Open the file with WAL and sane pragmas; translate failures into StoreError."""
        try:
            if self.readonly:
                if not Path(self.path).exists():
                    raise StoreError(f"database not found: {self.path}")
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
            else:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            conn.row_factory = sqlite3.Row
            if not self.readonly:
                _set_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            raise translate_sqlite(exc, self.path) from exc
        except OSError as exc:
            raise translate_os(exc, "open") from exc

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; return the versions applied.

        Safe with two processes opening a new file at once: the stamp comes
        first (so the other never sees unstamped storyline tables as foreign),
        and each migration is re-checked under the write lock before it runs.
        """
        try:
            if self.scalar("PRAGMA application_id") != APPLICATION_ID:
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT,"
                " applied_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))")
            done = {r[0] for r in self.conn.execute("SELECT version FROM migrations")}
            applied = []
            for version, name, sql in sorted(MIGRATIONS):
                if version in done:
                    continue
                with self.transaction() as conn:
                    if conn.execute("SELECT 1 FROM migrations WHERE version = ?", (version,)).fetchone():
                        continue                # another process applied it while this one waited
                    for statement in _split_sql(sql):
                        conn.execute(statement)
                    conn.execute("INSERT INTO migrations(version, name) VALUES (?, ?)", (version, name))
                applied.append(version)
            self._stamp()
            return applied
        except sqlite3.Error as exc:
            raise translate_sqlite(exc, self.path) from exc

    def _stamp(self) -> None:
        """Mark the file as a storyline DB of this schema version (only when that changes anything)."""
        app_id = self.scalar("PRAGMA application_id")
        if app_id != APPLICATION_ID or self.scalar("PRAGMA user_version") != SCHEMA_VERSION:
            with self.transaction() as conn:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: commit on success, roll back on any exception.

        A sqlite3 failure inside (disk full, read-only file, locked) leaves as
        the StoreError family that names this file: the place it enters storyline.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate_sqlite(exc, self.path) from exc
        try:
            yield self.conn
        except BaseException as exc:
            _rollback(self.conn)
            if isinstance(exc, sqlite3.Error):
                raise translate_sqlite(exc, self.path) from exc
            raise
        else:
            try:
                self.conn.commit()
            except sqlite3.Error as exc:
                _rollback(self.conn)
                raise translate_sqlite(exc, self.path) from exc

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()   # row_factory is sqlite3.Row
        return row

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_state(self, key: str, default: Any = None) -> Any:
        """Read a JSON value from the ``state`` table."""
        raw = self.scalar("SELECT value FROM state WHERE key = ?", (key,))
        return default if raw is None else json.loads(raw)

    def set_state(self, key: str, value: Any) -> None:
        """Write a JSON value into ``state``; call inside a transaction to keep it atomic."""
        self.conn.execute("INSERT INTO state(key, value) VALUES (?, ?)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (key, json.dumps(value)))

    def integrity_ok(self) -> bool:
        result: object = self.scalar("PRAGMA integrity_check")
        return result == "ok"

    def close(self) -> None:
        self.conn.close()


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back; a connection that lost its transaction already (SQLITE_FULL does that) is fine."""
    try:
        conn.rollback()
    except sqlite3.Error:
        pass


def check_schema_version(path: str, recorded: set[int], user_version: int) -> None:
    """Refuse a DB carrying migrations this storyline does not know: a newer storyline wrote it."""
    known = {version for version, _, _ in MIGRATIONS}
    unknown = recorded - known
    if unknown or user_version > SCHEMA_VERSION:
        theirs = max(unknown | {user_version})
        raise SchemaVersionError(f"database {path} was written by a newer storyline (schema version {theirs}; "
                                 f"this storyline knows up to {SCHEMA_VERSION}); upgrade storyline "
                                 "or choose another file with --db")


def process_alive(pid: int | None) -> bool:
    """Whether a process with this id exists (a run whose process is gone was killed)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_dead_runs(db: Database) -> int:
    """Mark runs whose process died without ending them (SIGKILL, power loss) as interrupted; return how many."""
    open_runs = db.query("SELECT id, pid FROM runs WHERE ended_at IS NULL")
    dead = [r["id"] for r in open_runs if not process_alive(r["pid"])]
    if dead:
        with db.transaction() as conn:
            conn.executemany("UPDATE runs SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
                             " status = 'interrupted' WHERE id = ? AND ended_at IS NULL", [(i,) for i in dead])
    return len(dead)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


WAL_RETRY_SECONDS = 30.0


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch a connection's file to WAL, waiting while another process holds it.

    SQLite answers "database is locked" at once, without the busy handler, when
    the switch meets another connection creating the same new file; seen as a
    flaky failure of two processes creating one database (tests/store).
    """
    deadline = time.monotonic() + WAL_RETRY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
