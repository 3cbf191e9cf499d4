"""Understanding commands: entities, entity NAME, quotes [--speaker NAME], event ID."""
from __future__ import annotations

from typing import Any

import click

from .output import emit_json, emit_table


@click.command()
@click.option("--type", "type_", type=click.Choice(["PERSON", "ORG", "PLACE"], case_sensitive=False), default=None,
              help="Only entities of this type.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def entities(obj: Any, type_: str | None, limit: int, as_json: bool) -> None:
    """Canonical people, organisations and places, most mentioned first."""
    data = obj.open(readonly=True).entities(limit or None, type_)
    if as_json:
        emit_json(data)
        return
    rows = [dict(r, aliases=", ".join(r["aliases"]), roles=", ".join(r["roles"])) for r in data]
    emit_table(rows, ["id", "name", "type", "mentions", "articles", "aliases", "roles"], title="Entities")


@click.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def entity(obj: Any, name: str, as_json: bool) -> None:
    """One entity by name, alias or id: aliases, roles, articles, events, quotes."""
    data = obj.open(readonly=True).entity(name)
    if as_json:
        emit_json(data)
        return
    click.echo(f"{data['name']}  [{data['type']}]  {data['id']}")
    click.echo(f"  aliases:  {', '.join(data['aliases']) or '-'}")
    click.echo(f"  roles:    {', '.join(data['roles']) or '-'}")
    click.echo(f"  mentions: {data['mentions']} in {len(data['articles'])} articles, {len(data['events'])} events")
    for q in data["quotes"][:20]:
        click.echo(f"  “{_cut(q['text'])}”  ({q['article_id']})")


@click.command()
@click.option("--speaker", default=None, help="Only quotes of this speaker (any name or alias).")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def quotes(obj: Any, speaker: str | None, limit: int | None, as_json: bool) -> None:
    """Direct quotations and who said them."""
    data = obj.open(readonly=True).quotes(speaker, limit)
    if as_json:
        emit_json(data)
        return
    rows = [dict(r, text=_cut(r["text"], 120)) for r in data]
    emit_table(rows, ["speaker", "text", "article_id", "date"], title="Quotes")


@click.command()
@click.argument("event_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def event(obj: Any, event_id: str, as_json: bool) -> None:
    """One event: cited summary, sources, facts × outlets, quotes, entities."""
    data = obj.open(readonly=True).event(event_id)
    if as_json:
        emit_json(data)
        return
    click.echo(f"{data.get('title') or event_id}  ({event_id}, {data.get('date') or 'undated'})")
    click.echo("\nSummary")
    for s in data["summary"]:
        click.echo(f"  {s['text']} [{s['n'] or '?'}: {s['outlet'] or s['article_id']}]")
    sources = [dict(a, n=f"[{a['n']}]", copy_of=a["duplicate_of"] or "") for src in data["sources"]
               for a in [src, *src["copies"]]]
    emit_table(sources, ["n", "id", "date", "outlet", "title", "copy_of"], title="Sources")
    _print_facts(data)
    rows = [{"speaker": sp["speaker"], "text": _cut(q["text"], 100), "sources": " ".join(f"[{a['n']}]" for a in q["articles"])}
            for sp in data["quotes"] for q in sp["quotes"]]
    emit_table(rows, ["speaker", "text", "sources"], title="Quotes")
    click.echo("Entities: " + ", ".join(f"{e['name']} ({e['type']}, {e['n_mentions']})" for e in data["entities"][:20]))


def _print_facts(data: dict[str, Any]) -> None:
    """The fact × source matrix: one row per fact, an x per column (outlet or source) that reports it, flags."""
    columns = data["columns"]
    rows = []
    for f in data["facts"]:
        row = {"fact": _cut(f["text"], 70)}
        for i, c in enumerate(columns):
            row[f"s{i + 1}"] = "x" if c["key"] in f["cells"] else ""
        flags = ["single outlet"] if f["single_outlet"] else []
        flags += f["disagreement_text"]
        flags += [f"agree on {a['kind']}" for a in f["agreement"] if isinstance(a, dict)
                  and a.get("kind") in ("year", "percent", "money")]
        row["flags"] = "; ".join(flags)
        rows.append(row)
    if rows:
        legend = ", ".join(f"s{i + 1}={c['title']}" for i, c in enumerate(columns))
        emit_table(rows, ["fact", *[f"s{i + 1}" for i in range(len(columns))], "flags"], title=f"Facts ({legend})")


def _cut(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def register(group: click.Group) -> None:
    for command in (entities, entity, quotes, event):
        group.add_command(command)
