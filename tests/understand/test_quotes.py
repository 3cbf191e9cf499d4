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


def _found(text: str, names: dict[str, tuple[str, str]]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker_entity_id) for q in QuoteExtractor().extract(text, _mentions(text, names))]


def test_inverted_verb_then_a_titled_name() -> None:
    text = 'John Park spoke first. "We must all work together for peace," added party leader Maria Lopez.'
    assert _speakers(text) == [("We must all work together for peace,", "maria lopez")]


def test_a_name_after_the_quote_with_the_verb_left_out() -> None:
    text = 'The police came at night. "Our officers found the child at the scene," Lt. Maria Lopez.'
    assert _speakers(text) == [("Our officers found the child at the scene,", "maria lopez")]


def test_a_quote_mark_glued_to_the_attribution() -> None:
    text = 'Maria Lopez said,“History has been made today in this city.”'
    assert _speakers(text) == [("History has been made today in this city.", "maria lopez")]


def test_a_repeat_of_a_name_the_tagger_missed_is_still_the_speaker() -> None:
    text = ('Maria Lopez arrived on Monday. John Park came later.'
            ' "We will rebuild every house," Lopez said.')
    names = {"Maria Lopez": ("maria lopez", "PERSON"), "John Park": ("john park", "PERSON")}
    assert _found(text, names) == [("We will rebuild every house,", "maria lopez")]


def test_the_subject_of_a_clause_before_a_colon_speaks() -> None:
    text = 'Maria Lopez meets John Park in Madrid: "We have put our relationship on a stable footing"'
    assert _speakers(text) == [("We have put our relationship on a stable footing", "maria lopez")]


def test_a_definite_noun_means_the_person_it_was_apposed_to() -> None:
    text = ('John Park was hurt. His mother, Maria Lopez, disputed the claims.'
            ' "He is not in a gang and never was," the grieving mother said.')
    assert _speakers(text) == [("He is not in a gang and never was,", "maria lopez")]


def test_a_far_pronoun_means_the_only_person_named() -> None:
    text = ('Maria Lopez opened the session in Madrid. ' + 'The hall was full and the weather was fine. ' * 8
            + '"We are proud of what this city has done," she said.')
    assert _speakers(text)[-1] == ("We are proud of what this city has done,", "maria lopez")


def test_a_document_from_a_body_and_the_company_speak_for_that_body() -> None:
    text = ('Maria Lopez met John Park. "The meeting was frank and productive," a readout from the Interior '
            'Ministry said.')
    assert _speakers(text) == [("The meeting was frank and productive,", "interior ministry")]
    names = {"ILI Group": ("ili group", "ORG"), "Scotland": ("scotland", "PLACE")}
    text = ('The project, developed by ILI Group in Scotland, could see "hundreds of new jobs in the region" '
            'said the company.')
    assert _found(text, names) == [("hundreds of new jobs in the region", "ili group")]


def test_a_place_used_name_is_no_antecedent_and_a_dateline_does_not_speak() -> None:
    names = {"Nusa Dua": ("nusa dua", "PERSON"), "Joko Widodo": ("joko widodo", "PERSON"),
             "Sahel": ("sahel", "PERSON")}
    text = ('NUSA DUA, Indonesia – Indonesia’s president said on Wednesday that talks were hard.\n'
            'President Joko Widodo hosted two days of talks on the island.\n'
            '"The discussion was very tough but the leaders agreed," he told reporters.')
    names["NUSA DUA"] = ("nusa dua", "PERSON")
    assert _found(text, names)[-1] == ("The discussion was very tough but the leaders agreed,", "joko widodo")
    text = ('Joko Widodo appeared in a video filmed in the Sahel, in which he said the group was '
            '"making the region even greater on all continents".')
    assert _found(text, names) == [("making the region even greater on all continents", "joko widodo")]


def test_whole_word_hits_equal_the_regex_they_replace() -> None:
    import re

    from storyline.understand.quotes import whole_word_hits

    text = "Ba-Ba said Ba. BaBa and Ba_Ba, not Ba; “Ba Ba” Ba Ba Ba-"
    for form in ("Ba", "Ba Ba", "BaBa", "said"):
        expected = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)]
        assert list(whole_word_hits(text, form)) == expected


def test_several_articles_parsed_together_get_what_each_gets_alone() -> None:
    """extract_many parses every article's quote sentences in one stream: the same quotes and speakers."""
    texts = ['Maria Lopez met John Park. "We will open the border next week," Lopez said.',
             'No quotes here, only Madrid.',
             '"The ministry has done nothing for us at all," said John Park. "We keep on waiting and waiting."\n'
             'According to the Interior Ministry, "the border will stay shut for now and for good."',
             '"It is far too early to tell what happened there," Park told reporters in Madrid.']
    extractor = QuoteExtractor()
    alone = [extractor.extract(t, _mentions(t, NAMES)) for t in texts]
    together = extractor.extract_many([(t, _mentions(t, NAMES), None) for t in texts])
    assert together == alone and sum(map(len, alone)) >= 4
