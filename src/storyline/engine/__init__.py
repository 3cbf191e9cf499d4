"""Execution engines: where per-article work runs (this machine's cores, or Dask)."""
from __future__ import annotations

import contextlib
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

from ..config import Settings
from ..errors import ConfigError

MapFn = Callable[..., Iterable[Any]]


class LocalEngine:
    """A process pool over this machine's cores; one worker means plain in-process calls."""

    def __init__(self, workers: int | None = None, chunksize: int = 16) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"engine.workers must be >= 1, got {workers}")
        self.workers = workers or os.cpu_count() or 1
        self.chunksize = chunksize

    @contextlib.contextmanager
    def mapper(self) -> Iterator[MapFn | None]:
        """Yield a ``map``-like function, or None for in-process work."""
        if self.workers <= 1:
            yield None
            return
        with ProcessPoolExecutor(self.workers) as pool:
            yield lambda fn, *its: pool.map(fn, *its, chunksize=self.chunksize)


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
