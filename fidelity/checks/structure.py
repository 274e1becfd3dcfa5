"""Document-structure checks read from the alignment: omitted, added and moved sentences."""

from __future__ import annotations

from collections.abc import Iterable

from fidelity.checks.base import Check, CheckContext, register
from fidelity.types import Category, Finding, Severity, Span


def _span(sentences, indices) -> Span | None:  # type: ignore[no-untyped-def]
    if not indices:
        return None
    first, last = sentences[indices[0]], sentences[indices[-1]]
    return Span(first.start, last.end, " ".join(sentences[i].text for i in indices))


@register
class Omission(Check):
    rule = "omission"
    category = Category.OMISSION
    severity = Severity.MAJOR
    summary = "A sentence of the original has no counterpart in the copy."

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        for p in ctx.pairs:
            if p.kind == "omission":
                yield Finding(self.rule, self.category, self.severity, "dropped from the copy", _span(ctx.original_sentences, p.original), None, p.index)


@register
class Addition(Check):
    rule = "addition"
    category = Category.ADDITION
    severity = Severity.MINOR
    summary = "A sentence of the copy has no source in the original."

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        for p in ctx.pairs:
            if p.kind == "addition":
                yield Finding(self.rule, self.category, self.severity, "not in the original", None, _span(ctx.copy_sentences, p.copy), p.index)


@register
class Moved(Check):
    rule = "moved"
    category = Category.MOVED
    severity = Severity.MINOR
    summary = "A passage of the original appears at another place in the copy."

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        for p in ctx.pairs:
            if p.kind == "moved":
                yield Finding(self.rule, self.category, self.severity, "moved to another place in the copy", _span(ctx.original_sentences, p.original), _span(ctx.copy_sentences, p.copy), p.index)
