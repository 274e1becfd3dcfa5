"""Shared per-pair analysis for the drift checks: ``CheckContext`` -> ``list[PairAnalysis]``.

Every meaning check (numbers, names, negation, antonyms, gender, roles, quotes, untranslated
text, dropped/added content, the severity model) reads the same facts about an aligned pair:
its word alignment, its spaCy parses, and the similarity each edit span would recover if the
original's words were put back. Computing them once per comparison, in batches (one
``nlp.pipe`` call, one ``embedder.encode`` call), keeps a 60-sentence diff fast; ``analyse``
caches the result on the context so the checks share it.

Offsets: ``PairAnalysis.o_text``/``c_text`` join the pair's sentences with one space;
``o_doc_span``/``c_doc_span`` turn a local character range into a ``Span`` of ``Document.text``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from fidelity import nlp
from fidelity.checks.base import CheckContext
from fidelity.thresholds import Thresholds
from fidelity.types import Pair, Sentence, Severity, Span
from fidelity.wordalign import Edit, WordAlignment, wordalign

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"})

# Generic English negation cues (sentential and constituent negation).
NEGATION_CUES = frozenset(
    "not n't no never nobody nothing none neither nor nowhere without cannot noone".split()
)

# Verbs and adjectives that say "not" in their meaning (negative implicatives and prohibitives):
# "failed to stop" says what "did not stop" says, "lacks water" what "has no water" says,
# "forbidden" what "not allowed" says. Compared by lemma;
# adjectives in "-less" (jobless, harmless) count too (``_implicit_negatives``). Not
# "seldom"/"hardly", which are weaker than "not" (on the dev split both counted real negation
# perturbations as paraphrase).
IMPLICIT_NEGATIVES = frozenset("fail lack absent unable refuse deny prevent avoid neglect cease forbid prohibit ban deprive suspend".split())
# Of the nouns, only those that say "no X": "in the absence of cues" ~ "when there are no cues",
# "a lack of water" ~ "no water". Not "failure" and the like: "despite the failure of the talks"
# negates no clause (a dev negation perturbation).
IMPLICIT_NEGATIVE_NOUNS = frozenset("absence lack inability".split())

# Gender-marked English words (pronouns and common kinship/role nouns).
MASCULINE = frozenset(
    "he him his himself man men boy boys father fathers son sons brother brothers husband husbands "
    "king kings mr gentleman gentlemen male males grandfather uncle nephew boyfriend".split()
)
FEMININE = frozenset(
    "she her hers herself woman women girl girls mother mothers daughter daughters sister sisters wife wives "
    "queen queens mrs ms lady ladies female females grandmother aunt niece girlfriend".split()
)

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "dozen": 12, "half": 0.5, "twice": 2, "thrice": 3, "double": 2,
    "both": 2,  # "both of which" = "the two": ambiguous, it only ever matches a 2 on the other side
    "quarter": 0.25,  # "a quarter of" = 25%; also a season of the year: ambiguous
    "nil": 0, "noon": 12, "midday": 12, "midnight": 0,  # a score ("2-0", "two-nil") and clock times
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
    "eighties": 80, "nineties": 90,  # decades: "the nineties" ~ "the 1990s" / "the '90s" (``_equivalents``)
}  # fmt: skip
# Month names count as their number, so that "September 11" and "9/11" or "11.9." state the same
# date; alone they are weak evidence (see ``number_hits``), and a changed month is a changed name.
MONTHS = {m: k for k, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sep sept", "october oct", "november nov", "december dec"), start=1) for m in names.split()}  # fmt: skip
# Units with their size in the next smaller unit and the pattern of their name: "1.2 km" is 1,200
# metres, "two centuries" 200 years, "48 hours" two days (``_equivalents``).
_UNITS = {
    "km": (r"km|kilomet(?:er|re)s?|kg|kilo(?:gram)?s?", 1000.0),  # and kg -> g
    "century": (r"centur(?:y|ies)", 100.0),
    "decade": (r"decades?", 10.0),
    "week": (r"weeks?", 7.0),
    "fortnight": (r"fortnights?", 14.0),
    "day": (r"days?", 24.0),
    "hour": (r"hours?|hrs?", 60.0),
}
# ... and those that "a" makes a number of: "a week" is seven days ("a day" is no 24 hours)
_A_UNIT = {u: _UNITS[u][1] for u in ("week", "fortnight", "decade", "century")}
# "lakh" and "crore" are how South Asian English counts: "2 crore" = 20 million
_MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "lakh": 100_000, "million": 1_000_000, "crore": 10_000_000, "billion": 1_000_000_000, "trillion": 1e12}
# Digits: thousands grouped by commas or spaces ("5,000", "5 000"), a decimal point, or a decimal
# comma as most of Europe writes it ("84,4 million", "2,5 km": a comma before one, two or four or
# more digits; before exactly three it groups thousands); a unit may follow with no space ("3,776m").
# Otherwise a word, which may carry a figure inside it ("M7.6", "G7", "1990s").
_NUM_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?!\d)|\d+)(?:\.(\d+)|,(\d{1,2}|\d{4,})(?!\d))?(?:st|nd|rd|th)?(?=[^\W\d_]*(?!\w))"
    r"|([^\W\d_]+\d+(?:\.\d+)?[^\W\d_]*|\w+)",
    re.UNICODE,
)

_EMBEDDED_RE = re.compile(r"([^\W\d_]*)(\d+(?:\.\d+)?)([^\W\d_]*)", re.UNICODE)
_QUOTE_RE = re.compile(r"“([^”“]{2,}?)”|\"([^\"]{2,}?)\"|«([^»]{2,}?)»|‘([^’‘]{6,}?)’(?!\w)|(?<!\w)'([^']{6,}?)'(?!\w)")


@dataclass(frozen=True)
class Hit:
    kind: str
    o: tuple[int, int] | None
    c: tuple[int, int] | None
    detail: str
    strength: str = "major"  # the check's own severity suggestion: minor / major / critical
    words: int = 1  # how many words of a name it stands for (``_one_per_name`` joins them): the severity model counts them


@dataclass
class Quote:
    start: int  # local offset of the quoted text (inside the marks)
    end: int
    text: str


@dataclass
class PairAnalysis:
    pair: Pair
    o_sents: list[Sentence]
    c_sents: list[Sentence]
    o_text: str
    c_text: str
    wa: WordAlignment
    o_doc: Any = None  # spaCy Doc or None
    c_doc: Any = None
    o_numbers: list[tuple[float, int, int]] = field(default_factory=list)  # value, local start, end
    c_numbers: list[tuple[float, int, int]] = field(default_factory=list)
    o_quotes: list[Quote] = field(default_factory=list)
    c_quotes: list[Quote] = field(default_factory=list)
    recovery: dict[int, float] = field(default_factory=dict)  # edit index -> similarity recovered
    hits: list[Hit] = field(default_factory=list)  # every piece of evidence, all checks
    features: dict[str, float] = field(default_factory=dict)  # filled by the checks, read by severity

    @property
    def verbatim(self) -> float:
        return self.wa.verbatim

    def syndicated(self, th: Thresholds) -> bool:
        """A near-verbatim pair, copied and edited rather than reworded: its word diff is exact, so
        the edit checks judge every change. Most of the words kept (``verbatim_pair``), or the
        copy differs in one place only (``verbatim_single_edit``): an edit made on purpose there."""
        if self.wa.verbatim >= th.verbatim_pair:
            return True
        return self.wa.verbatim >= th.verbatim_single_edit and len(self.wa.meaningful()) == 1

    def o_doc_span(self, start: int, end: int) -> Span:
        return _doc_span(self.o_sents, self.o_text, start, end)

    def c_doc_span(self, start: int, end: int) -> Span:
        return _doc_span(self.c_sents, self.c_text, start, end)


def _doc_span(sents: Sequence[Sentence], joined: str, start: int, end: int) -> Span:
    """Local range in the joined pair text -> range in ``Document.text``."""

    def to_doc(pos: int, is_end: bool) -> int:
        offset = 0
        for k, s in enumerate(sents):
            length = s.end - s.start
            if pos < offset + length or (is_end and pos == offset + length) or k == len(sents) - 1:
                return s.start + max(0, min(length, pos - offset))
            offset += length + 1  # the joining space
        return sents[-1].end if sents else 0

    return Span(to_doc(start, False), to_doc(end, True), joined[start:end])


_keys: dict[int, tuple[CheckContext, list[PairAnalysis]]] = {}


def analyse(ctx: CheckContext) -> list[PairAnalysis]:
    """Analyses of every pair with both sides present (match or moved); cached per context."""
    key = id(ctx)
    hit = _keys.get(key)
    if hit is not None and hit[0] is ctx:
        return hit[1]
    _systematic.clear()
    result = _analyse(ctx)
    _keys.clear()  # one comparison at a time: keep memory flat over a batch of thousands
    _keys[key] = (ctx, result)
    return result


def computed(ctx: CheckContext) -> list[PairAnalysis] | None:
    """The analyses of ``ctx`` if a check already made them, else None (nothing is computed)."""
    hit = _keys.get(id(ctx))
    return hit[1] if hit is not None and hit[0] is ctx else None


def last_analyses() -> list[PairAnalysis]:
    """The analyses of the most recent comparison (training and benchmark scripts read their features)."""
    return next(iter(_keys.values()))[1] if _keys else []


def _analyse(ctx: CheckContext) -> list[PairAnalysis]:
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
    changed = [a for a in out if a.wa.meaningful()]
    docs = nlp.parse([t for a in changed for t in (a.o_text, a.c_text)])
    for k, a in enumerate(changed):
        a.o_doc, a.c_doc = docs[2 * k], docs[2 * k + 1]
    th = ctx.thresholds
    for a in changed:
        a.hits = [
            *number_hits(a),
            *name_hits(a, th.name_min_length, th.name_prefix, th.name_mangled, th.name_cognate, th.name_skeleton_min),
            *polarity_hits(a),
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
            Hit(h.kind, h.o, h.c, h.detail + " (meaning changed inside)", "major")
            if h.kind == "quote-altered" and h.strength == "minor" and h.c and any(h.c[0] <= m.c[0] < h.c[1] for m in meaning if m.c)
            else h
            for h in a.hits
        ]
        # A changed word that a specific check explains (an opposite, a name, a figure, a gender)
        # is that one finding, not also a wording change.
        a.hits = [h for h in a.hits if not (h.kind == "content-changed" and h.o and h.c and any(_overlaps(h.o, m.o) and _overlaps(h.c, m.c) for m in meaning))]
    groups = systematic(changed, th.systematic_min, also=loose)
    if groups:
        # The systematic finding lists these occurrences; the pairs do not repeat them one by one.
        for a in changed:
            a.hits = [h for h in a.hits if not (h.kind in _REPEATABLE and in_systematic(a, h, groups))]
    _systematic[id(ctx)] = groups
    # Last: which pairs need the recovery embeddings depends on their final hits.
    _recover(ctx, changed)
    return out


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


_MEANING_INSIDE_QUOTES = frozenset(
    {"number-changed", "number-dropped", "number-added", "name-mangled", "name-replaced", "negation-added",
     "negation-dropped", "antonym", "gender", "untranslated-script", "untranslated-word", "roles-swapped"}
)
_REPEATABLE = frozenset({"content-changed", "verb-form", "content-dropped", "content-added"})
_systematic: dict[int, list[Systematic]] = {}


def systematic_groups(ctx: CheckContext) -> list[Systematic]:
    analyse(ctx)
    return _systematic.get(id(ctx), [])


# Training scripts set this False: the severity model is fitted on every pair's recovery features,
# including pairs where at run time no recovery value could change a finding.
prune_recovery = True


def _recover(ctx: CheckContext, analyses: Sequence[PairAnalysis]) -> None:
    """For each meaningful edit: cos(original, copy with the original's words put back) - cos(original, copy).

    One ``encode`` batch for the whole document; only the ``recovery_max_edits`` largest edits
    of a pair are tried, which bounds the cost on heavily reworded pairs.

    Recovery is read only by the drift check (the severity model's ``recovery_*`` features and
    the span it points at), so a pair is skipped when no recovery value could change that
    check's outcome (``_needs_recovery``): the variants are most of the embedding cost of a
    comparison (each is a whole sentence through the model).
    """
    limit = ctx.thresholds.recovery_max_edits
    todo = [a for a in analyses if not prune_recovery or (not a.syndicated(ctx.thresholds) and not _explained(a))]
    if not todo:
        return
    base_vecs = ctx.embedder.encode([t for a in todo for t in (a.o_text, a.c_text)])  # cached by the pipeline
    variants: list[str] = []
    owners: list[tuple[PairAnalysis, int, int]] = []
    for n, a in enumerate(todo):
        edits = [(k, e) for k, e in enumerate(a.wa.edits) if not e.trivial and _has_words(e)]
        edits.sort(key=lambda ke: -(len(ke[1].o_text) + len(ke[1].c_text)))
        edits = edits[:limit]
        ceiling = 1.0 - float(np.dot(base_vecs[2 * n], base_vecs[2 * n + 1]))  # cos(original, variant) <= 1
        if not edits or (prune_recovery and not _needs_recovery(ctx, a, len(edits), ceiling)):
            continue
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


def _explained(a: PairAnalysis) -> bool:
    """An explicit hit at major or above: the drift check stays silent on this pair."""
    return any(h.strength in ("major", "critical") for h in a.hits)


def name_variant_edit(a: PairAnalysis, e: Edit) -> bool:
    """The edit only writes a name another way: a "name-variant" hit covers its words on both sides."""
    for h in a.hits:
        if h.kind != "name-variant" or h.o is None or h.c is None:
            continue
        if e.o_span[0] <= h.o[0] < max(e.o_span[1], e.o_span[0] + 1) and e.c_span[0] <= h.c[0] < max(e.c_span[1], e.c_span[0] + 1):
            o_rest = a.o_text[e.o_span[0] : h.o[0]] + a.o_text[h.o[1] : e.o_span[1]]
            c_rest = a.c_text[e.c_span[0] : h.c[0]] + a.c_text[h.c[1] : e.c_span[1]]
            if not any(ch.isalnum() for ch in o_rest + c_rest):
                return True
    return False


def _needs_recovery(ctx: CheckContext, a: PairAnalysis, n_edits: int, ceiling: float) -> bool:
    """Could the recovery of this pair's ``n_edits`` edits lift the model to ``model_minor``?

    The model is linear in the features before its sigmoid, so the highest probability over all
    recovery values in [0, ceiling] is reached at a corner; below ``model_minor`` there, the
    drift check raises nothing whatever the recovery is, and embedding the variants is wasted.
    """
    from fidelity import severity as sev

    _, high = sev.recovery_bounds(sev.features(a), n_edits, max(0.0, ceiling))
    return high >= ctx.thresholds.model_minor


def _has_words(e: Edit) -> bool:
    return any(ch.isalnum() for ch in e.o_text + e.c_text)


# --------------------------------------------------------------------------- extractors


def numbers(text: str) -> list[tuple[float, int, int]]:
    """Numbers with their local character ranges: digits ("5,000", "5000", "2.5"), number words
    ("five thousand", "a dozen"), multipliers ("5 million")."""
    out: list[tuple[float, int, int]] = []
    pending: tuple[float, int, int] | None = None  # a value that a following multiplier may scale
    dates = _numeric_dates(text)
    if dates:  # read as day, month and year, not as decimals ("4.4.2023") or a year range ("2024-01-23")
        masked = list(text)
        for (start, end), _ in dates:
            masked[start:end] = " " * (end - start)
        text = "".join(masked)
    for m in _NUM_RE.finditer(text):
        if m.group(1) and _military_time(text, m):
            # "1200 GMT", "at 0930 hours": a clock time, read as "12:00" / "09:30" are (hours, minutes)
            if pending:
                out.append(pending)
            pending = None
            out += [(float(m.group(1)[:2]), m.start(), m.start() + 2), (float(m.group(1)[2:]), m.start() + 2, m.end())]
            continue
        if m.group(1):
            digits = re.sub(r"[,\u202f\u00a0 ]", "", m.group(1))
            decimals = m.group(2) or m.group(3)
            value = float(digits + ("." + decimals if decimals else ""))
            if pending:
                out.append(pending)
            pending = (value, m.start(), m.end())
            continue
        word = m.group(4).casefold()
        # A figure that stands alone: digits inside a word ("3D", "p109", "G7", "1990s", "5km") or
        # a capitalised month name (not a sentence-initial "May").
        embedded = _EMBEDDED_RE.fullmatch(m.group(4))
        month = _month(word) if m.group(4)[:1].isupper() and (word != "may" or m.start() > 0) else None
        if embedded or month:
            if pending:
                out.append(pending)
            pending = None
            if embedded:
                out.append((float(embedded.group(2)), m.start() + embedded.start(2), m.start() + embedded.end(2)))
            else:
                out.append((float(month or 0), m.start(), m.end()))
            continue
        if word in _MULTIPLIERS and pending is not None and text[pending[2] : m.start()].strip() in ("", "-"):  # "a 12-million-rouble bribe"
            pending = (pending[0] * _MULTIPLIERS[word], pending[1], m.end())
            continue
        if word == "one" and re.match(r"\s+another\b", text[m.end() :], re.IGNORECASE):
            word = ""  # the reciprocal pronoun "one another" counts nothing
        if word in _A_UNIT and re.search(r"\b(?:a|an|the|this|that|next|last|past|coming|each|per|every)\s+$", text[: m.start()], re.IGNORECASE):
            if pending:  # "a decade" is ten years, "a week" seven days, as "one decade" is by ``_equivalents``
                out.append(pending)
            pending = None
            out.append((_A_UNIT[word], m.start(), m.end()))
            continue
        if word in ("half", "quarter") and out and out[-1][0] == int(out[-1][0]) and not re.match(r"\s+of\b", text[m.end() :]) and re.fullmatch(r"\s+and\s+an?\s+", text[out[-1][2] : m.start()], re.IGNORECASE):
            # "one and a half million": the fraction joins the figure before a multiplier scales it
            whole = out.pop()
            scale = _MULTIPLIERS.get(text[whole[1] : whole[2]].split()[-1].casefold(), 1)  # "one million and a half"
            pending = (whole[0] + _NUMBER_WORDS[word] * scale, whole[1], m.end())
            continue
        roman = _roman(m.group(4))
        if roman and (re.match(r"\s+centur", text[m.end() :], re.IGNORECASE) or re.search(r"\b[A-Z][a-z]+\s+$", text[: m.start()])):
            if pending:  # "the XVIII century", "Louis XIV", "Henry VIII" (not "I": the pronoun)
                out.append(pending)
            pending = None
            out.append((float(roman), m.start(), m.end()))
            continue
        if word == "other" and re.search(r"\bevery\s+$", text[: m.start()], re.IGNORECASE):
            word = "two"  # "every other year" is every two years
        if word in _NUMBER_WORDS or word in _MULTIPLIERS:
            value = float(_NUMBER_WORDS.get(word, _MULTIPLIERS.get(word, 0)))
            if pending and text[pending[2] : m.start()].strip() in ("", "-") and _is_word_number(text[pending[1] : pending[2]]):
                prev = pending[0]
                # "twenty five" adds, "five thousand" multiplies
                value = prev * value if word in _MULTIPLIERS else prev + value if prev >= 20 and value < 10 else value
                if value != float(_NUMBER_WORDS.get(word, 0)) or word in _MULTIPLIERS:
                    pending = (value, pending[1], m.end())
                    continue
            if pending:
                out.append(pending)
            pending = (value, m.start(), m.end())
            continue
        if pending:
            out.append(pending)
            pending = None
    if pending:
        out.append(pending)
    # "2 hours (and) 30 minutes" is 2.5 hours, as "two and a half hours" is (joined above; a quarter,
    # a half or three quarters of an hour only: other minutes are stated as minutes on both sides)
    merged: list[tuple[float, int, int]] = []
    for figure in out:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last[0] == int(last[0])
            and figure[0] in (15, 30, 45)
            and re.fullmatch(r"\s*h(?:ours?|rs?)?,?\s+(?:and\s+)?", text[last[2] : figure[1]], re.IGNORECASE)
            and re.match(r"\s*min(?:ute)?s?\b", text[figure[2] :], re.IGNORECASE)
        ):
            merged[-1] = (last[0] + figure[0] / 60, last[1], figure[2])
        elif last is not None and last[0] == 12 and re.fullmatch(r"\s+", text[last[2] : figure[1]]) and text[figure[1] : figure[2]].casefold() in ("midnight", "noon", "midday"):
            merged[-1] = (figure[0], last[1], figure[2])  # "12 midnight" is midnight
        else:
            merged.append(figure)
    out = merged
    # A year range with its second year shortened: "1875–76" ends in 1876.
    for k in range(1, len(out)):
        (y, _, y_end), (v, v_start, v_end) = out[k - 1], out[k]
        if 1000 <= y <= 2999 and y == int(y) and 0 <= v < 100 and v == int(v) and re.fullmatch(r"[-–/]", text[y_end:v_start]) and v_end - v_start == 2:
            out[k] = (y - y % 100 + v + (100 if v < y % 100 else 0), v_start, v_end)
    # "one" and "second" are often not numbers ("one of them", "a second look"): keep them only
    # when digits say the same on the other side; that is decided by the number check.
    # (A date's figures join none of the above: they are added last, in text order.)
    return sorted(out + [figure for _, parts in dates for figure in parts], key=lambda figure: figure[1])


def _military_time(text: str, m: re.Match[str]) -> bool:
    """Four digits that are a 24-hour clock time without a colon: before GMT, UTC or Z ("1200
    GMT"), or after "at" and before "hours"/"hrs" ("at 0930 hours")."""
    digits = m.group(0)
    if not re.fullmatch(r"\d{4}", digits) or int(digits[:2]) > 23 or int(digits[2:]) > 59:
        return False
    after, before = text[m.end() : m.end() + 8], text[max(0, m.start() - 4) : m.start()]
    return re.match(r"\s?(?:GMT|UTC|Z)\b", after) is not None or (
        re.search(r"\bat\s+$", before, re.IGNORECASE) is not None and re.match(r"\s+(?:hours|hrs)\b", after, re.IGNORECASE) is not None
    )


# A date in figures: year-month-day (ISO), or day and month before a four-digit year with dots,
# slashes or hyphens ("4.4.2023", "31. 5. 2017", "23/01/2024"; month first, "1/23/2024", too)
_ISO_DATE_RE = re.compile(r"(?<![\w.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-])")
_DMY_DATE_RE = re.compile(r"(?<![\w.,])(\d{1,2})([./-])\s?(\d{1,2})\2\s?(\d{4})(?!\w|[.,]\d)")


def _numeric_dates(text: str) -> list[tuple[tuple[int, int], list[tuple[float, int, int]]]]:
    """Each date written in figures: its range and its day, month and year as figures."""
    out = []
    for m in _ISO_DATE_RE.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            out.append(((m.start(), m.end()), [(float(m.group(g)), m.start(g), m.end(g)) for g in (1, 2, 3)]))
    for m in _DMY_DATE_RE.finditer(text):
        first, second = int(m.group(1)), int(m.group(3))
        if 1 <= min(first, second) and max(first, second) <= 31 and min(first, second) <= 12 and 1000 <= int(m.group(4)) <= 2999:
            out.append(((m.start(), m.end()), [(float(m.group(g)), m.start(g), m.end(g)) for g in (1, 3, 4)]))
    return out


_UNIT_SCALES = tuple((re.compile(rf"[\s-]*(?:{pattern})\b"), size) for pattern, size in _UNITS.values())


def _equivalents(text: str, n: tuple[float, int, int]) -> set[float]:
    """The values a stated figure may be written as on the other side: itself, a clock hour in
    24-hour time ("6 p.m." = 18:00), a percentage as a fraction ("50%" = half), a decade by its
    last two digits ("the 1990s" = "the nineties"), and a quantity in the next smaller unit
    (km -> m, kg -> g, centuries -> years, decades -> years, weeks and fortnights -> days, days ->
    hours, hours -> minutes); a century by its
    ordinal ("the 18th century" = "the 1700s")."""
    value, start, end = n
    after = text[end : end + 20].casefold()
    out = {value}
    if end - start == 2 and re.fullmatch(r"\d{4}", text[start : start + 4]):
        out.add(float(text[start : start + 4]))  # the hours of "1200 GMT" (``_military_time``), which the other side may write as a plain 1200
    if 1 <= value < 12 and re.match(r"(?::\d\d)?\s*p\.?\s?m\b", after):
        out.add(value + 12)  # "6 p.m.", "6:04 p.m." = 18:04
    if value == 12 and re.match(r"(?::\d\d)?\s*a\.?\s?m\b", after):
        out.add(0.0)
    if value in (15, 30, 45) and (re.match(r"[\s-]*min(?:ute)?s?\b", after) or text[start - 1 : start] == ":"):
        out.add(value / 60)  # "15 minutes" = "a quarter of an hour"; "4:30" = "half past four"
    if re.match(r"\s*(?:%|per\s?cent\b)", after):
        out.add(value / 100)
    if re.match(r"[\s-]*months?\b", after):
        out.add(value / 12)  # "6 months" = "half a year", "18 months" = "a year and a half"
    if 3 <= value <= 10 and re.fullmatch(r"(?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?", text[start:end].casefold()) and re.search(
        r"\b(?:a|one)[\s-]+$", text[:start].casefold()
    ):
        out.add(1 / value)  # "a fifth of the water" = 20% of it
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text[start:end]):
        out.add(float(text[start:end].replace(".", "")))  # a continental thousands point: "20.000" = 20,000
    if value >= 1000 and value % 10 == 0 and text[end : end + 1] == "s":
        out.add(value % 100)
    ordinal = re.search(r"(?:st|nd|rd|th)$", text[start:end].casefold()) is not None or _roman(text[start:end]) is not None
    for pattern, scale in _UNIT_SCALES:
        if pattern.match(after) and not ordinal:
            out.add(value * scale)
    if ordinal and value >= 2 and value == int(value) and re.match(r"[\s-]*century\b", after):
        out.add((value - 1) * 100)  # the 18th century = the 1700s
    return out


def _same_value(a: set[float], b: set[float]) -> bool:
    return any(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x in a for y in b)


def _month(word: str) -> int | None:
    """The number of a month name or its abbreviation ("Sept." -> 9), else None."""
    return MONTHS.get(word.casefold().rstrip("."))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(word: str) -> int | None:
    """The value of an upper-case Roman numeral of two or more letters written the usual way,
    under 90 (centuries and regnal numbers: "XIV" = 14, "XVIII" = 18), else None."""
    if len(word) < 2 or not re.fullmatch(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", word):
        return None
    values = [_ROMAN[ch] for ch in word]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


def _is_word_number(text: str) -> bool:
    return text.isalpha()


def quotes(text: str) -> list[Quote]:
    out = []
    for m in _QUOTE_RE.finditer(text):
        for g in range(1, 6):
            if m.group(g):
                out.append(Quote(m.start(g), m.end(g), m.group(g)))
                break
    return out


_SCRIPT_CACHE: dict[str, str] = {}


def script(ch: str) -> str:
    """Coarse Unicode script of a letter: LATIN, GREEK, CYRILLIC, CJK, ARABIC, ... (first word of its name)."""
    hit = _SCRIPT_CACHE.get(ch)
    if hit is None:
        name = unicodedata.name(ch, "")
        first = name.split(" ")[0] if name else ""
        hit = "CJK" if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else first
        _SCRIPT_CACHE[ch] = hit
    return hit


_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def translit_key(name: str) -> str:
    """Fold the spelling differences that romanisation systems disagree on (Yeltsin/
    Jeltsin, Khrushchev/Hrushchev, Dharamsala/Dharamshala): accents, y/j/i, kh/h, sh/s, ie/ye/e, doubled i; and British /
    American endings (Harbour/Harbor, Centre/Center)."""
    s = "".join(ch for ch in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(ch))
    s = s.translate(_UNDECOMPOSED)  # letters NFD leaves whole: Øresund / Öresund, Łódź / Lodz
    s = re.sub(r"[^a-z]", "", s)
    s = s.replace("kh", "h").replace("ph", "f").replace("ck", "k").replace("sh", "s")
    s = s.replace("j", "i").replace("y", "i")
    s = re.sub(r"i+e|ei", "i", s)
    s = re.sub(r"i+", "i", s)
    # British and American spellings of a name's English part (Pearl Harbour / Harbor, Centre / Center)
    s = re.sub(r"our$", "or", s)
    s = re.sub(r"tre$", "ter", s)
    return s


def consonant_skeleton(key: str) -> str:
    """The consonants of a ``translit_key``, as far as romanisations of one name agree on them
    (Chernobyl / Chornobyl, Dnipro / Dnieper, Hangul / Hangeul): vowels dropped, w read as v, an
    h after a consonant dropped. A doubled consonant stays two, and c stays apart from k: a
    Latin-script name that gains or loses a letter (Pellegrini / Pelegrinni) or trades c for k
    (Karoline / Caroline) is misspelt, not romanised. Only a skeleton of
    ``Thresholds.name_skeleton_min`` consonants or more says two names are one: short ones are
    shared by different names (Sudan / Sedan)."""
    s = key.replace("w", "v")
    s = re.sub(r"(?<=[^aeiou])h", "", s)
    return re.sub(r"[aeiou]", "", s)


# --------------------------------------------------------------------------- signals
#
# A ``Hit`` is one concrete piece of evidence inside a pair: what kind, where on each side
# (local ranges, None when the side has nothing), and a short description for the message.


_AMBIGUOUS_NUMBER_WORDS = frozenset({"one", "first", "second", "half", "double", "twice", "dozen", "both", "quarter", "nil", "noon", "midday", "midnight", "week", "fortnight", "decade", "century"})


def number_hits(a: PairAnalysis) -> list[Hit]:
    def strong(text: str, s: int, e: int) -> bool:
        """Whether this number, unmatched, is evidence on its own. Weak: words that are often no
        number ("one of them"), a month name (a changed month is a changed name), digits inside a
        code ("p109", "G7", "3D", "4G", which the other side may spell out or space out); a unit
        or plural after the digits ("5km", "1990s") keeps a number strong."""
        word = text[s:e].casefold()
        if word in _AMBIGUOUS_NUMBER_WORDS or _month(word) or word == "1":
            return False  # "1 hour" is "an hour" as often as "one hour"
        if re.fullmatch(r"0+", word) and re.search(r"\d[:.]$|^\d\d$", text[max(0, s - 2) : s]):
            return False  # the minutes of a full hour: "18:00" (or "1800 GMT") states the 18
        before = text[s - 1 : s]
        after = re.match(r"[^\W\d_]*", text[e:])
        suffix = after.group(0) if after else ""
        return not (before.isalpha() or (len(suffix) == 1 and suffix.isupper()))

    o_eq = {n: _equivalents(a.o_text, n) for n in a.o_numbers}
    c_eq = {n: _equivalents(a.c_text, n) for n in a.c_numbers}
    o_left = list(a.o_numbers)
    c_left = list(a.c_numbers)
    for item in list(o_left):
        match = next((c for c in c_left if _same_value(o_eq[item], c_eq[c])), None)
        if match is not None:
            o_left.remove(item)
            c_left.remove(match)
    o_strong = [n for n in o_left if strong(a.o_text, n[1], n[2])]
    c_strong = [n for n in c_left if strong(a.c_text, n[1], n[2])]
    hits = []
    if (o_strong and c_left) or (c_strong and o_left):
        for o, c in zip(o_left, c_left, strict=False):
            if strong(a.o_text, o[1], o[2]) or strong(a.c_text, c[1], c[2]):
                hits.append(Hit("number-changed", (o[1], o[2]), (c[1], c[2]), f"{a.o_text[o[1]:o[2]]!r} became {a.c_text[c[1]:c[2]]!r}", "critical"))
    elif o_strong:
        # A figure stated twice in the original ("100 yards (100 meters)") and once in the copy
        # ("100 yards/meters") lost no number; nor, the other way round, did a restated one appear.
        c_values = set().union(*c_eq.values()) | _totals(a.c_numbers)
        for o in (o for o in o_strong if not _same_value(o_eq[o], c_values)):
            hits.append(Hit("number-dropped", (o[1], o[2]), None, f"{a.o_text[o[1]:o[2]]!r} is missing from the copy", "major"))
    elif c_strong:
        o_values = set().union(*o_eq.values()) | _totals(a.o_numbers)
        for c in (c for c in c_strong if not _same_value(c_eq[c], o_values)):
            hits.append(Hit("number-added", None, (c[1], c[2]), f"{a.c_text[c[1]:c[2]]!r} is not in the original", "major"))
    return hits


def _totals(figures: Sequence[tuple[float, int, int]]) -> set[float]:
    """Sums of two or three of a side's figures: the total the other side states besides its
    parts ("two gold and one bronze" / "three medals, two gold and one bronze")."""
    values = [v for v, _, _ in figures][:12]
    return {sum(c) for k in (2, 3) for c in itertools.combinations(values, k)}


def _names(doc: Any, text: str, min_len: int) -> list[tuple[int, int, str]]:
    """Proper-noun tokens (capitalised PROPN, or inside a spaCy name entity) with local ranges."""
    if doc is None:
        return []
    out = []
    name_ents = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
    for t in doc:
        if len(t.text) < min_len and not (t.text.isupper() and len(t.text) >= 2):
            continue
        if not t.text[:1].isupper():
            continue
        if t.pos_ == "PROPN" or (t.ent_type_ in name_ents and t.pos_ in ("PROPN", "NOUN", "ADJ")):
            if t.is_sent_start and (_one_word_ent(t) or _modifies_next(t)) and nlp.ordinary_word(t.text):
                continue  # a sentence starts with a capital: "Wolf children ...", "Handmade items ..." are no names
            out.append((t.idx, t.idx + len(t.text), t.text))
    return out


def _single_token_ent(t: Any) -> bool:
    """The token is an entity of its own, one word long."""
    return t.ent_iob_ == "B" and (t.i + 1 >= len(t.doc) or t.doc[t.i + 1].ent_iob_ != "I")


def _modifies_next(t: Any) -> bool:
    """A one-word entity that only modifies the lower-case noun after it ("Sea turtles ...", which
    the small model reads as a place): with ``nlp.ordinary_word`` at a sentence's start, a common
    word in a compound (a place name that is also a common word, "Turkey would ...", stays a name)."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    return _single_token_ent(t) and nxt is not None and t.head.i == nxt.i and t.dep_ in ("compound", "amod") and nxt.pos_ == "NOUN" and nxt.text.islower()


def _one_word_ent(t: Any) -> bool:
    """No entity, or a one-word person or group: what the small model makes of an ordinary word
    that starts a sentence ("Wolf children" as a PERSON, "Handmade items" as a NORP). Places and
    organisations stay names ("Turkey would ...")."""
    if not t.ent_type_:
        return True
    return _single_token_ent(t) and t.ent_type_ in ("PERSON", "NORP")


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid): "Köln" -> "koln"."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _alias_in(doc: Any, start: int, name: str, other_text: str) -> tuple[tuple[int, int], str] | None:
    """Where ``other_text`` uses another name for the name at ``start`` (the whole entity or the
    word alone: "Burma" ~ "Myanmar", "Mideast" ~ "Middle East", "aurora borealis" ~ "northern
    lights", after WordNet), with the form looked up; None when it does not."""
    entity = _entity_of(doc, start)
    forms = [doc.text[entity[0].idx : entity[-1].idx + len(entity[-1].text)]] if entity else []
    # ... and the word with the one or two words after or before it, which the parser may have
    # left out of the entity ("Aurora borealis" with "borealis" read as a common noun)
    tok = _token_at(doc, start)
    if tok is not None:
        for lo, hi in ((0, 2), (0, 1), (-2, 0), (-1, 0)):
            window = doc[max(0, tok.i + lo) : min(len(doc), tok.i + hi + 1)]
            if len(window) > 1 and all(t.is_alpha for t in window):
                forms.append(window.text)
    folded = _fold(other_text)
    for form in [*forms, name]:
        title = all(nlp.ordinary_word(w) for w in form.split())
        for alias in sorted(nlp.aliases(form), key=len, reverse=True):
            if not title and " " not in alias and nlp.ordinary_word(alias):
                continue  # a name said with an ordinary word ("pound" for "British pound") may say less
            alias = _fold(alias)
            m = re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", folded)
            if m:
                return m.span(), form
    return None


def _token_at(doc: Any, start: int) -> Any | None:
    """The token of a parse that starts at character ``start`` (None when none does or there is no parse)."""
    return next((t for t in doc if t.idx == start), None) if doc is not None else None


def _entity_of(doc: Any, start: int) -> list[Any]:
    """Tokens of the named entity (or the run of proper nouns) containing the token at ``start``."""
    for ent in doc.ents:
        if ent.start_char <= start < ent.end_char:
            return list(ent)
    tok = _token_at(doc, start)
    if tok is None or tok.pos_ != "PROPN":
        return []
    i, j = tok.i, tok.i
    while i > 0 and doc[i - 1].pos_ == "PROPN":
        i -= 1
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN":
        j += 1
    return list(doc[i : j + 1]) if j > i else []


def _name_runs(tokens: Sequence[str]) -> Iterator[list[str]]:
    """Every stretch of two or more words inside the capitalised runs of a text ("of", "the",
    "and", "for" may sit inside a run and are left out): the spans an acronym can stand for."""
    run: list[str] = []
    for w in [*tokens, ""]:
        if w[:1].isupper():
            run.append(w)
        elif w.casefold() in ("of", "the", "and", "for") and run:
            continue
        else:
            for i in range(len(run)):
                for j in range(i + 2, len(run) + 1):
                    yield run[i:j]
            run = []


def _acronym(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words).casefold()


def _initials(tokens: Sequence[str]) -> set[str]:
    """Acronyms the capitalised word runs of a text could make: "United Kingdom" -> "uk"."""
    return {_acronym(words) for words in _name_runs(tokens)}


def _spelled_out(tokens: Sequence[str], acronyms: set[str]) -> set[str]:
    """Casefolded words of the capitalised runs whose initials make or start one of ``acronyms``:
    with "EU" on the other side, "European" and "Union" of "the European Union"; with "ISIS",
    "Islamic" and "State" (as ``_name_found`` reads an acronym against the start of its expansion)."""
    out = set()
    for words in _name_runs(tokens):
        initials = _acronym(words)
        if any(x.startswith(initials) for x in acronyms):
            out |= {w.casefold() for w in words}
    return out


_GLOSS_JOINERS = frozenset("of for and on the de del des du la le di da".split())


def _glossed(doc: Any) -> dict[str, str]:
    """The capitalised words of a name that the text glosses with its acronym in brackets, each
    with that acronym, casefolded: "the National Institute for Space Research (INPE)" ->
    {"national": "inpe", "institute": "inpe", ...}. The other side may give the acronym alone."""
    toks = [t for t in doc] if doc is not None else []
    out: dict[str, str] = {}
    for k in range(1, len(toks) - 2):
        acr = toks[k + 1].text.replace(".", "")
        if toks[k].text != "(" or toks[k + 2].text != ")" or len(acr) < 2 or not acr.isupper():
            continue
        j = k - 1
        while j >= 0 and k - j <= 10 and (toks[j].text[:1].isupper() or toks[j].text.casefold() in _GLOSS_JOINERS or toks[j].text in ("-", "–")):
            if toks[j].text[:1].isupper():
                out[toks[j].text.casefold()] = acr.casefold()
            j -= 1
    return out


def _name_found(name: str, other_words: set[str], other_keys: set[str], other_initials: set[str], other_text: str, prefix: int) -> str:
    """'same', 'variant' or '' (not found) for one name token against the other side."""
    folded = name.casefold().replace(".", "")
    if folded in other_words or folded.replace("-", "") in other_words or name.casefold() in other_text:
        return "same"  # (K2 / K-2: ``name_hits`` adds each word without its hyphens)
    if name.replace(".", "").isupper() and (folded in other_initials or any(len(i) >= 2 and folded.startswith(i) for i in other_initials)):
        return "same"  # U.K. / United Kingdom; an acronym and the start of its expansion (ISIS / Islamic State)
    if _spelling_key(name, other_keys):
        return "variant"  # before the prefix rule: Zelenskyy / Zelenski is a spelling, not a derivation
    if len(folded) >= prefix and any(w.startswith(folded[:prefix]) and _derived(folded, w) for w in other_words):
        return "same"  # Ukraine / Ukrainian, Germany / German
    if any(_pertains(w, folded) for w in other_words):
        return "same"  # the adjective WordNet says pertains to it: Dutch / the Netherlands, lunar / the Moon
    if _skeleton_key(name) in other_keys:
        return "variant"  # another romanisation: Chernobyl / Chornobyl
    return ""


_SCALE_SYMBOLS = ((re.compile(r"°\s?C\b|℃"), {"celsius", "centigrade"}), (re.compile(r"°\s?F\b|℉"), {"fahrenheit"}))


def _scales_by_symbol(text: str) -> set[str]:
    """The names of the temperature scales a text gives by their symbols: "38 °C" names Celsius."""
    return set().union(*(names for pattern, names in _SCALE_SYMBOLS if pattern.search(text)))


def _spelling_key(name: str, keys: Container[str]) -> str:
    """The key of ``name`` that ``keys`` has ('' when none): its ``translit_key`` (three letters
    or more), else its ``_romanised_key``."""
    key = translit_key(name)
    if len(key) < 3:
        return ""
    return next((k for k in (key, _romanised_key(key)) if k in keys), "")


def _romanised_key(key: str) -> str:
    """A ``translit_key`` with what romanisations of one name also disagree on folded, marked
    "=": q read as k and w as v (Qumran / Kumran, Ahvaz / Ahwaz), a long vowel doubled or marked
    by an h before a consonant (Maasai / Masai, Khaan / Khan, Ohtani / Otani). Only used to say
    two names are one, not to measure how alike two spellings are. Doubled consonants stay: in
    a Latin-script name they are spelling (Meloni / Melloni is misspelt)."""
    s = key.replace("q", "k").replace("w", "v")
    s = re.sub(r"(?<=[aeiou])h(?=[^aeiouh])", "", s)
    return "=" + re.sub(r"([aeiou])\1+", r"\1", s)


def _skeleton_key(name: str) -> str:
    return "~" + consonant_skeleton(translit_key(name))


def _name_keys(doc: Any, skeleton_min: int) -> dict[str, Any]:
    """The capitalised words of a parse by their ``translit_key``, marked "=", by their
    ``_romanised_key``, and, marked "~", by their consonant skeleton when it has
    ``skeleton_min`` consonants or more."""
    keys: dict[str, Any] = {}
    for t in doc:
        if t.text[:1].isupper():
            key = translit_key(t.text)
            keys.setdefault(key, t)
            keys.setdefault(_romanised_key(key), t)
            skeleton = _skeleton_key(t.text)
            if len(skeleton) - 1 >= skeleton_min:
                keys.setdefault(skeleton, t)
    return keys


def _said_by_class(a: PairAnalysis, names: Sequence[str], edit: Edit | None) -> tuple[int, int] | None:
    """The span of a noun in the copy side of ``edit``, absent from the original, that WordNet
    gives as the class of one of ``names`` (forms of one name); None when there is none."""
    classes = set().union(*(nlp.classes(n) for n in names))
    if not classes or edit is None or a.c_doc is None or a.o_doc is None:
        return None
    o_lemmas = {nlp.lemma(t.text, "NOUN") for t in a.o_doc}
    for t in _tokens_in(a.c_doc, edit.c_span):
        lem = nlp.lemma(t.text, "NOUN")
        if t.pos_ == "NOUN" and lem in classes and lem not in o_lemmas:
            return (t.idx, t.idx + len(t.text))
    return None


def _pertains(a: str, b: str) -> bool:
    """One word is the adjective WordNet says pertains to the other name, either way round."""
    return nlp.demonym_of(a, b) or nlp.demonym_of(b, a)


def _derived(a: str, b: str) -> bool:
    """One word is the other with an ending added, less a final vowel (Ukraine / Ukrainian, China /
    Chinese, Israel / Israeli); a changed letter inside (Schwarz / Schwartz) is a spelling."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short.rstrip("aeiouy") or short)


def _cross_lingual(a: PairAnalysis, name: str, o_start: int, cname: str, c_start: int, ratio: float, cognate_min: float) -> str:
    """Why two similar names are one name in two languages ('' when they are not):

    Both need spellings at least ``cognate_min`` alike (translit-folded), which keeps chance
    look-alikes (Chinese / Chile, from the development data) as changed names.

    - a demonym and its place (Majorcan / Mallorca): spaCy tags exactly one side NORP;
    - a translated word of a name (Asociación / Association): the copy's form is an English
      word (not one the word list has only as a name: Schwarz / Schwartz), the original's is not;
      or the other way round, the name given in its own language, in letters English does not
      use (Association / Asociación; World / Worls is misspelt).
    """
    o_tok = _token_at(a.o_doc, o_start)
    c_tok = _token_at(a.c_doc, c_start)
    # (a demonym WordNet pairs with its place, French / France, is the same name: ``_name_found``)
    if ratio >= cognate_min and (o_tok is not None and o_tok.ent_type_ == "NORP") != (c_tok is not None and c_tok.ent_type_ == "NORP"):
        return "a demonym and its place"
    if ratio < cognate_min:
        return ""
    if nlp.is_english_word(cname.casefold()) and not nlp.is_name_only(cname) and not nlp.is_english_word(name.casefold()):
        return "the name translated"
    if nlp.is_english_word(name.casefold()) and not nlp.is_name_only(name) and not nlp.is_english_word(cname.casefold()) and not cname.isascii():
        # the other way round: Association / Asociación, written in that language's letters (a
        # plain-letter form that is no word, World / Worls, is a misspelling)
        return "the name in its own language"
    return ""


def name_hits(a: PairAnalysis, min_len: int, prefix: int, mangled_min: float = 0.6, cognate_min: float = 0.75, skeleton_min: int = 4) -> list[Hit]:
    if a.o_doc is None or a.c_doc is None:
        return []
    o_names = _names(a.o_doc, a.o_text, min_len)
    c_names = _names(a.c_doc, a.c_text, min_len)
    c_words = {t.text.casefold().replace(".", "") for t in a.c_doc}
    o_words = {t.text.casefold().replace(".", "") for t in a.o_doc}
    c_words |= {w.replace("-", "") for w in c_words} | _scales_by_symbol(a.c_text)
    o_words |= {w.replace("-", "") for w in o_words} | _scales_by_symbol(a.o_text)
    c_keys = _name_keys(a.c_doc, skeleton_min)
    o_keys = set(_name_keys(a.o_doc, skeleton_min))
    c_init = _initials([t.text for t in a.c_doc])
    o_init = _initials([t.text for t in a.o_doc])
    # Copy names with no counterpart: candidates for "replaced" or "mangled".
    new_in_copy = [n for n in c_names if not _name_found(n[2], o_words, o_keys, o_init, a.o_text.casefold(), prefix)]
    def acronyms(doc: Any) -> set[str]:
        return {t.text.replace(".", "").casefold() for t in doc if len(t.text.replace(".", "")) >= 2 and t.text.replace(".", "").isupper()}

    o_spelled = _spelled_out([t.text for t in a.o_doc], acronyms(a.c_doc))
    c_spelled = _spelled_out([t.text for t in a.c_doc], acronyms(a.o_doc))
    # a name written as two words on one side and one on the other: Ha Long / Halong, Hong Kong / Hongkong
    for doc, other_words, spelled, other_spelled in ((a.o_doc, c_words, o_spelled, c_spelled), (a.c_doc, o_words, c_spelled, o_spelled)):
        for x, y in itertools.pairwise(doc):
            joined = (x.text + y.text).casefold()
            if x.text[:1].isupper() and y.text[:1].isupper() and joined in other_words:
                spelled |= {x.text.casefold(), y.text.casefold()}
                other_spelled.add(joined)
    # a name glossed with its acronym on one side, given by the acronym alone on the other
    o_spelled |= {w for w, acr in _glossed(a.o_doc).items() if acr in c_words}
    c_spelled |= {w for w, acr in _glossed(a.c_doc).items() if acr in o_words}
    # A month is a date's number: "September 11" and "9/11" name the same day.
    o_values = {n[0] for n in a.o_numbers}
    c_values = {n[0] for n in a.c_numbers}
    new_in_copy = [n for n in new_in_copy if n[2].casefold() not in c_spelled and _month(n[2]) not in o_values and _alias_in(a.c_doc, n[0], n[2], a.o_text) is None]
    # an acronym that only glosses a name the copy keeps in full ("the German Weather Service
    # (DWD)" / "the German Weather Service") takes nothing away with it
    glosses: dict[str, set[str]] = {}
    for w, acr in _glossed(a.o_doc).items():
        glosses.setdefault(acr, set()).add(w)
    hits: list[Hit] = []
    used: set[int] = set()
    for s, e, name in o_names:
        glossed = glosses.get(name.casefold().replace(".", ""))
        if glossed and glossed <= c_words:
            continue
        found = _name_found(name, c_words, set(c_keys), c_init, a.c_text.casefold(), prefix)
        if found == "same" or name.casefold() in o_spelled or _month(name) in c_values:
            continue
        if found == "variant":
            t = c_keys[_spelling_key(name, c_keys) or _skeleton_key(name)]  # the word ``_name_found`` matched
            if t.text != name:
                hits.append(Hit("name-variant", (s, e), (t.idx, t.idx + len(t.text)), f"{name!r} spelled {t.text!r} (transliteration variant)", "minor"))
            continue
        alias = _alias_in(a.o_doc, s, name, a.c_text)
        edit = _substitution_over(a, s, e)
        local = [k for k, (cs, ce, _) in enumerate(new_in_copy) if k not in used and edit is not None and edit.c_span[0] <= cs and ce <= edit.c_span[1]]
        if alias is not None and not any(not (alias[0][0] <= new_in_copy[k][0] < alias[0][1]) for k in local):
            # (another name in this one's very place, not the alias, replaced it: judged below)
            (cs, ce), whole = alias
            hits.append(Hit("name-variant", (s, e), (cs, ce), f"{whole!r} rendered {a.c_text[cs:ce]!r} (another name for it)", "minor"))
            continue
        # The closest new copy name by spelling anywhere in the pair: a mangled form of this one.
        best, best_ratio = None, 0.0
        for k, (_cs, _ce, cname) in enumerate(new_in_copy):
            if k in used:
                continue
            r = SequenceMatcher(None, translit_key(name), translit_key(cname)).ratio()
            if r > best_ratio:
                best, best_ratio = k, r
        if best is not None and best_ratio >= mangled_min:
            used.add(best)
            cs, ce, cname = new_in_copy[best]
            why = _cross_lingual(a, name, s, cname, cs, best_ratio, cognate_min)
            if why:
                hits.append(Hit("name-variant", (s, e), (cs, ce), f"{name!r} rendered {cname!r} ({why})", "minor"))
            else:
                hits.append(Hit("name-mangled", (s, e), (cs, ce), f"{name!r} became {cname!r}", "major"))
            continue
        # A run of ordinary capitalised words that the model finds no name in ("Prime Minister",
        # "Foreign Secretary") is a title: said another way ("the premier", "the UN chief") it names
        # the same person, so its loss is minor.
        entity = _entity_of(a.o_doc, s)
        words = entity or [t for t in a.o_doc if t.idx == s]
        title = bool(words) and not any(t.ent_type_ for t in words) and all(nlp.ordinary_word(t.text) for t in words)
        if title:
            hits.append(Hit("name-removed", (s, e), None, f"{name!r} (part of a title) is not in the copy", "minor"))
            continue
        # The thing named by what it is ("on Earth" / "on the planet", "the Nile" / "the river"):
        # in the name's place (its substitution), a copy noun that WordNet gives as its class.
        cls = _said_by_class(a, [" ".join(t.text for t in entity), name] if entity else [name], edit)
        if cls is not None:
            hits.append(Hit("name-variant", (s, e), cls, f"{name!r} rendered {a.c_text[cls[0]:cls[1]]!r} (what it is)", "minor"))
            continue
        # A new name in the very place of this one (same word-alignment edit) replaced it.
        local = [k for k in local if k not in used]
        if local:
            used.add(local[0])
            cs, ce, cname = new_in_copy[local[0]]
            if nlp.ordinary_word(name) and nlp.ordinary_word(cname) and any(nlp.synonymous(name, pos, cname, pos) for pos in ("ADJ", "NOUN")):
                # a common word of a name put in a synonym: "Intangible Heritage" / "Immaterial Heritage"
                hits.append(Hit("name-variant", (s, e), (cs, ce), f"{name!r} rendered {cname!r} (the name's word said another way)", "minor"))
                continue
            hits.append(Hit("name-replaced", (s, e), (cs, ce), f"{name!r} replaced by {cname!r}", "critical"))
            continue
        # Part of a longer name dropped while the rest stays ("President Anna Petrova" ->
        # "Petrova") loses no referent; a whole name gone does.
        rest = [t for t in entity if t.idx != s and t.text[:1].isupper()]
        kept = any(_name_found(t.text, c_words, set(c_keys), c_init, a.c_text.casefold(), prefix) for t in rest)
        # (a capitalised word the parser tagged no entity is still a name when no dictionary has it: "Crete", "Cuomo")
        strength = "minor" if kept or (not entity and nlp.ordinary_word(name)) else "major"
        hits.append(Hit("name-removed", (s, e), None, f"{name!r} is missing from the copy", strength))
    for k, (cs, ce, cname) in enumerate(new_in_copy):
        if k not in used and cname.casefold() not in a.o_text.casefold():
            # A new name alone is usually a translator's expansion (an added first name, a title);
            # a name that *replaces* one is judged above.
            hits.append(Hit("name-added", None, (cs, ce), f"{cname!r} is not in the original", "minor"))
    return _one_per_name(hits, a.o_text, a.c_text)


def _one_per_name(hits: list[Hit], o_text: str, c_text: str) -> list[Hit]:
    """Words of one name that are all missing (or all new) make one finding: "'Forbidden City'
    is missing", not one for "Forbidden" and one for "City". Words join when only spaces, a
    possessive "'s", "of" or "the" stand between them ("House of Representatives", "People's
    Republic"); the finding takes the gravest strength."""
    joiner = re.compile(r"(?:['’]s)?\s+(?:(?:of|the|de|la|del)\s+)*")
    out: list[Hit] = []
    for h in hits:
        last = out[-1] if out else None
        if last is not None and h.kind == last.kind and "title" not in h.detail + last.detail:
            span = None
            if h.kind == "name-removed" and h.o and last.o and joiner.fullmatch(o_text[last.o[1] : h.o[0]]):
                span = (last.o[0], h.o[1])
                detail = f"{o_text[span[0]:span[1]]!r} is missing from the copy"
            elif h.kind == "name-added" and h.c and last.c and joiner.fullmatch(c_text[last.c[1] : h.c[0]]):
                span = (last.c[0], h.c[1])
                detail = f"{c_text[span[0]:span[1]]!r} is not in the original"
            if span is not None:
                strength = max(last.strength, h.strength, key=Severity)
                out[-1] = Hit(h.kind, span if h.kind == "name-removed" else None, span if h.kind == "name-added" else None, detail, strength, last.words + h.words)
                continue
        out.append(h)
    return out


def _negated(doc: Any, start: int) -> bool:
    """A negation cue stands among the three words before the word at ``start``: "not ever", "not be fed", "no need to"."""
    before = [t for t in doc if t.idx < start and not t.is_punct][-3:] if doc is not None else []
    return any(_is_cue(t.text) for t in before)


def _substitution_over(a: PairAnalysis, start: int, end: int) -> Edit | None:
    """The word-alignment substitution whose original side covers the range [start, end), if any."""
    return next((x for x in a.wa.edits if x.kind == "substitute" and x.o_span[0] <= start and end <= x.o_span[1]), None)


def _said_as_synonym(a: PairAnalysis, word: str, pos: str, start: int, o_lem: dict[str, tuple[int, int, str]]) -> bool:
    """The original's ``word`` at ``start`` has, in the copy side of its own edit, a WordNet
    synonym the original does not use."""
    edit = _substitution_over(a, start, start + 1)
    if edit is None:
        return False
    return any(
        t.pos_ == pos and nlp.lemma(t.text, t.pos_) not in o_lem and nlp.synonymous(word, pos, t.text, t.pos_)
        for t in _tokens_in(a.c_doc, edit.c_span)
    )


def _particle(doc: Any, start: int) -> bool:
    """The word at ``start`` is a phrasal verb's particle ("back" in "pay back")."""
    tok = _token_at(doc, start)
    return tok is not None and tok.dep_ == "prt"


def _is_cue(word: str) -> bool:
    """A negation cue: one of ``NEGATION_CUES`` or a word ending in "n't" (either apostrophe)."""
    return word.casefold() in NEGATION_CUES or _plain_not(word)


def _plain_not(word: str) -> bool:
    """The plain negation: "not" or a word ending in "n't" (either apostrophe)."""
    w = word.casefold().replace("’", "'")
    return w == "not" or w.endswith("n't")


def _implicit_negatives(doc: Any, spent: Container[int] = ()) -> int:
    """How many words of a parse carry a negation in their meaning (``IMPLICIT_NEGATIVES``, "-less" and "un-" adjectives,
    "closed to", "out of service"),
    leaving out the words at ``spent`` (already read as the other side's "not": ``_negation_paraphrased``)."""
    n = 0
    for t in doc if doc is not None else ():
        if t.idx in spent:
            continue
        word = t.text.casefold()
        if t.pos_ in ("VERB", "ADJ") and (nlp.lemma(t.text, t.pos_) in IMPLICIT_NEGATIVES or nlp.lemma(t.text, "VERB") in IMPLICIT_NEGATIVES or word in IMPLICIT_NEGATIVES):
            n += 1  # (an adjective by its verb too: "lacking")
        elif t.pos_ == "NOUN" and nlp.lemma(t.text, "NOUN") in IMPLICIT_NEGATIVE_NOUNS:
            n += 1
        elif t.pos_ in ("VERB", "ADJ", "ADV") and nlp.defined_by_negation(t.text, t.pos_):
            n += 1  # "barefoot" (without shoes), "lost" (no longer in your possession)
        elif t.pos_ == "ADJ" and word.endswith("less") and len(word) >= 7 and word not in ("unless", "nevertheless", "regardless"):
            n += 1
        elif word in ("closed", "shut") and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text.casefold() == "to":
            n += 1  # "closed to cars" ~ "does not allow cars"
        elif word == "too" and t.i + 2 < len(t.doc) and t.doc[t.i + 1].pos_ in ("ADJ", "ADV") and t.doc[t.i + 2].text.casefold() == "to":
            n += 1  # "too polluted to swim in" ~ "so polluted that nobody can swim in it"
        elif word == "out" and re.match(r"of\s+(?:service|order|stock|reach|work|range|print|sight)\b", t.doc.text[t.idx + 4 :].casefold()):
            n += 1  # "out of service" ~ "not working"
        elif (t.pos_ == "ADJ" or (t.pos_ == "ADV" and not word.endswith("ly"))) and word[:2] == "un" and len(word) >= 6 and nlp.listed(word[2:]):
            # "unbeaten", "unknown": "not" said by a prefix ("in-" and "dis-" begin too many other
            # words; "unfortunately" comments, it does not negate)
            n += 1
    return n


def _neg_count(doc: Any, text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"\w*n[’']t\b|\w+", text):
        if _is_cue(m.group(0)):
            if m.group(0).casefold() == "no" and re.match(r"\.?\s*\d", text[m.end() :]):
                continue  # the number sign: "Symphony No. 5"
            if m.group(0).casefold() == "no" and re.match(r"\s+(?:less|more|fewer|later|earlier|sooner)\s+than\b", text[m.end() :], re.IGNORECASE):
                continue  # a bound, not a negation: "no less than seven hours" is "at least seven hours"
            if m.group(0).casefold() == "no" and re.match(r"\s*(?:[^\w\s]|$|(?:to|and|or)\b)", text[m.end() :], re.IGNORECASE):
                continue  # the answer, not a negation: "168 voting no", "said no to the plan"
            spans.append((m.start(), m.end()))
    return spans


_LEMMA_POS = frozenset({"ADJ", "VERB", "ADV", "NOUN", "AUX"})  # the words the polarity checks read by lemma


def _content_lemmas(doc: Any) -> dict[str, tuple[int, int, str]]:
    out: dict[str, tuple[int, int, str]] = {}
    if doc is None:
        return out
    for t in doc:
        if t.pos_ in _LEMMA_POS:
            out.setdefault(nlp.lemma(t.text, t.pos_), (t.idx, t.idx + len(t.text), t.pos_))
    return out


def _opposites_said(lem: str, pos: str, o_lem: dict[str, tuple[int, int, str]], c_lem: dict[str, tuple[int, int, str]]) -> Iterator[str]:
    """The original's words that say the opposite of the copy's ``lem``: its WordNet antonym; for
    an adjective or adverb, a word of the antonym's synset (an independent translation wrote "big"
    where the antonym pair is small/large); for an adjective, one in the opposite WordNet cluster
    (an indirect antonym: "huge" / "small", "quick" / "slow"). Verbs take direct antonyms only: they
    are too polysemous (make ~ give, and take is the opposite of give). WordNet's antonyms pair
    words of one part of speech: "having" (a verb, opposite of the verb "lack") says nothing
    against the noun "lack" ("lack of X" ~ "absence of X")."""
    for ant in nlp.antonyms(lem, pos):
        if ant in o_lem and _same_pos(o_lem[ant][2], pos):
            yield ant
        elif pos in ("ADJ", "ADV"):
            yield from (w for w, (_, _, p) in o_lem.items() if p == pos and w not in c_lem and nlp.synonymous(w, p, ant, pos))
    if pos == "ADJ":
        yield from (w for w, (_, _, p) in o_lem.items() if p == "ADJ" and w not in c_lem and nlp.opposed(lem, w))


def _after_how(doc: Any, start: int) -> bool:
    """The word at ``start`` follows "how" ("how old the tree is")."""
    tok = _token_at(doc, start)
    return tok is not None and tok.i > 0 and doc[tok.i - 1].text.casefold() == "how"


def _renders_other(word: str, said: str, o_lem: dict[str, tuple[int, int, str]], c_lem: dict[str, tuple[int, int, str]]) -> bool:
    """The copy's ``word`` is, in some part of speech, a WordNet synonym of a word of the original
    other than ``said`` that the copy does not keep ("better" the verb is "improve")."""
    return any(
        w != said and w not in c_lem and any(nlp.synonymous(word, pos, w, p) for pos in ("VERB", "ADJ", "ADV", "NOUN") if _same_pos(pos, p))
        for w, (_, _, p) in o_lem.items()
    )


def _measured_by_noun(doc: Any, start: int) -> bool:
    """The word at ``start`` ends a noun-hyphen-adjective compound ("waist-high", "knee-deep")."""
    tok = _token_at(doc, start)
    return tok is not None and tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].pos_ == "NOUN"


def _lemma_counts(doc: Any) -> Counter[str]:
    """How often each content lemma (as ``_content_lemmas`` reads them) stands in a parse."""
    return Counter(nlp.lemma(t.text, t.pos_) for t in doc if t.pos_ in _LEMMA_POS) if doc is not None else Counter()


def _base_forms(doc: Any) -> set[str]:
    """Lemmas of a parse's adjectives, adverbs and verbs, with adverbs also as their adjective ("shortly" -> "short")."""
    out: set[str] = set()
    for t in doc if doc is not None else ():
        if t.pos_ in _LEMMA_POS:
            lem = nlp.lemma(t.text, t.pos_)
            out.add(lem)
            if t.pos_ == "ADV" and lem.endswith("ly") and len(lem) > 4:
                out.add(lem[:-3] + "y" if lem.endswith("ily") else lem[:-2])  # shortly -> short, easily -> easy
    return out


_NEGATIVE_PREFIXES = ("non", "dis", "un", "in", "im", "ir", "il")


def _negation_paraphrased(doc: Any, cue: tuple[int, int], other: Any, spent: set[int]) -> tuple[int, int] | None:
    """The span of the word a negation cue negates, when the other side says the same with an
    antonym ("not long" ~ "short", "not allowed" ~ "forbidden") or with a negative prefix on that
    word ("without interruptions" ~ "uninterrupted", "not possible" ~ "impossible"); else None.
    A prefixed word so read is added to ``spent`` (it says this "not" and no other)."""
    if doc is None or other is None:
        return None
    after = [t for t in doc if t.idx >= cue[1]][:3]
    negated = [t for t in after if t.pos_ in ("ADJ", "ADV", "VERB", "NOUN")]
    if not negated:
        return None
    t = next((x for x in negated if x.pos_ != "NOUN"), negated[0])
    lem = nlp.lemma(t.text, t.pos_)
    opposite: set[str] = set()
    for pos in ("ADJ", "ADV", "VERB") if t.pos_ != "VERB" else ("VERB",):
        opposite |= nlp.antonyms(lem, pos)
    if opposite & _base_forms(other):
        return (t.idx, t.idx + len(t.text))
    # ... or with the antonym of a synonym ("not enough" ~ "insufficient": enough ~ sufficient),
    # of a word in the cue's own phrase (up to a preposition, conjunction or punctuation)
    # Neither word may stand on both sides: "does not have a large population" against "the
    # small town has a large population" negates "large", which the other side still says.
    phrase = list(itertools.takewhile(lambda x: x.pos_ not in ("ADP", "CCONJ", "SCONJ", "PUNCT", "PART"), after))
    other_forms, own_forms = _base_forms(other), _base_forms(doc)
    for w in other:
        if w.pos_ not in ("ADJ", "ADV") or nlp.lemma(w.text, w.pos_) in own_forms:
            continue
        for x in nlp.antonyms(nlp.lemma(w.text, w.pos_), w.pos_):
            for n in phrase:
                if n.pos_ in ("ADJ", "ADV") and nlp.lemma(n.text, n.pos_) not in other_forms and any(nlp.synonymous(x, w.pos_, n.text, pos) for pos in ("ADJ", "ADV")):
                    return (n.idx, n.idx + len(n.text))
    for x in negated:
        stem = x.text.casefold()
        for w in other:
            word = _prefixed_word(w)
            rest = next((word[len(p) :] for p in _NEGATIVE_PREFIXES if word.startswith(p) and len(word) - len(p) >= 4), "")
            # "not able" ~ "unable", "no one knows" ~ "unknown"; or the prefix on a synonym of
            # it: "without injury" ~ "unharmed" (harm ~ injury), "not sure" ~ "uncertain"
            if rest and w.idx not in spent and (
                (len(stem) >= 4 and rest[:4] == stem[:4]) or any(nlp.synonymous(base, x.pos_, x.text, x.pos_) for base in {rest, nlp.lemma(rest, "VERB")})
            ):
                spent.add(w.idx)
                return (x.idx, x.idx + len(x.text))
    return None


def _prefixed_word(t: Any) -> str:
    """A token's word, casefolded; a prefix the tokenizer split off at its hyphen is joined back
    to its word ("non-serious" -> "nonserious")."""
    word = t.text.casefold()
    doc = t.doc
    if word in _NEGATIVE_PREFIXES and t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and doc[t.i + 2].is_alpha:
        return word + doc[t.i + 2].text.casefold()
    return word


_UNIQUE = frozenset("first only alone sole solely exclusively".split())
_CONTRAST = frozenset("before else other but except".split())


def _said_otherwise(doc: Any, text: str, cue: tuple[int, int], other_doc: Any, other: str) -> bool:
    """A negation cue that the other side says without a negation, as a whole construction:

    - "not ... until" ~ "only" (``_not_until``);
    - "not" ~ "rather than" / "instead of": "keep it with you and not in the hold";
    - uniqueness: a "no", "never", "nobody", "nowhere", "none" or "nothing" beside a comparative
      or "before", "else", "other", "but", "except" on this side, a superlative or "first",
      "only", "alone" on the other: "no building is taller" ~ "the tallest building", "never
      before has a woman" ~ "the first time a woman", "nowhere else but" ~ "only". (A plain
      "not" is not read so: it is how a negation is usually added.)
    """
    word = text[cue[0] : cue[1]].casefold()
    plain = _plain_not(word)
    if _not_until(text, cue, other):
        return True
    if plain and re.search(r"\b(?:rather than|instead of)\b", other, re.IGNORECASE) and not re.search(r"\b(?:rather than|instead of)\b", text, re.IGNORECASE):
        return True
    if plain and _not_exceeding(doc, cue) and _BOUND_RE.search(other) and not _BOUND_RE.search(text):
        return True
    if plain or word == "cannot" or doc is None or other_doc is None:
        return False
    mine = {t.text.casefold() for t in doc}
    theirs = {t.text.casefold() for t in other_doc}
    contrast = any(t.tag_ in ("JJR", "RBR") for t in doc) or bool(mine & _CONTRAST - theirs)
    unique = any(t.tag_ in ("JJS", "RBS") and t.text.casefold() not in mine for t in other_doc) or bool(theirs & _UNIQUE - mine)
    return contrast and unique


# an upper bound said without a negation: "no more than", "at most", "up to", "a maximum of"
_BOUND_RE = re.compile(r"\b(?:no|not)\s+(?:more|greater|higher|larger|longer)\s+than\b|\bat\s+(?:the\s+)?most\b|\bup\s+to\b|\bmaximum\b|\bor\s+(?:less|fewer)\b", re.IGNORECASE)


def _not_exceeding(doc: Any, cue: tuple[int, int]) -> bool:
    """The cue negates a verb that WordNet gives as a synonym of "exceed" ("does not exceed",
    "must not surpass"): with an upper bound on the other side, the same limit."""
    verb = next((t for t in doc if t.idx >= cue[1] and t.pos_ == "VERB"), None) if doc is not None else None
    return verb is not None and verb.idx - cue[1] <= 12 and nlp.synonymous(verb.text, "VERB", "exceed", "VERB")


def _not_until(text: str, cue: tuple[int, int], other: str) -> bool:
    """"not ... until" said with "only" on the other side: "was not completed until 1880" ~
    "was only completed in 1880"."""
    return (
        _plain_not(text[cue[0] : cue[1]])
        and re.match(r"[^.;:!?]*?\b(?:until|till)\b", text[cue[1] :], re.IGNORECASE) is not None
        and re.search(r"\bonly\b", other, re.IGNORECASE) is not None
        and re.search(r"\b(?:until|till)\b", other, re.IGNORECASE) is None
    )


def _explains(explained: set[tuple[str, tuple[int, int]]], side: str, span: tuple[int, int] | None) -> bool:
    if span is None:
        return False
    explained.add((side, span))
    return True


def _same_pos(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"VERB", "AUX"}


def polarity_hits(a: PairAnalysis) -> list[Hit]:
    """Negation count changes, WordNet antonyms, gender changes."""
    hits: list[Hit] = []
    o_lem, c_lem = _content_lemmas(a.o_doc), _content_lemmas(a.c_doc)
    antonym_hits = []
    o_base = _base_forms(a.o_doc)  # an adverb as its adjective too: "easily" says "easy"
    # The original's word may stay elsewhere in the copy ("the highest ... its highest" ->
    # "the lowest ... its highest"): one fewer in the copy than in the original is enough.
    o_count, c_count = _lemma_counts(a.o_doc), _lemma_counts(a.c_doc)
    c_base = _base_forms(a.c_doc) - set(c_count)
    for lem, (s, e, pos) in c_lem.items():
        if lem in o_lem or lem in o_base:
            continue
        for said in _opposites_said(lem, pos, o_lem, c_lem):
            if o_count[said] <= c_count[said] + (said in c_base):
                continue  # (the original's word still said in the copy, maybe as its adverb: "easy" ~ "easily")
            os_, oe, _ = o_lem[said]
            if _negated(a.o_doc, os_) != _negated(a.c_doc, s):
                break  # the opposite, negated, says the same: "never" ~ "not ever", "not wide" ~ "narrow"
            if _particle(a.c_doc, s) or _particle(a.o_doc, os_):
                break  # "pay back", "set off": a verb's particle says no direction of its own
            if _after_how(a.o_doc, os_) or _after_how(a.c_doc, s):
                break  # "how old", "how long": a degree asked for, no property stated
            if _measured_by_noun(a.o_doc, os_) or _measured_by_noun(a.c_doc, s):
                break  # "waist-high" / "waist-deep": a depth or height given by a thing, no direction
            if _said_as_synonym(a, said, pos, os_, o_lem):
                break  # the original's word is in its place in the copy as a synonym ("rise" ~ "climb"): the opposite stands for another word
            if _renders_other(a.c_text[s:e], said, o_lem, c_lem):
                break  # the copy's word says another word of the original ("improved" ~ "got better"), not the opposite of this one
            antonym_hits.append(Hit("antonym", (os_, oe), (s, e), f"{a.o_text[os_:oe]!r} became its opposite {a.c_text[s:e]!r}", "critical"))
            break
    o_neg, c_neg = _neg_count(a.o_doc, a.o_text), _neg_count(a.c_doc, a.c_text)
    # A negated word said as its opposite keeps the polarity ("not long after" ~ "shortly after");
    # that antonym pair is then no antonym finding either ("failed" ~ "not managed").
    explained: set[tuple[str, tuple[int, int]]] = set()
    o_spent: set[int] = set()
    c_spent: set[int] = set()
    if len(o_neg) > len(c_neg):
        o_neg = [sp for sp in o_neg if not _said_otherwise(a.o_doc, a.o_text, sp, a.c_doc, a.c_text) and not _explains(explained, "o", _negation_paraphrased(a.o_doc, sp, a.c_doc, c_spent))]
    elif len(c_neg) > len(o_neg):
        c_neg = [sp for sp in c_neg if not _said_otherwise(a.c_doc, a.c_text, sp, a.o_doc, a.o_text) and not _explains(explained, "c", _negation_paraphrased(a.c_doc, sp, a.o_doc, o_spent))]
    antonym_hits = [h for h in antonym_hits if ("o", h.o) not in explained and ("c", h.c) not in explained]
    diff = len(c_neg) - len(o_neg)
    # The side with fewer cues may say "not" in a word: "failed to" ~ "did not", "without" ~ "lacking".
    implicit = _implicit_negatives(a.c_doc, c_spent) - _implicit_negatives(a.o_doc, o_spent)
    if diff * implicit < 0 and abs(implicit) >= abs(diff):
        diff = 0
    if diff and not (antonym_hits and abs(diff) % 2 == 1):
        if diff > 0:
            extra = [sp for sp in c_neg if a.c_text[sp[0] : sp[1]].casefold() not in a.o_text.casefold()] or c_neg
            hits.append(Hit("negation-added", None, extra[0], f"negation {a.c_text[extra[0][0]:extra[0][1]]!r} added", "critical"))
        else:
            missing = [sp for sp in o_neg if a.o_text[sp[0] : sp[1]].casefold() not in a.c_text.casefold()] or o_neg
            hits.append(Hit("negation-dropped", missing[0], None, f"negation {a.o_text[missing[0][0]:missing[0][1]]!r} dropped", "critical"))
    elif not diff:
        hits.extend(antonym_hits)
    o_words = [(m.group(0).casefold(), m.start(), m.end()) for m in re.finditer(r"\w+", a.o_text)]
    c_words = [(m.group(0).casefold(), m.start(), m.end()) for m in re.finditer(r"\w+", a.c_text)]
    for mine, other in ((MASCULINE, FEMININE), (FEMININE, MASCULINE)):
        # One gender's words became the other's: fewer of one and more of the other in the copy
        # (a sentence may speak of a man and a woman: counts, not presence, are compared).
        o_has = [w for w in o_words if w[0] in mine]
        c_other = [w for w in c_words if w[0] in other]
        if len(c_other) > sum(w[0] in other for w in o_words) and sum(w[0] in mine for w in c_words) < len(o_has):
            hits.append(Hit("gender", (o_has[0][1], o_has[0][2]), (c_other[0][1], c_other[0][2]), f"{o_has[0][0]!r} became {c_other[0][0]!r} (gender changed)", "critical"))
    return hits


def _roles(doc: Any) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(agents, patients) of the main verbs: subjects of transitive verbs and passive agents vs
    objects and passive subjects."""
    agents: dict[str, tuple[int, int]] = {}
    patients: dict[str, tuple[int, int]] = {}
    if doc is None:
        return agents, patients
    for t in doc:
        key = translit_key(t.text) if t.pos_ == "PROPN" else nlp.lemma(t.text, t.pos_)
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        span = (t.idx, t.idx + len(t.text))
        # The subject of a verb with no object acts on nothing ("the arguments played out"):
        # only the subject of a transitive verb, or a passive's agent, is an agent.
        transitive = t.dep_ == "nsubj" and any(c.dep_ == "dobj" for c in t.head.children)
        if transitive or (t.dep_ == "pobj" and t.head.dep_ == "agent"):
            agents.setdefault(key, span)
        elif t.dep_ in ("dobj", "nsubjpass"):
            patients.setdefault(key, span)
    return agents, patients


def role_hits(a: PairAnalysis) -> list[Hit]:
    oa, op = _roles(a.o_doc)
    ca, cp = _roles(a.c_doc)
    for x in oa:
        if x in cp and x not in ca:
            for y in op:
                if y in ca and y not in cp and y != x:
                    return [Hit("roles-swapped", oa[x], ca[y], f"who does what changed: {a.o_text[oa[x][0]:oa[x][1]]!r} and {a.o_text[op[y][0]:op[y][1]]!r} swapped roles", "critical")]
    return _receiver_acts(a)


_RECEIVING = frozenset("have get receive obtain gain enjoy".split())


def _receiver_acts(a: PairAnalysis) -> list[Hit]:
    """The one who receives an action in the original does it in the copy: "Ukraine will have
    NATO protection" (Ukraine is protected) -> "Ukraine would protect NATO". The original's
    subject of have / get / receive ... whose object is an action noun, the copy's subject of
    that action's verb (the noun begins with the verb: protection / protect, support / support),
    in the active voice."""
    if a.o_doc is None or a.c_doc is None:
        return []
    for t in a.o_doc:
        if t.pos_ not in ("VERB", "AUX") or nlp.lemma(t.text, "VERB") not in _RECEIVING:
            continue
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in t.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
        if subj is None or obj is None:
            continue
        action = nlp.lemma(obj.text, "NOUN")
        for v in a.c_doc:
            verb = nlp.lemma(v.text, "VERB")
            if v.pos_ != "VERB" or len(verb) < 4 or not action.startswith(verb) or any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
                continue
            doer = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if doer is not None and translit_key(doer.text) == translit_key(subj.text) and any(c.dep_ == "dobj" for c in v.children):
                o_span = (subj.idx, obj.idx + len(obj.text)) if obj.idx > subj.idx else (subj.idx, subj.idx + len(subj.text))
                return [Hit("roles-swapped", o_span, (doer.idx, v.idx + len(v.text)), f"who does what changed: {subj.text!r} is on the receiving end of {obj.text!r} in the original, the one who does it in the copy ({v.text!r})", "critical")]
    return []


def untranslated_hits(a: PairAnalysis, min_chars: int, english_share: float, name_like: float = 0.6) -> list[Hit]:
    """Copy words in a script the original does not use, or (English copies) unknown words not in the original."""
    o_scripts: dict[str, int] = {}
    for ch in a.o_text:
        if ch.isalpha():
            sc = script(ch)
            o_scripts[sc] = o_scripts.get(sc, 0) + 1
    hits: list[Hit] = []
    foreign = [m for m in re.finditer(r"[^\W\d_]+", a.c_text) if any(ch.isalpha() and script(ch) not in o_scripts for ch in m.group(0))]  # (not "km²")
    if sum(len(m.group(0)) for m in foreign) >= min_chars:
        s, e = foreign[0].start(), foreign[-1].end()
        hits.append(Hit("untranslated-script", None, (s, e), f"{a.c_text[s:e]!r} is in another script", "critical"))
        return hits
    if a.c_doc is None or not nlp.wordlist_available():
        return hits
    words = [t for t in a.c_doc if t.is_alpha]
    if not words:
        return hits
    known = [nlp.is_english_word(t.text, t.pos_) for t in words]
    if sum(known) / len(known) < english_share:
        return hits  # not an English copy: the word list says nothing about it
    o_fold = a.o_text.casefold()
    o_words = re.findall(r"[^\W\d_]+", o_fold)
    o_joined = {x + y for x, y in itertools.pairwise(o_words)}
    o_values = {n[0] for n in a.o_numbers}
    c_numbers = {(s, e): v for v, s, e in a.c_numbers}
    seen: set[str] = set()
    o_caps = {translit_key(t.text) for t in a.o_doc if t.text[:1].isupper()} if a.o_doc is not None else set()
    o_names = {translit_key(t.text) for t in a.o_doc if t.text[:1].isupper() and not nlp.ordinary_word(t.text)} if a.o_doc is not None else set()
    o_spellings = {_romanised_key(translit_key(w)) for w in o_words}
    for t, ok in zip(words, known, strict=False):
        if ok or t.text.casefold() in o_fold or t.text.casefold() in seen:
            continue
        if {_romanised_key(translit_key(t.text)), _romanised_key(translit_key(re.sub(r"e?s$", "", t.text)))} & o_spellings:
            continue  # the original's own foreign word, spelt another way or in the plural: "qvevri" / "kvevri", "krathongs"
        initial = t.i == 0 or t.is_sent_start
        if t.text[:1].isupper() and ((t.pos_ == "PROPN" or _spelt_like(t.text, o_names, name_like)) if initial else not _lone_capital(t, o_caps, name_like)):
            continue  # a name (one the original spells another way is judged by the name check)
        accented = any(not ch.isascii() for ch in t.text)
        prev = t.doc[t.i - 1] if t.i > 0 else None
        if prev is not None and prev.text == "-" and t.i >= 2 and t.doc[t.i - 2].text[:1].isupper() and not t.doc[t.i - 2].whitespace_:
            continue  # the lowercase half of a hyphenated name: "Mao Tse-tung"
        if not accented and (len(t.text) < 3 or nlp.edits1_known(t.text) or _misspells(t.text, o_words)):
            continue  # a typo of an English word or of the original's own word, not a foreign one
        if not accented and _compound(t.text.casefold(), o_joined):
            continue  # "tiebreak" for "tie break": English words written as one
        beside = [t.doc[i] for i in (t.i - 1, t.i + 1) if 0 <= i < len(t.doc)]
        if any(c_numbers.get((n.idx, n.idx + len(n.text))) in o_values for n in beside):
            continue  # the unit of a figure the original states, spelled out ("Nu 150" -> "150 ngultrums")
        seen.add(t.text.casefold())
        hits.append(Hit("untranslated-word", None, (t.idx, t.idx + len(t.text)), f"{t.text!r} is not English and not in the original", "critical"))
    return hits


def _misspells(word: str, o_words: Sequence[str]) -> bool:
    """One edit away from a word of the original: that word misspelt ("thier" / "their"), the
    original's own foreign word too ("thanakha" / "thanaka")."""
    w = word.casefold()
    return any(len(x) >= 3 and _one_edit(w, x) for x in o_words)


def _one_edit(a: str, b: str) -> bool:
    """One deletion, insertion, substitution or transposition turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


def _lone_capital(t: Any, o_caps: set[str], name_like: float) -> bool:
    """A capitalised word that reads as a common noun left in another language, not a name: alone
    among lowercase words ("won the Trophäe two weeks", "both Männer held") and spelt like none of
    the original's capitalised words (at ``name_like``, the name check's ``name_mangled``: a name
    the copy spells differently is judged as a name)."""
    doc = t.doc
    prev = doc[t.i - 1] if t.i > 0 else None
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if prev is None or not prev.is_alpha or prev.text[:1].isupper() or (nxt is not None and nxt.text[:1].isupper()) or t.text.isupper():
        return False  # (an acronym or a currency code: "CZK 2 million")
    if prev.text.casefold() in _GLOSS_JOINERS - {"the"} and t.i >= 2 and doc[t.i - 2].text[:1].isupper():
        return False  # the end of a longer name: "the Institute of Geophysics and Volcanology"
    return not _spelt_like(t.text, o_caps, name_like)


def _spelt_like(word: str, keys: set[str], name_like: float) -> bool:
    """The word's ``translit_key`` is at least ``name_like`` alike (difflib ratio) one of ``keys``."""
    key = translit_key(word)
    return any(SequenceMatcher(None, key, k).ratio() >= name_like for k in keys)


def _compound(word: str, joined_pairs: set[str], part_min: int = 4) -> bool:
    """True when ``word`` is two adjacent words of the original written as one, or splits into
    two English words of at least ``part_min`` letters each (a closed compound)."""
    if word in joined_pairs:
        return True
    return any(nlp.is_english_word(word[:i]) and nlp.is_english_word(word[i:]) for i in range(part_min, len(word) - part_min + 1))


def quote_hits(a: PairAnalysis, verbatim: float, source_min: float, syndicated: bool = False) -> list[Hit]:
    """Copy quotes against the pair's original quotes: unchanged, altered, or with no source.

    A syndicated copy (``PairAnalysis.syndicated``) must keep quotes verbatim, so
    any alteration is major; a translation must keep their meaning, so a reworded quote is
    minor unless another check finds a change of meaning inside it (see ``analyse``)."""
    hits: list[Hit] = []
    altered = "major" if syndicated else "minor"
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
                hits.append(Hit("quote-fabricated", None, (q.start, q.end), f"“{q.text}” is quoted in the copy but not in the original", "major"))
            continue
        if best_score >= verbatim:
            continue
        if best_score < source_min:
            hits.append(Hit("quote-fabricated", None, (q.start, q.end), f"“{q.text}” matches no quote of the original", "major"))
        else:
            hits.append(Hit("quote-altered", (best.start, best.end), (q.start, q.end), f"quote changed: “{best.text}” became “{q.text}”", altered))
    return hits


def _matched_words(a: Sequence[str], b: Sequence[str]) -> int:
    """Words of ``a`` found, in order, in ``b`` (difflib's matching blocks)."""
    return sum(bl.size for bl in SequenceMatcher(None, list(a), list(b), autojunk=False).get_matching_blocks())


def word_containment(part: Sequence[str], whole: Sequence[str]) -> float:
    """Share of ``part``'s words found, in order, in ``whole``."""
    return _matched_words(part, whole) / len(part) if part else 0.0


def word_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice overlap of two word sequences, order-aware through difflib's matching blocks."""
    if not a or not b:
        return 0.0
    return 2.0 * _matched_words(a, b) / (len(a) + len(b))


# Present tense in the third person singular vs the other persons ("has" / "have"): agreement
# with a subject the translator construed differently, not a change of tense or aspect.
_AGREEMENT = frozenset({"VBZ", "VBP"})
REPORTING_VERBS = frozenset("say write report tell add note state explain".split())
_MODAL_AUX = frozenset("will would shall should can could may might must do does did is are was were be been being has have had am".split())
# A contraction's parts spelt out ("hasn't" / "has not", "can't" / "cannot", "they're" / "they are"):
# spaCy splits both into the same words but for these forms. "'s" and "'d" stand for two words each.
_CONTRACTED = {"n't": ("not",), "n’t": ("not",), "ca": ("can",), "wo": ("will",), "sha": ("shall",), "'re": ("are",), "’re": ("are",), "'ve": ("have",), "’ve": ("have",),
               "'ll": ("will",), "’ll": ("will",), "'m": ("am",), "’m": ("am",), "'s": ("is", "has"), "’s": ("is", "has"), "'d": ("would", "had"), "’d": ("would", "had")}


def _spelt_out(o_toks: Sequence[Any], c_toks: Sequence[Any]) -> bool:
    """The two sides are the same words, one with a contraction the other spells out."""
    if len(o_toks) != len(c_toks) or not o_toks:
        return False
    for x, y in zip(o_toks, c_toks, strict=True):
        a, b = x.text.casefold(), y.text.casefold()
        if a != b and b not in _CONTRACTED.get(a, ()) and a not in _CONTRACTED.get(b, ()):
            return False
    return True


def _ellipsis_spelt_out(edit_toks: Sequence[Any], other_doc: Any) -> bool:
    """Words inserted (or dropped) that only repeat what a coordination leaves understood: an
    auxiliary the other side has in the first conjunct, with or without a personal pronoun for
    the first conjunct's subject ("are independent or associated" ~ "are independent or are
    associated", "the bridge is long and it has" ~ "the bridge is long and has"). The words serve
    a conjunct verb; a pronoun agrees in number with the first conjunct's subject; and on the
    other side that verb follows its "and" / "or" directly (no clause between that could have
    had a subject of its own)."""
    if not edit_toks or other_doc is None:
        return False
    other_words = {t.text.casefold() for t in other_doc}
    for t in edit_toks:
        if t.pos_ == "AUX" and t.dep_ in ("aux", "auxpass", "ROOT", "conj"):
            if t.text.casefold() not in other_words:
                return False
            verb = t.head if t.dep_ in ("aux", "auxpass") else t
        elif t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass") and t.text.casefold() in _PERSONAL:
            verb = t.head
            first = verb
            while first.dep_ == "conj" and first.head is not first:
                first = first.head  # up a chain of conjuncts to the one with the subject
            subjects = [c for c in first.children if c.dep_ in ("nsubj", "nsubjpass")] if first is not verb else []
            if not subjects or _PERSONAL[t.text.casefold()] != _plural(subjects[0]):
                return False
        else:
            return False
        if verb.dep_ != "conj" or not _follows_conjunction(other_doc, verb.text):
            return False
    return True


_PERSONAL = {"it": False, "he": False, "she": False, "they": True, "we": True}  # pronoun -> plural


def _plural(t: Any) -> bool:
    """A subject is plural: a plural noun, "they" / "we", coordinated nouns, or a quantity of a
    plural ("most of the islands")."""
    if t.tag_ in ("NNS", "NNPS") or t.text.casefold() in ("they", "we") or any(c.dep_ == "conj" for c in t.children):
        return True
    of = [c for c in t.children if c.dep_ == "prep" and c.text.casefold() == "of"] if t.pos_ not in ("NOUN", "PROPN") else []
    return any(g.dep_ == "pobj" and g.tag_ in ("NNS", "NNPS") for c in of for g in c.children)


def _follows_conjunction(doc: Any, verb: str) -> bool:
    """The word ``verb`` stands in ``doc`` right after "and" / "or" / "but", with at most adverbs
    and auxiliaries between."""
    for t in doc:
        if t.text == verb:
            k = t.i - 1
            while k >= 0 and doc[k].pos_ in ("ADV", "AUX", "PART"):
                k -= 1
            if k >= 0 and doc[k].pos_ == "CCONJ":
                return True
    return False


def _tokens_in(doc: Any, span: tuple[int, int]) -> list[Any]:
    if doc is None:
        return []
    s, e = span
    return [t for t in doc if t.idx < e and t.idx + len(t.text) > s]


def edit_hits(a: PairAnalysis, syndicated: bool) -> list[Hit]:
    """Judge each word-level edit: changed content, changed verb form, changed mood.

    In a near-verbatim pair (a syndicated copy, ``PairAnalysis.syndicated``) every changed
    content word is an editorial change of meaning and at least major; in a reworded pair the
    same edits are ordinary paraphrase and only feed the severity model (strength ``minor``).
    """
    hits: list[Hit] = []
    verbatim = syndicated
    o_end = a.o_text.rstrip()[-1:] if a.o_text.strip() else ""
    c_end = a.c_text.rstrip()[-1:] if a.c_text.strip() else ""
    if (c_end == "?") != (o_end == "?") and a.c_text.strip() and a.o_text.strip():
        hits.append(Hit("mood", None, (len(a.c_text.rstrip()) - 1, len(a.c_text.rstrip())), "a statement became a question" if c_end == "?" else "a question became a statement", "major"))
    c_lemmas = {nlp.lemma(t.text, t.pos_) for t in a.c_doc} if a.c_doc is not None else set()
    o_lemmas = {nlp.lemma(t.text, t.pos_) for t in a.o_doc} if a.o_doc is not None else set()
    dropped_words = [w.casefold() for e in a.wa.edits if e.kind != "insert" for w in re.findall(r"\w+", e.o_text)]
    for _k, e in enumerate(a.wa.edits):
        if e.trivial:
            continue
        o_toks = _tokens_in(a.o_doc, e.o_span) if e.kind != "insert" else []
        c_toks = _tokens_in(a.c_doc, e.c_span) if e.kind != "drop" else []
        if _spelt_out(o_toks, c_toks) or _ellipsis_spelt_out(o_toks if e.kind == "drop" else c_toks if e.kind == "insert" else [], a.c_doc if e.kind == "drop" else a.o_doc):
            continue
        # (the common era said or left unsaid, "the ninth century AD", changes no date; nor does
        # "the year" before one: "around 1500" ~ "around the year 1500")
        o_content = [t for t in o_toks if t.pos_ in CONTENT_POS and not _common_era(t) and not _year_label(t)]
        c_content = [t for t in c_toks if t.pos_ in CONTENT_POS and not _common_era(t) and not _year_label(t)]
        # Word order: an inserted word that was dropped nearby is a move, not new content.
        if e.kind == "insert" and all(w.casefold() in dropped_words for w in re.findall(r"\w+", e.c_text)):
            continue
        if e.kind == "drop":
            inserted = [w.casefold() for x in a.wa.edits if x.kind == "insert" for w in re.findall(r"\w+", x.c_text)]
            if all(w.casefold() in inserted for w in re.findall(r"\w+", e.o_text)):
                continue
        if e.kind == "substitute" and o_content and c_content and {_unit_name(t.text) for t in o_content} == {_unit_name(t.text) for t in c_content} != {""}:
            continue  # a unit by its symbol on one side and its name on the other ("3.50 m" / "3.50 metres")
        if e.kind == "substitute" and o_content and c_content and all(t.like_num or re.fullmatch(r"[\d.,:]+", t.text) for t in o_content + c_content) and len(o_toks) == len(o_content) and len(c_toks) == len(c_content):
            continue  # figures for figures: the number check judges them ("5" / "7" is one finding, not two)
        lost = [t for t in o_content if nlp.lemma(t.text, t.pos_) not in c_lemmas]
        # A dropped subject or object is content even when it is a pronoun.
        # (A pronoun put in another form, he -> him or it -> itself, is still there.)
        c_words = {w.casefold() for w in re.findall(r"\w+", a.c_text)}
        pronoun_kept = any(t.pos_ == "PRON" for t in c_toks)
        # A relative pronoun stands for its antecedent, which stays ("the system, which is made
        # up of" ~ "the system, made up of").
        lost += [t for t in o_toks if t.dep_ in ("nsubj", "nsubjpass", "dobj") and t not in lost and t.text.casefold() not in c_words
                 and not (t.pos_ == "PRON" and pronoun_kept) and not (t.tag_ in ("WDT", "WP") and t.head.dep_ == "relcl")]
        new = [t for t in c_content if nlp.lemma(t.text, t.pos_) not in o_lemmas]
        strength = "major" if verbatim else "minor"
        # Name parts dropped while the name itself stays ("President Anna Petrova" -> "Petrova"),
        # and an attribution added ("..., the paper writes") change no claim.
        if lost and not new and all(t.pos_ == "PROPN" for t in lost) and any(
            r.text.casefold() in a.c_text.casefold() for t in lost for r in _entity_of(a.o_doc, t.idx) if r not in lost
        ):
            strength = "minor"
        if new and not lost and any(t.pos_ == "VERB" and nlp.lemma(t.text, "VERB") in REPORTING_VERBS for t in c_toks):
            strength = "minor"
        if verbatim and lost and new and _synonym_swap(lost, new):
            # A WordNet synonym in place of the word (shared synset, or an adjective "similar to" it:
            # easy/simple, biggest/largest) is an independent translator's word choice, not a changed
            # claim; a hypernym (dog/animal) or another sense of the word shares no synset and stays major.
            strength = "minor"
        if len(o_toks) == 1 and len(c_toks) >= 1 and not lost and not new:
            # Same words in another form: a verb's tense or aspect matters, a part-of-speech shift does not.
            verbs = [t for t in o_toks + c_toks if t.pos_ in ("VERB", "AUX")]
            tags = {o_toks[0].tag_, c_toks[-1].tag_}
            # (the word itself in another form: a word moved away, "missing its side" ~ "with its side missing", is no tense)
            same_word = any(nlp.lemma(t.text, t.pos_) == nlp.lemma(o_toks[0].text, o_toks[0].pos_) for t in c_toks)
            if verbs and same_word and ((len(tags) > 1 and tags != _AGREEMENT) or len(c_toks) > 1):
                hits.append(Hit("verb-form", e.o_span, e.c_span, f"{e.o_text!r} became {e.c_text!r} (tense or aspect)", strength))
            continue
        if not lost and not new:
            if (not c_toks and _reduced_relative(o_toks)) or (not o_toks and _reduced_relative(c_toks)):
                continue  # "which is" dropped before a participle, or put in
            aux = [t for t in o_toks + c_toks if t.text.casefold() in _MODAL_AUX]
            if aux:
                hits.append(Hit("verb-form", e.o_span if e.kind != "insert" else None, e.c_span if e.kind != "drop" else None, f"{e.o_text or '∅'!r} became {e.c_text or '∅'!r} (tense, aspect or modality)", strength))
            continue
        if e.kind == "drop" or (lost and not new):
            hits.append(Hit("content-dropped", e.o_span, e.c_span if e.kind != "drop" else None, f"{e.o_text!r} dropped", strength))
        elif e.kind == "insert" or (new and not lost):
            hits.append(Hit("content-added", e.o_span if e.kind != "insert" else None, e.c_span, f"{e.c_text!r} added", strength))
        else:
            # Two or more words changed in a near-verbatim pair read as a close translation, not as a
            # copy edited in one place: each word choice alone is then minor (the severity model,
            # the checks of names, figures and opposites still read them). One changed word is an edit.
            several = verbatim and len([x for x in a.wa.edits if not x.trivial]) >= 2
            hits.append(Hit("content-changed", e.o_span, e.c_span, f"{e.o_text!r} became {e.c_text!r}", "minor" if several else strength))
    return hits


_UNIT_NAMES = {
    "m": "metre", "metre": "metre", "meter": "metre", "km": "kilometre", "kilometre": "kilometre", "kilometer": "kilometre",
    "cm": "centimetre", "centimetre": "centimetre", "centimeter": "centimetre", "mm": "millimetre", "millimetre": "millimetre", "millimeter": "millimetre",
    "kg": "kilogram", "kilogram": "kilogram", "kilo": "kilogram", "g": "gram", "gram": "gram", "gramme": "gram", "t": "tonne", "tonne": "tonne",
    "l": "litre", "litre": "litre", "liter": "litre", "ml": "millilitre", "millilitre": "millilitre", "milliliter": "millilitre",
    "ft": "foot", "foot": "foot", "feet": "foot", "in": "inch", "inch": "inch", "inches": "inch", "mi": "mile", "mile": "mile",
    "lb": "pound", "lbs": "pound", "oz": "ounce", "ounce": "ounce", "ha": "hectare", "hectare": "hectare",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "min": "minute", "mins": "minute", "minute": "minute", "sec": "second", "secs": "second",
    "mph": "miles per hour", "km/h": "kilometres per hour", "kph": "kilometres per hour",
}


def _unit_name(word: str) -> str:
    """The unit a word names, by symbol or by name in either spelling ("m", "metres", "meters"
    -> "metre"); '' for any other word. "in", "t", "g", "h", "l" only count as symbols when the
    other side names that unit: a symbol alone is read here, not guessed."""
    w = word.casefold().rstrip(".")
    return _UNIT_NAMES.get(w) or _UNIT_NAMES.get(w[:-1] if w.endswith("s") else w, "")


def _year_label(t: Any) -> bool:
    """"year" put before a year in figures ("the year 1500")."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    return t.text.casefold() == "year" and nxt is not None and re.fullmatch(r"\d{3,4}", nxt.text) is not None


def _common_era(t: Any) -> bool:
    """"AD" or "CE" (with or without dots) after a year or a century."""
    prev = t.doc[t.i - 1] if t.i > 0 else None
    return t.text.replace(".", "") in ("AD", "CE") and prev is not None and (prev.like_num or prev.text.casefold() in ("century", "centuries", "millennium"))


_ARTICLES = frozenset({"the", "a", "an"})


def orphan_articles(doc: Any) -> list[Any]:
    """Articles that introduce no noun phrase: followed by a verb, an auxiliary, a preposition or
    punctuation ("the is looking", "a of the crowd"), or read by the parser as a pronoun (it
    does so for an article left alone). A participle after an article is an adjective ("the
    existing borders") and fine."""
    out = []
    # quotation marks are transparent: 'a “battle order”' introduces its noun
    toks = [t for t in doc if not t.is_space and not t.is_quote] if doc is not None else []
    for k, t in enumerate(toks):
        if t.text.casefold() not in _ARTICLES:
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        # "a few days", "a dozen times": the parser hangs the article on its quantifier
        quantifier = t.dep_ == "quantmod" and nxt is not None and nxt.pos_ in ("ADJ", "NUM")
        if t.pos_ != "DET" or not (t.dep_ == "det" or quantifier) or nxt is None or (
            nxt.pos_ in ("VERB", "AUX", "ADP", "PUNCT", "CCONJ", "DET", "PRON", "SCONJ", "PART") and nxt.tag_ not in ("VBG", "VBN")
        ):
            out.append(t)
    return out


def _more_in_copy(a: PairAnalysis, find: Callable[[Any], list[Any]]) -> Any | None:
    """The copy's first token that ``find`` picks out, when it picks out more in the copy than in
    the original (a sign the original also shows is the text's style, not a lost word)."""
    if a.o_doc is None or a.c_doc is None:
        return None
    found = find(a.c_doc)
    return found[0] if len(found) > len(find(a.o_doc)) else None


def article_hits(a: PairAnalysis) -> list[Hit]:
    """The copy has an article with nothing to introduce where the original has none: the word
    after it was lost ("the team was looking" -> "the is looking"). Written English leaves no
    article alone, so this holds in a reworded pair as well."""
    t = _more_in_copy(a, orphan_articles)
    if t is None:
        return []
    after = a.c_text[t.idx : t.idx + len(t.text) + 12].split()
    shown = " ".join(after[:2]) if len(after) > 1 else t.text
    return [Hit("article-orphaned", None, (t.idx, t.idx + len(t.text)), f"a word is missing after {t.text!r} ({shown!r}...): what it introduced was dropped", "major")]


_MODALS = frozenset("can could may might will would shall should must".split())
_SUBJECT_PRONOUNS = frozenset("i you he she we they".split())
_FINITE_BE_HAVE = frozenset("is are was were has have".split())
_FLOATING = frozenset("not n't each all both".split())  # "could each veto", "will all go": a verb follows


def _plain(t: Any) -> bool:
    """A word the parser can be trusted to have tagged: letters (and hyphens, apostrophes) only,
    not two words glued by a typo ('make”he')."""
    return re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", t.text) is not None


def broken_clauses(doc: Any) -> list[Any]:
    """Tokens where a clause has lost its verb, in constructions written English does not have:
    a modal before a noun, determiner or preposition ("can proteins", "would also over"), a
    subject pronoun before a determiner or pronoun ("you someone"), a relative pronoun that heads
    its clause or hangs on a preposition ("a job that them from", "who by hunting"), a preposition
    before a modal ("is for could"), a sentence whose root is a function word, a statement that
    begins with a modal or "is", "was", "has" ("May have been the source"); and a subject
    that lost its noun: "a" and an adjective ("a presidential recommended"). (An object pronoun
    as subject, "him said", is more often a wrong case than a lost noun: not counted.)"""
    toks = [t for t in doc if not t.is_space] if doc is not None else []
    out = []
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        word = t.text.casefold()
        if t.is_sent_start and t.text[:1].isupper() and (t.tag_ == "MD" or word in _FINITE_BE_HAVE) and not t.sent.text.rstrip().endswith("?"):
            out.append(t)  # "May have been the source of ...": a statement that starts with its verb lost its subject
            continue
        if t.tag_ == "MD" and word in _MODALS:
            j = k + 1
            while j < len(toks) and toks[j].pos_ == "ADV" and toks[j].text.casefold() not in ("not", "n't"):
                j += 1
            compared = toks[j].pos_ == "ADP" and k >= 2 and toks[k - 1].pos_ in ("PRON", "NOUN", "PROPN") and toks[k - 2].text.casefold() in _COMPARED if j < len(toks) else False
            if j < len(toks) and toks[j].pos_ in ("NOUN", "DET", "ADP", "PROPN", "PRON", "ADJ", "NUM") and toks[j].text.casefold() not in _FLOATING and _plain(toks[j]) and not compared:
                out.append(t)  # (not the verb a comparison leaves understood: "as you would on asphalt")
        elif nxt is not None and word in _SUBJECT_PRONOUNS and t.dep_ == "nsubj" and nxt.pos_ in ("DET", "PRON") and _plain(nxt):
            out.append(t)
        elif t.tag_ in ("WDT", "WP") and (t.dep_ in ("relcl", "ROOT", "ccomp", "advcl") or (t.dep_ == "nsubj" and t.head.pos_ == "ADP")):
            out.append(t)
        elif (
            t.pos_ == "ADJ" and t.dep_ in ("nsubj", "nsubjpass") and word not in ("few", "little", "many")
            and any(c.dep_ == "det" and c.text.casefold() in ("a", "an") for c in t.children)
            and not any(c.dep_ == "prep" and c.text.casefold() == "of" for c in t.children)
        ):
            out.append(t)  # "a presidential recommended": the noun of the subject is gone ("a few of them" is whole)
        elif nxt is not None and t.pos_ == "ADP" and nxt.tag_ == "MD":
            out.append(t)
        elif t.dep_ == "ROOT" and t.pos_ in ("ADP", "DET", "CCONJ", "SCONJ", "PART"):
            out.append(t)
    return out


_COMPARED = frozenset({"as", "than", "way", "like"})  # "drive the way you would on asphalt": the verb is understood
_NO_CLAUSE_MARKS = frozenset({"as", "than", "if", "whether", "though"})  # "as was expected", "than is usual": inversion, no lost subject


def broken_phrases(doc: Any) -> list[Any]:
    """Tokens where a phrase has lost its noun, in constructions written English does not have:
    a preposition with no object before a conjunction and a noun ("the cities of and Santorini")
    or before closing punctuation ("millions of,"); a possessive "'s" with nothing before it to
    own ("the source of 's water") or followed by a verb ("when Brazil's are expected"); a clause's
    conjunction right before its verb ("because cannot be predicted", "so that could watch"; not
    "as", "than", "if", "whether", "though": "as was expected" is whole); a list that ends
    in "and." ("spinal cord, and."). (A sentence that begins with a comma, ", 53, took office", is
    not counted: a sentence split after an abbreviation in spaced-out text, "e.g. , APS", makes one.)"""
    toks = [t for t in doc if not t.is_space and not t.is_quote] if doc is not None else []
    out = []
    for k, t in enumerate(toks):
        prev = toks[k - 1] if k > 0 else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        after = toks[k + 2] if k + 2 < len(toks) else None
        objectless = t.pos_ == "ADP" and t.dep_ == "prep" and t.is_alpha and not any(c.dep_ in ("pobj", "pcomp") for c in t.children)
        if objectless and nxt is not None and nxt.pos_ == "CCONJ" and after is not None and after.pos_ in ("NOUN", "PROPN", "DET"):
            out.append(t)
        elif objectless and nxt is not None and nxt.text in (".", ",", ";", ":", ")") and t.head.pos_ in ("NOUN", "PROPN"):
            out.append(t)
        elif t.tag_ == "POS" and (prev is None or prev.pos_ in ("ADP", "DET", "PUNCT", "CCONJ", "SCONJ")):
            out.append(t)
        elif t.tag_ == "POS" and nxt is not None and nxt.pos_ in ("AUX", "VERB") and nxt.tag_ not in ("VBG", "VBN"):
            out.append(t)
        elif t.dep_ == "mark" and t.text.casefold() not in _NO_CLAUSE_MARKS and nxt is not None and nxt.tag_ in ("MD", "VBD", "VBZ", "VBP"):
            out.append(t)
        elif t.pos_ == "CCONJ" and prev is not None and prev.text == "," and nxt is not None and nxt.text in (".", ")"):
            out.append(t)  # a list that lost its last item: "the brain, spinal cord, and."
    return out


def broken_phrase_hits(a: PairAnalysis) -> list[Hit]:
    """The copy has a phrase that lost its noun (``broken_phrases``) where the original has none:
    what it named is no longer said, in a reworded pair as well."""
    t = _more_in_copy(a, broken_phrases)
    if t is None:
        return []
    near = t.doc[max(0, t.i - 1) : t.i + 3]  # the word before and two after: "cities of and Santorini"
    shown = a.c_text[near.start_char : near.end_char]
    return [Hit("phrase-broken", None, (t.idx, t.idx + len(t.text)), f"a word is missing near {shown!r}: what the phrase named was dropped", "major")]


def broken_clause_hits(a: PairAnalysis) -> list[Hit]:
    """The copy has a clause that lost its verb or its subject's noun (``broken_clauses``) where
    the original has none: what was done, or by whom, is no longer said, in a reworded pair as well."""
    t = _more_in_copy(a, broken_clauses)
    if t is None:
        return []
    if t.dep_ == "ROOT" and a.o_doc is not None and not any(x.pos_ in ("VERB", "AUX") for x in a.o_doc):
        return []  # the parser found no verb in the original either ("shuffle" read as a noun): a misreading, not a lost verb
    shown = " ".join(a.c_text[t.idx : t.idx + len(t.text) + 14].split()[:2])
    return [Hit("clause-broken", None, (t.idx, t.idx + len(t.text)), f"a word is missing at {shown!r}...: the clause no longer says what was done or by whom", "major")]


def _reduced_relative(toks: Sequence[Any]) -> bool:
    """The words are a relative pronoun and the auxiliary of its clause ("which is", "who were"):
    dropping them leaves the same clause reduced ("the system, made up of")."""
    pron = [t for t in toks if t.tag_ in ("WDT", "WP") and t.head.dep_ == "relcl"]
    return bool(pron) and all(t in pron or (t.dep_ in ("aux", "auxpass") and t.head == pron[0].head) for t in toks if t.is_alpha)


def subject_hits(a: PairAnalysis) -> list[Hit]:
    """The copy's main verb has no subject where the original's has one: who acts is lost
    ("He said the talks failed" -> "Said the talks failed"), in a reworded pair as well."""
    if a.o_doc is None or a.c_doc is None:
        return []
    root = next((t for t in a.c_doc if t.dep_ == "ROOT"), None)
    o_root = next((t for t in a.o_doc if t.dep_ == "ROOT"), None)
    if o_root is not None and o_root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in o_root.children):
        return []  # the original is an instruction ("check the website"): it has no subject to lose
    # A noun, pronoun or clause before the subjectless root may be its subject misread by the
    # small parser ("Moving the bow ... produces" with "Moving" as an adverbial clause).
    if root is not None and any(c.i < root.i and c.pos_ in ("NOUN", "PROPN", "PRON", "VERB", "AUX") for c in root.children):
        return []
    if grammar_flags(a.c_doc)["no_subject"] and not grammar_flags(a.o_doc)["no_subject"]:
        span = (root.idx, root.idx + len(root.text)) if root is not None else None
        return [Hit("subject-dropped", None, span, "the main verb has lost its subject (who acts is no longer said)", "major")]
    return []


def order_hits(a: PairAnalysis, scrambled: float, min_shared: int = 8, local_kept: float = 0.5) -> list[Hit]:
    """Scrambled order: most of the copy's words come from the original, few of its word pairs do,
    and they share at least ``min_shared`` words (a short sentence put in the passive, "195
    countries signed it" / "it was signed by 195 countries", keeps few bigrams honestly), and
    fewer than ``local_kept`` of its neighbouring shared words keep their order (``local_order``)."""
    ratio = order_ratio(a)
    cw = [t.key for t in a.wa.copy if t.is_word]
    shared = len(set(cw) & {t.key for t in a.wa.original if t.is_word})
    if 1.0 - ratio >= scrambled and shared >= 0.5 * len(set(cw)) and shared >= min_shared and local_order(a) < local_kept:
        return [Hit("word-order", (0, len(a.o_text)), (0, len(a.c_text)), "the words are the original's but their order is scrambled", "critical")]
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


def grammar_flags(doc: Any) -> dict[str, float]:
    """Cheap signs that a sentence lost a word: no verb, a verb with no subject, a dangling determiner."""
    if doc is None or len(doc) == 0:
        return {"no_verb": 0.0, "no_subject": 0.0, "dangling": 0.0}
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    no_subj = any(r.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass") for c in r.children) and r.tag_ not in ("VB",) for r in roots)
    dangling = 0
    toks = [t for t in doc if not t.is_space]
    for t, nxt in itertools.pairwise(toks):
        if t.pos_ == "DET" and t.dep_ == "det" and nxt.pos_ in ("ADP", "PUNCT", "CCONJ", "VERB", "AUX", "DET"):
            dangling += 1
        if t.pos_ == "ADP" and nxt.pos_ in ("PUNCT", "ADP", "CCONJ") and t.dep_ == "prep":
            dangling += 1
    return {"no_verb": 0.0 if has_verb else 1.0, "no_subject": 1.0 if no_subj else 0.0, "dangling": float(dangling)}


# --------------------------------------------------------------------------- systematic


@dataclass
class Systematic:
    """One substitution repeated across pairs: the original word's stem -> the copy word's stem."""

    o_stem: str
    c_stem: str
    occurrences: list[tuple[PairAnalysis, tuple[int, int], tuple[int, int]]]


def _stem(word: str) -> str:
    from nltk.stem.porter import PorterStemmer

    global _STEMMER
    if _STEMMER is None:
        _STEMMER = PorterStemmer()
    return str(_STEMMER.stem(word.casefold()))


_STEMMER: Any = None


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
            o_toks = [t for t in _tokens_in(a.o_doc, e.o_span) if t.pos_ in ("NOUN", "VERB", "ADJ")]
            c_toks = [t for t in _tokens_in(a.c_doc, e.c_span) if t.pos_ in ("NOUN", "VERB", "ADJ")]
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


def _synonym_swap(lost: Sequence[Any], new: Sequence[Any]) -> bool:
    """Every content word lost has a WordNet synonym among the new ones, and the other way round;
    a name and the adjective WordNet says pertains to it count as one ("the Moon's" / "lunar")."""

    def same(o: Any, c: Any) -> bool:
        return nlp.synonymous(o.text, o.pos_, c.text, c.pos_) or _pertains(o.text, c.text) or (_naming(o) and _naming(c))

    return all(any(same(o, c) for c in new) for o in lost) and all(any(same(o, c) for o in lost) for c in new)


_NAMING = frozenset({"call", "name", "dub", "term"})


def _naming(t: Any) -> bool:
    """A verb that introduces what something is called: "called", "named", "known as", "referred to as"."""
    lem = nlp.lemma(t.text, "VERB")
    nxt = t.doc[t.i + 1].text.casefold() if t.i + 1 < len(t.doc) else ""
    after = t.doc[t.i + 2].text.casefold() if t.i + 2 < len(t.doc) else ""
    return t.pos_ == "VERB" and (lem in _NAMING or (lem == "know" and nxt == "as") or (lem == "refer" and nxt == "to" and after == "as"))


def in_systematic(a: PairAnalysis, h: Hit, groups: Sequence[Systematic]) -> bool:
    """True when the hit's original span is one occurrence of a systematic substitution."""
    if h.o is None:
        return False
    for g in groups:
        for pa, o_span, _ in g.occurrences:
            if pa is a and h.o[0] <= o_span[0] and o_span[1] <= h.o[1]:
                return True
    return False
