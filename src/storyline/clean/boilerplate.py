"""Cleaning of already-extracted page text: drop the lines a reader calls noise.

(Work in progress: the full line classifier lands in the next commit; the
interface below is final.)
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CleanedText:
    """Clean body text, the headline found at the top, and every dropped line with why."""

    text: str
    title: str | None = None
    removed: list[tuple[int, str, str]] = field(default_factory=list)


def clean_text(text: str, outlet: str | None = None) -> CleanedText:
    """Return the page text without noise lines (interface stub)."""
    paras = [line.strip() for line in text.splitlines() if line.strip()]
    return CleanedText(text="\n\n".join(paras))
