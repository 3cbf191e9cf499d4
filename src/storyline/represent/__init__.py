"""Representations of articles: sentence embeddings (and, in events, TF-IDF)."""
from .embed import Encoder, choose_model, default_model_path, get_encoder, model_fingerprint

__all__ = ["Encoder", "get_encoder", "default_model_path", "choose_model", "model_fingerprint"]
