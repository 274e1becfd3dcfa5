"""What the reports for a person (terminal and HTML) share, so both say the same thing.

In: a ``Report`` (or two sentence texts). Out: plain values, no styling:

- ``headlines``: the findings that matter most, most severe first, a finding repeated in
  several pairs (same rule, severity and message) grouped into one ``Headline``;
- ``changed_words``: the character spans of the words that differ between two texts (none are
  marked ``across_languages``: every word of a translation differs);
- ``segments``: a text cut at those spans, for a renderer to style;
- ``blocks`` and ``placed``: the pairs in reading order, runs of omitted (or added) sentences
  as one block, and each moved passage announced where the copy has it;
- ``readable``: the pairs worth reading (of a text that is not a copy, only what matched);
- ``VERDICT_GLOSS`` and ``KIND_LABEL``: the words both reports use for a verdict and a pair;
- ``where`` and ``numbers``: a pair's location as both reports print it (``original #4 · copy #3``);
- ``counted`` and ``coverage``: counts and the coverage sentence in words ("1 sentence").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from fidelity.thresholds import Thresholds
from fidelity.types import Category, Finding, Pair, Report, Severity, Verdict

VERDICT_GLOSS = {
    Verdict.IDENTICAL: "the copy is the original",
    Verdict.FAITHFUL: "the copy says what the original says",
    Verdict.EDITED: "faithful text, but content omitted, added or moved",
    Verdict.DISTORTED: "the copy changes what the original says",
    Verdict.NOT_A_COPY: "too little of the original is in it to be a copy",
}
KIND_LABEL = {"match": "changed", "omission": "omitted", "addition": "added", "moved": "moved"}


@dataclass(frozen=True)
class Headline:
    """One line of the summary: a finding, or the same finding in several pairs."""

    severity: Severity
    rule: str
    category: Category
    message: str
    pairs: tuple[int, ...]  # indices into Report.pairs, in document order; () for a document-level finding
    places: int  # pairs it occurs in, or sentences a document-level (systematic) finding covers


def headlines(report: Report, *, floor: Severity = Severity.MAJOR) -> list[Headline]:
    """Findings at or above ``floor``, most severe first, then document-wide ones, then in reading order."""
    groups: dict[tuple[str, Severity, str], list[Finding]] = {}
    for f in report.findings:
        if f.severity >= floor:
            groups.setdefault((f.rule, f.severity, f.message), []).append(f)
    out = []
    for (rule, severity, message), found in groups.items():
        pairs = tuple(sorted({f.pair for f in found if f.pair is not None}))
        places = len(pairs) if pairs else max(len(found[0].occurrences), 1)
        out.append(Headline(severity, rule, found[0].category, message, pairs, places))
    out.sort(key=lambda h: (-h.severity.rank, bool(h.pairs), h.pairs[:1]))
    return out


def where(pair: Pair) -> str:
    parts = []
    if pair.original:
        parts.append("original " + numbers(pair.original))
    if pair.copy:
        parts.append("copy " + numbers(pair.copy))
    return " · ".join(parts)


def counted(n: int, noun: str = "sentence") -> str:
    """``1 sentence``, ``7 sentences``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def coverage(report: Report, apostrophe: str = "'") -> str:
    """The coverage line: how much of each side has a counterpart on the other."""
    o, c, s = report.original, report.copy, apostrophe
    return (
        f"{o.coverage:.0%} of the original{s}s {counted(o.sentences)} {'is' if o.sentences == 1 else 'are'} in the copy; "
        f"{c.coverage:.0%} of the copy{s}s {counted(c.sentences)} {'comes' if c.sentences == 1 else 'come'} from the original"
    )


def numbers(indices: Iterable[int]) -> str:
    """1-based sentence numbers: ``#4`` or ``#4–6``."""
    idx = [i + 1 for i in indices]
    return f"#{idx[0]}" if len(idx) == 1 else f"#{idx[0]}–{idx[-1]}"


_TOKEN = re.compile(r"\S+")


def across_languages(pair: Pair) -> bool:
    """A matched pair of two languages (scored without chrF: no character is the other's)."""
    return bool(pair.original and pair.copy) and pair.chrf is None and pair.similarity is not None


def kind_label(pair: Pair) -> str:
    """What a pair is, in the reports' words: "changed", "omitted", "added", "moved"; a matched
    pair of two languages is "translated"."""
    return "translated" if pair.kind == "match" and across_languages(pair) else KIND_LABEL[pair.kind]


def changed_words(original: str, copy: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words that differ, on each side (words compared in folded form,
    so typographic quotes and case do not count as changes)."""
    from fidelity.extract import normalize

    a = list(_TOKEN.finditer(original))
    b = list(_TOKEN.finditer(copy))
    fa = [normalize(m.group()).casefold() for m in a]
    fb = [normalize(m.group()).casefold() for m in b]
    left: list[tuple[int, int]] = []
    right: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(a=fa, b=fb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            left.append((a[i1].start(), a[i2 - 1].end()))
        if j2 > j1:
            right.append((b[j1].start(), b[j2 - 1].end()))
    return left, right


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each marked ``True`` when it lies in one of ``spans``."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def blocks(pairs: Iterable[Pair], *, merge_runs: bool = True) -> list[list[Pair]]:
    """Pairs in reading order; with ``merge_runs``, a run of omitted (or added) sentences is one
    block, so a dropped paragraph reads as one."""
    out: list[list[Pair]] = []
    for p in pairs:
        if merge_runs and out and p.kind in ("omission", "addition") and out[-1][-1].kind == p.kind:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def placed(all_pairs: Sequence[Pair], shown: Sequence[list[Pair]]) -> Iterator[tuple[list[Pair], list[Pair]]]:
    """Each block of ``shown`` with the moved passages the copy has just before it.

    A moved pair stands where the original has it; the copy has it elsewhere, and a reader
    of the copy meets it there: ``(moved_here, block)`` says so at that place.
    """
    moved = sorted((p.copy[0], p.index) for p in all_pairs if p.kind == "moved" and p.copy)
    by_index = {p.index: p for p in all_pairs}
    for block in shown:
        first = block[0]
        here = []
        while moved and first.kind in ("match", "addition") and first.copy and first.copy[0] > moved[0][0]:
            here.append(by_index[moved.pop(0)[1]])
        yield here, block


def readable(report: Report) -> tuple[list[Pair], str | None]:
    """The pairs to show, and a note when some are left out.

    Listing every unmatched sentence of an unrelated text says nothing: of a text that is not
    a copy, only the pairs that do match are shown, with a note saying how much was left out.
    """
    if report.verdict != Verdict.NOT_A_COPY:
        return list(report.pairs), None
    from fidelity.thresholds import Thresholds

    th = Thresholds()  # the same test the coverage figures use
    candidates = sorted((p for p in report.pairs if p.original and p.copy and _counterpart(p, th)), key=lambda p: -(p.similarity or 0.0))
    # The pipeline may have judged with a stricter bound (two languages, use-m3, a pair of texts with
    # nothing in common); the list never shows more of the original than the coverage line says matched.
    room = round(report.original.coverage * report.original.sentences)
    pairs: list[Pair] = []
    for p in candidates:
        if len(p.original) <= room:
            pairs.append(p)
            room -= len(p.original)
    pairs.sort(key=lambda p: p.index)
    if not pairs:
        return [], "Not a copy: no sentence of the original has a counterpart in the copy, so none is listed."
    note = (
        f"Not a copy: {counted(report.original.sentences - sum(len(p.original) for p in pairs))} of the "
        f"original and {report.copy.sentences - sum(len(p.copy) for p in pairs)} of the copy have no "
        "counterpart and are not listed; the few sentences that do match follow."
    )
    return pairs, note


def _counterpart(p: Pair, th: Thresholds) -> bool:
    if across_languages(p) and p.drift is not None:  # drift is 1 - the calibrated similarity (score.py)
        return p.drift <= 1.0 - th.counterpart_calibrated
    return th.counterpart(p.similarity, p.chrf)
