"""The library API end to end with the fast lexical embedder."""

from __future__ import annotations

from fidelity.extract import extract
from fidelity.pipeline import Options, compare
from fidelity.types import Verdict

TEXT = (
    "The museum reopened on Saturday after a two-year renovation.\n"
    "Visitors queued for hours to see the restored ceiling.\n"
    "The director said the work cost 12 million euros.\n"
    "Tickets for the first month are already sold out.\n"
)


def doc(text, name="t.txt"):
    return extract(name, text=text, keep_boilerplate=True)


def run(a, b, hashing, **kw):
    return compare(doc(a, "a.txt"), doc(b, "b.txt"), options=Options(model="hashing", **kw), embedder=hashing)


def test_self_comparison_is_identical(hashing):
    report = run(TEXT, TEXT, hashing)
    assert report.verdict == Verdict.IDENTICAL
    assert report.score == 100.0
    assert report.findings == ()
    assert report.original.coverage == report.copy.coverage == 1.0


def test_typography_only_changes_are_not_findings(hashing):
    copy = TEXT.replace("two-year", "two\u2011year").replace("  ", " ")
    report = run(TEXT, copy, hashing)
    assert report.verdict in (Verdict.IDENTICAL, Verdict.FAITHFUL)


def test_dropped_sentence_is_an_omission(hashing):
    lines = TEXT.splitlines()
    copy = "\n".join(lines[:2] + lines[3:]) + "\n"
    report = run(TEXT, copy, hashing)
    kinds = [p.kind for p in report.pairs]
    assert kinds.count("omission") == 1
    assert any(f.category == "omission" for f in report.findings)
    assert report.verdict == Verdict.EDITED


def test_unrelated_text_is_not_a_copy(hashing):
    other = (
        "Quarterly revenue at the chip maker rose sharply.\n"
        "Analysts had expected slower growth in Asia.\n"
        "The shares closed higher on Wall Street.\n"
    )
    report = run(TEXT, other, hashing)
    assert report.verdict == Verdict.NOT_A_COPY
    # one document-level finding instead of a finding per unrelated sentence
    assert [f.rule for f in report.findings] == ["not-a-copy"]
    assert report.findings[0].severity == "critical" and report.findings[0].pair is None
    assert all(not p.findings for p in report.pairs)
    assert run(TEXT, other, hashing, ignore=("not-a-copy",)).findings == ()


def test_signature_names_model_segmenter_aligner_and_version(hashing):
    report = run(TEXT, TEXT, hashing)
    for part in ("model:hashing", "seg:punkt-english", "align:", "fidelity:"):
        assert part in report.signature


def test_each_distinct_sentence_embedded_once(hashing):
    run(TEXT, TEXT, hashing)
    assert hashing.encoded == 4


def test_findings_are_attached_to_their_pairs(hashing):
    lines = TEXT.splitlines()
    report = run(TEXT, "\n".join(lines[:3]) + "\n", hashing)
    for p in report.pairs:
        for f in p.findings:
            assert f.pair == p.index
    assert sum(len(p.findings) for p in report.pairs) == len([f for f in report.findings if f.pair is not None])


def test_rule_selection_and_glossary_change_the_signature(hashing):
    from fidelity.types import GlossaryTerm

    plain = run(TEXT, TEXT, hashing).signature
    selected = run(TEXT, TEXT, hashing, select=("omission",)).signature
    glossary = run(TEXT, TEXT, hashing, glossary=(GlossaryTerm("restored ceiling"),)).signature
    assert len({plain, selected, glossary}) == 3
    assert "rules:" in selected and "glossary:1-" in glossary


def test_a_sentence_with_its_names_spelt_otherwise_is_still_a_copy(minilm):
    # MiniLM puts these two at cosine 0.36 (the names weigh heavily); chrF 66 says they are one
    # sentence, so the pair is read word by word and the changed name is reported as such.
    original = "Huhne and Pryce are scheduled to appear at the Westminster Magistrates Court on February 16.\n"
    copy = "Hyun and Price are due to appear at Westminster Magistrates' Court on February 16.\n"
    report = compare(doc(original, "a.txt"), doc(copy, "b.txt"), embedder=minilm)
    assert report.pairs[0].similarity is not None and report.pairs[0].similarity < 0.5
    assert report.verdict != Verdict.NOT_A_COPY
    assert "named-entity" in {f.rule for f in report.findings}
    # a translation of another sentence is still no copy
    other = "Tickets for the concert in the park went on sale at noon on Friday.\n"
    assert compare(doc(original, "a.txt"), doc(other, "b.txt"), embedder=minilm).verdict == Verdict.NOT_A_COPY


def test_spacy_starts_loading_early_only_when_the_checks_may_parse():
    from fidelity.pipeline import _may_parse
    from fidelity.segment import segment

    def sentences(text: str):
        return segment(extract("x", text=text))

    same = sentences("The bridge opened in May. It cost ten million.")
    moved = sentences("It cost ten million. The bridge opened in May.")
    changed = sentences("The bridge opened in June. It cost ten million.")
    assert not _may_parse(Options(language="en"), same, same)
    assert not _may_parse(Options(language="en"), same, moved)  # the same sentences: no pair's words differ
    assert _may_parse(Options(language="en"), same, changed)
    assert not _may_parse(Options(language="en:de"), same, changed)  # across languages no rule parses
    assert not _may_parse(Options(language="en", select=("moved",)), same, changed)  # a rule that reads no evidence


def test_parse_ahead_guesses_the_sentences_the_checks_will_parse():
    from fidelity.pipeline import _parse_ahead
    from fidelity.segment import segment

    def sentences(text: str):
        return segment(extract("x", text=text))

    original = sentences("The bridge opened in May. It cost ten million. Nobody came to the ceremony.")
    copy = sentences("The bridge opened in June. It cost ten million. NOBODY CAME TO THE CEREMONY!")
    # the twin is left out, and so is a change of case and punctuation only (no edit the checks read)
    assert _parse_ahead(original, copy) == ["The bridge opened in May.", "The bridge opened in June."]
    unrelated = sentences("Tickets went on sale at noon. It cost ten million. Rain is due on Friday.")
    assert _parse_ahead(original, unrelated) == []  # nothing shares enough words: nothing parsed early
    assert _parse_ahead(original, original) == []
