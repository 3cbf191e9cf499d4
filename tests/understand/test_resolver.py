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


def _ids(ms: list[RawMention]) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for m in ms:
        out.setdefault(m.text, set()).add(m.entity_id)
    return out


def test_a_possessor_and_a_possessed_name_that_stand_alone_are_two_entities() -> None:
    ms = [_m("a", "SpaceX’s Starship", "PERSON"), _m("b", "SpaceX", "ORG"), _m("c", "Starship", "PERSON"),
          _m("d", "Elon Musk’s Starship Rocket Goes Boom", "PERSON"), _m("e", "Elon Musk", "PERSON")]
    EntityResolver().fit(ms)
    ids = _ids(ms)
    assert ids["Starship"] != ids["SpaceX"] and ms[0].text == "Starship" and ids["Starship"] == {ms[0].entity_id}
    assert ms[3].entity_id in ids["Elon Musk"]


def test_two_names_side_by_side_are_not_one_name() -> None:
    ms = [_m(f"a{i}", "SpaceX", "PERSON") for i in range(12)] + \
         [_m(f"b{i}", "Starship", "PERSON") for i in range(12)] + [_m("a0", "SpaceX Starship", "PERSON", 30)]
    EntityResolver().fit(ms)
    assert len({m.entity_id for m in ms if m.text == "SpaceX"} | {m.entity_id for m in ms if m.text == "Starship"}) == 2


def test_a_multi_word_name_inside_one_longer_name_is_that_person() -> None:
    ms = [_m("a", "Luiz Inacio Lula da Silva", "PERSON"), _m("b", "Lula da Silva", "PERSON")]
    EntityResolver().fit(ms)
    assert ms[0].entity_id == ms[1].entity_id


def test_a_clipping_joins_the_one_name_beside_it_without_an_acronym() -> None:
    ms = [_m("a", "Federal Reserve", "ORG"), _m("a", "Fed", "ORG", 30),
          _m("b", "Federal Deposit Insurance Corporation", "ORG"), _m("b", "FDIC", "ORG", 50),
          _m("b", "Fed", "ORG", 70)]
    EntityResolver().fit(ms)
    assert ms[1].entity_id == ms[0].entity_id == ms[4].entity_id != ms[2].entity_id


def test_spelling_variants_sharing_context_and_never_together_are_one() -> None:
    context = ["Luna-25", "Vladimir Putin", "Dmitry Peskov", "Kremlin"]
    ms = [_m("a", "Roscosmos", "PERSON"), _m("b", "Roskosmos", "ORG"), _m("c", "Roscosmos", "ORG")]
    ms += [_m(a, c, "ORG", 20 + 20 * j) for a in "ab" for j, c in enumerate(context)]
    ms += [_m("x", "Mark Kelly", "PERSON"), _m("y", "Mary Kelly", "PERSON"), _m("x", "Mary Kelly", "PERSON", 30)]
    EntityResolver().fit(ms)
    ids = _ids(ms)
    assert ids["Roscosmos"] == ids["Roskosmos"] and len(ids["Roscosmos"]) == 1
    assert ids["Mark Kelly"] != ids["Mary Kelly"]
    assert _by_name(EntityResolver().fit(ms))["Roscosmos"].type == "ORG"


def test_a_titled_short_name_goes_to_the_full_name_holding_the_title() -> None:
    ms = [_m("a", "Joe Biden", "PERSON", roles=["President"]), _m("b", "Jill Biden", "PERSON"),
          _m("b", "Biden", "PERSON", 30, roles=["President"])]
    EntityResolver().fit(ms)
    assert ms[2].entity_id == ms[0].entity_id


def test_a_short_name_nearly_always_one_person_names_that_person_alone() -> None:
    ms = [m for i in range(25) for m in (_m(f"a{i}", "Joe Biden", "PERSON"), _m(f"a{i}", "Biden", "PERSON", 30))]
    ms += [_m("j", "Jill Biden", "PERSON"), _m("j", "Biden", "PERSON", 30), _m("z", "Biden", "PERSON")]
    EntityResolver().fit(ms)
    assert ms[-1].entity_id == ms[0].entity_id


def test_an_acronym_opening_an_organisation_name_and_a_spaced_spelling_are_that_organisation() -> None:
    ms = [_m("a", "EYP Mission Critical Facilities", "ORG"), _m("a", "EYP", "ORG", 40),
          _m("b", "SeaMicro", "ORG"), _m("c", "Sea Micro", "ORG"),
          _m("d", "Pragati Maidan", "GPE"), _m("d", "PM", "ORG", 30)]
    EntityResolver().fit(ms)
    assert ms[0].entity_id == ms[1].entity_id and ms[2].entity_id == ms[3].entity_id
    assert ms[5].entity_id != ms[4].entity_id        # "PM" is a title, never Pragati Maidan's initials


def test_a_camel_cased_one_word_name_is_an_organisation_but_a_surname_prefix_is_not() -> None:
    ms = [_m("a", "SpaceX", "PERSON"), _m("b", "SpaceX", "PERSON"), _m("c", "Ron DeSantis", "PERSON"),
          _m("d", "DeSantis", "PERSON"), _m("e", "McConnell", "PERSON")]
    ents = _by_name(EntityResolver().fit(ms))
    assert ents["SpaceX"].type == "ORG" and ents["Ron DeSantis"].type == "PERSON"
    assert ents["McConnell"].type == "PERSON"
