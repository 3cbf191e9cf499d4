"""Annotation in worker processes started with the build: same rows as in this process, and closed on failure."""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

import storyline
from storyline.config import Settings
from storyline.progress import NO_PROGRESS
from storyline.stages import Pipeline, StageContext
from storyline.store import Database
from storyline.understand.annotate import WATERMARK, Annotator


def _annotations(db: Any) -> list[list[tuple[Any, ...]]]:
    """Mentions, margin mentions and sentences, in the order they were written."""
    return [[tuple(r) for r in db.query(f"SELECT article_id, start, end, text{extra} FROM {table} ORDER BY rowid")]
            for table, extra in (("mentions", ", label, roles"), ("margin_mentions", ", label, roles"),
                                 ("sentences", ", position"))]


def _forget_annotations(db: Any) -> None:
    with db.transaction() as conn:
        for table in ("mentions", "margin_mentions", "sentences", "quotes_stale"):
            conn.execute(f"DELETE FROM {table}")
        db.set_state(WATERMARK, 0)


def test_worker_pool_writes_what_this_process_writes(seeds_db_copy: Path) -> None:
    sl = storyline.open(seeds_db_copy)          # the seeds were annotated in-process (5 articles < 200)
    before = _annotations(sl.db)
    _forget_annotations(sl.db)
    annotator = Annotator(sl.db, n_process=2).start()
    assert annotator.pool is not None and annotator.pending     # submitted before run, as the build does
    assert annotator.run(NO_PROGRESS) == 5
    assert annotator.pool is None
    assert _annotations(sl.db) == before
    assert int(sl.db.get_state(WATERMARK)) == sl.db.scalar("SELECT max(seq) FROM articles")
    assert sl.db.scalar("SELECT count(*) FROM quotes_stale") == 5
    sl.close()


class _Started:
    closed = False

    def close(self) -> None:
        self.closed = True


class _Early:
    """A stage with a ``start`` hook, after one that fails."""

    name = "early"
    requires: ClassVar[tuple[str, ...]] = ("articles.text",)
    assigns: ClassVar[tuple[str, ...]] = ()
    sections: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.work = _Started()

    def start(self, ctx: StageContext) -> _Started:
        return self.work

    def run(self, ctx: StageContext) -> dict[str, Any]:
        return {}


class _Failing(_Early):
    name = "failing"

    def run(self, ctx: StageContext) -> dict[str, Any]:
        raise RuntimeError("boom")


def test_work_started_early_is_closed_when_an_earlier_stage_fails(tmp_path: Path) -> None:
    early = _Early()
    ctx = StageContext(Database(tmp_path / "s.db"), Settings())
    with pytest.raises(RuntimeError, match="boom"):
        Pipeline([_Failing(), early]).run(ctx)
    assert early.work.closed and ctx.started == {}
