"""The online clusterer: deterministic, stable ids, duplicates join their original, config checked."""
from __future__ import annotations

import datetime as dt

import pytest

from storyline.errors import ConfigError
from storyline.events import ArticleItem, EventClusterer, event_id_for

QUAKE = "A magnitude {m} earthquake struck {place} on {day}, killing {n} people, officials in {place} said."
ITEMS = [
    ArticleItem("a1", QUAKE.format(m="6.1", place="Lima", day="Monday", n=12), "Earthquake kills 12 in Lima",
                dt.date(2020, 1, 6)),
    ArticleItem("a2", QUAKE.format(m="6.1", place="Lima", day="Monday", n=14), "Lima earthquake toll rises to 14",
                dt.date(2020, 1, 7)),
    ArticleItem("b1", "Parliament in Oslo passed the budget bill after a long debate over oil fund spending.",
                "Oslo parliament passes budget", dt.date(2020, 1, 7)),
    ArticleItem("a3", QUAKE.format(m="6.1", place="Lima", day="Monday", n=14), "Lima quake: 14 dead",
                dt.date(2020, 1, 7), duplicate_of="a2"),
]


def _fit(items: list[ArticleItem]) -> dict[str, str]:
    return EventClusterer(use_embeddings=False).partial_fit(items).assignments_


def test_same_happening_joins_and_another_opens_its_own_event() -> None:
    got = _fit(ITEMS)
    assert got["a1"] == got["a2"] == got["a3"] == event_id_for("a1")
    assert got["b1"] == event_id_for("b1")


def test_same_input_gives_same_events() -> None:
    assert _fit(ITEMS) == _fit(ITEMS)


def test_later_batches_never_change_past_assignments() -> None:
    clusterer = EventClusterer(use_embeddings=False).partial_fit(ITEMS[:2])
    before = dict(clusterer.assignments_)
    clusterer.partial_fit(ITEMS[2:])
    assert {k: clusterer.assignments_[k] for k in before} == before


def test_far_apart_dates_never_share_an_event() -> None:
    late = ArticleItem("c1", ITEMS[0].text, ITEMS[0].title, dt.date(2020, 6, 1))
    got = _fit([ITEMS[0], late])
    assert got["a1"] != got["c1"]


BANK = "Regulators closed {bank} on {day} after depositors pulled their money, the bank regulators said."


@pytest.mark.parametrize(("day", "joins"), [("Friday", True), ("Wednesday", True), ("Sunday", False),
                                           ("Tuesday", False)])
def test_undated_article_joins_only_events_whose_days_hold_its_weekday(day: str, joins: bool) -> None:
    # the dated event was reported on Friday 2023-03-10: a happening "on Wednesday" may be reported two
    # days later, so it may join; "on Sunday" (after the last report) or "on Tuesday" is another happening
    dated = ArticleItem("d1", BANK.format(bank="the lender", day="Friday"), "Regulators close the lender",
                        dt.date(2023, 3, 10))
    undated = ArticleItem("u1", BANK.format(bank="the lender", day=day), "Regulators close the lender")
    clusterer = EventClusterer(use_embeddings=False).partial_fit([dated])
    got = clusterer.partial_fit([undated]).assignments_
    assert (got["u1"] == got["d1"]) is joins
    off = EventClusterer(use_embeddings=False, weekdays=False).partial_fit([dated]).partial_fit([undated])
    assert off.assignments_["u1"] == off.assignments_["d1"]


@pytest.mark.parametrize("bad", [{"threshold": 1.5}, {"top_k": 0}, {"word_weight": 0, "embed_weight": 0}])
def test_bad_parameters_fail_early_with_the_value(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        EventClusterer(**bad)


def test_embeddings_required_when_switched_on() -> None:
    with pytest.raises(ConfigError):
        EventClusterer(use_embeddings=True).partial_fit(ITEMS[:1])
