"""Numbers: a figure, date, amount or quantity that differs between original and copy.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from fidelity.lang.en import (
    AMBIGUOUS_NUMBER_WORDS,
    LOWER_BOUND_AFTER,
    LOWER_BOUND_BEFORE,
    NEGATED_LOWER_BOUND,
    NEGATED_UPPER_BOUND,
    UPPER_BOUND_AFTER,
    UPPER_BOUND_BEFORE,
)
from fidelity.rules.base import HitRule, Reads
from fidelity.rules.evidence import Hit, HitKind, PairAnalysis
from fidelity.rules.parsing import equivalents, month_number, same_value
from fidelity.types import Category, Severity


def number_hits(a: PairAnalysis) -> list[Hit]:
    def strong(text: str, s: int, e: int) -> bool:
        """Whether this number, unmatched, is evidence on its own. Weak: words that are often no
        number ("one of them"), a month name (a changed month is a changed name), digits inside a
        code ("p109", "G7", "3D", "4G", which the other side may spell out or space out); a unit
        or plural after the digits ("5km", "1990s") keeps a number strong."""
        word = text[s:e].casefold()
        if word in AMBIGUOUS_NUMBER_WORDS or month_number(word) or word == "1":
            return False  # "1 hour" is "an hour" as often as "one hour"
        if re.fullmatch(r"0+", word) and re.search(r"\d[:.]$|^\d\d$", text[max(0, s - 2) : s]):
            return False  # the minutes of a full hour: "18:00" (or "1800 GMT") states the 18
        before = text[s - 1 : s]
        after = re.match(r"[^\W\d_]*", text[e:])
        suffix = after.group(0) if after else ""
        return not (before.isalpha() or (len(suffix) == 1 and suffix.isupper()))

    o_eq = {n: equivalents(a.o_text, n) for n in a.o_numbers}
    c_eq = {n: equivalents(a.c_text, n) for n in a.c_numbers}
    o_left = list(a.o_numbers)
    c_left = list(a.c_numbers)
    hits = []
    for item in list(o_left):
        match = next((c for c in c_left if same_value(o_eq[item], c_eq[c])), None)
        if match is not None:
            o_left.remove(item)
            c_left.remove(match)
            hits += _bound_flipped(a, item, match)
    o_strong = [n for n in o_left if strong(a.o_text, n[1], n[2])]
    c_strong = [n for n in c_left if strong(a.c_text, n[1], n[2])]
    if (o_strong and c_left) or (c_strong and o_left):
        for o, c in zip(o_left, c_left, strict=False):
            if strong(a.o_text, o[1], o[2]) or strong(a.c_text, c[1], c[2]):
                hits.append(Hit(HitKind.NUMBER_CHANGED, (o[1], o[2]), (c[1], c[2]), f"{a.o_text[o[1]:o[2]]!r} became {a.c_text[c[1]:c[2]]!r}", Severity.CRITICAL))
    elif o_strong:
        # A figure stated twice in the original ("100 yards (100 meters)") and once in the copy
        # ("100 yards/meters") lost no number; nor, the other way round, did a restated one appear.
        c_values = set().union(*c_eq.values()) | _totals(a.c_numbers)
        for o in (o for o in o_strong if not same_value(o_eq[o], c_values)):
            hits.append(Hit(HitKind.NUMBER_DROPPED, (o[1], o[2]), None, f"{a.o_text[o[1]:o[2]]!r} is missing from the copy", Severity.MAJOR))
    elif c_strong:
        o_values = set().union(*o_eq.values()) | _totals(a.o_numbers)
        for c in (c for c in c_strong if not same_value(c_eq[c], o_values)):
            hits.append(Hit(HitKind.NUMBER_ADDED, None, (c[1], c[2]), f"{a.c_text[c[1]:c[2]]!r} is not in the original", Severity.MAJOR))
    return hits


UPPER, LOWER = "upper", "lower"


def bound_of(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """Which way the figure at ``text[start:end]`` is bounded, and the range of the bound with its
    figure: ``UPPER`` ("no more than 4", "up to 4", "under 4", "4 or fewer"), ``LOWER`` ("more than
    4", "at least 4", "4 and over"), or None when the figure is stated as it is (exact or about)."""
    if re.match(r"\s+\w+\s+ago\b", text[end:]):
        return None  # "five years ago": a point in time, compared, not bounded
    before = text[max(0, start - 40) : start]
    for pattern, way in ((NEGATED_UPPER_BOUND, UPPER), (NEGATED_LOWER_BOUND, LOWER), (UPPER_BOUND_BEFORE, UPPER), (LOWER_BOUND_BEFORE, LOWER)):
        m = pattern.search(before)
        if m and re.search(r"\b(?:twice|thrice|times|half|double)\s*$", before[: m.start()], re.IGNORECASE):
            return None  # "twice as many as", "three times more than": one amount compared with another
        if m:
            return way, start - len(before) + m.start(), end
    after = text[end : end + 40]
    for pattern, way in ((UPPER_BOUND_AFTER, UPPER), (LOWER_BOUND_AFTER, LOWER)):
        m = pattern.match(after)
        if m:
            return way, start, end + m.end()
    return None


def _bound_flipped(a: PairAnalysis, o: tuple[float, int, int], c: tuple[float, int, int]) -> list[Hit]:
    """The same figure bounded the other way on the two sides: "no more than four tablets" /
    "more than four tablets", "nearly 100" / "over 100". A bound on one side only is not read
    (an independent translation may say "some 100" or "100" for "about 100")."""
    ob, cb = bound_of(a.o_text, o[1], o[2]), bound_of(a.c_text, c[1], c[2])
    if ob is None or cb is None or ob[0] == cb[0]:
        return []
    o_said, c_said = a.o_text[ob[1] : ob[2]], a.c_text[cb[1] : cb[2]]
    turn = "an upper bound became a lower one" if ob[0] == UPPER else "a lower bound became an upper one"
    return [Hit(HitKind.BOUND_FLIPPED, (ob[1], ob[2]), (cb[1], cb[2]), f"{o_said!r} became {c_said!r}: {turn}", Severity.CRITICAL)]


def _totals(figures: Sequence[tuple[float, int, int]]) -> set[float]:
    """Sums of two or three of a side's figures: the total the other side states besides its
    parts ("two gold and one bronze" / "three medals, two gold and one bronze")."""
    values = [v for v, _, _ in figures][:12]
    return {sum(c) for k in (2, 3) for c in itertools.combinations(values, k)}


class NumberRule(HitRule):
    """What it does: finds a number, date, amount or quantity that differs between a pair's
    sentences. Figures are compared as values, after normalising how they are written: "5,000",
    "5000" and "five thousand"; "6 p.m." and 18:00; "50%" and "half"; "1.2 km" and 1,200 metres;
    "the 1990s" and "the nineties"; a date in figures and in words.

    Why it matters: a changed figure is the error a reader can least detect and most relies on;
    a dropped or added figure changes what the sentence claims.

    Example: "Germany will send 5,000 troops" -> "Germany will send 500 troops" (critical).
    Words that are often no number ("one of them", "a second look") and month names count only
    when digits on the other side say the same.
    """

    rule = "number"
    reads = Reads.TEXT  # digits and word order: any one language
    category = Category.NUMBER
    severity = Severity.CRITICAL
    summary = "A number, date, amount or quantity differs (after normalising '5,000', '5000', 'five thousand')."
    example = "sending 5,000 troops -> sending 500 troops"
    kinds = frozenset({HitKind.NUMBER_CHANGED, HitKind.NUMBER_DROPPED, HitKind.NUMBER_ADDED})


class BoundRule(HitRule):
    """What it does: finds a figure bounded the other way in the copy: an upper bound ("no more
    than", "up to", "under", "nearly", "or fewer") where the original has a lower one ("more
    than", "at least", "over", "or more"), or the reverse. The figure itself is the same, so
    the number check sees no change.

    Why it matters: a limit read as a minimum is the opposite instruction ("take no more than
    four tablets" / "take more than four tablets"), in a sentence whose words barely change.

    Example: "with no more than four tablets in 24 hours" -> "with more than four tablets in 24
    hours" (critical). A bound on one side only is not reported: a translation may say "some 100"
    or "100" for "about 100".
    """

    rule = "bound"
    reads = Reads.ENGLISH  # the words of an English bound
    category = Category.NUMBER
    severity = Severity.CRITICAL
    summary = "A figure is bounded the other way: 'no more than 4' became 'more than 4', 'nearly 100' became 'over 100'."
    example = "no more than four tablets -> more than four tablets"
    kinds = frozenset({HitKind.BOUND_FLIPPED})
