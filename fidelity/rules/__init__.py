"""Stage 6, flag: the rules, in one ordered registry, and the pass that runs them.

    run_rules(ctx, select=..., ignore=...) -> (findings, evidence)

``RULES`` lists every rule class in the order they run (sacrebleu's ``METRICS``): adding a
rule is adding its class here, nothing registers itself on import. Each rule family is one
module holding its detector and its rule classes:

    numbers       number, bound               figures, dates, amounts, quantities; a bound turned
    figures       figure                      figures in digits, between two languages
    names         named-entity                people, places, organisations
    polarity      negation, antonym, gender   the claim reversed or its subject's gender changed
    roles         roles-swapped               who did what to whom
    quotes        quote-altered, -fabricated  quoted speech
    untranslated  untranslated,               another script or language left in; across two
                  untranslated-sentence       languages, a sentence left in the original's
    wording       wording, dropped-content, added-content   edits of a near-verbatim copy
    grammar       (detectors for dropped-content)           sentences that lost a word
    order         word-order                  scrambled words
    drift         drift, drift-edit           the severity and edit models, where no rule explains
    systematic    systematic                  one substitution throughout the copy
    structure     omission, addition, moved,  sentences dropped, added, moved, or replaced by
                  rewritten                   one that says something else
    glossary      glossary                    protected terms
    document      not-a-copy                  the document verdict

Each rule says what it reads (``Reads``), and runs only where that means something
(``CheckContext.readable``): between two languages only the rules that read the alignment
(omission, addition, moved, not-a-copy), the glossary (whose variants may be the term's
translations), the figures in digits (figure) and a sentence left in the original's language
(untranslated-sentence); within one language other than English also those that read characters, digits
and quotation marks (number, quotes, word order); the others need English (word lists, spaCy's
English parses, the severity model fitted on English) and run on two English texts.

The meaning rules read one shared ``Evidence`` (``analysis.analyse``), computed once per
comparison when a selected rule needs it and returned to the caller with the findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from fidelity.rules.base import Check, CheckContext, Reads, Rule
from fidelity.rules.document import NotACopy
from fidelity.rules.drift import DriftEditRule, DriftRule
from fidelity.rules.evidence import Evidence
from fidelity.rules.figures import FigureRule
from fidelity.rules.glossary import Glossary
from fidelity.rules.names import NameRule
from fidelity.rules.numbers import BoundRule, NumberRule
from fidelity.rules.order import WordOrderRule
from fidelity.rules.polarity import AntonymRule, GenderRule, NegationRule
from fidelity.rules.quotes import QuoteAlteredRule, QuoteFabricatedRule
from fidelity.rules.roles import RolesRule
from fidelity.rules.structure import Addition, Moved, Omission, Rewritten
from fidelity.rules.systematic import SystematicRule
from fidelity.rules.untranslated import UntranslatedRule, UntranslatedSentenceRule
from fidelity.rules.wording import AddedContentRule, DroppedContentRule, WordingRule
from fidelity.types import Category, Finding, Severity, Span

__all__ = ["REGISTRY", "RULES", "Check", "CheckContext", "Evidence", "Reads", "Rule", "pointed_at_edits", "run_rules", "selected"]

RULES: tuple[type[Rule], ...] = (
    NotACopy,
    Glossary,
    NumberRule,
    BoundRule,
    FigureRule,
    NameRule,
    NegationRule,
    AntonymRule,
    GenderRule,
    RolesRule,
    UntranslatedRule,
    UntranslatedSentenceRule,
    QuoteAlteredRule,
    QuoteFabricatedRule,
    WordingRule,
    WordOrderRule,
    DroppedContentRule,
    AddedContentRule,
    DriftRule,
    DriftEditRule,
    SystematicRule,
    Omission,
    Addition,
    Moved,
    Rewritten,
)

REGISTRY: dict[str, type[Rule]] = {cls.rule: cls for cls in RULES}


def selected(select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> list[type[Rule]]:
    """Rules whose id or category is in ``select`` (all if None) and not in ``ignore``, in ``RULES`` order."""
    from fidelity.errors import ConfigError

    names = set(REGISTRY) | {c.value for c in Category}
    for item in [*(select or []), *(ignore or [])]:
        if item not in names:
            raise ConfigError(f"unknown rule or category {item!r}; choose from: {', '.join(sorted(names))}")

    def hit(cls: type[Rule], items: Sequence[str]) -> bool:
        return cls.rule in items or cls.category.value in items

    return [c for c in RULES if (select is None or hit(c, select)) and not (ignore and hit(c, ignore))]


def run_rules(
    ctx: CheckContext, *, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None
) -> tuple[list[Finding], Evidence]:
    """Run the selected rules over a comparison: their findings, in rule order, and the evidence
    they read (empty when no selected rule reads any)."""
    from fidelity.rules.analysis import analyse

    rules = selected(select, ignore)
    rules = [cls for cls in rules if cls.reads in ctx.readable]  # a German word is not "replaced" by its French one
    evidence = analyse(ctx) if any(cls.needs_evidence for cls in rules) else Evidence()
    findings: list[Finding] = []
    for cls in rules:
        findings.extend(cls().run(ctx, evidence))
    return pointed_at_edits(explained_once(findings), evidence, ctx), evidence


def explained_once(findings: Sequence[Finding]) -> list[Finding]:
    """One span of the copy, one finding: a finding is dropped when another finding of the same
    pair, at least as severe, covers its copy span (and, where both name one, overlaps its
    original span): "'Article' replaced by 'Άρθρου'" is the "'του Άρθρου' is in another script"
    beside it. Of two findings on one span, the earlier rule's stays. A more severe finding inside
    a wider one stays with it (a changed figure inside a reworded quote), and so does any finding
    inside one about a whole sentence (a fabricated quote in an added passage: ``explains_words``)."""
    by_pair: dict[int, list[int]] = {}
    for k, f in enumerate(findings):
        if f.pair is not None and f.copy_span is not None:
            by_pair.setdefault(f.pair, []).append(k)
    dropped: set[int] = set()
    for ks in by_pair.values():
        for k in ks:
            f = findings[k]
            if any(_explains(findings[j], f, j < k) for j in ks if j != k and j not in dropped):
                dropped.add(k)
    return [f for k, f in enumerate(findings) if k not in dropped]


def pointed_at_edits(findings: Sequence[Finding], evidence: Evidence, ctx: CheckContext) -> list[Finding]:
    """Each major or critical finding of a rule that ``points_at_edit`` points at the whole
    word-diff edit its words lie in ("Smith" -> "President Jean-Claude Juncker" for "Prime
    Minister John Smith"): the stretch where the copy differs from the original around the word
    the rule read, on both sides, without the punctuation at its ends. The error an editor has to
    fix is that stretch, as human annotators mark it (docs/spans.md). A stretch of more than
    ``Thresholds.span_stretch_words`` words (a long reworded passage, which tells an editor little)
    leaves the finding's own words, and so does a minor finding (a name spelt another way: the
    word is the whole story). Only where a finding points changes: this runs after
    ``explained_once``, which compares what each rule found, and changes no severity."""
    by_pair = {a.pair.index: a for a in evidence.pairs}
    limit = ctx.thresholds.span_stretch_words
    out: list[Finding] = []
    for f in findings:
        cls = REGISTRY.get(f.rule)
        a = by_pair.get(f.pair) if f.pair is not None else None
        if cls is None or not cls.points_at_edit or a is None or f.copy_span is None or f.severity < Severity.MAJOR:
            out.append(f)
            continue
        edits = [e for e in a.wa.edits if e.c_span[1] > e.c_span[0] and _meets(a.c_doc_span(*e.c_span), f.copy_span)]
        copy_span = _widened(f.copy_span, [a.c_doc_span(*e.c_span) for e in edits], ctx.copy.text, limit)
        original_span = f.original_span
        if original_span is not None and copy_span is not f.copy_span:
            original_span = _widened(original_span, [a.o_doc_span(*e.o_span) for e in edits if e.o_span[1] > e.o_span[0]], ctx.original.text, limit)
        out.append(replace(f, copy_span=copy_span, original_span=original_span))
    return out


def _meets(x: Span, y: Span) -> bool:
    return x.start < y.end and y.start < x.end


def _widened(span: Span, edits: Sequence[Span], text: str, limit: int) -> Span:
    """``span`` grown to cover ``edits`` (document ranges of ``text``) less the punctuation and
    spaces the growth brings at either end, or ``span`` itself when nothing grows or the grown
    stretch holds more than ``limit`` words."""
    start = min([span.start, *(e.start for e in edits)])
    end = max([span.end, *(e.end for e in edits)])
    while start < span.start and not text[start].isalnum():
        start += 1
    while end > span.end and not text[end - 1].isalnum():
        end -= 1
    if (start, end) == (span.start, span.end) or len(re.findall(r"\w+", text[start:end])) > limit:
        return span
    return Span(start, end, text[start:end])


def _explains(g: Finding, f: Finding, earlier: bool) -> bool:
    """Whether ``g`` already says what ``f`` says about the copy."""
    assert g.copy_span is not None and f.copy_span is not None
    explainer = REGISTRY.get(g.rule)
    if explainer is None or not explainer.explains_words or g.severity.rank < f.severity.rank:
        return False
    gs, fs = g.copy_span, f.copy_span
    if not (gs.start <= fs.start and fs.end <= gs.end):
        return False
    if (gs.start, gs.end) == (fs.start, fs.end) and g.severity == f.severity and not earlier:
        return False  # the same span at the same severity: the earlier rule's finding stays
    go, fo = g.original_span, f.original_span
    return go is None or fo is None or (go.start < fo.end and fo.start < go.end)
