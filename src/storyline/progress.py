"""Progress for long work: rich bars on a terminal, plain lines when stderr is a file or pipe, or nothing.

Off a terminal (``storyline run ... 2> log``) a stage that runs for a while
prints a line such as ``ingest: 1,200/5,000 (24%) 35/s`` every
``PLAIN_EVERY`` seconds and ``ingest: done 5,000 in 142 s``; a stage that
ends within ``PLAIN_EVERY`` seconds prints nothing, so quick commands and
their one-line errors stay as they are.
"""
from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress


class Advance(Protocol):
    def __call__(self, n: int = 1) -> None: ...


class Progress:
    """One bar per stage, each showing rate and ETA.

    ``with progress.task("events", total=n) as advance: advance(k)``
    """

    def __init__(self, enabled: bool | None = None) -> None:
        on_terminal = sys.stderr.isatty()
        self.enabled = on_terminal if enabled is None else enabled
        self.plain = enabled is None and not on_terminal
        self._rich: RichProgress | None = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                       TaskProgressColumn, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._rich = RichProgress(
                TextColumn("[bold]{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=False)
            self._rich.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.__exit__(*exc)  # type: ignore[arg-type]
            self._rich = None

    @contextlib.contextmanager
    def task(self, name: str, total: int | None = None) -> Iterator[Advance]:
        """A bar for one stage; yields a function that advances it."""
        if self._rich is None:
            if self.plain:
                with _plain_task(name, total) as plain_advance:
                    yield plain_advance
            else:
                yield lambda n=1: None
            return
        bar = self._rich.add_task(name, total=total, rate="")
        progress = self._rich

        def show_rate() -> None:
            task = progress.tasks[bar]
            # rich's own speed needs two samples in its window; the mean since the start always exists
            speed = task.speed or (task.completed / task.elapsed if task.elapsed else None)
            progress.update(bar, rate=f"{speed:,.0f}/s" if speed else "")

        def advance(n: int = 1) -> None:
            progress.advance(bar, n)
            show_rate()

        try:
            yield advance
        finally:
            progress.update(bar, total=progress.tasks[bar].completed)
            show_rate()


PLAIN_EVERY = 5.0     # seconds between plain progress lines


@contextlib.contextmanager
def _plain_task(name: str, total: int | None) -> Iterator[Advance]:
    """Plain progress lines on stderr for one stage: every PLAIN_EVERY seconds, and when it ends late."""
    start = last = time.monotonic()
    done = 0

    def line(text: str) -> None:
        print(f"{name}: {text}", file=sys.stderr, flush=True)

    def advance(n: int = 1) -> None:
        nonlocal done, last
        done += n
        now = time.monotonic()
        if now - last >= PLAIN_EVERY:
            last = now
            rate = done / (now - start) if now > start else 0.0
            of = f"/{total:,} ({100 * done / total:.0f}%)" if total else ""
            line(f"{done:,}{of} {rate:,.0f}/s")

    yield advance
    elapsed = time.monotonic() - start
    if elapsed >= PLAIN_EVERY:
        line(f"done {done:,} in {elapsed:,.0f} s")


NO_PROGRESS = Progress(enabled=False)
