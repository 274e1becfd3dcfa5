"""Figures across languages (fidelity.rules.figures): how figures are read, and the rule on real
comparisons between two languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.extract import extract
from fidelity.pipeline import Options, compare
from fidelity.rules.figures import changed_figures, figures
from fidelity.types import Severity, Verdict

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT / "tests" / "fixtures" / "short-news"


def read(text: str, language: str) -> list[tuple[str, set[float]]]:
    return [(text[f.start : f.end], set(f.values)) for f in figures(text, language)]


def test_each_convention_reads_as_the_same_value() -> None:
    assert read("4.2 million euros, 5,000 troops, 3.5%", "en") == [("4.2 million", {4.2, 4.2e6}), ("5,000", {5.0, 5000.0}), ("3.5", {3.5})]
    assert read("4,2 millions d'euros, 5 000 soldats, 3,5 %", "fr") == [("4,2 millions", {4.2, 4.2e6}), ("5 000", {5000.0}), ("3,5", {3.5})]
    assert read("预算为420万欧元", "zh") == [("420万", {420.0, 4.2e6})]
    assert read("1.234,5 Tonnen", "de") == [("1.234,5", {1234.5})]


def test_clocks_dates_fractions_and_codes() -> None:
    assert read("at 6 p.m.", "en") == [("6", {6.0, 18.0})]
    assert read("um 15.30 Uhr", "de") == [("15", {3.0, 15.0}), ("30", {30.0})]
    assert read("am 19.08.2025", "de") == [("19", {19.0}), ("08", {8.0}), ("2025", {2025.0})]
    assert read("1 ½ m tief, 1952/53", "de") == [("1 ½", {1.5}), ("1952", {1952.0}), ("53", {53.0, 1953.0})]
    assert read("the G7 met on p109", "en") == []  # digits inside a word are a code


def test_a_changed_figure_is_left_on_both_sides_and_a_spelled_out_one_on_one_side_only() -> None:
    o, c = figures("a budget of 4.2 million euros in 1887", "en"), figures("un budget de 42 millions d'euros en 1887", "fr")
    o_left, c_left = changed_figures(o, c)
    assert [x.values for x in o_left] == [frozenset({4.2, 4.2e6})] and [x.values for x in c_left] == [frozenset({42.0, 4.2e7})]
    o_left, c_left = changed_figures(figures("five arches, 2 cracked", "en"), figures("cinq arches, 2 fissurées", "fr"))
    assert not o_left and not c_left


@pytest.mark.slow
@pytest.mark.parametrize(
    ("original", "copy", "changed"),
    [
        ("zh.txt", None, None),  # the Chinese and its English translation: every figure matches
        ("en.txt", "fr.txt", None),
        ("zh.txt", ("en.txt", "4 million euros", "40 million euros"), ("400万", "40 million")),
        ("en.txt", ("fr.txt", "420 mètres", "240 mètres"), ("420", "240")),
    ],
)
def test_the_rule_across_languages(use_m3, original, copy, changed) -> None:
    o = extract(NEWS / original)
    if copy is None:
        c = extract(NEWS / "en.txt")
    elif isinstance(copy, str):
        c = extract(NEWS / copy)
    else:
        name, old, new = copy
        text = (NEWS / name).read_text(encoding="utf-8")
        assert old in text
        c = extract(name, text=text.replace(old, new))
    report = compare(o, c, options=Options(), embedder=use_m3)
    found = [f for f in report.findings if f.rule == "figure"]
    if changed is None:
        assert not found
    else:
        (f,) = found
        assert (f.original_span.text, f.copy_span.text, f.severity) == (*changed, Severity.CRITICAL)
        assert report.verdict == Verdict.DISTORTED


@pytest.mark.slow
def test_the_rule_does_not_run_within_one_language(minilm) -> None:
    o = extract("o.txt", text="The bridge cost 4.2 million euros.")
    c = extract("c.txt", text="The bridge cost 42 million euros.")
    rules = [f.rule for f in compare(o, c, options=Options(), embedder=minilm).findings]
    assert "number" in rules and "figure" not in rules


@pytest.mark.slow
def test_the_judge_leaves_a_report_across_languages_as_the_checks_made_it(use_m3) -> None:
    # the judge reads English MiniLM token states and was trained on English pairs: across
    # languages it re-graded the changed figure minor and flagged French words as misaligned
    text = (NEWS / "fr.txt").read_text(encoding="utf-8").replace("420 mètres", "240 mètres")
    o, c = extract(NEWS / "en.txt"), extract("fr.txt", text=text)
    plain = compare(o, c, options=Options(), embedder=use_m3)
    judged = compare(o, c, options=Options(judge="judge-v5"), embedder=use_m3)
    assert judged.findings == plain.findings and judged.verdict == plain.verdict == Verdict.DISTORTED
    assert "judge" not in judged.signature and judged.signature == plain.signature


@pytest.mark.slow
def test_a_sentence_left_in_the_originals_language_is_untranslated(use_m3) -> None:
    en = (NEWS / "en.txt").read_text(encoding="utf-8")
    fr = (NEWS / "fr.txt").read_text(encoding="utf-8")
    english = "Mayor Yann Kerbrat said the repairs would cost an estimated 4 million euros and take six months."
    french = "Coût estimé des réparations : 4 millions d'euros, chantier de six mois, d'après le maire Yann Kerbrat."
    assert english in en and french in fr
    honest = compare(extract("en.txt", text=en), extract("fr.txt", text=fr), options=Options(), embedder=use_m3)
    assert not [f for f in honest.findings if f.rule == "untranslated-sentence"]
    left = compare(extract("en.txt", text=en), extract("fr.txt", text=fr.replace(french, english)), options=Options(), embedder=use_m3)
    assert left.languages == ("en", "fr")
    (f,) = [f for f in left.findings if f.rule == "untranslated-sentence"]
    assert f.copy_span.text == english and f.severity == Severity.CRITICAL and "(en)" in f.message


@pytest.mark.slow
def test_several_changed_figures_in_one_pair_are_one_finding(use_m3) -> None:
    text = (NEWS / "fr.txt").read_text(encoding="utf-8")
    changed = text.replace("420 mètres", "240 mètres").replace("lundi 7 h", "lundi 9 h")
    report = compare(extract(NEWS / "en.txt"), extract("fr.txt", text=changed), options=Options(), embedder=use_m3)
    (f,) = [f for f in report.findings if f.rule == "figure"]
    assert f.severity == Severity.MAJOR and "'420', '7'" in f.message and "'240', '9'" in f.message
    assert f.original_span.text.startswith("420") and f.original_span.text.endswith("7")
    assert report.original_doc.text[f.original_span.start : f.original_span.end] == f.original_span.text
