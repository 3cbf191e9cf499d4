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


def test_summarize_before_understand_is_a_stage_order_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    seeds = tmp_path / "in"
    seeds.mkdir()
    body = " ".join(f"The river flooded street number {i} of the old town centre on Tuesday, officials said."
                    for i in range(12))
    (seeds / "a.txt").write_text("A flood in the old town\n\n" + body + "\n")
    db = tmp_path / "x.db"
    base = [sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q"]
    assert subprocess.run(base + ["ingest", str(seeds)], capture_output=True).returncode == 0
    out = subprocess.run(base + ["build", "--only", "summarize"], capture_output=True, text=True)
    assert out.returncode == 1 and "understand" in out.stderr and "Traceback" not in out.stderr
