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
