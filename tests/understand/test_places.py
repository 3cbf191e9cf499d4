"""Event places: datelines, lead places, canonical names (no possessives, no shouting)."""
from __future__ import annotations

from storyline.understand.places import PlaceVotes, canonical_case, dateline, vote_article


def test_datelines_are_read_with_their_state_and_without_station_or_byline() -> None:
    assert dateline("PUYALLUP, Wash. — No criminal charges will be filed") == "Puyallup, Washington"
    assert dateline("WILKINSBURG (KDKA)- Shots rang out in Wilkinsburg") == "Wilkinsburg"
    assert dateline(" date 2023-09-10\nNEW DELHI: The G20 summit closed") == "New Delhi"
    assert dateline("UPDATE: 12 year-old girl killed") is None
    assert dateline("Police say four people were injured") is None


def test_canonical_case_drops_possessives() -> None:
    assert canonical_case("INDIA'S") == "India"
    assert canonical_case("O'FALLON") == "O'Fallon"
    assert canonical_case("Apple's") == "Apple"


def test_a_dateline_outweighs_places_mentioned_in_passing_and_the_state_is_added() -> None:
    votes = PlaceVotes()
    text = "HAWTHORNE — A man was killed at a party. He was from Los Angeles, California, police said."
    places = [(text.index("Los Angeles"), text.index("Los Angeles") + 11, "Los Angeles"),
              (text.index("California"), text.index("California") + 10, "California")]
    vote_article(votes, text, places, 0)
    assert votes.best() == "Hawthorne, California"


def test_a_place_after_in_counts_double() -> None:
    votes = PlaceVotes()
    text = "Ohio police said four people were shot in Zanesville on Sunday."
    places = [(0, 4, "Ohio"), (text.index("Zanesville"), text.index("Zanesville") + 10, "Zanesville")]
    vote_article(votes, text, places, 0)
    assert votes.best() == "Zanesville, Ohio"
