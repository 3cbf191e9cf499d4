"""Issue 14, items 1, 10, 11 and the title cap of 15, reproduced through the real CLI.

Each case failed before: a symlink loop aborted the ingest with a traceback and
stored nothing; "2 days ago" was dated from the machine's clock with source
``field``; UTF-16 with a BOM was rejected as binary; a 200,000-character title
was stored whole. Every run here must exit 0, print no traceback, and balance
read = stored + duplicates + rejected.
"""
from __future__ import annotations

import pytest

import json
import os
import re
import subprocess
import sys
from pathlib import Path

TEXT = ("The regional government announced on Monday a new plan to repair flood defences along the river, "
        "after heavy rains damaged several embankments last month, officials said.")


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STORYLINE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "-q", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def balance(stderr: str) -> tuple[int, int, int, int]:
    match = re.search(r"read (\d+) = stored (\d+) \+ duplicates (\d+) \+ rejected (\d+)", stderr)
    assert match, stderr
    return tuple(map(int, match.groups()))  # type: ignore[return-value]


def test_bad_entries_of_an_input_folder_are_rejects_and_the_good_files_are_stored(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for i in range(3):
        (root / f"good{i}.txt").write_text(f" date 2021-04-0{i + 1} Flood plan {i}\n\n{TEXT} Item {i}.")
    os.symlink("loop_b", root / "loop_a")
    os.symlink("loop_a", root / "loop_b")
    os.symlink("missing.txt", root / "dangling.txt")
    os.symlink(".", root / "self")
    (root / "wide.txt").write_bytes((" date 2021-04-05 Wide text\n\n" + TEXT + " Zürich.").encode("utf-16"))
    done = cli("ingest", str(root), db=tmp_path / "a.db")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert balance(done.stderr) == (8, 4, 0, 4)
    rejects = json.loads(cli("rejects", "--json", db=tmp_path / "a.db").stdout)
    assert sorted((Path(r["source"]).name, r["reason"]) for r in rejects) == [
        ("dangling.txt", "dangling-link"), ("loop_a", "symlink-loop"), ("loop_b", "symlink-loop"),
        ("self", "symlink-loop")]
    articles = {a["id"]: a for a in json.loads(cli("articles", "--json", db=tmp_path / "a.db").stdout)}
    assert articles["wide"]["date"] == "2021-04-05" and "Zürich" in cli("show", "wide", db=tmp_path / "a.db").stdout


@pytest.mark.slow
def test_relative_dates_and_huge_titles_from_records(tmp_path: Path) -> None:
    records = [
        {"id": "rel", "date": "2 days ago", "text": TEXT},
        {"id": "num", "date": "1e20", "text": TEXT + " Second."},
        {"id": "ref", "date": "yesterday", "crawled_at": "2016-03-02", "text": TEXT + " Third."},
        {"id": "big", "title": "Flood " * 40_000, "text": TEXT + " Fourth."},
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    done = cli("ingest", str(tmp_path / "r.jsonl"), db=tmp_path / "r.db")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert balance(done.stderr) == (4, 4, 0, 0)
    rows = {a["id"]: a for a in json.loads(cli("articles", "--json", db=tmp_path / "r.db").stdout)}
    assert rows["rel"]["date"] is None and rows["num"]["date"] is None      # no clock, no date
    assert rows["ref"]["date"] == "2016-03-01"                              # counted from the record's own crawl time
    assert 0 < len(rows["big"]["title"]) <= 300
