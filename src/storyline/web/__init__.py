"""Local web app over a storyline database: ``create_app(db_path)``, served by ``storyline serve``."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(db_path: Any, hosts: Sequence[str] | None = None) -> FastAPI:
    """The FastAPI app (imported lazily so the library does not need FastAPI to load)."""
    from .app import create_app as _create

    return _create(db_path, hosts)


__all__ = ["create_app"]
