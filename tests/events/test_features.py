"""Hashed words and named phrases: stable across processes, cheap, phrase-aware."""
from __future__ import annotations

import numpy as np

from storyline.events.features import ArticleFeaturizer, document_frequency, idf_weights, named_phrases, stem, weigh


def test_named_phrases_keep_multiword_names_and_drop_sentence_initial_words() -> None:
    text = "Police said Foreign Minister Shah Mahmood Qureshi met Sergey Lavrov.\nISLAMABAD: Bank of the West closed."
    phrases = named_phrases(text)
    assert "foreign minister shah mahmood qureshi" in phrases
    assert "sergey lavrov" in phrases and "bank of the west" in phrases
    assert "police" not in phrases


def test_stemming_merges_plurals_and_tenses_only() -> None:
    assert stem("earthquakes") == stem("earthquake") == "earthquake"
    assert stem("killed") == "kill" and stem("news") == "news"


def test_hashing_is_stable_and_idf_weights_rare_terms_more() -> None:
    f = ArticleFeaturizer(n_features=2**12)
    rows = f.transform(["Earthquake hits Lima", "Earthquake hits Quito", "Earthquake hits Lima again"])
    again = f.transform(["Earthquake hits Lima"])
    assert (rows[0] != again[0]).nnz == 0
    df = document_frequency(rows, f.n_features)
    idf = idf_weights(df, 3)
    weighted = weigh(rows, idf)
    assert np.allclose(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel(), 1.0, atol=1e-5)
    sims = (weighted @ weighted.T).toarray()
    assert sims[0, 2] > sims[0, 1]
