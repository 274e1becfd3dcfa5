"""Former home of the rules, kept as a re-export for one release: use ``fidelity.rules``."""

from __future__ import annotations

from collections.abc import Sequence

from fidelity.rules import REGISTRY, RULES, Check, CheckContext, Rule, run_rules, selected
from fidelity.types import Finding

__all__ = ["REGISTRY", "RULES", "Check", "CheckContext", "Rule", "run_checks", "run_rules", "selected"]


def run_checks(ctx: CheckContext, *, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> list[Finding]:
    """The findings of ``run_rules`` without the evidence."""
    return run_rules(ctx, select=select, ignore=ignore)[0]
