"""Issue 15 acceptance 6, end to end: JSONL records whose text starts with the date header, through ingest and build.

The header must reach no clean text, article title, event or story title, or
summary sentence, and must date every article. Embeddings are off so the whole
build takes seconds on a CPU.
"""
from __future__ import annotations

import pytest

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

FLOOD = ["Floodwaters breached the river embankment in Riverton on Monday, forcing hundreds of families from "
         "their homes, the mayor said.",
         "Rescue teams in boats reached stranded residents in the low-lying districts of Riverton by Monday evening.",
         "\"We have never seen the water rise so fast,\" said Maria Lopez, a shopkeeper whose store was flooded.",
         "The regional government said it would release emergency funds to repair the embankment."]
RATES = ["The central bank of Norland raised its main interest rate by half a point on Thursday to fight inflation.",
         "Governor Erik Dahl told reporters the rise was needed because prices were climbing faster than wages.",
         "\"Inflation is the biggest threat to households,\" Dahl said at a press conference in Nordhavn.",
         "Markets in Nordhavn fell after the announcement, and the currency strengthened against the euro."]
HEADER = re.compile(r"\bdate\s+\d{4}-\d{2}")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "--db", "s.db", "--config", "storyline.toml",
                           "-q", *args], capture_output=True, text=True, cwd=cwd, env={**os.environ}, timeout=600)


@pytest.mark.slow
def test_header_reaches_no_text_title_or_summary_after_a_build(tmp_path: Path) -> None:
    rng = random.Random(5)
    records, dates = [], {}
    for i in range(6):
        for k, (sentences, day) in enumerate(((FLOOD, "2021-04-05"), (RATES, "2022-09-15"))):
            body = " ".join(rng.sample(sentences, len(sentences)))
            spelling = rng.choice([" date {d} ", "date {d}\n", " date {d}\n\n"]).format(d=day)
            records.append({"id": f"r{k}{i}", "url": f"https://outlet{i}.example/news/{k}-{i}",
                            "text": f"{spelling}{body}\n\n{body}"})
            dates[f"r{k}{i}"] = day
    (tmp_path / "g.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (tmp_path / "storyline.toml").write_text("[events]\nuse_embeddings = false\n")
    done = cli("run", "g.jsonl", cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    for kind in ("articles", "events", "stories"):
        assert cli("export", kind, "-o", f"{kind}.jsonl", cwd=tmp_path).returncode == 0
    rows = {kind: [json.loads(line) for line in (tmp_path / f"{kind}.jsonl").read_text().splitlines()]
            for kind in ("articles", "events", "stories")}
    assert {a["id"]: a["date"] for a in rows["articles"]} == dates
    with sqlite3.connect(tmp_path / "s.db") as conn:                  # the clean text is not exported: read it
        texts = [text for (text,) in conn.execute("SELECT text FROM articles")]
    assert len(texts) == len(records)
    shown = [a["title"] for a in rows["articles"]] + texts
    shown += [e["title"] for e in rows["events"]] + [s["title"] for s in rows["stories"]]
    shown += [sentence["text"] for e in rows["events"] for sentence in e.get("summary") or []]
    assert rows["events"] and any(e.get("summary") for e in rows["events"])
    assert not [text for text in shown if HEADER.search(text)]
