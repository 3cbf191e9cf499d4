"""Coreference metrics against worked examples."""
from __future__ import annotations

import pytest

from storyline.evaluate.coref_metrics import ceaf_e, conll, muc


def test_perfect_prediction_scores_one() -> None:
    gold = {1: "a", 2: "a", 3: "b", 4: "c"}
    scores = conll(gold, gold)
    assert scores["conll_f1"]["f1"] == 1.0


def test_muc_worked_example() -> None:
    # Vilain et al.: key {A,B,C,D}, response {A,B},{C,D} → recall 2/3, precision 1
    gold = {"A": 1, "B": 1, "C": 1, "D": 1}
    pred = {"A": 1, "B": 1, "C": 2, "D": 2}
    s = muc(pred, gold)
    assert s.recall == pytest.approx(2 / 3) and s.precision == 1.0


def test_ceaf_e_aligns_chains_one_to_one() -> None:
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    pred = {1: "x", 2: "x", 3: "x", 4: "x"}
    s = ceaf_e(pred, gold)
    # best single alignment: phi4(a, x) = 2*2/(2+4) = 2/3; precision over 1 chain, recall over 2
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(1 / 3)
