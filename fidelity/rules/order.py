"""Order: the copy keeps the original's words but scrambles their order.
"""

from __future__ import annotations

import itertools

from fidelity.rules.base import HitRule, Reads
from fidelity.rules.evidence import Hit, HitKind, PairAnalysis
from fidelity.types import Category, Severity


def order_hits(a: PairAnalysis, scrambled: float, min_shared: int, local_kept: float) -> list[Hit]:
    """Scrambled order: most of the copy's words come from the original, few of its word pairs do,
    and they share at least ``min_shared`` words (a short sentence put in the passive, "195
    countries signed it" / "it was signed by 195 countries", keeps few bigrams honestly), and
    fewer than ``local_kept`` of its neighbouring shared words keep their order (``local_order``)."""
    ratio = order_ratio(a)
    cw = [t.key for t in a.wa.copy if t.is_word]
    shared = len(set(cw) & {t.key for t in a.wa.original if t.is_word})
    if 1.0 - ratio >= scrambled and shared >= 0.5 * len(set(cw)) and shared >= min_shared and local_order(a) < local_kept:
        return [Hit(HitKind.WORD_ORDER, (0, len(a.o_text)), (0, len(a.c_text)), "the words are the original's but their order is scrambled", Severity.CRITICAL)]
    return []


def local_order(a: PairAnalysis, window: int = 3) -> float:
    """Of the copy's neighbouring words that both come from the original, the share that stand in
    the same order within ``window`` words of each other there. A reworded translation that moves
    whole phrases keeps its neighbours in order ("the fishermen of Vigo" / "Fishermen in Vigo":
    few shared bigrams, since every other word changed, but the shared words keep their order);
    words shuffled at random do not."""
    ow = [t.key for t in a.wa.original if t.is_word]
    cw = [t.key for t in a.wa.copy if t.is_word]
    shared = set(ow) & set(cw)
    near = {(ow[i], ow[j]) for i in range(len(ow)) for j in range(i + 1, min(i + 1 + window, len(ow)))}
    pairs = [p for p in itertools.pairwise(cw) if p[0] in shared and p[1] in shared]
    return sum(p in near for p in pairs) / len(pairs) if pairs else 1.0


def order_ratio(a: PairAnalysis) -> float:
    """Shared word bigrams over shared words: near 0 when the copy's words are the original's, shuffled."""
    ow = [t.key for t in a.wa.original if t.is_word]
    cw = [t.key for t in a.wa.copy if t.is_word]
    shared = len(set(ow) & set(cw))
    if shared < 3:
        return 1.0
    ob = set(itertools.pairwise(ow))
    cb = set(itertools.pairwise(cw))
    return len(ob & cb) / shared


class WordOrderRule(HitRule):
    """What it does: finds a copy that keeps the original's words but few of their neighbours:
    shared word bigrams / shared words below ``1 - Thresholds.order_scrambled`` in a pair sharing
    at least ``order_min_shared`` words, unless phrases moved whole (``order_local_kept``).

    Why it matters: scrambled words keep every word and fool word-overlap measures, but who did
    what is lost.

    Example: "His research showed that ..." -> "Baby's research his the lungs can fetal hormones shows ..."
    """

    rule = "word-order"
    explains_words = False  # about whole sentences: a finding inside stays
    points_at_edit = False
    reads = Reads.TEXT  # digits and word order: any one language
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "The copy keeps the original's words but scrambles their order (who did what is lost)."
    example = "His research showed ... -> Baby's research his the lungs can fetal hormones shows ..."
    kinds = frozenset({HitKind.WORD_ORDER})
