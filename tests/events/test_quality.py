"""Quality floors on ECB+ (read from ../shared/data): our default beats every baseline, oracles included."""
from __future__ import annotations

import pytest

from tests.conftest import shared_data


@pytest.fixture(scope="module")
def ecb_rows() -> dict[str, float]:
    from storyline.evaluate.events_eval import EvalContext, run_evaluations

    shared_data("ecbplus")
    rows = run_evaluations(["ecbplus"], EvalContext(baselines=True))
    return {r.method: r.f1 for r in rows}


def test_ecbplus_event_b3_f1_floor(ecb_rows: dict[str, float]) -> None:
    # measured 0.94 (BENCHMARKS.md); the issue asks for >= 0.93
    assert ecb_rows["storyline (default)"] >= 0.93


def test_default_beats_every_baseline_on_ecbplus(ecb_rows: dict[str, float]) -> None:
    ours = ecb_rows["storyline (default)"]
    baselines = {m: f for m, f in ecb_rows.items() if not m.startswith("storyline")}
    assert len(baselines) == 3
    assert all(ours > f for f in baselines.values()), baselines
