"""HTML pages, one per file (``.html``, ``.htm``, optionally gzipped)."""
from __future__ import annotations

import re
from pathlib import Path
from collections.abc import Iterator

from ..errors import RecordError
from ..records import RawDocument, Reject
from .source import decode_bytes, read_limited, record_stem

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page with its declared charset when that works, else UTF-8 / Latin-1."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name not in ("utf-8", "utf8"):
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data)


def read_html_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """One raw document holding the page's HTML, or a reject."""
    stem = record_stem(path)
    try:
        html, encoding = decode_html(read_limited(path, max_bytes))
    except RecordError as exc:
        yield Reject(str(path), exc.reason, exc.detail, stem)
        return
    yield RawDocument(source=str(path), id=stem, html=html, format="html", extra={"encoding": encoding})
