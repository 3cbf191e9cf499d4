"""CPU seconds of spaCy NER on the first 400 gva articles per ``nlp.pipe`` batch size (issue 11).

    python benchmarks/ner_batch.py [SIZE ...]      # default: 64 16 256 8 32, each twice, interleaved

Prints CPU seconds per size and whether the entities equal those of the first size (they must).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
GVA = ROOT.parent / "shared" / "data" / "gva" / "articles.jsonl"


def main(sizes: list[int]) -> None:
    from storyline.understand.nlp import load_nlp

    with GVA.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"][:100_000] for _, line in zip(range(400), fh, strict=False)]
    nlp = load_nlp()
    list(nlp.pipe(texts[:3]))
    first = None
    for size in sizes + sizes:
        c0 = time.process_time()
        ents = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts, batch_size=size)]
        first = first or ents
        print(f"batch {size}: {time.process_time() - c0:.2f} CPU-s, same entities: {ents == first}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [64, 16, 256, 8, 32])
