"""The whole flow, top to bottom: read → clean → store, then build the later stages.

The build stages themselves, what each needs and sets, live in :mod:`.stages`.
Each step is a small named function. ``ingest`` streams records in batches,
so a corpus never sits in memory, and commits each batch in one
transaction, so a killed run loses at most the batch in flight. ``build``
runs every later stage over what is new since its last run.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from .config import Settings
from .errors import RecordError
from .progress import NO_PROGRESS, Progress
from .records import Article, RawDocument, Reject
from .store import Database, IngestCounts, write_batch
from .store.articles import end_run, start_run

BATCH_SIZE = 500


def read_documents(paths: Sequence[str], settings: Settings) -> Iterator[RawDocument | Reject]:
    """Every input record from every path, as a raw document or a reject."""
    from .read import iter_documents

    return iter_documents(paths, **settings.section("ingest"))


def expected_records(paths: Sequence[str], settings: Settings) -> int | None:
    """The number of input records when cheap to know (gives the ingest bar its ETA), else None."""
    from .read import count_records

    return count_records(paths, **settings.section("ingest"))


def clean_document(raw: RawDocument, settings: Settings) -> Article | Reject:
    """Turn one raw record into a clean article, or a reject that says why not."""
    from .clean import make_article

    try:
        return make_article(raw, **settings.section("clean"))
    except RecordError as exc:
        return Reject(raw.source, exc.reason, exc.detail, raw.id)


def clean_batch(batch: list[RawDocument | Reject], settings: Settings,
                mapper: Callable[..., Iterable[Any]] | None = None) -> tuple[list[Article], list[Reject]]:
    """Clean a batch (optionally through a parallel ``mapper``) and split articles from rejects."""
    return finish_clean(start_clean(batch, settings, mapper))


def start_clean(batch: list[RawDocument | Reject], settings: Settings,
                mapper: Callable[..., Iterable[Any]] | None = None) -> tuple[list[Reject], Iterable[Any]]:
    """Hand a batch to the mapper (a pool starts on it at once) and return (reader rejects, pending results)."""
    raws = [r for r in batch if isinstance(r, RawDocument)]
    rejects = [r for r in batch if isinstance(r, Reject)]
    if mapper is None:
        results: Iterable[Article | Reject] = (clean_document(r, settings) for r in raws)
    else:
        results = mapper(clean_document, raws, itertools.repeat(settings))
    return rejects, results


def finish_clean(started: tuple[list[Reject], Iterable[Any]]) -> tuple[list[Article], list[Reject]]:
    """Collect a started batch's results, split into articles and rejects."""
    rejects, results = started
    articles: list[Article] = []
    for result in results:
        (rejects if isinstance(result, Reject) else articles).append(result)
    return articles, rejects


def ingest(db: Database, paths: Sequence[str], settings: Settings, progress: Progress = NO_PROGRESS,
           mapper: Callable[..., Iterable[Any]] | None = None, batch_size: int = BATCH_SIZE) -> IngestCounts:
    """Read, clean and store every record under ``paths``; return the counts."""
    run_id = start_run(db, "ingest", list(paths))
    total = IngestCounts()
    with progress.task("ingest", total=expected_records(paths, settings) if progress.enabled else None) as advance:
        stream = read_documents(paths, settings)
        pending: tuple[int, Any] | None = None
        while True:
            # Read and submit batch k+1 before storing batch k, so workers clean while this process writes.
            batch = list(itertools.islice(stream, batch_size))
            started = (len(batch), start_clean(batch, settings, mapper)) if batch else None
            if pending is not None:
                total.add(write_batch(db, *finish_clean(pending[1]), run_id))
                advance(pending[0])
            if started is None:
                break
            pending = started
    from .clean.titles import retitle_shared_banners

    retitle_shared_banners(db)     # a site banner shows only across records: fixed once they are stored
    end_run(db, run_id)
    return total


@dataclass
class BuildReport:
    """What each stage of a build did (stage name → its own small dict), with per-stage reports."""

    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    reports: list[Any] = field(default_factory=list)


def build(db: Database, settings: Settings, progress: Progress = NO_PROGRESS,
          only: Sequence[str] | None = None, pipeline: Any = None, executor: Any = None) -> BuildReport:
    """Run every build stage (or those in ``only``) over what is new since its last run.

    ``executor`` is the engine stages may hand work to (``[engine]``'s when None).
    """
    from .engine import get_engine
    from .stages import Pipeline, StageContext

    pipeline = pipeline or Pipeline.default()
    pipeline.select(only)                      # an unknown stage name fails before anything runs
    run_id = start_run(db, "build", list(only or []))
    ctx = StageContext(db, settings, progress, executor or get_engine(settings))
    reports = pipeline.run(ctx, only)
    end_run(db, run_id)
    return BuildReport({r.name: r.counts for r in reports}, reports)
