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
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from fidelity import nlp
from fidelity import severity as sev
from fidelity.rules.base import CheckContext, Rule
from fidelity.rules.evidence import Evidence, Hit, PairAnalysis
from fidelity.rules.grammar import grammar_flags
from fidelity.rules.names import name_variant_edit
from fidelity.rules.order import order_ratio
from fidelity.thresholds import Thresholds
from fidelity.types import Category, Finding, Severity
from fidelity.wordalign import Edit

if TYPE_CHECKING:
    from spacy.tokens import Doc


# (pair, edit index, original's vector, cos(original, copy), where the value goes)
_Job = tuple[PairAnalysis, int, NDArray[np.float32], np.float32, dict[int, float]]


def recover(ctx: CheckContext, analyses: Sequence[PairAnalysis]) -> None:
    """For each meaningful edit: cos(original, copy with the original's words put back) - cos(original, copy).

    Each variant (the copy with one edit undone) is embedded whole, in one ``encode`` batch for
    the document. The severity model reads the recovery of a pair's ``severity.recovery_edits()``
    largest edits (its ``recovery_*`` features, ``features``); the drift span is the edit that
    recovers most among up to ``Thresholds.recovery_max_edits``. So the model's edits are measured
    first, and the other edits of a pair only where the drift rule may then report it (a second
    batch): the variants are most of the embedding cost of a comparison. Taking the variant's
    vector from the token states of the one pass over the two sentences instead (the copy's states
    outside the edit, the original's inside) was measured and not adopted: too far from embedding
    the variant (Pearson 0.75, drift findings changed on 3.8% of DEMETR dev pairs;
    ``benchmarks/eval_recovery.py``, docs/performance.md).

    A pair is skipped when no recovery value could change the drift check's outcome
    (``_needs_recovery``). ``Thresholds.recovery_everywhere`` measures every pair's edits up to
    ``recovery_max_edits`` in one batch instead: the severity model is fitted on them.

    With ``Thresholds.edit_findings`` the first batch also measures the drift-edit candidates
    (``edit_candidates_to_measure``) into ``PairAnalysis.edit_recovery``.
    """
    th = ctx.thresholds
    measured, base_vecs = measured_edits(ctx, analyses)
    first = th.recovery_max_edits if th.recovery_everywhere else sev.recovery_edits()
    jobs: list[_Job] = []
    later: list[tuple[PairAnalysis, NDArray[np.float32], np.float32, list[int]]] = []
    for a, n, edits in measured:
        o_vec, cos = base_vecs[2 * n], np.dot(base_vecs[2 * n], base_vecs[2 * n + 1])
        jobs += [(a, k, o_vec, cos, a.recovery) for k, _ in edits[:first]]
        if edits[first:]:
            later.append((a, o_vec, cos, [k for k, _ in edits[first:]]))
    if th.edit_findings:
        for a, o_vec, cos, ks in edit_candidates_to_measure(ctx, analyses):
            jobs += [(a, k, o_vec, cos, a.edit_recovery) for k in ks]
    _measure(ctx, jobs)
    # the span's other candidates, only for pairs the drift rule may report now their features are known
    _measure(ctx, [(a, k, o_vec, cos, a.recovery) for a, o_vec, cos, ks in later if _may_report(a, th) for k in ks])


def _measure(ctx: CheckContext, jobs: Sequence[_Job]) -> None:
    """Embed each job's variant (one ``encode`` batch) and store its recovery."""
    if not jobs:
        return
    variants = [_undone(a, a.wa.edits[k]) for a, k, *_ in jobs]
    unique = list(dict.fromkeys(variants))  # an edit measured for both the pair and the edit model is embedded once
    vecs = ctx.embedder.encode(unique)
    row = {text: i for i, text in enumerate(unique)}
    for (_, k, o_vec, cos, store), text in zip(jobs, variants, strict=True):
        store[k] = float(np.dot(o_vec, vecs[row[text]]) - cos)  # float32 throughout, as before the edit model


def _may_report(a: PairAnalysis, th: Thresholds, p: float | None = None) -> bool:
    """Whether the drift rule may report this pair at probability ``p`` (by default the model's
    on the features measured so far, its own edits' recovery): over ``model_minor``, reworded, no
    explicit hit at major or above. ``pair_drift`` asks the same before its further conditions."""
    if p is None:
        p = sev.probability(features(a))
    return p >= th.model_minor and not a.syndicated(th) and not _explained(a)


def _largest_first(a: PairAnalysis, ks: Iterable[int]) -> list[int]:
    """Edit indices ``ks`` of ``a``, largest edit (characters on both sides) first, ties in order."""
    return sorted(ks, key=lambda k: (-(len(a.wa.edits[k].o_text) + len(a.wa.edits[k].c_text)), k))


def _undone(a: PairAnalysis, e: Edit) -> str:
    """The copy with edit ``e`` undone (the original's words put back in its place)."""
    s, t = e.c_span
    variant = a.c_text[:s] + (" " if e.kind == "insert" else "") + e.o_text + a.c_text[t:]
    if e.kind == "drop":
        variant = a.c_text[:s] + " " + e.o_text + " " + a.c_text[s:]
    return re.sub(r"\s+", " ", variant).strip()


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
    model_edits = sev.recovery_edits()
    for n, a in enumerate(todo):
        ks = _largest_first(a, (k for k, e in enumerate(a.wa.edits) if not e.trivial and _has_words(e)))
        edits = [(k, a.wa.edits[k]) for k in ks[:limit]]
        ceiling = 1.0 - float(np.dot(base_vecs[2 * n], base_vecs[2 * n + 1]))  # cos(original, variant) <= 1
        if edits and (not prune_recovery or _needs_recovery(ctx, a, min(len(edits), model_edits), ceiling)):
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


# --- per edit (drift-edit) -------------------------------------------------------------


def edit_candidates(a: PairAnalysis, th: Thresholds) -> list[int]:
    """The edits of a reworded pair the edit model judges: not trivial, holding words, covered by
    no hit at major or above (that finding already says what changed), not a name written
    another way; the ``edit_recovery_max`` largest. A near-verbatim pair has none: the word-diff
    rules judge every one of its edits."""
    if a.syndicated(th):
        return []
    major = [h for h in a.hits if h.strength >= Severity.MAJOR]
    out = [
        k for k, e in enumerate(a.wa.edits)
        if not e.trivial and _has_words(e) and not any(_covers(h, e) for h in major) and not name_variant_edit(a, e)
    ]  # fmt: skip
    out.sort(key=lambda k: -(len(a.wa.edits[k].o_text) + len(a.wa.edits[k].c_text)))
    return out[: th.edit_recovery_max]


def edit_candidates_to_measure(
    ctx: CheckContext, analyses: Sequence[PairAnalysis]
) -> list[tuple[PairAnalysis, NDArray[np.float32], np.float32, list[int]]]:
    """Per pair with candidates: (analysis, original's vector, cos(original, copy), the candidate
    edits whose recovery could lift the edit model to ``edit_model_major``). Cheap evidence
    first: the model is linear in the recovery, so an edit below the threshold at both ends of
    [0, 1 - cosine] is never embedded (``severity.edit_recovery_bounds``); with
    ``recovery_everywhere`` (training) every candidate is."""
    th = ctx.thresholds
    todo = [(a, ks) for a in analyses if (ks := edit_candidates(a, th))]
    if not todo:
        return []
    vecs = ctx.embedder.encode([t for a, _ in todo for t in (a.o_text, a.c_text)])  # cached by the pipeline
    out = []
    for n, (a, ks) in enumerate(todo):
        cos = np.dot(vecs[2 * n], vecs[2 * n + 1])
        if not th.recovery_everywhere:
            pair_p = _pair_p(a)
            ceiling = max(0.0, 1.0 - float(cos))
            ks = [k for k in ks if sev.edit_recovery_bounds(edit_features(a, k, 0.0, pair_p), ceiling)[1] >= th.edit_model_major]
        if ks:
            out.append((a, vecs[2 * n], cos, ks))
    return out


def _covers(h: Hit, e: Edit) -> bool:
    """Whether hit ``h`` lies on edit ``e`` (either side; an empty range counts as its position)."""

    def meets(x: tuple[int, int] | None, y: tuple[int, int]) -> bool:
        return x is not None and x[0] < max(y[1], y[0] + 1) and y[0] < max(x[1], x[0] + 1)

    return meets(h.c, e.c_span) or meets(h.o, e.o_span)


def _pair_p(a: PairAnalysis) -> float:
    """The pair model's probability without its recovery features (measured for some pairs only)."""
    return sev.probability({**features(a), "recovery_max": 0.0, "recovery_sum": 0.0})


_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})


def _content(doc: Doc | None, text: str, span: tuple[int, int]) -> list[tuple[str, str]]:
    """(word, coarse tag) of the content words inside ``span`` of ``text``; without a parse, every word."""
    if doc is None:
        return [(w, "") for w in re.findall(r"\w+", text[span[0] : span[1]])]
    return [(t.text, t.pos_) for t in doc if span[0] <= t.idx < span[1] and t.pos_ in _CONTENT_POS]


def _bases(doc: Doc | None, text: str) -> set[str]:
    if doc is None:
        return {w.casefold() for w in re.findall(r"\w+", text)}
    return {t.lower_ for t in doc} | {nlp.lemma(t.text, t.pos_) for t in doc if t.pos_ in _CONTENT_POS}


def edit_words(a: PairAnalysis, k: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The content words edit ``k`` loses (in its original side, found nowhere in the copy) and
    brings (in its copy side, found nowhere in the original), as (word, coarse tag)."""
    e = a.wa.edits[k]
    copy_bases, original_bases = _bases(a.c_doc, a.c_text), _bases(a.o_doc, a.o_text)

    def base(w: str, pos: str) -> set[str]:
        return {w.casefold(), nlp.lemma(w, pos)} if pos else {w.casefold()}

    lost = [(w, pos) for w, pos in _content(a.o_doc, a.o_text, e.o_span) if not base(w, pos) & copy_bases]
    new = [(w, pos) for w, pos in _content(a.c_doc, a.c_text, e.c_span) if not base(w, pos) & original_bases]
    return lost, new


def edit_features(a: PairAnalysis, k: int, recovery: float, pair_p: float) -> dict[str, float]:
    """The edit model's features of edit ``k`` (names and meaning: ``fidelity.severity.EDIT_FEATURES``)."""
    e = a.wa.edits[k]
    f = dict.fromkeys(sev.EDIT_FEATURES, 0.0)
    f["dissimilarity"] = 1.0 - (a.pair.similarity if a.pair.similarity is not None else 0.0)
    f["recovery"] = max(0.0, recovery)
    f["recovery_share"] = sev.recovery_share(recovery, f["dissimilarity"])
    f["pair_p"] = pair_p
    f["verbatim"] = a.wa.verbatim
    f["o_words"] = math.log1p(len(re.findall(r"\w+", e.o_text)))
    f["c_words"] = math.log1p(len(re.findall(r"\w+", e.c_text)))
    f["o_content"] = min(3.0, len(_content(a.o_doc, a.o_text, e.o_span)))
    f["c_content"] = min(3.0, len(_content(a.c_doc, a.c_text, e.c_span)))
    lost, new = edit_words(a, k)
    f["o_lost"], f["c_new"] = min(3.0, len(lost)), min(3.0, len(new))
    f["synonym"] = float(any(nlp.synonymous(x, xp, y, yp) for x, xp in lost for y, yp in new))
    f["spelling"] = SequenceMatcher(None, e.o_text.casefold(), e.c_text.casefold()).ratio()
    f["drop"] = float(e.kind == "drop")
    f["insert"] = float(e.kind == "insert")
    f["minor_hit"] = float(any(h.strength < Severity.MAJOR and _covers(h, e) for h in a.hits))
    return f


def features(a: PairAnalysis) -> dict[str, float]:
    """The severity model's features of a pair (names and meaning: ``fidelity.severity.FEATURES``)."""
    f = dict.fromkeys(sev.FEATURES, 0.0)
    sim = a.pair.similarity if a.pair.similarity is not None else 0.0
    f["dissimilarity"] = 1.0 - sim
    f["chrf_gap"] = 1.0 - (a.pair.chrf or 0.0) / 100.0
    f["verbatim"] = a.wa.verbatim
    rec = [max(0.0, a.recovery[k]) for k in _largest_first(a, a.recovery)[: sev.recovery_edits()]]
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
        systematic = _systematic_pairs(evidence)
        for a in evidence.pairs:
            if a.pair.index in systematic:
                continue
            verdict = pair_drift(a, th)
            if verdict is None:
                continue
            level, p, k = verdict
            o_span = c_span = None
            if k is not None:
                e = a.wa.edits[k]
                o_span = a.o_doc_span(*e.o_span) if e.o_span[1] > e.o_span[0] else None
                c_span = a.c_doc_span(*e.c_span) if e.c_span[1] > e.c_span[0] else None
            why = "; ".join(dict.fromkeys(in_words(name) for name, _ in sev.explain(a.features)))
            where = f": {o_span.text if o_span else '∅'!r} -> {c_span.text if c_span else '∅'!r}" if o_span or c_span else ""
            message = f"meaning drifted (p={p:.2f}){where}" + (f"; {why}" if why else "")
            yield Finding(self.rule, self.category, level, message, o_span, c_span, a.pair.index)


def _systematic_pairs(evidence: Evidence) -> set[int]:
    """The pairs holding an occurrence of a systematic substitution: that finding explains them."""
    return {pa.pair.index for g in evidence.systematic for pa, _, _ in g.occurrences}


def pair_drift(a: PairAnalysis, th: Thresholds) -> tuple[Severity, float, int | None] | None:
    """The drift rule's verdict on one pair: (severity, probability, the edit it points at), or
    None when it raises nothing there."""
    if not a.hits and not a.wa.meaningful():
        return None
    p = sev.probability(a.features)
    if not _may_report(a, th, p):
        return None  # unlikely; or near-verbatim (the edit rules judged every change); or an explicit rule says what changed
    edits = a.wa.meaningful()
    if edits and all(name_variant_edit(a, e) for e in edits):
        return None  # every change is a name said another way (Dnipro / Dnieper), reported as such
    level = Severity.CRITICAL if p >= th.model_critical else Severity.MAJOR if p >= th.model_major else Severity.MINOR
    if all(s.heading for s in a.o_sents + a.c_sents):
        level = Severity.MINOR  # a reworded heading: the model was trained on sentences, headings are retitled freely
    k = None
    if a.recovery:
        best = max(a.recovery, key=lambda i: a.recovery[i])
        if a.recovery[best] >= th.recovery_span:
            k = best
    return level, p, k


class DriftEditRule(Rule):
    """What it does: judges each edit of a reworded pair on its own, with the edit model (a
    logistic regression over the similarity that undoing the edit recovers, its size, the
    content words it loses and brings, whether they can mean the same, the pair's model
    probability), and reports every edit at or above ``Thresholds.edit_model_major`` that no
    specific finding covers, with both spans and the words lost and brought. Off unless
    ``Thresholds.edit_findings`` is set (docs/drift.md, "Edit-level drift", for the figures).
    At the shipped threshold it reports mostly long reworded or added stretches; a single
    substituted word ("stone" -> "bone") scores below it.

    Why it matters: the drift rule judges a whole pair, stays silent where a specific finding
    already holds, and points at one edit only; a second change in the same sentence ("the old
    stone bridge" -> "the bridge of old bone" beside a changed figure) went unreported.

    Example: "the old stone bridge" -> "the bridge of old bone" ('stone' lost, 'bone' new).
    """

    rule = "drift-edit"
    explains_words = False  # a catch-all, like drift: a specific finding on its span is the explanation
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "The edit model finds that one edit of a reworded sentence changed its meaning, though no specific check explains how."
    example = "the old stone bridge -> the bridge of old bone ('stone' lost, 'bone' new)"
    needs_evidence = True

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        th = ctx.thresholds
        if not th.edit_findings:
            return
        systematic = _systematic_pairs(evidence)
        for a in evidence.pairs:
            if not a.edit_recovery or a.pair.index in systematic or all(s.heading for s in a.o_sents + a.c_sents):
                continue
            verdict = pair_drift(a, th)
            pointed = verdict[2] if verdict is not None else None  # the drift finding already names that edit
            pair_p = _pair_p(a)
            for k, recovery in sorted(a.edit_recovery.items()):
                if k == pointed:
                    continue
                p = sev.edit_probability(edit_features(a, k, recovery, pair_p))
                if p >= th.edit_model_major:
                    yield self._finding(a, k, p)

    def _finding(self, a: PairAnalysis, k: int, p: float) -> Finding:
        e = a.wa.edits[k]
        o_span = a.o_doc_span(*e.o_span) if e.o_span[1] > e.o_span[0] else None
        c_span = a.c_doc_span(*e.c_span) if e.c_span[1] > e.c_span[0] else None
        if e.kind == "drop":
            what = f"{e.o_text!r} dropped"
        elif e.kind == "insert":
            what = f"{e.c_text!r} added"
        else:
            what = f"{e.o_text!r} became {e.c_text!r}"
        lost, new = edit_words(a, k)
        words = "; ".join(part for part in (
            "lost: " + ", ".join(w for w, _ in lost) if lost else "",
            "new: " + ", ".join(w for w, _ in new) if new else "",
        ) if part)  # fmt: skip
        return Finding(self.rule, self.category, Severity.MAJOR, f"meaning changed: {what} (p={p:.2f}{'; ' + words if words else ''})", o_span, c_span, a.pair.index)


# The severity model's features, as the drift finding's message names them for an editor.
_IN_WORDS = {
    "dissimilarity": "the sentences read unlike each other",
    "chrf_gap": "little of the wording is kept",
    "verbatim": "most words are kept, so each change counts",
    "recovery_max": "putting the original's words back restores the sense",
    "recovery_sum": "putting the original's words back restores the sense",
    "number": "a figure differs",
    "name": "a name differs",
    "negation": "a negation differs",
    "antonym": "a word became its opposite",
    "gender": "a gendered word changed",
    "roles": "who does what changed",
    "untranslated": "words left untranslated",
    "quote": "a quotation changed",
    "mood": "a statement became a question, or the reverse",
    "verb_form": "a verb's tense or modality changed",
    "content_dropped": "words of the original dropped",
    "content_added": "words added",
    "content_changed": "words replaced",
    "verbatim_content": "a content word edited in a kept sentence",
    "order": "the word order changed",
    "order_hit": "the word order is scrambled",
    "no_verb": "a clause lost its verb",
    "no_subject": "a verb lost its subject",
    "dangling": "a phrase lost its noun",
    "length_ratio": "much longer or shorter",
}


def in_words(feature: str) -> str:
    """A severity-model feature (``fidelity.severity.FEATURES``) said for an editor."""
    return _IN_WORDS.get(feature, feature.replace("_", " "))
