"""Mention extraction with the real spaCy model: offsets, titles as roles, split names joined."""
from __future__ import annotations

from typing import Any

from storyline.understand.entities import EntityResolver, extract_mentions
from storyline.understand.nlp import split_sentences

TEXT = ("Prime Minister Jacinda Ardern met Foreign Minister Nanaia Mahuta in Wellington on Monday. "
        "Ardern said the talks with the World Health Organization (WHO) went well.\n"
        "Later, Dr Ashley Bloomfield briefed reporters. Bloomfield praised the WHO.")


def test_mentions_carry_offsets_into_the_text_and_titles_as_roles(nlp: Any) -> None:
    ms = extract_mentions(nlp(TEXT), "a")
    assert ms, "the model finds names"
    for m in ms:
        assert TEXT[m.start:m.end] == m.text
    texts = {m.text for m in ms}
    assert "Prime Minister" not in " ".join(texts)
    roles = {m.text: m.roles for m in ms if m.roles}
    assert any("Prime Minister" in r for r in roles.values())


def test_resolved_article_gives_one_entity_per_person(nlp: Any) -> None:
    ms = extract_mentions(nlp(TEXT), "a")
    ents = {e.name: e for e in EntityResolver().fit(ms).entities_}
    assert ents["Jacinda Ardern"].type == "PERSON" and "Ardern" in ents["Jacinda Ardern"].aliases
    assert ents["Ashley Bloomfield"].type == "PERSON" and "Bloomfield" in ents["Ashley Bloomfield"].aliases
    assert ents["World Health Organization"].type == "ORG" and "WHO" in ents["World Health Organization"].aliases
    assert ents["Wellington"].type == "PLACE"


def test_sentence_splitter_keeps_abbreviations_and_splits_lines() -> None:
    text = "Dr. Smith arrived at 5 p.m. in the U.S. capital. He left.\nA new line here."
    spans = split_sentences(text)
    sents = [text[a:b] for a, b in spans]
    assert sents[-1] == "A new line here."
    assert "He left." in sents
    assert sents[0].startswith("Dr. Smith")


def test_a_title_word_that_opens_an_organisation_name_stays(nlp: Any) -> None:
    text = "General Motors recalled 40,000 cars on Monday, the company said in Detroit."
    ms = extract_mentions(nlp(text), "a")
    orgs = [m for m in ms if m.text == "General Motors"]
    assert orgs and orgs[0].label == "ORG" and not orgs[0].roles


def test_spans_are_trimmed_of_role_words_glued_quotes_and_get_their_given_name(nlp: Any) -> None:
    text = ("Secretary of State Antony J. Blinken traveled to Beijing. "
            "Indian Prime Minister Narendra Modi said,“History has been made here.”")
    written = {text[m.start:m.end] for m in extract_mentions(nlp(text), "a")}
    assert "Antony J. Blinken" in written and "Narendra Modi" in written
    assert not any("“" in w or w.endswith("said") for w in written)
