"""spaCy's bundled pipelines load without torch (thinc imports it when installed, 1.3 CPU-s a process)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("spacy")

TEXT = ("Russian Foreign Minister Sergey Lavrov met Pakistan's Bilawal Bhutto Zardari in Goa on Friday. "
        "\"We are ready to help,\" Lavrov told reporters at the Shanghai Cooperation Organisation meeting.")
CODE = """
import json, sys
from storyline.understand.nlp import load_nlp
from storyline.understand.quotes import load_parser
ents = [(e.start_char, e.end_char, e.label_) for e in load_nlp()(TEXT).ents]
parse = [(t.i, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i) for t in load_parser()(TEXT)]
loaded = "torch" in sys.modules
import torch  # still importable afterwards
print(json.dumps([ents, parse, loaded]))
"""


def test_bundled_pipelines_load_without_torch_and_annotate_the_same() -> None:
    from storyline.understand.nlp import load_nlp
    from storyline.understand.quotes import load_parser

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", f"TEXT = {TEXT!r}" + CODE], capture_output=True, text=True,
                         check=True, env=env)
    ents, parse, loaded = json.loads(out.stdout)
    assert loaded is False
    assert ents == [[e.start_char, e.end_char, e.label_] for e in load_nlp()(TEXT).ents]
    assert parse == [[t.i, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i] for t in load_parser()(TEXT)]
