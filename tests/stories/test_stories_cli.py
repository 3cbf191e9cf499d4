"""The real CLI over the built seeds DB: ``storyline stories`` lists the one Pakistan–Russia story."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q", *args],
                          capture_output=True, text=True, timeout=120)


def test_stories_lists_one_story_with_both_events_in_time_order(seeds_db_copy: Path) -> None:
    done = cli(seeds_db_copy, "stories", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data) == 1
    story = data[0]
    assert story["n_events"] == 2 and story["n_articles"] == 5 and len(story["event_ids"]) == 2
    dates = [json.loads(cli(seeds_db_copy, "events", "--json").stdout)]
    by_id = {e["id"]: e for e in dates[0]}
    first, second = (by_id[e] for e in story["event_ids"])
    assert (first["date"] or "") < (second["date"] or "9999")
    table = cli(seeds_db_copy, "stories")
    assert table.returncode == 0 and story["id"] in table.stdout


def test_stories_on_a_missing_db_is_one_line_error(tmp_path: Path) -> None:
    done = cli(tmp_path / "nothing.db", "stories")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
