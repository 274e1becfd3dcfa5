"""The attention token tagger: per copy token, the probability that it lies inside a major error,
read from the frozen MiniLM token states of both sides (the judge's encoder pass) and the token's
hand-made evidence (``TOKEN_FEATURES``).

    Tagger.from_json(obj).probabilities(copy, original, features) -> (t,) probabilities

Where the gradient-boosted token model (``fidelity.judge.Trees``) sees a token only through
summaries of its alignment (best-match cosines, spelling closeness), the tagger reads the states
themselves: each copy token attends over the original's tokens (one head of scaled dot-product
cross-attention, as in ESIM's and COMET's word-level estimators), compares itself with what it
found (the token, the attended summary, their product and difference), adds its evidence row,
and a 1-D convolution over the copy's tokens gives it its neighbours' view before one logit.
Trained by ``training/judge/train.py --token-model attention`` (torch, on CPU); applied here in
numpy, so judging needs no torch. Inputs: the last layer's states and those of MID_LAYERS,
L2-normalised as ``TokenVectors`` holds them, concatenated and scaled by INPUT_SCALE.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from fidelity.judge.evidence import TokenVectors

INPUT_SCALE = math.sqrt(384.0)  # L2-normalised 384-wide states -> entries of about unit variance


def state_inputs(tv: TokenVectors) -> NDArray[np.float32]:
    """(t, 384 * (1 + len(MID_LAYERS))): a side's token states as the tagger reads them."""
    return (np.concatenate([tv.vectors, *tv.layers], axis=1).astype(np.float32)) * INPUT_SCALE


@dataclass(frozen=True)
class Tagger:
    """The weights (numpy, float32) of the network that training/judge/attention.py fits."""

    features: tuple[str, ...]  # the TOKEN_FEATURES columns it reads, in order
    mean: NDArray[np.float32]  # their standardisation
    scale: NDArray[np.float32]
    proj: tuple[NDArray[np.float32], NDArray[np.float32]]  # states -> d, shared by both sides
    query: NDArray[np.float32]  # (d, d)
    key: NDArray[np.float32]
    value: NDArray[np.float32]
    mix: tuple[NDArray[np.float32], NDArray[np.float32]]  # (4d, d): [token, attended, product, difference]
    feat: NDArray[np.float32]  # (f, d): the evidence row, added before the ReLU
    conv: tuple[NDArray[np.float32], NDArray[np.float32]]  # (d_out, d_in, width), (d,)
    out: tuple[NDArray[np.float32], NDArray[np.float32]]  # (d, 1), (1,)

    def probabilities(self, copy: NDArray[np.float32], original: NDArray[np.float32], features: NDArray[np.float64]) -> NDArray[np.float64]:
        """``copy`` (t, in) and ``original`` (s, in) from ``state_inputs``, ``features`` (t, f)
        in ``self.features``' order -> (t,) probabilities; s may be 0 (a one-sided pair)."""
        if copy.shape[0] == 0:
            return np.zeros(0)
        hc = copy @ self.proj[0] + self.proj[1]
        d = hc.shape[1]
        if original.shape[0]:
            ho = original @ self.proj[0] + self.proj[1]
            logits = (hc @ self.query) @ (ho @ self.key).T / math.sqrt(d)
            logits -= logits.max(axis=1, keepdims=True)
            att = np.exp(logits)
            att /= att.sum(axis=1, keepdims=True)
            a = att @ (ho @ self.value)
        else:
            a = np.zeros_like(hc)
        f = ((features - self.mean) / self.scale).astype(np.float32)
        z = np.maximum(np.concatenate([hc, a, hc * a, hc - a], axis=1) @ self.mix[0] + self.mix[1] + f @ self.feat, 0.0)
        z = z + np.maximum(_conv(z, *self.conv), 0.0)
        raw = (z @ self.out[0] + self.out[1])[:, 0].astype(np.float64)
        return 1.0 / (1.0 + np.exp(-raw))

    @staticmethod
    def from_json(obj: dict) -> Tagger:
        def a(name: str) -> NDArray[np.float32]:
            return np.array(obj[name], dtype=np.float32)

        return Tagger(
            tuple(obj["features"]), a("mean"), a("scale"), (a("proj_w"), a("proj_b")), a("query"), a("key"), a("value"),
            (a("mix_w"), a("mix_b")), a("feat"), (a("conv_w"), a("conv_b")), (a("out_w"), a("out_b")),
        )  # fmt: skip


def _conv(z: NDArray[np.float32], weight: NDArray[np.float32], bias: NDArray[np.float32]) -> NDArray[np.float32]:
    """A same-length 1-D convolution over tokens (zero padding), as torch's Conv1d computes it."""
    width = weight.shape[2]
    pad = width // 2
    zp = np.pad(z, ((pad, pad), (0, 0)))
    out = np.tile(bias, (z.shape[0], 1)).astype(np.float32)
    for k in range(width):
        out += zp[k : k + z.shape[0]] @ weight[:, :, k].T
    return out
