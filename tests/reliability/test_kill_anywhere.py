"""Kill anywhere: SIGKILL a real CLI run at random points of ingest and of every build stage.

The uninterrupted run is recorded stage by stage (a DB snapshot after each).
Each kill point starts one stage's command on the snapshot before that stage,
SIGKILLs it after a random delay within the stage's measured duration, checks
that no process is left behind and that ``PRAGMA integrity_check`` is ok, then
reruns that stage and requires the DB's content and every export to equal the
uninterrupted run's after the same stage. Equal state after a stage means every
later stage sees the same input, so the final exports are equal too (stages are
deterministic: the baseline's own exports are compared against a second
uninterrupted pass of the last stage's rerun in the same way).

Knobs (for a longer soak): STORYLINE_KILL_POINTS (kills that hit a running process, default 20),
STORYLINE_KILL_SEEDS (default 1,2,3,4).
``[events] use_embeddings = false`` keeps each stage to seconds on a CPU-only machine; the embedding
path writes through the same batched transactions.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import cli_cmd, cli_env, integrity, kill_tree, wait_gone

STAGES = ["ingest", "dedupe", "events", "stories", "understand", "summarize"]
EXPORTS = ["articles", "events", "stories", "entities", "quotes", "facts"]
# Bookkeeping that differs between any two runs (times, run records); not part of the results.
SKIP_TABLES = {"runs", "migrations", "sqlite_sequence", "sqlite_stat1"}
VOLATILE_COLUMNS = {"ingested_at", "at", "applied_at", "run_id"}
SEEDS_DIR = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def stage_args(stage: str, db: Path, config: Path) -> list[str]:
    common = ["-q", "--config", str(config), "--db", str(db)]
    return common + (["ingest", str(SEEDS_DIR)] if stage == "ingest" else ["build", "--only", stage])


def copy_db(src: Path | None, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
        if src is not None and Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)


def content(db: Path) -> dict[str, str]:
    """A digest per table of every row (sorted, volatile columns left out); FTS checked by a query."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            if table in SKIP_TABLES or table.startswith("articles_fts"):
                continue
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in VOLATILE_COLUMNS]
            rows = sorted(repr(r) for r in conn.execute(f'SELECT {", ".join(map(repr, cols))} FROM "{table}"'))
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        hits = sorted(r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'the'"))
        out["articles_fts(match)"] = repr(hits)
        return out
    finally:
        conn.close()


def exports(db: Path, out_dir: Path) -> dict[str, bytes]:
    """Every export kind as JSONL bytes, through the same function ``storyline export`` calls."""
    import storyline
    from storyline.export import export_rows

    out_dir.mkdir(parents=True, exist_ok=True)
    sl = storyline.open(db, readonly=True)
    try:
        result = {}
        for kind in EXPORTS:
            target = out_dir / f"{kind}.jsonl"
            export_rows(sl, kind, "jsonl", str(target))
            result[kind] = target.read_bytes()
        return result
    finally:
        sl.close()


def written_state(db: Path, stage: str, expected: dict[str, dict[str, str]]) -> str:
    """Where the kill left the stage's work: none of it, part of it, or all of it committed."""
    now = content(db)
    if now == expected[stage]:
        return "stage complete"
    index = STAGES.index(stage)
    if index and now == expected[STAGES[index - 1]]:
        return "nothing written"
    conn = sqlite3.connect(db)
    try:
        empty = index == 0 and not conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        empty = True
    finally:
        conn.close()
    return "nothing written" if empty else "part written"


def run_stage(stage: str, db: Path, config: Path) -> float:
    started = time.monotonic()
    result = subprocess.run(cli_cmd(*stage_args(stage, db, config)), env=cli_env(), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0 and "Traceback" not in result.stderr, (stage, result.stderr)
    return time.monotonic() - started


@pytest.mark.slow
def test_kill_anywhere(tmp_path: Path) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text("[events]\nuse_embeddings = false\n")
    base = tmp_path / "base.db"
    before: dict[str, Path | None] = {}
    after: dict[str, Path] = {}
    duration: dict[str, float] = {}
    previous: Path | None = None
    for stage in STAGES:
        before[stage] = previous
        duration[stage] = run_stage(stage, base, config)
        after[stage] = tmp_path / f"after-{stage}.db"
        copy_db(base, after[stage])
        previous = after[stage]
    expected_content = {s: content(after[s]) for s in STAGES}
    expected_exports = {s: exports(after[s], tmp_path / "exp" / s) for s in STAGES}
    assert expected_exports["summarize"]["events"] and expected_exports["summarize"]["quotes"]

    n_points = int(os.environ.get("STORYLINE_KILL_POINTS", "20"))
    seeds = [int(s) for s in os.environ.get("STORYLINE_KILL_SEEDS", "1,2,3,4").split(",")]
    killed, report, point = 0, [], -1
    while killed < n_points and point < 2 * n_points:     # a kill after the process ended does not count
        point += 1
        rng = random.Random(seeds[point % len(seeds)] * 1000 + point)
        stage = STAGES[point % len(STAGES)]
        # Half the points anywhere in the stage, half in its last 40% (past the imports and model loads,
        # where its transactions commit).
        delay = rng.uniform(0.6, 0.98) if rng.random() < 0.5 else rng.uniform(0.05, 0.95)
        delay *= duration[stage]
        db = tmp_path / f"kill-{point}.db"
        copy_db(before[stage], db)
        env = cli_env()
        proc = subprocess.Popen(cli_cmd(*stage_args(stage, db, config)), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(delay)
            was_running = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            left = wait_gone(env["STORYLINE_TEST_TAG"], seconds=10)
        finally:
            kill_tree(env["STORYLINE_TEST_TAG"])
        killed += was_running
        report.append(f"{stage}@{delay:.2f}s{'' if was_running else ' (had finished)'}")
        assert left == [], f"kill point {point} ({stage} at {delay:.2f}s): processes left behind {left}"
        state = "nothing written"
        if db.exists():
            assert integrity(db) == "ok", (point, stage)
            state = written_state(db, stage, expected_content)
        report[-1] += f" [{state}]"
        run_stage(stage, db, config)                    # the rerun completes what the kill cut short
        got = content(db)
        diff = sorted(t for t in set(got) | set(expected_content[stage])
                      if got.get(t) != expected_content[stage].get(t))
        assert not diff, f"kill point {point} ({stage} at {delay:.2f}s): tables differ after rerun: {diff}"
        assert exports(db, tmp_path / "exp" / f"kill-{point}") == expected_exports[stage], (point, stage)
        copy_db(None, db)
    print("kill points:", ", ".join(report))
    assert killed >= n_points, f"only {killed} of {point + 1} kills hit a running process: {report}"
