"""tests/newcomer.sh on the seeds: every command README shows after `make demo` exits 0, word for word."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import stop_group

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_readme_commands_after_make_demo_all_exit_0(seeds_db: Path, tmp_path: Path) -> None:
    if not (ROOT / ".venv" / "bin" / "activate").exists():
        pytest.skip("no .venv: the README's commands start by activating it")
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "newcomer.sh", tmp_path / "tests" / "newcomer.sh")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    os.symlink(ROOT / ".venv", tmp_path / ".venv")
    shutil.copy(seeds_db, tmp_path / "demo.db")            # what `make demo` leaves behind
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))          # the script picks a free port
    script = subprocess.Popen(["bash", "tests/newcomer.sh"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = script.communicate(timeout=900)
    finally:
        stop_group(script)   # the script and the `serve` it started, even when it timed out or failed
    assert script.returncode == 0, out + err
    assert "all exit 0" in out and out.count("ok:") >= 8
    assert (tmp_path / "report.html").stat().st_size > 0
