"""Scraping residue in leads (issue 15): video playlists, template timestamps, glyphs, player
controls, update labels and credits.  Each rule is checked on invented lines of the shape it
targets and on news sentences of similar words that must stay whole."""
from __future__ import annotations

import pytest

from storyline.clean.boilerplate import classify_line, clean_text, find_playlist, line_features, strip_residue

BODY = ("Police said two men were shot outside a convenience store on Main Street late on Saturday.\n"
        "Both were taken to a hospital in stable condition, a spokesman said.\n")


@pytest.mark.parametrize(("line", "kept", "reason"), [
    ("Two hurt in Elm Street shooting Posted: Friday, May 13, 2016 11:05 PM EDT "
     "Updated: Saturday, May 14, 2016 9:12 AM EDT", "Two hurt in Elm Street shooting", "timestamp"),
    ("Warrant issued for suspect in bar shooting March 3, 2015 5:05 PM", "Warrant issued for suspect in bar shooting",
     "timestamp"),
    ("A man was hurt in a crash on Route 9. (Source: WXYZ)", "A man was hurt in a crash on Route 9.", "credit"),
    ("Two people were hurt in the fire. Anna Lee reports. (Published Monday, Aug. 3, 2015)",
     "Two people were hurt in the fire. Anna Lee reports.", "credit"),
    ("UPDATE (8/14/13): Police have charged a 19-year-old man.", "Police have charged a 19-year-old man.",
     "update-label"),
    ("Update 10:05 a.m.: The road has reopened.", "The road has reopened.", "update-label"),
    ("× Boy, 12, hurt in accidental shooting", "Boy, 12, hurt in accidental shooting", "glyph"),
    ("play pause Two Hurt In Harbor Shooting", "Two Hurt In Harbor Shooting", "player-controls"),
    ("Close Skip in Skip x Embed x Share Crews fought the blaze for hours.", "Crews fought the blaze for hours.",
     "player-controls"),
    ("Deadly Shooting At Housing Project playpause", "Deadly Shooting At Housing Project", "player-controls"),
    ("Reactions [ edit ]", "Reactions", "edit-link"),
])
def test_residue_is_cut_and_the_rest_kept(line: str, kept: str, reason: str) -> None:
    rest, cut = strip_residue(line)
    assert rest == kept
    assert [r for r, _ in cut] == [reason]


@pytest.mark.parametrize("line", [
    "Pakistan and Russia sign a gas deal on May 4, 2023",         # a dated headline, no clock time
    "Share prices fell sharply after the announcement.",          # "share" opens prose
    "Play resumed after a two-hour rain delay",                   # "play" opens a headline
    "Updates on the storm will follow throughout the day.",       # "update" opens prose
    "Updated guidance was issued: stay at home.",
    "The video was posted on Facebook (the family shared it widely).",
    "The council voted to pause the project",                     # lower-case "pause" at the end
    "He was released at 9:30 a.m. on Monday, police said.",
    "UPDATE: The road has reopened.",                             # a bare label is the author's word
    "Update on the storm, 2 dead: officials urge caution",
])
def test_news_sentences_with_similar_words_stay_whole(line: str) -> None:
    assert strip_residue(line) == (line, [])


def test_a_whole_byline_with_a_timestamp_is_not_trimmed_but_dropped() -> None:
    line = "Staff Reporter Published: 12 Jun 2023 07:30 PM"
    assert strip_residue(line) == (line, [])
    assert "Staff Reporter" not in clean_text(f"Headline of the day\n{line}\n{BODY}").text


@pytest.mark.parametrize("line", ["12:45 p.m.:", "Update 1:30 p.m.", "UPDATED: 9 P.M.", "03:49", "0:00 0:00",
                                  "UPDATE (3/10 at 12:45 p.m.):", "***UPDATED at 11:37 A.M. on Monday, March 17th***"])
def test_timestamp_only_lines_are_dropped(line: str) -> None:
    assert classify_line(line, line_features(line)) == "timestamp"


@pytest.mark.parametrize("line", ["At 9 p.m. police arrived.", "9 dead", "2023 in review", "Monday"])
def test_lines_with_a_time_and_words_are_not_timestamps(line: str) -> None:
    assert classify_line(line, line_features(line)) != "timestamp"


@pytest.mark.parametrize("line", ["Slideshow", "Skip Ad", "UP NEXT", "This video is no longer available.",
                                  "Powered by automated translation", "Oops! Something went wrong."])
def test_player_chrome_lines_are_dropped(line: str) -> None:
    assert classify_line(line, line_features(line)) == "player-chrome"


def test_a_reading_time_label_left_by_a_cut_timestamp_is_dropped() -> None:
    stamp = "2 min read Last Updated : Aug 24 2023 | 7:02 AM IST"
    cleaned = clean_text(f"Summit ends with a joint statement\n{stamp}\n{BODY}")
    assert "min read" not in cleaned.text and cleaned.title == "Summit ends with a joint statement"


def test_player_words_in_a_sentence_stay() -> None:
    line = "Something went wrong with the engine, the pilot told investigators on Friday."
    assert classify_line(line, line_features(line)) is None


PLAYLIST = """1:12 Mayor opens new library branch Pause
0:45 High school band wins state title
2:03 Storm knocks out power to thousands
Two men were shot outside a convenience store on Main Street late on Saturday, police said.
Both were taken to a hospital in stable condition, a spokesman said.
"""


def test_a_video_playlist_is_dropped_and_the_story_kept() -> None:
    cleaned = clean_text(PLAYLIST)
    assert "library" not in cleaned.text and "band" not in cleaned.text and "Storm" not in cleaned.text
    assert cleaned.text.startswith("Two men were shot")
    assert {reason for _, _, reason in cleaned.removed} == {"video-playlist"}


def test_time_led_timeline_entries_are_not_a_playlist() -> None:
    lines = ["14:30 Police arrive at the scene.", "15:10 The road is closed in both directions.",
             "16:00 The suspect is named by police"]
    assert find_playlist(lines) == set()          # sentences, and a lone unpunctuated one: a live blog, kept
    assert find_playlist(["14:30 Police arrive at the scene", "Police said more later."]) == set()   # one line


def test_glyph_and_stamp_leave_a_clean_title() -> None:
    text = ("× Two hurt in Elm Street shooting Posted: Friday, May 13, 2016 11:05 PM EDT "
            "Updated: Saturday, May 14, 2016 9:12 AM EDT\n" + BODY)
    cleaned = clean_text(text)
    assert cleaned.title == "Two hurt in Elm Street shooting"
    assert [reason for _, _, reason in cleaned.trimmed] == ["timestamp", "glyph"]
