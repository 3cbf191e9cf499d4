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
@click.option("--dates", "n_dates", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many dates to pick.")
@click.option("--sentences", "n_sentences", type=click.IntRange(min=1), default=2, show_default=True,
              help="Sentences per date.")
@click.option("--events", "as_events", is_flag=True, help="One line per event instead (with event ids).")
@click.option("--json", "as_json", is_flag=True,
              help='JSON: [{"date", "sentences": [{"text", "article_id"}]}] (with --events: the event records).')
@click.option("--timelinejs", "as_timelinejs", is_flag=True, help="TimelineJS 3 JSON, to load in its viewer.")
@click.pass_obj
def timeline(obj: Any, story_id: str | None, n_dates: int, n_sentences: int, as_events: bool,
             as_json: bool, as_timelinejs: bool) -> None:
    """The important dates of a story (or of all articles) and what happened on each, cited.

    Dates are ranked by how many articles refer to them; each gets the
    sentences most central to what was written about that day. Every
    sentence ends with the article it comes from; every date with its
    events (`storyline event ID` shows one).
    """
    sl = obj.open(readonly=True)
    if as_events:
        _print_event_lines(sl, story_id, as_json)
        return
    from ..summarize.timeline import story_timeline, to_timelinejs

    entries = story_timeline(sl.db, story_id, n_dates, n_sentences)
    if as_json:
        emit_json([e.as_dict() for e in entries])
    elif as_timelinejs:
        emit_json(to_timelinejs(entries, _timeline_title(sl.db, story_id), _outlets(sl.db)))
    elif not entries:
        click.echo("no dated articles to build a timeline from", err=True)
    else:
        _print_entries(sl.db, entries)


def _print_event_lines(sl: Any, story_id: str | None, as_json: bool) -> None:
    """The event timeline: one dated line per event, its id first."""
    data = sl.timeline(story_id)
    if as_json:
        emit_json(data)
        return
    for event in data:
        click.echo(f"{event['id']}  {timeline_line(event)}")


def _print_entries(db: Any, entries: Any) -> None:
    """Each date, its cited sentences wrapped to the terminal, then its event ids."""
    import shutil
    import textwrap

    from ..summarize.timeline import entry_events

    width = min(shutil.get_terminal_size((100, 20)).columns, 100)
    outlets = _outlets(db)
    for entry in entries:
        click.echo(click.style(entry.date.isoformat(), bold=True))
        for s in entry.sentences:
            cite = f" [{s.article_id}{', ' + outlets[s.article_id] if outlets.get(s.article_id) else ''}]"
            click.echo(textwrap.fill(s.text + cite, width, initial_indent="  - ", subsequent_indent="    "))
        events = entry_events(db, entry)
        if events:
            click.echo(f"    events: {', '.join(events)}")
    click.echo("")
    click.echo("more: storyline event EVENT_ID, storyline show ARTICLE_ID", err=True)


def _outlets(db: Any) -> dict[str, str]:
    return {r["id"]: r["outlet"] for r in db.query("SELECT id, outlet FROM articles WHERE outlet IS NOT NULL")}


def _timeline_title(db: Any, story_id: str | None) -> str:
    if story_id is None:
        return "All articles"
    return db.scalar("SELECT title FROM stories WHERE id = ?", (story_id,)) or story_id


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
              help="Dataset(s) to evaluate (repeatable): ecbplus, seeds, t17, and any registered; default all.")
@click.option("--no-baselines", is_flag=True, help="Only our default configuration.")
@click.option("--json", "as_json", is_flag=True)
def evaluate(datasets: tuple[str, ...], no_baselines: bool, as_json: bool) -> None:
    """Score events and stories (B³ P/R/F1, ARI) and timelines (t17: date F1, alignment ROUGE) against baselines."""
    from ..evaluate.events_eval import EvalContext, format_table, run_evaluations

    rows = run_evaluations(list(datasets) or None, EvalContext(baselines=not no_baselines))
    if as_json:
        emit_json([r.as_dict() for r in rows])
        return
    clusters = [r for r in rows if r.task != "timelines"]
    timelines = [r for r in rows if r.task == "timelines"]
    if clusters:
        click.echo(format_table(clusters))
    if timelines:
        from ..evaluate.tls_eval import format_tls_table

        click.echo(("\n" if clusters else "") + format_tls_table(timelines))


def register(group: click.Group) -> None:
    for command in (events, timeline, evaluate):
        group.add_command(command)
