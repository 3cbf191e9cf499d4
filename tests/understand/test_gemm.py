"""spaCy runs its matrix products in numpy's BLAS (thinc's BLIS wheel runs a generic kernel) with the same output."""
from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("spacy")

TEXT = ("Russian Foreign Minister Sergey Lavrov met Pakistan's Bilawal Bhutto Zardari in Goa on Friday. "
        "\"We are ready to help,\" Lavrov told reporters at the Shanghai Cooperation Organisation meeting.")


def _backend(nlp: Any, blis: bool) -> None:
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=blis)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops


@pytest.mark.parametrize("loader", ["ner", "parser"])
def test_numpy_gemm_gives_the_same_annotations(loader: str) -> None:
    from storyline.understand.nlp import load_nlp
    from storyline.understand.quotes import load_parser

    nlp = load_nlp() if loader == "ner" else load_parser()
    assert all(not getattr(node.ops, "use_blis", False) for _, c in nlp.components
               if getattr(c, "model", None) is not None for node in c.model.walk())

    def read(doc: Any) -> tuple[list[Any], list[Any]]:
        return ([(e.start_char, e.end_char, e.label_) for e in doc.ents],
                [(t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i) for t in doc])

    numpy_out = read(nlp(TEXT))
    try:
        _backend(nlp, blis=True)
        assert read(nlp(TEXT)) == numpy_out
    finally:
        _backend(nlp, blis=False)
