"""Dates from whatever a record carries: the header line in any record, the URL, relative values only against the record."""
from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from storyline.clean import make_article
from storyline.clean.metadata import date_from_url, find_date, parse_date_value, resolve_relative, split_header
from storyline.read.jsonl import record_to_raw
from storyline.records import RawDocument

SENTENCES = [
    "The minister arrived in the capital on a two-day visit to discuss trade and security.",
    "Officials said the talks covered energy, transport links and a new customs agreement.",
    "Both sides agreed to meet again before the end of the year, a joint statement said.",
    "Opposition leaders criticised the visit, saying it ignored the country's economic crisis.",
    "Analysts said the meeting signalled a thaw after years of strained relations.",
]


def generated_records(n: int, seed: int = 11) -> list[tuple[dict[str, object], str]]:
    """JSONL records whose text starts with the seed-format header, in its spellings, some with a URL or a slug title."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        value = rng.choice([day.isoformat(), f"{day:%Y-%m}"])
        header = rng.choice([f" date {value}", f"date {value}", f"\ufeff date {value}", f"  date {value}"])
        gap = rng.choice([" ", "\n", " \n", "\t"])
        body = " ".join(rng.sample(SENTENCES, 4))
        record: dict[str, object] = {"id": f"g{i}", "text": f"{header}{gap}{body}\n\n{body}"}
        if rng.random() < 0.5:
            record["url"] = f"https://news{i % 7}.example/world/minister-visit-talks-{i}"
        if rng.random() < 0.3:
            record["title"] = f"minister visit talks {i}"
        records.append((record, value))
    return records


def test_the_header_never_stays_in_clean_text_or_title_and_gives_the_date() -> None:
    for record, header in generated_records(300):
        article = make_article(record_to_raw(json.loads(json.dumps(record)), str(record["id"]), "jsonl"))
        assert not article.text.lstrip("\ufeff ").startswith("date"), article.text[:40]
        assert header not in article.text[:40] and header not in (article.title or "")
        if len(header) == 10:                                   # a full header is the date
            assert (article.date.isoformat() if article.date else None, article.date_source) == (header, "header")
        else:                                                   # a partial one alone gives no day
            assert article.date is None


def test_a_partial_header_is_completed_by_a_date_of_that_month_in_the_text() -> None:
    text = " date 2021-11 The leaders met by video link.\nPhoto taken November 15, 2021 in Washington.\n" + \
        " ".join(SENTENCES)
    article = make_article(RawDocument(source="t", id="p1", text=text, format="jsonl"))
    assert (article.date, article.date_source) == (dt.date(2021, 11, 15), "header+text")
    other_month = text.replace("November 15, 2021", "March 3, 2020")
    article = make_article(RawDocument(source="t", id="p2", text=other_month, format="jsonl"))
    assert article.date is None                      # a date of another month is not this page's


def test_split_header_accepts_only_the_seed_format() -> None:
    assert split_header(" date 2021-04-07 First line") == ("2021-04-07", "First line")
    assert split_header("date 2023-09\nBody") == ("2023-09", "Body")
    assert split_header("The date 2021-04-07 was set")[0] is None
    assert split_header(" date 2021-04-0712 x")[0] is None
    assert split_header(" dated 2021-04-07 x")[0] is None


@pytest.mark.parametrize("value", ["2 days ago", "yesterday", "last week", "3 hours ago", "1e20", "today",
                                   "an hour ago", "Posted 5 minutes ago"])
def test_relative_or_meaningless_values_give_no_date_without_a_reference(value: str) -> None:
    assert parse_date_value(value) is None
    article = make_article(RawDocument(source="t", id="r", date=value, text=" ".join(SENTENCES), format="jsonl"))
    assert article.date is None and article.date_source is None


def test_relative_values_count_from_the_records_own_reference_date() -> None:
    reference = dt.date(2021, 4, 9)
    assert parse_date_value("2 days ago", reference) == dt.date(2021, 4, 7)
    assert resolve_relative("yesterday", reference) == dt.date(2021, 4, 8)
    assert resolve_relative("two weeks ago", reference) == dt.date(2021, 3, 26)
    assert resolve_relative("2 days ago", None) is None
    record = {"id": "c1", "date": "2 days ago", "crawled_at": "2021-04-09T10:00:00Z", "text": " ".join(SENTENCES)}
    article = make_article(record_to_raw(record, "c1", "jsonl"))  # type: ignore[arg-type]
    assert (article.date, article.date_source) == (dt.date(2021, 4, 7), "field")


@pytest.mark.parametrize("url, expected", [
    ("https://n.example/2021/04/07/talks", dt.date(2021, 4, 7)),
    ("https://n.example/news/talks-2021-04-07-islamabad", dt.date(2021, 4, 7)),
    ("https://n.example/news/2021-04-07", dt.date(2021, 4, 7)),
    ("https://n.example/story_20210407.html", dt.date(2021, 4, 7)),
    ("https://n.example/news/20210407/talks", dt.date(2021, 4, 7)),
    ("https://n.example/news/talks-1712460717", None),              # a Unix timestamp
    ("https://n.example/news/article12021040799", None),            # digits inside a longer id
    ("https://n.example/news/talks?date=2021-04-07", None),         # query strings are not the page's path
    ("https://n.example/news/11152023-summit", None),               # MMDDYYYY is not read
    ("https://n.example/2021/13/45/x", None),
])
def test_url_dates_are_whole_path_tokens(url: str, expected: dt.date | None) -> None:
    assert date_from_url(url) == expected


def test_undated_records_take_the_url_then_the_text() -> None:
    text = "Posted Jun 19, 2023\n" + " ".join(SENTENCES)
    assert find_date(url="https://n.example/2023/06/18/x", text=text) == (dt.date(2023, 6, 18), "url")
    assert find_date(url="https://n.example/x", text=text) == (dt.date(2023, 6, 19), "text")
