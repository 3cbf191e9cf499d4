"""When it happened: relative and explicit dates resolved against the publication date."""
from __future__ import annotations

import datetime as dt

from storyline.events.dating import (event_dates, explicit_dates, happened_date, lead_weekday, reference_date,
                                     text_dates)

WED = dt.date(2021, 4, 7)   # a Wednesday
THU = dt.date(2023, 5, 4)   # a Thursday


def test_today_with_weekday_in_brackets_is_the_publication_day() -> None:
    found = text_dates("The ministers will hold talks in Islamabad today (Wednesday).", WED)
    assert [d.date for d in found] == [WED]


def test_bare_weekday_is_the_latest_such_day_on_or_before_publication() -> None:
    assert happened_date("Lavrov arrived on Tuesday for a two-day visit.", WED) == dt.date(2021, 4, 6)
    assert happened_date("Bilawal met Lavrov on Thursday on the sidelines.", THU) == THU


def test_future_weekday_and_tomorrow_point_forward() -> None:
    assert [d.date for d in text_dates("The minister will travel to Moscow on Friday.", WED)] == [dt.date(2021, 4, 9)]
    assert [d.date for d in text_dates("He arrives tomorrow.", WED)] == [dt.date(2021, 4, 8)]
    assert [d.date for d in text_dates("Police said yesterday.", WED)] == [dt.date(2021, 4, 6)]


def test_explicit_dates_in_several_spellings() -> None:
    text = "APP May 04, 2023. Published 07 Apr 2021 and 2021-04-06; Sep 18 , 2013."
    assert [d.date for d in explicit_dates(text)] == [dt.date(2023, 5, 4), dt.date(2021, 4, 7),
                                                     dt.date(2021, 4, 6), dt.date(2013, 9, 18)]


def test_date_without_year_takes_the_publication_year() -> None:
    found = explicit_dates("On March 3 the court ruled.", dt.date(2002, 3, 10))
    assert [d.date for d in found] == [dt.date(2002, 3, 3)]


def test_background_dates_far_from_publication_are_not_the_happening() -> None:
    text = "Lavrov, the first Russian foreign minister to visit since May 5, 2012, arrived on Tuesday."
    assert happened_date(text, WED) == dt.date(2021, 4, 6)


def test_undated_article_uses_its_dateline_and_no_date_means_none() -> None:
    assert reference_date("Islamabad, May 04, 2023: talks began.") == THU
    assert happened_date("Talks began on Thursday.", None) is None


def test_event_date_is_the_mode_and_range_spans_the_articles() -> None:
    days = [dt.date(2021, 4, 7), dt.date(2021, 4, 6), dt.date(2021, 4, 7), None]
    assert event_dates(days) == (dt.date(2021, 4, 7), dt.date(2021, 4, 6), dt.date(2021, 4, 7))
    assert event_dates([None]) == (None, None, None)


def test_lead_weekday_is_the_first_past_weekday_of_title_or_lead() -> None:
    assert lead_weekday("The bank was closed on Sunday; talks resume Monday.", "Regulators act") == 6
    assert lead_weekday("Officials said on Tuesday the storm had passed.", "Storm passes on Monday") == 0
    assert lead_weekday("Leaders will meet on Friday. They arrived Thursday.") == 3
    assert lead_weekday("No day is named here.") is None

