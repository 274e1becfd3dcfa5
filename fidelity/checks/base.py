"""The interface every check implements, and the registry that names them.

A check reads the whole comparison (``CheckContext``) and yields ``Finding`` objects.
Checks are registered by rule id so ``--select``/``--ignore``, the config file and
``fidelity rules`` can name them (ruff's and Vale's habit).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fidelity.embed import Embedder, Vectors
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


class Check(ABC):
    rule: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]  # default severity; a check may raise or lower it per finding
    summary: ClassVar[str]  # one line: what it checks
    example: ClassVar[str] = ""  # original -> copy example for `fidelity rules RULE`

    @abstractmethod
    def run(self, ctx: CheckContext) -> Iterable[Finding]: ...


REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    REGISTRY[cls.rule] = cls
    return cls


def selected(select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> list[type[Check]]:
    """Checks whose rule id or category is in ``select`` (all if None) and not in ``ignore``."""
    from fidelity.errors import ConfigError

    names = set(REGISTRY) | {c.value for c in Category}
    for item in [*(select or []), *(ignore or [])]:
        if item not in names:
            raise ConfigError(f"unknown rule or category {item!r}; choose from: {', '.join(sorted(names))}")

    def hit(cls: type[Check], items: Sequence[str]) -> bool:
        return cls.rule in items or cls.category.value in items

    return [c for c in REGISTRY.values() if (select is None or hit(c, select)) and not (ignore and hit(c, ignore))]
