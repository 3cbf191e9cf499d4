"""EventSummarizer: verbatim cited sentences, no near-duplicates, spread over sources."""
from __future__ import annotations

import numpy as np
import pytest

from storyline.summarize import EventSummarizer
from storyline.understand.facts import EventSentence


def _event() -> tuple[list[EventSentence], np.ndarray]:
    texts = [("a", "The flood reached the old town centre on Tuesday morning."),
             ("b", "The flood reached the old town centre on Tuesday morning."),     # syndicated copy
             ("a", "Two bridges over the river were closed by the police."),
             ("b", "Schools in the region will stay shut until Friday."),
             ("c", "The mayor asked residents to leave the lower streets."),
             ("c", "Comments are closed."),
             ("a", "Water levels are expected to fall by the weekend, forecasters said.")]
    sents = [EventSentence(a, "o-" + a, t, None, i * 100, i * 100 + len(t)) for i, (a, t) in enumerate(texts)]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(texts), 16)).astype(np.float32)
    vectors[1] = vectors[0]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return sents, vectors


def test_summary_sentences_are_verbatim_cited_and_not_duplicates() -> None:
    sents, vectors = _event()
    summarizer = EventSummarizer()
    cands = summarizer.candidates(sents, {})
    keep = [sents.index(c.sentence) for c in cands]
    summary = summarizer.summarize(sents, {}, vectors[keep])
    assert 3 <= len(summary) <= 5
    by_text = {(s.article_id, s.text) for s in sents}
    assert all((s.article_id, s.text) in by_text for s in summary)
    texts = [s.text for s in summary]
    assert len(set(texts)) == len(texts)
    assert "Comments are closed." not in texts
    assert len({s.article_id for s in summary}) == 3


def test_bad_lengths_are_rejected() -> None:
    with pytest.raises(ValueError):
        EventSummarizer(min_sentences=4, max_sentences=2)
