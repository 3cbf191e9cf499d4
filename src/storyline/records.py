"""The records that pass between pipeline steps, in one place.

Readers yield :class:`RawDocument`; cleaning turns it into an :class:`Article`;
later stages produce events, stories, entities, quotes, facts and summaries.
A record that cannot become an article becomes a :class:`Reject` with a reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any



def parse_date(value: Any) -> dt.date | None:
    """An ISO date (or the date of an ISO datetime) as a date; None when absent or malformed.
    Stored dates are ISO text: every stage and view reads them back through this one function."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None

@dataclass
class RawDocument:
    """One input record exactly as a reader found it, before cleaning."""

    source: str                      # path, or path:line for line-based formats
    id: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None          # as found (any format); cleaning parses it
    text: str | None = None          # already-extracted text (txt, jsonl, feeds)
    html: str | None = None          # raw HTML (html, warc, some feeds)
    outlet: str | None = None
    language: str | None = None
    format: str = "text"             # text | jsonl | html | warc | feed
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reject:
    """An input record that was not stored, and why."""

    source: str
    reason: str        # empty | binary | undecodable | too-short | unparseable | too-large | duplicate-id | ...
    detail: str = ""
    record_id: str | None = None


@dataclass
class Article:
    """A cleaned news article: the unit every later stage works on."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    outlet: str | None = None
    language: str | None = None
    raw_text: str | None = None
    source: str | None = None
    content_hash: str = ""
    date_source: str | None = None   # header | field | meta | url | text
    duplicate_of: str | None = None
    event_id: str | None = None
    story_id: str | None = None


@dataclass
class Entity:
    """A canonical person, organisation or place with every name it goes by."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: int = 0
    article_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)


@dataclass
class Quote:
    """A direct quotation and who said it."""

    id: str
    text: str
    article_id: str
    start: int
    end: int
    speaker: str | None = None
    speaker_entity_id: str | None = None
    group_id: str | None = None      # same quote found in other articles of the event
    event_id: str | None = None


@dataclass
class Fact:
    """Sentences from different articles of one event that report the same fact."""

    id: str
    event_id: str
    text: str                                   # representative sentence
    sentences: list[dict[str, Any]] = field(default_factory=list)  # {article_id, outlet, text}
    outlets: list[str] = field(default_factory=list)
    single_outlet: bool = False
    disagreement: list[dict[str, Any]] = field(default_factory=list)
    agreement: list[dict[str, Any]] = field(default_factory=list)   # values several outlets state alike


@dataclass
class SummarySentence:
    """One sentence of an extractive summary, with its citation."""

    text: str
    article_id: str
    outlet: str | None = None
