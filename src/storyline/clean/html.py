"""Main-text extraction from raw HTML (trafilatura + htmldate), then text cleaning.

(Work in progress: interface final, tuning in the next commit.)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ExtractedPage:
    """What one HTML page yields: main text and its metadata."""

    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    language: str | None = None
    url: str | None = None


def extract_html(html: str, url: str | None = None) -> ExtractedPage:
    """Extract the main text and metadata of one HTML page (interface stub)."""
    import trafilatura
    text = trafilatura.extract(html, url=url, fast=True, include_comments=False) or ""
    return ExtractedPage(text=text, url=url)
