from __future__ import annotations

from fidelity import severity


def test_shipped_model_matches_feature_list() -> None:
    m = severity.model()
    assert m["features"] == list(severity.FEATURES)
    assert len(m["coef"]) == len(m["mean"]) == len(m["scale"]) == len(severity.FEATURES)


def test_probability_rises_with_evidence() -> None:
    calm = dict.fromkeys(severity.FEATURES, 0.0) | {"verbatim": 0.6, "dissimilarity": 0.15, "chrf_gap": 0.4}
    alarmed = calm | {"negation": 1.0, "dissimilarity": 0.3}
    assert 0.0 <= severity.probability(calm) < severity.probability(alarmed) <= 1.0


def test_explain_names_features() -> None:
    f = dict.fromkeys(severity.FEATURES, 0.0) | {"negation": 1.0}
    assert all(name in severity.FEATURES for name, _ in severity.explain(f))
