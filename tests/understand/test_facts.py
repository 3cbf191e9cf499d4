"""Values normalisation and fact alignment across outlets."""
from __future__ import annotations

import datetime as dt

import numpy as np

from storyline.understand.facts import EventSentence, FactAligner
from storyline.understand.values import compare_values, extract_values

D = dt.date(2021, 4, 7)


def test_years_ago_and_since_year_normalise_to_the_same_year() -> None:
    assert ("year", "", 2012.0) in extract_values("the first visit in nine years", D)
    assert ("year", "", 2012.0) in extract_values("the first minister to visit since 2012", D)
    assert ("year", "", 2012.0) in extract_values("after a gap of 9 years", D)
    assert ("year", "", 2016.0) in extract_values("it happened five years ago", D)
    assert ("percent", "", 46.0) in extract_values("a 46 per cent increase in trade", D)
    assert ("count", "day", 2.0) in extract_values("a two-day visit", D)
    assert ("money", "", 3e9) in extract_values("a $3 billion deal", D)


def test_compare_values_agrees_and_disagrees_by_kind() -> None:
    agree, disagree = compare_values({"A": {("year", "", 2012.0)}, "B": {("year", "", 2012.0)},
                                      "C": {("percent", "", 46.0)}})
    assert [a["kind"] for a in agree] == ["year"] and not disagree
    agree, disagree = compare_values({"A": {("count", "people", 12.0)}, "B": {("count", "people", 15.0)}})
    assert disagree and disagree[0]["values"] == {"A": 12, "B": 15} and not agree


def _sent(article: str, text: str, start: int = 0) -> EventSentence:
    return EventSentence(article, "outlet-" + article, text, D, start, start + len(text))


def test_alignment_groups_paraphrases_marks_single_outlet_and_disagreement() -> None:
    sents = [
        _sent("a", "The earthquake killed 12 people in the northern province on Sunday."),
        _sent("b", "Twelve people were killed by the earthquake in the northern province on Sunday.", 0),
        _sent("c", "The quake in the northern province on Sunday killed 15 people, officials said."),
        _sent("a", "Rescue teams searched collapsed buildings through the night with dogs.", 100),
        _sent("b", "The central bank left its interest rate unchanged at 4 per cent this month.", 200),
    ]
    facts = FactAligner().align("E", sents)
    big = max(facts, key=lambda f: len(f.outlets))
    assert big.outlets == ["outlet-a", "outlet-b", "outlet-c"] and not big.single_outlet
    assert any(d["kind"] == "count" and set(d["values"].values()) == {12, 15} for d in big.disagreement)
    singles = [f for f in facts if f.single_outlet]
    assert {f.text[:10] for f in singles} == {"Rescue tea", "The centra"}


def test_alignment_with_given_vectors_needs_mutual_best_matches() -> None:
    sents = [_sent("a", "one two three four five six seven."), _sent("b", "alpha beta gamma delta epsilon zeta eta."),
             _sent("b", "uno dos tres cuatro cinco seis siete.", 50)]
    vectors = np.eye(3, dtype=np.float32)
    vectors[1] = vectors[0]                 # a and the first b sentence are the same fact
    facts = FactAligner().align("E", sents, vectors)
    assert sorted(len(f.sentences) for f in facts) == [1, 2]


def test_name_disagreement_needs_near_identical_sentences() -> None:
    from storyline.understand.facts import _name_disagreements

    a = EventSentence("a", "A", "The new coach of the national team is Jan Berg, the federation said.", D,
                      persons=frozenset({"berg"}))
    b = EventSentence("b", "B", "The new coach of the national team is Ole Lund, the federation said.", D,
                      persons=frozenset({"lund"}))
    c = EventSentence("c", "C", "Lund praised the players after a long training session on Monday.", D,
                      persons=frozenset({"lund"}))
    assert _name_disagreements([a, b])[0]["values"] == {"A": "berg", "B": "lund"}
    assert _name_disagreements([a, c]) == []


def test_day_words_must_match_for_two_sentences_to_report_one_fact() -> None:
    from storyline.understand.values import day_spans, same_days

    wed = dt.date(2021, 4, 7)                 # a Wednesday
    tuesday = day_spans("The ship arrived here Tuesday, port officials said.", wed)
    assert same_days(tuesday, day_spans("The vessel arrived yesterday, officials said.", wed))
    assert same_days(tuesday, day_spans("It docked on Tuesday.", dt.date(2021, 4, 10)))   # same Tuesday, later story
    assert not same_days(tuesday, day_spans("The ship is due next week, officials said.", wed))
    assert not same_days(tuesday, day_spans("The ship arrived here, port officials said.", wed))
    sents = [
        _sent("a", "The cargo ship arrived here on Tuesday, port officials said."),
        _sent("b", "The cargo ship arrived here Tuesday, port officials said."),
        _sent("c", "The cargo ship is due here next week, port officials said."),
    ]
    facts = FactAligner().align("E", sents)
    arrived = next(f for f in facts if "on Tuesday" in f.text or "here Tuesday" in f.text)
    assert arrived.outlets == ["outlet-a", "outlet-b"]
    assert all("outlet-c" not in f.outlets or f.single_outlet for f in facts)


def test_counted_units_are_nouns_not_adjectives_or_names() -> None:
    assert ("count", "diplomat", 2.0) in extract_values("Two Russian diplomats were expelled.", D)
    assert ("count", "people killed", 3.0) in extract_values("Three more people died on Sunday.", D)
    # what happened to them is part of the unit: six shot and two killed are no disagreement
    assert extract_values("Six people were shot in Gary.", D) == {("count", "people shot", 6.0)}
    assert ("count", "people killed", 12.0) in extract_values("The earthquake killed 12 people.", D)
    assert not any(v[0] == "count" for v in extract_values("the COVID-19 pandemic spread", D))


def test_each_encoder_links_at_the_threshold_fitted_on_the_labelled_pairs() -> None:
    """THRESHOLDS are what `benchmarks/facts_threshold.py fit` gives on tests/understand/facts_pairs.jsonl:
    the threshold maximising the mean F1 of the two corpora, within a grid step."""
    import json
    import sys
    from pathlib import Path

    from storyline.understand.facts import THRESHOLDS

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "benchmarks"))
    from facts_threshold import GRID, f1_at

    pairs = [json.loads(line) for line in (Path(__file__).parent / "facts_pairs.jsonl").open(encoding="utf-8")]
    corpora = sorted({p["corpus"] for p in pairs})
    assert corpora == ["gva", "newsdev"] and len(pairs) >= 150
    for model in ("minilm-static", "all-MiniLM-L6-v2"):
        def mean_f1(t: float, model: str = model) -> float:
            return float(np.mean([f1_at([p for p in pairs if p["corpus"] == c], model, t)[2] for c in corpora]))
        best = max(GRID, key=lambda t: (round(mean_f1(t), 6), -t))
        assert abs(THRESHOLDS[model] - best) <= 0.011, (model, best)
        assert mean_f1(THRESHOLDS[model]) >= 0.85
    aligner = FactAligner()
    aligner.model = "all-MiniLM-L6-v2"
    assert aligner.link_threshold() == THRESHOLDS["all-MiniLM-L6-v2"]
    aligner.model = "minilm-static"
    assert aligner.link_threshold() == THRESHOLDS["minilm-static"]
    assert FactAligner(threshold=0.7).link_threshold() == 0.7


def test_addresses_calibres_and_thousands_are_no_figures_to_disagree_on() -> None:
    a = extract_values("It happened in the 8500 block of Pacific Shores Drive.", D)
    b = extract_values("It happened in the 5800 block of Pacific Shores Drive.", D)
    assert compare_values({"A": a, "B": b}) == ([], [])
    assert extract_values("She was held on $310,000 bail.", D) == {("money", "", 310000.0)}
    assert extract_values("He was held on a $2-million bond.", D) == {("money", "", 2e6)}
    assert not any(v[0] == "count" for v in extract_values("a .44 caliber revolver", D))


def test_values_found_where_a_pattern_matches_inside_a_word_or_in_capitals() -> None:
    # the pre-checks that skip patterns must not skip these: "one per cent" inside "someone", capitals,
    # "a dozen", a non-ASCII digit
    assert extract_values("someone per cent of it", D) == {("percent", "", 1.0)}
    assert extract_values("SIX people were shot", D) == {("count", "people shot", 6.0)}
    assert extract_values("a dozen men were arrested", D) == {("count", "men arrested", 12.0)}
    assert extract_values("\u0663 people killed", D) == {("count", "people killed", 3.0)}
    assert extract_values("Police said the man fled on foot.", D) == set()


def test_pair_matrices_equal_the_pairwise_functions() -> None:
    from storyline.understand.facts import jaccard, jaccard_matrix, same_days_matrix
    from storyline.understand.values import day_spans, same_days

    texts = ["The boat arrived on Tuesday with 40 people.", "It arrived Tuesday.", "Due next week, they said.",
             "No day here at all.", "", "Forty people arrived yesterday on the boat."]
    words = [set(t.lower().split()) for t in texts]
    expected = np.array([[jaccard(a, b) for b in words] for a in words])
    assert np.array_equal(jaccard_matrix(words), expected)
    days = [day_spans(t, D) for t in texts]
    assert np.array_equal(same_days_matrix(days), np.array([[same_days(a, b) for b in days] for a in days]))
