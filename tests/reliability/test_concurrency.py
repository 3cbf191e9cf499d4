"""Two writers at once and a reader during a build: both finish, nothing is lost, every request answers."""
from __future__ import annotations

import re
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from storyline.web import create_app

from tests.helpers import LiveServer

from .conftest import cli_cmd, cli_env, integrity, write_corpus

SEEDS_DIR = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def test_two_processes_ingest_into_one_db(tmp_path: Path) -> None:
    """Two ``ingest`` processes on one DB (each corpus 1500 records): both exit 0, every record stored once."""
    db = tmp_path / "two.db"
    corpora = [write_corpus(tmp_path / f"c{k}.jsonl", 1500, prefix=f"p{k}-") for k in (0, 1)]
    procs = [subprocess.Popen(cli_cmd("-q", "--db", str(db), "ingest", str(c)), env=cli_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for c in corpora]
    errs = [p.communicate(timeout=600)[1] for p in procs]
    for proc, err in zip(procs, errs, strict=True):
        assert proc.returncode == 0 and "Traceback" not in err, err
        assert re.search(r"read 1500 = stored 1500 \+ duplicates 0 \+ rejected 0", err), err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == 3000
    assert [r[0] for r in conn.execute("SELECT status FROM runs")] == ["done", "done"]
    conn.close()
    assert integrity(db) == "ok"


@pytest.mark.slow
def test_serve_during_build(tmp_path: Path) -> None:
    """The web app keeps answering (200, never 5xx) while ``build`` writes to the same DB."""
    db = tmp_path / "live.db"
    ingest = subprocess.run(cli_cmd("-q", "--db", str(db), "ingest", str(SEEDS_DIR)), env=cli_env(),
                            capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    config = tmp_path / "storyline.toml"
    config.write_text("[events]\nuse_embeddings = false\n")
    statuses: list[int] = []
    with LiveServer(create_app(db)) as server:
        build = subprocess.Popen(cli_cmd("-q", "--config", str(config), "--db", str(db), "build"), env=cli_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        done = threading.Event()

        def poll() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                while not done.is_set():
                    for path in ("/", "/api/stories", "/search?q=the", "/articles/000_468fb4437cf128b2"):
                        statuses.append(http.get(path).status_code)
                    time.sleep(0.05)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            _, err = build.communicate(timeout=600)
        finally:
            done.set()
            poller.join(timeout=60)
        assert build.returncode == 0, err
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert http.get("/api/stories").json()["stories"], "the build's stories are served at once"
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
