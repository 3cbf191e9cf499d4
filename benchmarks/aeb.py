"""Article-extraction benchmark (AEB): main-text quality and speed of ``extract_html``.

    python benchmarks/aeb.py [--data ../shared/data/aeb] [--workers 2]

Scores the six reference extractors' published outputs with our scorer
(must reproduce trafilatura 0.958, newspaper4k 0.949, readability 0.922),
then ``storyline.clean.html.extract_html`` on the 181 pages with and without
our line cleaning, and prints pages/s (single process, and a process pool
with ``--workers``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from shingles import score_pages  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "aeb"
PUBLISHED_F1 = {"trafilatura": 0.958, "newspaper": 0.949, "readability": 0.922}


def load_gold(data: Path) -> dict[str, dict]:
    """Ground truth: {id: {articleBody, url}}."""
    return json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))


def load_pages(data: Path, ids: list[str]) -> list[str]:
    """Raw HTML of each page, decoded as UTF-8 (the benchmark's pages are UTF-8)."""
    return [gzip.decompress((data / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8", "replace")
            for i in ids]


def reference_outputs(data: Path) -> dict[str, dict[str, str]]:
    """{system: {id: articleBody}} from output/*.json (some wrap the items in an ``output`` key)."""
    systems = {}
    for path in sorted((data / "output").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        items = raw.get("output", raw)
        systems[path.stem] = {k: (v.get("articleBody") if isinstance(v, dict) else v) or ""
                              for k, v in items.items()}
    return systems


def _extract(args: tuple[str, str, bool]) -> str:
    """Pool worker: extract one page."""
    from storyline.clean.html import extract_html
    html, url, clean = args
    return extract_html(html, url, clean=clean).text


def run_ours(pages: list[str], urls: list[str], clean: bool, workers: int) -> tuple[list[str], float, float]:
    """Our extraction of every page, with the CPU seconds (one process only) and wall seconds it took.

    In one process the CPU time is the honest speed: on a shared machine the
    wall time also measures the neighbours' load.
    """
    jobs = [(h, u, clean) for h, u in zip(pages, urls, strict=True)]
    _extract(jobs[0])                                    # import/warm-up outside the clock
    if workers <= 1:
        cpu, wall = time.process_time(), time.perf_counter()
        texts = [_extract(j) for j in jobs]
        return texts, time.process_time() - cpu, time.perf_counter() - wall
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract, jobs[:workers]))         # start workers outside the clock
        wall = time.perf_counter()
        texts = list(pool.map(_extract, jobs, chunksize=8))
    return texts, float("nan"), time.perf_counter() - wall


def score_ours(data: Path = DEFAULT_DATA, clean: bool = True) -> dict[str, float]:
    """Score of ``extract_html`` on every AEB page (used by the quality-floor test)."""
    gold = load_gold(data)
    ids = sorted(gold)
    texts, _, _ = run_ours(load_pages(data, ids), [gold[i].get("url") for i in ids], clean, 1)
    return score_pages((gold[i]["articleBody"], t) for i, t in zip(ids, texts, strict=True))


def print_row(name: str, s: dict[str, float], extra: str = "") -> None:
    """One table row."""
    print(f"| {name:<42} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {extra:<26} |")


def main() -> None:
    """Score the references and ours; print the table and the command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=2, help="process-pool size for the throughput row")
    args = parser.parse_args()
    gold = load_gold(args.data)
    ids = sorted(gold)
    print(f"command: python benchmarks/aeb.py --data {args.data} --workers {args.workers}")
    print(f"{len(ids)} pages\n")
    print(f"| {'system':<42} | prec. | rec.  | F1    | {'note':<26} |")
    print(f"|{'-' * 44}|-------|-------|-------|{'-' * 28}|")
    for name, outputs in reference_outputs(args.data).items():
        s = score_pages((gold[i]["articleBody"], outputs.get(i, "")) for i in ids)
        note = f"published {PUBLISHED_F1[name]:.3f}" if name in PUBLISHED_F1 else "reference output"
        print_row(name, s, note)
    pages = load_pages(args.data, ids)
    urls = [gold[i].get("url") for i in ids]
    for clean in (False, True):
        texts, cpu, wall = run_ours(pages, urls, clean, 1)
        s = score_pages((gold[i]["articleBody"], t) for i, t in zip(ids, texts, strict=True))
        label = "storyline extract_html" + ("" if clean else " (no line cleaning)")
        print_row(label, s, f"{len(ids) / cpu:.0f} p/CPU-s, {len(ids) / wall:.0f} p/s")
    if args.workers > 1:
        _, _, seconds = run_ours(pages, urls, True, args.workers)
        print(f"\nthroughput, {args.workers}-process pool (wall clock, whole machine load included): "
              f"{len(ids) / seconds:.0f} pages/s")


if __name__ == "__main__":
    main()
