"""Cleaning: a raw document becomes an :class:`Article`, or a ``RecordError`` that says why not.

``make_article`` reads top to bottom as the steps it takes: get the page
text (extracting it from HTML when needed), check it is text at all, remove
noise lines, then find title, date, outlet and language, and hash the
content for idempotent storage.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from ..errors import ConfigError, RecordError
from ..records import Article, RawDocument
from . import metadata, titles
from .encoding import repair_mojibake

# One sentence of news is ~100 characters; less than that is a stub, a caption or an error page.
MIN_CHARS = 100
# 1 M characters is ~150k words, ten times the longest long-form feature; above that it is not an article.
MAX_CHARS = 1_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NORMALIZE = re.compile(r"\W+")


def make_article(raw: RawDocument, *, min_chars: int = MIN_CHARS, max_chars: int = MAX_CHARS,
                 **unknown: object) -> Article:
    """Clean one raw document into an article; raise ``RecordError`` (empty, binary, too-short, …) when it is none."""
    if unknown:
        raise ConfigError(f"unknown [clean] setting(s) {sorted(unknown)}; known: min_chars, max_chars")
    _check_options(min_chars, max_chars)
    page = _extract(raw) if raw.html is not None and not (raw.text or "").strip() else None
    original = page.text if page is not None else (raw.text or "")
    header, body = metadata.split_header(original)      # the seed-format first line, in any record's text
    check_text(body, max_chars, html=page is not None)
    raw_text = repair_mojibake(body)
    url = raw.url or (page.url if page else None)
    outlet = raw.outlet or (page.outlet if page else None) or metadata.outlet_from_url(url)
    cleaned = _clean(raw_text, outlet) if page is None else None
    text = cleaned.text if cleaned is not None else raw_text.strip()
    if len(text) < min_chars:
        raise RecordError("too-short", f"{len(text)} characters of text after cleaning (< clean.min_chars={min_chars})")
    given = repair_mojibake(raw.title) if raw.title else raw.title    # a feed's or JSONL's title field is scraped too
    title = choose_title(given, (cleaned.title if cleaned else None) or (page.title if page else None), text,
                         url=url, outlet=outlet)
    date, date_source = find_record_date(raw, header, page.date if page else None, url, raw_text)
    language = metadata.normalize_language(raw.language or (page.language if page else None)) \
        or metadata.detect_language(text)
    digest = content_hash(text)
    return Article(id=raw.id or article_id(url, digest), text=text, title=title, url=url, date=date,
                   outlet=outlet, language=language, raw_text=original, source=raw.source,
                   content_hash=digest, date_source=date_source)


def _check_options(min_chars: int, max_chars: int) -> None:
    if not isinstance(min_chars, int) or min_chars < 0:
        raise ConfigError(f"clean.min_chars must be an integer >= 0, got {min_chars!r}")
    if not isinstance(max_chars, int) or max_chars <= min_chars:
        raise ConfigError(f"clean.max_chars must be an integer > clean.min_chars ({min_chars}), got {max_chars!r}")


def check_text(text: str, max_chars: int, html: bool = False) -> None:
    """Reject what is not usable text: empty, binary-looking, or too large."""
    if not text or not text.strip():
        raise RecordError("empty", "no main text found in the HTML" if html else "no text")
    if len(text) > max_chars:
        raise RecordError("too-large", f"{len(text):,} characters > clean.max_chars={max_chars:,}")
    sample = text[:8192]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise RecordError("binary", "text holds NUL or control characters")


def _extract(raw: RawDocument) -> Any:
    """Main text and metadata of an HTML page; a page the parser cannot read is ``unparseable``."""
    from .html import extract_html

    try:
        return extract_html(raw.html or "", url=raw.url)
    except RecordError:
        raise
    except Exception as exc:  # lxml/trafilatura raise many types on broken markup  # noqa: BLE001
        raise RecordError("unparseable", f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc


def _clean(text: str, outlet: str | None) -> Any:
    """Drop noise lines from already-extracted text (``clean.boilerplate``)."""
    from .boilerplate import clean_text

    try:
        return clean_text(text, outlet=outlet)
    except Exception as exc:  # one odd record must not stop an ingest; the reject names the failure  # noqa: BLE001
        raise RecordError("unparseable", f"text cleaning failed: {type(exc).__name__}: {exc}") from exc


def find_record_date(raw: RawDocument, header: str | None, meta: str | None, url: str | None,
                     text: str) -> tuple[dt.date | None, str | None]:
    """Publication date and its source from everything the record carries (see ``metadata.find_date``).

    The reader may already have split the header off (text files); otherwise it was
    found at the start of the text. A relative date field is counted only from the
    record's own reference date (its crawl time, when it has one).
    """
    from_reader = raw.extra.get("date_source") == "header"
    reference = metadata.parse_date_value(raw.extra.get("reference_date"))
    return metadata.find_date(header=raw.date if from_reader else header,
                              field=None if from_reader else raw.date,
                              meta=meta, url=url, text=text, reference=reference)


def choose_title(field: str | None, found: str | None, text: str, url: str | None = None,
                 outlet: str | None = None) -> str | None:
    """The record's title, else the headline found atop the page, else one made from the lead sentence.

    A site banner is skipped; a URL-slug title is re-cased from the text (``clean.titles``).
    """
    context = f"{found}\n{text}" if found else text     # the headline line cleaning took off the text
    for candidate in (field, found):
        title = titles.cap_title(metadata.tidy_title(candidate))
        title = titles.strip_site_suffix(title, url, outlet) if title else None
        if not title or titles.is_banner(title, context, url, outlet):
            continue
        return titles.recase_title(title, context, url)
    return titles.cap_title(metadata.headline_from_text(text))


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored: the same story re-scraped hashes the same."""
    return hashlib.sha1(_NORMALIZE.sub(" ", text.lower()).strip().encode("utf-8")).hexdigest()


def article_id(url: str | None, digest: str) -> str:
    """A stable id for a record without one: from its URL, else from its content."""
    if url:
        from ..store.articles import url_key

        return hashlib.sha1((url_key(url) or url).encode("utf-8")).hexdigest()[:16]
    return digest[:16]


__all__ = ["make_article", "choose_title", "content_hash", "check_text"]
