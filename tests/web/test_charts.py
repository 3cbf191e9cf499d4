"""The timeline's axis is linear in time, labels never overlap, and the report is self-contained."""
from __future__ import annotations

import datetime as dt
import random

from storyline.web.charts import LABEL_WIDTH, gap_label, sparkline, timeline


def _events(dates: list[str]) -> list[dict]:
    return [{"id": f"e{i}", "title": f"Event {i}", "date": d, "n_articles": 1 + i % 5, "one_liner": "x " * 40}
            for i, d in enumerate(dates)]


def test_positions_are_proportional_to_time() -> None:
    tl = timeline(_events(["2021-04-07", "2021-04-17", "2023-05-04"]))
    x = [p["x"] for p in tl["points"]]
    days = [0, 10, (dt.date(2023, 5, 4) - dt.date(2021, 4, 7)).days]
    scale = (x[2] - x[0]) / days[2]
    assert abs((x[1] - x[0]) - scale * days[1]) < 1.0, "ten days look like ten days next to two years"
    assert x == sorted(x)


def test_points_come_in_date_order_whatever_the_input_order() -> None:
    tl = timeline(_events(["2023-05-04", "2021-04-07"]))
    assert [p["date"] for p in tl["points"]] == ["2021-04-07", "2023-05-04"]


def test_label_cards_in_one_lane_never_overlap() -> None:
    rng = random.Random(1)
    start = dt.date(2020, 1, 1)
    tl = timeline(_events([(start + dt.timedelta(days=rng.randint(0, 900))).isoformat() for _ in range(60)]))
    by_lane: dict[int, list[float]] = {}
    for p in tl["points"]:
        if p["lane"] is not None:
            by_lane.setdefault(p["lane"], []).append(p["card_x"])
    assert by_lane, "some events are labelled"
    for xs in by_lane.values():
        xs.sort()
        assert all(b - a >= LABEL_WIDTH for a, b in zip(xs, xs[1:], strict=False))
    assert all(0 <= p["card_x"] <= tl["width"] - LABEL_WIDTH for p in tl["points"])


def test_undated_events_are_kept_aside() -> None:
    tl = timeline([{"id": "a", "title": "t", "date": None}, *_events(["2022-01-01"])])
    assert [e["id"] for e in tl["undated"]] == ["a"] and len(tl["points"]) == 1
    assert timeline([])["points"] == []


def test_gap_labels_and_sparkline() -> None:
    assert gap_label("2021-04-07", "2023-05-04") == "2.1 years later"
    assert gap_label("2021-04-07", "2021-04-09") is None
    spark = sparkline([{"date": "2021-04-07", "n": 4}, {"date": "2023-05-04", "n": 1}])
    assert [b["n"] for b in spark["bars"]] == [4, 1] and spark["bars"][0]["x"] < spark["bars"][1]["x"]
    assert sparkline([])["bars"] == []
