"""Quality floors on messy real coverage (newsdev, gva) through the real pipeline, as a user runs it.

Each floor sits a little below the figure measured with the default
configuration (BENCHMARKS.md, "Events on messy real coverage"); a missing
corpus skips here and fails in CI (STORYLINE_REQUIRE_DATA=1).
"""
from __future__ import annotations

import pytest

from tests.conftest import shared_data

NEWSDEV_FLOOR = 0.86   # measured 0.867 (static CPU default, real pipeline; BENCHMARKS.md "Events, fifth session")
GVA_FLOOR = 0.89      # measured 0.897 (static CPU default, real pipeline)


@pytest.fixture(scope="module")
def newsdev_rows() -> dict[str, float]:
    from storyline.evaluate.events_eval import EvalContext, real_event_rows

    shared_data("newsdev")
    return {r.method: r.f1 for r in real_event_rows("newsdev", EvalContext(baselines=True), minilm_row=False)}


@pytest.fixture(scope="module")
def gva_rows() -> dict[str, float]:
    from storyline.evaluate.events_eval import EvalContext, real_event_rows

    shared_data("gva")
    return {r.method: r.f1 for r in real_event_rows("gva", EvalContext(baselines=False), minilm_row=False)}


def test_newsdev_event_b3_f1_floor(newsdev_rows: dict[str, float]) -> None:
    assert newsdev_rows["storyline (default)"] >= NEWSDEV_FLOOR


def test_newsdev_default_beats_every_baseline(newsdev_rows: dict[str, float]) -> None:
    ours = newsdev_rows["storyline (default)"]
    others = {m: f for m, f in newsdev_rows.items() if not m.startswith("storyline")}
    assert len(others) >= 4          # TF-IDF, MiniLM (and CPU-default) oracles, BERTopic twice
    assert all(ours > f for f in others.values()), others


def test_gva_event_b3_f1_floor(gva_rows: dict[str, float]) -> None:
    # the TF-IDF oracle ties it (0.891 both): "above every baseline" is not met on gva, so not pinned
    assert gva_rows["storyline (default)"] >= GVA_FLOOR

