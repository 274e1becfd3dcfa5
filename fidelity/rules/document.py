"""Document-level judgements that follow from the verdict rather than from one pair."""

from __future__ import annotations

from collections.abc import Iterable

from fidelity.rules.base import CheckContext, Reads, Rule
from fidelity.rules.evidence import Evidence
from fidelity.types import Category, Finding, Severity


class NotACopy(Rule):
    """What it does: when too little of the original has a counterpart in the copy (coverage
    below ``Thresholds.not_a_copy_coverage``, verdict ``not-a-copy``), replaces every sentence
    finding with this one. The pipeline emits it from the document score; ``run`` finds nothing.

    Why it matters: a text that is not a copy has no omissions, additions or distortions worth
    listing sentence by sentence (every sentence would be one); the report says the one thing
    that matters.

    Example: an article compared with a digest of other articles on the same topic (critical).
    """

    rule = "not-a-copy"
    explains_words = False  # about whole sentences: a finding inside stays
    reads = Reads.ALIGNMENT
    category = Category.OMISSION
    severity = Severity.CRITICAL
    summary = "Too little of the original is in the copy for it to be a copy (verdict not-a-copy)."
    example = "an article compared with a digest of other articles on the same topic"

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        return ()  # decided from the document score: see fidelity.pipeline.compare

    @classmethod
    def finding(cls, coverage: float, sentences: int) -> Finding:
        return Finding(
            cls.rule,
            cls.category,
            cls.severity,
            f"not a copy: only {coverage:.0%} of the original's {sentences} {'sentence has' if sentences == 1 else 'sentences have'} a counterpart in it",
        )
