"""Line cleaning of extracted text: the seeds against their hand-labelled copy,
and synthetic articles whose noise is worded differently (so the method is not
fitted to the seeds)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.clean.boilerplate import (CleanedText, OutletLineStats, classify_line, clean_text,
                                         line_features)

LABELS = Path(__file__).parent / "labels"
SEEDS = Path(__file__).parents[2] / "examples" / "seeds"
HEADER_RE = re.compile(r"^\s*date \d{4}-\d{2}-\d{2} ?")


def read_labels(stem: str) -> list[tuple[str, str]]:
    """(label, line) per seed line; label is KEEP, DROP, TITLE or '' for a blank line."""
    rows = (LABELS / f"{stem}.tsv").read_text(encoding="utf-8").split("\n")
    return [tuple(row.split("\t", 1)) for row in rows]  # type: ignore[misc]


def seed_text(stem: str) -> str:
    """Seed page text with the ` date YYYY-MM-DD` header removed, as the reader passes it."""
    return HEADER_RE.sub("", (SEEDS / f"{stem}.txt").read_text(encoding="utf-8"))


SEED_STEMS = sorted(p.stem for p in LABELS.glob("*.tsv"))


def test_every_seed_has_a_label_file() -> None:
    assert SEED_STEMS == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for stem in SEED_STEMS:
        assert [line for _, line in read_labels(stem)] == seed_text(stem).split("\n")


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_keeps_every_news_paragraph(stem: str) -> None:
    cleaned = clean_text(seed_text(stem))
    missing = [line for label, line in read_labels(stem) if label == "KEEP" and line.strip() not in cleaned.text]
    assert missing == []


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_drops_every_noise_line(stem: str) -> None:
    cleaned = clean_text(seed_text(stem))
    paragraphs = cleaned.text.split("\n\n")
    leaked = [line for label, line in read_labels(stem)
              if label == "DROP" and any(line.strip() in p for p in paragraphs)]
    removed_lines = {n for n, _, _ in cleaned.removed}
    assert leaked == []
    assert removed_lines == {n for n, (label, _) in enumerate(read_labels(stem), 1) if label == "DROP"}


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_title_is_the_headline_line(stem: str) -> None:
    titles = [line.strip() for label, line in read_labels(stem) if label == "TITLE"]
    cleaned = clean_text(seed_text(stem))
    assert cleaned.title == (titles[0] if titles else None)
    if cleaned.title:
        assert cleaned.title not in cleaned.text


FLOOD = """Loading...
Flood waters recede as rescue teams reach cut-off villages
By Maria Lopez | March 3, 2022 10:45 AM
Rescue workers wade through a flooded street in Riverside on Tuesday. (Photo: Reuters)
- Rescue teams reached twelve villages cut off by the floods on Tuesday.
- More than 3,000 people have been moved to temporary shelters.

RIVERSIDE -

Rescue teams reached twelve villages cut off by the floods on Tuesday, officials said, as the water began to fall in most river towns.

More than 3,000 people have been moved to temporary shelters since the weekend, according to the regional disaster agency.

"We will not stop until every family is safe," the governor told reporters.

RELATED: Storm season forecast to be the wettest in a decade

He declined to comment further.

What happens next

Heavy rain again this week near the dam pic.twitter.com/AbCdE12345
— Regional Weather Service (@RegionWeather) March 2, 2022

The agency said schools in the valley would reopen on Monday if the roads are safe.

Share this article
floods rescue Riverside shelters rain weather disaster agency governor
12 Comments
Jane D. 2 hours ago: Stay safe everyone!
Leave a reply
"""  # noqa: E501 - a page as scraped: each body paragraph is one long line, and line length is what the cleaner reads

FLOOD_KEEP = [
    "Rescue teams reached twelve villages cut off by the floods on Tuesday, officials said",
    "More than 3,000 people have been moved to temporary shelters since the weekend",
    '"We will not stop until every family is safe," the governor told reporters.',
    "He declined to comment further.",
    "What happens next",
    "The agency said schools in the valley would reopen on Monday if the roads are safe.",
    "RIVERSIDE - Rescue teams",
]
FLOOD_DROP = ["Loading...", "By Maria Lopez", "(Photo: Reuters)",
              "- Rescue teams reached twelve villages cut off by the floods on Tuesday.",
              "- More than",
              "RELATED:", "pic.twitter.com", "@RegionWeather", "Share this article",
              "floods rescue Riverside", "12 Comments", "Stay safe everyone", "Leave a reply"]

MARKETS = """KSE-100 45,123.50 ▼ -120.30 (-0.27%)
USD/PKR 278.50 +0.25 EUR/PKR 301.10 -0.40
Advertisement
Central bank holds interest rate at 22 percent
Staff Reporter Published: 12 Jun 2023 07:30 PM
The central bank kept its policy rate unchanged on Monday, saying inflation was still well above its target.
The governor said the decision was unanimous and that the bank expected prices to ease in the second half of the year.
Analysts had expected the hold.
Also read - Rupee slips against dollar in interbank trade
Business groups said the rate was too high for industry to recover.
Tags: economy, inflation, central bank, interest rates
Follow us on Facebook
"""


def test_synthetic_flood_article() -> None:
    cleaned = clean_text(FLOOD)
    assert cleaned.title == "Flood waters recede as rescue teams reach cut-off villages"
    for keep in FLOOD_KEEP:
        assert keep in cleaned.text, keep
    for drop in FLOOD_DROP:
        assert drop not in cleaned.text, drop


def test_synthetic_markets_article() -> None:
    cleaned = clean_text(MARKETS)
    assert cleaned.title == "Central bank holds interest rate at 22 percent"
    assert cleaned.text.split("\n\n") == [
        "The central bank kept its policy rate unchanged on Monday, saying inflation was still well above its target.",
        "The governor said the decision was unanimous and that the bank expected prices to ease"
        " in the second half of the year.",
        "Analysts had expected the hold.",
        "Business groups said the rate was too high for industry to recover.",
    ]
    reasons = {reason for _, _, reason in cleaned.removed}
    assert {"ticker", "interface-banner", "byline", "cross-link", "tag-list"} <= reasons


def test_bullets_with_new_information_stay() -> None:
    text = ("The council approved three measures on Friday after a long debate.\n"
            "• A ban on night-time construction noise in residential streets\n"
            "• Free bus travel for pupils under sixteen\n"
            "• A new cycle lane along the harbour road\n"
            "The mayor said the measures would take effect in September.")
    cleaned = clean_text(text)
    assert "Free bus travel for pupils under sixteen" in cleaned.text
    assert cleaned.removed == []


def test_non_english_article_keeps_every_paragraph() -> None:
    text = ("Regierung beschließt neues Klimapaket\n\n"
            "Die Bundesregierung hat am Mittwoch ein neues Klimapaket beschlossen.\n\n"
            "Kritiker nennen die Maßnahmen unzureichend\n\n"
            "„Das reicht nicht“, sagte die Sprecherin der Umweltverbände am Abend in Berlin.")
    cleaned = clean_text(text)
    assert cleaned.title == "Regierung beschließt neues Klimapaket"
    assert cleaned.removed == []
    assert "Kritiker nennen die Maßnahmen unzureichend" in cleaned.text


def test_text_without_headline_has_no_title() -> None:
    text = "Police arrested two men on Sunday after a robbery in the city centre, officials said."
    assert clean_text(text) == CleanedText(text=text, title=None, removed=[])


def test_empty_text() -> None:
    assert clean_text("") == CleanedText(text="")


def test_outlet_name_and_recurring_lines_are_dropped() -> None:
    template = "Get the Daily Planet delivered for just $1 a week, cancel anytime"
    topics = ["harbour", "school", "bridge", "market", "hospital", "stadium"]
    articles = [f"A story about the {topic} was published today.\n{template}" for topic in topics]
    stats = OutletLineStats(min_articles=3).partial_fit(articles)
    text = "The Daily Planet\nThe harbour reopened on Monday after repairs, the port authority said.\n" + template
    cleaned = clean_text(text, outlet="The Daily Planet", line_stats=stats)
    assert cleaned.text == "The harbour reopened on Monday after repairs, the port authority said."
    assert [reason for _, _, reason in cleaned.removed] == ["outlet-name", "outlet-recurring"]
    assert not stats.is_recurring("A story about the harbour was published today.")


def test_sentence_with_cue_word_is_not_dropped() -> None:
    line = "Read the full statement, the spokesman said, before taking questions from reporters."
    assert classify_line(line, line_features(line)) is None


@pytest.mark.parametrize("line", [
    "- 19 Dec 2012: 13 die in a building collapse in Pune",         # dated timeline entry
    "Score 4.5 out of 5",                                            # numbers without a signed change
    "Dell G3 15 Intel Core i5-9300H Laptop with 512GB SSD for $799.99",
    "3. Take inventory",                                             # listicle heading
    "Central bank signals further rate cuts later this year",        # subheading
    "“No.”",                                                         # one-word quote paragraph
    "Photographers lined the street as the motorcade passed, witnesses said.",
    "Pakistan, Russia sign gas pipeline deal on May 4, 2023",       # dated headline
    "LATEST: Police say the road will reopen by Monday evening.",    # live-blog update
    "“We will try again,” he said.",                                 # short quote with a banner phrase
    "Prosecutors have been mum on whether they will retry Jeffs.",    # sentence with a banner word
])
def test_content_lines_are_kept(line: str) -> None:
    assert classify_line(line, line_features(line)) is None


@pytest.mark.parametrize("line, reason", [
    ("NIFTY 22,104.05 ▲ 61.35 (0.28%)", "ticker"),
    ("EUR/USD 1.0842 -0.0031 GBP/USD 1.2710 +0.0012", "ticker"),
    ("Reporting by Jane Roe | 4 March 2024 08:12 GMT", "byline"),
    ("Updated 3 hours ago", "byline"),
    ("See also: Five things to know about the election", "cross-link"),
    ("MUST READ Ten years after the quake, a town rebuilds", "cross-link"),
    ("Residents gather outside the court. Image credit: AFP", "photo-caption"),
    ("Please check your connection and try again", "interface-banner"),
    ("An error has occurred, please try again later.", "interface-banner"),
    ("Copyright 2024 Example Media Group. All rights reserved.", "copyright"),
    ("Tags: politics, parliament, budget", "tag-list"),
])
def test_noise_lines_are_named(line: str, reason: str) -> None:
    assert classify_line(line, line_features(line)) == reason


def test_hard_wrapped_first_sentence_is_not_a_title() -> None:
    text = ("Police arrested two men on Sunday after a robbery in\n"
            "the city centre, officials said on Monday evening.\n\n"
            "The men were charged with theft and will appear in court next week.")
    cleaned = clean_text(text)
    assert cleaned.title is None
    assert "Police arrested two men on Sunday after a robbery in" in cleaned.text


def test_comment_count_near_the_byline_is_dropped_alone() -> None:
    text = ("Harbour bridge to close for repairs\n14 Comments\n"
            "The harbour bridge will close for six months from May, the council said on Tuesday.\n"
            "Drivers will be diverted through the industrial estate.")
    cleaned = clean_text(text)
    assert [(n, reason) for n, _, reason in cleaned.removed] == [(2, "comment-link")]
    assert cleaned.text.endswith("Drivers will be diverted through the industrial estate.")


def test_news_sentences_with_comment_words_do_not_cut_the_article() -> None:
    text = ("Talks on the gas pipeline will resume next week, the ministry said on Friday.\n"
            "Replying to a question from reporters, the minister said the price was not yet agreed.\n"
            "Comments on the draft agreement can be sent to the ministry until May 5, officials said.\n"
            "Both sides expect to sign the deal before the end of the year.")
    cleaned = clean_text(text)
    assert cleaned.removed == []
    assert cleaned.text.count("\n\n") == 3


ELECTION = """You are offline. Reconnecting…
Opposition wins landslide in regional election
Voters queue outside a polling station in the capital on Sunday. (AP Photo/Jane Doe)
Sunday's vote ended two decades of rule by the governing party, according to preliminary results published overnight.

The opposition leader thanked voters in a short speech.
"Tonight the people have spoken," she said.
Turnout was 71 percent, the highest since 1994, the electoral commission said.

Congratulations to the people of the region on a peaceful vote https://t.co/x1Y2z3 #Election
— Foreign Office Spokesperson (@FOSpox) June 2, 2024

Follow @regionaldesk on Twitter for live updates
Final results are expected on Wednesday.
Join the discussion
Show 24 comments
Anonymous: great news!!!
"""


def test_synthetic_election_article() -> None:
    cleaned = clean_text(ELECTION)
    assert cleaned.title == "Opposition wins landslide in regional election"
    assert cleaned.text.split("\n\n") == [
        "Sunday's vote ended two decades of rule by the governing party, according to preliminary results "
        "published overnight.",
        "The opposition leader thanked voters in a short speech.",
        '"Tonight the people have spoken," she said.',
        "Turnout was 71 percent, the highest since 1994, the electoral commission said.",
        "Final results are expected on Wednesday.",
    ]


def test_icon_labels_run_together_are_dropped_and_brand_names_in_prose_kept() -> None:
    from storyline.clean.boilerplate import classify_line, line_features

    icons = "MenuIcon SearchIcon CloseButton ShareArrow Print FacebookLogo TwitterLogo"
    prose = "Fans can watch it on YouTube, PayPal said, and on LinkedIn from Monday"
    assert classify_line(icons, line_features(icons), header=True) == "icon-labels"
    assert classify_line(prose, line_features(prose), header=True) is None
