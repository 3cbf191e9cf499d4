"""The dedupe build stage: give every new article the earliest copy it duplicates.

Articles not yet in ``dedupe_signatures`` are taken in publication order
(date, then seq) in batches; each batch is one transaction that stores the
signatures and band keys and updates ``articles.duplicate_of``, so a killed
build resumes where it stopped. Duplicate groups are the connected
components of "same content hash or estimated Jaccard >= threshold", and
that relation does not depend on processing order, so incremental builds
give the same groups as one build over everything. Each group points at its
root: the earliest member by (date, seq), re-rooted when an older copy
arrives later.
"""
from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings
from ..progress import NO_PROGRESS, Progress
from ..store import Database
from .minhash import DuplicateFinder

BATCH_SIZE = 500
STATE_KEY = "dedupe"
MAX_CANDIDATES = 200   # a pathological band collision never costs more than this per article


@dataclass
class Member:
    """The fields of an article that decide which copy is the root."""

    seq: int
    id: str
    date: str | None
    duplicate_of: str | None

    @property
    def order(self) -> tuple[str, int]:
        return (self.date or "9999", self.seq)


def run(db: Database, settings: Settings, progress: Progress = NO_PROGRESS, executor: Any = None) -> dict[str, Any]:
    """Dedupe every article not processed yet; return counts for printing.

    MinHash signatures are per-article work: with an ``executor`` they are computed on its
    workers (a local process pool or Dask partitions); band lookups and writes stay here.
    """
    with executor.mapper() if executor is not None else contextlib.nullcontext() as mapper:
        return _run(db, DuplicateFinder(**settings.section("dedupe")), progress, mapper)


def _run(db: Database, finder: DuplicateFinder, progress: Progress, mapper: Any) -> dict[str, Any]:
    pending = db.scalar("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                        "(SELECT 1 FROM dedupe_signatures s WHERE s.seq = a.seq)")
    counts = {"articles": 0, "exact": 0, "near": 0}
    todo = _pending_seqs(db)
    with progress.task("dedupe", total=pending) as advance:
        for start in range(0, len(todo), BATCH_SIZE):
            batch = _load_batch(db, todo[start:start + BATCH_SIZE])
            texts = [row["text"] for row in batch]
            signatures = list(mapper(finder.signature, texts) if mapper else map(finder.signature, texts))
            with db.transaction() as conn:
                for row, signature in zip(batch, signatures):
                    kind = _process(conn, finder, row, signature)
                    if kind:
                        counts[kind] += 1
                db.set_state(STATE_KEY, {"max_seq": max(r["seq"] for r in batch), "params": _params(finder)})
            counts["articles"] += len(batch)
            advance(len(batch))
    counts["duplicates"] = db.scalar("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
    return counts


def _params(finder: DuplicateFinder) -> dict[str, Any]:
    """The settings that made the stored signatures (a change means they must be rebuilt)."""
    return {"shingle_size": finder.shingle_size, "num_perm": finder.num_perm, "seed": finder.seed,
            "bands": list(finder.bands)}


def _pending_seqs(db: Database) -> list[int]:
    """Seqs of unprocessed articles in publication order, read once: re-running the anti-join and
    sort for every batch made the stage quadratic (24% of its time at 100k articles, py-spy)."""
    return [r[0] for r in db.query("SELECT a.seq FROM articles a WHERE NOT EXISTS "
                                   "(SELECT 1 FROM dedupe_signatures s WHERE s.seq = a.seq) "
                                   "ORDER BY coalesce(a.date, '9999'), a.seq")]


def _load_batch(db: Database, seqs: list[int]) -> list[sqlite3.Row]:
    """The rows of ``seqs``, in publication order."""
    marks = ",".join("?" * len(seqs))
    return db.query(f"SELECT a.seq, a.id, a.date, a.text, a.content_hash FROM articles a WHERE a.seq IN ({marks}) "
                    "ORDER BY coalesce(a.date, '9999'), a.seq", list(seqs))


def _process(conn: sqlite3.Connection, finder: DuplicateFinder, row: sqlite3.Row,
             signature: np.ndarray | None) -> str | None:
    """Store one article's signature and link it to the copies already seen; return how it matched."""
    kind = None
    matches = _exact_matches(conn, row)
    if matches:
        kind = "exact"
    if signature is not None:
        near = _near_matches(conn, finder, signature, {_root(conn, seq) for seq in matches})
        if near - matches:
            kind = kind or "near"
        matches |= near
        keys = finder.band_keys(signature)
        conn.executemany("INSERT INTO dedupe_bands(key, seq) VALUES (?, ?)", [(k, row["seq"]) for k in keys])
    conn.execute("INSERT INTO dedupe_signatures(seq, signature) VALUES (?, ?)",
                 (row["seq"], signature.tobytes() if signature is not None else None))
    if matches:
        _join_group(conn, row, matches)
    return kind


def _exact_matches(conn: sqlite3.Connection, row: sqlite3.Row) -> set[int]:
    """Processed articles with the same normalized content hash."""
    found = conn.execute("SELECT a.seq FROM articles a JOIN dedupe_signatures s ON s.seq = a.seq "
                         "WHERE a.content_hash = ? AND a.seq != ?", (row["content_hash"], row["seq"]))
    return {r[0] for r in found}


def _near_matches(conn: sqlite3.Connection, finder: DuplicateFinder, signature: np.ndarray,
                  joined: set[str]) -> set[int]:
    """One processed copy per group that the article joins: band-key candidates whose estimated Jaccard passes.

    Joining a group needs one copy in it, so once a candidate of a group
    passes, the group's other candidates are skipped (``joined`` starts with
    the groups of exact copies). A big syndicated group then costs one check,
    not one per member. (At 100k generated articles this did not change the
    stage's time - 127.6 s before, 121.7 s after; signatures and SQLite
    dominate, see BENCHMARKS.md.)
    """
    keys = finder.band_keys(signature)
    marks = ",".join("?" * len(keys))
    candidates = [r[0] for r in conn.execute(
        f"SELECT DISTINCT seq FROM dedupe_bands WHERE key IN ({marks}) ORDER BY seq LIMIT ?",
        (*keys, MAX_CANDIDATES))]
    roots = _roots(conn, candidates)
    joined = set(joined)
    found = set()
    for seq, blob in _signatures(conn, candidates):
        if roots[seq] in joined:
            continue
        if finder.is_copy(signature, np.frombuffer(blob, dtype=np.uint32)):
            found.add(seq)
            joined.add(roots[seq])
    return found


def _roots(conn: sqlite3.Connection, seqs: list[int]) -> dict[int, str]:
    """Group root id of each article, in one query."""
    if not seqs:
        return {}
    marks = ",".join("?" * len(seqs))
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT seq, coalesce(duplicate_of, id) FROM articles WHERE seq IN ({marks})", seqs)}


def _signatures(conn: sqlite3.Connection, seqs: list[int]) -> list[tuple[int, bytes]]:
    """Stored signatures of some articles."""
    if not seqs:
        return []
    marks = ",".join("?" * len(seqs))
    return [(r[0], r[1]) for r in conn.execute(
        f"SELECT seq, signature FROM dedupe_signatures WHERE seq IN ({marks}) AND signature IS NOT NULL"
        " ORDER BY seq", seqs)]


def _join_group(conn: sqlite3.Connection, row: sqlite3.Row, matches: set[int]) -> None:
    """Merge the article and every group it matched under the earliest root; chains collapse."""
    roots = {_root(conn, seq) for seq in matches}
    me = Member(row["seq"], row["id"], row["date"], None)
    candidates = [me] + [_member_by_id(conn, rid) for rid in roots]
    root = min(candidates, key=lambda m: m.order)
    for member in candidates:
        if member.id == root.id:
            continue
        conn.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", (root.id, member.id))
        conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", (root.id, member.id))
    conn.execute("UPDATE articles SET duplicate_of = NULL WHERE id = ?", (root.id,))


def _root(conn: sqlite3.Connection, seq: int) -> str:
    """The id of the group root of an article (itself when it is the root)."""
    found = conn.execute("SELECT id, duplicate_of FROM articles WHERE seq = ?", (seq,)).fetchone()
    return str(found[1] or found[0])


def _member_by_id(conn: sqlite3.Connection, article_id: str) -> Member:
    found = conn.execute("SELECT seq, id, date, duplicate_of FROM articles WHERE id = ?", (article_id,)).fetchone()
    return Member(found[0], found[1], found[2], found[3])
