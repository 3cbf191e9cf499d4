"""RSS and Atom feed files: one raw document per item with content or a summary."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..errors import RecordError
from ..records import RawDocument, Reject
from .source import read_limited


def read_feed_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Reject]:
    """Parse the whole feed (feeds are small) and yield its items."""
    import feedparser

    try:
        data = read_limited(path, max_bytes)
    except RecordError as exc:
        yield Reject(str(path), exc.reason, exc.detail)
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = "unparseable" if parsed.get("bozo") else "empty"
        detail = str(parsed.get("bozo_exception", "")) or "feed has no items"
        yield Reject(str(path), reason, detail)
        return
    feed_language = parsed.feed.get("language")
    for index, entry in enumerate(parsed.entries, start=1):
        yield _entry_to_raw(entry, f"{path}:{index}", feed_language)


def _entry_to_raw(entry: Any, source: str, language: str | None) -> RawDocument:
    """One feed item: its longest content (HTML turned into paragraphs) or its summary."""
    html = _entry_html(entry)
    url = entry.get("link")
    ident = entry.get("id") or url or source
    return RawDocument(
        source=source, id=hashlib.sha1(str(ident).encode("utf-8")).hexdigest()[:16], url=url,
        title=entry.get("title"), date=_entry_date(entry), text=html_fragment_text(html),
        outlet=_host(url), language=language, format="feed")


def _entry_html(entry: Any) -> str:
    contents: list[str] = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        return max(contents, key=len)
    return str(entry.get("summary", "") or entry.get("description", "") or "")


def _entry_date(entry: Any) -> str | None:
    """The item's publication (else update) date as ISO text."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
            except ValueError:
                continue
    value = entry.get("published") or entry.get("updated")
    return None if value is None else str(value)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.") or None


BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")


def html_fragment_text(html: str) -> str:
    """Text of an HTML fragment with block elements as separate paragraphs."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on broken markup  # noqa: BLE001
        return html.strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    paragraphs = [" ".join(p.split()) for p in root.text_content().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)
