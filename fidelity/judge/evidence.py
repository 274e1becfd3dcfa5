"""The judge's evidence: per aligned pair, what the checks found and how well the words align.

    TokenStates() .states(texts) -> list[TokenVectors]    MiniLM last-layer token states
    pair_evidence(report, sentences, states) -> list[PairEvidence]
    FEATURES                                               the names of PairEvidence.features, in order

Token alignment is BERTScore's greedy matching (Zhang et al. 2020): each copy token is matched
to its most similar original token (cosine of the encoder's contextual states) and the other way
round. A copy passage whose tokens find no close counterpart is what the original does not say;
an original passage whose tokens find none in the copy is what the copy dropped.

In: a ``Report`` of the checks (its pairs, findings, documents) and its two sides' sentences.
Out: one ``PairEvidence`` per pair: a feature vector (``FEATURES``), and the worst-aligned copy
window, to point a new finding at. Nothing here decides: ``fidelity.judge`` does.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from fidelity.types import Category, Severity, Verdict

if TYPE_CHECKING:
    from fidelity.models.minilm import BertSentenceEncoder
    from fidelity.types import Pair, Report, Sentence

WINDOW = 3  # tokens in the sliding window whose mean alignment finds the worst passage
LOW = 0.5  # a token whose best match is below this cosine counts as unmatched
TOKEN_BUDGET = 8192
MAX_BATCH = 64

_CATEGORIES = tuple(Category)
_KINDS = ("omission", "addition", "moved")

FEATURES: tuple[str, ...] = (
    "similarity",
    "chrf",
    *(f"kind_{k}" for k in _KINDS),
    "copy_tok_mean", "copy_tok_min", "copy_tok_q10", "copy_tok_low", "copy_window_min",
    "orig_tok_mean", "orig_tok_min", "orig_tok_q10", "orig_tok_low", "orig_window_min",
    "log_len_ratio", "log_copy_tokens", "position",
    "find_minor", "find_major", "find_critical", "find_top_rank",
    "find_copy_align", "find_orig_align",
    *(f"cat_{c.value}" for c in _CATEGORIES),
    "doc_score", "doc_not_a_copy", "doc_log_pairs", "doc_coverage",
)  # fmt: skip


# One major-or-worse finding of the checks: its pair's FEATURES, then these, about the finding itself.
FINDING_FEATURES: tuple[str, ...] = (
    *FEATURES,
    "f_rank", "f_copy_align", "f_orig_align", "f_has_copy_span", "f_has_orig_span", "f_log_span_chars",
    *(f"f_cat_{c.value}" for c in _CATEGORIES),
)  # fmt: skip


@dataclass(frozen=True)
class TokenVectors:
    """One text's tokens: character ranges (t, 2) into the text and L2-normalised states (t, d)."""

    offsets: NDArray[np.int64]
    vectors: NDArray[np.float32]


@dataclass(frozen=True)
class PairEvidence:
    pair: int  # index into Report.pairs
    features: NDArray[np.float64]  # (len(FEATURES),)
    worst_copy: tuple[int, int] | None  # document offsets of the worst-aligned copy window
    worst_similarity: float  # its mean best-match cosine (1.0 when there is none)
    findings: tuple[tuple[int, NDArray[np.float64]], ...] = ()  # (index into Report.findings, FINDING_FEATURES)


@functools.lru_cache(maxsize=1)
def _encoder() -> BertSentenceEncoder:
    """The packaged all-MiniLM-L6-v2, read once (the weights never change within a process)."""
    from fidelity.models.minilm import BertSentenceEncoder, minilm_folder

    return BertSentenceEncoder(minilm_folder(), token_budget=TOKEN_BUDGET, max_batch=MAX_BATCH, threads=1)


class TokenStates:
    """Contextual token states of the packaged MiniLM (the same encoder as the sentence vectors)."""

    def states(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Per text, its tokens without [CLS]/[SEP]; shape (t, 384) each, t >= 0."""
        from fidelity.models.minilm import plan_batches

        enc = _encoder()
        encodings = enc.tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        out: list[TokenVectors | None] = [None] * len(texts)
        for batch in plan_batches([len(x) for x in ids], token_budget=TOKEN_BUDGET, max_batch=MAX_BATCH):
            width = max(len(ids[i]) for i in batch)
            tokens = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                tokens[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            hidden = enc._forward(tokens, mask)
            for row, i in enumerate(batch):
                n = len(ids[i])
                vec = hidden[row, 1 : n - 1].astype(np.float32)
                vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
                offsets = np.array(encodings[i].offsets[1 : n - 1], dtype=np.int64).reshape(-1, 2)
                out[i] = TokenVectors(offsets, vec)
        return [o if o is not None else TokenVectors(np.zeros((0, 2), np.int64), np.zeros((0, 384), np.float32)) for o in out]


def _side(sentences: Sequence[Sentence], indices: Sequence[int], states: dict[str, TokenVectors]) -> TokenVectors:
    """A pair side's tokens, offsets shifted into the document."""
    offs, vecs = [], []
    for i in indices:
        s = sentences[i]
        tv = states[s.text]
        offs.append(tv.offsets + s.start)
        vecs.append(tv.vectors)
    if not offs:
        return TokenVectors(np.zeros((0, 2), np.int64), np.zeros((0, 384), np.float32))
    return TokenVectors(np.concatenate(offs), np.concatenate(vecs))


def _stats(best: NDArray[np.float32]) -> tuple[float, float, float, float, float, int]:
    """(mean, min, 10% quantile, share below LOW, worst window mean, worst window start)."""
    if best.size == 0:
        return 1.0, 1.0, 1.0, 0.0, 1.0, -1
    window = min(WINDOW, best.size)
    means = np.convolve(best, np.ones(window) / window, mode="valid")
    start = int(np.argmin(means))
    return float(best.mean()), float(best.min()), float(np.quantile(best, 0.1)), float((best < LOW).mean()), float(means[start]), start


def pair_evidence(
    report: Report, s_orig: Sequence[Sentence], s_copy: Sequence[Sentence], states: dict[str, TokenVectors]
) -> list[PairEvidence]:
    """Features of every pair of ``report``; ``states`` maps each sentence text to its tokens."""
    n_pairs = len(report.pairs)
    doc = (
        report.score / 100.0,
        float(report.verdict == Verdict.NOT_A_COPY),
        math.log1p(n_pairs),
        min(report.original.coverage, report.copy.coverage),
    )
    out = []
    for p in report.pairs:
        o = _side(s_orig, p.original, states)
        c = _side(s_copy, p.copy, states)
        if o.vectors.shape[0] and c.vectors.shape[0]:
            sim = c.vectors @ o.vectors.T  # (copy tokens, original tokens)
            copy_best, orig_best = sim.max(axis=1), sim.max(axis=0)
        else:  # one-sided pair: nothing on the other side matches
            copy_best = np.zeros(c.vectors.shape[0], np.float32)
            orig_best = np.zeros(o.vectors.shape[0], np.float32)
        cs = _stats(copy_best)
        os_ = _stats(orig_best)
        worst = None
        if cs[5] >= 0:
            window = min(WINDOW, copy_best.size)
            worst = (int(c.offsets[cs[5], 0]), int(c.offsets[cs[5] + window - 1, 1]))
        spans = (_span_alignment(p, "copy_span", c.offsets, copy_best), _span_alignment(p, "original_span", o.offsets, orig_best))
        feats = _features(p, cs, os_, len(p.original_text), len(p.copy_text), c.vectors.shape[0], n_pairs, doc, spans)
        own = []
        for k, f in enumerate(report.findings):
            if f.pair != p.index or f.severity < Severity.MAJOR:
                continue
            one = replace(p, findings=(f,))
            f_copy = _span_alignment(one, "copy_span", c.offsets, copy_best)
            f_orig = _span_alignment(one, "original_span", o.offsets, orig_best)
            chars = sum(len(x.text) for x in (f.copy_span, f.original_span) if x is not None)
            cat = [float(f.category == x) for x in _CATEGORIES]
            extra = [float(f.severity.rank), f_copy, f_orig, float(f.copy_span is not None), float(f.original_span is not None), math.log1p(chars), *cat]
            own.append((k, np.array([*feats, *extra])))
        out.append(PairEvidence(p.index, np.array(feats), worst, cs[4], tuple(own)))
    return out


def _span_alignment(p: Pair, side: str, offsets: NDArray[np.int64], best: NDArray[np.float32]) -> float:
    """The lowest, over the pair's major-or-worse findings with a span on ``side``, of the mean
    best-match cosine of the tokens inside that span (1.0 when no such finding): how unmatched
    the words the checks point at really are."""
    worst = 1.0
    for f in p.findings:
        span = getattr(f, side)
        if f.severity < Severity.MAJOR or span is None or best.size == 0:
            continue
        inside = (offsets[:, 0] < span.end) & (offsets[:, 1] > span.start)
        if inside.any():
            worst = min(worst, float(best[inside].mean()))
    return worst


def _features(
    p: Pair, cs: tuple, os_: tuple, len_o: int, len_c: int, copy_tokens: int, n_pairs: int, doc: tuple[float, ...],
    spans: tuple[float, float],
) -> list[float]:
    counts = {s: 0 for s in Severity}
    cats = dict.fromkeys(_CATEGORIES, 0.0)
    for f in p.findings:
        counts[f.severity] += 1
        if f.severity >= Severity.MAJOR:
            cats[f.category] = 1.0
    top = max((f.severity.rank for f in p.findings), default=0)
    return [
        p.similarity if p.similarity is not None else 0.0,
        (p.chrf or 0.0) / 100.0,  # chrF is 0..100
        *(float(p.kind == k) for k in _KINDS),
        *cs[:5],
        *os_[:5],
        math.log((len_c + 1) / (len_o + 1)),
        math.log1p(copy_tokens),
        p.index / max(1, n_pairs - 1),
        float(counts[Severity.MINOR]), float(counts[Severity.MAJOR]), float(counts[Severity.CRITICAL]), float(top),
        *spans,
        *cats.values(),
        *doc,
    ]
