"""`storyline bench` runs the suite from both entry points, and says where to run it when it is not found."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("entry", ["module", "script"])
def test_both_entry_points_reach_the_suite(entry: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "storyline.cli"] if entry == "module" else \
        [shutil.which("storyline", path=str(Path(sys.executable).parent)) or "storyline"]
    done = subprocess.run([*command, "bench", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--embed-sample" in done.stdout          # the suite's own argparse help


def test_outside_a_checkout_the_suite_is_looked_up_by_env(tmp_path: Path) -> None:
    env = dict(os.environ, STORYLINE_BENCHMARKS=str(ROOT / "benchmarks"))
    done = subprocess.run([sys.executable, "-m", "storyline.cli", "bench", "--help"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--embed-sample" in done.stdout
