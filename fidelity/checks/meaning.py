"""Meaning checks inside aligned pairs: the evidence of ``analysis`` turned into findings.

In: ``CheckContext`` (through ``analysis.analyse``: word alignment, spaCy parses, recovered
similarity and the ``Hit`` list of every matched pair). Out: ``Finding`` objects with spans
on both sides as offsets into ``Document.text``. Each check owns some hit kinds; ``drift``
reports what the severity model sees in a pair that no explicit check explains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from fidelity import severity as sev
from fidelity.checks.analysis import Hit, PairAnalysis, analyse, quotes, word_overlap
from fidelity.checks.base import Check, CheckContext, register
from fidelity.types import Category, Finding, Severity, Span

_STRENGTH = {"minor": Severity.MINOR, "major": Severity.MAJOR, "critical": Severity.CRITICAL}


def finding_from_hit(rule: str, category: Category, a: PairAnalysis, h: Hit, severity: Severity | None = None) -> Finding:
    return Finding(
        rule,
        category,
        severity or _STRENGTH[h.strength],
        h.detail,
        a.o_doc_span(*h.o) if h.o else None,
        a.c_doc_span(*h.c) if h.c else None,
        a.pair.index,
    )


class _HitCheck(Check):
    """A check that reports the hits of some kinds, one finding per hit."""

    kinds: ClassVar[frozenset[str]]
    min_strength: ClassVar[str] = "minor"

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        floor = _STRENGTH[self.min_strength]
        for a in analyse(ctx):
            for h in a.hits:
                if h.kind in self.kinds and _STRENGTH[h.strength] >= floor:
                    yield finding_from_hit(self.rule, self.category, a, h)


@register
class NumberCheck(_HitCheck):
    rule = "number"
    category = Category.NUMBER
    severity = Severity.CRITICAL
    summary = "A number, date, amount or quantity differs (after normalising '5,000', '5000', 'five thousand')."
    example = "sending 5,000 troops -> sending 500 troops"
    kinds = frozenset({"number-changed", "number-dropped", "number-added"})


@register
class NameCheck(_HitCheck):
    rule = "named-entity"
    category = Category.NAMED_ENTITY
    severity = Severity.MAJOR
    summary = "A name (person, place, organisation) is missing, replaced or misspelled; transliteration variants are minor."
    example = "Anna Petrova -> Anna Pavlova (major); Yeltsin -> Jeltsin (minor)"
    kinds = frozenset({"name-removed", "name-replaced", "name-mangled", "name-added", "name-variant"})


@register
class NegationCheck(_HitCheck):
    rule = "negation"
    category = Category.NEGATION
    severity = Severity.CRITICAL
    summary = "A negation (not, no, never, without, ...) was added or dropped."
    example = "the trials are monitored -> the trials are not monitored"
    kinds = frozenset({"negation-added", "negation-dropped"})


@register
class AntonymCheck(_HitCheck):
    rule = "antonym"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "A word was replaced by its opposite (WordNet antonym)."
    example = "Germany's army is too small -> Germany's army is too large"
    kinds = frozenset({"antonym"})


@register
class GenderCheck(_HitCheck):
    rule = "gender"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "A gender-marked pronoun or noun changed gender."
    example = "His research showed -> Her research shows"
    kinds = frozenset({"gender"})


@register
class RolesCheck(_HitCheck):
    rule = "roles-swapped"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "Who does what to whom changed: subject and object swapped (spaCy dependencies)."
    example = "the council fined the company -> the company fined the council"
    kinds = frozenset({"roles-swapped"})


@register
class UntranslatedCheck(_HitCheck):
    rule = "untranslated"
    category = Category.UNTRANSLATED
    severity = Severity.CRITICAL
    summary = "Text in another script or language was left in the copy."
    example = "under the new treaty -> under the new [Vertrag]"
    kinds = frozenset({"untranslated-script", "untranslated-word"})


@register
class QuoteAlteredCheck(_HitCheck):
    rule = "quote-altered"
    category = Category.QUOTE_ALTERED
    severity = Severity.MAJOR
    summary = "Quoted speech was changed: a syndicated copy must keep quotes verbatim."
    example = "“boots on the ground” -> “forces on the ground”"
    kinds = frozenset({"quote-altered"})


@register
class QuoteFabricatedCheck(_HitCheck):
    rule = "quote-fabricated"
    category = Category.QUOTE_FABRICATED
    severity = Severity.MAJOR
    summary = "The copy quotes words that the original does not quote (inside a pair or in an added passage)."
    example = "said he was ready -> said he was “ready to go”"
    kinds = frozenset({"quote-fabricated"})

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        yield from super().run(ctx)
        # An added passage that quotes someone: words put in a mouth unless the original quotes them
        # too. Runs of consecutive added sentences are read as one text: the segmenter may split a quote.
        # (An invented heading in quote marks is reported as an invented heading, not as speech.)
        added = sorted((j, p.index) for p in ctx.pairs if p.kind == "addition" for j in p.copy if not ctx.copy_sentences[j].heading)
        if not added:
            return
        o_quotes = [re.findall(r"\w+", q.text.casefold()) for q in quotes(ctx.original.text)]
        runs: list[list[tuple[int, int]]] = []
        for j, index in added:
            if runs and runs[-1][-1][0] == j - 1:
                runs[-1].append((j, index))
            else:
                runs.append([(j, index)])
        for run in runs:
            first, last = ctx.copy_sentences[run[0][0]], ctx.copy_sentences[run[-1][0]]
            for q in quotes(ctx.copy.text[first.start : last.end]):
                words = re.findall(r"\w+", q.text.casefold())
                if len(words) < 3 or max((word_overlap(words, o) for o in o_quotes), default=0.0) >= ctx.thresholds.quote_source_min:
                    continue
                start_at = first.start + q.start
                index = next((i for j, i in reversed(run) if ctx.copy_sentences[j].start <= start_at), run[0][1])
                span = Span(start_at, first.start + q.end, q.text)
                yield Finding(self.rule, self.category, Severity.MAJOR, f"“{q.text}” is quoted in an added passage; the original quotes nothing like it", None, span, index)


@register
class WordingCheck(_HitCheck):
    rule = "wording"
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "In a near-verbatim copy, a content word, a verb's tense/aspect or the sentence mood was changed."
    example = "His research shows -> His research showed; ... lungs. -> ... lungs?"
    kinds = frozenset({"content-changed", "verb-form", "mood"})
    min_strength = "major"


@register
class WordOrderCheck(_HitCheck):
    rule = "word-order"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "The copy keeps the original's words but scrambles their order (who did what is lost)."
    example = "His research showed ... -> Baby's research his the lungs can fetal hormones shows ..."
    kinds = frozenset({"word-order"})


@register
class DroppedContentCheck(_HitCheck):
    rule = "dropped-content"
    category = Category.OMISSION
    severity = Severity.MAJOR
    summary = "Words of the original (a qualifier, a phrase, a clause) are missing from a near-verbatim copy, or any copy's main verb lost its subject, an article its noun, a clause its verb or a phrase its noun."
    example = "can accelerate the maturation of the baby's lungs -> can accelerate the maturation"
    kinds = frozenset({"content-dropped", "subject-dropped", "article-orphaned", "clause-broken", "phrase-broken"})
    min_strength = "major"


@register
class AddedContentCheck(_HitCheck):
    rule = "added-content"
    category = Category.ADDITION
    severity = Severity.MAJOR
    summary = "Words with no source in the original were inserted into a near-verbatim copy."
    example = "the administration of hormones -> the depressed administration of hormones"
    kinds = frozenset({"content-added"})
    min_strength = "major"


_EXPLAINED = Severity.MAJOR


@register
class DriftCheck(Check):
    rule = "drift"
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "The severity model finds that the pair's meaning drifted, though no specific check explains how."
    example = "His research shows -> His research that the administration ... (verb removed)"

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from fidelity.checks.analysis import name_variant_edit, systematic_groups

        th = ctx.thresholds
        # A pair holding an occurrence of a systematic substitution is explained by that finding.
        systematic = {pa.pair.index for g in systematic_groups(ctx) for pa, _, _ in g.occurrences}
        for a in analyse(ctx):
            if (not a.hits and not a.wa.meaningful()) or a.pair.index in systematic:
                continue
            f = sev.features(a)
            p = sev.probability(f)
            a.features = f
            if p < th.model_minor:
                continue
            if a.syndicated(th):
                continue  # near-verbatim: the word diff is exact and the edit checks judged every change
            if any(_STRENGTH[h.strength] >= _EXPLAINED for h in a.hits):
                continue  # an explicit check already says what changed
            edits = a.wa.meaningful()
            if edits and all(name_variant_edit(a, e) for e in edits):
                continue  # every change is a name said another way (Dnipro / Dnieper), reported as such
            level = Severity.CRITICAL if p >= th.model_critical else Severity.MAJOR if p >= th.model_major else Severity.MINOR
            if all(s.heading for s in a.o_sents + a.c_sents):
                level = Severity.MINOR  # a reworded heading: the model was trained on sentences, headings are retitled freely
            o_span = c_span = None
            if a.recovery:
                k = max(a.recovery, key=lambda i: a.recovery[i])
                if a.recovery[k] >= th.recovery_span:
                    e = a.wa.edits[k]
                    o_span = a.o_doc_span(*e.o_span) if e.o_span[1] > e.o_span[0] else None
                    c_span = a.c_doc_span(*e.c_span) if e.c_span[1] > e.c_span[0] else None
            why = ", ".join(name.replace("_", " ") for name, _ in sev.explain(f))
            where = f": {o_span.text if o_span else '∅'!r} -> {c_span.text if c_span else '∅'!r}" if o_span or c_span else ""
            yield Finding(self.rule, self.category, level, f"meaning drifted (p={p:.2f}; {why}){where}", o_span, c_span, a.pair.index)


@register
class SystematicCheck(Check):
    rule = "systematic"
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "The same word is replaced by the same other word throughout the copy: one finding, every occurrence."
    example = "bank/banks -> bench/benches in 5 sentences"

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from fidelity.checks.analysis import systematic_groups

        for g in systematic_groups(ctx):
            occ = tuple((pa.o_doc_span(*o), pa.c_doc_span(*c)) for pa, o, c in g.occurrences)
            first_o, first_c = occ[0]
            words = sorted({f"{o.text} -> {c.text}" for o, c in occ if o and c})
            yield Finding(
                self.rule,
                self.category,
                self.severity,
                f"systematic change in {len(occ)} sentences: {'; '.join(words[:6])}",
                first_o,
                first_c,
                None,
                occ,
            )
