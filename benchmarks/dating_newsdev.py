"""Dates and titles on a messy real corpus: what ``make_article`` finds, against the corpus' own labels.

    python benchmarks/dating_newsdev.py [--data ../shared/data/newsdev] [--show-titles]

Each record is cleaned twice: as given, and with its ``date`` field removed (the
held-out corpora leave many records undated, so the date must come from the
header line, the URL or the text). Prints how many records get a date, from
which source, and how often that date equals the corpus' own ``date`` (whose
``date_source`` says where its labeller found it; ``text-event`` dates are the
reported happening's day, not a publication date). Also counts titles that
still hold the header or stay slug-like. A measurement only: nothing is tuned here.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.clean import make_article, titles
from storyline.errors import RecordError
from storyline.read.jsonl import record_to_raw

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "newsdev"


def clean(record: dict[str, Any], keep_date: bool) -> Any:
    """The article ``make_article`` makes from the record (None when rejected)."""
    fields = {k: v for k, v in record.items() if k not in ("date_source", "title_source")}
    if not keep_date:
        fields.pop("date", None)
    try:
        return make_article(record_to_raw(fields, record["id"], "jsonl"))  # type: ignore[arg-type]
    except RecordError:
        return None


def report_dates(records: list[dict[str, Any]], keep_date: bool) -> None:
    """Counts by our source, and agreement with the corpus date by the corpus' source."""
    sources: Counter[str] = Counter()
    ours_agree: Counter[str] = Counter()
    ours_labelled: Counter[str] = Counter()
    ours_near: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    wrong: list[str] = []
    started = time.perf_counter()
    articles = [clean(record, keep_date) for record in records]
    elapsed = time.perf_counter() - started
    for record, article in zip(records, articles, strict=True):
        ours = article.date_source if article and article.date else "none"
        sources[ours] += 1
        gold_source = record.get("date_source") or "none"
        if article and article.date and record.get("date"):
            labelled[gold_source] += 1
            ours_labelled[ours] += 1
            ours_near[ours] += abs((article.date - dt.date.fromisoformat(record["date"][:10])).days) <= 1
            if article.date.isoformat() == record["date"]:
                agree[gold_source] += 1
                ours_agree[ours] += 1
            else:
                wrong.append(f"{record['id']} ours {article.date} ({ours}) corpus {record['date']} ({gold_source})")
        elif article and article.date:
            wrong.append(f"{record['id']} ours {article.date} ({ours}) corpus none")
    dated = sum(n for s, n in sources.items() if s != "none")
    print(f"\n(clean time: {len(records) / elapsed:.0f} records/s, one process)")
    print(f"\n== date field {'kept' if keep_date else 'removed'}: {dated}/{len(records)} records dated")
    print("  by our source:", dict(sorted(sources.items())))
    for source in sorted(labelled):
        print(f"  corpus source {source:10s}: {agree[source]}/{labelled[source]} equal")
    for source in sorted(ours_labelled):
        print(f"  our source    {source:10s}: {ours_agree[source]}/{ours_labelled[source]} equal to the corpus date,"
              f" {ours_near[source]} within a day")
    print(f"  equal overall: {sum(agree.values())}/{sum(labelled.values())} of records both sides date")
    for line in wrong:
        print("   differs:", line)


def report_titles(records: list[dict[str, Any]], show: bool) -> None:
    """Header left in titles or text; slug-like titles left after re-casing; before/after pairs."""
    header_left = slug_left = changed = 0
    for record in records:
        article = clean(record, keep_date=False)
        if article is None:
            continue
        header_left += article.title is not None and "date 20" in article.title[:12]
        header_left += article.text.lstrip().startswith("date ")
        slug_left += bool(article.title and titles.is_slug_like(article.title))
        if article.title != record.get("title"):
            changed += 1
            if show:
                print(f"  {record['id']}: {record.get('title')!r}\n      -> {article.title!r}")
    print(f"\n== titles: header left in a title or text {header_left}; slug-like titles left {slug_left};"
          f" titles changed from the record's {changed}/{len(records)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show-titles", action="store_true")
    args = parser.parse_args()
    with open(args.data / "articles.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    print("corpus date_source:", dict(Counter(r.get("date_source") or "none" for r in records)))
    report_dates(records, keep_date=False)
    report_dates(records, keep_date=True)
    report_titles(records, args.show_titles)


if __name__ == "__main__":
    main()
