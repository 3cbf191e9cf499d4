"""Helpers for the events tests: an ECB+ subset given synthetic publication dates, JSONL, the real CLI."""
from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

from tests.conftest import shared_data

ROOT = Path(__file__).resolve().parents[2]


def dated_ecbplus(n_topics: int = 12) -> list[dict[str, str]]:
    """The first ``n_topics`` ECB+ topics; each gold event gets a random day, each article 0-2 days after it.

    ECB+ has no dates, so these are synthetic: the two look-alike happenings
    of a topic may land close together or far apart, as in real streams.
    """
    from storyline.evaluate.datasets import load_ecbplus

    docs = load_ecbplus(shared_data("ecbplus").parent)
    topics = sorted({d.label.split("_")[0] for d in docs}, key=int)[:n_topics]
    rng = random.Random(7)
    base = dt.date(2020, 1, 1)
    day = {label: base + dt.timedelta(days=rng.randrange(120))
           for label in sorted({d.label for d in docs if d.label.split("_")[0] in topics})}
    records = []
    for d in docs:
        if d.label in day:
            when = day[d.label] + dt.timedelta(days=rng.randrange(3))
            records.append({"id": d.id, "text": d.text, "date": when.isoformat(), "label": d.label})
    records.sort(key=lambda r: (r["date"], r["id"]))
    return records


def write_jsonl(records: list[dict[str, str]], path: Path) -> Path:
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "label"}) + "\n" for r in records),
                    encoding="utf-8")
    return path


def cli(*args: str, db: Path, config: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run the real ``storyline`` command."""
    cmd = [sys.executable, "-m", "storyline.cli.main", "-q", "--db", str(db)]
    if config is not None:
        cmd += ["--config", str(config)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=timeout, cwd=ROOT)
