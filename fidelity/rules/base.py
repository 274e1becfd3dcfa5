"""The interface every rule implements.

A rule reads the whole comparison (``CheckContext``) and the evidence of the shared pass
(``Evidence``, empty unless the rule sets ``needs_evidence``) and yields ``Finding`` objects.
Its class docstring explains it in ruff's form (what it does, why it matters, an example):
``fidelity rules RULE`` prints it.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from fidelity.embed import Embedder, Vectors
from fidelity.rules.evidence import Evidence, Hit, HitKind, PairAnalysis
from fidelity.thresholds import Thresholds
from fidelity.types import Alignment, Category, Document, Finding, GlossaryTerm, Pair, Sentence, Severity


@dataclass(frozen=True)
class CheckContext:
    original: Document
    copy: Document
    original_sentences: Sequence[Sentence]
    copy_sentences: Sequence[Sentence]
    alignment: Alignment
    pairs: Sequence[Pair]  # scored, findings not yet attached
    emb_original: Vectors  # (n_original, d)
    emb_copy: Vectors  # (n_copy, d)
    embedder: Embedder
    thresholds: Thresholds
    glossary: Sequence[GlossaryTerm] = ()
    languages: tuple[str, str] = ("en", "en")  # (original, copy) ISO codes, as resolved (pipeline.resolve)

    @property
    def readable(self) -> frozenset[Reads]:
        """What the rules may read for these languages (``Reads``)."""
        return readable(self.languages)


class Reads(StrEnum):
    """What a rule reads, and so for which pairs of languages it means anything."""

    ALIGNMENT = "alignment"  # which sentences pair with which: any two languages
    TEXT = "text"  # characters, digits, quotation marks, word order: one language, any
    ENGLISH = "english"  # English word lists, spaCy's English parses, models fitted on English: two English texts
    ACROSS = "across"  # what reads alike in any two languages (figures in digits, which language a
    #                    sentence is in): two texts in two languages (within one language, rules that read the text see more)

    @property
    def pairs(self) -> str:
        """The pairs of texts a rule that reads this runs on, in words (``fidelity rules``)."""
        return {"alignment": "any two texts, also in two languages", "text": "two texts in one language, any",
                "english": "two English texts", "across": "two texts in two languages"}[self.value]  # fmt: skip


def readable(languages: tuple[str, str]) -> frozenset[Reads]:
    """The ``Reads`` that make sense for a pair in ``languages`` (original, copy)."""
    lang_o, lang_c = (x.casefold() for x in languages)
    if lang_o != lang_c:
        return frozenset({Reads.ALIGNMENT, Reads.ACROSS})
    if lang_o not in ("en", "english"):
        return frozenset({Reads.ALIGNMENT, Reads.TEXT})
    return frozenset({Reads.ALIGNMENT, Reads.TEXT, Reads.ENGLISH})


class Rule(ABC):
    """A rule: its id, category and default severity, and how it finds its findings."""

    rule: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]  # default severity; a rule may raise or lower it per finding
    summary: ClassVar[str]  # one line: what it checks
    example: ClassVar[str] = ""  # original -> copy example, one line
    needs_evidence: ClassVar[bool] = False  # reads the shared pass's evidence (word diff, parses, hits)
    reads: ClassVar[Reads] = Reads.ENGLISH  # which pairs of languages it means anything for (most read English)
    # its finding says specifically what a word or phrase became, so it also explains the findings
    # inside its copy span (``explained_once``); False for findings about whole sentences (added,
    # moved, scrambled) and for the catch-all rules (wording, drift: "this changed", not what it is)
    explains_words: ClassVar[bool] = True
    # its finding names a word or phrase inside one sentence pair, so its spans may grow to the
    # word-diff edit that word lies in (``pointed_at_edits``); False for quotes (the quotation is
    # the unit), whole sentences and rules that already point at an edit (drift)
    points_at_edit: ClassVar[bool] = False

    @abstractmethod
    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]: ...

    @classmethod
    def explanation(cls) -> str:
        """The class docstring: what it does / why it matters / example."""
        return inspect.cleandoc(cls.__doc__ or cls.summary)


Check = Rule  # the former name, kept for one release


def finding_from_hit(rule: str, category: Category, a: PairAnalysis, h: Hit, severity: Severity | None = None) -> Finding:
    return Finding(
        rule,
        category,
        severity or h.strength,
        h.detail,
        a.o_doc_span(*h.o) if h.o else None,
        a.c_doc_span(*h.c) if h.c else None,
        a.pair.index,
    )


class HitRule(Rule):
    """A rule that shows the hits of some kinds, one finding per hit at or above ``min_strength``."""

    kinds: ClassVar[frozenset[HitKind]]
    min_strength: ClassVar[Severity] = Severity.MINOR
    needs_evidence = True
    points_at_edit = True

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        for a in evidence.pairs:
            for h in a.hits:
                if h.kind in self.kinds and h.strength >= self.min_strength:
                    yield finding_from_hit(self.rule, self.category, a, h)
