"""The explainable severity model: a pair's signals -> probability that its meaning changed.

    FEATURES                                    the signals, named (computed by fidelity.rules.drift.features)
    probability(features) -> float              logistic regression, weights in fidelity/data/severity-model.json
    recovery_edits() -> int                     the largest edits a pair's recovery features are measured over
    EDIT_FEATURES, edit_probability(features)   the same for one edit of a pair (fidelity/data/edit-model.json)
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

EDIT_FEATURES: tuple[str, ...] = (
    "recovery",  # similarity to the original recovered by undoing this edit alone
    "recovery_share",  # ... over the pair's whole distance (1 - cosine)
    "dissimilarity",  # the pair's 1 - cosine
    "pair_p",  # the pair model's probability, without its recovery features
    "verbatim",  # the pair's share of words kept
    "o_words",  # log(1 + words) of the edit's original side
    "c_words",  # ... of its copy side
    "o_content",  # content words (noun, proper noun, verb, adjective, adverb, numeral) on the original side
    "c_content",  # ... on the copy side
    "o_lost",  # original content words of the edit found nowhere in the copy (by base form)
    "c_new",  # copy content words of the edit found nowhere in the original
    "synonym",  # a lost and a new word can mean the same (WordNet)
    "spelling",  # character similarity of the two sides (difflib ratio)
    "drop",  # the edit only removes words
    "insert",  # the edit only adds words
    "minor_hit",  # a detector's hit below major overlaps the edit
)


@lru_cache(maxsize=2)
def model(name: str = "severity-model.json") -> dict[str, Any]:
    """The shipped weights: {"features", "mean", "scale", "coef", "intercept", "trained_on", ...}."""
    text = resources.files("fidelity").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def recovery_edits() -> int:
    """How many of a pair's largest edits the model's ``recovery_*`` features are measured over
    (the number it was fitted with, ``training/train_severity.py --recovery-edits``)."""
    return int(model()["recovery_edits"])


def edit_model() -> dict[str, Any]:
    """The per-edit model (``training/train_edit_model.py``): same layout as ``model()``, over ``EDIT_FEATURES``."""
    return model("edit-model.json")


def edit_probability(f: dict[str, float]) -> float:
    """Probability that one edit changed the meaning (``fidelity.rules.drift.edit_features``)."""
    m = edit_model()
    z = m["intercept"] + sum(contributions(f, m).values())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def edit_recovery_bounds(f: dict[str, float], ceiling: float) -> tuple[float, float]:
    """Lowest and highest edit probability over every recovery in [0, ``ceiling``]: exact, since
    the log-odds are linear in ``recovery`` and ``recovery_share`` (a fixed multiple of it)."""
    share = ceiling / max(f.get("dissimilarity", 0.0), _SHARE_FLOOR)
    ps = [edit_probability({**f, "recovery": 0.0, "recovery_share": 0.0}), edit_probability({**f, "recovery": ceiling, "recovery_share": share})]
    return min(ps), max(ps)


_SHARE_FLOOR = 0.02  # the distance under recovery_share's division: a near-identical pair's edits stay finite


def recovery_share(recovery: float, dissimilarity: float) -> float:
    return max(0.0, recovery) / max(dissimilarity, _SHARE_FLOOR)


def contributions(f: dict[str, float], m: dict[str, Any] | None = None) -> dict[str, float]:
    m = m or model()
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


def edit_signature() -> str:
    return f"edit:{edit_model().get('version', '?')}"
