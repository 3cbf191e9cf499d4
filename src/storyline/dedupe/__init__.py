"""Exact and near-duplicate detection: each copy points at the earliest article it duplicates.

Copies stay stored and visible as separate sources; later stages count a
group once when they weigh evidence (``articles.duplicate_of`` is the root).
"""
from __future__ import annotations

from .minhash import DuplicateFinder, normalized_tokens, shingles
from .stage import run

__all__ = ["DuplicateFinder", "normalized_tokens", "shingles", "run"]
