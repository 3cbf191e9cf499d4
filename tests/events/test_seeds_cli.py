"""Acceptance on the seeds through the real CLI: two events, their dates, the timeline, the export row."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from events_helpers import cli


@pytest.fixture(scope="module")
def seeds_events_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("events-seeds") / "seeds.db"
    assert cli("ingest", str(seeds_dir), db=db).returncode == 0
    built = cli("build", "--only", "dedupe", "--only", "events", db=db)
    assert built.returncode == 0, built.stderr
    return db


def test_seeds_make_two_events_with_their_dates(seeds_events_db: Path) -> None:
    out = cli("events", "--json", db=seeds_events_db)
    assert out.returncode == 0, out.stderr
    events = json.loads(out.stdout)
    assert len(events) == 2
    members = sorted(sorted(a[:3] for a in e["article_ids"]) for e in events)
    assert members == [["000", "001", "002", "003"], ["004"]]
    first, second = events
    assert (first["date"], first["start"], first["end"]) == ("2021-04-07", "2021-04-06", "2021-04-07")
    assert second["date"] == "2023-05-04"
    assert first["n_articles"] == 4 and first["title"] and first["keywords"]
    assert (first["place"], second["place"]) == ("Islamabad", "Goa")


def test_timeline_events_prints_a_dated_line_per_event_in_order(seeds_events_db: Path) -> None:
    out = cli("timeline", "--events", db=seeds_events_db)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 2
    ids = [e["id"] for e in json.loads(cli("events", "--json", db=seeds_events_db).stdout)]
    assert [line.split("  ", 1)[0] for line in lines] == ids          # each line opens with its event id
    assert lines[0].split("  ", 1)[1].startswith("2021-04-07 (2021-04-06…2021-04-07)")
    assert lines[1].split("  ", 1)[1].startswith("2023-05-04")


def test_timeline_of_unknown_story_is_one_line_error(seeds_events_db: Path) -> None:
    out = cli("timeline", "no-such-story", db=seeds_events_db)
    assert out.returncode == 1
    assert out.stderr.strip().startswith("error:") and len(out.stderr.strip().splitlines()) == 1


def test_export_events_row_has_the_promised_columns(seeds_events_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    assert cli("export", "events", "--format", "jsonl", "-o", str(target), db=seeds_events_db).returncode == 0
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2
    for key in ("id", "title", "date", "start", "end", "story_id", "article_ids"):
        assert key in rows[0]
    assert len(rows[0]["article_ids"]) == 4


@pytest.mark.slow
def test_eval_command_scores_the_seeds_events(tmp_path: Path) -> None:
    out = cli("eval", "--dataset", "seeds", "--no-baselines", "--json", db=tmp_path / "unused.db")
    assert out.returncode == 0, out.stderr
    rows = [r for r in json.loads(out.stdout) if r["task"] == "events"]
    assert rows and rows[0]["method"] == "storyline (default)" and rows[0]["f1"] == 1.0 and rows[0]["clusters"] == 2


def test_eval_command_rejects_an_unknown_dataset_in_one_line(tmp_path: Path) -> None:
    out = cli("eval", "--dataset", "nope", db=tmp_path / "unused.db")
    assert out.returncode == 1 and "unknown dataset" in out.stderr
