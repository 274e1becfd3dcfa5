from __future__ import annotations

from fidelity.score import pair_quality, score_document, verdict_of
from fidelity.thresholds import Thresholds
from fidelity.types import Category, Finding, Pair, Severity, Verdict


def _pair(sim: float, chrf: float, drift: float = 0.1) -> Pair:
    return Pair(0, "match", (0,), (0,), "a", "b", sim, chrf, drift)


def test_findings_lower_a_one_sentence_score() -> None:
    p = _pair(0.9, 70.0)
    clean, v1, _, _ = score_document([p], [], 1, 1, Thresholds())
    f = Finding("negation", Category.NEGATION, Severity.CRITICAL, "x", pair=0)
    flagged, v2, _, _ = score_document([p], [f], 1, 1, Thresholds())
    assert flagged < clean
    assert v1 == Verdict.FAITHFUL and v2 == Verdict.DISTORTED


def test_score_is_continuous_not_clamped_to_zero() -> None:
    f = [Finding("negation", Category.NEGATION, Severity.CRITICAL, "x", pair=0)] * 3
    a, _, _, _ = score_document([_pair(0.9, 70.0)], f, 1, 1, Thresholds())
    b, _, _, _ = score_document([_pair(0.8, 60.0)], f, 1, 1, Thresholds())
    assert a > b > 0


def test_identical_and_not_a_copy() -> None:
    same = Pair(0, "match", (0,), (0,), "a", "a", 1.0, 100.0, 0.0)
    assert score_document([same], [], 1, 1, Thresholds())[1] == Verdict.IDENTICAL
    gone = [Pair(0, "omission", (0,), (), "a", "", None, None, None), Pair(1, "addition", (), (0,), "", "b", None, None, None)]
    assert score_document(gone, [], 1, 1, Thresholds())[1] == Verdict.NOT_A_COPY


def test_pair_quality_blends_cosine_and_chrf() -> None:
    assert pair_quality(_pair(0.8, 60.0)) == 0.5 * 0.8 + 0.5 * 0.6


def test_verdict_names_what_happened() -> None:
    matched = [_pair(0.9, 70.0)]
    dropped = [*matched, Pair(1, "omission", (1,), (), "c", "", None, None, None)]
    minor = Finding("negation", Category.NEGATION, Severity.MINOR, "x", pair=0)
    major_omission = Finding("omission", Category.OMISSION, Severity.MAJOR, "x", pair=1)
    assert verdict_of(matched, [minor]) == Verdict.FAITHFUL  # a minor finding changes nothing said
    assert verdict_of(dropped, [minor]) == Verdict.EDITED  # a sentence is gone
    assert verdict_of(matched, [major_omission]) == Verdict.EDITED
    assert verdict_of(matched, [Finding("negation", Category.NEGATION, Severity.MAJOR, "x", pair=0)]) == Verdict.DISTORTED
