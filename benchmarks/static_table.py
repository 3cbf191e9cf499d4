"""The static model as a numpy table against sentence-transformers' StaticEmbedding (issue 11).

    python benchmarks/static_table.py [N_ARTICLES]

Embeds gva's leads (title + text, 1,000 characters, as the events stage) and up to 20 sentences of
each article (as facts and summaries) both ways at the events stage's cap, 128 tokens, and at 256;
prints how many rows differ (bit for bit) and the CPU seconds of each, import and load included.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "gva" / "articles.jsonl"


def texts_of(n: int) -> list[str]:
    out = []
    with open(DATA, encoding="utf-8") as handle:
        for line, _ in zip(handle, range(n), strict=False):
            record = json.loads(line)
            text = record.get("text") or ""
            out.append(((record.get("title") or "") + ". " + text)[:1000])
            out.extend(text.split(". ")[:20])
    return out + ["", "zzzqqq", "   ", "Short."]


def main(n: int) -> None:
    from storyline.represent import embed

    texts = texts_of(n)
    path = embed.resolve_model("minilm-static", "cpu")
    start = time.process_time()
    table = embed.load_static_table(path)
    assert table is not None
    print(f"numpy table load: {time.process_time() - start:.2f} CPU-s")
    start = time.process_time()
    model = embed.load_model("minilm-static", "cpu")
    print(f"sentence-transformers load (imports torch): {time.process_time() - start:.2f} CPU-s")
    encoder = embed.Encoder("minilm-static", "cpu")
    for cap in (128, 256):
        start = time.process_time()
        a = encoder._encode_table(table, texts, cap)
        mid = time.process_time()
        b = encoder._encode_static(model, embed._static_module(model), texts, cap)
        end = time.process_time()
        differ = int((a != b).any(axis=1).sum())
        print(f"cap {cap}: {len(texts)} texts, {differ} rows differ; numpy {mid - start:.2f} CPU-s,"
              f" torch {end - mid:.2f} CPU-s")
        assert np.array_equal(a, b) or differ


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2858)
