"""Entity resolution gives the same entities in every process, whatever PYTHONHASHSEED is.

Rules that union forms while iterating a set used to see the roots that earlier unions made in
hash order, so two runs of the same build could resolve "DeKalb" to "DeKalb County" in one and
leave it alone in the other (17,621 vs 17,624 entities on gva).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import storyline
from storyline.understand.entities import EntityResolver, RawMention

# Places that each appear bare, with "County" and with "County District" (each form in its own
# article), organisations with and without a legal form, and names with initials: the rules whose
# outcome depended on which form of a family came first.
_PLACES = ["DeKalb", "Delaware", "Milwaukee", "Suffolk", "Albany", "Cook", "Fulton", "Harris", "Wayne", "Kent",
           "Orange", "Marion", "Jackson", "Franklin", "Monroe", "Madison", "Clark", "Lake", "Polk", "Greene"]
_ORGS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Wonka", "Stark", "Wayne Tech", "Tyrell"]
_PERSONS = ["Mark Felt", "Regina Benjamin", "Robert Smith", "Ana Lopez", "Omar Khan"]

SCRIPT = """
import json, sys
from storyline.understand.entities import EntityResolver, RawMention
rows = json.load(sys.stdin)
ms = [RawMention(a, s, s + len(t), t, label) for a, s, t, label in rows]
r = EntityResolver().fit(ms, {a: "e" + a[-1] for a, _, _, _ in rows})
print(json.dumps({"entities": [[e.id, e.name, e.type, e.aliases, e.mentions] for e in r.entities_],
                  "mentions": [m.entity_id for m in ms]}))
"""


def corpus() -> list[tuple[str, int, str, str]]:
    """(article, start, text, label) rows: each family of forms spread over articles and events."""
    rows: list[tuple[str, int, str, str]] = []
    for n, place in enumerate(_PLACES):
        for j, form in enumerate((place, f"{place} County", f"{place} County District")):
            rows.append((f"p{n}-{j}", 0, form, "GPE"))
    for n, org in enumerate(_ORGS):
        for j, form in enumerate((org, f"{org} Corp", f"{org} Corporation", f"{org} Inc")):
            rows.append((f"o{n}-{j}", 0, form, "ORG"))
    for n, person in enumerate(_PERSONS):
        first, last = person.split()
        for j, form in enumerate((person, f"{first[0]}. {last}", f"{first} {chr(65 + n)}. {last}",
                                  f"{first[0]}. {chr(65 + n)}. {last}")):
            rows.append((f"n{n}-{j}", 0, form, "PERSON"))
    return rows


VALUES_SCRIPT = """
import json, sys
from storyline.understand.values import compare_values
by_outlet = {o: {tuple(v) for v in vs} for o, vs in json.load(sys.stdin).items()}
print(json.dumps(compare_values(by_outlet)))
"""


def run_with_seed(seed: str, script: str, data: object) -> object:
    """What ``script`` prints (JSON) for ``data`` on stdin, in a fresh interpreter with this hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": seed,
           "PYTHONPATH": os.pathsep.join([str(Path(storyline.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(data), env=env, capture_output=True,
                          text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_resolution_is_the_same_under_any_hash_seed() -> None:
    rows = corpus()
    runs = [run_with_seed(seed, SCRIPT, rows) for seed in ("1", "2", "3")]
    assert isinstance(runs[0], dict) and runs[0]["mentions"] and all(runs[0]["mentions"])   # all resolved
    assert runs[1] == runs[0]
    assert runs[2] == runs[0]


def test_a_place_joins_its_longest_family_of_forms() -> None:
    """Longest forms first: "DeKalb County" joins "DeKalb County District" before "DeKalb" counts
    its candidates, so the bare name has one entity to go to."""
    ms = [RawMention(f"a{j}", 0, len(t), t, "GPE")
          for j, t in enumerate(("DeKalb", "DeKalb County", "DeKalb County District"))]
    r = EntityResolver().fit(ms)
    assert len(r.entities_) == 1
    assert len({m.entity_id for m in ms}) == 1


def test_value_checks_list_kinds_in_the_same_order_under_any_hash_seed() -> None:
    """Agreements and disagreements are stored as lists: their order must not follow the hash seed."""
    kinds = [("killed", "people"), ("injured", "people"), ("arrested", "people"), ("age", "years"),
             ("cost", "dollars"), ("share", "percent"), ("year", "year"), ("missing", "people")]
    data = {outlet: [[k, u, float(n + (i if k in ("injured", "cost") else 0))] for n, (k, u) in enumerate(kinds)]
            for i, outlet in enumerate(("a.com", "b.com", "c.com"))}
    runs = [run_with_seed(seed, VALUES_SCRIPT, data) for seed in ("1", "2", "3")]
    assert isinstance(runs[0], list)
    agree, disagree = runs[0]
    assert len(agree) == 6 and len(disagree) == 2
    assert runs[1] == runs[0] and runs[2] == runs[0]
