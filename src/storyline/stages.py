"""The build stages and the pipeline that runs them, in data-flow order.

Each stage is a small class in the manner of spaCy's pipeline components: it
declares what it ``requires`` (tables or ``table.column`` names that must be
filled before it runs) and what it ``assigns``, and ``run(ctx)`` returns its
counts. :class:`Pipeline` checks the order when it is built, so a stage
listed before what it needs fails at once with one line, and runs the
stages, timing each.

A stage's parameters are the config sections it reads (``sections``). Their
hash is kept in ``stage_state``; when it changes, the stage and every stage
downstream of it are reset (what they assign is cleared) and recomputed on
this build, so editing ``[dedupe]`` really rebuilds duplicates, events, ….

To add a stage: write a class with these five attributes, add it to
:data:`DEFAULT_STAGES` at its place in the flow; the pipeline checks the rest.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from .config import Settings
from .errors import ConfigError, StageOrderError
from .progress import NO_PROGRESS, Progress
from .store import Database

# What ingest fills: every build stage may require these.
INGESTED = ("articles", "articles.text", "articles.date", "articles.title", "articles.outlet")


@dataclass
class StageContext:
    """What a stage runs with: the store, the settings, progress display and the executor (engine)."""

    db: Database
    settings: Settings
    progress: Progress = NO_PROGRESS
    executor: Any = None
    started: dict[str, Any] = field(default_factory=dict)   # stage name → work it began before its turn


@dataclass
class StageReport:
    """What one stage did: its own counts, how long it took, and whether it was reset first."""

    name: str
    counts: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    reset: bool = False


class Stage(Protocol):
    """One build stage; see the module docstring."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]
    sections: ClassVar[tuple[str, ...]]

    def run(self, ctx: StageContext) -> dict[str, Any]: ...


# -- the stages ---------------------------------------------------------------------------------

class DedupeStage:
    """Exact and near-duplicate copies point at the earliest article they copy."""

    name = "dedupe"
    requires = ("articles.text",)
    assigns = ("articles.duplicate_of", "dedupe_signatures", "dedupe_bands")
    sections = ("dedupe",)

    def run(self, ctx: StageContext) -> dict[str, Any]:
        from .dedupe import run

        return run(ctx.db, ctx.settings, ctx.progress, executor=ctx.executor)


class EventsStage:
    """Articles about one real-world happening, clustered online and dated."""

    name = "events"
    requires = ("articles.text", "articles.date", "articles.duplicate_of")
    assigns = ("articles.event_id", "events", "event_assignments", "event_state", "event_model",
               "events_stale", "event_df", "event_days")
    sections = ("events", "embed")

    def run(self, ctx: StageContext) -> dict[str, Any]:
        from .events import run

        return run(ctx.db, ctx.settings, ctx.progress, executor=ctx.executor)


class StoriesStage:
    """Events chained into stories over weeks or years."""

    name = "stories"
    requires = ("articles.event_id", "events")
    assigns = ("articles.story_id", "stories", "story_profiles", "story_terms", "story_model")
    sections = ("stories",)

    def run(self, ctx: StageContext) -> dict[str, Any]:
        from .stories import run

        return run(ctx.db, ctx.settings, ctx.progress)


class UnderstandStage:
    """Entities with aliases, quotes with speakers, facts across outlets."""

    name = "understand"
    requires = ("articles.text", "articles.event_id", "events")
    assigns = ("entities", "mentions", "margin_mentions", "sentences", "quotes", "facts",
               "event_signatures[stage=facts]", "quotes_stale", "quotes_regroup")
    sections = ("entities", "quotes", "facts", "embed")

    def start(self, ctx: StageContext) -> Any:
        """NER reads only article text: its workers start with the build and run beside the events
        and stories stages (on gva, 2 cores, it was 40% of the build's CPU time)."""
        from .understand import start_annotation

        return start_annotation(ctx.db, ctx.settings)

    def run(self, ctx: StageContext) -> dict[str, Any]:
        from .understand import run

        return run(ctx.db, ctx.settings, ctx.progress, started=ctx.started.pop(self.name, None))


class SummarizeStage:
    """A cited extractive summary per event."""

    name = "summarize"
    requires = ("events", "sentences", "facts")
    assigns = ("summaries", "abstracts", "event_signatures[stage=summaries]")
    sections = ("summarize", "embed")

    def run(self, ctx: StageContext) -> dict[str, Any]:
        from .summarize import run

        return run(ctx.db, ctx.settings, ctx.progress)


DEFAULT_STAGES: tuple[type, ...] = (DedupeStage, EventsStage, StoriesStage, UnderstandStage, SummarizeStage)


# -- the pipeline -------------------------------------------------------------------------------

class Pipeline:
    """Stages in order, checked when built: each one's needs are met by ingest or an earlier stage."""

    def __init__(self, stages: Sequence[Stage], provided: Sequence[str] = INGESTED) -> None:
        self.stages = list(stages)
        check_order(self.stages, provided)

    @classmethod
    def default(cls) -> Pipeline:
        return cls([stage() for stage in DEFAULT_STAGES])

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def select(self, only: Sequence[str] | None) -> list[Stage]:
        """The stages named in ``only`` (all when empty), in pipeline order; an unknown name is an error."""
        if not only:
            return list(self.stages)
        unknown = [n for n in only if n not in self.names]
        if unknown:
            raise ConfigError(f"unknown stage(s) {', '.join(map(repr, unknown))}; "
                              f"choose from {', '.join(self.names)}")
        return [s for s in self.stages if s.name in only]

    def downstream(self, stage: Stage) -> list[Stage]:
        """``stage`` and every later stage that needs, directly or not, something it assigns."""
        dirty = set(_outputs(stage))
        chain = [stage]
        for later in self.stages[self.stages.index(stage) + 1:]:
            if dirty & set(later.requires):
                chain.append(later)
                dirty |= _outputs(later)
        return chain

    def run(self, ctx: StageContext, only: Sequence[str] | None = None) -> list[StageReport]:
        """Reset stages whose parameters changed (and what depends on them), then run the chosen stages.

        A reset stage always runs, even when ``only`` leaves it out: its outputs are gone and
        the stages after it must not run on a half-cleared store.
        """
        wanted = {s.name for s in self.select(only)}
        reset = self.reset_changed(ctx)
        chosen = [s for s in self.stages if s.name in wanted or s.name in reset]
        reports = []
        start_early(ctx, chosen[1:])
        try:
            for stage in chosen:
                start = time.perf_counter()
                counts = stage.run(ctx) or {}
                save_params(ctx.db, stage.name, params_hash(stage, ctx.settings))
                reports.append(StageReport(stage.name, counts, time.perf_counter() - start, stage.name in reset))
        finally:
            for work in ctx.started.values():       # a stage that failed before their turn leaves them
                work.close()
            ctx.started.clear()
        return reports

    def reset_changed(self, ctx: StageContext) -> set[str]:
        """Clear the outputs of every stage whose parameters changed since its last run, and downstream."""
        stored = stored_params(ctx.db)
        to_reset: list[Stage] = []
        for stage in self.stages:
            old = stored.get(stage.name)
            if old is not None and old != params_hash(stage, ctx.settings) and stage not in to_reset:
                to_reset.extend(s for s in self.downstream(stage) if s not in to_reset)
        for stage in to_reset:
            clear_outputs(ctx.db, stage)
        return {s.name for s in to_reset}


def start_early(ctx: StageContext, stages: Sequence[Stage]) -> None:
    """Let each stage with a ``start(ctx)`` hook begin the part of its work that needs nothing an
    earlier stage assigns (it returns an object with ``close()``, kept in ``ctx.started``)."""
    for stage in stages:
        begin = getattr(stage, "start", None)
        if begin is not None:
            ctx.started[stage.name] = begin(ctx)


def _outputs(stage: Stage) -> set[str]:
    """What a stage assigns; a ``table[column=value]`` entry counts as touching its table."""
    return set(stage.assigns) | {m.group(1) for m in map(_ROWS.fullmatch, stage.assigns) if m}


def check_order(stages: Sequence[Stage], provided: Sequence[str]) -> None:
    """Raise a one-line :class:`StageOrderError` when a stage needs what no earlier stage assigns."""
    available = set(provided)
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise StageOrderError(f"a stage is listed twice: {', '.join(names)}")
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            later = {a: s.name for s in stages for a in s.assigns}
            where = "; ".join(f"{m} (assigned by {later[m]!r}, listed after it)" if m in later else
                              f"{m} (assigned by no stage)" for m in missing)
            raise StageOrderError(f"stage {stage.name!r} requires {where}")
        available |= set(stage.assigns)


# -- stage parameters ---------------------------------------------------------------------------

def params_hash(stage: Stage, settings: Settings) -> str:
    """A short hash of the config sections a stage reads (defaults are the empty section)."""
    payload = {s: settings.section(s) for s in stage.sections}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def stored_params(db: Database) -> dict[str, str]:
    return {r["stage"]: r["params"] for r in db.query("SELECT stage, params FROM stage_state")}


def save_params(db: Database, name: str, digest: str) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO stage_state(stage, params) VALUES (?, ?) ON CONFLICT(stage) DO UPDATE SET"
                     " params = excluded.params, ran_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')", (name, digest))


def clear_outputs(db: Database, stage: Stage) -> None:
    """Undo a stage in one transaction: empty what it assigns, drop its ``state`` keys and parameters.

    ``assigns`` names a table (emptied), a ``table.column`` (set to NULL) or
    ``table[column=value]`` (its rows with that value deleted); a stage's
    keys in ``state`` are, by convention, its name or start with ``name.``.
    """
    existing = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    with db.transaction() as conn:
        for target in stage.assigns:     # names come from class attributes, never from input
            match = _ROWS.fullmatch(target)
            table = match.group(1) if match else target.partition(".")[0]
            if table not in existing:
                continue
            if match:
                conn.execute(f"DELETE FROM {table} WHERE {match.group(2)} = ?", (match.group(3),))
            elif "." in target:
                conn.execute(f"UPDATE {table} SET {target.partition('.')[2]} = NULL")
            else:
                conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM state WHERE key = ? OR key LIKE ?", (stage.name, stage.name + ".%"))
        conn.execute("DELETE FROM stage_state WHERE stage = ?", (stage.name,))


_ROWS = re.compile(r"(\w+)\[(\w+)=([\w.-]+)\]")
