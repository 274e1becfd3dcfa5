"""The shared pass of the flag stage: ``CheckContext`` -> the evidence of every aligned pair.

Every meaning rule reads the same facts about an aligned pair: its word alignment, its spaCy
parses, and the hits of every detector. Computing them once per comparison, in batches (one
``nlp.pipe`` call, one ``embedder.encode`` call), keeps a 60-sentence diff fast.
"""

from __future__ import annotations

from fidelity import nlp
from fidelity.embed import CachedEmbedder
from fidelity.rules.base import CheckContext
from fidelity.rules.drift import features, recover
from fidelity.rules.evidence import Evidence, Hit, HitKind, PairAnalysis, edited_copy
from fidelity.rules.grammar import article_hits, broken_clause_hits, broken_phrase_hits, subject_hits
from fidelity.rules.names import name_hits
from fidelity.rules.numbers import number_hits
from fidelity.rules.order import order_hits
from fidelity.rules.parsing import numbers, quotes
from fidelity.rules.polarity import polarity_hits
from fidelity.rules.quotes import quote_hits
from fidelity.rules.roles import role_hits
from fidelity.rules.systematic import in_systematic, systematic
from fidelity.rules.untranslated import untranslated_hits
from fidelity.rules.wording import edit_hits
from fidelity.types import Severity
from fidelity.wordalign import wordalign


def analyse(ctx: CheckContext) -> Evidence:
    """The evidence of every pair with both sides present (match or moved) that is a real
    counterpart (``Thresholds.counterpart``), and the substitutions repeated across pairs.

    Each pair's hits come from every detector, then are reconciled across detectors (a quote
    with a changed figure inside, a changed word another detector explains, a substitution the
    systematic finding lists); its recovery and severity features are filled last.
    """
    out: list[PairAnalysis] = []
    loose: list[PairAnalysis] = []  # aligned, but too reworded to read word by word (only the systematic sweep looks)
    for p in ctx.pairs:
        if not (p.original and p.copy):
            continue
        weak = not ctx.thresholds.counterpart(p.similarity, p.chrf)
        o_sents = [ctx.original_sentences[i] for i in p.original]
        c_sents = [ctx.copy_sentences[j] for j in p.copy]
        if not any(s.heading for s in o_sents):
            # An invented heading grouped with a sentence is reported by the addition check, not read as part of it.
            c_sents = [s for s in c_sents if not s.heading] or c_sents
        o_text = " ".join(s.text for s in o_sents)
        c_text = " ".join(s.text for s in c_sents)
        a = PairAnalysis(p, o_sents, c_sents, o_text, c_text, wordalign(o_text, c_text))
        if weak:
            loose.append(a)  # not a counterpart: nothing inside it to compare word by word
            continue
        a.o_numbers, a.c_numbers = numbers(o_text), numbers(c_text)
        a.o_quotes, a.c_quotes = quotes(o_text), quotes(c_text)
        out.append(a)
    # A copy made from the original's text keeps most sentences word for word; there a changed
    # sentence is an edit, however short (``Thresholds.edited_copy``).
    if edited_copy([a.wa for a in out + loose], ctx.thresholds):
        for a in out:
            a.in_edited_copy = True
    changed = [a for a in out if a.wa.meaningful()]
    memo = ctx.embedder.store if isinstance(ctx.embedder, CachedEmbedder) else None  # parses kept across runs
    docs = nlp.parse([t for a in changed for t in (a.o_text, a.c_text)], memo=memo)
    for k, a in enumerate(changed):
        a.o_doc, a.c_doc = docs[2 * k], docs[2 * k + 1]
    th = ctx.thresholds
    for a in changed:
        a.hits = [
            *number_hits(a),
            *name_hits(a, th.name_min_length, th.name_prefix, th.name_mangled, th.name_cognate, th.name_skeleton_min),
            *polarity_hits(a, reworded=not a.syndicated(th)),
            *role_hits(a),
            *untranslated_hits(a, th.untranslated_min_chars, th.english_min_share, th.name_mangled),
            *quote_hits(a, th.quote_verbatim, th.quote_source_min, a.syndicated(th)),
            *edit_hits(a, a.syndicated(th)),
            *order_hits(a, th.order_scrambled, th.order_min_shared, th.order_local_kept),
            *(subject_hits(a) if not a.syndicated(th) else []),  # a syndicated pair's edit checks name the dropped word
            *article_hits(a),
            *(broken_clause_hits(a) if not a.syndicated(th) else []),
            *(broken_phrase_hits(a) if not a.syndicated(th) else []),
        ]
    for a in changed:
        meaning = [h for h in a.hits if h.kind in _MEANING_INSIDE_QUOTES and h.c is not None]
        a.hits = [
            Hit(h.kind, h.o, h.c, h.detail + " (meaning changed inside)", Severity.MAJOR)
            if h.kind == HitKind.QUOTE_ALTERED and h.strength == Severity.MINOR and h.c and any(h.c[0] <= m.c[0] < h.c[1] for m in meaning if m.c)
            else h
            for h in a.hits
        ]
        # A changed word that a specific check explains (an opposite, a name, a figure, a gender)
        # is that one finding, not also a wording change.
        a.hits = [h for h in a.hits if not (h.kind == HitKind.CONTENT_CHANGED and h.o and h.c and any(_overlaps(h.o, m.o) and _overlaps(h.c, m.c) for m in meaning))]
    groups = systematic(changed, th.systematic_min, also=loose)
    if groups:
        # The systematic finding lists these occurrences; the pairs do not repeat them one by one.
        for a in changed:
            a.hits = [h for h in a.hits if not (h.kind in _REPEATABLE and in_systematic(a, h, groups))]
    # Last: which pairs need the recovery embeddings depends on their final hits.
    recover(ctx, changed)
    for a in out:
        a.features = features(a)
    return Evidence(tuple(out), tuple(groups))


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


_MEANING_INSIDE_QUOTES = frozenset(
    {HitKind.NUMBER_CHANGED, HitKind.NUMBER_DROPPED, HitKind.NUMBER_ADDED, HitKind.NAME_MANGLED, HitKind.NAME_REPLACED, HitKind.NEGATION_ADDED,
     HitKind.NEGATION_DROPPED, HitKind.ANTONYM, HitKind.GENDER, HitKind.UNTRANSLATED_SCRIPT, HitKind.UNTRANSLATED_WORD, HitKind.ROLES_SWAPPED}
)


_REPEATABLE = frozenset({HitKind.CONTENT_CHANGED, HitKind.VERB_FORM, HitKind.CONTENT_DROPPED, HitKind.CONTENT_ADDED})

