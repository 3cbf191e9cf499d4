"""The analyst's CLI on the seeds, through the real command: a first run that explains itself, cited timelines,
readable events and entities, counts that agree between commands."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RunDB = tuple[Path, subprocess.CompletedProcess[str]]     # the database and the `run` that built it


def cli(*args: str, db: Path, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "storyline.cli.main", *(["-q"] if quiet else []), "--db", str(db), *args]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def run_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> RunDB:
    db = tmp_path_factory.mktemp("analyst") / "demo.db"
    done = cli("run", str(seeds_dir), db=db)
    assert done.returncode == 0, done.stderr
    return db, done


def test_run_prints_a_summary_and_next_commands_not_an_article_table(run_db: RunDB) -> None:
    db, done = run_db
    out = done.stdout
    assert "5 articles" in out and "2 events" in out and "1 story" in out
    story = json.loads(cli("stories", "--json", db=db).stdout)[0]["id"]
    assert "Top stories:" in out and story in out
    assert f"timeline {story}" in out and " serve" in out and "report -o report.html" in out
    assert "┃" not in out and len(out.splitlines()) < 25       # no 191-row table


def test_every_suggested_command_exits_0(run_db: RunDB, tmp_path: Path) -> None:
    db, done = run_db
    suggested = [line.split("#")[0].split() for line in done.stdout.splitlines()
                 if line.strip().startswith("storyline")]
    assert len(suggested) >= 4
    for words in suggested:
        args = words[3:] if words[1] == "--db" else words[1:]
        if args[0] == "serve":
            continue                                 # a server does not exit; tests/web covers it
        if args[0] == "report":
            args = ["report", "-o", str(tmp_path / "report.html")]
        result = cli(*args, db=db)
        assert result.returncode == 0, (words, result.stderr)


def test_timeline_json_has_dates_with_cited_sentences(run_db: RunDB) -> None:
    db, _ = run_db
    done = cli("timeline", "--dates", "3", "--sentences", "2", "--json", db=db)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert 1 <= len(data) <= 3
    ids = {a["id"] for a in json.loads(cli("articles", "--json", db=db).stdout)}
    dates = [e["date"] for e in data]
    assert dates == sorted(dates)
    for entry in data:
        assert set(entry) == {"date", "sentences"} and 1 <= len(entry["sentences"]) <= 2
        assert all(s["text"] and s["article_id"] in ids for s in entry["sentences"])


def test_timeline_text_shows_event_ids_and_timelinejs_exports(run_db: RunDB) -> None:
    db, _ = run_db
    events = {e["id"] for e in json.loads(cli("events", "--json", db=db).stdout)}
    text = cli("timeline", db=db).stdout
    assert any(e in text for e in events)
    tjs = json.loads(cli("timeline", "--timelinejs", db=db).stdout)
    assert tjs["events"] and all("start_date" in e and e["text"]["text"] for e in tjs["events"])
    bad = cli("timeline", "--dates", "0", db=db)
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr


def test_event_shows_a_facts_summary_and_the_grid_only_on_request(run_db: RunDB) -> None:
    db, _ = run_db
    event = json.loads(cli("events", "--json", db=db).stdout)[0]["id"]
    plain = cli("event", event, db=db).stdout
    assert "Facts:" in plain and "--facts" in plain and "s1=" not in plain
    grid = cli("event", event, "--facts", db=db).stdout
    assert "s1=" in grid
    groups = json.loads(cli("event", event, "--json", db=db).stdout)["quotes"]      # by speaker
    longest = max((q["text"] for g in groups for q in g["quotes"]), key=len)
    assert len(longest) > 100 and " ".join(longest.split()[-3:]) in " ".join(plain.split())   # quotes in full


def test_entity_lists_events_and_articles(run_db: RunDB) -> None:
    db, _ = run_db
    out = cli("entity", "Lavrov", db=db).stdout
    assert "Events (2)" in out and "Articles (5)" in out and "Quotes" in out


def test_counts_agree_between_ingest_stats_and_rejects(run_db: RunDB, seeds_dir: Path) -> None:
    db, done = run_db
    stats = json.loads(cli("stats", "--json", db=db).stdout)
    assert "duplicates 0" in done.stderr and stats["duplicates"] == 0
    assert stats["near_duplicates"] == 0 and stats["articles"] == 5
    none = cli("rejects", db=db)
    assert none.returncode == 0 and none.stdout == "" and "no rejects" in none.stderr


def test_progress_off_a_terminal_is_plain_lines(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline import progress

    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)      # a line on every advance
    with progress.Progress() as bars, bars.task("ingest", total=4) as advance:   # stderr is captured: no TTY
        advance(1)
        advance(3)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("ingest: 1/4 (25%)") and lines[-1].startswith("ingest: done 4 in")
    with progress.Progress(enabled=False) as quiet, quiet.task("ingest", total=4) as advance:
        advance(4)
    assert capsys.readouterr().err == ""
