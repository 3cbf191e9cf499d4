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
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from .schema import MIGRATIONS

DEFAULT_DB = "storyline.db"


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
        self.conn = self._connect()
        if not readonly:
            self.migrate()

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
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; return the versions applied."""
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT,"
                " applied_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))")
            done = {r[0] for r in self.conn.execute("SELECT version FROM migrations")}
            applied = []
            for version, name, sql in sorted(MIGRATIONS):
                if version in done:
                    continue
                with self.transaction():
                    for statement in _split_sql(sql):
                        self.conn.execute(statement)
                    self.conn.execute("INSERT INTO migrations(version, name) VALUES (?, ?)", (version, name))
                applied.append(version)
            return applied
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot migrate database {self.path}: {exc}") from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: commit on success, roll back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_state(self, key: str, default: Any = None) -> Any:
        """Read a JSON value from the ``state`` table."""
        raw = self.scalar("SELECT value FROM state WHERE key = ?", (key,))
        return default if raw is None else json.loads(raw)

    def set_state(self, key: str, value: Any) -> None:
        """Write a JSON value into ``state``; call inside a transaction to keep it atomic."""
        self.conn.execute("INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (key, json.dumps(value)))

    def integrity_ok(self) -> bool:
        return self.scalar("PRAGMA integrity_check") == "ok"

    def close(self) -> None:
        self.conn.close()


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
