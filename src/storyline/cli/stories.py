"""Story commands: stories (list)."""
from __future__ import annotations

from typing import Any

import click

from .output import emit_rows


@click.command()
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True, help="Full records, with event ids and key names.")
@click.pass_obj
def stories(obj: Any, limit: int | None, as_json: bool) -> None:
    """List stories (chains of events), latest first: span, events, articles, title."""
    data = obj.open(readonly=True).stories(limit)
    emit_rows(data, ["id", "start", "end", "n_events", "n_articles", "title"], as_json)


def register(group: click.Group) -> None:
    group.add_command(stories)
