"""Hashed words and named phrases: stable across processes, cheap, phrase-aware."""
from __future__ import annotations

import numpy as np

from storyline.events.features import (ArticleFeaturizer, document_frequency, idf_weights, named_phrases, stem,
                                       term_column, weigh, words)


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


def test_name_mask_marks_the_words_of_named_phrases_only() -> None:
    f = ArticleFeaturizer(n_features=2**12)
    rows, names = f.transform_with_names(["Police said Lindsay Lohan left the court in Los Angeles."])
    marked = set(names.indices.tolist())
    assert marked <= set(rows.indices.tolist())
    for word in words("Lindsay Lohan Los Angeles"):
        assert term_column(word, 2**12) in marked
    for word in words("court left"):
        assert term_column(word, 2**12) not in marked


def test_names_compare_word_by_word_so_a_surname_matches_the_full_name() -> None:
    from storyline.events.clusterer import _name_gate, _names_only

    f = ArticleFeaturizer(n_features=2**12)
    texts = ["Lindsay Lohan was sentenced in Los Angeles.",
             "The judge told Lohan to report to jail on Friday.",
             "Paris Hilton was sentenced in Las Vegas.",
             "the judge told her to report to jail on friday."]
    rows, masks = f.transform_with_names(texts)
    words = weigh(rows, np.ones(2**12, dtype=np.float32))
    gate = _name_gate(_names_only(words, masks), np.arange(4), floor=0.1)
    assert gate[0, 1] == 1.0          # "Lohan" and "Lindsay Lohan": the same person
    assert gate[0, 2] < 0.5           # other names: the embedding's likeness barely counts
    assert gate[2, 3] == gate[3, 2] == 1.0   # no names on one side: nothing known, counts in full
