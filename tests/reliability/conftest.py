"""Helpers for the fault-injection suite: run the real CLI as a user would and judge its stderr."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from collections.abc import Callable, Sequence

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(os.environ.get("STORYLINE_TEST_SRC", ROOT / "src"))   # another checkout: run the suite against it
TAG_VAR = "STORYLINE_TEST_TAG"


def cli_env(tag: str | None = None) -> dict[str, str]:
    """The environment of a CLI subprocess: this checkout's sources, offline models, and a tag to find it by."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    env[TAG_VAR] = tag or uuid.uuid4().hex
    return env


def cli_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "storyline.cli.main", *args]


def run_cli(*args: str, timeout: float = 300, preexec_fn: Callable[[], None] | None = None,
            bound_by_modes: bool = False, env: dict[str, str] | None = None, cwd: str | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Run ``storyline ARGS`` in a subprocess.

    ``bound_by_modes``: as root, drop the capabilities that let root ignore
    file modes (setpriv's bounding set), so a 0444 file is read-only to the
    CLI while the checkout stays readable wherever it was cloned (a run as
    ``nobody`` could not import a checkout under a private 0700 folder).
    """
    cmd = cli_cmd(*args)
    if bound_by_modes and os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env or cli_env(),
                          preexec_fn=preexec_fn, cwd=cwd)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 1, no traceback, and stderr is one ``error:`` line containing every one of ``words``."""
    err = result.stderr
    assert "Traceback" not in err, err
    assert result.returncode == 1, (result.returncode, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def integrity(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def tagged_pids(tag: str) -> list[int]:
    """Processes whose environment carries ``tag`` (a CLI run and every worker it started)."""
    needle = f"{TAG_VAR}={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_gone(tag: str, seconds: float = 10) -> list[int]:
    """Wait until no tagged process is left (zombies count as gone); return those still alive."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [pid for pid in tagged_pids(tag) if not _zombie(pid)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def write_corpus(path: Path, n: int, *, words: int = 60, prefix: str = "r") -> Path:
    """A JSONL corpus of ``n`` distinct articles (enough of them starts the ingest worker pool)."""
    para = ("Officials in the district said on Monday that the new bridge would open to traffic next week, "
            "two years after construction began, and that tolls would be collected electronically.")
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = "\n\n".join(f"{para} Record {prefix}{i}, paragraph {k}." for k in range(max(1, words // 30)))
            out.write(json.dumps({"id": f"{prefix}{i}", "title": f"Bridge {i}", "text": text,
                                  "date": "2022-03-01", "language": "en"}) + "\n")
    return path


def kill_tree(tag: str) -> None:
    """Clean up after a test: SIGKILL every process it started (found by tag)."""
    import signal

    for pid in tagged_pids(tag):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def dump(args: Sequence[Any]) -> str:
    return " ".join(map(str, args))
