"""EntityResolver on hand-made mentions: variants, short references, acronyms, types, roles."""
from __future__ import annotations

from storyline.understand.entities import (EntityResolver, RawMention, contains, initials, is_variant,
                                           name_tokens)


def _m(article: str, text: str, label: str, start: int = 0, roles: list[str] | None = None) -> RawMention:
    return RawMention(article, start, start + len(text), text, label, roles or [])


def _by_name(resolver: EntityResolver) -> dict[str, object]:
    return {e.name: e for e in resolver.entities_}


def test_name_tokens_fold_accents_hyphens_handles_and_possessives() -> None:
    assert name_tokens("Bhutto-Zardari's") == ("bhutto", "zardari")
    assert name_tokens("ShahMehmood Qureshi") == ("shah", "mehmood", "qureshi")
    assert name_tokens("José Núñez") == ("jose", "nunez")
    assert name_tokens("U.S.") == ("us",)


def test_variants_need_shared_tokens_and_close_spellings() -> None:
    assert is_variant(("sergey", "lavrov"), ("sergei", "lavrov"))
    assert is_variant(("shah", "mahmood", "qureshi"), ("shah", "mehmood", "qureshi"))
    assert not is_variant(("john", "smith"), ("joan", "smith"))
    assert not is_variant(("anna", "smith"), ("anna", "jones"))
    assert initials(("shanghai", "cooperation", "organisation")) == "sco"
    assert initials(("council", "of", "foreign", "ministers")) == "cfm"
    assert contains(("bilawal", "bhutto", "zardari"), ("bilawal",))


def test_spelling_variants_across_articles_merge_and_frequent_form_is_canonical() -> None:
    ms = [_m("a", "Sergey Lavrov", "PERSON"), _m("b", "Sergey Lavrov", "ORG"), _m("c", "Sergei Lavrov", "PERSON")]
    ents = EntityResolver().fit(ms).entities_
    assert len(ents) == 1
    assert ents[0].name == "Sergey Lavrov" and ents[0].aliases == ["Sergei Lavrov"] and ents[0].type == "PERSON"
    assert {m.entity_id for m in ms} == {ents[0].id}


def test_short_reference_takes_the_full_name_and_its_type() -> None:
    ms = [_m("a", "Shah Mahmood Qureshi", "PERSON", 0, ["Foreign Minister"]), _m("a", "Qureshi", "GPE", 50),
          _m("a", "Qureshi", "ORG", 90), _m("b", "Qureshi", "GPE", 0)]
    ents = _by_name(EntityResolver().fit(ms, {"a": "E", "b": "E"}))
    assert list(ents) == ["Shah Mahmood Qureshi"]
    e = ents["Shah Mahmood Qureshi"]
    assert e.type == "PERSON" and e.aliases == ["Qureshi"] and e.roles == ["Foreign Minister"]


def test_short_reference_is_not_linked_when_two_people_share_it() -> None:
    ms = [_m("a", "Imran Khan", "PERSON"), _m("a", "Sadiq Khan", "PERSON", 20), _m("a", "Khan", "PERSON", 40)]
    ents = _by_name(EntityResolver().fit(ms))
    assert "Khan" in ents and ents["Imran Khan"].mentions == 1


def test_longest_containing_name_wins_over_a_middle_form() -> None:
    ms = [_m("a", "Bilawal Bhutto-Zardari", "PERSON"), _m("a", "Bilawal Bhutto", "PERSON", 40),
          _m("a", "Bilawal", "ORG", 80)]
    ents = _by_name(EntityResolver().fit(ms))
    assert list(ents) == ["Bilawal Bhutto-Zardari"]
    assert ents["Bilawal Bhutto-Zardari"].aliases == ["Bilawal", "Bilawal Bhutto"]


def test_acronym_by_definition_and_by_initials_in_the_event() -> None:
    ms = [_m("a", "Pakistan Steel Mills", "ORG", 0), _m("a", "PSM", "ORG", 22),     # "Pakistan Steel Mills (PSM)"
          _m("b", "Foreign Office", "ORG", 0), _m("c", "FO", "ACRONYM", 5), _m("c", "XYZ", "ACRONYM", 30)]
    ents = _by_name(EntityResolver().fit(ms, {"a": "E1", "b": "E2", "c": "E2"}))
    assert ents["Pakistan Steel Mills"].aliases == ["PSM"]
    assert ents["Foreign Office"].aliases == ["FO"]
    assert "XYZ" not in ents          # an unresolved all-caps token is no entity


def test_person_never_merges_with_a_place() -> None:
    ms = [_m("a", "Jordan", "GPE"), _m("b", "Jordan", "GPE"), _m("c", "Jordan", "GPE"),
          _m("d", "Michael Jordan", "PERSON"), _m("e", "Jordan", "GPE")]
    ents = _by_name(EntityResolver().fit(ms))
    assert ents["Jordan"].type == "PLACE" and ents["Michael Jordan"].mentions == 1


def test_place_word_in_an_article_is_not_a_short_reference() -> None:
    ms = [_m(x, "Pakistan", "GPE") for x in "abcd"] + [_m("a", "Movement Pakistan", "PERSON", 20)]
    ents = _by_name(EntityResolver().fit(ms))
    assert ents["Pakistan"].mentions == 4


def test_entities_sharing_name_and_type_get_distinct_stable_ids() -> None:
    """Two entities kept apart but named alike must not collide on the name-based id (seen at 10k)."""
    from storyline.records import Entity
    from storyline.understand.entities import _unique_id

    taken: set[str] = set()
    first = Entity("ent-abc", "John Smith", "PERSON", article_ids=["a1"])
    second = Entity("ent-abc", "John Smith", "PERSON", article_ids=["b7"])
    ids = [_unique_id(first, taken), _unique_id(second, taken)]
    assert ids[0] == "ent-abc" and ids[1] != ids[0] and ids[1].startswith("ent-abc-")
    again: set[str] = set()
    assert [_unique_id(first, again), _unique_id(second, again)] == ids


def test_a_long_company_name_and_its_legal_form_are_one_and_its_possessive_acronym_too() -> None:
    ms = [_m("a", "Advanced Micro Devices", "ORG"), _m("a", "AMD", "ORG", 40),
          _m("b", "Advanced Micro Devices Inc.", "ORG"), _m("b", "Advanced Micro Devices", "ORG", 50),
          _m("c", "AMD's", "ORG")]
    r = EntityResolver().fit(ms)
    assert len({m.entity_id for m in ms}) == 1, [(e.name, e.aliases) for e in r.entities_]
