"""Quality floor on newsdev: the hand-made list of 45 people and organisations, one entity each.

Fails, not skips, when the data is missing and STORYLINE_REQUIRE_DATA=1.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.shared
def test_every_listed_newsdev_referent_is_one_entity_and_none_mixes_two(tmp_path: Path) -> None:
    data = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data" / "newsdev"
    if not data.exists():
        if os.environ.get("STORYLINE_REQUIRE_DATA", "") not in ("", "0"):
            pytest.fail("../shared/data/newsdev not present and STORYLINE_REQUIRE_DATA=1", pytrace=False)
        pytest.skip("../shared/data/newsdev not present")
    import storyline

    spec = importlib.util.spec_from_file_location("entities_newsdev", ROOT / "benchmarks" / "entities_newsdev.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["entities_newsdev"] = bench
    spec.loader.exec_module(bench)
    referents = json.loads(bench.LIST.read_text(encoding="utf-8"))
    store = storyline.open(tmp_path / "newsdev.db")
    store.ingest([str(data / "articles.jsonl")])
    store.build(only=["understand"])
    split, mixed, ids = bench.check(store.db, referents)
    store.close()
    # measured 2026-11-27: 44 of 45 referents found as mentions, 44/44 whole, 0 mixed (issue 10's target)
    assert len(ids) >= 40
    assert split == [] and mixed == []
