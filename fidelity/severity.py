"""The explainable severity model: a pair's signals -> probability that its meaning changed.

    FEATURES                                    the signals, named (computed by fidelity.rules.drift.features)
    probability(features) -> float              logistic regression, weights in fidelity/data/severity-model.json
    explain(features) -> list[(name, contribution)]   each feature's share of the log-odds

The model is a logistic regression over standardised features, trained by
``training/train_severity.py`` on the development half (even item ids) of the DEMETR set only:
label 1 for critical and major perturbations, 0 for clean pairs, reference copies and minor
perturbations. Severity of an unexplained drift follows from the probability through
``Thresholds.model_minor/major/critical``. Weights ship with the package; no training at run time.
A leaf module: it reads feature dictionaries, not the rules' evidence.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

FEATURES: tuple[str, ...] = (
    "dissimilarity",  # 1 - sentence cosine
    "chrf_gap",  # 1 - chrF/100
    "verbatim",  # share of words kept verbatim
    "recovery_max",  # largest similarity recovered by putting one span back
    "recovery_sum",  # total similarity recovered over the measured spans
    "number",  # number changed/dropped/added
    "name",  # name removed/replaced/mangled/added
    "negation",  # negation cue added or dropped
    "antonym",  # WordNet antonym swapped in
    "gender",  # gender-marked word changed
    "roles",  # subject and object swapped
    "untranslated",  # other script or non-English word
    "quote",  # quote altered or fabricated
    "mood",  # statement <-> question
    "verb_form",  # tense/aspect/modality edits
    "content_dropped",  # edits whose content words vanished from the copy
    "content_added",  # edits whose content words are new in the copy
    "content_changed",
    "verbatim_content",  # verbatim * (content edits > 0): the syndicated-copy signal
    "order",  # 1 - shared bigrams / shared words (shuffled word order)
    "order_hit",  # word order scrambled beyond Thresholds.order_scrambled
    "no_verb",
    "no_subject",
    "dangling",
    "length_ratio",  # |log(copy words / original words)|
)

@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """The shipped weights: {"features", "mean", "scale", "coef", "intercept", "trained_on", ...}."""
    text = resources.files("fidelity").joinpath("data/severity-model.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def contributions(f: dict[str, float]) -> dict[str, float]:
    m = model()
    out = {}
    for name, mean, scale, coef in zip(m["features"], m["mean"], m["scale"], m["coef"], strict=False):
        out[name] = coef * (f.get(name, 0.0) - mean) / (scale or 1.0)
    return out


def probability(f: dict[str, float]) -> float:
    z = model()["intercept"] + sum(contributions(f).values())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def recovery_bounds(f: dict[str, float], n_edits: int, ceiling: float) -> tuple[float, float]:
    """Lowest and highest probability over every recovery outcome of ``n_edits`` measured edits,
    each recovering between 0 and ``ceiling``: the other features as in ``f``.

    Exact bounds, not estimates: the log-odds are linear in ``recovery_max`` and ``recovery_sum``,
    and the reachable set (0 <= max <= ceiling, max <= sum <= n_edits * max) is a polygon whose
    corners are tried here.
    """
    corners = [(0.0, 0.0), (ceiling, ceiling), (ceiling, n_edits * ceiling)]
    ps = [probability({**f, "recovery_max": m, "recovery_sum": s}) for m, s in corners]
    return min(ps), max(ps)


def explain(f: dict[str, float], top: int = 3) -> list[tuple[str, float]]:
    """The features that pushed the probability up most, with their log-odds contribution."""
    parts = sorted(contributions(f).items(), key=lambda kv: -kv[1])
    return [(k, round(v, 2)) for k, v in parts[:top] if v > 0]


def signature() -> str:
    m = model()
    return f"severity:{m.get('version', '?')}"
