"""The static (model2vec) encoder: offline, normalised, meaningful, the CPU default, made once."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import numpy as np
import pytest

from storyline.represent import embed, static
from storyline.represent.embed import MINILM, Encoder, choose_model, get_encoder, model_fingerprint

SIMILAR = ("Russia's foreign minister arrived in Islamabad on Tuesday for talks with Pakistani officials.",
           "The Russian foreign minister landed in Pakistan's capital for two days of talks.")
UNRELATED = "The central bank raised interest rates by a quarter point to curb inflation."


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return get_encoder("minilm-static", "cpu", 64, 128)


def test_static_model_loads_offline_through_static_embedding(no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    path = static.ensure_static_model()          # made by `make` (or here, once, offline)
    monkeypatch.setattr(embed, "_LOADED", {})    # force a fresh load with the network refused
    st = embed.load_model("minilm-static", "cpu")
    assert type(st[0]).__name__ == "StaticEmbedding"
    assert embed.resolve_model("minilm-static", "cpu") == str(path)


def test_vectors_are_unit_float32_of_the_recipe_dimension(encoder: Encoder) -> None:
    vecs = encoder.encode([*SIMILAR, UNRELATED, "Short.", "", "zzzqqq"])
    assert vecs.dtype == np.float32 and vecs.shape == (6, static.PCA_DIMS)
    norms = np.linalg.norm(vecs, axis=1)
    assert np.allclose(norms[:4], 1.0, atol=1e-4)
    assert np.isfinite(vecs).all()               # an empty text gives a zero row, not NaN
    assert encoder.encode([]).shape == (0, static.PCA_DIMS)


def test_similar_sentences_score_higher_than_unrelated(encoder: Encoder) -> None:
    a, b, c = encoder.encode([*SIMILAR, UNRELATED])
    assert float(a @ b) > float(a @ c) + 0.1
    assert float(a @ b) > float(b @ c) + 0.1


def test_auto_is_static_on_cpu_and_minilm_on_cuda() -> None:
    assert choose_model("auto", "cpu") == "minilm-static"
    assert choose_model(None, "cpu") == "minilm-static"
    assert choose_model("auto", "cuda") == MINILM
    assert choose_model(MINILM, "cpu") == MINILM          # named explicitly, kept
    assert Encoder(device="cpu").static and not Encoder(MINILM, device="cpu").static
    assert Encoder(device="cpu")._use_pipeline() is False


def test_one_model_per_process_whatever_the_token_cap(encoder: Encoder) -> None:
    short = get_encoder("minilm-static", "cpu", 64, 8)
    assert short._load() is encoder._load()
    text = "The earthquake struck the coast at dawn. " + "Markets, football and weather filled the rest. " * 40
    a, b = short.encode([text]), encoder.encode([text])
    assert float((a * b).sum()) < 0.99                     # the cap is applied per encoder...
    assert np.allclose(encoder.encode([text], max_length=8), a, atol=1e-6)   # ...or per call


def test_making_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    first = static.ensure_static_model()
    done = first / "storyline-static.json"
    stamp = done.stat().st_mtime_ns

    def must_not_run(*args: object, **kwargs: object) -> float:
        raise AssertionError("distilled again although cached")
    monkeypatch.setattr(static, "distill_to", must_not_run)
    assert static.ensure_static_model() == first
    assert done.stat().st_mtime_ns == stamp


def test_fingerprints_name_the_model_without_loading_it() -> None:
    fp_static, fp_minilm = model_fingerprint("auto", "cpu"), model_fingerprint(MINILM)
    assert fp_static.startswith("minilm-static-256:") and fp_minilm.startswith(MINILM)
    assert fp_static != fp_minilm
    assert model_fingerprint("minilm-static") == fp_static == Encoder(device="cpu").fingerprint
    assert static.static_key() in fp_static


def _tiny_source(root: Path) -> Path:
    """A one-layer BERT with MiniLM's tokenizer and random weights: distils in seconds."""
    import shutil

    from transformers import BertConfig, BertModel

    src = root / "tiny-bert"
    src.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        found = list(Path(embed.default_model_path()).rglob(name))
        if found:
            shutil.copy(found[0], src / name)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64)
    BertModel(config).save_pretrained(src)
    return src


def test_distillation_runs_offline_into_the_cache_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      no_network: None, capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STORYLINE_MODELS", str(tmp_path / "models"))
    monkeypatch.setattr(static, "RECIPE", {**static.RECIPE, "pca_dims": 16})
    src = str(_tiny_source(tmp_path))
    capfd.readouterr()                                        # transformers' own bars while saving it
    path = static.ensure_static_model(src, progress=False)
    assert path.parent == tmp_path / "models" and static.is_ready(path)
    assert path.stat().st_mode & 0o005 == 0o005              # readable by every user of the venv
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    err = capfd.readouterr().err
    assert "distilling: 100%" in err and "\r" not in err   # plain lines when not on a terminal
    calls: list[object] = []
    monkeypatch.setattr(static, "distill_to", lambda *a, **k: calls.append(a) or 0.0)
    assert static.ensure_static_model(src) == path and calls == []
    assert not list(path.parent.glob(f".{path.name}-*"))    # no temporary folder left behind


def test_head_tokenizing_gives_static_embeddings_own_vectors(encoder: Encoder) -> None:
    """Our short-cut (tokenize a head, re-read short ones) equals StaticEmbedding.encode truncated at the cap."""
    st = embed.load_model("minilm-static", "cpu")       # sentence-transformers' own model, the reference
    texts = [SIMILAR[0] * 12, UNRELATED, "x" * 3000, "Supercalifragilisticexpialidocious " * 60,
             "9" * 700 + " the earthquake", "", "a " * 900]
    for cap in (8, 128):
        st[0].tokenizer.enable_truncation(max_length=cap)
        theirs = st.encode(texts, normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)
        ours = encoder.encode(texts, max_length=cap)
        assert np.allclose(ours, theirs, atol=1e-5)


def test_numpy_table_equals_static_embedding_bit_for_bit(encoder: Encoder) -> None:
    """The encoder's numpy table gives StaticEmbedding's (torch EmbeddingBag) rows exactly."""
    table = encoder._load()
    assert isinstance(table, embed.StaticTable)
    st = embed.load_model("minilm-static", "cpu")
    texts = [*SIMILAR, UNRELATED, "Short.", "", "zzzqqq", SIMILAR[0] * 30, "a " * 900]
    for cap in (8, 128, 256):
        ours = encoder._encode_table(table, texts, cap)
        theirs = encoder._encode_static(st, embed._static_module(st), texts, cap)
        assert np.array_equal(ours, theirs)


def test_static_encoding_imports_no_torch() -> None:
    """A CPU build embeds without importing torch or sentence-transformers (5.8 CPU-s a process)."""
    import subprocess
    import sys

    code = ("import sys; from storyline.represent.embed import get_encoder; "
            "get_encoder('auto', 'auto').encode(['Quake hits the coast.']); "
            "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    if not embed.cuda_available():
        assert out.stdout.strip() == "[]"
