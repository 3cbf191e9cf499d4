"""Web archives (``.warc``, ``.warc.gz``): every HTTP response record that holds HTML.

Records that are not pages (requests, metadata, images, redirects) are not
articles and are skipped. A truncated archive keeps what was read and
rejects the rest with the offset where reading stopped.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from ..errors import RecordError
from ..records import RawDocument, Reject
from .html import decode_html

HTML_TYPES = ("text/html", "application/xhtml")


def read_warc_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """One raw document per HTML response in the archive."""
    from warcio.archiveiterator import ArchiveIterator

    offset = 0
    with open(path, "rb") as handle:
        try:
            records = ArchiveIterator(handle)
            for record in records:
                offset = records.offset      # start of this record (get_record_offset() would consume it)
                doc = _record_to_raw(record, f"{path}:{offset}", max_bytes)
                if doc is not None:
                    yield doc
                if isinstance(doc, Reject) and doc.reason == "unparseable":
                    return
        except Exception as exc:  # warcio raises assorted types on corrupt input  # noqa: BLE001
            yield Reject(f"{path}:{offset}", "unparseable",
                         f"archive truncated or corrupt after offset {offset}; the rest is skipped ({exc})")
            return
        # warcio stops quietly at a cut inside a record header or a gzip member: bytes left unread mean a cut.
        if records.offset < os.fstat(handle.fileno()).st_size:
            yield Reject(f"{path}:{records.offset}", "unparseable",
                         f"archive truncated at offset {records.offset}; the records after it are lost")


def _record_to_raw(record: Any, source: str, max_bytes: int) -> RawDocument | Reject | None:
    """A response record holding a 2xx HTML page → raw document; anything else → None."""
    if record.rec_type not in ("response", "resource"):
        return None
    http = record.http_headers
    if http is not None:
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        ctype = (http.get_header("Content-Type") or "").lower()
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    if not any(t in ctype for t in HTML_TYPES):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    record_id = hashlib.sha1((url or source).encode("utf-8")).hexdigest()[:16]
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return Reject(source, "too-large", f"response larger than {max_bytes:,} bytes (ingest.max_bytes)", record_id)
    if getattr(record.raw_stream, "limit", 0) > 0:
        return Reject(source, "unparseable", "record shorter than its Content-Length: archive truncated here;"
                      " the rest is skipped", record_id)
    try:
        html, encoding = decode_html(data)
    except RecordError as exc:
        return Reject(source, exc.reason, exc.detail, record_id)
    return RawDocument(source=source, id=record_id, url=url, html=html, format="warc",
                       extra={"encoding": encoding, "crawl_date": record.rec_headers.get_header("WARC-Date")})
