"""Worker processes die with their parent; SIGTERM behaves like Ctrl-C (items 2 and 15 of issue 14)."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import cli_cmd, cli_env, integrity, kill_tree, tagged_pids, wait_gone, write_corpus

N = 6000


def start_ingest_with_workers(tmp_path: Path, new_session: bool = False
                              ) -> tuple[subprocess.Popen[str], str, Path, Path]:
    """Start ``storyline ingest`` on a corpus big enough for a 2-worker pool; return once the workers run."""
    corpus = write_corpus(tmp_path / "corpus.jsonl", N)
    config = tmp_path / "storyline.toml"
    config.write_text("[engine]\nworkers = 2\n")
    db = tmp_path / "w.db"
    env = cli_env()
    proc = subprocess.Popen(cli_cmd("-q", "--config", str(config), "--db", str(db), "ingest", str(corpus)),
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=new_session)
    tag = env["STORYLINE_TEST_TAG"]
    deadline = time.monotonic() + 120
    while len(tagged_pids(tag)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is not None or len(tagged_pids(tag)) < 3:
        kill_tree(tag)
        pytest.fail("the ingest pool did not start its 2 workers")
    return proc, tag, db, corpus


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_cli(tmp_path: Path, sig: signal.Signals) -> None:
    """Item 2: after the CLI is killed no worker stays behind (PPID 1, ~110 MB each, before)."""
    proc, tag, db, _ = start_ingest_with_workers(tmp_path)
    try:
        proc.send_signal(sig)
        proc.wait(timeout=60)
        left = wait_gone(tag, seconds=10)
    finally:
        kill_tree(tag)
        if proc.stderr:
            proc.stderr.close()
    assert left == [], f"processes left behind after {sig.name}: {left}"
    assert integrity(db) == "ok"


def test_sigterm_is_like_ctrl_c(tmp_path: Path) -> None:
    """SIGTERM: what is committed stays, "aborted" on stderr, exit 1, no traceback; a rerun completes."""
    proc, tag, db, corpus = start_ingest_with_workers(tmp_path)
    try:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        kill_tree(tag)
    assert "Traceback" not in err, err
    assert proc.returncode == 1 and err.strip().splitlines()[-1] == "aborted", (proc.returncode, err)
    assert integrity(db) == "ok"
    rerun = subprocess.run(cli_cmd("-q", "--db", str(db), "ingest", str(corpus)), env=cli_env(),
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    match = re.search(r"read (\d+) = stored (\d+) \+ duplicates (\d+) \+ rejected (\d+)", rerun.stderr)
    assert match and int(match[1]) == N and int(match[4]) == 0, rerun.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == N
    statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
    conn.close()
    assert statuses == ["interrupted", "done"]      # the aborted run is closed when the rerun starts


def test_ctrl_c_at_a_terminal(tmp_path: Path) -> None:
    """Ctrl-C signals the whole process group: the workers stay quiet (no KeyboardInterrupt tracebacks
    from each of them), the CLI says "aborted" and exits 1, and nothing is left behind."""
    proc, tag, db, _ = start_ingest_with_workers(tmp_path, new_session=True)
    try:
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        left = wait_gone(tag, seconds=10)
    finally:
        kill_tree(tag)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert proc.returncode == 1 and err.strip().splitlines()[-1] == "aborted", (proc.returncode, err)
    assert left == [] and integrity(db) == "ok"


GUARDED_CHILD = """
import os, sys, time
from storyline.engine import guard_worker
pid = os.fork()
if pid == 0:
    guard_worker(os.getppid())
    time.sleep(60)
    os._exit(0)
print(pid, flush=True)
"""


def test_pool_worker_exits_when_parent_is_gone() -> None:
    """The guard itself: a guarded child whose parent exits is gone (death signal, else the watchdog)."""
    import sys

    out = subprocess.run([sys.executable, "-c", GUARDED_CHILD], env=cli_env(), capture_output=True, text=True,
                         timeout=60)
    child_pid = int(out.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child_pid):
        time.sleep(0.05)
    assert not _alive(child_pid)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"
