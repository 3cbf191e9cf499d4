"""A title heading several different texts of one outlet is the site's banner: replaced after ingest."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LEADS = ["A fire destroyed a warehouse on the east side of the city on Monday night, firefighters said.",
         "Two people were hurt when a bus left the road near the river bridge early on Tuesday, police said.",
         "The school board voted on Wednesday to close two primary schools at the end of the year.",
         "A storm cut power to thousands of homes across the county on Thursday, the utility said."]
MORE = " Officials expected to release more details later in the week, and residents were asked to stay away."


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STORYLINE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "-q", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_a_title_shared_by_three_texts_of_one_outlet_is_replaced_and_two_are_kept(tmp_path: Path) -> None:
    banner = "Town Crier: Your Community Voice"
    records = [{"id": f"b{i}", "url": f"https://crier.example/p?id={i}", "title": banner, "text": lead + MORE}
               for i, lead in enumerate(LEADS[:3])]
    records += [{"id": f"k{i}", "url": f"https://other.example/p?id={i}", "title": "Weekly Police Log",
                 "text": lead + MORE} for i, lead in enumerate(LEADS[2:])]
    first, second = records[:2] + records[3:], records[2:3]
    db = tmp_path / "t.db"
    for batch, name in ((first, "a.jsonl"), (second, "b.jsonl")):     # the third banner arrives in a later ingest
        (tmp_path / name).write_text("\n".join(json.dumps(r) for r in batch) + "\n")
        done = cli("ingest", str(tmp_path / name), db=db)
        assert done.returncode == 0, done.stderr
    titles = {a["id"]: a["title"] for a in json.loads(cli("articles", "--json", db=db).stdout)}
    assert titles["b0"] == "A fire destroyed a warehouse on the east side of the city on Monday night"
    assert all(titles[f"b{i}"] != banner for i in range(3))
    assert titles["k0"] == titles["k1"] == "Weekly Police Log"
