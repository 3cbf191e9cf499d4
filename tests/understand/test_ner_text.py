"""NER reads every sentence that can hold a name, and the words around it (issue 11)."""
from __future__ import annotations

import pytest

from storyline.understand.nlp import CONTEXT_WORDS, blank_plain_sentences

LEAD = "Police said Maria Lopez, 34, was shot on Main Street."
PLAIN = ("The man was taken to a local hospital where he was listed in stable condition on the night of "
         "the shooting and later released.")
PLAIN2 = "It was not clear what led to the shooting or whether anyone else had been hurt in the attack."


def test_plain_runs_are_blanked_inside_only_and_offsets_hold() -> None:
    text = f"{LEAD} {PLAIN} {PLAIN2}\nOfficer Dan Reyes of the Chicago Police Department asked for tips."
    out = blank_plain_sentences(text)
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    assert out.startswith(LEAD) and out.endswith("asked for tips.")        # named sentences read whole
    head, tail = PLAIN.split()[:CONTEXT_WORDS], PLAIN2.split()[-CONTEXT_WORDS:]
    assert out[len(LEAD) + 1:].startswith(" ".join(head) + " ")            # context kept around the run
    assert out.split("\n")[0].rstrip().endswith(" ".join(tail))
    assert "hospital" not in out and "whether" not in out                 # its inside is blank


@pytest.mark.parametrize("text", [LEAD, f"{LEAD} Smith said the 3 men fled.", "Short. Plain."])
def test_text_without_a_long_plain_run_is_unchanged(text: str) -> None:
    assert blank_plain_sentences(text) == text


def test_a_run_at_the_start_or_end_keeps_context_only_on_its_inner_side() -> None:
    out = blank_plain_sentences(f"{PLAIN} {LEAD}")
    assert out.lstrip().startswith(" ".join(PLAIN.split()[-CONTEXT_WORDS:])) and out.startswith(" ")
    out = blank_plain_sentences(f"{LEAD} {PLAIN}")
    assert out.rstrip() == f"{LEAD} {' '.join(PLAIN.split()[:CONTEXT_WORDS])}"
