"""Systematic: the same word replaced by the same other word throughout the copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from fidelity import nlp
from fidelity.rules.base import CheckContext, Rule
from fidelity.rules.evidence import Evidence, Hit, PairAnalysis, Systematic
from fidelity.rules.tokens import tokens_in
from fidelity.types import Category, Finding, Severity


def _stem(word: str) -> str:
    return str(_stemmer().stem(word.casefold()))


@cache
def _stemmer() -> Any:
    from fidelity.lazy import nltk_module  # nltk loads on first use, not on import

    return nltk_module("nltk.stem.porter").PorterStemmer()


def systematic(analyses: Sequence[PairAnalysis], min_pairs: int, also: Sequence[PairAnalysis] = ()) -> list[Systematic]:
    """Content-word substitutions (same coarse part of speech, stems differ) seen in at least
    ``min_pairs`` different pairs. Chance pairings inside a reworded edit do not repeat; a term
    the translation got wrong everywhere does. Each group is then completed from every pair of
    ``analyses`` and ``also`` where the words did not line up (``_sweep``)."""
    groups: dict[tuple[str, str], dict[int, tuple[PairAnalysis, tuple[int, int], tuple[int, int]]]] = {}
    for a in analyses:
        if a.o_doc is None or a.c_doc is None:
            continue
        for e in a.wa.edits:
            if e.kind != "substitute" or e.trivial:
                continue
            o_toks = [t for t in tokens_in(a.o_doc, e.o_span) if t.pos_ in ("NOUN", "VERB", "ADJ")]
            c_toks = [t for t in tokens_in(a.c_doc, e.c_span) if t.pos_ in ("NOUN", "VERB", "ADJ")]
            for ot in o_toks:
                for ct in c_toks:
                    so, sc = _stem(ot.text), _stem(ct.text)
                    if so == sc or len(so) < 3 or len(sc) < 3:
                        continue
                    if nlp.synonymous(ot.text, ot.pos_, ct.text, ct.pos_):
                        continue  # the same meaning in other words, repeated, is a style, not a wrong term
                    occ = (a, (ot.idx, ot.idx + len(ot.text)), (ct.idx, ct.idx + len(ct.text)))
                    groups.setdefault((so, sc), {}).setdefault(a.pair.index, occ)
    out = [Systematic(o, c, list(occ.values())) for (o, c), occ in groups.items() if len(occ) >= min_pairs]
    # A word is wrong systematically in one way: keep the most frequent replacement per original stem.
    best: dict[str, Systematic] = {}
    for s in sorted(out, key=lambda s: -len(s.occurrences)):
        best.setdefault(s.o_stem, s)
    for s in best.values():
        _sweep(s, [*analyses, *also])
    return list(best.values())


_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def _sweep(s: Systematic, analyses: Sequence[PairAnalysis]) -> None:
    """Add the group's occurrences that the word diff did not line up: a reordered sentence
    ("the conditions of their X" -> "their Y conditions") puts the two words in different edits.
    Once the substitution is established across pairs, a pair whose original has the original
    stem more often than its copy, and whose copy has the new stem more often than its original,
    is one more occurrence (the surplus words are paired in reading order)."""
    seen = {pa.pair.index for pa, _, _ in s.occurrences}
    for a in analyses:
        if a.pair.index in seen:
            continue
        o_words, c_words = _WORD_RE.finditer(a.o_text), list(_WORD_RE.finditer(a.c_text))
        o_old, o_new = [], 0
        for m in o_words:
            stem = _stem(m.group())
            o_old += [m] if stem == s.o_stem else []
            o_new += stem == s.c_stem
        c_stems = [_stem(m.group()) for m in c_words]
        c_new = [m for m, stem in zip(c_words, c_stems, strict=True) if stem == s.c_stem]
        n = min(len(o_old) - c_stems.count(s.o_stem), len(c_new) - o_new)
        for om, cm in list(zip(o_old, c_new, strict=False))[: max(0, n)]:
            s.occurrences.append((a, om.span(), cm.span()))
    s.occurrences.sort(key=lambda occ: (occ[0].pair.index, occ[1][0]))


def in_systematic(a: PairAnalysis, h: Hit, groups: Sequence[Systematic]) -> bool:
    """True when the hit's original span is one occurrence of a systematic substitution."""
    if h.o is None:
        return False
    for g in groups:
        for pa, o_span, _ in g.occurrences:
            if pa is a and h.o[0] <= o_span[0] and o_span[1] <= h.o[1]:
                return True
    return False


class SystematicRule(Rule):
    """What it does: finds the same content word replaced by the same other word (by stem, same
    part of speech, not synonyms) in at least ``Thresholds.systematic_min`` pairs, and reports it
    once with every occurrence, including those in pairs whose words did not line up.

    Why it matters: a term translated wrongly everywhere is one error to fix once, and one a
    reader meets in every paragraph; the pairs do not repeat it as wording changes.

    Example: "bank"/"banks" -> "bench"/"benches" in 5 sentences (one major finding).
    """

    rule = "systematic"
    explains_words = False  # about whole sentences: a finding inside stays
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "The same word is replaced by the same other word throughout the copy: one finding, every occurrence."
    example = "bank/banks -> bench/benches in 5 sentences"
    needs_evidence = True

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        for g in evidence.systematic:
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
