from __future__ import annotations

from fidelity.rules.structure import content_weight
from fidelity.types import Severity


def test_dropped_quote_figure_or_name_matters_more_than_a_transition() -> None:
    assert content_weight("“We simply don’t have the personnel,” he said.")[0] == Severity.MAJOR
    assert content_weight("Even sending 5,000 troops is hard.")[0] == Severity.MAJOR
    assert content_weight("There is reason for caution.")[0] == Severity.MINOR


def test_a_capitalised_noun_is_a_name_only_in_english() -> None:
    # German capitalises every noun: "Regierung" is no name, so a short dropped line stays minor
    german = "Die Regierung hat das Gesetz gestern beschlossen."
    assert content_weight(german, "de") == (Severity.MINOR, "a short line: no quote, figure or name")
    assert content_weight(german, "en")[1] == "a name"  # read as English, the capitals would count
    assert content_weight("The talks in Geneva ended.", "en") == (Severity.MAJOR, "a name")
    assert content_weight("Die Gespräche in 2024 endeten.", "de") == (Severity.MAJOR, "a figure")  # the rest still counts



ORIGINAL = """The council met on Monday to discuss the new budget for the city.
Having to cobble together a bespoke mission opens up huge complications.
Residents have complained about the closure for months.
The meeting ended shortly after noon."""


def test_a_sentence_that_says_something_else_is_reported(minilm) -> None:  # type: ignore[no-untyped-def]
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare

    def rewritten(copy: str) -> list:  # type: ignore[type-arg]
        report = compare(extract("o", text=ORIGINAL, format="lines"), extract("c", text=copy, format="lines"), options=Options(model="minilm"), embedder=minilm)
        return [f for f in report.findings if f.rule == "rewritten"]

    # the seed's round trip: the aligner pairs the two sentences (similarity 0.49, chrF 37), too far
    # apart for a word-level check, so only this finding says the sentence changed
    found = rewritten(ORIGINAL.replace("Having to cobble together a bespoke mission opens up", "The need to organize a business in this way causes"))
    assert len(found) == 1 and found[0].severity == Severity.MINOR and "similarity 0.49" in found[0].message
    assert found[0].copy_span is not None and found[0].copy_span.text.startswith("The need to organize")
    assert found[0].original_span is not None and "bespoke" in found[0].original_span.text
    assert not rewritten(ORIGINAL.replace("Monday", "Monday morning"))  # every sentence has its counterpart


def test_a_long_chinese_sentence_is_a_full_statement() -> None:
    # no spaces: counted as one "word", a dropped Chinese sentence was always "a short line"
    long = "工程师在桥的五个拱中的两个发现了裂缝而市长说这座桥自三月以来一直禁止汽车通行。"
    assert content_weight(long, "zh") == (Severity.MAJOR, "a full statement")
    assert content_weight("交通改道了。", "zh")[0] == Severity.MINOR
