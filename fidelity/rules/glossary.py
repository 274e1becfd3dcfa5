"""The glossary check: protected terms (names, fixed phrases, product names) kept in the copy.

In: ``ctx.glossary`` (``GlossaryTerm`` objects from the config) and the aligned pairs. Out: a
finding for every aligned pair whose original sentences contain a protected term more often
than its copy sentences contain the term or one of its accepted variants. Omitted sentences
are left to the omission check (the term went with its sentence), and so are pairs below
``Thresholds.counterpart`` (no counterpart to hold the term). Terms match whole words;
typographic quotes, dashes and runs of spaces match their plain forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from fidelity.rules.base import CheckContext, Reads, Rule
from fidelity.rules.evidence import Evidence
from fidelity.types import Category, Finding, GlossaryTerm, Sentence, Severity, Span

_EQUIVALENT = {
    "'": "['‘’`´]", "‘": "['‘’`´]", "’": "['‘’`´]",
    '"': "[\"“”„«»]", "“": "[\"“”„«»]", "”": "[\"“”„«»]",
    "-": "[-‐‑–—]", "–": "[-‐‑–—]", "—": "[-‐‑–—]",
}  # fmt: skip


@lru_cache(maxsize=1024)
def term_pattern(terms: tuple[str, ...], case_sensitive: bool) -> re.Pattern[str]:
    """One regex matching any of ``terms`` as whole words, longest first so a variant that
    extends the term is counted once."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        body = "".join(r"\s+" if ch.isspace() else _EQUIVALENT.get(ch, re.escape(ch)) for ch in re.sub(r"\s+", " ", term.strip()))
        parts.append(body)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def _joined(sentences: Sequence[Sentence], indices: Sequence[int]) -> str:
    return " ".join(sentences[i].text for i in indices)


def _span(sentences: Sequence[Sentence], indices: Sequence[int]) -> Span | None:
    if not indices:
        return None
    first, last = sentences[indices[0]], sentences[indices[-1]]
    return Span(first.start, last.end, _joined(sentences, indices))


class Glossary(Rule):
    """What it does: for every aligned pair, counts each protected term of the configured glossary
    (``[[glossary]]`` in fidelity.toml, with accepted variants) in the original's sentences and
    in the copy's, whole words, typographic quotes and dashes matching their plain forms; fewer
    in the copy is a finding. Omitted sentences are left to the omission rule.

    Why it matters: names of institutions, products and fixed legal phrases must be rendered the
    one agreed way; a paraphrase of them is a different thing.

    Example: "The Court of Appeal ruled" -> "The appeals tribunal ruled" (major).
    """

    rule = "glossary"
    reads = Reads.ALIGNMENT
    category = Category.TERMINOLOGY
    severity = Severity.MAJOR
    summary = "A protected glossary term of the original is missing or changed in the copy."
    example = (
        'glossary: "Court of Appeal"\n'
        "original: The Court of Appeal ruled on Monday.\n"
        "copy:     The appeals tribunal ruled on Monday.\n"
        '-> glossary: protected term "Court of Appeal" is not in the copy'
    )

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        for term in ctx.glossary:
            yield from self._term(ctx, term)

    def _term(self, ctx: CheckContext, term: GlossaryTerm) -> Iterable[Finding]:
        wanted = term_pattern((term.term,), term.case_sensitive)
        accepted = term_pattern((term.term, *term.variants), term.case_sensitive)
        for pair in ctx.pairs:
            if not pair.original or not pair.copy:
                continue  # omitted sentence: the omission check reports it
            if pair.similarity is not None and not ctx.thresholds.counterpart(pair.similarity, pair.chrf):
                continue  # not a real counterpart: the term's absence says nothing
            hits = [(i, m) for i in pair.original for m in wanted.finditer(ctx.original_sentences[i].text)]
            if not hits:
                continue
            kept = len(accepted.findall(_joined(ctx.copy_sentences, pair.copy)))
            if kept >= len(hits):
                continue
            first, m = hits[0]
            sentence = ctx.original_sentences[first]
            original_span = Span(sentence.start + m.start(), sentence.start + m.end(), m.group())
            also = f" or an accepted variant ({', '.join(repr(v) for v in term.variants)})" if term.variants else ""
            where = "is not in the copy" if kept == 0 else f"appears {len(hits)} times in the original but {kept} in the copy"
            message = f"protected term {term.term!r}{also} {where}"
            yield Finding(self.rule, self.category, self.severity, message, original_span, _span(ctx.copy_sentences, pair.copy), pair.index)
