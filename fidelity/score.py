"""Stage 5, score: aligned groups -> scored ``Pair`` objects, and the document score and verdict."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fidelity.embed import Vectors
from fidelity.thresholds import Thresholds
from fidelity.types import Alignment, Category, Finding, Pair, Sentence, Severity, Verdict


def group_vector(vectors: Vectors, indices: Sequence[int]) -> Vectors:
    v = vectors[list(indices)].sum(axis=0)
    n = np.linalg.norm(v)
    return v / n if n else v


def chrf(hypothesis: str, reference: str) -> float:
    """sacrebleu sentence chrF of ``hypothesis`` against ``reference``, 0..100 (0 when either is empty)."""
    return float(_chrf_metric().sentence_score(hypothesis, [reference]).score) if hypothesis and reference else 0.0


@functools.cache
def _chrf_metric() -> Any:
    from sacrebleu.metrics import CHRF  # lazy: sacrebleu is not needed for `fidelity --help`

    return CHRF()


@dataclass(frozen=True)
class Calibration:
    """Where a pair of documents' cosines lie on the model's scale, for two languages.

    Between two languages a multilingual model's cosines are lower than within one, by an amount
    that varies with the pair of languages and the texts (use-m3 on German vs French: a true
    pair's cosine has median 0.68; random pairs sit at 0.11), so fixed cosine thresholds fitted
    on English text mean nothing. As the aligner does (Vecalign's normalisation), a cosine is
    read against this pair's own ``background`` (mean cosine of random sentence pairs) and
    ``typical`` (median best 1:1 cosine of an original sentence): calibrated 0 = as similar as
    random text, 1 = as similar as a typical translated pair.
    """

    background: float
    typical: float
    upper: float = 1.0  # the upper quartile of the best 1:1 cosines (``gap``)

    @classmethod
    def of(cls, emb_original: Vectors, emb_copy: Vectors, *, sample: int = 2000) -> Calibration:
        """From (n, d) and (m, d) unit vectors; at most ``sample`` rows a side are read (fixed
        choice: deterministic), so a 10,000-sentence pair costs a 2,000 x 10,000 product."""
        if len(emb_original) == 0 or len(emb_copy) == 0:
            return cls(0.0, 1.0, 1.0)
        rng = np.random.default_rng(0)
        rows = emb_original if len(emb_original) <= sample else emb_original[np.sort(rng.choice(len(emb_original), sample, replace=False))]
        cols = emb_copy if len(emb_copy) <= sample else emb_copy[np.sort(rng.choice(len(emb_copy), sample, replace=False))]
        background = float(rows.mean(axis=0) @ cols.mean(axis=0))  # = mean of rows @ cols.T
        best = np.concatenate([(rows[k : k + 256] @ emb_copy.T).max(axis=1) for k in range(0, len(rows), 256)])
        typical = float(np.median(best))
        return cls(background, max(typical, background + 1e-3), float(np.quantile(best, 0.75)))

    @property
    def gap(self) -> float:
        """How far the upper quartile of the best matches stands above random pairs: 0.6-0.7 for a
        translation (use-m3), 0.3-0.4 for two unrelated texts, whose best matches are random. The
        upper quartile, not the median: a passage with many captions or a partial copy (half its
        sentences match nothing) is still a copy."""
        return self.upper - self.background

    def calibrated(self, similarity: float) -> float:
        return (similarity - self.background) / (self.typical - self.background)

    def similarity(self, calibrated: float) -> float:
        """The cosine at which a pair reaches ``calibrated``."""
        return self.background + calibrated * (self.typical - self.background)


def score_pairs(
    alignment: Alignment,
    original: Sequence[Sentence],
    copy: Sequence[Sentence],
    emb_original: Vectors,
    emb_copy: Vectors,
    *,
    calibration: Calibration | None = None,
) -> list[Pair]:
    """Each group as a scored ``Pair``: cosine of its averaged vectors, chrF of its texts, and
    drift = 1 - their mean. With ``calibration`` (two languages, where chrF compares nothing):
    chrF is None and drift = 1 - the calibrated cosine, clipped to 0..1."""
    pairs = []
    for k, g in enumerate(alignment.groups):
        o_text = " ".join(original[i].text for i in g.original)
        c_text = " ".join(copy[j].text for j in g.copy)
        if g.original and g.copy:
            sim = float(group_vector(emb_original, g.original) @ group_vector(emb_copy, g.copy))
            if calibration is not None:
                drift = max(0.0, min(1.0, 1.0 - calibration.calibrated(sim)))
                pairs.append(Pair(k, g.kind, g.original, g.copy, o_text, c_text, sim, None, drift))
                continue
            o_norm = " ".join(original[i].norm for i in g.original)
            c_norm = " ".join(copy[j].norm for j in g.copy)
            cf = chrf(c_norm, o_norm)
            drift = max(0.0, min(1.0, 1.0 - (0.5 * sim + 0.5 * cf / 100)))
            if o_norm == c_norm:
                drift = 0.0
            pairs.append(Pair(k, g.kind, g.original, g.copy, o_text, c_text, sim, cf, drift))
        else:  # one-sided groups have nothing to compare
            pairs.append(Pair(k, g.kind, g.original, g.copy, o_text, c_text, None, None, None))
    return pairs


# How much of a pair's quality one finding on it takes away (a pair keeps at least 5%).
# A one-sentence document's score is its pair's quality, so a critical finding always
# ranks a copy below the same copy without it (DEMETR's pairwise accuracy reads this).
_PAIR_PENALTY = {Severity.MINOR: 0.03, Severity.MAJOR: 0.25, Severity.CRITICAL: 0.45}
_DOC_PENALTY = {Severity.MINOR: 0.2, Severity.MAJOR: 1.0, Severity.CRITICAL: 2.0}  # in sentences' worth
# Findings whose severity switches at a threshold of the pair's wording (the verbatim share for
# wording/dropped/added content, the model probability for drift): as score penalties they
# would rank a lightly reworded copy below a more heavily changed one (on DEMETR dev items the
# clean translation lost to its perturbed version 38 times out of 1,100 for that reason), and
# what they measure is the word difference that cosine and chrF in ``pair_quality`` already
# grade continuously. They still set the verdict and the exit code.
_GRADED_BY_QUALITY = frozenset({"wording", "dropped-content", "added-content", "drift"})
_DISTORTIONS = {c for c in Category} - {Category.OMISSION, Category.ADDITION, Category.MOVED}


def pair_quality(p: Pair) -> float:
    """0..1: the mean of cosine and chrF/100 (each alone ranks paraphrases worse than both);
    between two languages (no chrF) one minus the drift, i.e. the calibrated cosine."""
    if p.similarity is None:
        return 0.0
    if p.drift == 0.0:
        return 1.0
    if p.chrf is None and p.drift is not None:
        return 1.0 - p.drift
    return max(0.0, 0.5 * p.similarity + 0.5 * (p.chrf or 0.0) / 100.0)


def score_document(
    pairs: Sequence[Pair],
    findings: Sequence[Finding],
    n_original: int,
    n_copy: int,
    thresholds: Thresholds,
    meaning: Mapping[int, float] | None = None,
) -> tuple[float, Verdict, float, float]:
    """-> (score 0..100, verdict, coverage of original, coverage of copy).

    score = 100 * sum over aligned pairs of quality x (1 - finding penalties), divided by the
    number of original sentences plus the copy's unaligned (added) sentences; document-level
    findings (omissions, additions, systematic changes) subtract their weight in sentences.
    ``meaning`` (pair index -> severity-model probability) lowers a pair's quality by
    ``score_model_weight`` x that probability.
    """
    matched = [p for p in pairs if p.kind in ("match", "moved") and thresholds.counterpart(p.similarity, p.chrf)]
    cov_o = len({i for p in matched for i in p.original}) / max(1, n_original)
    cov_c = len({j for p in matched for j in p.copy}) / max(1, n_copy)
    by_pair: dict[int, list[Finding]] = {}
    doc_penalty = 0.0
    for f in findings:
        if f.pair is not None:
            by_pair.setdefault(f.pair, []).append(f)
        if f.category not in (Category.OMISSION, Category.ADDITION, Category.MOVED) and f.pair is None:
            doc_penalty += _DOC_PENALTY[f.severity] * thresholds.score_finding_weight
    total = 0.0
    for p in matched:
        keep = 1.0
        for f in by_pair.get(p.index, []):
            if f.category in (Category.OMISSION, Category.ADDITION, Category.MOVED) and f.rule in ("omission", "addition", "moved"):
                continue  # whole-sentence structure: counted through coverage below
            if f.rule in _GRADED_BY_QUALITY:
                continue  # its evidence is the wording difference that cosine and chrF already grade
            keep *= 1.0 - _PAIR_PENALTY[f.severity] * thresholds.score_finding_weight
        # the severity model's probability that the meaning changed pulls the pair down a little,
        # also below the point where it raises a drift finding (score_model_weight)
        keep *= 1.0 - thresholds.score_model_weight * (meaning or {}).get(p.index, 0.0)
        total += pair_quality(p) * max(0.05, keep) * max(1, len(p.original))
    added = len([j for p in pairs if p.kind == "addition" for j in p.copy])
    denominator = max(1, n_original + 0.5 * added)
    score = max(0.0, min(100.0, 100.0 * (total - doc_penalty) / denominator))
    identical = (
        all(p.kind == "match" and p.drift == 0.0 and p.chrf is not None for p in pairs)  # chrF None: two languages
        and not findings
        and n_original == n_copy
    )
    if identical:
        verdict, score = Verdict.IDENTICAL, 100.0
    elif cov_o < thresholds.not_a_copy_coverage:
        verdict = Verdict.NOT_A_COPY
    else:
        verdict = verdict_of(pairs, findings)
    return round(score, 2), verdict, cov_o, cov_c


def verdict_of(pairs: Sequence[Pair], findings: Sequence[Finding]) -> Verdict:
    """The verdict of a copy that is a copy and not the original itself: distorted when a
    finding of a distortion category is major or above; edited when a sentence is omitted,
    added or moved, or a finding of those kinds is major; faithful otherwise."""
    if any(f.category in _DISTORTIONS and f.severity >= Severity.MAJOR for f in findings):
        return Verdict.DISTORTED
    if any(p.kind != "match" for p in pairs) or any(f.severity >= Severity.MAJOR for f in findings):
        return Verdict.EDITED
    return Verdict.FAITHFUL
