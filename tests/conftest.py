"""Shared fixtures: where ../shared is, the seeds, a fresh DB, a DB built from the seeds.

Tests that read ../shared/data skip when it is absent, except under
``STORYLINE_REQUIRE_DATA=1`` (set by ``.ci/run``), where a missing corpus
fails the test: a quality floor must never pass by not running. Everything
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


def require_data() -> bool:
    """True when a missing corpus must fail the test instead of skipping it (CI sets this)."""
    return os.environ.get("STORYLINE_REQUIRE_DATA", "") not in ("", "0")


def shared_data(name: str) -> Path:
    """Path of a labelled corpus under ../shared/data; skip (or fail, when required) if it is absent."""
    path = DATA / name
    if not path.exists():
        message = f"../shared/data/{name} not present"
        if require_data():
            pytest.fail(message + " and STORYLINE_REQUIRE_DATA=1", pytrace=False)
        pytest.skip(message)
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
