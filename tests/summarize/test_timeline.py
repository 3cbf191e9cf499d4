"""Timeline summarization: dates ranked by how many articles refer to them, sentences that say what happened."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from storyline.summarize.timeline import (TimelineArticle, TimelineSummarizer, prepare, story_timeline,
                                          to_timelinejs)

D = dt.date


def _articles() -> list[TimelineArticle]:
    """A small invented story: a blast on 20 April referred to by every later article, a sinking on 22 April."""
    blast = "An explosion on the Deepwater Horizon rig killed 11 workers on April 20."
    return [
        TimelineArticle("a1", D(2010, 4, 21), "An explosion on the Deepwater Horizon rig killed 11 workers "
                        "yesterday. The Coast Guard searched the Gulf of Mexico for the missing crew members."),
        TimelineArticle("a2", D(2010, 4, 23), "The burning Deepwater Horizon rig sank in the Gulf on Thursday. "
                        + blast),
        TimelineArticle("a3", D(2010, 4, 23), "The rig sank into the Gulf of Mexico on April 22 after burning "
                        "for 36 hours. " + blast),
        TimelineArticle("a4", D(2010, 5, 2), "President Obama visited the Louisiana coast today. " + blast
                        + " Oil is leaking from the well at 5,000 barrels a day."),
        TimelineArticle("a5", D(2010, 5, 3), "BP said on Monday its costs had reached 350 million dollars. "
                        + blast),
    ]


def test_dates_referred_to_by_most_articles_come_first() -> None:
    entries = TimelineSummarizer().summarize(_articles(), n_dates=2, n_sentences=1)
    assert [e.date for e in entries] == [D(2010, 4, 20), D(2010, 4, 22)]   # in time order
    assert entries[0].score > entries[1].score


def test_each_date_is_summarised_with_cited_sentences_about_that_day() -> None:
    entries = TimelineSummarizer().summarize(_articles(), n_dates=3, n_sentences=2)
    first = entries[0]
    assert first.date == D(2010, 4, 20)
    assert 1 <= len(first.sentences) <= 2
    assert any("explosion" in s.text.lower() for s in first.sentences)
    ids = {a.id for a in _articles()}
    assert all(s.article_id in ids for e in entries for s in e.sentences)
    texts = [s.text.lower() for s in first.sentences]
    assert len(set(texts)) == len(texts)                    # the repeated blast sentence appears once


def test_span_limits_the_dates_and_json_shape() -> None:
    entries = TimelineSummarizer().summarize(_articles(), n_dates=5, n_sentences=1,
                                             start=D(2010, 4, 21), end=D(2010, 4, 30))
    assert entries and all(D(2010, 4, 21) <= e.date <= D(2010, 4, 30) for e in entries)
    record = entries[0].as_dict()
    assert set(record) == {"date", "sentences"} and set(record["sentences"][0]) == {"text", "article_id"}
    json.dumps(record)


def test_no_articles_gives_an_empty_timeline() -> None:
    assert TimelineSummarizer().summarize([], n_dates=3, n_sentences=1) == []
    assert prepare([]).sentences == []


def test_timelinejs_has_one_event_per_date_with_its_start_date() -> None:
    entries = TimelineSummarizer().summarize(_articles(), n_dates=2, n_sentences=1)
    data = to_timelinejs(entries, "Oil spill <rig>", {"a1": "Reuters"})
    assert data["title"]["text"]["headline"] == "Oil spill &lt;rig&gt;"
    assert [e["start_date"] for e in data["events"]] == [
        {"year": "2010", "month": "4", "day": "20"}, {"year": "2010", "month": "4", "day": "22"}]
    assert all(e["text"]["text"].startswith("<p>") for e in data["events"])


def test_story_timeline_on_the_seeds_db(seeds_db: Path) -> None:
    import storyline
    from storyline.errors import NotFoundError

    sl = storyline.open(seeds_db, readonly=True)
    try:
        entries = story_timeline(sl.db, None, 3, 2)
        assert entries and all(e.sentences for e in entries)
        story = sl.db.scalar("SELECT story_id FROM articles WHERE story_id IS NOT NULL LIMIT 1")
        assert story_timeline(sl.db, story, 2, 1)
        with pytest.raises(NotFoundError):
            story_timeline(sl.db, "no-such-story", 2, 1)
    finally:
        sl.close()


def test_t17_quality_floor() -> None:
    """The acceptance figures of BENCHMARKS.md (Timelines): date F1 >= 0.60 and alignment ROUGE-1 >= 0.12."""
    from tests.conftest import DATA

    if not (DATA / "t17").exists():
        if os.environ.get("STORYLINE_REQUIRE_DATA") == "1":
            pytest.fail("../shared/data/t17 is missing and STORYLINE_REQUIRE_DATA=1")
        pytest.skip("../shared/data/t17 not present")
    if os.environ.get("STORYLINE_SLOW") != "1" and os.environ.get("STORYLINE_REQUIRE_DATA") != "1":
        pytest.skip("takes ~2 minutes: set STORYLINE_SLOW=1 (or STORYLINE_REQUIRE_DATA=1)")
    pytest.importorskip("tilse")
    from storyline.evaluate.tls_eval import evaluate_system, load_t17, mean_scores, storyline_predictor

    scores = evaluate_system(load_t17(), storyline_predictor())
    means = mean_scores(scores)
    assert len(scores) == 11
    assert means["date"] >= 0.60
    assert means["r1"] >= 0.12


def test_alignment_rouge_equals_tilse_many_to_one() -> None:
    """Our faster call (cost matrix once, transposed) gives exactly tilse's align+ m:1 scores."""
    pytest.importorskip("tilse")
    from tilse.data.timelines import GroundTruth, Timeline
    from tilse.evaluation import rouge

    from storyline.evaluate.tls_eval import score_timeline, tokenize

    pred = {D(2010, 4, 20): ["An explosion on the rig killed 11 workers."], D(2010, 4, 23): ["The rig sank."],
            D(2010, 5, 2): ["Obama visited the coast."]}
    gold = {D(2010, 4, 20): ["An explosion aboard the Deepwater Horizon kills 11 workers ."],
            D(2010, 4, 22): ["The Deepwater Horizon sinks to the bottom ."]}
    ours = score_timeline(pred, gold)
    tl = Timeline({d: [tokenize(s).lower() for s in v] for d, v in pred.items()})
    gt = GroundTruth([Timeline({d: [tokenize(s).lower() for s in v] for d, v in gold.items()})])
    ref = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"], rouge_computation="reimpl") \
        .evaluate_align_date_content_costs_many_to_one(tl, gt)
    assert ours.r1_p == pytest.approx(ref["rouge_1"]["precision"])
    assert ours.r1_r == pytest.approx(ref["rouge_1"]["recall"])
    assert ours.r2_p == pytest.approx(ref["rouge_2"]["precision"])
    assert ours.r2_r == pytest.approx(ref["rouge_2"]["recall"])
    assert (ours.date_p, ours.date_r) == (pytest.approx(1 / 3), pytest.approx(1 / 2))
