"""make_article and its metadata: dates with their source, titles, outlets, languages, rejects."""
from __future__ import annotations

import datetime as dt

import pytest

from storyline.clean import content_hash, make_article
from storyline.clean.encoding import repair_mojibake
from storyline.clean.metadata import (date_from_text, date_from_url, detect_language, find_date,
                                      headline_from_text, outlet_from_url, parse_date_value)
from storyline.errors import RecordError
from storyline.records import RawDocument

BODY = ("The city council approved the new transit budget on Tuesday after a long debate, officials said.\n\n"
        "Construction of the two new lines is expected to begin next spring and to last three years.\n\n"
        "\"This is a good day for the city,\" the mayor told reporters outside the council chamber.")


@pytest.mark.parametrize("text, expected", [
    ("May 04, 2023", dt.date(2023, 5, 4)),
    ("07 Apr 2021", dt.date(2021, 4, 7)),
    ("April 6, 2021", dt.date(2021, 4, 6)),
    ("6th of April, 2021", dt.date(2021, 4, 6)),
    ("Sept. 9 2020", dt.date(2020, 9, 9)),
    ("2021-04-07T10:00:00Z", dt.date(2021, 4, 7)),
    ("Wed, 07 Apr 2021 10:00:00 GMT", dt.date(2021, 4, 7)),
    ("le 3 mars 2020", dt.date(2020, 3, 3)),          # dateparser fallback, field values only
    ("February 30, 2021", None),
    ("no date here", None),
])
def test_date_values_in_common_formats(text: str, expected: dt.date | None) -> None:
    assert parse_date_value(text) == expected


def test_text_date_prefers_a_byline_line_over_a_date_inside_a_paragraph() -> None:
    text = ("Headline of the story\n\nReporter Name May 04, 2023\n\n"
            "On April 6, 2021, the minister first visited the region, officials recalled in a long statement today.")
    assert date_from_text(text) == dt.date(2023, 5, 4)
    long_para = "The talks, which began on April 6, 2021 in the capital, went on for many hours into the night. " * 2
    assert date_from_text(long_para) is None          # a date inside prose is an event date, not the byline's


def test_text_dates_on_a_real_dated_corpus_are_precise() -> None:
    """india_police_events: texts open with "This story is from <date>"; the gold date is in metadata.jsonl."""
    import json

    from tests.conftest import shared_data
    from storyline.read import iter_documents

    root = shared_data("india_police_events") / "data" / "final"
    gold = {str(r["doc_id"]): r["date"] for r in map(json.loads, (root / "metadata.jsonl").open(encoding="utf-8"))}
    found = right = 0
    for doc in iter_documents([str(root / "docs.jsonl")]):
        day = date_from_text(doc.text or "")
        found += day is not None
        right += day is not None and day.isoformat() == gold[doc.id]
    # measured: 679 of 1,257 dated, all 679 right (the others carry no date line at all)
    assert right / found >= 0.99 and found / len(gold) >= 0.5


def test_url_dates() -> None:
    assert date_from_url("https://n.example/2021/04/07/talks") == dt.date(2021, 4, 7)
    assert date_from_url("https://n.example/world/2021/apr/07/talks") == dt.date(2021, 4, 7)
    assert date_from_url("https://n.example/talks-20210407.html") == dt.date(2021, 4, 7)
    assert date_from_url("https://n.example/story/1234567") is None


def test_date_sources_follow_the_order_of_trust() -> None:
    text = "By Staff March 1, 2020\n\nBody."
    url = "https://n.example/2020/02/02/x"
    assert find_date(header="2021-04-07", field="2020-01-01", url=url, text=text) == (dt.date(2021, 4, 7), "header")
    assert find_date(field="2020-01-01", meta="2019-01-01", url=url, text=text) == (dt.date(2020, 1, 1), "field")
    assert find_date(field="garbage", meta="2019-01-01", text=text) == (dt.date(2019, 1, 1), "meta")
    assert find_date(url=url, text=text) == (dt.date(2020, 2, 2), "url")
    assert find_date(text=text) == (dt.date(2020, 3, 1), "text")
    assert find_date(text="nothing") == (None, None)


def test_headline_from_a_long_lead_sentence_is_short_and_drops_the_dateline() -> None:
    lead = ("WASHINGTON: The Senate passed a sweeping infrastructure bill on Tuesday after months of talks, "
            "sending the measure to the House, where its fate is uncertain. More text follows here.")
    title = headline_from_text(lead)
    assert title is not None and not title.startswith("WASHINGTON")
    assert 6 <= len(title.split()) <= 16
    assert lead.replace("WASHINGTON: ", "").startswith(title)
    assert headline_from_text("Mr. Smith went to Washington. Then he left.") == "Mr. Smith went to Washington"


def test_outlet_and_language() -> None:
    assert outlet_from_url("https://www.tribune.com.pk/story/1") == "tribune.com.pk"
    assert outlet_from_url("https://m.bbc.co.uk/news") == "bbc.co.uk"
    assert detect_language(BODY) == "en"
    assert detect_language("Le conseil municipal a approuvé mardi le nouveau budget des transports.") == "fr"
    assert detect_language("Der Stadtrat hat am Dienstag den neuen Verkehrshaushalt beschlossen.") == "de"
    assert detect_language("ok") is None


def test_mojibake_is_repaired_and_clean_text_left_alone() -> None:
    assert repair_mojibake("the â€˜pujaâ€™ was â€œsymbolicâ€\ufffd, he said") == "the ‘puja’ was “symbolic”, he said"
    clean = "Café naïve — “quoted” résumé, 5 £"
    assert repair_mojibake(clean) == clean


def test_a_given_title_is_repaired_like_the_text() -> None:
    raw = RawDocument(source="x.jsonl:1", id="m1", title="When mobs attacked Bandukwalaâ€™s house",
                      text=BODY.replace("mayor", "mayorâ€™s aide"), format="jsonl")
    art = make_article(raw)
    assert art.title == "When mobs attacked Bandukwala’s house"
    assert "mayor’s aide" in art.text


def test_make_article_from_a_record() -> None:
    raw = RawDocument(source="x.jsonl:1", id="a1", url="https://www.n.example/2021/04/07/budget",
                      text=BODY, date="Wed, 07 Apr 2021 10:00:00 GMT", format="jsonl")
    art = make_article(raw)
    assert art.id == "a1" and art.date == dt.date(2021, 4, 7) and art.date_source == "field"
    assert art.outlet == "n.example" and art.language == "en"
    assert art.title and art.title.startswith("The city council approved")
    assert art.content_hash == content_hash(BODY.upper())       # case and spacing do not change the hash
    assert art.raw_text == BODY


def test_record_title_wins_and_missing_id_is_derived_stably() -> None:
    raw = RawDocument(source="s", url="https://n.example/a", title="  Council  passes budget | N Example ", text=BODY)
    first, second = make_article(raw), make_article(raw)
    assert first.title == "Council passes budget"
    assert first.id == second.id and len(first.id) == 16


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("   \n ", "empty"), ("Too short.", "too-short"),
    ("abc\x00def " * 50, "binary"), ("x" * 2000, "too-large"),
])
def test_unusable_text_raises_record_error(text: str, reason: str) -> None:
    with pytest.raises(RecordError) as err:
        make_article(RawDocument(source="s", id="r", text=text), max_chars=1000)
    assert err.value.reason == reason


def test_html_without_a_body_is_rejected_as_empty() -> None:
    with pytest.raises(RecordError) as err:
        make_article(RawDocument(source="p.html", id="p", html="<html><head><title>x</title></head></html>",
                                 format="html"))
    assert err.value.reason in ("empty", "too-short", "unparseable")


def test_url_dates_on_a_real_corpus_are_precise() -> None:
    """news_story_chains: 100 energy-business articles with their URL and publication date."""
    import csv

    from tests.conftest import shared_data

    path = shared_data("news_story_chains") / "gedikli-business_energy_news_dataset-2021-06-29-article_texts.csv"
    csv.field_size_limit(10**8)
    found = right = 0
    for row in csv.DictReader(path.open(encoding="utf-8")):
        day = date_from_url(row["url"])
        found += day is not None
        right += day is not None and day.isoformat() == row["date"][:10]
    # measured: 26 URLs carry a date, 25 equal the gold day (one is a day later: time zones)
    assert found >= 20 and right / found >= 0.9
