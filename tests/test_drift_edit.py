"""The drift-edit rule: per-edit meaning changes judged by the edit model (fidelity.rules.drift)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from fidelity import severity
from fidelity.extract import extract
from fidelity.thresholds import Thresholds
from fidelity.types import Severity

APERTIUM = Path(__file__).parent / "fixtures" / "apertium"


def test_shipped_edit_model_matches_feature_list() -> None:
    m = severity.edit_model()
    assert m["features"] == list(severity.EDIT_FEATURES)
    assert len(m["coef"]) == len(m["mean"]) == len(m["scale"]) == len(severity.EDIT_FEATURES)


def test_edit_recovery_bounds_contain_every_reachable_probability() -> None:
    # The run time embeds no variant for an edit whose upper bound stays below edit_model_major,
    # so the bound must hold for every recovery the variant could bring.
    rng = random.Random(11)
    for dissimilarity in (0.01, 0.2, 0.6):
        base = dict.fromkeys(severity.EDIT_FEATURES, 0.0) | {"dissimilarity": dissimilarity, "o_lost": 1.0, "c_new": 1.0, "pair_p": 0.4}
        ceiling = 1.0 - (1.0 - dissimilarity)
        low, high = severity.edit_recovery_bounds(base, ceiling)
        for _ in range(200):
            r = rng.uniform(0.0, ceiling)
            p = severity.edit_probability(base | {"recovery": r, "recovery_share": severity.recovery_share(r, dissimilarity)})
            assert low - 1e-12 <= p <= high + 1e-12


def test_edit_settings_enter_the_signature_only_when_on() -> None:
    off, on = Thresholds(), Thresholds(edit_findings=True)
    assert "edit_" not in off.signature
    assert "edit_model_major=" in on.signature and off.signature != on.signature
    assert replace(off, edit_model_major=0.5).signature == off.signature  # meaningless while off


def _compare(minilm: object, **settings: object) -> object:
    from fidelity.pipeline import Options, compare

    o = extract("original", text=(APERTIUM / "bridge-original.txt").read_text(encoding="utf-8"))
    c = extract("copy", text=(APERTIUM / "bridge-copy.txt").read_text(encoding="utf-8"))
    return compare(o, c, options=Options(model="minilm", language="en", thresholds=Thresholds(**settings)), embedder=minilm)  # type: ignore[arg-type]


@pytest.mark.slow
def test_round_trip_edits_reported_only_when_on(minilm: object) -> None:
    from fidelity.rules import REGISTRY

    # The mechanics, at a threshold low enough to fire here: at the shipped edit_model_major (0.9)
    # the model reports none of this round trip's changes (docs/drift.md, "Edit-level drift").
    off, on = _compare(minilm), _compare(minilm, edit_findings=True, edit_model_major=0.45)
    assert not [f for f in off.findings if f.rule == "drift-edit"]  # type: ignore[attr-defined]
    edits = [f for f in on.findings if f.rule == "drift-edit"]  # type: ignore[attr-defined]
    assert edits, "the Apertium round trip changes several words' meaning; the edit model reported none"
    assert any("stone" in f.message and "bone" in f.message for f in edits)
    # drift-edit only adds findings: every other finding is the same with it on
    key = [(f.rule, f.severity, f.message, f.original_span, f.copy_span) for f in off.findings]  # type: ignore[attr-defined]
    assert [(f.rule, f.severity, f.message, f.original_span, f.copy_span) for f in on.findings if f.rule != "drift-edit"] == key  # type: ignore[attr-defined]
    specific = [f for f in on.findings if REGISTRY[f.rule].explains_words and f.severity >= Severity.MAJOR and f.copy_span]  # type: ignore[attr-defined]
    for f in edits:
        assert f.message.startswith("meaning changed: ")
        assert f.original_span is not None or f.copy_span is not None
        assert f.original_span is None or f.original_span.text in f.message
        assert f.copy_span is None or f.copy_span.text in f.message
        # an edit a specific finding already explains is not reported twice
        if f.copy_span is not None:
            assert not any(g.pair == f.pair and g.copy_span.start <= f.copy_span.start and f.copy_span.end <= g.copy_span.end for g in specific)
    # at most one finding per edit
    assert len({(f.pair, f.original_span, f.copy_span) for f in edits}) == len(edits)


@pytest.mark.slow
def test_unembedded_candidates_could_not_have_been_reported(minilm: object) -> None:
    # The run time embeds a candidate's variant only where the model's bound reaches
    # edit_model_major; every edit that reaches it when all are measured must have been measured.
    from fidelity.pipeline import Options, compare_with_evidence
    from fidelity.rules.drift import _pair_p, edit_features

    o = extract("original", text=(APERTIUM / "bridge-original.txt").read_text(encoding="utf-8"))
    c = extract("copy", text=(APERTIUM / "bridge-copy.txt").read_text(encoding="utf-8"))

    def evidence(everywhere: bool) -> object:
        th = Thresholds(edit_findings=True, edit_model_major=0.6, recovery_everywhere=everywhere)  # a bar some edits reach and some cannot
        return compare_with_evidence(o, c, options=Options(model="minilm", language="en", thresholds=th), embedder=minilm)[1]  # type: ignore[arg-type]

    everything, pruned = evidence(True), evidence(False)
    reportable = {(a.pair.index, k) for a in everything.pairs for k, r in a.edit_recovery.items()  # type: ignore[attr-defined]
                  if severity.edit_probability(edit_features(a, k, r, _pair_p(a))) >= 0.6}  # fmt: skip
    measured = {(a.pair.index, k) for a in pruned.pairs for k in a.edit_recovery}  # type: ignore[attr-defined]
    assert reportable and reportable <= measured
    assert len(measured) < sum(len(a.edit_recovery) for a in everything.pairs)  # type: ignore[attr-defined]  # and it does prune
