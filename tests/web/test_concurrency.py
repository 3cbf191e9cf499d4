"""The app keeps answering while ``storyline ingest`` and ``build`` write to the same DB (WAL readers)."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from storyline.web import create_app
from tests.helpers import LiveServer, stop_group

pytestmark = pytest.mark.slow
WORDS = ("minister talks border trade pipeline police court election flood market bank rail port strike "
         "vaccine drought budget summit treaty protest").split()


def _write_corpus(path: Path, n: int, seed: int = 7) -> None:
    """n distinct JSONL articles, each with its own words, date and outlet."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            topic = rng.sample(WORDS, 4)
            body = " ".join(f"Report {i} on the {' and '.join(topic)} in district {rng.randint(1, 500)}: "
                            f"officials said {rng.randint(2, 9000)} people were affected by the {topic[k % 4]}."
                            for k in range(8))
            out.write(json.dumps({"id": f"gen-{i}", "title": f"{topic[0].title()} news number {i}",
                                  "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "outlet": f"Outlet {i % 17}",
                                  "url": f"https://gen.example/{i}", "text": body}) + "\n")


@pytest.mark.slow
def test_pages_answer_while_ingest_and_build_write(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    shutil.copy(web_db, db)
    corpus = tmp_path / "corpus.jsonl"
    _write_corpus(corpus, 2000)
    cli = [sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q"]
    writer = subprocess.Popen(f"{' '.join(cli)} ingest {corpus} && {' '.join(cli)} build",
                              shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)   # its own group, so the shell's children stop with it
    statuses, seen_counts, polls_while_writing = [], set(), 0
    try:
        with LiveServer(create_app(db)) as server, httpx.Client(base_url=server.url, timeout=30) as http:
            deadline = time.monotonic() + 25
            while time.monotonic() < deadline:
                writing = writer.poll() is None
                for path in ("/", "/api/stories", "/search?q=pipeline", "/api/search?q=minister+talks"):
                    statuses.append((path, http.get(path).status_code))
                seen_counts.add(http.get("/api/stories").json()["stats"]["articles"])
                polls_while_writing += writing
                if not writing:
                    break
    finally:
        stop_group(writer)   # the shell and the ingest/build it runs: none outlives the test
    assert [s for s in statuses if s[1] != 200] == []
    assert polls_while_writing >= 3, "the writer finished before the app was polled"
    assert len(seen_counts) >= 2, f"reads saw the writes land progressively: {sorted(seen_counts)}"
