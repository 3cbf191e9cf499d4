"""What ``clean_text`` drops from real news text it has never seen (an over-dropping check).

    python benchmarks/clean_scan.py [--data ../shared/data] [--show 20]

Runs the extracted-text cleaner over four corpora of already-clean or
lightly-noisy news (ECB+ sentences one per line, news_story_chains texts,
WikiRef220 texts, india_police_events docs) and prints, per corpus, the
documents/s (CPU time), lines read, lines dropped by reason, and a sample of
dropped lines to read by eye: every drop there should be page furniture.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def ecbplus(data: Path) -> Iterator[str]:
    """ECB+ documents, one (tokenised) sentence per line."""
    with open(data / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            yield "\n".join(json.loads(line)["sentences"])


def story_chains(data: Path) -> Iterator[str]:
    """news_story_chains article texts."""
    csv.field_size_limit(sys.maxsize)
    path = data / "news_story_chains" / "gedikli-business_energy_news_dataset-2021-06-29-article_texts.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["text"]


def wikiref(data: Path) -> Iterator[str]:
    """WikiRef220 web articles."""
    for path in sorted((data / "wikiref220" / "WikiRef220").glob("*.txt")):
        yield path.read_text(encoding="utf-8", errors="replace")


def india(data: Path) -> Iterator[str]:
    """india_police_events Times of India docs."""
    with open(data / "india_police_events" / "data" / "final" / "docs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line).get("doc_text") or ""


CORPORA = {"ecbplus": ecbplus, "news_story_chains": story_chains, "wikiref220": wikiref,
           "india_police_events": india}


def main() -> None:
    """Clean every corpus and print the drop counts with a sample."""
    from storyline.clean.boilerplate import clean_text
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=20, help="dropped lines to print per corpus")
    args = parser.parse_args()
    print(f"command: python benchmarks/clean_scan.py --data {args.data} --show {args.show}")
    rng = random.Random(0)
    for name, reader in CORPORA.items():
        texts = list(reader(args.data))
        start = time.process_time()
        results = [clean_text(t) for t in texts]
        seconds = time.process_time() - start
        lines = sum(sum(1 for line in t.splitlines() if line.strip()) for t in texts)
        drops = [(reason, line) for r in results for _, line, reason in r.removed]
        reasons = Counter(reason for reason, _ in drops)
        print(f"\n== {name}: {len(texts)} docs, {len(texts) / seconds:,.0f} docs/CPU-s, {lines:,} lines, "
              f"{len(drops)} dropped {dict(reasons.most_common())}")
        for reason, line in sorted(rng.sample(drops, min(args.show, len(drops)))):
            print(f"   {reason:<16} | {line[:110]}")


if __name__ == "__main__":
    main()
