"""GPU embedding throughput: plain sentence-transformers ``encode`` against our pipelined path.

Builds N news-like paragraphs (default 200k) of at least ``--max-length``
tokens by joining real sentences read from ``--sentences`` (one a line) with
a seeded random generator (speed depends only on token counts), then times

* ``plain``: ``SentenceTransformer.encode`` (batch 32 and 256, fp32 as shipped)
  on the first ``--plain-n`` paragraphs;
* ``ours``: :class:`storyline.represent.embed.Encoder` on CUDA (parallel
  tokenizer threads, length-sorted batches, pinned memory, fp16) on all N;

and prints docs/s for each, plus the cosine between our GPU vectors and the
CPU fp32 vectors of the same paragraphs stored in ``--ref`` (made on a CPU
machine with ``--make-ref``: the CPU path exactly as it runs without a GPU).

    python benchmarks/gpu_embed.py --make-ref --model MODEL --sentences S --ref R.npz  # CPU
    python benchmarks/gpu_embed.py --model MODEL --sentences S --ref R.npz --n 200000  # GPU
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.represent.embed import Encoder  # noqa: E402

REF_SIZE = 256


def make_paragraphs(sentences: list[str], n: int, min_chars: int, seed: int = 7) -> list[str]:
    """``n`` paragraphs of random real sentences, each at least ``min_chars`` long."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[str] = []
        size = 0
        while size < min_chars:
            s = sentences[rng.randrange(len(sentences))]
            parts.append(s)
            size += len(s) + 1
        out.append(" ".join(parts))
    return out


def load_sentences(path: str) -> list[str]:
    """Non-empty lines of a text file."""
    return [ln.strip() for ln in Path(path).read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 20]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Wall seconds of one call (CUDA synchronized) and its result."""
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - t0, result


def time_plain(model: str, texts: list[str], max_length: int) -> None:
    """docs/s of sentence-transformers' own ``encode`` (fp32 and fp16, two batch sizes)."""
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(model, device="cuda").float()  # fp32, as plain encode ships
    st.max_seq_length = max_length
    st.encode(texts[:512], batch_size=32)
    for half in (False, True):
        if half:
            st.half()
        for bs in (32, 256):
            secs, _ = timed(st.encode, texts, batch_size=bs, convert_to_numpy=True, normalize_embeddings=True)
            print(f"plain encode {'fp16' if half else 'fp32'} batch {bs}: {len(texts)} docs in {secs:.1f}s = "
                  f"{len(texts) / secs:,.0f} docs/s")
    del st
    torch.cuda.empty_cache()


def time_model_only(model: str, texts: list[str], max_length: int, batch: int) -> None:
    """docs/s of the fp16 forward pass alone, on batches tokenized and moved to the GPU beforehand."""
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(model, device="cuda").half()
    st.max_seq_length = max_length
    prepare = getattr(st, "preprocess", None) or st.tokenize
    feats = []
    for i in range(0, len(texts), batch):
        f = prepare(texts[i:i + batch])
        feats.append({k: (v.cuda() if hasattr(v, "cuda") else v) for k, v in f.items()})
    with torch.inference_mode():
        st(feats[0])
        secs, _ = timed(lambda: [st(f)["sentence_embedding"] for f in feats])
    print(f"model only (fp16 forward, batch {batch}): {len(texts)} docs in {secs:.2f}s = "
          f"{len(texts) / secs:,.0f} docs/s")
    st = None  # drop the model so empty_cache() can free its memory
    torch.cuda.empty_cache()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="sentence-transformers model folder")
    ap.add_argument("--sentences", required=True, help="text file, one real sentence a line")
    ap.add_argument("--ref", required=True, help=".npz of CPU fp32 vectors of the first paragraphs")
    ap.add_argument("--make-ref", action="store_true", help="write --ref on this (CPU) machine and stop")
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--plain-n", type=int, default=20_000)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--processes", type=int, default=None, help="tokenizer processes (default: cores - 2, at most 12)")
    ap.add_argument("--skip-plain", action="store_true", help="time only our path")
    args = ap.parse_args()

    sentences = load_sentences(args.sentences)
    # These (tokenized ECB+) sentences run ~4.7 characters a token: 5 characters a
    # token gives paragraphs of ~270 tokens, filling the 256-token window.
    min_chars = args.max_length * 5
    if args.make_ref:
        texts = make_paragraphs(sentences, REF_SIZE, min_chars)
        vecs = Encoder(args.model, device="cpu", max_length=args.max_length).encode(texts)
        np.savez_compressed(args.ref, vectors=vecs)
        print(f"wrote {args.ref}: {vecs.shape} CPU fp32 vectors")
        return

    import torch
    from sentence_transformers import SentenceTransformer

    torch.backends.cuda.matmul.allow_tf32 = False
    print(f"device: {torch.cuda.get_device_name(0)}; torch {torch.__version__}; cpus {os.cpu_count()}")
    texts = make_paragraphs(sentences, args.n, min_chars)
    ref = np.load(args.ref)["vectors"]
    tok = SentenceTransformer(args.model, device="cpu").tokenizer
    lengths = [len(x) for x in tok(texts[:2000], truncation=True, max_length=args.max_length)["input_ids"]]
    print(f"paragraphs: {len(texts)}, mean chars {np.mean([len(t) for t in texts[:2000]]):.0f}, "
          f"tokens (first 2000) mean {np.mean(lengths):.1f} min {min(lengths)}")

    if not args.skip_plain:
        time_plain(args.model, texts[: args.plain_n], args.max_length)

    time_model_only(args.model, texts[:20_000], args.max_length, args.batch)
    enc = Encoder(args.model, device="cuda", max_length=args.max_length, gpu_batch_size=args.batch,
                  tokenizer_threads=args.threads, tokenizer_processes=args.processes)
    enc.encode(texts[:4096])  # load and warm up
    secs, vecs = timed(enc.encode, texts)
    print(f"ours (pipelined, fp16, batch {args.batch}, processes {args.processes}, threads {args.threads}): "
          f"{len(texts)} docs in {secs:.1f}s = "
          f"{len(texts) / secs:,.0f} docs/s")
    cos = (vecs[:REF_SIZE] * ref).sum(axis=1)
    print(f"cosine GPU fp16 vs CPU fp32 over {REF_SIZE} paragraphs: min {cos.min():.5f} mean {cos.mean():.5f}")
    norms = np.linalg.norm(vecs, axis=1)
    print(f"norms: min {norms.min():.4f} max {norms.max():.4f}; peak GPU memory "
          f"{torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
