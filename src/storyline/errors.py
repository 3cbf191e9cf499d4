"""Every error storyline raises on purpose derives from one base class.

The CLI catches :class:`StorylineError` and prints its message on one line;
anything else is a bug and keeps its traceback. Like httpx, third-party
failures (``sqlite3``, ``OSError``) are translated into these families where
they enter storyline, by :func:`translate_sqlite` and :func:`translate_os`,
so each message names the file and what to do.
"""
from __future__ import annotations

import errno
import sqlite3


class StorylineError(Exception):
    """Base class: a problem the user can act on."""


class ConfigError(StorylineError):
    """A setting has a value outside its allowed range or type."""


class InputError(StorylineError):
    """An input path or record cannot be read at all."""


class RecordError(InputError):
    """One record is unusable; it is rejected with ``reason`` and the run goes on."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class StoreError(StorylineError):
    """The database cannot be opened, migrated or written."""


class DiskFullError(StoreError):
    """The disk (or the file size limit) ran out while writing; what was committed before is kept."""


class ReadOnlyError(StoreError):
    """The database file or its folder cannot be written by this user."""


class ForeignDatabaseError(StoreError):
    """The file is not a storyline database (another application's SQLite file, or not SQLite at all)."""


class SchemaVersionError(StoreError):
    """The database was written by a newer storyline than this one."""


class OutputError(StorylineError):
    """A file or folder storyline was asked to write cannot be created or written."""


class ServeError(StorylineError):
    """The web app cannot start (for example its port is in use)."""


class NotFoundError(StorylineError):
    """An id or name asked for is not in the store."""


class DependencyError(StorylineError):
    """An optional dependency or model is missing; the message says how to install it."""


class StageOrderError(StorylineError):
    """A stage was asked to run before the stage whose output it needs."""


FULL_HINT = "free some space (or raise the file size limit) and run the command again; committed work is kept"


def translate_sqlite(exc: sqlite3.Error, path: str) -> StoreError:
    """The StoreError family for a sqlite3 failure on the database at ``path``."""
    text = str(exc)
    lower = text.lower()
    if "disk is full" in lower or "disk i/o error" in lower or getattr(exc, "sqlite_errorcode", 0) == 13:
        return DiskFullError(f"database {path}: disk full or write failed ({text}); {FULL_HINT}")
    if "readonly" in lower or "read-only" in lower:
        return ReadOnlyError(f"database {path} is read-only for this user; fix its (and its folder's) "
                             "permissions or choose another file with --db")
    if "file is not a database" in lower or "malformed" in lower:
        return ForeignDatabaseError(f"{path} is not a storyline database ({text}); "
                                    "choose another file with --db")
    if "unable to open" in lower:
        return StoreError(f"cannot open database {path}: {text}; check that its folder exists and is writable")
    if "locked" in lower or "busy" in lower:
        return StoreError(f"database {path} is locked by another process ({text}); try again when it is done")
    return StoreError(f"database {path}: {text}")


def translate_os(exc: OSError, what: str = "write") -> StorylineError:
    """An OutputError (or DiskFullError) for an OSError while storyline reads or writes a file."""
    name = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return DiskFullError(f"cannot {what} {name}: {reason}; {FULL_HINT}")
    if exc.errno == errno.ENOENT:
        return OutputError(f"cannot {what} {name}: its folder does not exist; create it first")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot {what} {name}: permission denied (or read-only file system); "
                           "choose a writable location")
    return OutputError(f"cannot {what} {name}: {reason}")
