"""Records in JSON Lines (one object per line) or JSON arrays, streamed.

Field names vary between tools, so each field accepts its common spellings
(``body``/``content``/``maintext`` for the text, ``headline`` for the title,
``published``/``pubDate`` for the date, ``link`` for the URL …). The
record's own id is kept as the article id.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from ..errors import RecordError
from ..records import RawDocument, Reject
from .source import decode_bytes, open_binary, read_limited, wide_encoding

# First name found wins; compared case-insensitively.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "doc_id", "docid", "article_id", "uuid", "guid", "key"),
    "url": ("url", "link", "uri", "href", "canonical_url", "source_url", "article_url"),
    "title": ("title", "headline", "heading", "name"),
    "date": ("date", "published", "publish_date", "published_date", "published_at", "publication_date",
             "pubdate", "date_publish", "datetime", "date_published", "timestamp", "created_at", "time"),
    "text": ("text", "body", "content", "article", "maintext", "full_text", "fulltext", "doc_text",
             "article_text", "story", "body_text", "description", "summary"),
    "html": ("html", "raw_html", "raw_content"),
    "outlet": ("source", "outlet", "publisher", "site_name", "sitename", "source_domain", "domain",
               "media", "newspaper", "source_name"),
    "language": ("language", "lang", "locale"),
    # When the record was fetched: the only base for a relative date ("2 days ago") in its date field.
    "reference": ("crawled_at", "crawl_date", "date_crawled", "retrieved", "retrieved_at", "scraped_at",
                  "fetched_at", "date_download", "downloaded_at", "accessed", "accessed_at"),
}
ARRAY_KEYS = ("articles", "items", "records", "documents", "docs", "data", "results")
CHUNK = 1 << 20


def read_jsonl_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """Records of a JSONL file (gzip allowed), line by line; a JSON array saved as ``.jsonl`` is read as one."""
    try:
        handle = open_binary(path)
        head = handle.peek(64)[:64] if hasattr(handle, "peek") else b""
    except (OSError, EOFError) as exc:
        yield Reject(str(path), "unreadable", str(exc))
        return
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        handle.close()
        yield from read_json_file(path, max_bytes)
        return
    if wide_encoding(head):
        handle.close()
        yield from _read_wide_jsonl(path, max_bytes)
        return
    with handle:
        yield from read_jsonl_stream(handle, str(path), max_bytes)


def _read_wide_jsonl(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """JSONL in UTF-16/32 (with a BOM): its lines cannot be split as bytes, so the file is decoded whole first."""
    try:
        text, _ = decode_bytes(read_limited(path, max_bytes))
    except RecordError as exc:
        yield Reject(str(path), exc.reason, exc.detail)
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield parse_line(line.encode("utf-8"), f"{path}:{lineno}", max_bytes)


def read_jsonl_stdin(max_bytes: int) -> Iterator[RawDocument | Reject]:
    """Records of JSONL piped on standard input (the path ``-``)."""
    yield from read_jsonl_stream(sys.stdin.buffer, "-", max_bytes)


def read_jsonl_stream(handle: BinaryIO, name: str, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """Parse each non-blank line into a raw document; a bad line becomes a reject at ``name:line``."""
    lineno = 0
    try:
        while True:
            line = handle.readline(max_bytes + 1)
            if not line:
                return
            lineno += 1
            source = f"{name}:{lineno}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                _skip_rest_of_line(handle)
                yield Reject(source, "too-large", f"line longer than {max_bytes:,} bytes (ingest.max_bytes)")
                continue
            if not line.strip():
                continue
            yield parse_line(line, source, max_bytes)
    except (EOFError, OSError, ValueError, zlib.error) as exc:  # truncated or corrupt gzip
        yield Reject(f"{name}:{lineno + 1}", "unparseable", f"input ends early or is corrupt: {exc}")


def _skip_rest_of_line(handle: BinaryIO) -> None:
    """Consume the rest of an over-long line without holding it in memory."""
    while True:
        piece = handle.readline(CHUNK)
        if not piece or piece.endswith(b"\n"):
            return


def parse_line(line: bytes, source: str, max_bytes: int) -> RawDocument | Reject:
    """One JSON object → raw document, or a reject naming what is wrong."""
    try:
        text, _ = decode_bytes(line)
        obj = json.loads(text)
    except RecordError as exc:
        return Reject(source, exc.reason, exc.detail)
    except json.JSONDecodeError as exc:
        return Reject(source, "unparseable", f"invalid JSON: {exc.msg} at column {exc.colno}")
    return record_to_raw(obj, source, "jsonl")


def read_json_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """A JSON array of records (or one record, or an object holding a list under ``articles``/``items``…)."""
    try:
        data = read_limited(path, max_bytes)
    except RecordError as exc:
        if exc.reason == "too-large":
            # A big array is normal: fall back to the streaming array reader.
            yield from _stream_json_array(path, max_bytes)
            return
        yield Reject(str(path), exc.reason, exc.detail)
        return
    try:
        obj = json.loads(decode_bytes(data)[0])
    except RecordError as exc:
        yield Reject(str(path), exc.reason, exc.detail)
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":          # a ".json" file holding JSON Lines: read it line by line
            yield from read_jsonl_file(path, max_bytes)
            return
        yield Reject(f"{path}:{exc.lineno}", "unparseable", f"invalid JSON: {exc.msg}")
        return
    for index, record in enumerate(_records_of(obj)):
        yield record_to_raw(record, f"{path}:{index + 1}", "jsonl")


def _records_of(obj: Any) -> list[Any]:
    """The list of records a parsed JSON document holds."""
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        for key in ARRAY_KEYS:
            value = obj.get(key)
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                return value
    return [obj]


def _stream_json_array(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """Records of a JSON array too big to load, decoded one element at a time."""
    decoder = json.JSONDecoder()
    index = 0
    with open_binary(path) as handle:
        reader = _TextChunks(handle)
        buf, pos = reader.read(), 0
        pos = _skip(buf, pos, " \t\r\n\ufeff")
        if not buf[pos:pos + 1] == "[":
            yield Reject(str(path), "too-large", f"single JSON value larger than {max_bytes:,} bytes")
            return
        pos += 1
        while True:
            pos = _skip(buf, pos, " \t\r\n,")
            while pos >= len(buf) and not reader.done:
                buf, pos = buf[pos:] + reader.read(), 0
                pos = _skip(buf, pos, " \t\r\n,")
            if pos >= len(buf) or buf[pos] == "]":
                return
            index += 1
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if reader.done or len(buf) - pos > max_bytes:
                    yield Reject(f"{path}:{index}", "unparseable", f"invalid JSON array element: {exc.msg};"
                                 " the rest of the file is skipped")
                    return
                buf, pos = buf[pos:] + reader.read(), 0
                index -= 1
                continue
            yield record_to_raw(obj, f"{path}:{index}", "jsonl")
            buf, pos = buf[end:], 0


class _TextChunks:
    """UTF-8 text from a binary stream in 1 MB pieces, never splitting a character."""

    def __init__(self, handle: BinaryIO) -> None:
        import codecs

        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.done = False

    def read(self) -> str:
        data = self.handle.read(CHUNK)
        if not data:
            self.done = True
        return self.decoder.decode(data, final=not data)


def _skip(buf: str, pos: int, chars: str) -> int:
    while pos < len(buf) and buf[pos] in chars:
        pos += 1
    return pos


def record_to_raw(obj: Any, source: str, fmt: str) -> RawDocument | Reject:
    """Map a record's fields, under any of their common names, onto a raw document."""
    if not isinstance(obj, dict):
        return Reject(source, "unparseable", f"record is a JSON {type(obj).__name__}, not an object")
    lowered = {str(k).lower(): v for k, v in obj.items()}
    found = {name: _first(lowered, names) for name, names in FIELD_NAMES.items()}
    record_id = _as_text(found["id"])
    reference = _as_date_text(found["reference"])
    return RawDocument(
        source=source, id=record_id, url=_as_text(found["url"]), title=_as_text(found["title"]),
        date=_as_date_text(found["date"]), text=_as_body(found["text"]), html=_as_text(found["html"]),
        outlet=_as_outlet(found["outlet"]), language=_as_text(found["language"]), format=fmt,
        extra={"reference_date": reference} if reference else {})


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _as_body(value: Any) -> str | None:
    """Text, or a list of paragraphs joined by blank lines."""
    if isinstance(value, list):
        return "\n\n".join(str(v) for v in value if isinstance(v, (str, int, float))) or None
    if isinstance(value, dict):
        return _as_text(value.get("text") or value.get("value"))
    return None if value is None else str(value)


def _as_date_text(value: Any) -> str | None:
    """Dates as text; numbers are Unix timestamps (seconds, or milliseconds when huge)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return _as_text(value)


def _as_outlet(value: Any) -> str | None:
    """An outlet name, also from the ``{"id": …, "name": …}`` objects some news APIs use."""
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title") or value.get("id"))
    return _as_text(value)
