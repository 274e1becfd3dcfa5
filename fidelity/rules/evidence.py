"""The evidence a pair yields, shared by every rule of the flag stage.

A leaf module: types only, no detector and no rule imports it back. ``HitKind`` names each piece
of evidence a detector can find, ``Hit`` is one found inside a pair, ``PairAnalysis`` holds all a
pair yields, and ``Evidence`` is what the shared pass (``fidelity.rules.analysis``) returns for a
whole comparison, handed to every rule and returned to the pipeline.

Offsets: ``PairAnalysis.o_text``/``c_text`` join the pair's sentences with one space;
``o_doc_span``/``c_doc_span`` turn a local character range into a ``Span`` of ``Document.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from fidelity.thresholds import Thresholds
from fidelity.types import Pair, Sentence, Severity, Span
from fidelity.wordalign import WordAlignment

if TYPE_CHECKING:
    from spacy.tokens import Doc

Figure = tuple[float, int, int]  # a number's value and its local character range (start, end)


class HitKind(StrEnum):
    """Every kind of evidence a detector finds inside a pair. A rule shows some kinds as findings;
    the severity model counts most of them as features (``feature``)."""

    NUMBER_CHANGED = "number-changed"
    NUMBER_DROPPED = "number-dropped"
    NUMBER_ADDED = "number-added"
    BOUND_FLIPPED = "bound-flipped"
    NAME_REMOVED = "name-removed"
    NAME_REPLACED = "name-replaced"
    NAME_MANGLED = "name-mangled"
    NAME_ADDED = "name-added"
    NAME_VARIANT = "name-variant"
    NEGATION_ADDED = "negation-added"
    NEGATION_DROPPED = "negation-dropped"
    COMPLEMENT_FLIPPED = "complement-flipped"
    ANTONYM = "antonym"
    GENDER = "gender"
    ROLES_SWAPPED = "roles-swapped"
    UNTRANSLATED_SCRIPT = "untranslated-script"
    UNTRANSLATED_WORD = "untranslated-word"
    QUOTE_ALTERED = "quote-altered"
    QUOTE_FABRICATED = "quote-fabricated"
    MOOD = "mood"
    VERB_FORM = "verb-form"
    WORD_ORDER = "word-order"
    CONTENT_DROPPED = "content-dropped"
    CONTENT_ADDED = "content-added"
    CONTENT_CHANGED = "content-changed"
    SUBJECT_DROPPED = "subject-dropped"
    ARTICLE_ORPHANED = "article-orphaned"
    CLAUSE_BROKEN = "clause-broken"
    PHRASE_BROKEN = "phrase-broken"

    @property
    def feature(self) -> str | None:
        """The severity model's feature that counts this kind (``fidelity.severity.FEATURES``), if any."""
        return _FEATURE.get(self)


_FEATURE: dict[HitKind, str] = {
    HitKind.NUMBER_CHANGED: "number", HitKind.NUMBER_DROPPED: "number", HitKind.NUMBER_ADDED: "number",
    HitKind.NAME_REMOVED: "name", HitKind.NAME_REPLACED: "name", HitKind.NAME_MANGLED: "name", HitKind.NAME_ADDED: "name",
    HitKind.NEGATION_ADDED: "negation", HitKind.NEGATION_DROPPED: "negation", HitKind.ANTONYM: "antonym", HitKind.GENDER: "gender",
    HitKind.ROLES_SWAPPED: "roles", HitKind.UNTRANSLATED_SCRIPT: "untranslated", HitKind.UNTRANSLATED_WORD: "untranslated",
    HitKind.QUOTE_ALTERED: "quote", HitKind.QUOTE_FABRICATED: "quote", HitKind.MOOD: "mood", HitKind.VERB_FORM: "verb_form",
    HitKind.WORD_ORDER: "order_hit", HitKind.CONTENT_DROPPED: "content_dropped", HitKind.CONTENT_ADDED: "content_added",
    HitKind.CONTENT_CHANGED: "content_changed",
}  # fmt: skip


@dataclass(frozen=True)
class Hit:
    """One piece of evidence inside a pair: its kind, where on each side (local ranges, None when
    that side has nothing), a short description for the message, and how grave the detector
    judges it (a rule may show only hits at or above some strength)."""

    kind: HitKind
    o: tuple[int, int] | None
    c: tuple[int, int] | None
    detail: str
    strength: Severity = Severity.MAJOR
    words: int = 1  # how many words of a name it stands for (``names._one_per_name`` joins them): the severity model counts them

    def __post_init__(self) -> None:
        # a plain string would compare as text ("minor" > "major"), not by severity
        if not isinstance(self.kind, HitKind) or not isinstance(self.strength, Severity):
            raise TypeError(f"Hit needs a HitKind and a Severity, got {self.kind!r} and {self.strength!r}")


@dataclass(frozen=True)
class Quote:
    start: int  # local offset of the quoted text (inside the marks)
    end: int
    text: str


@dataclass
class PairAnalysis:
    """All an aligned pair yields. Built and completed by the shared pass
    (``fidelity.rules.analysis.analyse``); read-only once that pass returns it."""

    pair: Pair
    o_sents: list[Sentence]
    c_sents: list[Sentence]
    o_text: str
    c_text: str
    wa: WordAlignment
    o_doc: Doc | None = None  # spaCy parse of o_text (pairs whose words differ only)
    c_doc: Doc | None = None
    o_numbers: list[Figure] = field(default_factory=list)
    c_numbers: list[Figure] = field(default_factory=list)
    o_quotes: list[Quote] = field(default_factory=list)
    c_quotes: list[Quote] = field(default_factory=list)
    recovery: dict[int, float] = field(default_factory=dict)  # edit index -> similarity recovered
    edit_recovery: dict[int, float] = field(default_factory=dict)  # ... of the drift-edit candidates (``Thresholds.edit_findings``)
    hits: list[Hit] = field(default_factory=list)  # every piece of evidence, all detectors
    features: dict[str, float] = field(default_factory=dict)  # the severity model's features (``drift.features``)
    in_edited_copy: bool = False  # the document is an edited copy of the original (``Thresholds.edited_copy``)

    @property
    def verbatim(self) -> float:
        return self.wa.verbatim

    def syndicated(self, th: Thresholds) -> bool:
        """A near-verbatim pair, copied and edited rather than reworded: its word diff is exact, so
        the edit checks judge every change. Most of the words kept (``verbatim_pair``), or the
        copy differs in one place only (``verbatim_single_edit``): an edit made on purpose there; in
        an edited copy (``in_edited_copy``), any pair that differs in at most ``edited_copy_edits`` places."""
        return near_verbatim(self.wa, th, self.in_edited_copy)

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


@dataclass
class Systematic:
    """One substitution repeated across pairs: the original word's stem -> the copy word's stem."""

    o_stem: str
    c_stem: str
    occurrences: list[tuple[PairAnalysis, tuple[int, int], tuple[int, int]]]


@dataclass(frozen=True)
class Evidence:
    """What the shared pass found in one comparison: every analysed pair (both sides present, in
    pair order) and the substitutions repeated across pairs. Empty when no selected rule reads it."""

    pairs: tuple[PairAnalysis, ...] = ()
    systematic: tuple[Systematic, ...] = ()


def near_verbatim(wa: WordAlignment, th: Thresholds, edited_copy: bool = False) -> bool:
    """Whether a pair with word alignment ``wa`` is the original's sentence edited rather than
    reworded (``PairAnalysis.syndicated``; ``edited_copy``: its document is an edited copy,
    ``edited_copy``)."""
    if wa.verbatim >= th.verbatim_pair:
        return True
    if edited_copy and 0 < len(wa.meaningful()) <= th.edited_copy_edits:
        return True
    return wa.verbatim >= th.verbatim_single_edit and len(wa.meaningful()) == 1


def edited_copy(alignments: Sequence[WordAlignment], th: Thresholds) -> bool:
    """Whether a document whose aligned pairs have these word alignments is an edited copy of
    the original: enough of them unchanged but for trivial edits (``Thresholds.edited_copy``)."""
    return th.edited_copy(sum(1 for wa in alignments if not wa.meaningful()), len(alignments))
