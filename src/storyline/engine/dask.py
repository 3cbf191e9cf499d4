"""Dask distributed engine: per-article work as partitions on workers, larger tasks one by one.

``[engine] type = "dask"`` with ``scheduler = "tcp://host:8786"`` uses a running
cluster; with no scheduler a LocalCluster is started on this machine. The
SQLite store stays on the client: workers return results and the client
writes them back in batches (as the local engine does).

* :meth:`DaskEngine.mapper` gives the same ``map(fn, *iterables)`` contract as
  the local engine's process pool (order kept), shipping ``partition_size``
  items per task: cleaning, dedupe signatures, embeddings and entities are
  independent per article.
* :meth:`DaskEngine.map_tasks` runs one task per argument tuple: with
  ``window_events = true`` the events stage sends it time windows of
  articles to cluster for a first build (``events.windowed``; B³ 0.996 against
  a sequential build, not equal). Off by default, so a Dask build gives the
  same database as a local one: the per-article work (cleaning, dedupe
  signatures) runs on the workers, the clustering on the client.
  ``window_days`` / ``overlap_days`` say how the engine cuts time into those
  windows; the events package owns what is done in them.
"""
from __future__ import annotations

import contextlib
import itertools
from typing import Any, Callable, Iterable, Iterator

from ..errors import ConfigError, DependencyError

MapFn = Callable[..., Iterable[Any]]


class DaskEngine:
    """Runs storyline's parallel work on a Dask cluster (or a LocalCluster when no address is given)."""

    distributed = True      # a stage may hand it whole tasks (events.windowed) rather than articles

    def __init__(self, scheduler: str | None = None, workers: int = 2, threads_per_worker: int = 1,
                 processes: bool = True, partition_size: int = 200, window_days: int = 60,
                 overlap_days: int | None = None, memory_limit: str = "auto", window_events: bool = False) -> None:
        if workers < 1 or threads_per_worker < 1 or partition_size < 1 or window_days < 1:
            raise ConfigError("[engine] workers, threads_per_worker, partition_size and window_days must be >= 1")
        self.scheduler = scheduler
        self.workers = workers
        self.threads_per_worker = threads_per_worker
        self.processes = processes
        self.partition_size = partition_size
        self.window_days = window_days
        self.overlap_days = overlap_days
        self.memory_limit = memory_limit
        self.window_events = window_events

    @contextlib.contextmanager
    def client(self) -> Iterator[Any]:
        """A connected ``distributed.Client``; a LocalCluster lives only as long as the block."""
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise DependencyError("the dask engine needs dask[distributed]: pip install 'dask[distributed]'") from exc
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="20s")  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
            with client:
                yield client
            return
        with LocalCluster(n_workers=self.workers, threads_per_worker=self.threads_per_worker,  # type: ignore[no-untyped-call]
                          processes=self.processes, memory_limit=self.memory_limit,
                          dashboard_address=None) as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client

    @contextlib.contextmanager
    def mapper(self) -> Iterator[MapFn | None]:
        """Yield ``map(fn, *iterables)`` that runs partitions on the workers, results in input order."""
        with self.client() as client:
            def map_items(fn: Callable[..., Any], *its: Iterable[Any]) -> Iterable[Any]:
                args = list(zip(*its))
                parts = [args[i:i + self.partition_size] for i in range(0, len(args), self.partition_size)]
                futures = client.map(_apply_partition, [fn] * len(parts), parts, pure=False)
                return itertools.chain.from_iterable(client.gather(futures))

            yield map_items

    def map_tasks(self, fn: Callable[..., Any], *its: Iterable[Any]) -> list[Any]:
        """Run ``fn`` once per argument tuple as its own task on the workers; results in order.

        For work whose items are large and few (a time window of articles), where
        :meth:`mapper`'s partitions of ``partition_size`` items would be the wrong unit.
        """
        args = list(zip(*its))
        if not args:
            return []
        with self.client() as client:
            return list(client.gather(client.map(_apply_one, [fn] * len(args), args, pure=False)))


def _apply_partition(fn: Callable[..., Any], part: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``fn`` over one partition's argument tuples on a worker."""
    return [fn(*args) for args in part]


def _apply_one(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """Run ``fn`` on one argument tuple on a worker."""
    return fn(*args)
