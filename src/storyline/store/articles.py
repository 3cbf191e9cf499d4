"""Article and reject rows: batched, idempotent writes and simple reads."""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable, Iterator

from ..records import Article, Reject
from .db import Database

ARTICLE_COLUMNS = ("id", "url", "url_key", "title", "date", "date_source", "outlet", "language",
                   "text", "raw_text", "source", "content_hash")


@dataclass
class IngestCounts:
    """read = stored + duplicates + rejected, always."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, other: IngestCounts) -> None:
        self.read += other.read
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        for key, n in other.reasons.items():
            self.reasons[key] = self.reasons.get(key, 0) + n

    @property
    def balanced(self) -> bool:
        return self.read == self.stored + self.duplicates + self.rejected


def url_key(url: str | None) -> str | None:
    """Normalize a URL so trivially different spellings of one page match."""
    if not url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip().lower() or None
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def write_batch(db: Database, articles: list[Article], rejects: list[Reject], run_id: int | None) -> IngestCounts:
    """Store one batch in one transaction; an article already present counts as a duplicate.

    "Already present" means the same normalized URL, or the same id with the
    same content, or the same content hash from the same outlet. The same id
    with other content is rejected as ``duplicate-id``: ids are the user's keys.
    """
    counts = IngestCounts(read=len(articles) + len(rejects))
    with db.transaction() as conn:
        for art in articles:
            verdict = _classify(conn, art)
            if verdict == "new":
                _insert(conn, art)
                counts.stored += 1
            elif verdict == "duplicate":
                counts.duplicates += 1
            else:
                rejects.append(Reject(art.source or "", "duplicate-id",
                                      f"id {art.id!r} already stored with other content", art.id))
        for rej in rejects:
            conn.execute("INSERT INTO rejects(source, record_id, reason, detail, run_id) VALUES (?,?,?,?,?)",
                         (rej.source, rej.record_id, rej.reason, rej.detail[:500], run_id))
            counts.rejected += 1
            counts.reasons[rej.reason] = counts.reasons.get(rej.reason, 0) + 1
        if run_id is not None:
            conn.execute("UPDATE runs SET n_read = n_read + ?, n_stored = n_stored + ?,"
                         " n_duplicates = n_duplicates + ?, n_rejected = n_rejected + ? WHERE id = ?",
                         (counts.read, counts.stored, counts.duplicates, counts.rejected, run_id))
    return counts


def _classify(conn: sqlite3.Connection, art: Article) -> str:
    """new | duplicate | conflict (same id, other content)."""
    key = url_key(art.url)
    if key and conn.execute("SELECT 1 FROM articles WHERE url_key = ?", (key,)).fetchone():
        return "duplicate"
    row = conn.execute("SELECT content_hash FROM articles WHERE id = ?", (art.id,)).fetchone()
    if row is not None:
        return "duplicate" if row[0] == art.content_hash else "conflict"
    same = conn.execute("SELECT outlet, url_key FROM articles WHERE content_hash = ?", (art.content_hash,)).fetchall()
    for outlet, other_key in same:
        if (outlet or None) == (art.outlet or None) or not key or not other_key:
            return "duplicate"
    return "new"


def _insert(conn: sqlite3.Connection, art: Article) -> None:
    values = (art.id, art.url, url_key(art.url), art.title, art.date.isoformat() if art.date else None,
              art.date_source, art.outlet, art.language, art.text, art.raw_text, art.source, art.content_hash)
    conn.execute(f"INSERT INTO articles({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                 values)


def row_to_article(row: sqlite3.Row) -> Article:
    keys = row.keys()
    return Article(
        id=row["id"], text=row["text"], title=row["title"], url=row["url"],
        date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        outlet=row["outlet"], language=row["language"],
        raw_text=row["raw_text"] if "raw_text" in keys else None,
        source=row["source"], content_hash=row["content_hash"], date_source=row["date_source"],
        duplicate_of=row["duplicate_of"], event_id=row["event_id"], story_id=row["story_id"])


def iter_articles(db: Database, *, after_seq: int = 0, order: str = "seq",
                  batch: int = 1000) -> Iterator[tuple[int, Article]]:
    """Stream (seq, article) pairs without loading the corpus; ``order`` is ``seq`` or ``date``."""
    order_sql = "seq" if order == "seq" else "coalesce(date, '9999'), seq"
    last = None
    offset = 0
    while True:
        rows = db.query(f"SELECT * FROM articles WHERE seq > ? ORDER BY {order_sql} LIMIT ? OFFSET ?",
                        (after_seq, batch, offset))
        if not rows:
            return
        for row in rows:
            yield row["seq"], row_to_article(row)
        offset += len(rows)
        last = rows[-1]
    del last


def get_article(db: Database, article_id: str) -> Article | None:
    row = db.one("SELECT * FROM articles WHERE id = ?", (article_id,))
    return row_to_article(row) if row else None


def start_run(db: Database, kind: str, args: Any = None) -> int:
    """Record a run with this process's id, so a run whose process dies is marked interrupted later."""
    import json
    import os

    with db.transaction() as conn:
        cur = conn.execute("INSERT INTO runs(kind, args, pid) VALUES (?, ?, ?)",
                           (kind, json.dumps(args, default=str), os.getpid()))
        return int(cur.lastrowid or 0)


def end_run(db: Database, run_id: int) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE runs SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), status = 'done'"
                     " WHERE id = ?", (run_id,))


def rows(db: Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Query as plain dicts (for JSON output and export)."""
    return [dict(r) for r in db.query(sql, tuple(params))]
