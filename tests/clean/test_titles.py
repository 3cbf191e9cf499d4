"""Titles from whatever a record carries: slugs re-cased from the text, banners never a title, a length cap."""
from __future__ import annotations

from storyline.clean import choose_title, make_article
from storyline.clean.titles import TITLE_MAX_CHARS, cap_title, is_banner, is_slug_like, recase_title, \
    strip_site_suffix
from storyline.records import RawDocument

LEAD = ("ISLAMABAD: Pakistan and Russia on Tuesday agreed to boost bilateral ties in trade and energy, "
        "the Foreign Office said after talks between Foreign Minister Shah Mahmood Qureshi and Sergey Lavrov.")
BODY = LEAD + "\n\nThe two ministers also discussed the situation in Afghanistan, officials in Islamabad said."


SLUG_URL = "https://news.example/world/pakistan-russia-boost-bilateral-ties-with-lavrov-news-international-8812"


def test_a_url_slug_title_takes_the_casing_of_the_text_and_keeps_its_words() -> None:
    title = recase_title("Pakistan russia boost bilateral ties with lavrov news international", BODY, SLUG_URL)
    assert title == "Pakistan Russia boost bilateral ties with Lavrov news international"


def test_a_url_slug_title_is_replaced_by_the_headline_line_it_was_made_from() -> None:
    text = "Menu Home World\nPakistan, Russia vow to boost bilateral ties\n" + BODY
    url = "https://news.example/pak-russia-vow-to-boost-bilateral-ties-news-international"
    assert recase_title("Pak russia vow to boost bilateral ties news international", text, url) == \
        "Pakistan, Russia vow to boost bilateral ties"
    assert make_article(RawDocument(source="t", id="s1", url=url, text=text, format="jsonl",
                                    title="Pak russia vow to boost bilateral ties news international")).title == \
        "Pakistan, Russia vow to boost bilateral ties"


def test_a_slug_with_a_lone_possessive_s_is_joined() -> None:
    text = "Experts said SpaceX’s Starship rocket exploded minutes into its first test flight over Texas on Thursday."
    url = "https://n.example/spacex-s-starship-rocket-explodes-during-test-flight.html"
    assert recase_title("Spacex s starship rocket explodes during test flight", text, url) == \
        "SpaceX’s Starship rocket explodes during test flight"


def test_sentence_case_headlines_are_left_alone() -> None:
    text = ("Police said the club had no permits for the events it held, and police in Gresham said more "
            "arrests were expected. The Gresham club was closed. " * 2)
    url = "https://n.example/club-had-no-permits-for-events-in-gresham"
    assert recase_title("Club had no permits for events in Gresham", text, url) == \
        "Club had no permits for events in Gresham"                  # no lower-cased name: a real headline
    assert recase_title("Club in gresham had no permits, police say", text) == \
        "Club in Gresham had no permits, police say"                 # only the text's names get capitals back
    assert not is_slug_like("Biden and Xi meet in Bali")
    assert is_slug_like("Biden and xi meet in bali")


def test_banners_are_never_titles() -> None:
    url = "https://dailygazette.example/2013/01/01/warehouse-fire-destroys-riverside-depot/"
    text = "RIVERSIDE — A fire destroyed a warehouse depot on the riverside late on Monday, firefighters said. " * 2
    assert is_banner("Community Voices: Your Hometown Paper Since 1901", text, url)      # slug about the text
    assert is_banner("en", text, url) and is_banner("News", text, url)                   # no headline at all
    assert is_banner("Daily Gazette", text, url)                                           # the site's own name
    assert not is_banner("Warehouse fire destroys Riverside depot", text, url)
    assert choose_title("Community Voices: Your Hometown Paper Since 1901", None, text, url=url) == \
        "A fire destroyed a warehouse depot on the riverside late on Monday, firefighters said"   # dateline dropped


def test_a_title_about_something_else_stays_when_nothing_says_it_is_a_banner() -> None:
    """A junk text (a video list) with a real title: without a slug about the text, the title is kept."""
    text = "1:11 Coach on how the team made the tournament Pause\n0:48 Zoo welcomes baby anteater\n" * 3
    assert not is_banner("Four teens shot while leaving party", text, "https://n.example/news/article32135625.html")


def test_site_suffixes_are_dropped_only_when_they_name_the_site() -> None:
    url = "https://www.lex18.com/news/x"
    assert strip_site_suffix("Teen shot in Frankfort - LEX18.com | Continuous News", url) == "Teen shot in Frankfort"
    assert strip_site_suffix("Storm hits coast - a view from the harbour", url) == \
        "Storm hits coast - a view from the harbour"


def test_titles_are_one_line_capped_and_never_hold_the_header() -> None:
    long = "Word " * 40_000
    capped = cap_title(long)
    assert capped is not None and len(capped) <= TITLE_MAX_CHARS and capped.endswith("…")
    assert cap_title(" date 2021-04-07 Talks\nin Islamabad") == "Talks in Islamabad"
    article = make_article(RawDocument(source="t", id="t1", title="x" * 200_000, text=BODY, format="jsonl"))
    assert article.title is not None and len(article.title) <= TITLE_MAX_CHARS


def test_missing_title_is_the_lead_sentence_shortened() -> None:
    article = make_article(RawDocument(source="t", id="t2", text=BODY, format="jsonl"))
    assert article.title is not None and article.title.startswith("Pakistan and Russia on Tuesday agreed")
    assert len(article.title.split()) <= 16


def test_a_donation_banner_opening_the_text_is_neither_text_nor_title() -> None:
    text = (" date 2023-06-10 Town Crier - Make a charitable donation in support of local news!\n"
            "Firefighters contained a large warehouse fire near the river port on Saturday, the fire service said, "
            "after it burned through the night.\n\nOfficials urged residents to make a donation to the relief fund.")
    article = make_article(RawDocument(source="t", id="d1", text=text, format="jsonl"))
    assert article.title is not None and article.title.startswith("Firefighters contained a large warehouse fire")
    assert "charitable" not in article.text and "make a donation to the relief fund" in article.text
