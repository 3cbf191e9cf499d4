"""Quality floor: entity resolution on ECB+ cross-document entity chains (gold mention spans)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_data

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "entities_ecbplus.py"



@pytest.mark.shared
def test_resolver_beats_exact_match_and_keeps_its_floor() -> None:
    root = shared_data("ecbplus") / "ECB+"
    spec = importlib.util.spec_from_file_location("entities_ecbplus", BENCH)
    bench = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = bench          # dataclasses look their module up there
    spec.loader.exec_module(bench)
    from storyline.evaluate.coref_metrics import conll

    keep = bench.annotated_sentences()
    topics = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    mentions = [m for t in topics for f in sorted(t.glob("*.xml")) for m in bench.read_document(f, keep)
                if bench.is_named(m.text)]
    gold = {m.key: m.chain for m in mentions}
    ours = conll(bench.resolve(mentions, True), gold)
    base = conll(bench.exact_match(mentions), gold)
    # measured 2026-11-27: B3 F1 0.862, CoNLL 0.824 (baseline 0.733 / 0.729); B3 floor = issue 10's target
    assert ours["b3"]["f1"] >= 0.86 and ours["conll_f1"]["f1"] >= 0.80
    assert ours["conll_f1"]["f1"] >= base["conll_f1"]["f1"] + 0.04
