"""Story quality floors on the labelled corpora, through the real pipeline (ingest + build).

Issue 15 acceptance 3: News Story Chains pairwise F1 >= 0.82, WikiRef220
story B³-F1 >= 0.90; acceptance 1: the five seeds are one story of two events.
Each corpus is built once per module by the same evaluation functions
``storyline eval`` prints, so the floors and the table cannot disagree.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import shared_data
from storyline.evaluate.events_eval import EvalContext


@pytest.fixture(scope="module")
def nsc_rows():
    from storyline.evaluate.stories_eval import eval_nsc

    shared_data("news_story_chains")
    return {(r.task, r.method): r for r in eval_nsc(EvalContext())}


@pytest.fixture(scope="module")
def wiki_rows():
    from storyline.evaluate.stories_eval import eval_wikiref

    shared_data("wikiref220")
    return {(r.task, r.method): r for r in eval_wikiref(EvalContext())}


@pytest.fixture(scope="module")
def newsdev_rows():
    from storyline.evaluate.stories_eval import eval_newsdev_stories

    shared_data("newsdev")
    return {(r.task, r.method): r for r in eval_newsdev_stories(EvalContext())}


@pytest.fixture(scope="module")
def t17_rows():
    from storyline.evaluate.stories_eval import eval_t17_stories

    shared_data("t17")
    return {(r.task, r.method): r for r in eval_t17_stories(EvalContext())}


@pytest.mark.shared
@pytest.mark.slow
def test_t17_story_separation_floor(t17_rows) -> None:
    """All five Timeline17 topics in one corpus: a regression floor, not issue 15's 0.95, which is NOT met.

    0.924 (P 0.968, R 0.884, 65 stories for 5 topics) with hosts of >= 20 articles (BENCHMARKS.md, "Stories,
    seventh session"); 0.923 (67 stories) since a small story goes into the large one it is no
    weaker a member of than that story's weakest member, names weigh 1.5x and closeness is 0.6 (BENCHMARKS.md,
    "Stories, sixth session"); 0.844 (269 stories) before; 0.539 (470 stories) with the old pairwise
    linker. Beside it the TF-IDF oracle (0.816) and BERTopic's defaults (0.844).
    """
    ours = t17_rows[("stories", "storyline (default)")]
    print(f"t17 stories B3 P={ours.precision} R={ours.recall} F1={ours.f1} clusters={ours.clusters}")
    assert ours.f1 >= 0.90
    assert 0.0 < t17_rows[("stories", "TF-IDF + agglomerative (oracle)")].f1 <= 1.0


@pytest.mark.shared
@pytest.mark.slow
def test_newsdev_story_b3_floor(newsdev_rows) -> None:
    """A regression floor under today's level, not issue 15's target of 0.95, which is NOT met.

    0.899 (P 0.903, R 0.895) with the fifth session's candidate lookup and background (BENCHMARKS.md,
    "Stories, fifth session"); 0.887-0.891 with the relative-closeness merge before it; 0.890 with the
    previous pairwise linker, which left Timeline17 at 0.539 and News Story Chains at 0.724.
    """
    ours = newsdev_rows[("stories", "storyline (default)")]
    print(f"newsdev stories B3 P={ours.precision} R={ours.recall} F1={ours.f1}")
    assert ours.f1 >= 0.88
    for method in ("TF-IDF + agglomerative (oracle)", "BERTopic (defaults)"):
        assert 0.0 < newsdev_rows[("stories", method)].f1 <= 1.0


@pytest.mark.shared
@pytest.mark.slow
def test_news_story_chains_pairwise_f1_floor(nsc_rows) -> None:
    """Issue 15's floor: pairwise F1 >= 0.82 (measured 0.863, P 0.759, R 1.000, with the CPU default).

    The relative-closeness merge lifted it from 0.724: stories of this corpus are tight chains of a few
    articles, so two of them are never as close to each other as each is to itself.
    """
    ours = nsc_rows[("stories", "storyline (default)")]
    events = nsc_rows[("events", "storyline (default)")]
    print(f"NSC stories pairwise P={ours.precision} R={ours.recall} F1={ours.f1} (events F1={events.f1})")
    assert ours.f1 >= 0.82


@pytest.mark.shared
@pytest.mark.slow
def test_wikiref220_story_b3_floor(wiki_rows) -> None:
    ours = wiki_rows[("stories", "storyline (default)")]
    print(f"WikiRef220 stories B3 P={ours.precision} R={ours.recall} F1={ours.f1}")
    assert ours.f1 >= 0.90, "issue 15's floor (measured 0.914)"


@pytest.mark.shared
@pytest.mark.slow
def test_each_corpus_has_its_oracle_baseline_beside_ours(nsc_rows, wiki_rows) -> None:
    for rows in (nsc_rows, wiki_rows):
        base = rows[("stories", "TF-IDF + agglomerative (oracle)")]
        assert 0.0 < base.f1 <= 1.0 and "picked on gold" in base.note


def test_seeds_are_one_story_of_two_events(seeds_db: Path) -> None:
    conn = sqlite3.connect(seeds_db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT id, event_id, story_id FROM articles ORDER BY id").fetchall()
    assert len(rows) == 5
    assert len({r["story_id"] for r in rows}) == 1
    assert len({r["event_id"] for r in rows}) == 2
    story = conn.execute("SELECT * FROM stories").fetchone()
    assert story["n_events"] == 2
    assert story["start"][:4] == "2021" and story["end"][:4] == "2023"
    names = json.loads(story["entities"])
    assert {"Pakistan", "Russia"} <= set(names), names   # the pair of countries the story is about
    events = conn.execute("SELECT story_id FROM events").fetchall()
    assert {e["story_id"] for e in events} == {story["id"]}
