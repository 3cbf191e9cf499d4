"""CleanPortalEval (71 news/blog pages, CleanEval-style gold): boilerplate removal on news pages.

    python benchmarks/cleaneval.py [--data ../shared/data/cleanportaleval]

Reports the same 4-token-shingle precision/recall/F1 as ``aeb.py`` (not the
CleanEval edit-distance score).  The gold text starts with the page's
headline (``<h>``), so our prediction is the title followed by the text;
the text-only score is printed beside it.  No floor: a measurement.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from shingles import score_pages  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cleanportaleval"
MARKUP_RE = re.compile(r"^\s*<(?:h|p|l)>", re.MULTILINE)
HEADLINE_RE = re.compile(r"^\s*<h>(.*?)(?:\n\s*\n|\n\s*<)", re.DOTALL)


def gold_headline(path: Path) -> str | None:
    """The first <h> paragraph of a gold file: the page's headline."""
    raw = path.read_text(encoding="utf-8", errors="replace").lstrip().partition("\n")[2].lstrip()
    match = HEADLINE_RE.match(raw)
    return " ".join(html.unescape(match.group(1)).split()) if match else None


def same_title(found: str | None, gold: str) -> bool:
    """Titles equal up to case, punctuation and quote style (one may contain the other)."""
    def norm(text: str) -> str:
        return re.sub(r"\W+", " ", text.lower()).strip()
    return bool(found) and (norm(found) in norm(gold) or norm(gold) in norm(found))


def read_gold(path: Path) -> tuple[str | None, str]:
    """(url, text) of a CleanEval gold file: a "URL:" line, then <h>/<p>/<l>-marked paragraphs."""
    raw = path.read_text(encoding="utf-8", errors="replace").lstrip()
    url = None
    if raw.startswith("URL:"):
        first, _, raw = raw.partition("\n")
        url = first[4:].strip()
    return url, html.unescape(MARKUP_RE.sub("", raw))


def by_site(name: str) -> str:
    """Site of a page from its file name (bbc.co.uk_news_01 → bbc.co.uk)."""
    return name.split("_")[0]


def main() -> None:
    """Score extract_html on every page; print overall and per-site rows and the command."""
    from storyline.clean.html import extract_html
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    rows: dict[str, list[tuple[str, str, str]]] = {}
    titles: list[bool] = []
    for gold_path in sorted((args.data / "GoldStandard").glob("*.txt")):
        url, gold = read_gold(gold_path)
        page = extract_html((args.data / "input" / f"{gold_path.stem}.html").read_bytes(), url)
        with_title = f"{page.title}\n{page.text}" if page.title else page.text
        rows.setdefault(by_site(gold_path.stem), []).append((gold, with_title, page.text))
        headline = gold_headline(gold_path)
        if headline:
            titles.append(same_title(page.title, headline))
    print(f"command: python benchmarks/cleaneval.py --data {args.data}\n")
    print(f"| {'pages':<22} | n  | prec. | rec.  | F1    | F1 text only |")
    print(f"|{'-' * 24}|----|-------|-------|-------|--------------|")
    every = [r for site_rows in rows.values() for r in site_rows]
    for name, items in [("all", every)] + sorted(rows.items()):
        s = score_pages((g, p) for g, p, _ in items)
        t = score_pages((g, x) for g, _, x in items)
        print(f"| {name:<22} | {len(items):<2} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
              f"| {t['f1']:.3f}        |")
    print(f"\ntitle = gold headline on {sum(titles)}/{len(titles)} pages with an <h> headline")


if __name__ == "__main__":
    main()
