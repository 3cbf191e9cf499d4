"""Plain-text articles, one per file, in the seed format.

The file may start with a header `` date YYYY-MM-DD`` (or a partial
`` date YYYY-MM``) followed, on the same line, by the first line of the page. The article id is the file stem.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator

from ..errors import RecordError
from ..records import RawDocument, Reject
from ..clean.metadata import split_header
from .source import decode_bytes, read_limited, record_stem

__all__ = ["read_text_file", "split_header"]


def read_text_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """One raw document for the file, or a reject saying why it cannot be read."""
    stem = record_stem(path)
    try:
        text, encoding = decode_bytes(read_limited(path, max_bytes))
    except RecordError as exc:
        yield Reject(str(path), exc.reason, exc.detail, stem)
        return
    date, body = split_header(text)
    extra: dict[str, object] = {"encoding": encoding}
    if date:
        extra["date_source"] = "header"
    yield RawDocument(source=str(path), id=stem, text=body, date=date, format="text", extra=extra)
