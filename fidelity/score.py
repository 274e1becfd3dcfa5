"""Stage 5, score: aligned groups -> scored ``Pair`` objects, and the document score and verdict."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fidelity.embed import Vectors
from fidelity.thresholds import Thresholds
from fidelity.types import Alignment, Category, Finding, Pair, Sentence, Severity, Verdict


def group_vector(vectors: Vectors, indices: Sequence[int]) -> Vectors:
    v = vectors[list(indices)].sum(axis=0)
    n = np.linalg.norm(v)
    return v / n if n else v


def chrf(hypothesis: str, reference: str) -> float:
    from sacrebleu.metrics import CHRF

    return float(_CHRF().sentence_score(hypothesis, [reference]).score) if hypothesis and reference else 0.0


_chrf_metric = None


def _CHRF():  # noqa: N802
    global _chrf_metric
    if _chrf_metric is None:
        from sacrebleu.metrics import CHRF

        _chrf_metric = CHRF()
    return _chrf_metric


def score_pairs(
    alignment: Alignment,
    original: Sequence[Sentence],
    copy: Sequence[Sentence],
    emb_original: Vectors,
    emb_copy: Vectors,
) -> list[Pair]:
    pairs = []
    for k, g in enumerate(alignment.groups):
        o_text = " ".join(original[i].text for i in g.original)
        c_text = " ".join(copy[j].text for j in g.copy)
        if g.original and g.copy:
            sim = float(group_vector(emb_original, g.original) @ group_vector(emb_copy, g.copy))
            o_norm = " ".join(original[i].norm for i in g.original)
            c_norm = " ".join(copy[j].norm for j in g.copy)
            cf = chrf(c_norm, o_norm)
            drift = max(0.0, min(1.0, 1.0 - (0.5 * sim + 0.5 * cf / 100)))
            if o_norm == c_norm:
                drift = 0.0
        else:
            sim = cf = drift = None
        pairs.append(Pair(k, g.kind, g.original, g.copy, o_text, c_text, sim, cf, drift))
    return pairs


_WEIGHT = {Severity.MINOR: 1.0, Severity.MAJOR: 5.0, Severity.CRITICAL: 10.0}
_DISTORTIONS = {c for c in Category} - {Category.OMISSION, Category.ADDITION, Category.MOVED}


def score_document(
    pairs: Sequence[Pair],
    findings: Sequence[Finding],
    n_original: int,
    n_copy: int,
    thresholds: Thresholds,
) -> tuple[float, Verdict, float, float]:
    """-> (score 0..100, verdict, coverage of original, coverage of copy)."""
    matched = [p for p in pairs if p.kind in ("match", "moved") and (p.similarity or 0) >= thresholds.match_min_similarity]
    cov_o = len({i for p in matched for i in p.original}) / max(1, n_original)
    cov_c = len({j for p in matched for j in p.copy}) / max(1, n_copy)
    sims = [p.similarity for p in matched if p.similarity is not None]
    mean_sim = float(np.mean(sims)) if sims else 0.0
    penalty = sum(_WEIGHT[f.severity] for f in findings) / max(1, n_original)
    score = max(0.0, min(100.0, 100.0 * cov_o * mean_sim - 20.0 * penalty))
    identical = (
        all(p.kind == "match" and p.drift == 0.0 for p in pairs) and not findings and n_original == n_copy
    )
    if identical:
        verdict, score = Verdict.IDENTICAL, 100.0
    elif cov_o < thresholds.not_a_copy_coverage:
        verdict = Verdict.NOT_A_COPY
    elif any(f.category in _DISTORTIONS and f.severity >= Severity.MAJOR for f in findings):
        verdict = Verdict.DISTORTED
    elif any(p.kind != "match" for p in pairs):
        verdict = Verdict.EDITED
    else:
        verdict = Verdict.FAITHFUL
    return round(score, 1), verdict, cov_o, cov_c
