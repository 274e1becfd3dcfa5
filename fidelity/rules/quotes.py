"""Quotes: quoted speech altered, or words quoted that the original does not quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fidelity.rules.base import CheckContext, HitRule
from fidelity.rules.evidence import Evidence, Hit, HitKind, PairAnalysis
from fidelity.rules.parsing import quotes, word_containment, word_overlap
from fidelity.types import Category, Finding, Severity, Span


def quote_hits(a: PairAnalysis, verbatim: float, source_min: float, syndicated: bool = False) -> list[Hit]:
    """Copy quotes against the pair's original quotes: unchanged, altered, or with no source.

    A syndicated copy (``PairAnalysis.syndicated``) must keep quotes verbatim, so
    any alteration is major; a translation must keep their meaning, so a reworded quote is
    minor unless another check finds a change of meaning inside it (see ``analyse``)."""
    hits: list[Hit] = []
    altered = Severity.MAJOR if syndicated else Severity.MINOR
    if syndicated:
        verbatim = 1.0  # a syndicated copy keeps every word of a quote
    for q in a.c_quotes:
        q_words = re.findall(r"\w+", q.text.casefold())
        if len(q_words) < 2:
            continue
        best, best_score = None, 0.0
        for oq in a.o_quotes:
            score = word_overlap(q_words, re.findall(r"\w+", oq.text.casefold()))
            if score > best_score:
                best, best_score = oq, score
        if best is None:
            # Quoted in the copy but not in the original: fabricated unless those very words are the
            # original's own, only put in quote marks (a title, a term: the movie "National Treasure").
            if word_containment(q_words, re.findall(r"\w+", a.o_text.casefold())) < verbatim:
                hits.append(Hit(HitKind.QUOTE_FABRICATED, None, (q.start, q.end), f"“{q.text}” is quoted in the copy but not in the original", Severity.MAJOR))
            continue
        if best_score >= verbatim:
            continue
        if best_score < source_min:
            hits.append(Hit(HitKind.QUOTE_FABRICATED, None, (q.start, q.end), f"“{q.text}” matches no quote of the original", Severity.MAJOR))
        else:
            hits.append(Hit(HitKind.QUOTE_ALTERED, (best.start, best.end), (q.start, q.end), f"quote changed: “{best.text}” became “{q.text}”", altered))
    return hits


class QuoteAlteredRule(HitRule):
    """What it does: finds a quotation of the copy that matches one of the original's but not
    word for word (below ``Thresholds.quote_verbatim``). In a near-verbatim copy any change is
    major; in a translation a reworded quote is minor unless another rule finds a change of
    meaning inside it (a figure, a name, a negation), which makes it major.

    Why it matters: a syndicated copy must keep quotes verbatim: they are someone's own words.

    Example: “boots on the ground” -> “forces on the ground” (major in a syndicated copy).
    """

    rule = "quote-altered"
    points_at_edit = False  # the quotation is the unit
    category = Category.QUOTE_ALTERED
    severity = Severity.MAJOR
    summary = "Quoted speech was changed: a syndicated copy must keep quotes verbatim."
    example = "“boots on the ground” -> “forces on the ground”"
    kinds = frozenset({HitKind.QUOTE_ALTERED})


class QuoteFabricatedRule(HitRule):
    """What it does: finds words the copy quotes that the original does not quote: inside a pair
    (a quotation with no source among the original's quotes, below ``Thresholds.quote_source_min``),
    or in a passage the copy adds. Words of the original only put in quote marks (a title, a
    term) are not fabricated.

    Why it matters: a quotation puts words in someone's mouth.

    Example: "said he was ready" -> "said he was “ready to go”" (major).
    """

    rule = "quote-fabricated"
    points_at_edit = False  # the quotation is the unit
    category = Category.QUOTE_FABRICATED
    severity = Severity.MAJOR
    summary = "The copy quotes words that the original does not quote (inside a pair or in an added passage)."
    example = "said he was ready -> said he was “ready to go”"
    kinds = frozenset({HitKind.QUOTE_FABRICATED})

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        yield from super().run(ctx, evidence)
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
