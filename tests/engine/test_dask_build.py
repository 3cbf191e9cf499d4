"""`storyline --engine dask`: a 2-worker LocalCluster gives the local engine's database.

By default (per-article work on the workers) every exported table is equal to
a local build's. With ``window_events = true`` a first build clusters events
in time windows on the workers: close to a local build, not equal, and the
state it saves lets later builds continue.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.evaluate.metrics import b_cubed

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _cli(*args: str, db: Path, config: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "storyline.cli.main", "-q", "--db", str(db), "--config", str(config), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)


def _events(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, event_id FROM articles"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.conftest import shared_data

    shared_data("ecbplus")
    import generate

    # 5 articles a day: 600 articles over 120 days, so the 60-day windows make two partitions
    records = [r for r, _ in generate.Generator(600, seed=3, per_day=5).generate()]
    records.sort(key=lambda r: (r["date"], r["id"]))
    folder = tmp_path_factory.mktemp("dask-build")
    head, tail = folder / "head.jsonl", folder / "tail.jsonl"
    cut = len(records) * 9 // 10
    head.write_text("".join(json.dumps(r) + "\n" for r in records[:cut]), encoding="utf-8")
    tail.write_text("".join(json.dumps(r) + "\n" for r in records[cut:]), encoding="utf-8")
    return head, tail


def _config(folder: Path, engine: str, windows: bool = True) -> Path:
    path = folder / f"{engine}.toml"
    extra = f'\n[engine]\ntype = "dask"\nworkers = 2\nwindow_events = {str(windows).lower()}\n' \
        if engine == "dask" else ""
    path.write_text("[events]\nuse_embeddings = false\n" + extra, encoding="utf-8")
    return path


EXPORTED = ("articles", "events", "stories", "entities", "quotes", "facts")


@pytest.mark.slow
def test_dask_default_gives_the_local_database_on_every_exported_table(seeds_dir: Path, tmp_path: Path) -> None:
    """The seeds through the whole pipeline (real embeddings, entities, quotes, facts, summaries), once per engine."""
    exports = {}
    for engine in ("local", "dask"):
        db = tmp_path / f"{engine}.db"
        config = tmp_path / f"{engine}-all.toml"
        config.write_text('[engine]\ntype = "dask"\nworkers = 2\n' if engine == "dask" else "",
                          encoding="utf-8")
        done = _cli("run", str(seeds_dir), db=db, config=config)
        assert done.returncode == 0, done.stderr
        exports[engine] = {kind: _cli("export", kind, "--format", "jsonl", "-o", "-", db=db, config=config).stdout
                           for kind in EXPORTED}
    for kind in EXPORTED:
        assert exports["dask"][kind] == exports["local"][kind], kind
        assert exports["local"][kind].strip(), kind


@pytest.mark.slow
def test_dask_build_matches_local_and_later_builds_continue(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    head, tail = corpus
    results = {}
    for engine in ("local", "dask"):
        db, config = tmp_path / f"{engine}.db", _config(tmp_path, engine)
        assert _cli("ingest", str(head), db=db, config=config).returncode == 0
        built = _cli("build", "--only", "dedupe", "--only", "events", db=db, config=config)
        assert built.returncode == 0, built.stderr
        results[engine] = _events(db)
    agreement = b_cubed(results["dask"], results["local"])
    print("dask vs local B3", agreement)
    assert agreement.f1 >= 0.99, agreement

    db, config = tmp_path / "dask.db", _config(tmp_path, "dask")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events_stale").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM event_assignments WHERE terms IS NULL").fetchone()[0] == 0
    assert _cli("ingest", str(tail), db=db, config=config).returncode == 0
    again = _cli("build", "--only", "dedupe", "--only", "events", db=db, config=config)
    assert again.returncode == 0, again.stderr
    after = _events(db)
    assert all(after[a] == e for a, e in results["dask"].items()), "an event id changed in the later build"
    assert all(after.values()), "every article of the later slice has an event"
