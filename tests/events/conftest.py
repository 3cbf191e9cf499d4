"""Fixtures for the events tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from events_helpers import dated_ecbplus


@pytest.fixture(scope="session")
def ecb_dated() -> list[dict[str, str]]:
    return dated_ecbplus()


@pytest.fixture()
def no_embed_config(tmp_path: Path) -> Path:
    """Words only and small chunks: fast, and many commits for the kill test to land between."""
    path = tmp_path / "storyline.toml"
    path.write_text("[events]\nuse_embeddings = false\nchunk_size = 5\n", encoding="utf-8")
    return path
