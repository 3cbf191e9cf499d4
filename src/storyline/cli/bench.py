"""``storyline bench``: the scale benchmark (benchmarks/run.py) from the command line."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import DependencyError

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "run.py"


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args: tuple[str, ...]) -> None:
    """Generate corpora and time every stage: storyline bench --n 10000 [--n 100000] [--engine dask] [--record]."""
    if not SCRIPT.is_file():
        raise DependencyError(f"the benchmark suite is not here ({SCRIPT}); it ships with the source checkout")
    argv = sys.argv
    sys.argv = [str(SCRIPT), *args]
    try:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    finally:
        sys.argv = argv


def register(group: Any) -> None:
    group.add_command(bench)
