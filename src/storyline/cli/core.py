"""Foundation commands: ingest, run, articles, show, rejects, stats, export, build."""
from __future__ import annotations

from typing import Any

import click

from .output import emit_json, emit_rows


def _print_counts(counts: Any) -> None:
    line = (f"read {counts.read} = stored {counts.stored} + duplicates {counts.duplicates}"
            f" + rejected {counts.rejected}")
    if counts.reasons:
        line += "  (" + ", ".join(f"{k}: {v}" for k, v in sorted(counts.reasons.items())) + ")"
    click.echo(line, err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def ingest(obj: Any, paths: tuple[str, ...], as_json: bool) -> None:
    """Read, clean and store articles from files, folders, or - (JSONL on stdin)."""
    sl = obj.open()
    with obj.progress() as progress:
        counts = sl.ingest(list(paths), progress)
    if as_json:
        emit_json(counts.__dict__)
    _print_counts(counts)


@click.command()
@click.option("--only", multiple=True, help="Run only these stages.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def build(obj: Any, only: tuple[str, ...], as_json: bool) -> None:
    """Dedupe, cluster events, chain stories, extract entities and quotes, summarize."""
    sl = obj.open()
    with obj.progress() as progress:
        report = sl.build(progress, only=list(only) or None)
    if as_json:
        emit_json(report.stages)
        return
    for stage in report.reports:
        counts = ", ".join(f"{k} {v}" for k, v in stage.counts.items())
        rebuilt = " (settings changed: rebuilt)" if stage.reset else ""
        click.echo(f"{stage.name}: {counts} in {stage.seconds:.1f} s{rebuilt}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.pass_obj
def run(obj: Any, paths: tuple[str, ...]) -> None:
    """The main job: ingest PATHS, build every stage, print a short summary and what to try next."""
    sl = obj.open()
    with obj.progress() as progress:
        counts = sl.ingest(list(paths), progress)
        _print_counts(counts)
        sl.build(progress)
    _print_result(sl, obj.db_path)


TOP_STORIES = 5


def _print_result(sl: Any, db_path: str | None) -> None:
    """What was built (counts), the largest stories with their ids, and the next commands to try."""
    stats = sl.stats()
    click.echo("")
    click.echo(f"{_n(stats['articles'], 'article')} ({stats['near_duplicates']} near-duplicates linked), "
               f"{_n(stats['events'], 'event')}, {_n(stats['stories'], 'story', 'stories')}, "
               f"{_n(stats['entities'], 'entity', 'entities')}, {_n(stats['quotes'], 'quote')}")
    top = sorted(sl.stories(), key=lambda s: (-(s.get("n_articles") or 0), s["id"]))[:TOP_STORIES]
    if top:
        click.echo("")
        click.echo("Top stories:")
        for story in top:
            span = story.get("start") or ""
            if story.get("end") and story.get("end") != story.get("start"):
                span += f" … {story['end']}"
            click.echo(f"  {story['id']}  {span:<23}  {_n(story.get('n_events') or 0, 'event')}, "
                       f"{_n(story.get('n_articles') or 0, 'article')}  {_cut(story.get('title') or '', 70)}")
    click.echo("")
    click.echo("Next, try:")
    for command, why in next_commands(db_path, top[0]["id"] if top else None):
        click.echo(f"  {command:<52}  # {why}")


def next_commands(db_path: str | None, story_id: str | None) -> list[tuple[str, str]]:
    """The commands a first run suggests (the README shows the same ones)."""
    base = "storyline" + (f" --db {db_path}" if db_path else "")
    out = []
    if story_id:
        out.append((f"{base} timeline {story_id}", "the story's key dates, what happened, cited"))
    out += [(f"{base} stories", "every story with its id"),
            (f"{base} events", "every event with its id; then: event ID"),
            (f"{base} report -o report.html", "one HTML file to read or share"),
            (f"{base} serve", "browse in a web browser at http://127.0.0.1:8000")]
    return out


def _n(count: int, one: str, many: str | None = None) -> str:
    """"1 story", "2 stories"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


@click.command()
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def articles(obj: Any, limit: int | None, as_json: bool) -> None:
    """List stored articles by date."""
    data = obj.open(readonly=True).articles(limit)
    emit_rows(data, ["id", "date", "outlet", "language", "title"], as_json)


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The record with its clean text beside the raw text.")
@click.pass_obj
def show(obj: Any, article_id: str, as_json: bool) -> None:
    """Show one article."""
    art = obj.open(readonly=True).article(article_id)
    record = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in art.__dict__.items()}
    if as_json:
        emit_json(record)
        return
    for key in ("id", "title", "date", "outlet", "language", "url", "event_id", "story_id", "duplicate_of"):
        if record.get(key):
            click.echo(f"{key:>12}: {record[key]}")
    click.echo("")
    click.echo(art.text)


@click.command()
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def rejects(obj: Any, limit: int | None, as_json: bool) -> None:
    """List input records that were not stored, with the reason."""
    data = obj.open(readonly=True).rejects(limit)
    if not data and not as_json:
        click.echo("no rejects: every record read was stored or was a duplicate", err=True)
        return
    emit_rows(data, ["source", "record_id", "reason", "detail"], as_json)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(obj: Any, as_json: bool) -> None:
    """Counts of articles, rejects, events, stories, entities."""
    data = obj.open(readonly=True).stats()
    if as_json:
        emit_json(data)
    else:
        for key, value in data.items():
            click.echo(f"{key:>15}: {value}")


@click.command()
@click.argument("kind", type=click.Choice(["articles", "events", "stories", "entities", "quotes", "facts"]))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", "output", required=True, help="File to write (- for stdout).")
@click.pass_obj
def export(obj: Any, kind: str, fmt: str, output: str) -> None:
    """Export articles, events, stories, entities, quotes or facts as JSONL or CSV."""
    from ..export import export_rows

    n = export_rows(obj.open(readonly=True), kind, fmt, output)
    click.echo(f"wrote {n} {kind} to {output}", err=True)


def register(group: click.Group) -> None:
    for command in (ingest, build, run, articles, show, rejects, stats, export):
        group.add_command(command)
