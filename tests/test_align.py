"""The aligner: properties (hypothesis, HashingEmbedder) and small constructed cases."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity.align import AlignSettings, align
from fidelity.embed import HashingEmbedder
from fidelity.errors import ConfigError
from fidelity.types import Alignment, Sentence

_EMB = HashingEmbedder()
_WORDS = ["apple", "river", "stone", "cloud", "market", "engine", "garden", "letter", "window", "forest",
          "silver", "planet", "doctor", "bridge", "castle", "number", "yellow", "summer", "winter", "camera"]  # fmt: skip


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(i, 0, len(t), t, t, i) for i, t in enumerate(texts)]


def _align(a: list[str], b: list[str], **kw: object) -> Alignment:
    sa, sb = _sentences(a), _sentences(b)
    return align(sa, sb, _EMB.encode(a) if a else None, _EMB.encode(b) if b else None, settings=AlignSettings(**kw))  # type: ignore[arg-type]


# the default group limits: between two 1:1 groups the second pass forms groups of up to
# anchor_group a side and anchor_size in all, beyond the first pass's max_group / max_size
_K, _SIZE = AlignSettings().longest_run, max(AlignSettings().max_size, AlignSettings().anchor_size)
_RUN = AlignSettings().longest_run


def _check_cover(al: Alignment, n: int, m: int, k: int = _K, size: int = _SIZE) -> None:
    orig = sorted(i for g in al.groups for i in g.original)
    copy = sorted(j for g in al.groups for j in g.copy)
    assert orig == list(range(n))
    assert copy == list(range(m))
    for g in al.groups:
        assert len(g.original) <= k and len(g.copy) <= k
        assert len(g.original) + len(g.copy) <= max(size, 2) or not (g.original and g.copy)
        assert list(g.original) == list(range(g.original[0], g.original[0] + len(g.original))) if g.original else True
        if g.kind in ("match", "moved"):
            assert g.original and g.copy
        elif g.kind == "omission":
            assert g.original and not g.copy
        else:
            assert g.copy and not g.original


sentence = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=9).map(lambda ws: " ".join(ws).capitalize() + ".")
docs = st.lists(sentence, min_size=0, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs, docs, st.integers(1, 3))
def test_every_sentence_in_exactly_one_group_within_size(a: list[str], b: list[str], k: int) -> None:
    al = _align(a, b, max_group=k, anchor_group=0)  # one pass: its limits hold everywhere
    _check_cover(al, len(a), len(b), k)


@settings(max_examples=25, deadline=None)
@given(docs, docs)
def test_deterministic(a: list[str], b: list[str]) -> None:
    assert _align(a, b) == _align(a, b)


@settings(max_examples=25, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=30, unique=True))
def test_self_alignment_is_identity(a: list[str]) -> None:
    al = _align(a, a)
    assert [(g.original, g.copy, g.kind) for g in al.groups] == [((i,), (i,), "match") for i in range(len(a))]


@settings(max_examples=20, deadline=None)
@given(st.lists(sentence, min_size=0, max_size=40), st.data())
def test_banded_path_covers_everything(a: list[str], data: st.DataObject) -> None:
    # a tiny full_limit forces the coarse-to-fine band even on small inputs
    b = data.draw(st.lists(sentence, min_size=0, max_size=40))
    al = _align(a, b, full_limit=1, coarse_size=5, band_margin=3)
    _check_cover(al, len(a), len(b))


_TEXT = [
    "The committee met on Monday to discuss the new budget for the city schools.",
    "Several members argued that the proposal ignored the needs of rural districts.",
    "The mayor replied that additional funds would arrive next spring.",
    "Teachers gathered outside the building holding signs about class sizes.",
    "A vote on the budget was postponed until the end of the month.",
    "Local businesses offered to sponsor new equipment for the science labs.",
    "The chairman thanked everyone and closed the session shortly after nine.",
    "Reporters were told that a summary would be published on the council website.",
]


def test_omission_addition_and_merge() -> None:
    copy = [_TEXT[0], _TEXT[1][:-1] + ", and " + _TEXT[2][0].lower() + _TEXT[2][1:], _TEXT[3],
            "Completely unrelated words about penguins swimming in frozen oceans far away.", _TEXT[5], _TEXT[6], _TEXT[7]]  # fmt: skip
    al = _align(_TEXT, copy)
    pairs = {(g.original, g.copy): g.kind for g in al.groups}
    assert pairs[((1, 2), (1,))] == "match"
    assert pairs[((4,), ())] == "omission"
    assert pairs[((), (3,))] == "addition"


def test_moved_passage_is_reported_as_moved() -> None:
    copy = _TEXT[:2] + _TEXT[4:] + _TEXT[2:4]
    al = _align(_TEXT, copy)
    kinds = {g.original: g.kind for g in al.groups}
    assert kinds[(2,)] == kinds[(3,)] == "moved"
    assert all(kinds[(i,)] == "match" for i in (0, 1, 4, 5, 6, 7))
    # the moved groups stay at their original place in reading order
    assert [g.original for g in al.groups] == [(i,) for i in range(8)]


def test_additions_sit_where_the_copy_has_them() -> None:
    copy = [_TEXT[0], "An inserted remark about mountains and weather in the north.", _TEXT[1], _TEXT[2]]
    al = _align(_TEXT[:3], copy)
    assert [(g.original, g.copy) for g in al.groups] == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,))]


def test_empty_sides() -> None:
    assert _align([], []).groups == ()
    assert [g.kind for g in _align(_TEXT[:2], []).groups] == ["omission", "omission"]
    assert [g.kind for g in _align([], _TEXT[:2]).groups] == ["addition", "addition"]


def test_settings_signature_and_validation() -> None:
    sig = AlignSettings().signature
    assert sig.startswith("align:nm4-") and "skip" in sig and "grp" in sig
    assert AlignSettings(skip_cost=0.5).signature != sig
    with pytest.raises(ConfigError):
        AlignSettings(max_group=0)
    with pytest.raises(ConfigError):
        AlignSettings(emb_weight=1.5)


def test_settings_follow_the_pair_of_languages() -> None:
    from fidelity.align import CROSS_LINGUAL, MONOLINGUAL, settings_for

    assert settings_for(("de", "fr")) == CROSS_LINGUAL and CROSS_LINGUAL.overlap
    assert settings_for(("fr", "FR")) == settings_for(("en", "en")) == MONOLINGUAL == AlignSettings()
    assert settings_for(("auto", "fr")) == MONOLINGUAL  # a side not told yet is not a second language
    assert CROSS_LINGUAL.signature.endswith("-ovl-join3") and not MONOLINGUAL.signature.endswith("-ovl")


def test_overlap_settings_refuse_sentence_vectors() -> None:
    from fidelity.align import CROSS_LINGUAL, side_vectors

    a = _sentences(_TEXT[:3])
    with pytest.raises(ConfigError, match="overlap vectors"):
        align(a, a, _EMB.encode(_TEXT[:3]), _EMB.encode(_TEXT[:3]), settings=CROSS_LINGUAL)
    vec = side_vectors(_EMB, _TEXT[:3], CROSS_LINGUAL)
    assert vec.shape[:2] == (CROSS_LINGUAL.longest_run, 3)
    assert [(g.original, g.copy) for g in align(a, a, vec, vec, settings=CROSS_LINGUAL).groups] == [((i,), (i,)) for i in range(3)]


def test_a_boundary_after_a_clause_costs_clause_penalty() -> None:
    # pre-split text cut at ';': the line's sentence goes on, so a group boundary after it costs
    # clause_penalty; at a high price the clause and its sentence's rest stay in one group
    a = ["The doctor crossed the silver bridge;", "the winter came early to the forest."]
    b = ["The doctor crossed the silver bridge.", "The winter came early to the forest."]
    pairs = {p: [(g.original, g.copy) for g in _align(a, b, clause_penalty=p).groups] for p in (0.0, 0.2, 3.0)}
    assert pairs[0.0] == pairs[0.2] == [((0,), (0,)), ((1,), (1,))]  # two near-identical pairs outweigh one clause
    assert pairs[3.0] == [((0, 1), (0, 1))]
    # the last line has no sentence after it: its ';' costs nothing
    ends = [(g.original, g.copy) for g in _align([a[0], "Spring came;"], [b[0], "Spring came."], clause_penalty=3.0).groups]
    assert ends == [((0, 1), (0, 1))] and AlignSettings(clause_penalty=0.3).signature != AlignSettings().signature


def test_scores_are_similarities() -> None:
    al = _align(_TEXT, _TEXT)
    assert all(g.score == pytest.approx(1.0, abs=1e-4) for g in al.groups)
    assert np.isfinite([g.score for g in al.groups]).all()


def _doc(items: list[tuple[str, int, bool]]) -> list[Sentence]:
    """(text, paragraph, heading) -> sentences."""
    return [Sentence(i, 0, len(t), t, t, p, h) for i, (t, p, h) in enumerate(items)]


def _align_docs(a: list[Sentence], b: list[Sentence], **kw: object) -> Alignment:
    return align(a, b, _EMB.encode([s.text for s in a]), _EMB.encode([s.text for s in b]), settings=AlignSettings(**kw))  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(sentence, st.booleans()), min_size=1, max_size=20), st.lists(st.tuples(sentence, st.booleans()), min_size=1, max_size=20))
def test_headings_are_never_in_multi_sentence_groups(a: list[tuple[str, bool]], b: list[tuple[str, bool]]) -> None:
    da = _doc([(t, k, h) for k, (t, h) in enumerate(a)])
    db = _doc([(t, k, h) for k, (t, h) in enumerate(b)])
    al = _align_docs(da, db)
    _check_cover(al, len(a), len(b))
    for g in al.groups:
        if len(g.original) + len(g.copy) > 2:
            assert not any(da[i].heading for i in g.original) and not any(db[j].heading for j in g.copy)


def test_new_heading_is_an_addition_not_merged() -> None:
    # the new heading repeats words of the next sentence, which tempts a 1:2 group
    orig = _doc([(_TEXT[0], 0, False), (_TEXT[1], 1, False), (_TEXT[2], 1, False)])
    copy = _doc([(_TEXT[0], 0, False), ("Rural districts ignored", 1, True), (_TEXT[1], 2, False), (_TEXT[2], 2, False)])
    al = _align_docs(orig, copy)
    assert [(g.original, g.copy) for g in al.groups] == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,))]


def test_reworded_heading_in_the_same_place_is_paired() -> None:
    orig = _doc([(_TEXT[0], 0, False), ("Money for schools", 1, True), (_TEXT[1], 2, False)])
    copy = _doc([(_TEXT[0], 0, False), ("A budget fight", 1, True), (_TEXT[1], 2, False)])
    al = _align_docs(orig, copy)
    assert [(g.original, g.copy, g.kind) for g in al.groups] == [((0,), (0,), "match"), ((1,), (1,), "match"), ((2,), (2,), "match")]
    # the same gap with body sentences stays an omission and an addition
    orig = _doc([(_TEXT[0], 0, False), ("Money for schools was short.", 1, False), (_TEXT[1], 2, False)])
    copy = _doc([(_TEXT[0], 0, False), ("A budget fight broke out.", 1, False), (_TEXT[1], 2, False)])
    kinds = [g.kind for g in _align_docs(orig, copy).groups]
    assert kinds == ["match", "omission", "addition", "match"]


def test_paragraph_breaks_inside_runs() -> None:
    from fidelity.align import _Side

    one = np.ones((5, 2), dtype=np.float32)
    side = _Side.build(one, one, np.ones(5, dtype=np.int64), np.zeros(5, dtype=bool), np.array([0, 0, 1, 1, 2]), 3)
    assert side.breaks[0].tolist() == [0, 0, 0, 0, 0]
    assert side.breaks[1].tolist() == [0, 0, 1, 0, 1]  # runs (1,2) and (3,4) cross a boundary
    assert side.breaks[2].tolist() == [0, 0, 1, 1, 1]
    # one sentence per paragraph (e.g. --split lines): paragraphs say nothing, no penalty anywhere
    lines = _Side.build(one, one, np.ones(5, dtype=np.int64), np.zeros(5, dtype=bool), np.arange(5), 3)
    assert not any(b.any() for b in lines.breaks)
    assert side.norms_emb[1][1] == pytest.approx(2 * np.sqrt(2))


def test_group_whose_parts_each_match_is_split() -> None:
    """A 2:2 group is two 1:1 pairs when each diagonal pair matches on its own; a real 2:2
    (the content crosses the sentence boundary) stays one group."""
    from fidelity.align import _Calibration, _Features, _split_groups

    basis = np.eye(8, dtype=np.float32)
    filler = [basis[k] for k in range(4, 8)]

    def feats(copy_vecs: list[np.ndarray]) -> _Features:
        o = np.stack([basis[0], basis[1], *filler])
        c = np.stack([*copy_vecs, *filler])
        c = c / np.linalg.norm(c, axis=1, keepdims=True)
        return _Features.build(_sentences(["o"] * 6), _sentences(["c"] * 6), o, c, AlignSettings(emb_weight=1.0))

    calib = _Calibration({(a, b): 0.0 for a in (1, 2, 3) for b in (1, 2, 3)}, 1.0)
    s = AlignSettings(emb_weight=1.0)
    kept = feats([basis[0], 0.8 * basis[1] + 0.6 * basis[2]])  # second pair weaker but a match
    assert _split_groups(kept, calib, s, [((0, 1), (0, 1))]) == [((0,), (0,)), ((1,), (1,))]
    crossed = feats([basis[0] + basis[1], basis[0] + basis[1]])  # each copy sentence says half of both
    assert _split_groups(crossed, calib, s, [((0, 1), (0, 1))]) == [((0, 1), (0, 1))]


def test_an_edge_sentence_the_group_reads_better_without_is_left_out() -> None:
    """A line that says nothing of the group's content (a caption, OCR debris) absorbed at its
    edge is an omission of its own; a sentence that carries half of a 2:1 stays in it."""
    from fidelity.align import _Calibration, _Features, _trim_groups

    basis = np.eye(6, dtype=np.float32)

    def feats(original: list[np.ndarray], copy: list[np.ndarray]) -> _Features:
        o, c = (np.stack(v) / np.linalg.norm(np.stack(v), axis=1, keepdims=True) for v in (original, copy))
        return _Features.build(_sentences(["o"] * len(o)), _sentences(["c"] * len(c)), o, c, AlignSettings(emb_weight=1.0))

    # a free translation's scale: typical best match 0.8, random 0 (without the debris line the
    # group's similarity rises from 0.71 to 1, 0.37 of that scale)
    calib = _Calibration({(a, b): 0.0 for a in range(1, 6) for b in range(1, 6)}, 0.8)
    s = AlignSettings(emb_weight=1.0)
    debris = feats([basis[0], basis[3], basis[4]], [basis[0], basis[5]])
    assert _trim_groups(debris, calib, s, [((0, 1), (0,))]) == [((0,), (0,)), ((1,), ())]
    assert _trim_groups(debris, calib, replace(s, trim_gain=0.0), [((0, 1), (0,))]) == [((0, 1), (0,))]
    assert _trim_groups(debris, calib, replace(s, trim_gain=0.4), [((0, 1), (0,))]) == [((0, 1), (0,))]
    halves = feats([basis[0], basis[1], basis[4]], [basis[0] + basis[1], basis[5]])  # a 2:1 split of one sentence
    assert _trim_groups(halves, calib, s, [((0, 1), (0,))]) == [((0, 1), (0,))]
    # a debris line at the start of a copy run
    lead = feats([basis[0], basis[4]], [basis[3], basis[0], basis[5]])
    assert _trim_groups(lead, calib, s, [((0,), (0, 1))]) == [((0,), (1,)), ((), (0,))]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs, docs, st.integers(1, 4), st.integers(2, 8))
def test_overlap_embeddings_cover_every_sentence(a: list[str], b: list[str], k: int, size: int) -> None:
    from fidelity.align import overlap_vectors

    sa, sb = _sentences(a), _sentences(b)
    va = overlap_vectors(_EMB, a, max(k, _RUN)) if a else None
    vb = overlap_vectors(_EMB, b, max(k, _RUN)) if b else None
    al = align(sa, sb, va, vb, settings=AlignSettings(max_group=k, max_size=size))
    _check_cover(al, len(a), len(b), max(k, _RUN), max(size, _SIZE))


def test_overlap_vectors_read_the_joined_text() -> None:
    from fidelity.align import OVERLAP_JOINED, overlap_texts, overlap_vectors

    texts = ["One apple.", "Two rivers.", "Three stones."]
    assert overlap_texts(texts, 2) == [*texts, "One apple.", "One apple. Two rivers.", "Two rivers. Three stones."]
    vec = overlap_vectors(_EMB, texts, 2)
    single = _EMB.encode(texts)
    assert vec.shape == (2, 3, single.shape[1])
    np.testing.assert_allclose(vec[0], single, rtol=1e-5)
    # a run of two: mostly the joined text's embedding, partly its sentences' average
    joined, average = _EMB.encode(["Two rivers. Three stones."])[0], single[1] + single[2]
    blend = OVERLAP_JOINED * joined + (1 - OVERLAP_JOINED) * average / np.linalg.norm(average)
    np.testing.assert_allclose(vec[1, 2], blend / np.linalg.norm(blend), rtol=1e-5, atol=1e-6)
    assert float(vec[1, 2] @ joined) > float(vec[1, 2] @ average) / np.linalg.norm(average)


def test_a_merge_is_found_from_the_joined_text() -> None:
    # the copy joins two sentences into one: the joined text's own embedding matches it
    a = ["The engine of the yellow camera failed.", "The doctor crossed the silver bridge.", "Winter came to the forest."]
    b = ["The engine of the yellow camera failed, and the doctor crossed the silver bridge.", "Winter came to the forest."]
    from fidelity.align import overlap_vectors

    al = align(_sentences(a), _sentences(b), overlap_vectors(_EMB, a, _RUN), overlap_vectors(_EMB, b, _RUN))
    assert [(g.original, g.copy) for g in al.groups] == [((0, 1), (0,)), ((2,), (1,))]


def test_verbatim_anchors_pair_unique_left_over_twins_only() -> None:
    from fidelity.align import _verbatim_anchors

    original = _sentences(["The cat sat on the mat.", "Same here.", "Same here.", "It rains, often.", "Kept."])
    original[4] = Sentence(4, 0, 5, "Kept.", "Kept.", 4, heading=True)
    copy = _sentences(["Same here.", "it rains often", "The cat sat on the mat.", "Kept.", "...", "..."])
    pairs = [((i,), ()) for i in range(5)] + [((), (j,)) for j in range(6)]
    out = _verbatim_anchors(pairs, original, copy)
    two = sorted(p for p in out if p[0] and p[1])
    # exact text, then the same words with case and punctuation changed; a text repeated in the
    # original, a heading against body text, and sentences without words stay for the search
    assert two == [((0,), (2,)), ((3,), (1,))]
    assert sorted(i for o, _ in out for i in o) == list(range(5))
    assert sorted(j for _, c in out for j in c) == list(range(6))


def test_skip_cost_follows_the_documents_typical_match() -> None:
    from fidelity.align import _skip_cost

    # a close copy (typical best match ~identical) keeps the floor: an unrelated sentence stays out
    assert _skip_cost(0.99, 0.1, 0.4, 1.8) == pytest.approx(0.4)
    # a free translation (typical distance 0.4 / 0.9) pays more to leave a sentence out
    assert _skip_cost(0.6, 0.1, 0.4, 1.8) == pytest.approx(1.8 * 0.4 / 0.9)


def test_group_cost_grows_with_size_and_a_near_identical_pair_stays_one_to_one() -> None:
    from fidelity.align import _group_cost

    gp = AlignSettings().group_penalty
    # two identical pairs cost less apart than as one 2:2 group
    assert 2 * _group_cost(0.0, 1, 1, gp) < _group_cost(0.0, 2, 2, gp)
    # a sentence joins a group only when the group stays much closer than the pair plus a skip
    skip = AlignSettings().skip_cost
    assert _group_cost(0.1, 1, 1, gp) + skip < _group_cost(0.3, 1, 2, gp)
    assert _group_cost(0.1, 1, 2, gp) < _group_cost(0.3, 1, 1, gp) + skip


def test_length_mismatch_is_relative_to_the_pairs_length_ratio() -> None:
    from fidelity.align import _Features, _shapes

    o = ["Apple river stone cloud.", "Market engine garden letter window."]
    c = [f"{t} {t}" for t in o]  # each copy sentence says its original twice
    s = AlignSettings()
    f = _Features.build(_sentences(o), _sentences(c), _EMB.encode(o), _EMB.encode(c), s)
    ratio = f.calibrate(_shapes(s)).length_ratio
    assert ratio > 1.4  # the copy's sentences are longer than their best matches in the original
    m = f.length_mismatch(1, 1, slice(0, 2), slice(0, 2), ratio)
    assert m.shape == (2, 2) and m[0, 0] < 0.1 and m[1, 1] < 0.1  # in proportion: no penalty
    assert f.length_mismatch(2, 1, slice(1, 2), slice(0, 1), ratio)[0, 0] > m[0, 0]  # both originals against one copy


def test_overlap_vectors_too_short_for_max_group_are_refused() -> None:
    from fidelity.align import overlap_vectors

    a = ["One apple.", "Two rivers."]
    with pytest.raises(ConfigError, match="groups of up to 5 a side"):
        align(_sentences(a), _sentences(a), overlap_vectors(_EMB, a, 2), overlap_vectors(_EMB, a, 2))


def test_a_copy_that_repeats_the_original_still_pairs_it() -> None:
    # the length term compares a group's sides relative to the pair's typical length ratio, taken
    # from the sentences' best matches: a copy seven times as long overall is not "longer" per pair
    a = ["The minister announced a budget of five million euros on Monday.", "The plan funds twelve new schools."]
    b = [a[0].replace("five", "six"), a[1]] * 7
    al = _align(a, b)
    assert [g.kind != "omission" for g in al.groups if g.original] == [True, True]  # paired (in order or moved)
    assert sum(1 for g in al.groups if g.kind == "addition") == 12


def test_second_pass_finds_a_group_larger_than_the_first_pass_allows() -> None:
    # the copy joins five short sentences into one: a 5:1 group, beyond max_group 4 of the first
    # pass; the second pass, between the first pass's 1:1 groups, may form it
    a = ["The doctor crossed the silver bridge at dawn.", "Winter came early to the northern forest that year.",
         "Rain.", "Then snow.", "Then wind from the sea.", "The river froze.", "The market closed.",
         "The engine of the yellow camera failed in the cold.", "A letter arrived from the castle on the hill."]
    b = [a[0], a[1], "Rain, then snow, then wind from the sea: the river froze and the market closed.", a[7], a[8]]
    joined = ((2, 3, 4, 5, 6), (2,))
    assert joined in [(g.original, g.copy) for g in _align(a, b).groups]
    one_pass = [(g.original, g.copy, g.kind) for g in _align(a, b, anchor_group=0).groups]
    assert joined[:2] not in [(o, c) for o, c, _ in one_pass] and ((2,), (), "omission") in one_pass


def test_overlap_runs_longer_than_joined_are_their_sentences_average() -> None:
    from fidelity.align import overlap_vectors

    texts = ["The bridge is closed.", "Cars take the ring road.", "Repairs cost 4 million.", "Work lasts six months."]
    full, cut = overlap_vectors(_EMB, texts, 4), overlap_vectors(_EMB, texts, 4, joined=2)
    assert np.allclose(full[:2], cut[:2])  # runs of 1 and 2: the same
    average = cut[0][0:3].sum(axis=0)
    assert np.allclose(cut[2][2], average / np.linalg.norm(average), atol=1e-6)  # a run of 3: the average alone
    assert not np.allclose(full[2][2], cut[2][2])


def _calibration_bits(f: object, shapes: list[tuple[int, int]]) -> tuple[object, ...]:
    c = f.calibrate(shapes)  # type: ignore[attr-defined]
    return (c.background, c.typical, c.skip, c.length_ratio,
            {k: v.tobytes() for k, v in c.row.items()}, {k: v.tobytes() for k, v in c.col.items()})


@pytest.mark.parametrize("overlap", [False, True])
@pytest.mark.parametrize(("n", "m"), [(1, 1), (1, 3), (2, 1), (2, 3), (3, 3), (5, 4), (40, 37)])
def test_calibration_reuses_runs_bit_for_bit(monkeypatch: pytest.MonkeyPatch, n: int, m: int, overlap: bool) -> None:
    """Short documents read their runs from a table (``_Side._tabled``) and reuse the
    similarities of samples drawn twice (``_Features._local``, ``_median``): the calibration
    must be the one computed run by run, bit for bit."""
    import fidelity.align as align_module
    from fidelity.align import _calibrated_shapes, _Features, overlap_vectors

    words = "apple river stone cloud market engine garden letter window paper tiger lamp".split()
    rng = np.random.default_rng(n * 100 + m)
    o = [" ".join(rng.choice(words, size=int(rng.integers(3, 9)))) + "." for _ in range(n)]
    c = [" ".join(rng.choice(words, size=int(rng.integers(3, 9)))) + "." for _ in range(m)]
    s = AlignSettings()
    shapes = _calibrated_shapes(s)

    def features() -> object:
        if overlap:
            k = s.longest_run
            return _Features.build(_sentences(o), _sentences(c), overlap_vectors(_EMB, o, k), overlap_vectors(_EMB, c, k), s)
        return _Features.build(_sentences(o), _sentences(c), _EMB.encode(o), _EMB.encode(c), s)

    fast = _calibration_bits(features(), shapes)
    monkeypatch.setattr(align_module, "_TABLE_ROWS", 0)  # every run summed on its own, as before the table
    _every_shape_on_its_own(monkeypatch)
    real_local, real_median = _Features._local, _Features._median
    monkeypatch.setattr(_Features, "_local", lambda self, this, other, a, b, rng, seen: real_local(self, this, other, a, b, rng, {}))
    monkeypatch.setattr(_Features, "_median", lambda self, a, b, i, j, seen: real_median(self, a, b, i, j, {}))
    assert _calibration_bits(features(), shapes) == fast


def _every_shape_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The aligner without its shortcuts for runs as long as a side: every draw from the
    generator, every shape calibrated and priced, every run size's arrays computed."""
    import fidelity.align as align_module

    monkeypatch.setattr(align_module, "_draw", lambda rng, low, high, size: rng.integers(low, high, size=size))
    monkeypatch.setattr(align_module, "_whole_sides", lambda shapes, n, m: {})
    monkeypatch.setattr(align_module, "_distinct_sizes", lambda k, n: k)
    monkeypatch.setattr(align_module, "_fitting", lambda shapes, n, m: list(shapes))


@pytest.mark.parametrize(("n", "m"), [(1, 1), (1, 2), (2, 1), (1, 5), (2, 2), (3, 4), (6, 5), (12, 10)])
def test_short_sides_align_as_with_every_shape_and_draw(monkeypatch: pytest.MonkeyPatch, n: int, m: int) -> None:
    """Sides shorter than the longest run (most batch pairs are one sentence a side) skip the
    draws of one-value ranges, the shapes that cannot fit and the run sizes past their length:
    the alignment (scores included) and the calibration must be those of the full computation,
    bit for bit."""
    from fidelity.align import _calibrated_shapes, _Features

    rng = np.random.default_rng(n * 31 + m)
    for trial in range(4):
        o = [" ".join(rng.choice(_WORDS, size=int(rng.integers(3, 9)))) + "." for _ in range(n)]
        c = [" ".join(rng.choice(_WORDS, size=int(rng.integers(3, 9)))) + "." for _ in range(m)]
        if trial % 2:
            c = [o[int(rng.integers(0, n))] for _ in range(m)]  # near matches, so groups form
        s = AlignSettings()
        feats = _Features.build(_sentences(o), _sentences(c), _EMB.encode(o), _EMB.encode(c), s)
        side_bits = [[x.tobytes() for x in getattr(side, f)] for side in (feats.o, feats.c)
                     for f in ("norms_emb", "norms_lex", "heading", "breaks", "run_length")]
        fast = (_align(o, c), _calibration_bits(feats, _calibrated_shapes(s)), side_bits)
        with pytest.MonkeyPatch.context() as mp:
            _every_shape_on_its_own(mp)
            feats = _Features.build(_sentences(o), _sentences(c), _EMB.encode(o), _EMB.encode(c), s)
            side_bits = [[x.tobytes() for x in getattr(side, f)] for side in (feats.o, feats.c)
                         for f in ("norms_emb", "norms_lex", "heading", "breaks", "run_length")]
            assert (_align(o, c), _calibration_bits(feats, _calibrated_shapes(s)), side_bits) == fast


def test_a_one_value_range_draws_nothing_from_the_generator() -> None:
    """``_draw`` fills a range of one value without the generator; the draws after it must be
    the ones the generator gives when asked for that range too (numpy consumes nothing)."""
    from fidelity.align import _draw

    ranges = [(0, 1, 4), (3, 9, 50), (4, 5, 2000), (0, 2, 7), (6, 7, 1), (0, 300, 300)]
    ours, numpys = np.random.default_rng(0), np.random.default_rng(0)
    for low, high, size in ranges:
        got, want = _draw(ours, low, high, size), numpys.integers(low, high, size=size)
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
