"""Progress bars for long work (rich), silent when asked or when not on a terminal."""
from __future__ import annotations

import contextlib
import sys
from typing import Iterator, Protocol


class Advance(Protocol):
    def __call__(self, n: int = 1) -> None: ...


class Progress:
    """One bar per stage, each showing rate and ETA.

    ``with progress.task("events", total=n) as advance: advance(k)``
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._rich = None

    def __enter__(self) -> "Progress":
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


NO_PROGRESS = Progress(enabled=False)
