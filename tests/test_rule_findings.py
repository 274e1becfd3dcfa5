"""What the rules' findings say: messages, counts, severities, spans and occurrences.

Which rules a pair raises is tested by the examples of ``tests/rules/*.toml``
(``test_rule_examples.py``); these tests look inside the findings. Through the real pipeline,
with the hashing embedder or, where a pair is short and reworded, the packaged model.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from fidelity import nlp
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.extract import extract
from fidelity.pipeline import compare
from fidelity.types import Severity

needs_spacy = pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")

_EMB = CachedEmbedder(HashingEmbedder())


def _rules(original: str, copy: str, min_sev: Severity = Severity.MAJOR, embedder: Any = _EMB) -> dict[str, list[str]]:
    """Rule -> messages of the findings at ``min_sev`` or above."""
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), embedder=embedder)
    out: dict[str, list[str]] = {}
    for f in rep.findings:
        if f.severity >= min_sev:
            out.setdefault(f.rule, []).append(f.message)
    return out


@needs_spacy
def test_systematic_substitution_is_one_finding_with_occurrences() -> None:
    original = "\n".join([
        "The allies will deploy troops to the border next year.",
        "Germany cannot deploy a large force to the east soon.",
        "France wants to deploy ships in the Black Sea now.",
        "Poland said nothing about its plans for the summer.",
    ])
    copy = original.replace("deploy", "develop")
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), embedder=_EMB)
    sys = [f for f in rep.findings if f.rule == "systematic"]
    assert len(sys) == 1
    assert len(sys[0].occurrences) == 3
    for o, c in sys[0].occurrences:
        assert original[o.start : o.end] == "deploy" and copy[c.start : c.end] == "develop"
    assert not [f for f in rep.findings if f.rule == "wording"]


@needs_spacy
def test_systematic_substitution_collects_occurrences_the_word_diff_did_not_line_up() -> None:
    # Once "fund" -> "ban" is established across pairs, a reordered sentence whose two words land in
    # different edits ("the conditions of their funding" -> "the banning conditions") is one more occurrence.
    original = "\n".join([
        "The council will fund the new bridge next year.",
        "The mayor said the council cannot fund a second bridge soon.",
        "Residents want the council to fund repairs to the old bridge.",
        "What would be the conditions of their funding?",
        "Nobody asked about the weather on the river that week.",
    ])
    copy = "\n".join([
        "The council will ban the new bridge next year.",
        "The mayor said the council cannot ban a second bridge soon.",
        "Residents want the council to ban repairs to the old bridge.",
        "What would be their banning conditions?",
        "Nobody asked about the weather on the river that week.",
    ])
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), embedder=_EMB)
    sys = [f for f in rep.findings if f.rule == "systematic"]
    assert len(sys) == 1
    pairs = [(original[o.start : o.end], copy[c.start : c.end]) for o, c in sys[0].occurrences]
    assert pairs == [("fund", "ban")] * 3 + [("funding", "banning")]


@needs_spacy
@pytest.mark.parametrize("model_edits", [None, 1])
def test_recovery_pruning_changes_no_finding(model_edits: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Skipping the recovery embeddings of pairs whose drift verdict they cannot change must be
    # invisible in the findings: same findings, severities and spans as embedding them all. The
    # score reads the model probability of every pair (score_model_weight), whose recovery
    # features a pruned pair lacks, so it may move by a fraction of a point. With a model over
    # fewer edits than the span considers (model_edits 1), the span's other edits are measured
    # in a second batch, only for the pairs the drift rule may report: same findings again.
    from fidelity import severity
    from fidelity.pipeline import Options
    from fidelity.thresholds import Thresholds
    original = "\n".join([
        "The committee approved the budget after a long debate on Tuesday.",
        "Officials said the new bridge would open to traffic next spring.",
        "Farmers in the north reported a poor harvest because of the drought.",
        "The minister did not comment on the report.",
        "Schools will remain closed until the storm has passed.",
    ])
    copy = "\n".join([
        "After a lengthy discussion on Tuesday, the panel passed the budget.",
        "Officials said the new tunnel could open to cars next summer.",
        "Northern farmers saw a bad harvest due to the dry weather.",
        "The minister commented on the report.",
        "Schools stay shut until the storm is over.",
    ])
    def run(everywhere: bool) -> tuple[float, list[tuple[str, str, str, object, object]], str]:
        # a lower bar than the shipped one, so that drift findings (and their spans) are compared
        options = Options(thresholds=Thresholds(recovery_everywhere=everywhere, model_minor=0.3))
        o, c = extract("o", text=original, format="lines"), extract("c", text=copy, format="lines")
        rep = compare(o, c, options=options, embedder=CachedEmbedder(HashingEmbedder()))
        return rep.score, [(f.rule, f.severity.value, f.message, f.original_span, f.copy_span) for f in rep.findings], rep.signature
    if model_edits is not None:
        monkeypatch.setattr(severity, "recovery_edits", lambda: model_edits)
    pruned, full = run(False), run(True)
    assert any(rule == "drift" for rule, *_ in full[1])  # the case this test is about
    assert pruned[1] == full[1]
    assert abs(pruned[0] - full[0]) < 0.5
    assert pruned[2] != full[2]  # the switch changes scores, so it is in the signature


@needs_spacy
def test_model_reads_the_recovery_of_its_own_number_of_largest_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    # The severity model's recovery features are measured over severity.recovery_edits() edits, the
    # largest first; the other edits up to recovery_max_edits are measured only for the span of a
    # pair the drift rule may report, and must not leak into the features.
    from fidelity import severity
    from fidelity.pipeline import Options, compare_with_evidence
    from fidelity.rules.drift import pair_drift
    from fidelity.thresholds import Thresholds

    monkeypatch.setattr(severity, "recovery_edits", lambda: 1)
    original = "The committee approved the budget after a long debate on Tuesday.\nThe minister did not comment on the report.\nOfficials said the new bridge would open to traffic next spring."
    copy = "After a lengthy discussion on Tuesday, the panel passed the budget.\nThe minister commented on the long report.\nOfficials said the new tunnel could open to cars next summer."
    o, c = extract("o", text=original, format="lines"), extract("c", text=copy, format="lines")
    th = Thresholds(model_minor=0.3)  # a lower bar than the shipped one, so that the drift rule reports pairs here
    runs = {}
    for everywhere in (True, False):
        options = Options(thresholds=replace(th, recovery_everywhere=everywhere))
        runs[everywhere] = {a.pair.index: a for a in compare_with_evidence(o, c, options=options, embedder=CachedEmbedder(HashingEmbedder()))[1].pairs}
    for a in runs[True].values():
        largest = max(a.recovery, key=lambda k: len(a.wa.edits[k].o_text) + len(a.wa.edits[k].c_text), default=None)
        assert a.features["recovery_max"] == a.features["recovery_sum"] == (max(0.0, a.recovery[largest]) if a.recovery else 0.0)
    reported = [i for i, a in runs[False].items() if pair_drift(a, th) is not None]
    assert reported, "the case this test is about: a pair the drift rule reports"
    for i, a in runs[False].items():
        if i in reported:  # its span chosen among the same edits as when every edit is measured
            assert a.recovery == runs[True][i].recovery
            assert len(a.recovery) > 1
        else:  # the span's other edits are not embedded for a pair left unreported
            assert len(a.recovery) <= 1


def test_quote_in_an_added_passage_is_fabricated_unless_the_original_quotes_it() -> None:
    original = "The council met on Monday to discuss the budget.\nThe mayor said “we will not raise taxes this year” after the vote.\nThe meeting ended at noon."
    invented = original + "\nA resident shouted “this council has betrayed every family in town” as it closed."
    r = _rules(original, invented)
    assert any("added passage" in m for m in r.get("quote-fabricated", []))
    repeated = original + "\nLater the mayor repeated: “we will not raise taxes this year”."
    assert not any("added passage" in m for m in _rules(original, repeated).get("quote-fabricated", []))


@needs_spacy
def test_main_verb_that_lost_its_subject() -> None:
    r = _rules("He said the talks had failed because of the storms.", "Said the talks failed, it seems, because of the storms.")
    assert any("lost its subject" in m for m in r.get("dropped-content", []))
    r = _rules("He said the talks had failed because of the storms.", "Said the talks had failed because of the storms.")
    assert len(r.get("dropped-content", [])) == 1  # near-verbatim: the word check names 'He', once


def test_reworded_heading_is_at_most_a_minor_drift(minilm) -> None:
    """Headings are retitled freely; the severity model, trained on sentences, never makes one major.
    The sentences below the heading keep their full severity (the changed figure)."""
    original = "City Council Backs Rent Plan\n\nThe council approved a 5% rise in social rents on Monday after a two-hour debate.\nOpposition members voted against it after a long debate.\n"
    copy = "Rent plan passes\n\nOn Monday, after a debate of two hours, the council approved a 15% rise in social rents.\nOpposition members voted against it after a long debate.\n"
    rep = compare(extract("o", text=original), extract("c", text=copy), embedder=minilm)
    heading = [f for f in rep.findings if f.pair == 0 and f.rule == "drift"]
    assert heading and all(f.severity == Severity.MINOR for f in heading)
    assert any(f.rule == "number" and f.severity == Severity.CRITICAL for f in rep.findings)


@needs_spacy
def test_subjectless_root_after_a_clause_that_may_be_its_subject_is_not_flagged() -> None:
    r = _rules("A short stroke usually gives a softer tone, while a long one is louder.", "Pulling the bow slowly gives a softer tone, while pushing it fast gives a louder tone.")
    assert not any("lost its subject" in m for m in r.get("dropped-content", []))


@needs_spacy
def test_article_left_without_its_noun_is_dropped_content_even_when_reworded() -> None:
    r = _rules("The results the research team was hoping for never came, and the grant ended.",
               "The results that the had hoped for did not come, so the grant ran out.")
    assert any("missing after" in m for m in r.get("dropped-content", []))
    # quotation marks after an article hide nothing
    r = _rules("The court gave the army a combat mandate to defend itself.", "The court gave the army a “battle order” to defend itself.")
    assert not any("missing after" in m for m in r.get("dropped-content", []))
    # a participle after an article is an adjective: nothing is missing
    r = _rules("The talks were based on the borders that exist today.", "The talks relied on the existing borders.")
    assert not any("missing after" in m for m in r.get("dropped-content", []))


@needs_spacy
def test_another_name_for_the_same_thing_is_a_minor_variant() -> None:
    # WordNet lists Burma/Myanmar and Mideast/Middle East as names of one thing: rendered, not removed.
    minor = _rules(
        "Aid convoys crossed into Burma on Friday after the floods.",
        "Aid convoys crossed into Myanmar on Friday after the floods.",
        Severity.MINOR,
    )
    assert [m for m in minor.get("named-entity", []) if "another name" in m]


@needs_spacy
def test_a_shared_prefix_is_a_derivation_only_when_an_ending_was_added() -> None:
    # Ukraine / Ukrainian adds an ending: the same name. Schulz / Schultz changes a letter inside:
    # a misspelt name (Schultz is in the word list, but only as a name, so it is no translation).
    # A romanisation variant is still minor, and so is a British spelling of an English name part.
    minor = _rules("Mayor Petra Kowalsky opened the new hall.", "Mayor Petra Kowalski inaugurated the new hall.", Severity.MINOR)
    assert minor.get("named-entity") and "named-entity" not in _rules("Mayor Petra Kowalsky opened the new hall.", "Mayor Petra Kowalski inaugurated the new hall.")


@needs_spacy
def test_a_name_said_by_what_it_is_is_minor(minilm) -> None:  # type: ignore[no-untyped-def]
    original = "Lake Baikal in Siberia is the deepest lake on Earth, with a maximum depth of 1,642 metres."
    copy = "Baikal lake in Siberia is the deepest lake on the planet: its maximum depth makes up 1642 m."
    assert any("what it is" in m for m in _rules(original, copy, Severity.MINOR, embedder=minilm)["named-entity"])


@needs_spacy
def test_a_phrase_that_lost_its_noun_is_dropped_content(minilm) -> None:  # type: ignore[no-untyped-def]
    # a preposition left before "and", a possessive with nothing to own, "because" before its verb
    r = _rules(
        "Remains of sewage systems were found in the houses of the Minoan cities of Crete and Santorini in Greece.",
        "Remains of sewage systems have been found in the homes of the Minoan cities of and Santorini in Greece.",
        embedder=minilm,
    )
    assert any("of and" in m for m in r.get("dropped-content", []))


@needs_spacy
def test_a_dropped_name_the_parser_tagged_no_entity_is_still_major(minilm) -> None:  # type: ignore[no-untyped-def]
    # "Versailles" here is no entity to the small parser; no dictionary has it either
    r = _rules(
        "At one point a member of the angry mob waved the head of a royal guard killed at Versailles in front of the terrified Queen.",
        "At one point, a member of the outraged crowd waved the head of a royal guard killed in front of the horrified queen.",
        embedder=minilm,
    )
    assert any("Versailles" in m for m in r.get("named-entity", []))


@needs_spacy
def test_a_multiword_name_missing_or_new_is_one_finding() -> None:
    r = _rules("On Tuesday, the Dutch House of Representatives voted for a motion calling on the government to halve gas extraction by 2025.",
               "The Tweede Kamer on Tuesday backed a motion asking the cabinet to cut gas production by half by 2025.", Severity.MINOR)
    assert r["named-entity"] == ["'Dutch House of Representatives' is missing from the copy", "'Tweede Kamer' is not in the original"], r


def test_one_span_of_the_copy_gets_one_finding() -> None:
    # Words left in another script are one error: the name check, which sees 'Article' replaced by a
    # word inside them, does not report it a second time (explained_once).
    found = _rules(
        "And then we might as well activate the Article 5 clause of the treaty.",
        "And then we can very well activate the clause του Άρθρου 5 of the treaty.",
        Severity.MINOR,
    )
    assert found.get("untranslated")
    assert not any("Άρθρου" in m for m in found.get("named-entity", []))


_UNCHANGED = [
    "The council met on Tuesday evening in the old town hall.",
    "Residents filled every seat and many stood at the back.",
    "The meeting lasted almost four hours.",
    "A final vote is expected before the end of the month.",
]


@needs_spacy
def test_a_short_sentence_edited_in_an_edited_copy_is_an_edit() -> None:
    # "At least 12" -> "12" keeps 0.86 of a short sentence's words: alone, that reads as a close
    # translation (minor); in a copy that keeps the other sentences word for word, it is an edit.
    original, copy = "At least 12 people died in the floods.", "12 people died in the floods."
    alone = _rules(original, copy)
    assert "dropped-content" not in alone
    edited = _rules("\n".join([*_UNCHANGED, original]), "\n".join([*_UNCHANGED, copy]))
    assert edited["dropped-content"] == ["'At least' dropped"]


@needs_spacy
def test_a_word_put_in_place_of_another_is_named_with_it() -> None:
    edited = _rules("\n".join([*_UNCHANGED, "Unemployment fell last year, the agency said."]),
                    "\n".join([*_UNCHANGED, "Unemployment fell this year, the agency said."]))
    assert edited["dropped-content"] == ["'last' became 'this'"]


@needs_spacy
def test_a_translation_with_few_unchanged_sentences_is_not_an_edited_copy() -> None:
    # Two unchanged sentences of six: below edited_copy_min, the short sentence is read as reworded.
    original = [*_UNCHANGED[:2], "At least 12 people died in the floods.", "The storm hit the coast at night.", "Roads were closed for days."]
    copy = [*_UNCHANGED[:2], "12 people died in the floods.", "The storm reached the coast during the night.", "Roads stayed closed for several days."]
    assert "dropped-content" not in _rules("\n".join(original), "\n".join(copy))


def _spans(original: str, copy: str, embedder: Any, rule: str, **thresholds: Any) -> list[tuple[str | None, str | None, str]]:
    """(copy span text, original span text, message) of each major+ finding of ``rule``."""
    from fidelity.pipeline import Options
    from fidelity.thresholds import Thresholds

    options = Options(model="minilm", thresholds=Thresholds(**thresholds))
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), options=options, embedder=embedder)
    return [
        (f.copy_span.text if f.copy_span else None, f.original_span.text if f.original_span else None, f.message)
        for f in rep.findings
        if f.rule == rule and f.severity >= Severity.MAJOR
    ]


_NAME_SWAPPED = (
    "The agreement was signed by Prime Minister John Smith in London on Monday, officials said.",
    "The agreement was signed by President Jean-Claude Juncker in London on Monday, officials said.",
)


@needs_spacy
def test_a_word_level_finding_points_at_the_edit_it_lies_in(minilm: Any) -> None:
    # The name check reads word by word ('Smith' replaced by 'Juncker'); its spans show the whole
    # stretch that changed around the word, on both sides (rules.pointed_at_edits).
    found = _spans(*_NAME_SWAPPED, minilm, "named-entity")
    assert found, "the changed name is reported"
    assert {(c, o) for c, o, _ in found} == {("President Jean-Claude Juncker", "Prime Minister John Smith")}, found
    assert any("'Smith' replaced by 'Juncker'" in m for _, _, m in found), "the message still names the words"


@needs_spacy
def test_a_reversed_claim_shows_both_sides_of_the_change(minilm: Any) -> None:
    # The opposite check reads one word ('late' / 'early'); what an editor has to fix is the
    # reworded stretch around it, and each finding's message still names its word.
    found = _spans(
        "The museum will stay open late on Fridays during the summer so that more visitors can come.",
        "During the summer the museum will close early on Fridays so that fewer visitors come.",
        minilm,
        "antonym",
    )
    assert ("close early", "stay open late", "'late' became its opposite 'early'") in found, found
    assert ("fewer", "more", "'more' became its opposite 'fewer'") in found, found


@needs_spacy
def test_a_stretch_over_span_stretch_words_leaves_the_findings_own_words(minilm: Any) -> None:
    # The same pair with the limit under the edit's four words: each finding keeps the word it read.
    found = _spans(*_NAME_SWAPPED, minilm, "named-entity", span_stretch_words=3)
    assert ("Juncker", "Smith", "'Smith' replaced by 'Juncker'") in found, found
    # A name inside a long reworded stretch (13 words of the copy against 7 of the original): an
    # editor sees the name, not the whole rewording.
    found = _spans(
        "The minister said on Monday that the new bridge would open to traffic in early March after years of delays.",
        "According to remarks made by Anderson during a press event held earlier this week, the new bridge would open in early March after years of delays.",
        minilm,
        "named-entity",
    )
    assert [c for c, _, _ in found] == ["Anderson"], found


@needs_spacy
def test_an_instruction_that_became_a_statement_is_named_so() -> None:
    found = _rules("Do not take this medicine if you are allergic to paracetamol.", "does not take this medicine if you are allergic to paracetamol.", Severity.MINOR)
    assert any("an instruction became a statement" in m for m in found.get("wording", [])), found
    # a subject's verb that changed its form says nothing of an instruction
    found = _rules("They do not take this medicine if they are allergic to paracetamol.", "They did not take this medicine if they are allergic to paracetamol.", Severity.MINOR)
    assert not any("instruction" in m for ms in found.values() for m in ms), found


def test_a_bound_turned_the_other_way_says_which_way() -> None:
    found = _rules("Children may take no more than four tablets in 24 hours.", "Children may take more than four tablets in 24 hours.")
    assert found.get("bound") == ["'no more than four' became 'more than four': an upper bound became a lower one"], found
    assert "negation" not in found, found
