"""Scraping residue left in the cleaned text of real scraped corpora (issue 15), counted by shape.

    python benchmarks/lead_residue.py [gva newsdev] [--data ../shared/data] [--show 5]

Cleans each article of ``<data>/<corpus>/articles.jsonl`` as ingest does (header split, outlet from
the URL) and counts, over all kept lines (the title first) and over the first five, the lines that
still show a residue shape.  The shapes are written here independently of the cleaner's own patterns,
broad on purpose (a bullet "•" and a bare "UPDATE:" count although the cleaner keeps them), so the
counts before and after a cleaning change can be compared.  Then the cleaner's own residue reasons:
lines dropped as timestamp / player-chrome / video-playlist and pieces trimmed off kept lines.
"""
from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHAPES = {
    "duration-led": re.compile(r"^\d{1,2}:\d{2}\s+(?![ap]\.?m\b)", re.I),
    "player-words": re.compile(r"\b(?:play\s*pause|playpause|skip\s+ad|slideshow|up\s+next|embed\s+x\s+share"
                               r"|this\s+video\s+is\s+no\s+longer|link\s+to\s+this\s+video)\b|\bPause$", re.I),
    "posted-updated": re.compile(r"\b(?:posted|updated):?\s+\w+day,", re.I),
    "glyph-prefix": re.compile(r"^[×✕✖▶►•|]\s"),
    "source-credit": re.compile(r"\((?:source|credit|photo|video):\s*[^)]*\)\s*$", re.I),
    "published-paren": re.compile(r"\((?:published|posted)(?:\s+on)?:?\s+[^)]*\d{4}\)\s*$", re.I),
    "update-prefix": re.compile(r"^\W*update[sd]?\b[^:]{0,40}:", re.I),
    "time-only": re.compile(r"^\W*(?:updated?:?\s*(?:at\s*)?)?\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?\W*$", re.I),
    "wiki-edit": re.compile(r"\[\s*edit\s*\]"),
}
RESIDUE_REASONS = ("timestamp", "player-chrome", "video-playlist")


def main() -> None:
    """Print residue shape counts and the cleaner's residue reasons per corpus."""
    from storyline.clean import metadata
    from storyline.clean.boilerplate import clean_text
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=["gva", "newsdev"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=5, help="example lines per shape")
    args = parser.parse_args()
    print(f"command: python benchmarks/lead_residue.py {' '.join(args.corpora)} --show {args.show}")
    rng = random.Random(0)
    for name in args.corpora:
        shapes_all, shapes_lead, reasons = Counter[str](), Counter[str](), Counter[str]()
        examples: dict[str, list[str]] = {}
        with open(args.data / name / "articles.jsonl", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        for record in records:
            url = record.get("url")
            cleaned = clean_text(metadata.split_header(record["text"])[1], outlet=metadata.outlet_from_url(url))
            lines = ([cleaned.title] if cleaned.title else []) + [x for x in cleaned.text.splitlines() if x.strip()]
            for i, line in enumerate(lines):
                for shape, pattern in SHAPES.items():
                    if pattern.search(line):
                        shapes_all[shape] += 1
                        shapes_lead[shape] += i < 5
                        examples.setdefault(shape, []).append(line[:120])
            reasons.update(f"dropped {r}" for _, _, r in cleaned.removed if r in RESIDUE_REASONS)
            reasons.update(f"trimmed {r}" for _, _, r in getattr(cleaned, "trimmed", []))   # older code: none
        print(f"\n== {name}: {len(records)} articles")
        print("| shape | lines | in the first 5 |\n|---|---|---|")
        for shape in SHAPES:
            print(f"| {shape} | {shapes_all[shape]} | {shapes_lead[shape]} |")
        print("cleaner:", dict(reasons.most_common()))
        for shape, lines in examples.items():
            for line in rng.sample(lines, min(args.show, len(lines))):
                print(f"   {shape:<16} | {line}")


if __name__ == "__main__":
    main()
