"""The build pipeline: order checked when built, unknown stages refused, changed parameters rebuild."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from storyline.config import Settings
from storyline.errors import ConfigError, StageOrderError
from storyline.stages import DEFAULT_STAGES, Pipeline, StageContext, check_order, clear_outputs
from storyline.store import Database


class FakeStage:
    """A stage that records its runs; its declarations are given per test."""

    sections: ClassVar[tuple[str, ...]] = ("dedupe",)

    def __init__(self, name: str, requires: tuple[str, ...], assigns: tuple[str, ...]) -> None:
        self.name, self.requires, self.assigns = name, requires, assigns   # type: ignore[misc]
        self.runs = 0

    def run(self, ctx: StageContext) -> dict[str, Any]:
        self.runs += 1
        return {"runs": self.runs}


def test_default_pipeline_is_in_data_flow_order() -> None:
    assert Pipeline.default().names == ["dedupe", "events", "stories", "understand", "summarize"]


def test_a_stage_before_what_it_requires_fails_when_the_pipeline_is_built() -> None:
    stages = [stage() for stage in DEFAULT_STAGES]
    stages[1], stages[2] = stages[2], stages[1]          # stories before events
    with pytest.raises(StageOrderError, match="'stories' requires articles.event_id .*'events', listed after it"):
        Pipeline(stages)


def test_a_requirement_nobody_assigns_is_named() -> None:
    with pytest.raises(StageOrderError, match="needs_x.*assigned by no stage"):
        check_order([FakeStage("a", ("needs_x",), ())], provided=())


def test_unknown_only_name_is_one_error_naming_the_choices() -> None:
    with pytest.raises(ConfigError, match="unknown stage\\(s\\) 'bogus'; choose from dedupe, events"):
        Pipeline.default().select(["bogus"])


def test_changed_parameters_reset_the_stage_and_its_dependents(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.db")
    db.conn.execute("CREATE TABLE a_out (x)")
    first = FakeStage("a", ("articles.text",), ("a_out",))
    second = FakeStage("b", ("a_out",), ("articles.story_id",))
    unrelated = FakeStage("c", ("articles.text",), ())
    pipeline = Pipeline([first, second, unrelated])
    pipeline.run(StageContext(db, Settings()))
    with db.transaction() as conn:
        conn.execute("INSERT INTO a_out VALUES (1)")
        conn.execute("INSERT INTO state(key, value) VALUES ('a.watermark', '5')")
    reports = pipeline.run(StageContext(db, Settings({"dedupe": {"threshold": 0.9}})), only=["c"])
    assert [(r.name, r.reset) for r in reports] == [("a", True), ("b", True), ("c", True)]
    assert db.scalar("SELECT count(*) FROM a_out") == 0
    assert db.scalar("SELECT count(*) FROM state WHERE key = 'a.watermark'") == 0
    again = pipeline.run(StageContext(db, Settings({"dedupe": {"threshold": 0.9}})), only=["c"])
    assert [(r.name, r.reset) for r in again] == [("c", False)]
    db.close()


def test_every_table_a_stage_assigns_exists_in_the_schema(tmp_path: Path) -> None:
    """The declarations are what a reset clears: a renamed table must not leave stale state behind."""
    db = Database(tmp_path / "s.db")
    tables = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = {r["name"] for r in db.query("PRAGMA table_info(articles)")}
    for stage in Pipeline.default().stages:
        for target in stage.assigns:
            table, _, column = target.split("[")[0].partition(".")
            assert table in tables, (stage.name, target)
            if column:
                assert column in columns, (stage.name, target)
        clear_outputs(db, stage)          # every declared target can really be cleared
    db.close()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storyline.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_build_only_bogus_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = _cli("--db", str(tmp_path / "x.db"), "build", "--only", "bogus", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "unknown stage(s) 'bogus'" in done.stderr
    assert "Traceback" not in done.stderr
