from __future__ import annotations

from fidelity.rules.structure import content_weight
from fidelity.types import Severity


def test_dropped_quote_figure_or_name_matters_more_than_a_transition() -> None:
    assert content_weight("“We simply don’t have the personnel,” he said.")[0] == Severity.MAJOR
    assert content_weight("Even sending 5,000 troops is hard.")[0] == Severity.MAJOR
    assert content_weight("There is reason for caution.")[0] == Severity.MINOR
