"""Loaders for the labelled corpora under ``../shared/data`` (read-only, never committed).

Each loader returns :class:`LabelledDoc` records in the corpus's own file
order with the gold label the evaluation needs; a missing corpus raises
:class:`~storyline.errors.InputError` naming the path.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass
class LabelledDoc:
    """One document with its gold cluster label."""

    id: str
    text: str
    label: str
    title: str | None = None
    date: dt.date | None = None


def data_root() -> Path:
    """``$STORYLINE_SHARED/data``, else ``../shared/data`` beside the checkout."""
    env = os.environ.get("STORYLINE_SHARED")
    if env:
        return Path(env) / "data"
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _require(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"labelled corpus not found: {path} (set STORYLINE_SHARED to the shared/ folder)")
    return path


def load_ecbplus(root: Path | None = None) -> list[LabelledDoc]:
    """ECB+: 982 documents, gold event = subtopic (43 topics x 2 confusable happenings); no dates."""
    path = _require((root or data_root()) / "ecbplus" / "ecbplus_docs.jsonl")
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                docs.append(LabelledDoc(rec["doc"], " ".join(rec["sentences"]), str(rec["subtopic"])))
    return docs


SEED_EVENTS = {"000": "lavrov-islamabad-2021", "001": "lavrov-islamabad-2021", "002": "lavrov-islamabad-2021",
               "003": "lavrov-islamabad-2021", "004": "bilawal-goa-2023"}


def load_seed_paths(root: Path | None = None) -> list[tuple[Path, str]]:
    """The five seed files with their gold event (000-003 one event, 004 another)."""
    base = root or Path(__file__).resolve().parents[3] / "examples" / "seeds"
    if not base.is_dir():
        base = _require((root or data_root()).parent / "seeds")
    files = sorted(base.glob("*.txt"))
    return [(f, SEED_EVENTS[f.name[:3]]) for f in files if f.name[:3] in SEED_EVENTS]


# -- messy real corpora: newsdev, gva, t17 -------------------------------------------------------

@dataclass
class Gold:
    """The gold labels of one article of a JSONL corpus (``event`` is None where the corpus has none)."""

    event: str | None
    story: str


REAL_CORPORA = ("newsdev", "gva", "t17")


def real_corpus(name: str, root: Path | None = None) -> tuple[Path, dict[str, Gold]]:
    """``articles.jsonl`` of a real labelled corpus (ingested as it is) and its gold by article id.

    The articles file is fed to ``storyline ingest`` unchanged, as a user would:
    its extra fields (``title_source``, ``date_source``, …) are ignored by the reader.
    """
    if name not in REAL_CORPORA:
        raise InputError(f"unknown corpus {name!r}; choose from {', '.join(REAL_CORPORA)}")
    base = _require((root or data_root()) / name)
    articles = _require(base / "articles.jsonl")
    gold: dict[str, Gold] = {}
    with _require(base / "gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                gold[rec["id"]] = Gold(rec.get("event"), rec["story"])
    return articles, gold


def t17_timelines(root: Path | None = None) -> dict[tuple[str, str], dict[dt.date, list[str]]]:
    """Timeline17's journalist timelines: (topic, timeline) → date → summary sentences."""
    path = _require((root or data_root()) / "t17" / "timelines.jsonl")
    timelines: dict[tuple[str, str], dict[dt.date, list[str]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                entry = timelines.setdefault((rec["topic"], rec["timeline"]), {})
                entry.setdefault(dt.date.fromisoformat(rec["date"]), []).extend(rec["summary"])
    return timelines
