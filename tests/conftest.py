"""Shared fixtures: where ../shared is, the seeds, a fresh DB, a DB built from the seeds.

Tests that read ../shared/data skip cleanly when it is absent; everything
else builds its fixtures itself.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
SEEDS = ROOT / "examples" / "seeds"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def shared_data(name: str) -> Path:
    """Path of a labelled corpus under ../shared/data, or skip the test when it is absent."""
    path = DATA / name
    if not path.exists():
        pytest.skip(f"../shared/data/{name} not present")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), "examples/seeds is committed with the project"
    return SEEDS


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """A DB with the five seeds ingested and every build stage run (built once per session)."""
    import storyline

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    sl = storyline.open(path)
    sl.ingest([str(seeds_dir)])
    sl.build()
    sl.close()
    return path


@pytest.fixture()
def seeds_db_copy(seeds_db: Path, tmp_path: Path) -> Path:
    """A private copy of the built seeds DB, for tests that write."""
    target = tmp_path / "seeds.db"
    shutil.copy(seeds_db, target)
    return target
