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


def _best(*articles: tuple[str, str, list[tuple[str, str]]]) -> str | None:
    """The place of an event of (title, body, [(place as written, NER label)]) articles."""
    from storyline.understand.places import make_lead

    votes = PlaceVotes()
    for title, text, places in articles:
        spans = [(text.index(name), text.index(name) + len(name), name, label) for name, label in places]
        votes.add(make_lead(title, text, spans))
    return votes.best()


def test_the_town_every_title_names_beats_the_street_of_the_address() -> None:
    body = "Police received reports of gunfire in the 800 block of Humboldt Street at 8:24 p.m. on Monday."
    place = _best(("1 dead in Vallejo shooting", body, [("Humboldt Street", "FAC")]),
                  ("Police name Vallejo homicide victim", "A man was found in the 800 block of Humboldt Street.",
                   [("Humboldt Street", "FAC")]))
    assert place is not None and place.startswith("Vallejo")


def test_state_written_after_the_town_and_postal_codes_in_datelines() -> None:
    assert dateline("JONESBORO, AR (KAIT) – There is an update") == "Jonesboro, Arkansas"
    assert dateline("GARY | A dispute over money at a bar") == "Gary"
    place = _best(("Six shot outside Gary home", "Six people were shot Saturday in Gary, Ind. Two men died.",
                   [("Gary", "GPE")]))
    assert place == "Gary, Indiana"


def test_a_site_name_after_the_title_places_nothing() -> None:
    from storyline.understand.places import clean_title

    assert clean_title("Five shot in apartment complex - WMC Action News 5 - Memphis, Tennessee") == \
        "Five shot in apartment complex"


def test_a_foreign_capital_gets_no_us_state() -> None:
    text = "ISLAMABAD: Pakistan and Russia held talks on Wednesday, with officials in Washington watching."
    place = _best(("Talks in Islamabad", text, [("Pakistan", "GPE"), ("Russia", "GPE"), ("Washington", "GPE")]))
    assert place == "Islamabad"


def test_a_capitalised_word_after_in_must_be_a_known_place() -> None:
    text = "Four people were hurt in Shooting Range Road incident near Zanesville on Sunday."
    assert _best(("Four hurt", text, [])) == "Zanesville, Ohio"


def test_where_the_text_says_it_was_held_beats_the_reporters_dateline() -> None:
    text = ("ISLAMABAD: Foreign Minister Bilawal Bhutto-Zardari met his Russian counterpart on Thursday on the"
            " sidelines of the SCO meeting being held in Goa, India.")
    place = _best(("Bilawal meets Lavrov on sidelines of SCO meeting", text,
                   [("Goa", "GPE"), ("India", "GPE")]))
    assert place == "Goa"


def test_a_neighbourhood_is_shown_with_the_town_the_text_puts_it_in() -> None:
    place = _best(("Two shot in Liberty City", "Two men were shot Sunday in Miami's Liberty City, police said.",
                   [("Miami", "GPE"), ("Liberty City", "GPE")]),
                  ("Shooting in Liberty City", "MIAMI — Police are looking for the gunman who shot two men in"
                   " Liberty City.", [("Liberty City", "GPE")]))
    assert place == "Liberty City, Miami, Florida"


def test_a_storm_named_like_a_town_is_no_place() -> None:
    text = "Hurricane Idalia made landfall in Florida's Big Bend early on Wednesday as a Category 3 storm."
    place = _best(("Idalia makes landfall in Florida", text, [("Idalia", "GPE"), ("Florida", "GPE")]))
    assert place == "Florida"


def test_a_place_named_as_a_destination_or_origin_is_not_where_it_happened() -> None:
    text = "Prime Minister Modi closed the G20 summit in New Delhi on Sunday and handed the gavel to Brazil."
    place = _best(("Modi hands over G20 presidency to Brazil", text, [("New Delhi", "GPE"), ("Brazil", "GPE")]),
                  ("G20 presidency goes to Brazil", "The G20 summit in New Delhi closed on Sunday.",
                   [("New Delhi", "GPE")]))
    assert place == "New Delhi"


def test_a_sea_or_continent_gets_no_us_state_and_no_leading_the() -> None:
    text = "Oil kept leaking into the Gulf of Mexico on Tuesday, officials in Louisiana and Texas said."
    place = _best(("Oil leak in the Gulf of Mexico", text, [("the Gulf of Mexico", "LOC"), ("Louisiana", "GPE"),
                                                           ("Texas", "GPE")]))
    assert place == "Gulf of Mexico"
    assert dateline("AP KEY WEST, Fla. — A boat capsized") == "Key West, Florida"
