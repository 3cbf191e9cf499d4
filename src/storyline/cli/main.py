"""The ``storyline`` command: a group whose commands live in one module per stage.

A user's mistake (missing file, bad flag, unreadable DB) prints one line on
stderr and exits 1; only real bugs keep a traceback.
"""
from __future__ import annotations

import errno
import importlib
import signal
import sqlite3
import sys
from typing import Any

import click

from ..errors import StoreError, StorylineError, translate_os, translate_sqlite

# Modules that add commands to the group, each exposing ``register(group)``.
COMMAND_MODULES = [
    "storyline.cli.core",
    "storyline.cli.events",
    "storyline.cli.stories",
    "storyline.cli.understand",
    "storyline.cli.web",
    "storyline.cli.bench",
]


class Context:
    """What every command needs: where the DB is and the settings."""

    current: Context | None = None      # the running command's context, for messages after click unwound

    def __init__(self, db: str | None, config: str | None, quiet: bool) -> None:
        Context.current = self
        self.db_path = db
        self.config_path = config
        self.quiet = quiet
        self._sl: Any = None

    def open(self, readonly: bool = False) -> Any:
        """Open the storyline DB once per command."""
        if self._sl is None:
            import storyline
            from ..config import load_settings

            settings = load_settings(self.config_path).with_values(
                "engine", type=getattr(self, "engine", None), scheduler=getattr(self, "scheduler", None))
            self._sl = storyline.open(self.db_path, settings, readonly=readonly)
        return self._sl

    def db_name(self) -> str:
        """The DB path as the user knows it, for messages."""
        from ..store.db import default_path

        return self.db_path or default_path()

    def progress(self) -> Any:
        from ..progress import Progress

        return Progress(enabled=False if self.quiet else None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="STORYLINE_DB", default=None,
              help="SQLite database (default ./storyline.db or $STORYLINE_DB).")
@click.option("--config", "config", default=None, help="TOML settings file (default ./storyline.toml if present).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
              help="Where parallel work runs (default [engine] type, else local).")
@click.option("--scheduler", default=None,
              help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster).")
@click.version_option(package_name="storyline")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config: str | None, quiet: bool, engine: str | None,
        scheduler: str | None) -> None:
    """storyline: what happened, when, who said what, who reported it, and what came before."""
    ctx.obj = Context(db, config, quiet)
    ctx.obj.engine = "dask" if scheduler and not engine else engine
    ctx.obj.scheduler = scheduler


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(cli)


_register_all()


# OSError numbers that are the machine's state, not a bug: they become one line, not a traceback.
OPERATIONAL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT}


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM behaves like Ctrl-C: unwind (rolling back the open batch), print "aborted", exit 1.

    A second SIGTERM while unwinding ends the process at once.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt


def _db_name() -> str:
    """The DB the current command uses, for messages about failures that escaped the store's translation."""
    if Context.current is not None:
        return Context.current.db_name()
    from ..store.db import default_path

    return default_path()


def operational_error(exc: BaseException, db: str) -> StorylineError | None:
    """The one-line error for a sqlite3/OSError failure that is the machine's state (disk, permissions), else None."""
    if isinstance(exc, sqlite3.Error):
        translated = translate_sqlite(exc, db)
        return translated if type(translated) is not StoreError or "locked" in str(translated) else None
    disk = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    if isinstance(exc, OSError) and (exc.errno in disk or (exc.errno in OPERATIONAL_ERRNOS and exc.filename)):
        return translate_os(exc, "write")
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the group, turning StorylineError into one line and exit code 1."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        _run(argv)
    except (sqlite3.Error, OSError) as exc:
        # A safety net: the store translates its own failures; this catches the machine's state met elsewhere.
        translated = operational_error(exc, _db_name())
        if translated is None:
            raise
        click.echo(f"error: {translated}", err=True)
        sys.exit(1)


def _run(argv: list[str] | None) -> None:
    """Run the group; StorylineError, Abort and click's usage errors become one line and exit 1."""
    try:
        cli.main(args=argv, prog_name="storyline", standalone_mode=False)
    except StorylineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(1)          # a bad flag is a user's mistake like any other: exit 1, not click's 2
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
