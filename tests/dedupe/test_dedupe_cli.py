"""The real CLI on real files: a syndicated copy of a seed article points at the original in the export."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.clean import content_hash


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q", *args],
                          capture_output=True, text=True, timeout=300, check=True)


def seed_body(seeds_dir: Path, prefix: str) -> str:
    text = next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return "\n\n".join(p for p in text.split("\n\n")[1:] if len(p.split()) > 8)


def test_syndicated_copy_points_at_the_original(seeds_dir: Path, tmp_path: Path) -> None:
    body = seed_body(seeds_dir, "003")
    copy = body.replace("agreed", "decided", 1).replace("Wednesday", "Wednesday afternoon", 1)
    records = [
        {"id": "orig", "url": "https://news-one.example/a", "title": "Pakistan and Russia agree to widen ties",
         "date": "2021-04-07", "text": body},
        {"id": "copy", "url": "https://wire-two.example/b", "title": "Qureshi, Lavrov review ties",
         "date": "2021-04-08", "text": "WIRE TWO REPORT\n\n" + copy + "\n\nCopyright Wire Two. All rights reserved."},
        {"id": "other", "url": "https://news-one.example/c", "title": "Russia offers military support",
         "date": "2021-04-07", "text": seed_body(seeds_dir, "002")},
    ]
    assert content_hash(records[0]["text"]) != content_hash(records[1]["text"])
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = tmp_path / "cli.db"
    cli(db, "ingest", str(source))
    cli(db, "build", "--only", "dedupe")
    out = tmp_path / "articles.jsonl"
    cli(db, "export", "articles", "--format", "jsonl", "-o", str(out))
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["copy"]["duplicate_of"] == "orig"
    assert rows["orig"]["duplicate_of"] is None
    assert rows["other"]["duplicate_of"] is None, "another report of the same event is not a copy"
