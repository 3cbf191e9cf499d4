"""Event commands: events (list), timeline [STORY_ID], eval (the evaluation table)."""
from __future__ import annotations

from typing import Any

import click

from .output import emit_json, emit_rows


@click.command()
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True, help="Full records, with article ids and keywords.")
@click.pass_obj
def events(obj: Any, limit: int | None, as_json: bool) -> None:
    """List events in time order: when it happened, where, title, articles and sources."""
    data = obj.open(readonly=True).events(limit)
    emit_rows(data, ["id", "date", "start", "end", "place", "n_articles", "n_outlets", "title"], as_json)


@click.command()
@click.argument("story_id", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def timeline(obj: Any, story_id: str | None, as_json: bool) -> None:
    """A dated line per event, in time order (one story, or all events)."""
    data = obj.open(readonly=True).timeline(story_id)
    if as_json:
        emit_json(data)
        return
    for event in data:
        click.echo(timeline_line(event))


def timeline_line(event: dict[str, Any]) -> str:
    """One dated line: date, range when it spans days, place, title, coverage."""
    span = ""
    if event.get("start") and event.get("end") and event["start"] != event["end"]:
        span = f" ({event['start']}…{event['end']})"
    place = f" [{event['place']}]" if event.get("place") else ""
    n_art, n_out = event.get("n_articles") or 0, event.get("n_outlets") or 0
    return (f"{event.get('date') or 'undated':<10}{span}{place}  {event.get('title') or ''}"
            f"  — {n_art} article{'s' * (n_art != 1)}, {n_out} source{'s' * (n_out != 1)}")


def print_timelines(sl: Any) -> None:
    """A timeline per story, or one of all events; plain text on stdout."""
    events = sl.events()
    if not events:
        return
    titles = {s["id"]: s["title"] or s["id"] for s in sl.stories()}
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for event in events:
        key = event["story_id"] if event["story_id"] in titles else None
        groups.setdefault(key, []).append(event)
    for key, members in groups.items():
        heading = f"Story {key}: {titles[key]}" if key else "Timeline (all events)"
        click.echo("")
        click.echo(heading)
        for event in members:
            click.echo("  " + timeline_line(event))


@click.command(name="eval")
@click.option("--dataset", "datasets", multiple=True,
              help="Dataset(s) to evaluate (repeatable): ecbplus, seeds, and any registered; default all.")
@click.option("--no-baselines", is_flag=True, help="Only our default configuration.")
@click.option("--json", "as_json", is_flag=True)
def evaluate(datasets: tuple[str, ...], no_baselines: bool, as_json: bool) -> None:
    """Score events (and stories) on the labelled corpora against the baselines: B³ P/R/F1 and ARI."""
    from ..evaluate.events_eval import EvalContext, format_table, run_evaluations

    rows = run_evaluations(list(datasets) or None, EvalContext(baselines=not no_baselines))
    if as_json:
        emit_json([r.as_dict() for r in rows])
    else:
        click.echo(format_table(rows))


def register(group: click.Group) -> None:
    for command in (events, timeline, evaluate):
        group.add_command(command)
