"""Understanding commands: entities, entity NAME, quotes [--speaker NAME], event ID."""
from __future__ import annotations

from typing import Any

import click

from .output import emit_json, emit_table


@click.group(invoke_without_command=True)
@click.option("--type", "type_", type=click.Choice(["PERSON", "ORG", "PLACE"], case_sensitive=False), default=None,
              help="Only entities of this type.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def entities(ctx: click.Context, type_: str | None, limit: int, as_json: bool) -> None:
    """Canonical people, organisations and places, most mentioned first; merge/split/rename correct them."""
    if ctx.invoked_subcommand is not None:
        return
    obj = ctx.obj
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
    sl = obj.open(readonly=True)
    data = sl.entity(name)
    if as_json:
        emit_json(data)
        return
    events = _by_id(sl.db, "SELECT id, date, title FROM events", data["events"], order="date")
    articles = _by_id(sl.db, "SELECT id, date, outlet, title FROM articles", data["articles"], order="date")
    click.echo(f"{data['name']}  [{data['type']}]  {data['id']}")
    click.echo(f"  aliases:  {', '.join(data['aliases']) or '-'}")
    click.echo(f"  roles:    {', '.join(data['roles']) or '-'}")
    click.echo(f"  mentions: {data['mentions']} in {len(data['articles'])} articles, {len(data['events'])} events")
    _print_list("Events", events, lambda e: f"{e.get('id')}  {e.get('date') or 'undated':<10}  "
                f"{e.get('title') or ''}")
    _print_list("Articles", articles, lambda a: f"{a.get('id')}  {a.get('date') or 'undated':<10}  "
                f"{a.get('outlet') or '-'}  {a.get('title') or ''}")
    if data["quotes"]:
        click.echo(f"\nQuotes ({len(data['quotes'])})")
        for q in data["quotes"][:LIST_LIMIT]:
            _print_quote(q)
        _more(len(data["quotes"]))


LIST_LIMIT = 10


def _by_id(db: Any, select: str, ids: list[str], order: str) -> list[dict[str, Any]]:
    """Rows of ``select`` for the given ids, sorted by ``order`` (undated last); ids with no row kept bare."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in db.query(f"{select} WHERE id IN ({marks})", tuple(chunk)):
            found[r["id"]] = dict(r)
    rows = [found.get(i, {"id": i}) for i in ids]
    return sorted(rows, key=lambda r: (r.get(order) is None, r.get(order) or "", r["id"]))


def _print_list(title: str, items: list[dict[str, Any]], line: Any) -> None:
    """A titled list of at most LIST_LIMIT lines and how many more --json has."""
    if not items:
        return
    click.echo(f"\n{title} ({len(items)})")
    for item in items[:LIST_LIMIT]:
        click.echo("  " + _cut(line(item), 150))
    _more(len(items))


def _more(n: int) -> None:
    if n > LIST_LIMIT:
        click.echo(f"  … {n - LIST_LIMIT} more (--json lists them all)")


def _print_quote(q: dict[str, Any]) -> None:
    """A quotation in full, wrapped, with its speaker and the article it is from."""
    import textwrap

    who = q.get("speaker") or "unattributed"
    text = f"“{q['text']}” — {who} ({q.get('article_id')})"
    click.echo(textwrap.fill(text, 100, initial_indent="  ", subsequent_indent="    "))


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
    if not data:
        click.echo("no quotes" + (f" of {speaker}" if speaker else ""), err=True)
        return
    emit_table(data, ["speaker", "text", "article_id", "date"], title="Quotes")   # text in full, wrapped


@click.command()
@click.argument("event_id")
@click.option("--facts", "fact_grid", is_flag=True, help="The fact × outlet grid of facts two or more outlets report.")
@click.option("--all-facts", is_flag=True, help="The grid with single-outlet facts too.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def event(obj: Any, event_id: str, fact_grid: bool, all_facts: bool, as_json: bool) -> None:
    """One event: cited summary, sources, the facts outlets agree or differ on, quotes, entities."""
    import textwrap

    data = obj.open(readonly=True).event(event_id)
    if as_json:
        emit_json(data)
        return
    click.echo(f"{data.get('title') or event_id}  ({event_id}, {data.get('date') or 'undated'})")
    click.echo("\nSummary")
    for s in data["summary"]:
        click.echo(textwrap.fill(f"{s['text']} [{s['n'] or '?'}: {s['outlet'] or s['article_id']}]", 100,
                                 initial_indent="  ", subsequent_indent="    "))
    sources = [dict(a, n=f"[{a['n']}]", copy_of=a["duplicate_of"] or "") for src in data["sources"]
               for a in [src, *src["copies"]]]
    emit_table(sources, ["n", "id", "date", "outlet", "title", "copy_of"], title="Sources")
    if fact_grid or all_facts:
        _print_facts(data, single=all_facts)
    else:
        _print_fact_summary(data)
    said = [(sp["speaker"], q) for sp in data["quotes"] for q in sp["quotes"]]
    if said:
        click.echo(f"\nQuotes ({len(said)})")
        for speaker, q in said:
            _print_quote({"text": q["text"], "speaker": speaker,
                          "article_id": " ".join(f"[{a['n']}]" for a in q["articles"])})
    click.echo("\nEntities: " + ", ".join(f"{e['name']} ({e['type']}, {e['n_mentions']})"
                                         for e in data["entities"][:20]))


FACTS_SHOWN = 5


def _print_fact_summary(data: dict[str, Any]) -> None:
    """How many facts, how many several outlets share, the most shared ones and any disagreement."""
    import textwrap

    facts = data["facts"]
    if not facts:
        return
    shared = sorted((f for f in facts if f["shared"]), key=lambda f: -len(f["outlets"]))
    differ = [f for f in shared if f["disagreement"]]
    click.echo(f"\nFacts: {len(facts)} across {len(data['columns'])} sources; {len(shared)} reported by two or "
               f"more outlets, {len(facts) - len(shared)} by one; {len(differ)} where the figures differ")
    for f in shared[:FACTS_SHOWN]:
        click.echo(textwrap.fill(f"{f['text']} ({len(f['outlets'])} outlets: {', '.join(f['outlets'])})", 100,
                                 initial_indent="  + ", subsequent_indent="    "))
    for f in differ[:FACTS_SHOWN]:
        click.echo(textwrap.fill(f"{f['text']} ({'; '.join(f['disagreement_text'])})", 100,
                                 initial_indent="  ! ", subsequent_indent="    "))
    click.echo("  (the fact × outlet grid: --facts; with single-outlet facts: --all-facts)")


def _correct(obj: Any, action: str, a: str, b: str) -> None:
    """Store a correction and re-resolve now, so that the next command already shows it."""
    from ..understand import stage
    from ..understand.corrections import add_correction
    from ..understand.entities import EntityResolver
    from ..understand.quotes import QuoteExtractor

    sl = obj.open()
    add_correction(sl.db, action, a, b)
    settings = sl.settings
    entity_kw = {k: v for k, v in settings.section("entities").items() if k not in ("model", "batch_size", "n_process")}
    stage.resolve_entities(sl.db, EntityResolver(**entity_kw), force=True)
    stage.attribute_quotes(sl.db, QuoteExtractor(**settings.section("quotes")), obj.progress())
    click.echo(f"{action}: {a}" + (f" / {b}" if b else "") + " (kept for later builds)")


@entities.command("merge")
@click.argument("name")
@click.argument("other")
@click.pass_obj
def entities_merge(obj: Any, name: str, other: str) -> None:
    """OTHER is the same as NAME: one entity from now on."""
    _correct(obj, "merge", name, other)


@entities.command("split")
@click.argument("name")
@click.argument("form")
@click.pass_obj
def entities_split(obj: Any, name: str, form: str) -> None:
    """The mentions written FORM are not NAME: they become their own entity."""
    _correct(obj, "split", name, form)


@entities.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_obj
def entities_rename(obj: Any, name: str, new_name: str) -> None:
    """Show NAME as NEW_NAME (the old name stays an alias)."""
    _correct(obj, "rename", name, new_name)


def _print_facts(data: dict[str, Any], single: bool = False) -> None:
    """The fact × source matrix: one row per fact two or more outlets report (every fact with ``single``),
    an x per column (outlet or source) that reports it, flags; single-outlet facts otherwise counted."""
    columns = data["columns"]
    rows = []
    facts = data["facts"] if single else [f for f in data["facts"] if f["shared"]]
    for f in facts:
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
    folded = len(data["facts"]) - len(facts)
    if folded:
        click.echo(f"  + {folded} fact{'s' if folded != 1 else ''} reported by one outlet only (--all-facts)")


def _cut(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def register(group: click.Group) -> None:
    for command in (entities, entity, quotes, event):
        group.add_command(command)
