"""QuoteExtractor: where speakers are named, pronouns, institutions, places, unclosed quotes, grouping."""
from __future__ import annotations

import re

from storyline.records import Quote
from storyline.understand.quotes import QuoteExtractor, SpeakerMention, group_quotes


def _mentions(text: str, names: dict[str, tuple[str, str]]) -> list[SpeakerMention]:
    """Every occurrence of each surface form → a mention of (entity id, type)."""
    out = []
    for surface, (eid, kind) in names.items():
        for m in re.finditer(re.escape(surface), text):
            out.append(SpeakerMention(m.start(), m.end(), eid, eid.title(), kind))
    return sorted(out, key=lambda m: m.start)


NAMES = {"Maria Lopez": ("maria lopez", "PERSON"), "Lopez": ("maria lopez", "PERSON"),
         "John Park": ("john park", "PERSON"), "Park": ("john park", "PERSON"),
         "Interior Ministry": ("interior ministry", "ORG"), "Madrid": ("madrid", "PLACE")}


def _speakers(text: str) -> list[tuple[str, str | None]]:
    quotes = QuoteExtractor().extract(text, _mentions(text, NAMES))
    return [(q.text, q.speaker_entity_id) for q in quotes]


def test_speaker_after_the_quote_straight_and_curly() -> None:
    text = ('Maria Lopez met John Park. "We will open the border next week," Lopez said.'
            ' “Trade will grow by a lot,” said Park.')
    assert _speakers(text) == [("We will open the border next week,", "maria lopez"),
                               ("Trade will grow by a lot,", "john park")]


def test_speaker_before_the_quote_and_pronoun_after() -> None:
    text = ('Maria Lopez spoke first. John Park said that the deal "will hold for many years". '
            '"Nobody can stop this now," he added.')
    assert _speakers(text) == [("will hold for many years", "john park"), ("Nobody can stop this now,", "john park")]


def test_institution_speaker_and_it_said() -> None:
    text = ('The Interior Ministry issued a statement on Monday.'
            ' "The situation is under full control," the statement said. '
            '"All roads will reopen tomorrow," it added.')
    assert [s for _, s in _speakers(text)] == ["interior ministry", "interior ministry"]


def test_quote_alone_gets_the_speaker_of_the_next_sentence() -> None:
    text = ('Maria Lopez arrived.\n"This is the beginning of a long road for us all."\n'
            'She said the talks would continue.')
    assert _speakers(text) == [("This is the beginning of a long road for us all.", "maria lopez")]


def test_a_place_is_never_a_speaker() -> None:
    text = 'Maria Lopez left. "We are encouraging the peace talks," Madrid said.'
    assert _speakers(text) == [("We are encouraging the peace talks,", None)]


def test_unclosed_quote_stops_at_its_own_attribution() -> None:
    text = 'John Park spoke. "We are confident this visit will help our friendship, he added.'
    assert _speakers(text) == [("We are confident this visit will help our friendship,", "john park")]


def test_scare_quotes_are_not_speech_and_indefinite_speakers_are_not_guessed() -> None:
    text = ('Maria Lopez chaired the \'extended troika\' meeting.'
            ' "The plan is very clearly working," a senior official said.')
    assert _speakers(text) == [("The plan is very clearly working,", None)]


def test_same_quote_in_two_articles_shares_a_group() -> None:
    a = Quote("q1", "We stand ready to strengthen the potential of our partners", "a", 0, 10)
    b = Quote("q2", "we stand ready to strengthen the potential of our partners including by supplying", "b", 0, 10)
    c = Quote("q3", "Trade between the two countries grew strongly this year", "b", 20, 30)
    group_quotes([a, b, c])
    assert a.group_id == b.group_id == "q1" and c.group_id == "q3"


def test_according_to_names_the_source_after_it() -> None:
    text = 'Maria Lopez spoke later. According to the Interior Ministry, "the border stays open for trucks".'
    assert _speakers(text) == [("the border stays open for trucks", "interior ministry")]
