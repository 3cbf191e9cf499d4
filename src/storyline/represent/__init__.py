"""Representations of articles: sentence embeddings (and, in events, TF-IDF)."""
from .embed import Encoder, default_model_path, get_encoder

__all__ = ["Encoder", "get_encoder", "default_model_path"]
