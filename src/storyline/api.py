"""The Python API: ``storyline.open(db)`` gives a :class:`Storyline`; the CLI and web app call only this."""
from __future__ import annotations

import os
from typing import Any, Sequence

from .config import Settings, load_settings
from .errors import NotFoundError
from .progress import NO_PROGRESS, Progress
from .records import Article
from .store import Database, IngestCounts, get_article
from .store.articles import rows


class Storyline:
    """A storyline database and the operations on it.

    >>> sl = Storyline(":memory:")
    >>> sl.stats()["articles"]
    0
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, settings: Settings | None = None,
                 *, readonly: bool = False) -> None:
        self.db = Database(db, readonly=readonly)
        self.settings = settings or load_settings()

    # -- pipeline -------------------------------------------------------
    def ingest(self, paths: Sequence[str], progress: Progress = NO_PROGRESS) -> IngestCounts:
        """Read, clean and store; every record ends stored, duplicate or rejected."""
        from . import pipeline
        from .engine import get_engine

        engine = get_engine(self.settings)
        with engine.mapper() as mapper:
            return pipeline.ingest(self.db, paths, self.settings, progress, mapper=mapper)

    def build(self, progress: Progress = NO_PROGRESS, only: Sequence[str] | None = None) -> Any:
        """Dedupe, events, stories, understanding and summaries over what is new."""
        from . import pipeline

        return pipeline.build(self.db, self.settings, progress, only=only)

    # -- reads ----------------------------------------------------------
    def article(self, article_id: str) -> Article:
        art = get_article(self.db, article_id)
        if art is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return art

    def articles(self, limit: int | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT id, url, title, date, outlet, language, duplicate_of, event_id, story_id"
               " FROM articles ORDER BY coalesce(date, '9999'), seq")
        return rows(self.db, sql + (f" LIMIT {int(limit)}" if limit else ""))

    def rejects(self, limit: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT source, record_id, reason, detail, at FROM rejects ORDER BY seq"
        return rows(self.db, sql + (f" LIMIT {int(limit)}" if limit else ""))

    def stats(self) -> dict[str, Any]:
        """Counts per table and rejects per reason."""
        out: dict[str, Any] = {}
        for table in ("articles", "rejects", "events", "stories", "entities", "quotes", "facts"):
            out[table] = self.db.scalar(f"SELECT count(*) FROM {table}")
        # the ingest line's "duplicates": exact copies seen at ingest and not stored (summed over runs);
        # near-duplicates are stored and linked to their original by the dedupe stage
        out["duplicates"] = self.db.scalar("SELECT coalesce(sum(n_duplicates), 0) FROM runs")
        out["near_duplicates"] = self.db.scalar("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
        out["outlets"] = self.db.scalar("SELECT count(DISTINCT outlet) FROM articles")
        out["reject_reasons"] = {r["reason"]: r["n"] for r in
                                 rows(self.db, "SELECT reason, count(*) AS n FROM rejects GROUP BY reason")}
        span = self.db.one("SELECT min(date), max(date) FROM articles")
        out["first_date"], out["last_date"] = (span[0], span[1]) if span else (None, None)
        return out

    # -- understanding (entities, quotes, facts, summaries) ---------------
    def entities(self, limit: int | None = None, type: str | None = None) -> list[dict[str, Any]]:  # noqa: A002
        """Canonical entities by mention count, with aliases and roles."""
        from .views.lists import list_entities

        return list_entities(self.db, limit, type)

    def entity(self, name: str) -> dict[str, Any]:
        """One entity by id, name or alias, with its articles, events and quotes."""
        from .views.lists import find_entity

        return find_entity(self.db, name)

    def quotes(self, speaker: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes with their speakers, optionally of one speaker (any name or alias)."""
        from .views.lists import list_quotes

        return list_quotes(self.db, speaker, limit=limit)

    def event(self, event_id: str) -> dict[str, Any]:
        """One event: cited summary, sources, facts × outlets, quotes, entities."""
        from .views.pages import get_event

        return get_event(self.db, event_id)

    # -- events and timelines ---------------------------------------------
    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Events in time order: title, when it happened (date, start, end), place, keywords, coverage."""
        from .views.lists import list_events

        return list_events(self.db, limit)

    def timeline(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """The events of one story in time order; all events when no story is named."""
        from .views.lists import timeline

        return timeline(self.db, story_id)

    def stories(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Stories, latest first: title, span, key names, event ids in time order, article count."""
        from .views.lists import list_stories

        return list_stories(self.db, limit)


    def close(self) -> None:
        self.db.close()


def open(db: str | os.PathLike[str] | None = None, settings: Settings | None = None,  # noqa: A001
         *, readonly: bool = False) -> Storyline:
    """Open (creating and migrating if needed) a storyline database."""
    return Storyline(db, settings, readonly=readonly)
