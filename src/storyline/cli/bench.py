"""``storyline bench``: the scale benchmark (``benchmarks/run.py``) from the command line.

The suite ships with the source checkout, not inside the package (it generates
corpora and times the installed CLI as a user runs it). It is found at
``$STORYLINE_BENCHMARKS/run.py``, else ``./benchmarks/run.py``, else beside the
package's own source tree (an editable install); an installed copy without a
checkout says so in one line.
"""
from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import DependencyError


def suite_script() -> Path:
    """Where ``benchmarks/run.py`` is, by the order in the module docstring."""
    candidates = [Path(os.environ["STORYLINE_BENCHMARKS"]) / "run.py"] if os.environ.get("STORYLINE_BENCHMARKS") else []
    candidates += [Path.cwd() / "benchmarks" / "run.py", Path(__file__).resolve().parents[3] / "benchmarks" / "run.py"]
    for script in candidates:
        if script.is_file():
            return script
    raise DependencyError("the benchmark suite ships with the source checkout: run `storyline bench` in it, "
                          "or set STORYLINE_BENCHMARKS to its benchmarks/ folder")


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True}, add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args: tuple[str, ...]) -> None:
    """Generate corpora and time every stage: storyline bench --n 10000 [--n 100000] [--engine dask] [--record]."""
    script = suite_script()
    argv = sys.argv
    sys.argv = [str(script), *args]
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = argv


def register(group: Any) -> None:
    group.add_command(bench)
