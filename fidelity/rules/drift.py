"""Drift: the severity model's verdict on a pair that no explicit rule explains.

    features(analysis) -> {name: value}     the model's inputs (``fidelity.severity.FEATURES``)
    recover(ctx, analyses)                  the similarity each edit recovers when undone
    measured_edits(ctx, analyses)           which edits of which pairs ``recover`` measures

The model itself (weights, probability, explanation) is ``fidelity.severity``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from fidelity import severity as sev
from fidelity.rules.base import CheckContext, Rule
from fidelity.rules.evidence import Evidence, PairAnalysis
from fidelity.rules.grammar import grammar_flags
from fidelity.rules.names import name_variant_edit
from fidelity.rules.order import order_ratio
from fidelity.types import Category, Finding, Severity
from fidelity.wordalign import Edit


def recover(ctx: CheckContext, analyses: Sequence[PairAnalysis]) -> None:
    """For each meaningful edit: cos(original, copy with the original's words put back) - cos(original, copy).

    One ``encode`` batch for the whole document: each variant (the copy with one edit undone) is
    embedded whole, for at most ``recovery_max_edits`` edits a pair (``measured_edits``). Taking the variant's vector from the token states of the one pass over the
    two sentences instead (the copy's states outside the edit, the original's inside) was
    measured and not adopted: too far from embedding the variant (Pearson 0.75, drift findings
    changed on 3.8% of DEMETR dev pairs; ``benchmarks/eval_recovery.py``, README Performance).

    Recovery is read only by the drift check (the severity model's ``recovery_*`` features and
    the span it points at), so a pair is skipped when no recovery value could change that
    check's outcome (``_needs_recovery``): the variants are most of the embedding cost of a
    comparison (each is a whole sentence through the model). ``Thresholds.recovery_everywhere``
    measures every pair instead: the severity model is fitted on every pair's recovery features.
    """
    measured, base_vecs = measured_edits(ctx, analyses)
    variants: list[str] = []
    owners: list[tuple[PairAnalysis, int, int]] = []
    for a, n, edits in measured:
        for k, e in edits:
            s, t = e.c_span
            variant = a.c_text[:s] + (" " if e.kind == "insert" else "") + e.o_text + a.c_text[t:]
            if e.kind == "drop":
                variant = a.c_text[:s] + " " + e.o_text + " " + a.c_text[s:]
            variants.append(re.sub(r"\s+", " ", variant).strip())
            owners.append((a, k, n))
    if not variants:
        return
    var_vecs = ctx.embedder.encode(variants)
    for (a, k, n), v in zip(owners, var_vecs, strict=False):
        o_vec, c_vec = base_vecs[2 * n], base_vecs[2 * n + 1]
        a.recovery[k] = float(np.dot(o_vec, v) - np.dot(o_vec, c_vec))


def measured_edits(
    ctx: CheckContext, analyses: Sequence[PairAnalysis]
) -> tuple[list[tuple[PairAnalysis, int, list[tuple[int, Edit]]]], NDArray[np.float32]]:
    """The edits whose recovery ``recover`` measures: per pair that needs it, (analysis, n,
    [(edit index, edit), ...]) with at most ``recovery_max_edits`` edits, largest first; and the
    vectors (2 x pairs considered, d) of the pairs considered, original 2n and copy 2n + 1."""
    prune_recovery = not ctx.thresholds.recovery_everywhere
    limit = ctx.thresholds.recovery_max_edits
    todo = [a for a in analyses if not prune_recovery or (not a.syndicated(ctx.thresholds) and not _explained(a))]
    if not todo:
        return [], np.zeros((0, 1), dtype=np.float32)
    base_vecs = ctx.embedder.encode([t for a in todo for t in (a.o_text, a.c_text)])  # cached by the pipeline
    measured: list[tuple[PairAnalysis, int, list[tuple[int, Edit]]]] = []
    for n, a in enumerate(todo):
        edits = [(k, e) for k, e in enumerate(a.wa.edits) if not e.trivial and _has_words(e)]
        edits.sort(key=lambda ke: -(len(ke[1].o_text) + len(ke[1].c_text)))
        edits = edits[:limit]
        ceiling = 1.0 - float(np.dot(base_vecs[2 * n], base_vecs[2 * n + 1]))  # cos(original, variant) <= 1
        if edits and (not prune_recovery or _needs_recovery(ctx, a, len(edits), ceiling)):
            measured.append((a, n, edits))
    return measured, base_vecs


def _explained(a: PairAnalysis) -> bool:
    """An explicit hit at major or above: the drift check stays silent on this pair."""
    return any(h.strength >= Severity.MAJOR for h in a.hits)


def _needs_recovery(ctx: CheckContext, a: PairAnalysis, n_edits: int, ceiling: float) -> bool:
    """Could the recovery of this pair's ``n_edits`` edits lift the model to ``model_minor``?

    The model is linear in the features before its sigmoid, so the highest probability over all
    recovery values in [0, ceiling] is reached at a corner; below ``model_minor`` there, the
    drift check raises nothing whatever the recovery is, and embedding the variants is wasted.
    """
    _, high = sev.recovery_bounds(features(a), n_edits, max(0.0, ceiling))
    return high >= ctx.thresholds.model_minor


def _has_words(e: Edit) -> bool:
    return any(ch.isalnum() for ch in e.o_text + e.c_text)


def features(a: PairAnalysis) -> dict[str, float]:
    """The severity model's features of a pair (names and meaning: ``fidelity.severity.FEATURES``)."""
    f = dict.fromkeys(sev.FEATURES, 0.0)
    sim = a.pair.similarity if a.pair.similarity is not None else 0.0
    f["dissimilarity"] = 1.0 - sim
    f["chrf_gap"] = 1.0 - (a.pair.chrf or 0.0) / 100.0
    f["verbatim"] = a.wa.verbatim
    rec = [max(0.0, r) for r in a.recovery.values()]
    f["recovery_max"] = max(rec, default=0.0)
    f["recovery_sum"] = sum(rec)
    for h in a.hits:
        name = h.kind.feature
        if name:
            f[name] = min(3.0, f[name] + h.words)  # (a name's words one by one, as the model was trained)
    content = f["content_dropped"] + f["content_added"] + f["content_changed"]
    f["verbatim_content"] = a.wa.verbatim * min(1.0, content)
    f["order"] = 1.0 - min(1.0, order_ratio(a))
    for k, v in grammar_flags(a.c_doc).items():
        f[k] = v
    ow = sum(1 for t in a.wa.original if t.is_word)
    cw = sum(1 for t in a.wa.copy if t.is_word)
    f["length_ratio"] = abs(math.log((cw + 1) / (ow + 1)))
    return f


class DriftRule(Rule):
    """What it does: asks the severity model (a logistic regression over the pair's features:
    dissimilarity, chrF, words kept, similarity recovered by undoing an edit, the hits of every
    detector) how likely the pair's meaning changed, and reports the pairs at or above
    ``Thresholds.model_minor`` that no explicit rule explains: not near-verbatim (the word diff
    judged every change there), no hit at major or above, not only a name written another way,
    not part of a systematic substitution. Its severity follows the probability
    (``model_major``, ``model_critical``); a reworded heading is at most minor. It points at the
    edit that recovers the most similarity when undone.

    Why it matters: a translation can change the meaning in ways no specific rule names (a verb
    removed, a clause reworded into something else); the model catches what they miss.

    Example: "His research shows that ..." -> "His research that the administration ..." (verb removed).
    """

    rule = "drift"
    explains_words = False  # a catch-all: a specific finding on its span is the explanation
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "The severity model finds that the pair's meaning drifted, though no specific check explains how."
    example = "His research shows -> His research that the administration ... (verb removed)"
    needs_evidence = True

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        th = ctx.thresholds
        # A pair holding an occurrence of a systematic substitution is explained by that finding.
        systematic = {pa.pair.index for g in evidence.systematic for pa, _, _ in g.occurrences}
        for a in evidence.pairs:
            if (not a.hits and not a.wa.meaningful()) or a.pair.index in systematic:
                continue
            f = a.features
            p = sev.probability(f)
            if p < th.model_minor:
                continue
            if a.syndicated(th):
                continue  # near-verbatim: the word diff is exact and the edit rules judged every change
            if _explained(a):
                continue  # an explicit rule already says what changed
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
