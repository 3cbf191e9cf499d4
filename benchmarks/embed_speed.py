"""CPU embedding speed: the static default against MiniLM, on real article leads, side by side.

Reads the first ``--n`` records of a JSONL corpus (default: the shared GVA
articles), builds each one's lead exactly as the events stage embeds it
(title + ". " + text, cut at ``EMBED_LEAD_CHARS``, ``EMBED_MAX_TOKENS``
tokens), loads each model once, warms it up, and times ``Encoder.encode``:
docs/s on the wall clock and per CPU second (the machine is shared, so the
load average is printed too). Also prints how long the static model took to
distill: the time recorded when it was made, or, with ``--distill``, a fresh
distillation into a temporary cache folder. And the pairwise cosines of the
first 150 leads under each model: thresholds fitted on one scale do not
carry to the other.

    python benchmarks/embed_speed.py                       # 2,000 leads static, 300 MiniLM
    python benchmarks/embed_speed.py --n 2858 --minilm-n 0 # the static model alone
    python benchmarks/embed_speed.py --n 2858 --minilm-n 2858 --distill
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.events.stage import EMBED_LEAD_CHARS, EMBED_MAX_TOKENS  # noqa: E402
from storyline.represent import static  # noqa: E402
from storyline.represent.embed import MINILM, Encoder  # noqa: E402

COSINE_DOCS = 150   # pairwise cosines over the first leads: the scale thresholds are fitted on
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gva" / "articles.jsonl"


def read_leads(path: Path, n: int) -> list[str]:
    """The first ``n`` records' leads, as ``events.stage.embed_items`` builds them."""
    leads: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            leads.append(((record.get("title") or "") + ". " + (record.get("text") or ""))[:EMBED_LEAD_CHARS])
            if len(leads) >= n:
                break
    return leads


def time_model(model: str, texts: list[str], repeat: int) -> dict[str, Any]:
    """Load (timed), warm up, then encode ``texts`` ``repeat`` times; the best run counts."""
    start = time.perf_counter()
    enc = Encoder(model, device="cpu", max_length=EMBED_MAX_TOKENS)
    enc.encode(texts[:32])
    load = time.perf_counter() - start
    best: tuple[float, float] = (float("inf"), 0.0)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        vectors = enc.encode(texts)
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    head = vectors[:COSINE_DOCS]
    pairs = (head @ head.T)[np.triu_indices(len(head), 1)]
    return {"model": model, "docs": len(texts), "dim": int(vectors.shape[1]), "load_s": load,
            "cos": (float(pairs.mean()), *np.percentile(pairs, [50, 90, 99]).tolist()),
            "wall_s": best[0], "cpu_s": best[1], "docs_per_s": len(texts) / best[0],
            "docs_per_cpu_s": len(texts) / max(best[1], 1e-9)}


def distill_seconds(fresh: bool) -> tuple[float, str]:
    """Seconds to make the static model: measured now into a temporary cache, or as recorded when made."""
    if fresh:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["STORYLINE_MODELS"] = tmp
            wall, cpu = time.perf_counter(), time.process_time()
            static.ensure_static_model(progress=False)
            seconds, used = time.perf_counter() - wall, time.process_time() - cpu
            del os.environ["STORYLINE_MODELS"]
        return seconds, f"measured now ({used:.0f} CPU-s)"
    path = static.ensure_static_model()
    meta = json.loads((path / "storyline-static.json").read_text(encoding="utf-8"))
    return float(meta["seconds"]), f"recorded when made ({path.name})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL with title/text fields")
    parser.add_argument("--n", type=int, default=2000, help="leads for the static model")
    parser.add_argument("--minilm-n", type=int, default=300, help="leads for MiniLM (slow on CPU); 0 skips it")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per model; the best counts")
    parser.add_argument("--distill", action="store_true", help="time a fresh distillation too (minutes)")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data}: pass --data FILE.jsonl")
    texts = read_leads(args.data, max(args.n, args.minilm_n))
    seconds, how = distill_seconds(args.distill)
    rows = [time_model("minilm-static", texts[:args.n], args.repeat)]
    if args.minilm_n > 0:
        rows.append(time_model(MINILM, texts[:args.minilm_n], max(1, min(args.repeat, 2))))
    load = os.getloadavg()
    print(f"{len(texts)} leads from {args.data.name}, cut at {EMBED_LEAD_CHARS} chars / {EMBED_MAX_TOKENS} tokens; "
          f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'model':<18} {'dim':>4} {'docs':>6} {'load s':>7} {'wall s':>7} {'docs/s':>8} {'docs/CPU-s':>10}")
    for r in rows:
        print(f"{r['model']:<18} {r['dim']:>4} {r['docs']:>6} {r['load_s']:>7.1f} {r['wall_s']:>7.2f} "
              f"{r['docs_per_s']:>8,.0f} {r['docs_per_cpu_s']:>10,.0f}")
    if len(rows) > 1:
        print(f"static / MiniLM: {rows[0]['docs_per_s'] / rows[1]['docs_per_s']:.0f}x docs/s, "
              f"{rows[0]['docs_per_cpu_s'] / rows[1]['docs_per_cpu_s']:.0f}x docs/CPU-s")
    for r in rows:
        mean, p50, p90, p99 = r["cos"]
        print(f"{r['model']:<18} pairwise cosine over the first {COSINE_DOCS} leads: mean {mean:.3f}, "
              f"p50 {p50:.3f}, p90 {p90:.3f}, p99 {p99:.3f}")
    print(f"static model distillation: {seconds:.0f} s, {how}")


if __name__ == "__main__":
    main()
