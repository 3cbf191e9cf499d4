"""NER cost on gva in CPU seconds (stable when the cores are shared), three checks of issue 11.

    python benchmarks/ner_cpu.py clean 400     # spaCy pipe vs mention cleaning (extract_mentions)
    python benchmarks/ner_cpu.py tok2vec 200   # NER with and without the shared tok2vec; same entities?
    python benchmarks/ner_cpu.py nproc 300     # nlp.pipe n_process 1 vs 2: CPU (self + children) and wall

Texts are the first N articles of ../shared/data/gva/articles.jsonl (raw text, capped as the stage caps it).
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data" / "gva" / "articles.jsonl"


def texts(n: int) -> list[str]:
    from storyline.understand.annotate import MAX_CHARS

    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"][:MAX_CHARS] for _, line in zip(range(n), fh, strict=False)]


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def ents(docs: list) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]


def check_clean(n: int) -> None:
    from storyline.understand.entities import extract_mentions
    from storyline.understand.nlp import load_nlp

    batch, nlp = texts(n), load_nlp()
    c0 = time.process_time()
    docs = list(nlp.pipe(batch, batch_size=64))
    c1 = time.process_time()
    found = sum(len(extract_mentions(d, "x")) for d in docs)
    c2 = time.process_time()
    print(f"{n} articles, {sum(map(len, batch))} chars: pipe {c1 - c0:.1f} CPU-s, mention cleaning {c2 - c1:.1f} "
          f"CPU-s ({found} mentions); pipeline {nlp.pipe_names}")


def check_tok2vec(n: int) -> None:
    import spacy  # noqa: F401  (loaded by load_nlp)
    from storyline.understand import nlp as nlp_module

    batch = texts(n)
    lean = nlp_module.load_nlp()
    full = nlp_module._load_bundled(__import__("spacy")) if "tok2vec" not in lean.pipe_names else lean
    for nlp in (full, lean, full, lean):
        c0 = time.process_time()
        list(nlp.pipe(batch, batch_size=64))
        print(f"{nlp.pipe_names}: {time.process_time() - c0:.1f} CPU-s")
    a, b = ents(list(full.pipe(batch))), ents(list(lean.pipe(batch)))
    print(f"identical entities: {a == b} ({sum(map(len, a))} spans)")


def check_nproc(n: int) -> None:
    from storyline.understand.nlp import load_nlp

    batch, nlp = texts(n), load_nlp()
    for p in (1, 2):
        c0, w0 = cpu(), time.perf_counter()
        found = ents(list(nlp.pipe(batch, batch_size=64, n_process=p)))
        print(f"n_process={p}: CPU {cpu() - c0:.1f} s, wall {time.perf_counter() - w0:.1f} s, "
              f"{sum(map(len, found))} entities", flush=True)


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("clean", "tok2vec", "nproc"):
        sys.exit(__doc__)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    {"clean": check_clean, "tok2vec": check_tok2vec, "nproc": check_nproc}[sys.argv[1]](int(sys.argv[2]))


if __name__ == "__main__":
    main()
