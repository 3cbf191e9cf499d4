"""Execution engines: where per-article work runs (this machine's cores, or Dask)."""
from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any
from collections.abc import Callable, Iterable, Iterator

from ..config import Settings
from ..errors import ConfigError

MapFn = Callable[..., Iterable[Any]]


PR_SET_PDEATHSIG = 1          # from <linux/prctl.h>
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
WATCHDOG_SECONDS = 1.0


def guard_worker(parent_pid: int | None = None) -> None:
    """Pool initializer: a worker dies with the process that started it, and leaves Ctrl-C to it.

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG);
    elsewhere, and as a backstop, a daemon thread exits once the parent is gone.
    SIGINT is ignored (the parent unwinds and shuts the pool down) and SIGTERM
    gets its default action back, since a forked worker inherits the CLI's handler.
    ``parent_pid`` defaults to the current parent (a forkserver, which itself
    exits when the process that started it dies).
    """
    parent_pid = parent_pid or os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)     # blocked by the parent while it forked us
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:      # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="parent-watchdog").start()


def _watch_parent(parent_pid: int) -> None:
    """Exit this worker as soon as its parent is gone (re-parented to init or a subreaper)."""
    while os.getppid() == parent_pid:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


@contextlib.contextmanager
def stop_signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while the pool forks its workers, and deliver them after.

    A handler that raises KeyboardInterrupt inside a fork hook (logging's
    ``_releaseLock`` runs in the parent after every fork) is swallowed as an
    "exception ignored"; blocked, the signal arrives once ordinary code runs again.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def guarded_pool(workers: int, **kwargs: Any) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process (see :func:`guard_worker`)."""
    return ProcessPoolExecutor(workers, initializer=guard_worker, initargs=(os.getpid(),), **kwargs)


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
            args = list(zip(*its, strict=False))  # as builtin map(): stops at the shortest
            if len(args) < self.min_parallel:
                return [fn(*a) for a in args]
            first = [fn(*args[0])] if pool is None else []
            if pool is None:
                pool = guarded_pool(self.workers)
            rest = args[len(first):]
            with stop_signals_blocked():           # pool.map submits every chunk; the first submit forks
                results = pool.map(fn, *zip(*rest, strict=True), chunksize=self.chunksize)
            return itertools.chain(first, results)

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
        from .dask import DaskEngine

        return DaskEngine(**options)
    raise ConfigError(f"unknown engine {kind!r}; choose 'local' or 'dask'")
