"""fidelity.judge: the evidence (token alignment, the checks' findings) and the decisions the judge
takes from its probabilities, on real reports of the packaged model; then the packaged weights."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from fidelity.errors import FidelityError
from fidelity.eval.common import compare_rows
from fidelity.judge import DATA, DEFAULT, RULE, Judge
from fidelity.judge.evidence import (
    FEATURES,
    FINDING_FEATURES,
    FINDING_INPUTS,
    PAIR_INPUTS,
    TOKEN_FEATURES,
    TokenStates,
    inputs,
    pair_evidence,
)
from fidelity.pipeline import Options, compare
from fidelity.segment import segment
from fidelity.types import Category, Severity, Verdict

REF = "The council approved the new budget on Monday. The debate lasted four hours."
NEG = "On Monday the council did not approve the new budget. The debate lasted four hours."
PARA = "On Monday, the council passed the new budget. The debate went on for four hours."
GARBLED = "The council approved the new budget on Monday. The fake words the big ones went."


@pytest.fixture(scope="module")
def reports(minilm):
    got = compare_rows([(REF, NEG), (REF, PARA), (REF, GARBLED), ("It's really horrifying.", "It was horrible.")], options=Options(), embedder=minilm)
    assert not any(isinstance(r, str) for r in got)
    return got


def evidence(report):
    so, sc = segment(report.original_doc), segment(report.copy_doc)
    texts = sorted({s.text for s in (*so, *sc)})
    return pair_evidence(report, so, sc, dict(zip(texts, TokenStates().states(texts), strict=True)))


def toy_judge(threshold: float = 0.5) -> Judge:
    n = len(FEATURES)
    return Judge("judge-test", FEATURES, np.zeros(n), np.ones(n), ((np.zeros((n, 1)), np.zeros(1)),), threshold, threshold)


def test_token_features_describe_each_copy_word_and_its_match(reports):
    report = reports[0]  # the council "did not approve" the budget
    ev = evidence(report)
    col = {n: k for k, n in enumerate(TOKEN_FEATURES)}
    words = {}
    for e in ev:
        assert e.tokens.shape == (len(e.token_offsets), len(TOKEN_FEATURES)) == (len(e.token_matches), len(TOKEN_FEATURES))
        for (start, end), row in zip(e.token_offsets, e.tokens, strict=True):
            words[report.copy_doc.text[start:end]] = row
    assert words["not"][col["t_negation"]] == 1 and words["not"][col["t_word_in_original"]] == 0
    assert words["not"][col["t_check_major"]] == 1 and words["not"][col["t_best"]] < words["budget"][col["t_best"]]
    assert words["budget"][col["t_word_in_original"]] == 1 and words["budget"][col["t_negation"]] == 0
    assert words["On"][col["t_capital_inside"]] == 0  # a sentence's first word
    assert words["four"][col["t_digit"]] == 0 and words["."][col["t_punct"]] == 1


def test_finding_inputs_say_what_changed(minilm):
    (report,) = compare_rows([("Keir Starmer spoke for 5 minutes.", "Kirm Starmer spoke for 50 minutes.")], options=Options(), embedder=minilm)
    ev = evidence(report)
    col = {n: k for k, n in enumerate(FINDING_INPUTS)}
    by_text = {}
    for e in ev:
        pair_x, rows = inputs(report, e, np.linspace(0, 1, len(e.tokens)))
        assert pair_x.shape == (len(PAIR_INPUTS),)
        for k, x in rows:
            assert x.shape == (len(FINDING_INPUTS),)
            by_text[report.findings[k].copy_span.text] = x
    number, name = by_text["50"], by_text["Kirm"]
    assert number[col["f_has_numbers"]] == 1 and number[col["f_log_number_ratio"]] == pytest.approx(np.log(10), abs=1e-6)
    assert name[col["f_has_numbers"]] == 0 and 0 < name[col["f_char_similarity"]] < 1
    assert name[col["f_orig_in_copy"]] == 0  # "Keir" appears nowhere in the copy
    # the rest of the sentence is the original's words ("50" aside): a change in a close sentence
    assert 0.7 < name[col["f_rest_in_original"]] < 1 and name[col["f_rest_align"]] > 0.8


def test_trees_apply_the_exported_gradient_boosting_as_scikit_learn_does():
    import runpy

    from sklearn.ensemble import HistGradientBoostingClassifier

    from fidelity.judge import Trees

    train = runpy.run_path(str(DATA.parents[1] / "training" / "judge" / "train.py"))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] * x[:, 2] + rng.normal(scale=0.5, size=600) > 0).astype(int)
    exported = train["fit_trees"](x, y, np.ones(600))
    trees = Trees.from_json(json.loads(json.dumps({**exported, "features": ["a", "b", "c", "d"]})))
    reference = HistGradientBoostingClassifier(**train["TREES"], early_stopping=False, random_state=0).fit(x, y)
    probe = rng.normal(size=(200, 4))
    assert np.allclose(trees.probabilities(probe), reference.predict_proba(probe)[:, 1], atol=1e-5)


def test_token_states_cover_the_text_without_special_tokens():
    (tv,) = TokenStates().states(["The budget passed."])
    assert tv.vectors.shape == (4, 384)  # the, budget, passed, .
    assert np.allclose(np.linalg.norm(tv.vectors, axis=1), 1.0, atol=1e-5)
    assert [tuple(o) for o in tv.offsets] == [(0, 3), (4, 10), (11, 17), (17, 18)]


def test_token_states_keep_middle_layers_of_the_same_pass():
    from fidelity.judge.evidence import MID_LAYERS

    (tv,) = TokenStates().states(["The budget passed."])
    assert len(tv.layers) == len(MID_LAYERS) and all(x.shape == tv.vectors.shape for x in tv.layers)
    assert all(np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5) for x in tv.layers)
    assert not np.allclose(tv.layers[0], tv.vectors)  # another layer's states, not the last one again


def test_middle_layer_and_spelling_features_tell_a_changed_name_from_a_kept_one(minilm):
    (report,) = compare_rows([("Keir Starmer spoke for five minutes.", "Kirm Starmer spoke for five minutes.")], options=Options(), embedder=minilm)
    col = {n: k for k, n in enumerate(TOKEN_FEATURES)}
    words = {}
    for e in evidence(report):
        for (start, end), row in zip(e.token_offsets, e.tokens, strict=True):
            words[report.copy_doc.text[start:end]] = row
    kept, changed = words["Star"], words["Ki"]  # word pieces: "Star"+"mer", "Ki"+"rm"; their word is the whole word
    assert kept[col["t_char_best"]] == 1.0 and words["rm"][col["t_char_best"]] == changed[col["t_char_best"]] and 0 < changed[col["t_char_best"]] < 0.6
    for layer in (2, 4):
        assert words["spoke"][col[f"t_l{layer}_best"]] > 0.9 and words["spoke"][col[f"t_l{layer}_mutual"]] == 1
        assert changed[col[f"t_l{layer}_best"]] < words["spoke"][col[f"t_l{layer}_best"]]


def test_share_score_keeps_a_mostly_faithful_document_above_zero(reports):
    from fidelity.judge import document_score

    report = reports[2]  # the second sentence garbled, the first one kept
    ev = evidence(report)
    probs = np.array([1.0 if "fake" in report.pairs[e.pair].copy_text else 0.0 for e in ev])
    assert len(ev) >= 2 and probs.sum() == 1
    assert document_score("worst", report, ev, probs) == 0.0
    share = document_score("share", report, ev, probs)
    assert 0 < share < 100 and share <= report.score
    assert document_score("share", report, ev, np.zeros(len(ev))) == report.score
    one = [ev[0]]
    assert document_score("share", report, one, np.array([0.3])) == document_score("worst", report, one, np.array([0.3]))


def test_evidence_points_at_the_passage_the_original_does_not_say(reports):
    ev = evidence(reports[2])
    assert len(ev) == len(reports[2].pairs) and all(e.features.shape == (len(FEATURES),) for e in ev)
    worst = min(ev, key=lambda e: e.worst_similarity)
    start, end = worst.worst_copy
    assert reports[2].copy_doc.text[start:end] in GARBLED.split(". ")[1]
    clean = evidence(reports[1])
    assert min(e.worst_similarity for e in clean) > worst.worst_similarity


def test_unlikely_major_is_regraded_minor_keeping_category_spans_and_explanation(reports):
    report = reports[0]
    negation = [f for f in report.findings if f.category == Category.NEGATION and f.severity >= Severity.MAJOR]
    assert negation, "the checks should flag the dropped approval"
    ev = evidence(report)
    judged = toy_judge().decide(report, ev, np.full(len(ev), 0.1))
    after = [f for f in judged.findings if f.rule == negation[0].rule]
    assert after[0].severity == Severity.MINOR
    assert (after[0].category, after[0].original_span, after[0].copy_span) == (negation[0].category, negation[0].original_span, negation[0].copy_span)
    assert after[0].message.startswith(negation[0].message) and "re-graded minor" in after[0].message
    # every sentence is matched and no major finding is left: the copy says what the original
    # says ("edited" would tell the reader that content was omitted, added or moved)
    assert all(p.kind == "match" for p in report.pairs) and judged.verdict == Verdict.FAITHFUL
    assert [f.severity for p in judged.pairs for f in p.findings] == [f.severity for f in judged.findings if f.pair is not None]


def test_likely_major_without_a_major_finding_gets_a_new_finding_an_editor_can_read(reports):
    report = reports[2]
    ev = evidence(report)
    worst = min(range(len(ev)), key=lambda k: ev[k].worst_similarity)
    probs = np.zeros(len(ev))
    probs[worst] = 0.9
    plain = replace(report, findings=(), pairs=tuple(replace(p, findings=()) for p in report.pairs), verdict=Verdict.EDITED)
    judged = toy_judge().decide(plain, ev, probs)
    (new,) = judged.findings
    assert (new.rule, new.severity, new.pair) == (RULE, Severity.MAJOR, ev[worst].pair)
    assert new.copy_span.text == report.copy_doc.text[new.copy_span.start : new.copy_span.end]
    assert repr(new.copy_span.text) in new.message and "no close counterpart" in new.message
    assert judged.verdict == Verdict.DISTORTED and judged.score <= 10.0
    assert "judge:judge-test" in judged.signature


def test_a_new_finding_covers_the_words_the_token_model_rates_likely_in_error(reports):
    report = reports[2]  # "The fake words the big ones went."
    ev = evidence(report)
    plain = replace(report, findings=(), pairs=tuple(replace(p, findings=()) for p in report.pairs), verdict=Verdict.EDITED)
    text = report.copy_doc.text
    token_probs = [np.array([0.9 if text[a:b] in ("fake", "words", "big") else 0.1 for a, b in e.token_offsets]) for e in ev]
    # the pair model flags only the pair that holds the garbled sentence (the aligner keeps the
    # identical first sentence a pair of its own)
    pair_probs = np.array([0.9 if (t > 0.5).any() else 0.1 for t in token_probs])
    assert (pair_probs == 0.9).sum() == 1
    judged = toy_judge().decide(plain, ev, pair_probs, {}, token_probs)
    new = [f for f in judged.findings if f.rule == RULE]
    # "fake words" and "big" are one run: the one-token gap ("the") is bridged
    assert [f.copy_span.text for f in new] == ["fake words the big"]
    assert all(f.severity == Severity.MAJOR and repr(f.copy_span.text) in f.message for f in new)
    assert new[0].original_span is None or new[0].original_span.text in REF


def test_a_short_pair_is_judged_on_its_meaning(reports):
    report = reports[3]
    # one sentence each, cosine 0.36: too short for coverage to say "not a copy" (short_document), so
    # the checks judge the pair's meaning, and the judge re-grades what they found
    assert report.verdict != Verdict.NOT_A_COPY and report.pairs[0].findings
    ev = evidence(report)
    judged = toy_judge().decide(report, ev, np.full(len(ev), 0.2))
    assert judged.verdict == Verdict.FAITHFUL and all(f.severity == Severity.MINOR for f in judged.findings)
    kept = toy_judge().decide(report, ev, np.full(len(ev), 0.8))
    assert kept.verdict == Verdict.DISTORTED


def test_an_edited_copy_keeps_the_checks_severity(minilm):
    # a near-verbatim copy with one figure changed: the word diff is exact, so however low the
    # judge's probability, the change stays critical; a reworded pair's major finding is re-graded
    original = "The council approved a budget of 4.2 million euros for the bridge on Tuesday."
    edited = "The council approved a budget of 42 million euros for the bridge on Tuesday."
    got = compare_rows([(original, edited), (REF, NEG)], options=Options(), embedder=minilm)
    for report, kept in zip(got, (True, False), strict=True):
        assert not isinstance(report, str)
        major = [f for f in report.findings if f.severity >= Severity.MAJOR]
        assert major
        ev = evidence(report)
        judged = toy_judge().decide(report, ev, np.full(len(ev), 0.05))
        after = [f for f in judged.findings if (f.rule, f.copy_span) == (major[0].rule, major[0].copy_span)]
        assert (after[0].severity == major[0].severity) is kept


def test_unknown_weights_name_the_choices():
    with pytest.raises(FidelityError, match="unknown judge 'judge-v0'; choose one of: judge-v"):
        Judge.load("judge-v0")


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("judge-v*.json")))
def test_packaged_weights_describe_their_inputs_data_and_thresholds(name):
    obj = json.loads((DATA / f"{name}.json").read_text())
    assert set(obj["features"]) <= set(PAIR_INPUTS) and set(obj["finding_model"]["features"]) <= set(FINDING_INPUTS)
    assert len(obj["layers"][0]["weight"]) == len(obj["mean"]) == len(obj["scale"]) == len(obj["features"])
    assert len(obj["layers"][-1]["bias"]) == 1
    assert 0 < obj["thresholds"]["keep"] <= 1 and 0 < obj["thresholds"]["new"] <= 1
    assert obj["threshold_rates"] and obj["data"]["mqm"]
    if "token_model" in obj:
        assert set(obj["token_model"]["features"]) <= set(TOKEN_FEATURES) and 0 < obj["thresholds"]["span"] < 1
    judge = Judge.load(name)  # loads, and reads only inputs this version computes
    assert judge.version == name


def _judged(minilm, copy: str):
    return _judged_with(minilm, copy, Options(judge=DEFAULT))


def test_pipeline_stage_with_the_packaged_judge(minilm):
    report = _judged(minilm, NEG)
    assert f"|judge:{DEFAULT}|" in report.signature
    (negation,) = [f for f in report.findings if f.category == Category.NEGATION]  # kept, whatever its grade
    assert negation.copy_span is not None and "not" in negation.copy_span.text
    honest = _judged(minilm, PARA)
    assert not any(f.severity >= Severity.MAJOR for f in honest.findings), [f.message for f in honest.findings]


@pytest.mark.xfail(strict=True, reason="judge-v2 re-grades this negation minor (p below its keep threshold): see training/judge/README.md")
def test_packaged_judge_keeps_a_dropped_approval_major(minilm):
    assert any(f.severity >= Severity.MAJOR for f in _judged(minilm, NEG).findings)


def test_a_finding_model_decides_each_finding_on_its_own_probability(reports):
    report = reports[0]
    ev = evidence(report)
    majors = [k for k, f in enumerate(report.findings) if f.severity >= Severity.MAJOR and f.pair is not None]
    assert majors and all(any(k == i for i, _ in e.findings) for k in majors for e in ev if e.pair == report.findings[k].pair)
    assert all(x.shape == (len(FINDING_FEATURES),) for e in ev for _, x in e.findings)
    low_pairs = np.full(len(ev), 0.1)
    rules = {report.findings[k].rule for k in majors}
    kept = toy_judge().decide(report, ev, low_pairs, {k: 0.9 for k in majors})
    assert [f.severity for f in kept.findings if f.rule in rules] == [report.findings[k].severity for k in majors]
    graded = toy_judge().decide(report, ev, np.full(len(ev), 0.4), {k: 0.1 for k in majors})
    regraded = [f for f in graded.findings if f.rule in rules]
    assert regraded and all(f.severity == Severity.MINOR and "this finding marks" in f.message for f in regraded)


def test_judge_v4_reads_its_token_model_and_keeps_spans_true_to_the_text(minilm):
    from fidelity.extract import extract

    options = Options(judge="judge-v4")
    for copy in (NEG, PARA, GARBLED):
        report = compare(extract("a", text=REF, keep_boilerplate=True), extract("b", text=copy, keep_boilerplate=True), options=options, embedder=minilm)
        assert "|judge:judge-v4|" in report.signature
        for f in report.findings:
            for span, doc in ((f.copy_span, report.copy_doc), (f.original_span, report.original_doc)):
                assert span is None or doc.text[span.start : span.end] == span.text
        assert all(repr(f.copy_span.text) in f.message for f in report.findings if f.rule == RULE)
        if copy == PARA:
            assert not any(f.severity >= Severity.MAJOR for f in report.findings), [f.message for f in report.findings]


def test_judge_v4_keeps_a_number_change_and_a_dropped_negation_in_a_close_sentence(minilm):
    """judge-v2 (and judge-v3, removed) re-grade both minor; judge-v4's models read no document-level inputs
    (size, position) and were trained on tampered copies too (training/judge/README.md)."""
    options = Options(judge="judge-v4")
    number = _judged_with(minilm, NUMBER[1], options, original=NUMBER[0])
    assert any(f.category == Category.NUMBER and f.severity >= Severity.MAJOR for f in number.findings), [f.message for f in number.findings]
    negation = _judged_with(minilm, NEG, options)
    assert any(f.category == Category.NEGATION and f.severity >= Severity.MAJOR for f in negation.findings)
    assert negation.verdict == Verdict.DISTORTED
    honest = _judged_with(minilm, PARA, options)
    assert not any(f.severity >= Severity.MAJOR for f in honest.findings), [f.message for f in honest.findings]


def _judged_with(minilm, copy: str, options: Options, original: str = REF):
    from fidelity.extract import extract

    return compare(extract("a", text=original, keep_boilerplate=True), extract("b", text=copy, keep_boilerplate=True), options=options, embedder=minilm)


NUMBER = ("Keir Starmer spoke for 5 minutes. The debate lasted four hours.", "Keir Starmer spoke for 50 minutes. The debate lasted four hours.")


def test_tagger_applies_the_trained_network_as_torch_computes_it_padding_and_one_sided_pairs_included():
    import runpy

    import torch

    from fidelity.judge.tagger import Tagger

    attention = runpy.run_path(str(DATA.parents[1] / "training" / "judge" / "attention.py"))
    torch.manual_seed(1)
    net = attention["_model"](1152, 3).eval()
    for p in net.parameters():
        torch.nn.init.normal_(p, std=0.1)
    tagger = Tagger.from_json(json.loads(json.dumps(attention["export"](net, ("a", "b", "c"), np.zeros(3), np.ones(3)))))
    rng = np.random.default_rng(0)
    for n, m in ((6, 9), (2, 0), (1, 1)):
        copy, original, f = (rng.normal(size=s).astype(np.float32) for s in ((n, 1152), (m, 1152), (n, 3)))
        xc, xo, fc = torch.zeros(2, n + 2, 1152), torch.zeros(2, m + 3, 1152), torch.zeros(2, n + 2, 3)
        mc, mo = torch.zeros(2, n + 2), torch.zeros(2, m + 3)
        xc[0, :n], xo[0, :m], fc[0, :n], mc[0, :n], mo[0, :m] = torch.from_numpy(copy), torch.from_numpy(original), torch.from_numpy(f), 1, 1
        xc[1], xo[1], mc[1], mo[1] = torch.randn(n + 2, 1152), torch.randn(m + 3, 1152), 1, 1  # another pair in the batch
        with torch.no_grad():
            expected = torch.sigmoid(net(xc, xo, fc, mc, mo))[0, :n].numpy()
        assert np.allclose(tagger.probabilities(copy, original, f), expected, atol=1e-4)


def test_judge_v5_tags_tokens_from_the_same_states_and_flags_a_changed_number_and_negation_not_a_copy(minilm):
    """judge-v5's token model is the attention tagger over the frozen MiniLM token states
    (training/judge/README.md); the packaged weights load with no hub and judge real pairs."""
    judge = Judge.load("judge-v5")
    assert judge.tagger is not None and set(judge.tagger.features) <= set(TOKEN_FEATURES)
    options = Options(judge="judge-v5")
    number = _judged_with(minilm, NUMBER[1], options, original=NUMBER[0])
    assert "|judge:judge-v5|" in number.signature
    assert any(f.category == Category.NUMBER and f.severity >= Severity.MAJOR for f in number.findings), [f.message for f in number.findings]
    negation = _judged_with(minilm, NEG, options)
    assert negation.verdict == Verdict.DISTORTED and any(f.severity >= Severity.MAJOR for f in negation.findings)
    same = _judged_with(minilm, REF, options)
    assert not any(f.severity >= Severity.MAJOR for f in same.findings) and same.verdict == Verdict.IDENTICAL
    honest = _judged_with(minilm, PARA, options)
    assert not any(f.severity >= Severity.MAJOR for f in honest.findings), [f.message for f in honest.findings]
    garbled = _judged_with(minilm, GARBLED, options)  # the checks' rewritten finding, or the judge's own, stays major
    assert any(f.rule in (RULE, "rewritten") and f.severity >= Severity.MAJOR and "fake words" in f.copy_span.text for f in garbled.findings)
    # the tagger reads the changed number as the likelier error than a kept word
    (report,) = compare_rows([("Keir Starmer spoke for 5 minutes.", "Keir Starmer spoke for 50 minutes.")], options=Options(), embedder=minilm)
    so, sc = segment(report.original_doc), segment(report.copy_doc)
    texts = sorted({s.text for s in (*so, *sc)})
    states = dict(zip(texts, TokenStates().states(texts), strict=True))
    ev = pair_evidence(report, so, sc, states)
    (probs,) = judge.tagger_probabilities(report, ev, so, sc, states)
    words = [report.copy_doc.text[a:b] for a, b in ev[0].token_offsets]
    assert probs[words.index("50")] > max(probs[words.index("spoke")], probs[words.index("minutes")])


def test_each_side_is_cut_as_its_report_cut_it(minilm):
    # a judged report's sentences must be the ones its pairs index: a copy in another language is
    # cut by that language's segmenter (its report's signature says lang:en>fr), not by English
    from pathlib import Path

    from fidelity.extract import extract
    from fidelity.judge import _segmenters

    folder = Path(__file__).parent / "fixtures" / "short-news"
    report = compare(extract(folder / "en.txt"), extract(folder / "fr.txt"), options=Options(judge=DEFAULT))
    assert "|lang:en>fr|" in report.signature and _segmenters(report) == ("en", "fr")
    assert report.verdict != Verdict.NOT_A_COPY
