"""The data handed between pipeline stages: frozen dataclasses, no I/O.

    extract -> Document -> segment -> list[Sentence] -> embed -> (n, d) arrays
    -> align -> Alignment -> score -> Pair -> flag -> Finding -> Report

Character offsets (``start``/``end``) always index ``Document.text`` of the side they
belong to, so every span can be shown in place and turned into a line and column.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    """MQM severity levels, ordered: ``Severity.MINOR < Severity.CRITICAL``."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class Category(StrEnum):
    """Finding categories; MQM names where MQM has one."""

    MISTRANSLATION = "mistranslation"
    OMISSION = "omission"
    ADDITION = "addition"
    UNTRANSLATED = "untranslated"
    NAMED_ENTITY = "named-entity"
    NUMBER = "number"
    NEGATION = "negation"
    QUOTE_ALTERED = "quote-altered"
    QUOTE_FABRICATED = "quote-fabricated"
    MOVED = "moved"
    TERMINOLOGY = "terminology"  # a protected glossary term changed (MQM terminology)


class Verdict(StrEnum):
    IDENTICAL = "identical"
    FAITHFUL = "faithful"
    EDITED = "edited"
    DISTORTED = "distorted"
    NOT_A_COPY = "not-a-copy"


PairKind = Literal["match", "omission", "addition", "moved"]
Side = Literal["original", "copy"]


@dataclass(frozen=True)
class Document:
    """Extracted text of one side.

    ``text`` is what the reader sees (decoded, NFC, newlines as ``\\n``); ``content``
    lists the character ranges that are article text. Everything outside them is
    page furniture (menus, share counters, related links) set aside by ``extract``.
    """

    name: str
    text: str
    content: tuple[tuple[int, int], ...]
    format: Literal["text", "html", "lines"] = "text"
    encoding: str = "utf-8"
    boilerplate_lines: int = 0

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset in ``text``."""
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, col


@dataclass(frozen=True)
class Sentence:
    """One segment: a sentence, or a heading line of its own."""

    index: int
    start: int
    end: int
    text: str  # as displayed: Document.text[start:end]
    norm: str  # for comparison: typographic quotes/dashes folded, spaces collapsed
    paragraph: int
    heading: bool = False


@dataclass(frozen=True)
class Span:
    """A character range in one document, with its text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Group:
    """One alignment group: original sentence indices to copy sentence indices.

    ``kind`` is ``match`` (both sides present, in order), ``omission`` (original only),
    ``addition`` (copy only) or ``moved`` (both sides present, but the copy has the
    passage at another place).
    """

    original: tuple[int, ...]
    copy: tuple[int, ...]
    kind: PairKind
    score: float = 0.0  # the aligner's similarity for the group, 0 for 1-sided groups


@dataclass(frozen=True)
class Alignment:
    """Groups in reading order (original order, additions where the copy has them)."""

    groups: tuple[Group, ...]
    settings: str  # signature fragment describing the aligner and its parameters


@dataclass(frozen=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str
    original_span: Span | None = None
    copy_span: Span | None = None
    pair: int | None = None  # index into Report.pairs; None for document-level findings
    occurrences: tuple[tuple[Span | None, Span | None], ...] = ()  # systematic findings

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line shifts: rule plus normalised span texts."""
        parts = [self.rule]
        for span in (self.original_span, self.copy_span):
            parts.append(_fold(span.text) if span else "")
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class GlossaryTerm:
    """A protected term: wherever the original has ``term``, the copy must have it or a variant."""

    term: str
    variants: tuple[str, ...] = ()
    case_sensitive: bool = False


@dataclass(frozen=True)
class Pair:
    """An aligned group with its texts, scores and findings."""

    index: int
    kind: PairKind
    original: tuple[int, ...]
    copy: tuple[int, ...]
    original_text: str
    copy_text: str
    similarity: float | None
    chrf: float | None
    drift: float | None
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class DocumentSummary:
    name: str
    format: str
    encoding: str
    sentences: int
    boilerplate_lines: int
    coverage: float  # share of this side's sentences aligned to the other side


@dataclass(frozen=True)
class Report:
    original: DocumentSummary
    copy: DocumentSummary
    pairs: tuple[Pair, ...]
    findings: tuple[Finding, ...]  # all findings, pair-level and document-level
    score: float  # 0..100
    verdict: Verdict
    signature: str
    original_doc: Document = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    copy_doc: Document = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @property
    def languages(self) -> tuple[str, str]:
        """(original, copy) language codes, from the signature's ``lang:de>fr`` (or ``lang:en``);
        ``("", "")`` for a signature without one."""
        part = next((p[5:] for p in self.signature.split("|") if p.startswith("lang:")), "")
        first, _, second = part.partition(">")
        return (first, second or first)

    @property
    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts
