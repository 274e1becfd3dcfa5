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


def test_recovery_bounds_contain_every_reachable_probability() -> None:
    # The run time skips the recovery embeddings of a pair when even the upper bound stays below
    # model_minor, so the bound must hold for every recovery outcome, not just typical ones.
    import random

    rng = random.Random(7)
    base = dict.fromkeys(severity.FEATURES, 0.0) | {"verbatim": 0.5, "dissimilarity": 0.3, "chrf_gap": 0.5}
    for n_edits in (1, 2, 3):
        ceiling = 0.4
        low, high = severity.recovery_bounds(base, n_edits, ceiling)
        assert low <= high
        for _ in range(200):
            rec = [rng.uniform(0.0, ceiling) for _ in range(n_edits)]
            p = severity.probability(base | {"recovery_max": max(rec), "recovery_sum": sum(rec)})
            assert low - 1e-12 <= p <= high + 1e-12
        # and the bounds are reached (tight), so the pruning skips no more than it must
        corner = [ceiling] * n_edits
        reached = {severity.probability(base | {"recovery_max": 0.0, "recovery_sum": 0.0}),
                   severity.probability(base | {"recovery_max": ceiling, "recovery_sum": sum(corner)}),
                   severity.probability(base | {"recovery_max": ceiling, "recovery_sum": ceiling})}
        assert min(reached) == low and max(reached) == high


def test_model_reads_no_more_edits_than_the_drift_rule_measures() -> None:
    # the recovery features are measured over the model's recovery_edits largest edits, which the
    # drift rule can only do when it measures at least that many (Thresholds.recovery_max_edits)
    from fidelity.thresholds import Thresholds

    assert 1 <= severity.recovery_edits() <= Thresholds().recovery_max_edits
