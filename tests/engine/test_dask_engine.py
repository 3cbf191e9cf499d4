"""Dask engine: partitions keep order, and windowed event clustering matches one sequential run."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.engine import get_engine
from storyline.engine.dask import DaskEngine
from storyline.events.windowed import cluster_by_day, cluster_windows, stitch, time_windows
from storyline.evaluate.metrics import b_cubed
from storyline.events.clusterer import ArticleItem, EventClusterer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def _square(x: int, y: int) -> int:
    return x * x + y


def test_settings_pick_the_dask_engine() -> None:
    engine = get_engine(Settings({"engine": {"type": "dask", "workers": 2, "partition_size": 7}}))
    assert isinstance(engine, DaskEngine) and engine.partition_size == 7


def test_mapper_runs_partitions_on_workers_in_order() -> None:
    engine = DaskEngine(workers=2, processes=False, partition_size=7)
    with engine.mapper() as mapper:
        assert mapper is not None
        assert list(mapper(_square, range(50), range(50))) == [x * x + x for x in range(50)]


def _item(aid: str, day: int) -> ArticleItem:
    return ArticleItem(aid, f"text {aid}", None, dt.date(2020, 1, 1) + dt.timedelta(days=day))


def test_windows_carry_an_overlap_prefix_and_stitching_continues_events() -> None:
    items = [_item(f"a{d}", d) for d in range(0, 30, 3)]
    windows = time_windows(items, window_days=10, overlap_days=5)
    assert [sorted(core) for core, _ in windows][0] == ["a0", "a3", "a6", "a9"]
    assert [i.id for i in windows[1][1]][:2] == ["a6", "a9"]   # prefix of the second window
    final = stitch([({"a", "b"}, {"a": "E1", "b": "E1"}), ({"c"}, {"b": "X", "c": "X"})])
    assert final == {"a": "E1", "b": "E1", "c": "E1"}


@pytest.fixture(scope="module")
def corpus() -> list[ArticleItem]:
    from tests.conftest import shared_data

    shared_data("ecbplus")
    import generate

    # 5 articles a day: 600 articles span 120 days, so 40-day windows make 3 partitions
    pairs = generate.Generator(600, seed=3, per_day=5).generate()
    return [ArticleItem(r["id"], r["text"], r["title"], dt.date.fromisoformat(r["date"])) for r, _ in pairs]


@pytest.mark.slow
def test_dask_local_cluster_gives_the_local_events(corpus: list[ArticleItem]) -> None:
    # Words, names and time only: MiniLM on 600 articles would take minutes on a 2-core CI box.
    options = {"use_embeddings": False}
    local = cluster_by_day(EventClusterer(**options), corpus)     # as the build stage feeds it
    engine = DaskEngine(workers=2, processes=False)
    assert len(time_windows(corpus, engine.window_days, engine.window_days)) >= 2
    distributed = cluster_windows(engine, corpus, options, None, engine.window_days)[0]
    assert set(distributed) == set(local)
    agreement = b_cubed(distributed, local)
    # Issue 6 asks >= 0.99; with windows fed in the stage's day chunks this corpus measures 1.000.
    assert agreement.f1 >= 0.99, agreement


@pytest.mark.slow
def test_windowed_events_are_as_good_against_gold(corpus: list[ArticleItem]) -> None:
    import generate

    gold = {r["id"]: g["event"] for r, g in generate.Generator(600, seed=3, per_day=5).generate()}
    options = {"use_embeddings": False}
    local = cluster_by_day(EventClusterer(**options), corpus)     # as the build stage feeds it
    engine = DaskEngine(workers=2, processes=False)
    distributed = cluster_windows(engine, corpus, options, None, engine.window_days)[0]
    assert b_cubed(distributed, gold).f1 >= b_cubed(local, gold).f1 - 0.01
