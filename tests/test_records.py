"""``records.parse_date``: the one reader of stored ISO dates (stages, views and the web share it)."""
from __future__ import annotations

import datetime as dt

from storyline.records import parse_date


def test_parse_date_reads_dates_and_datetime_prefixes() -> None:
    assert parse_date("2021-04-06") == dt.date(2021, 4, 6)
    assert parse_date("2021-04-06T10:30:00+02:00") == dt.date(2021, 4, 6)


def test_parse_date_is_none_for_absent_or_malformed_values() -> None:
    for value in (None, "", "yesterday", "2021-13-01", "06/04/2021"):
        assert parse_date(value) is None, value
