"""The MiniLM encoder: the pipelined (GPU) feeding path gives the plain path's vectors, in input order."""
from __future__ import annotations

import numpy as np
import pytest

from storyline.represent.embed import MINILM, Encoder, get_encoder

TEXTS = [
    "Russia's foreign minister arrived in Islamabad on Tuesday for talks.",
    "An earthquake of magnitude 6.1 struck the coast early on Sunday, officials said.",
    "The central bank raised interest rates by a quarter point.",
    "Police arrested two men after a shooting outside a nightclub.",
    "Short.",
    "A much longer paragraph about a trade agreement signed between two neighbouring countries, "
    "which officials said would lower tariffs on grain, steel and machinery over five years. " * 3,
    "",
    "Quarter-final tickets sold out within minutes of going on sale.",
]


@pytest.fixture(scope="module")
def plain() -> Encoder:
    return get_encoder(MINILM, "cpu", 64, 128)


def test_plain_vectors_are_unit_float32(plain: Encoder) -> None:
    vecs = plain.encode(TEXTS)
    assert vecs.dtype == np.float32 and vecs.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_pipelined_path_matches_plain_path_in_order(plain: Encoder) -> None:
    piped = Encoder(MINILM, device="cpu", max_length=128, pipelined=True, gpu_batch_size=3, tokenizer_threads=2)
    piped._st = plain._load()  # same weights, loaded once
    a, b = plain.encode(TEXTS), piped.encode(TEXTS)
    cosine = (a * b).sum(axis=1)
    assert cosine.min() > 0.9999
    # order kept although batches are length-sorted: each row is nearest to its own plain row
    assert (np.argmax(b @ a.T, axis=1) == np.arange(len(TEXTS))).all()


def test_pipelined_is_off_on_cpu_and_empty_input_is_empty() -> None:
    enc = Encoder(MINILM, device="cpu")
    assert enc._use_pipeline() is False
    assert Encoder(device="cuda")._use_pipeline() is True
    assert enc.encode([]).shape == (0, 384)


def test_fast_tokenizer_gives_the_models_own_features(plain: Encoder) -> None:
    from storyline.represent.embed import _batch_tokenizer

    st = plain._load()
    texts = [t[:300] for t in TEXTS]
    ours = _batch_tokenizer(st, texts, pin=False)(np.arange(len(texts)))
    prepare = getattr(st, "preprocess", None) or st.tokenize
    theirs = prepare(texts)
    for key in ("input_ids", "attention_mask"):
        assert ours[key].tolist() == theirs[key].tolist()


def test_tokenizer_processes_give_the_same_vectors(plain: Encoder) -> None:
    piped = Encoder(MINILM, device="cpu", max_length=128, pipelined=True, gpu_batch_size=4, tokenizer_threads=2,
                    tokenizer_processes=2)
    piped._st = plain._load()
    cosine = (plain.encode(TEXTS) * piped.encode(TEXTS)).sum(axis=1)
    assert cosine.min() > 0.9999
