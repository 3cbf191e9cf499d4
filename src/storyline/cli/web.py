"""Web commands: ``serve`` (the local app) and ``report`` (one self-contained HTML file)."""
from __future__ import annotations

import errno
import socket
from typing import Any

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; only this machine by default.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-host", "allow_host", multiple=True,
              help="Also answer requests addressed to this host name (repeatable); others get 400.")
@click.pass_obj
def serve(obj: Any, host: str, port: int, allow_host: tuple[str, ...]) -> None:
    """Browse stories, events, entities and articles in a local web app (read-only)."""
    import uvicorn

    from ..store.db import default_path
    from ..web import create_app
    from ..web.app import allowed_hosts

    app = create_app(obj.db_path or default_path(), hosts=allowed_hosts(host, allow_host))
    sock = bind_port(host, port)          # before "serving on": a busy port is one line, exit 1
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host} makes the (read-only) app reachable from other machines;"
                   " requests must name this host (add names with --allow-host)", err=True)
    click.echo(f"storyline serving on http://{_netloc(host, sock.getsockname()[1])}/  (Ctrl-C to stop)", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[sock])


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def bind_port(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port), or a ServeError naming the port and what to do."""
    from ..errors import ServeError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot serve on {host}: unknown host ({exc.strerror}); give --host an address") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is in use; stop what holds it or choose another with --port"
                             ) from exc
        raise ServeError(f"cannot serve on {_netloc(host, port)}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


@click.command()
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The HTML file to write.")
@click.option("--max-stories", type=int, default=None, help="Only the N most covered stories.")
@click.pass_obj
def report(obj: Any, output: str, max_stories: int | None) -> None:
    """Write every story, its timeline and its events into one self-contained HTML file."""
    from ..errors import translate_os
    from ..report import write_report

    try:
        size = write_report(obj.open(readonly=True).db, output, max_stories=max_stories)
    except OSError as exc:
        raise translate_os(exc, "write the report to") from exc
    click.echo(f"wrote {output} ({size / 1024:.0f} KiB)", err=True)


def register(group: click.Group) -> None:
    group.add_command(serve)
    group.add_command(report)
