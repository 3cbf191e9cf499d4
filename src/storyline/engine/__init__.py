"""Execution engines: where per-article work runs (this machine's cores, or Dask)."""
from __future__ import annotations

import contextlib
import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

from ..config import Settings
from ..errors import ConfigError

MapFn = Callable[..., Iterable[Any]]


class LocalEngine:
    """A process pool over this machine's cores; one worker means plain in-process calls."""

    distributed = False

    def __init__(self, workers: int | None = None, chunksize: int = 16, min_parallel: int = 64) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"engine.workers must be >= 1, got {workers}")
        if min_parallel < 1:
            raise ConfigError(f"engine.min_parallel must be >= 1, got {min_parallel}")
        self.workers = workers or os.cpu_count() or 1
        self.chunksize = chunksize
        self.min_parallel = min_parallel

    @contextlib.contextmanager
    def mapper(self) -> Iterator[MapFn | None]:
        """Yield a ``map``-like function, or None for in-process work.

        The pool starts only for a batch of at least ``min_parallel`` items
        (starting workers costs more than cleaning a handful of articles), and
        only after one item ran here: imports and models loaded by it are then
        inherited by forked workers instead of being loaded once per worker.
        """
        if self.workers <= 1:
            yield None
            return
        pool: ProcessPoolExecutor | None = None

        def map_items(fn: Callable[..., Any], *its: Iterable[Any]) -> Iterable[Any]:
            nonlocal pool
            args = list(zip(*its))
            if len(args) < self.min_parallel:
                return [fn(*a) for a in args]
            first = [fn(*args[0])] if pool is None else []
            if pool is None:
                pool = ProcessPoolExecutor(self.workers)
            rest = args[len(first):]
            return itertools.chain(first, pool.map(fn, *zip(*rest), chunksize=self.chunksize))

        try:
            yield map_items
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)


def get_engine(settings: Settings) -> Any:
    """Build the engine named in ``[engine] type`` (``local`` by default)."""
    options = settings.section("engine")
    kind = options.pop("type", "local")
    if kind == "local":
        return LocalEngine(**options)
    if kind == "dask":
        from .dask import DaskEngine  # type: ignore[import-not-found]

        return DaskEngine(**options)
    raise ConfigError(f"unknown engine {kind!r}; choose 'local' or 'dask'")
