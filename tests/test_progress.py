"""`storyline run` on a terminal shows one bar per stage, each with its rate and an ETA.

The CLI runs under a real pseudo-terminal (progress is drawn only on a TTY),
so this checks what a user sees, not a mock.
"""
from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from storyline.read import count_records

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _run_on_tty(args: list[str], env: dict[str, str], timeout: float = 240) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, close_fds=True)
    os.close(slave)
    out = bytearray()
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:      # the child closed the terminal
            break
        if not data:
            break
        out += data
    os.close(master)
    return proc.wait(timeout=30), ANSI.sub("", out.decode("utf-8", "replace"))


def test_run_shows_a_bar_per_stage_with_rate_and_eta(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    seeds = sorted((ROOT / "examples" / "seeds").iterdir())
    with corpus.open("w", encoding="utf-8") as fh:
        for path in seeds:
            fh.write(json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}) + "\n")
    config = tmp_path / "storyline.toml"
    config.write_text("[events]\nuse_embeddings = false\n", encoding="utf-8")
    env = dict(os.environ, COLUMNS="160", TERM="xterm", PYTHONPATH=str(ROOT / "src"))
    code, screen = _run_on_tty([sys.executable, "-m", "storyline.cli.main", "--db", str(tmp_path / "t.db"),
                                "--config", str(config), "run", str(corpus)], env)
    assert code == 0, screen
    for stage in ("ingest", "dedupe", "events", "stories"):
        lines = [line for line in screen.splitlines() if line.strip().startswith(stage)]
        assert lines, f"no {stage} bar in:\n{screen}"
        final = lines[-1]
        assert "ETA" in final and re.search(r"\d/s", final), final     # rate and ETA columns
        assert re.search(r"\b(\d+)/\1\b", final), final                 # a known total, reached


def test_count_records_knows_jsonl_and_files_but_not_feeds(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"text": "one"}\n{"text": "two"}\n{"text": "three"}', encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name in ("x.txt", "y.html"):
        (tmp_path / "docs" / name).write_text("<html><body>hi</body></html>", encoding="utf-8")
    feed = tmp_path / "f.rss"
    feed.write_text("<rss><channel></channel></rss>", encoding="utf-8")
    assert count_records([jsonl]) == 3
    assert count_records([jsonl, tmp_path / "docs"]) == 5
    assert count_records([feed]) is None
    assert count_records(["-"]) is None
