"""spaCy's NER and quote parser with thinc's BLIS gemm against numpy's BLAS gemm (issue 11).

    python benchmarks/spacy_gemm.py [N]      # N gva articles (default 300)

Runs the NER pipeline on the first N gva articles and the quote parser on the
sentences holding their quotes, each twice per backend in turn (blis, numpy,
blis, numpy: CPU time, so a loaded machine still compares), and prints the
CPU seconds and how many articles / sentences came out different (must be 0).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
GVA = ROOT.parent / "shared" / "data" / "gva" / "articles.jsonl"


def set_backend(nlp: Any, blis: bool) -> None:
    """Point every thinc layer of the pipeline at one NumpyOps backend."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=blis)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops


def quote_sentences(texts: list[str]) -> list[str]:
    """The sentences the quote attributor parses, as it parses them."""
    from storyline.understand.nlp import split_sentences
    from storyline.understand.quotes import _sentence_around, find_quotations, parse_text

    out = []
    for text in texts:
        spans, quotes = split_sentences(text), find_quotations(text)
        for a, b in sorted({_sentence_around(spans, q.start, q.end) for q in quotes}):
            out.append(parse_text(text, a, b, [q.start for q in quotes]))
    return out


def compare(name: str, nlp: Any, texts: list[str], read: Any) -> None:
    """CPU seconds per backend, alternating, and the number of texts whose output differs."""
    outputs: dict[str, list[Any]] = {}
    for backend in ("blis", "numpy", "blis", "numpy"):
        set_backend(nlp, backend == "blis")
        list(nlp.pipe(texts[:3]))
        c0 = time.process_time()
        outputs[backend] = [read(doc) for doc in nlp.pipe(texts, batch_size=64)]
        print(f"{name} {backend}: {time.process_time() - c0:.2f} CPU-s", flush=True)
    diff = sum(a != b for a, b in zip(outputs["blis"], outputs["numpy"], strict=True))
    print(f"{name}: {len(texts)} texts, {diff} with different output")


def main(n: int) -> None:
    from storyline.understand.nlp import load_nlp
    from storyline.understand.quotes import load_parser

    with GVA.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"][:100_000] for _, line in zip(range(n), fh, strict=False)]
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # OpenBLAS on one thread, as in a worker beside another
    compare("ner", load_nlp(), texts, lambda d: [(e.start_char, e.end_char, e.label_) for e in d.ents])
    compare("quote parser", load_parser(), quote_sentences(texts),
            lambda d: [(t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i) for t in d])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
