"""Readers: every input path becomes a stream of raw documents (or rejects), never a list.

``iter_documents(paths)`` accepts files, folders (walked lazily, recursively,
in sorted order so runs are reproducible) and ``-`` for JSONL on stdin. The
format is chosen by suffix (through ``.gz``), else sniffed from the first
bytes. One module per format: ``text``, ``jsonl``, ``html``, ``warc``, ``feed``.

>>> docs = iter_documents(["examples/seeds"])     # doctest: +SKIP
>>> next(docs).id                                  # doctest: +SKIP
'000_468fb4437cf128b2'
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..errors import ConfigError, InputError
from ..records import RawDocument, Reject
from .feed import read_feed_file
from .html import read_html_file
from .jsonl import read_json_file, read_jsonl_file, read_jsonl_stdin
from .source import DEFAULT_MAX_BYTES, open_binary, sniff_format
from .text import read_text_file
from .warc import read_warc_file

Reader = Callable[[Path, int], Iterator[RawDocument | Reject]]

READERS: dict[str, Reader] = {
    "text": read_text_file,
    "jsonl": read_jsonl_file,
    "json": read_json_file,
    "html": read_html_file,
    "warc": read_warc_file,
    "feed": read_feed_file,
}

__all__ = ["count_records", "iter_documents", "iter_files", "READERS"]

# Formats whose record count is known without parsing: one per file, or one per non-blank line.
ONE_PER_FILE = ("text", "html")
COUNT_BLOCK = 1 << 20


def iter_documents(paths: Sequence[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES,
                   format: str | None = None, **unknown: object) -> Iterator[RawDocument | Reject]:  # noqa: A002
    """Raw documents from every path, in order; paths are checked before anything is read.

    ``max_bytes`` bounds one record (a file, a JSONL line, a WARC response):
    above it the record is rejected as ``too-large`` without being read into
    memory. ``format`` forces one reader (``text``, ``jsonl``, ``json``,
    ``html``, ``warc``, ``feed``) instead of guessing from suffixes.
    """
    if unknown:
        raise ConfigError(f"unknown [ingest] setting(s) {sorted(unknown)}; known: max_bytes, format")
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise ConfigError(f"ingest.max_bytes must be a positive integer, got {max_bytes!r}")
    if format is not None and format not in READERS:
        raise ConfigError(f"ingest.format must be one of {', '.join(READERS)}, got {format!r}")
    checked = [_check_path(p) for p in paths]
    if not checked:
        raise InputError("no input paths given")
    return _iter_checked(checked, max_bytes, format)


def count_records(paths: Sequence[str | os.PathLike[str]], *, format: str | None = None,  # noqa: A002
                  **_: object) -> int | None:
    """How many records reading ``paths`` will give, for a progress bar's ETA; None when it cannot be known cheaply.

    Text and HTML files are one record each and JSONL about one per line
    (newlines counted in one pass over the bytes, ~1 s per GB); WARC, feeds, JSON
    arrays and stdin would need parsing, so their total is left unknown.
    """
    total = 0
    for path in paths:
        if str(path) == "-" or not Path(path).exists():
            return None
        for file in iter_files(Path(path)):
            fmt = format or sniff_format(file)
            if fmt in ONE_PER_FILE:
                total += 1
            elif fmt == "jsonl":
                total += max(1, _count_lines(file))   # an empty file is one record: its reject
            else:
                return None
    return total


def _count_lines(file: Path) -> int:
    """Lines of a (possibly gzipped) file, read in blocks (a blank line counts too: close enough for an ETA)."""
    lines, last = 0, b"\n"
    try:
        with open_binary(file) as handle:
            while block := handle.read(COUNT_BLOCK):
                lines += block.count(b"\n")
                last = block[-1:]
    except (OSError, EOFError, ValueError):
        return lines
    return lines + (last != b"\n")


def _check_path(path: str | os.PathLike[str]) -> Path | None:
    """The path as a Path (None for stdin), or an InputError a user can act on."""
    if str(path) == "-":
        return None
    p = Path(path)
    if not p.exists():
        raise InputError(f"input path not found: {p}")
    if not (p.is_file() or p.is_dir()):
        raise InputError(f"input path is neither a file nor a folder: {p}")
    if not os.access(p, os.R_OK):
        raise InputError(f"input path is not readable: {p}")
    return p


def _iter_checked(paths: list[Path | None], max_bytes: int, fmt: str | None) -> Iterator[RawDocument | Reject]:
    for path in paths:
        if path is None:
            yield from read_jsonl_stdin(max_bytes)
            continue
        for file in iter_files(path):
            yield from _read_file(file, max_bytes, fmt)


def _read_file(file: Path, max_bytes: int, fmt: str | None) -> Iterator[RawDocument | Reject]:
    """The documents of one file; an error reading it becomes a reject for the rest of the file, not a crash."""
    n_records = 0
    try:
        for record in READERS[fmt or sniff_format(file)](file, max_bytes):
            n_records += 1
            yield record
        if n_records == 0:       # an empty JSONL file, a feed without items, an archive without pages
            yield Reject(str(file), "empty", "the file holds no record")
    except (PermissionError, IsADirectoryError, FileNotFoundError) as exc:
        yield Reject(str(file), "unreadable", exc.strerror or str(exc))
    except Exception as exc:  # a parser library failing on hostile input must not stop the run  # noqa: BLE001
        yield Reject(str(file), "unparseable", f"{type(exc).__name__}: {exc}")


def iter_files(path: Path) -> Iterator[Path]:
    """A file itself, or every non-hidden file under a folder, depth-first in sorted order."""
    if path.is_file():
        yield path
        return
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from iter_files(child)
        elif entry.is_file():
            yield child
