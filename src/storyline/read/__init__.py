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

import errno
import gzip
import os
import stat
import zlib
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

__all__ = ["count_records", "iter_documents", "iter_files", "walk_inputs", "READERS"]

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
        for file in walk_inputs(Path(path)):
            if isinstance(file, Reject):
                total += 1                                     # its reject is one record
                continue
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
    if not p.exists() and p.is_symlink():
        raise InputError(f"input path is a symbolic link to nothing or a link loop: {p}")
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
        for item in walk_inputs(path):
            if isinstance(item, Reject):
                yield item
            else:
                yield from _read_file(item, max_bytes, fmt)


def _read_file(file: Path, max_bytes: int, fmt: str | None) -> Iterator[RawDocument | Reject]:
    """The documents of one file; an error reading it becomes a reject for the rest of the file, not a crash."""
    n_records = 0
    try:
        for record in READERS[fmt or sniff_format(file)](file, max_bytes):
            n_records += 1
            yield record
        if n_records == 0:       # an empty JSONL file, a feed without items, an archive without pages
            yield Reject(str(file), "empty", "the file holds no record")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Reject(str(file), "unparseable", f"corrupt or truncated compressed file: {exc}")
    except OSError as exc:          # permission denied, removed while reading, I/O error, a link loop
        yield Reject(str(file), "unreadable", exc.strerror or str(exc))
    except Exception as exc:  # a parser library failing on hostile input must not stop the run  # noqa: BLE001
        yield Reject(str(file), "unparseable", f"{type(exc).__name__}: {exc}")


def iter_files(path: Path) -> Iterator[Path]:
    """A file itself, or every non-hidden file under a folder, depth-first in sorted order (entries that cannot be read are left out)."""
    for item in walk_inputs(path):
        if isinstance(item, Path):
            yield item


def walk_inputs(path: Path) -> Iterator[Path | Reject]:
    """Every file under ``path``, or a reject for each entry that cannot be read; never raises.

    Symlinked files are read through their link. Symlinked folders are followed,
    each real folder once: a link back to a folder being walked (a cycle) is a
    ``symlink-loop`` reject; a second link to a folder already walked is skipped
    with an ``already-read`` reject, so no file is read twice through links.
    A link to nothing is ``dangling-link``, a file link that loops ``symlink-loop``,
    a FIFO, socket or device ``not-a-file`` (reading one could block forever), a
    folder or file the user may not read ``unreadable``.
    """
    if path.is_file():
        yield path
        return
    yield from _walk_folder(path, ancestors=(), walked=set())


def _walk_folder(folder: Path, ancestors: tuple[str, ...], walked: set[str]) -> Iterator[Path | Reject]:
    real = os.path.realpath(folder)
    if real in ancestors:
        yield Reject(str(folder), "symlink-loop", f"links back to the folder {real} being read")
        return
    if real in walked:
        yield Reject(str(folder), "already-read", f"a link to {real}, which was read already")
        return
    walked.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Reject(str(folder), "unreadable", f"folder cannot be listed: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        yield from _walk_entry(entry, (*ancestors, real), walked)


def _walk_entry(entry: os.DirEntry[str], ancestors: tuple[str, ...], walked: set[str]) -> Iterator[Path | Reject]:
    """One folder entry: its files, or the reject that says why it cannot be read."""
    child = Path(entry.path)
    try:
        info = os.stat(entry.path)                      # follows links: loops and dangling links raise here
    except OSError as exc:
        yield _link_reject(child, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk_folder(child, ancestors, walked)
    elif stat.S_ISREG(info.st_mode):
        yield child
    else:
        yield Reject(str(child), "not-a-file", "a FIFO, socket or device, not a regular file")


def _link_reject(path: Path, exc: OSError) -> Reject:
    """The reject for an entry ``os.stat`` failed on."""
    if exc.errno == errno.ELOOP:
        return Reject(str(path), "symlink-loop", "too many levels of symbolic links")
    if exc.errno == errno.ENOENT and path.is_symlink():
        return Reject(str(path), "dangling-link", f"links to {os.readlink(path)}, which does not exist")
    return Reject(str(path), "unreadable", exc.strerror or str(exc))
