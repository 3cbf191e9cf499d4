"""Web commands: ``serve`` (the local app) and ``report`` (one self-contained HTML file)."""
from __future__ import annotations

from typing import Any

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; only this machine by default.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.pass_obj
def serve(obj: Any, host: str, port: int) -> None:
    """Browse stories, events, entities and articles in a local web app (read-only)."""
    import uvicorn

    from ..store.db import default_path
    from ..web import create_app

    app = create_app(obj.db_path or default_path())
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host} makes the (read-only) app reachable from other machines", err=True)
    click.echo(f"storyline serving on http://{host}:{port}/  (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.command()
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The HTML file to write.")
@click.option("--max-stories", type=int, default=None, help="Only the N most covered stories.")
@click.pass_obj
def report(obj: Any, output: str, max_stories: int | None) -> None:
    """Write every story, its timeline and its events into one self-contained HTML file."""
    from ..report import write_report

    size = write_report(obj.open(readonly=True).db, output, max_stories=max_stories)
    click.echo(f"wrote {output} ({size / 1024:.0f} KiB)", err=True)


def register(group: click.Group) -> None:
    group.add_command(serve)
    group.add_command(report)
