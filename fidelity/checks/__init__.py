"""Stage 6, flag: run every selected check over a comparison -> findings."""

from __future__ import annotations

from collections.abc import Sequence

from fidelity.checks import (
    document,  # noqa: F401  (registers the document-level rules)
    glossary,  # noqa: F401  (registers the glossary check)
    meaning,  # noqa: F401  (registers the meaning checks)
    structure,  # noqa: F401  (registers its checks)
)
from fidelity.checks.base import REGISTRY, Check, CheckContext, register, selected
from fidelity.types import Finding

__all__ = ["REGISTRY", "Check", "CheckContext", "register", "run_checks"]


def run_checks(ctx: CheckContext, *, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for cls in selected(select, ignore):
        findings.extend(cls().run(ctx))
    return findings
