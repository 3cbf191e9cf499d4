"""Margins: names in raw lines the cleaner removed add aliases to body entities and create nothing."""
from __future__ import annotations

import json
from pathlib import Path

import storyline
from storyline.records import Article
from storyline.understand.entities import EntityResolver, RawMention
from storyline.understand.annotate import margin_of

BODY = ("Chilean Foreign Minister Daniela Moreno Ruiz signed a fisheries accord with Peru on Tuesday in Lima.\n"
        "Moreno Ruiz said the accord would protect small fishing communities on both sides of the border.\n"
        "Peruvian Foreign Minister Javier Castillo welcomed the agreement, which takes effect in June.")
CAPTION = "Daniela Morreno Ruiz, left, with Javier Castillo in Lima on Tuesday. Photo: Tomas Ferreyra/Reuters"
RAW = f"Chile and Peru sign fisheries accord\n{CAPTION}\n\n{BODY}\nShare this article"


def _m(article: str, text: str, label: str, start: int = 0, roles: list[str] | None = None) -> RawMention:
    return RawMention(article, start, start + len(text), text, label, roles or [])


def test_margin_is_the_raw_lines_missing_from_the_clean_text_with_raw_offsets() -> None:
    margin = margin_of(RAW, BODY)
    assert margin.text.split("\n") == ["Chile and Peru sign fisheries accord", CAPTION, "Share this article"]
    start = margin.text.index("Tomas")
    assert RAW[margin.to_raw(start):margin.to_raw(start) + len("Tomas Ferreyra")] == "Tomas Ferreyra"
    assert margin_of(BODY, BODY).text == "" and margin_of(None, BODY).text == ""
    assert len(margin_of("\n".join(f"line {i} of a comment thread" for i in range(5000)), BODY, limit=300).text) <= 300


def test_margin_names_only_add_aliases_and_roles_to_body_entities() -> None:
    body = [_m("a", "Daniela Moreno Ruiz", "PERSON", 0, ["Foreign Minister"]), _m("a", "Moreno Ruiz", "PERSON", 120),
            _m("a", "Lima", "GPE", 90), _m("b", "Javier Castillo", "PERSON", 0)]
    margin = [_m("a", "DanielaMorreno Ruiz", "ORG", 5, ["Ambassador"]),     # glued handle, mistyped by NER
              _m("a", "Tomas Ferreyra", "PERSON", 60),                      # the photographer: in no body
              _m("a", "Castillo", "PERSON", 80),                            # short name of a person of the event
              _m("c", "Daniela Morreno Ruiz", "PERSON", 0)]                 # another event: no body entity there
    plain_resolver = EntityResolver().fit([RawMention(**vars(m)) for m in body], {"a": "E", "b": "E"})
    plain = {e.name: e for e in plain_resolver.entities_}
    ents = {e.name: e for e in EntityResolver().fit(body, {"a": "E", "b": "E", "c": "F"}, margin=margin).entities_}
    assert set(ents) == set(plain) and "Tomas Ferreyra" not in ents
    daniela = ents["Daniela Moreno Ruiz"]
    assert daniela.aliases == ["Daniela Morreno Ruiz", "Moreno Ruiz"]
    assert daniela.roles == ["Foreign Minister", "Ambassador"] and daniela.type == "PERSON"
    assert {n: e.mentions for n, e in ents.items()} == {n: e.mentions for n, e in plain.items()}
    assert ents["Javier Castillo"].aliases == ["Castillo"] and ents["Javier Castillo"].article_ids == ["b"]
    assert [m.entity_id for m in margin] == [daniela.id, None, ents["Javier Castillo"].id, None]


def _article(aid: str, text: str, raw: str) -> Article:
    return Article(id=aid, text=text, title=text.split("\n")[0][:60], raw_text=raw, outlet=aid, content_hash=aid)


def test_build_keeps_margin_mentions_apart_and_resolves_their_aliases(tmp_path: Path) -> None:
    from storyline.progress import NO_PROGRESS
    from storyline.store.articles import write_batch
    from storyline.understand import run

    other = "Farmers in Tacna protested against water prices on Monday, blocking a highway for six hours."
    sl = storyline.open(tmp_path / "margin.db")
    write_batch(sl.db, [_article("a", BODY, RAW), _article("b", other, f"{other}\nPhoto: Tomas Ferreyra")], [], None)
    run(sl.db, sl.settings, NO_PROGRESS)
    ents = {e["name"]: e for e in sl.entities()}
    assert "Daniela Morreno Ruiz" in ents["Daniela Moreno Ruiz"]["aliases"]
    assert not any("Ferreyra" in f for e in ents.values() for f in [e["name"], *e["aliases"]])
    body = sl.db.query("SELECT m.start, m.end, m.text, a.text AS body FROM mentions m JOIN articles a"
                       " ON a.id = m.article_id")
    assert body and all(r["body"][r["start"]:r["end"]] == r["text"] for r in body)
    assert not any("Ferreyra" in r["text"] or "Morreno" in r["text"] for r in body)
    margin = sl.db.query("SELECT article_id, start, end, text, entity_id FROM margin_mentions")
    raw = {"a": RAW, "b": f"{other}\nPhoto: Tomas Ferreyra"}
    assert all(raw[r["article_id"]][r["start"]:r["end"]] == r["text"] for r in margin)
    assert {r["text"]: r["entity_id"] for r in margin}["Daniela Morreno Ruiz"] == ents["Daniela Moreno Ruiz"]["id"]
    credits = [r for r in margin if r["text"] == "Tomas Ferreyra"]
    assert credits and all(r["entity_id"] is None for r in credits)     # found in the margin, made nothing
    assert json.loads(sl.db.one("SELECT aliases FROM entities WHERE name = 'Daniela Moreno Ruiz'")[0]) \
        == ents["Daniela Moreno Ruiz"]["aliases"]
    assert sl.db.scalar("SELECT mentions FROM entities WHERE name = 'Daniela Moreno Ruiz'") == 2
    sl.close()
