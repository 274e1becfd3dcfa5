"""fidelity.models.minilm: the numpy MiniLM against sentence-transformers, batching, GELU, errors.

Tests marked slow read the packaged model (0.5 s); the one against sentence-transformers also
imports it (~8 s on 2 cores), which is why it is the only place sentence-transformers appears.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fidelity.errors import ConfigError
from fidelity.models.minilm import PAD_SHARE, PAD_SLACK_TOKENS, BertSentenceEncoder, _gelu_, minilm_folder, plan_batches

# Varied on purpose: empty and whitespace-only strings, punctuation only, accents, Greek, Cyrillic,
# CJK, emoji, a control character, numbers and URLs, mixed case, and texts far beyond the
# 256-token limit (where truncation must match), plus ordinary sentences of many lengths.
MODELS_TEXTS = [
    "",
    " ",
    "\n\t ",
    ".",
    "?!",
    "a",
    "Hello world.",
    "The quick brown fox jumps over the lazy dog.",
    "Ünïcödé naïve café — déjà vu, Straße, façade.",
    "Η συμφωνία [του Άρθρου 5] δεν ισχύει.",
    "Привет, мир! Как дела?",
    "東京は日本の首都です。北京是中国的首都。",
    "Emoji 🙂🚀 and symbols ©®™ ± ∞ ≠ ≤.",
    "Control\x07char and zero\u200bwidth space.",
    "Call +1 (555) 010-9999 or visit https://example.org/path?q=1&x=2 before 12:30 on 2025-08-19.",
    "MIXED case WORDS In A Sentence, NATO and the EU.",
    "The coalition of the willing met in Paris on Tuesday to discuss security guarantees for Ukraine.",
    (
        "Officials said the plan, which has not been made public, would require troops to remain "
        "away from the front line while air defence and training missions continued for several years."
    ),
    "word " * 400,
    "Long sentence that goes on and on, with clauses; and more clauses, and numbers 1 2 3 4 5. " * 30,
    "Ελληνικά και English mixed together " * 60,
]


@pytest.fixture(scope="module")
def models_encoder() -> BertSentenceEncoder:
    return BertSentenceEncoder(minilm_folder())


@pytest.mark.slow
def test_models_same_vectors_and_tokens_as_sentence_transformers(models_encoder: BertSentenceEncoder) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(minilm_folder()), device="cpu", local_files_only=True)
    assert models_encoder.max_seq_length == reference.max_seq_length == 256

    features = reference.preprocess(MODELS_TEXTS)
    ref_ids = [row[mask.bool()].tolist() for row, mask in zip(features["input_ids"], features["attention_mask"], strict=False)]
    assert models_encoder.tokenize(MODELS_TEXTS) == ref_ids
    assert max(len(x) for x in ref_ids) == 256  # the long texts were truncated, not skipped

    expected = reference.encode(MODELS_TEXTS, normalize_embeddings=True, show_progress_bar=False)
    got = models_encoder.encode(MODELS_TEXTS)
    cosines = np.sum(got * expected, axis=1)
    assert cosines.min() >= 0.9999, list(zip(MODELS_TEXTS, cosines, strict=False))
    assert np.abs(got - expected).max() < 1e-4


@pytest.mark.slow
def test_models_encode_shape_norm_and_order(models_encoder: BertSentenceEncoder) -> None:
    out = models_encoder.encode(MODELS_TEXTS)
    assert out.shape == (len(MODELS_TEXTS), 384)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert models_encoder.encode([]).shape == (0, 384)
    # Batching (sorting, padding, threads) must not change a vector or its row.
    alone = np.stack([models_encoder.encode([t])[0] for t in MODELS_TEXTS[::-1]])[::-1]
    np.testing.assert_allclose(out, alone, atol=2e-5)


@pytest.mark.slow
def test_models_token_states_pool_to_the_encoded_vectors(models_encoder: BertSentenceEncoder) -> None:
    # The states encode() mean-pools, with offsets that point at each token's characters.
    vectors = models_encoder.encode(MODELS_TEXTS)
    states = models_encoder.token_states(MODELS_TEXTS)
    assert len(states) == len(MODELS_TEXTS)
    for text, vector, (hidden, offsets) in zip(MODELS_TEXTS, vectors, states, strict=True):
        assert hidden.shape == (len(offsets), 384) and offsets.shape[1] == 2
        pooled = hidden.mean(axis=0)
        np.testing.assert_allclose(pooled / np.linalg.norm(pooled), vector, atol=2e-5)
        assert offsets[0].tolist() == [0, 0] and offsets[-1].tolist() == [0, 0]  # [CLS], [SEP]
        words = [text[s:t] for s, t in offsets[1:-1]]
        assert all(w and w.casefold() in text.casefold() for w in words)
    assert models_encoder.token_states([]) == []


@pytest.mark.slow
def test_models_similar_sentences_closer_than_unrelated(models_encoder: BertSentenceEncoder) -> None:
    a, b, c = models_encoder.encode(
        [
            "The minister resigned on Friday after the scandal.",
            "After the scandal, the minister stepped down on Friday.",
            "Tomatoes grow best in warm, sunny gardens.",
        ]
    )
    assert float(a @ b) > 0.8
    assert float(a @ c) < 0.2


@pytest.mark.slow
def test_models_threads_do_not_change_results() -> None:
    texts = [f"Sentence number {i} has {'many ' * (i % 17)}words." for i in range(120)]
    one = BertSentenceEncoder(minilm_folder(), threads=1, max_batch=16).encode(texts)
    two = BertSentenceEncoder(minilm_folder(), threads=2, max_batch=16).encode(texts)
    np.testing.assert_allclose(one, two, atol=1e-6)


def test_models_gelu_matches_erf_definition() -> None:
    x = np.linspace(-12.0, 12.0, 48_001, dtype=np.float32)
    expected = np.array([v * 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x.astype(np.float64)])
    got = _gelu_(x.copy())
    assert got.dtype == np.float32
    assert np.abs(got - expected).max() < 1e-6


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_models_plan_batches_covers_each_index_once_within_limits(threads: int) -> None:
    rng = np.random.default_rng(threads)
    lengths = [int(n) for n in rng.integers(2, 257, size=500)] + [2, 2, 256, 5]
    batches = plan_batches(lengths, token_budget=4096, max_batch=64, threads=threads)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert len(batches) >= threads
    for batch in batches:
        sizes = [lengths[i] for i in batch]
        width, real = max(sizes), sum(sizes)
        assert len(batch) <= 64
        assert len(batch) == 1 or len(batch) * width <= 4096
        assert len(batch) == 1 or len(batch) * width - real <= max(PAD_SLACK_TOKENS, PAD_SHARE * real)


def test_models_plan_batches_keeps_one_long_text_apart_from_short_ones() -> None:
    batches = plan_batches([3, 4, 250, 5], token_budget=4096, max_batch=64)
    assert [2] in batches
    assert plan_batches([], token_budget=4096, max_batch=64) == []


def test_models_refuses_what_it_cannot_compute(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        BertSentenceEncoder(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match=r"missing config\.json"):
        BertSentenceEncoder(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_act": "gelu"}))
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    with pytest.raises(ConfigError, match="pooling_mode_cls_token"):
        BertSentenceEncoder(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "xlm-roberta"}))
    with pytest.raises(ConfigError, match="only 'bert'"):
        BertSentenceEncoder(tmp_path)


@pytest.mark.slow
def test_models_minilm_embedder_is_quiet_and_light() -> None:
    # A fresh interpreter: fidelity's MiniLM must embed without importing torch or transformers
    # and without writing anything (no progress bars, no warnings).
    code = (
        "import sys\n"
        "from fidelity.embed import MiniLM\n"
        "v = MiniLM().encode(['A sentence.', 'Another one.'])\n"
        "assert v.shape == (2, 384), v.shape\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
