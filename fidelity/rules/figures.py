"""Figures across languages: a figure written in digits that the translation changed.

    figures(text, language) -> [Figure]      digit figures with every value they may stand for
    FigureRule                               the rule (two texts in two languages)

Within one language the number rule reads every figure and number word through the word diff.
Between two languages there is no word diff, but digits are written alike: what differs is the
decimal mark and the thousands separator ("4.2" / "4,2", "5,000" / "5 000" / "5.000"), the scale
word ("4.2 million" / "4,2 millions" / "420万") and the clock ("6 p.m." / "18 h"). A figure
reads as every value its writing allows in any of these conventions, and two figures match when
they share one, so a convention never reads as a change. What is left unmatched on both sides of
a pair is a figure the translation changed. A figure unmatched on one side only is no finding:
the other side may write it in words ("5" / "cinq", "20" / "二十").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fidelity.lang.scales import SCALES
from fidelity.rules.base import CheckContext, Reads, Rule
from fidelity.rules.evidence import Evidence
from fidelity.rules.parsing import script
from fidelity.types import Category, Document, Finding, Pair, Sentence, Severity, Span

# digits, grouped or with decimals by any separator a language uses: "5,000", "5 000" (also
# no-break and thin spaces), "5.000", "5'000", "4,2", "1.234,5", "19.08.2025"
_FIGURE = re.compile(r"(?<![.,'])\d+(?:(?:[.,'\u00a0\u202f]|\s(?=\d{3}(?!\d)))\d+)*(?![\d])")
_SEPARATOR = re.compile(r"[.,'\u00a0\u202f\s]")
# after a figure: a clock ("18:00", "18 h", "18 Uhr", "6 p.m.", "7点", "7時") makes it an hour
_CLOCK = re.compile(r"\s?(?::\d\d|h\b|h\d\d|uhr\b|heures?\b|hrs?\b|o'clock|a\.?m\.?|p\.?m\.?|点|時)", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"\s?(?:uhr\b|h\b|[ap]\.?m\b)", re.IGNORECASE)
_HOUR_MINUTES = re.compile(r"(\d{1,2})[.:](\d\d)")
_FRACTION = re.compile(r"\s?([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")
_SHORT_YEAR = re.compile(r"\b(1\d\d\d|20\d\d)\s?[/–-]\s?$")
_SCALE_WORD = re.compile(r"[\s-]?([^\W\d_]+)\.?", re.UNICODE)


@dataclass(frozen=True)
class Figure:
    values: frozenset[float]  # every value its writing allows
    start: int  # character range in its text
    end: int


def figures(text: str, language: str = "en") -> list[Figure]:
    """The digit figures of ``text`` (character ranges into it), each with every value it may
    stand for: its separators read as decimal mark or thousands grouping, times a scale word of
    ``language`` written after it, an hour on either clock. Dates written with separators
    ("19.08.2025") are read part by part; a lone 0 is no figure."""
    scales = SCALES.get(language.casefold(), SCALES["en"])
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        before = text[m.start() - 1 : m.start()]
        if before.isalnum() and script(before) != "CJK":
            continue  # inside a word or a code ("G7", "p109"), not a figure (Chinese writes digits among its words)
        token = m.group(0)
        clock = _HOUR_MINUTES.fullmatch(token) if _CLOCK_AFTER.match(text, m.end()) else None
        if clock:  # "15.30 Uhr" is "15 h 30": the hour (on either clock) and the minutes
            hour = float(clock.group(1))
            out += [Figure(frozenset({hour, hour % 12, hour % 12 + 12}), m.start(), m.start() + clock.end(1)),
                    Figure(frozenset({float(clock.group(2))}), m.start() + clock.start(2), m.end())]  # fmt: skip
            continue
        for start, end, values in _readings(token, m.start()):
            values = set(values)
            fraction = _FRACTION.match(text, end)
            if fraction:  # "1 ½" = 1.5
                values = {v + unicodedata.numeric(fraction.group(1)) for v in values}
                end = fraction.end()
            year = _SHORT_YEAR.search(text[:start]) if end - start == 2 else None
            if year:  # "1952/53": the second year shortened
                values.add(float(year.group(1)[:2] + text[start:end]))
            scale, scale_end = _scale(text, end, scales)
            if scale:
                values |= {v * scale for v in values}
                end = scale_end  # the figure's text is "4.2 million", "420万"
            if _CLOCK.match(text, end) and all(v == int(v) and 0 <= v <= 24 for v in values):
                values |= {float(int(v) % 12 + h) for v in values for h in (0, 12)}
            if values != {0.0}:  # a lone 0 ("18:00"'s minutes) says nothing on its own
                out.append(Figure(frozenset(values), start, end))
    return out


def _readings(token: str, offset: int) -> list[tuple[int, int, set[float]]]:
    """(start, end, values) for a digit token: one figure, or a date's parts."""
    groups = _SEPARATOR.split(token)
    seps = _SEPARATOR.findall(token)
    if not seps:
        return [(offset, offset + len(token), {float(token)})]
    values: set[float] = set()
    if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3 and len(set(seps)) == 1:
        values.add(float("".join(groups)))  # thousands grouped: "5,000", "5 000", "1.234.567"
    if len(seps) == 1 and seps[0] in ".,":
        values.add(float(groups[0] + "." + groups[1]))  # one decimal mark: "4.2", "4,2" (and "5,000" as 5)
    elif len(set(seps)) == 2 and seps[-1] in ".," and all(len(g) == 3 for g in groups[1:-1]):
        values.add(float("".join(groups[:-1]) + "." + groups[-1]))  # "1,234.5", "1.234,5"
    if values:
        return [(offset, offset + len(token), values)]
    out, pos = [], offset  # no number's writing: a date or a code, read part by part ("19.08.2025")
    for g in groups:
        start = token.index(g, pos - offset) + offset
        out.append((start, start + len(g), {float(g)}))
        pos = start + len(g)
    return out


def _scale(text: str, end: int, scales: dict[str, float]) -> tuple[float | None, int]:
    """The scale word written after a figure ending at ``end``, and where the word ends."""
    if end < len(text) and text[end] in scales:  # Chinese and Japanese: straight after the digits
        return scales[text[end]], end + 1
    m = _SCALE_WORD.match(text, end)
    scale = scales.get(m.group(1).casefold()) if m else None
    return (scale, m.end(1)) if m and scale else (None, end)


def changed_figures(original: Sequence[Figure], copy: Sequence[Figure]) -> tuple[list[Figure], list[Figure]]:
    """The figures of each side that no figure of the other side matches (shares a value with),
    matched one to one in order."""
    left = list(copy)
    unmatched = []
    for f in original:
        match = next((g for g in left if f.values & g.values), None)
        if match is None:
            unmatched.append(f)
        else:
            left.remove(match)
    # a figure said again ("1956" twice where the original says it once) is no new figure
    o_values = frozenset().union(*(f.values for f in original))
    c_values = frozenset().union(*(f.values for f in copy))
    return [f for f in unmatched if not f.values & c_values], [g for g in left if not g.values & o_values]


def changed(o_left: Sequence[Figure], c_left: Sequence[Figure]) -> bool:
    """Whether the figures left unmatched on each side (``changed_figures``) say that a figure
    changed: some on both sides, and either a figure of more than one digit on each side, or one
    figure each ("5" -> "50"). A lone digit is often an ordinal one side writes in words and the
    other in digits ("zweiten" / "2e") or a letter read as a digit, so against other figures it
    says nothing."""
    if not (o_left and c_left):
        return False
    return (any(not _digit(f) for f in o_left) and any(not _digit(g) for g in c_left)) or len(o_left) == len(c_left) == 1


def _digit(f: Figure) -> bool:
    return all(v == int(v) and 0 <= v < 10 for v in f.values)


def _side(sentences: Sequence[Sentence], indices: Sequence[int], language: str) -> list[Figure]:
    """The figures of a pair's side, with document offsets."""
    return [Figure(f.values, s.start + f.start, s.start + f.end) for s in (sentences[i] for i in indices) for f in figures(s.text, language)]


def _stretch(doc: Document, figs: Sequence[Figure]) -> Span:
    """The span from the first of ``figs`` to the last (document offsets)."""
    start, end = min(f.start for f in figs), max(f.end for f in figs)
    return Span(start, end, doc.text[start:end])


class FigureRule(Rule):
    """What it does: between an original and its translation into another language, compares
    the figures written in digits in each aligned pair. A figure reads as every value its
    writing allows (decimal comma or point, thousands grouped by comma, point or space, a scale
    word after it: "4.2 million" = "4,2 millions" = "420万"; "6 p.m." = "18 h"), and two figures
    match when they share a value. A figure of the original and one of the translation that
    match nothing on the other side are a changed figure: critical when it is the pair's only
    one, major when several are left (one finding over the stretch that holds them: which one
    became which is not known). A figure on one side only is no finding (the other may write it
    in words), nor is a figure said again, nor a lone digit facing other figures (an ordinal
    written in words on one side, "zweiten" / "2e").

    Why it matters: figures, dates and amounts survive translation unchanged; a changed one is
    an error whichever language it is in. Within one language the number rule checks them.

    Example: "a budget of 4.2 million euros" -> "un budget de 42 millions d'euros".
    """

    rule = "figure"
    reads = Reads.ACROSS
    category = Category.NUMBER
    severity = Severity.CRITICAL
    summary = "Across languages: a figure written in digits differs between the original and its translation."
    example = "a budget of 4.2 million euros -> un budget de 42 millions d'euros"

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        lang_o, lang_c = ctx.languages
        for p in ctx.pairs:
            if p.kind not in ("match", "moved") or not (p.original and p.copy):
                continue
            yield from self._pair(ctx, p, lang_o, lang_c)

    def _pair(self, ctx: CheckContext, p: Pair, lang_o: str, lang_c: str) -> Iterable[Finding]:
        o_left, c_left = changed_figures(_side(ctx.original_sentences, p.original, lang_o), _side(ctx.copy_sentences, p.copy, lang_c))
        if not changed(o_left, c_left):
            return
        o_texts = [ctx.original.text[f.start : f.end] for f in o_left]
        c_texts = [ctx.copy.text[f.start : f.end] for f in c_left]
        if len(o_left) == len(c_left) == 1:
            level, message = Severity.CRITICAL, f"{o_texts[0]!r} became {c_texts[0]!r} (the translation has no figure of its value)"
        else:  # which became which is not known: one finding, over the stretch that holds them
            level = Severity.MAJOR
            verb = "matches" if len(o_texts) == 1 else "match"
            message = (f"figures differ: the original's {', '.join(map(repr, o_texts))} {verb} none of the translation's, "
                       f"which has {', '.join(map(repr, c_texts))} instead")  # fmt: skip
        yield Finding(self.rule, self.category, level, message, _stretch(ctx.original, o_left), _stretch(ctx.copy, c_left), p.index)
