"""Document-structure checks read from the alignment: omitted, added and moved sentences.

In: the aligned groups of ``CheckContext``. Out: one finding per omitted, added or moved
group, with a severity from what the text contains: a quote, a figure or a name matters more
than a transition (``content_weight``). A heading line of the copy with no source is an
invented heading, reported as an addition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from fidelity.rules.base import CheckContext, Reads, Rule
from fidelity.rules.evidence import Evidence
from fidelity.segment import word_count
from fidelity.types import Category, Finding, Sentence, Severity, Span

_QUOTE = re.compile(r"[“”\"«»]|(?<!\w)['‘’](?=\w)")
_FIGURE = re.compile(r"\d")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")  # a capitalised word inside a sentence


def _span(sentences: Sequence[Sentence], indices: Sequence[int]) -> Span | None:
    if not indices:
        return None
    first, last = sentences[indices[0]], sentences[indices[-1]]
    return Span(first.start, last.end, " ".join(sentences[i].text for i in indices))


def content_weight(text: str, language: str = "en") -> tuple[Severity, str]:
    """How much a whole dropped or added passage matters, and why: quotes, figures and names
    are what a reader relies on; a short line with none of them is a transition.

    A name is told by a capitalised word inside a sentence, which means a name only in English
    (``language``, the text's ISO code as the pipeline resolved it): German capitalises every
    noun, so elsewhere no name is claimed."""
    reasons = []
    if _QUOTE.search(text):
        reasons.append("a quote")
    if _FIGURE.search(text):
        reasons.append("a figure")
    if language.casefold() == "en" and _NAME.search(text):
        reasons.append("a name")
    if reasons:
        return Severity.MAJOR, " and ".join(reasons)
    if word_count(text) >= 12:  # (Chinese and Japanese: two characters a word)
        return Severity.MAJOR, "a full statement"
    return Severity.MINOR, "a short line: no quote, figure or name"


class Omission(Rule):
    """What it does: reports each sentence (or group) of the original that the aligner matched to
    nothing in the copy. Major when it holds a quote, a figure, a name (told only in English) or a
    full statement of twelve words or more; minor for a short transition.

    Why it matters: a dropped sentence is content the reader of the copy never sees.

    Example: "“We cannot accept these terms,” the minister said." -> (nothing) (major: a quote).
    """

    rule = "omission"
    explains_words = False  # about whole sentences: a finding inside stays
    reads = Reads.ALIGNMENT
    category = Category.OMISSION
    severity = Severity.MAJOR
    summary = "A sentence of the original has no counterpart in the copy (severity from its content)."
    example = "“We cannot accept these terms,” the minister said. -> (nothing)"

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        for p in ctx.pairs:
            if p.kind == "omission":
                span = _span(ctx.original_sentences, p.original)
                level, why = content_weight(span.text if span else "", ctx.languages[0])
                yield Finding(self.rule, self.category, level, f"dropped from the copy ({why})", span, None, p.index)


class Addition(Rule):
    """What it does: reports each sentence of the copy with no source in the original, and each
    heading the copy invents. Major when it adds a quote or a figure; minor for a name, a
    statement or a heading (added text misleads less than dropped text).

    Why it matters: an added passage puts words in the original author's name.

    Example: (nothing) -> "Politically weak" (an invented subheading, minor).
    """

    rule = "addition"
    explains_words = False  # about whole sentences: a finding inside stays
    reads = Reads.ALIGNMENT
    category = Category.ADDITION
    severity = Severity.MINOR
    summary = "A sentence or heading of the copy has no source in the original (invented headings included)."
    example = "(nothing) -> ‘Politically weak’ (an invented subheading)"

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        for p in ctx.pairs:
            if p.kind in ("match", "moved") and len(p.copy) > 1 and not any(ctx.original_sentences[i].heading for i in p.original):
                for j in p.copy:
                    s = ctx.copy_sentences[j]
                    if s.heading:
                        yield Finding(self.rule, self.category, Severity.MINOR, "invented heading: not in the original", None, Span(s.start, s.end, s.text), p.index)
            if p.kind != "addition":
                continue
            span = _span(ctx.copy_sentences, p.copy)
            if all(ctx.copy_sentences[j].heading for j in p.copy):
                yield Finding(self.rule, self.category, Severity.MINOR, "invented heading: not in the original", None, span, p.index)
                continue
            level, why = content_weight(span.text if span else "", ctx.languages[1])
            # Added text misleads less than dropped text unless it puts words in someone's mouth or adds figures.
            if why in ("a name", "a full statement"):
                level = Severity.MINOR
            yield Finding(self.rule, self.category, level, f"not in the original ({why})", None, span, p.index)


class Moved(Rule):
    """What it does: reports a passage of the original that the copy keeps but at another place
    (the aligner's moved groups).

    Why it matters: order carries emphasis and sometimes sequence; usually minor.

    Example: the original's third paragraph opens the copy (minor).
    """

    rule = "moved"
    explains_words = False  # about whole sentences: a finding inside stays
    reads = Reads.ALIGNMENT
    category = Category.MOVED
    severity = Severity.MINOR
    summary = "A passage of the original appears at another place in the copy."

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        for p in ctx.pairs:
            if p.kind == "moved":
                yield Finding(self.rule, self.category, self.severity, "moved to another place in the copy", _span(ctx.original_sentences, p.original), _span(ctx.copy_sentences, p.copy), p.index)


class Rewritten(Rule):
    """What it does: reports a sentence of the copy that stands where the original's sentence
    stands (the aligner paired them) but does not say what it says: too far apart in meaning
    (cosine below ``match_min_similarity``) and in characters (chrF below ``match_min_chrf``) to be
    its counterpart, so no word-level check can read the pair. Major when the two are as far apart
    as unrelated sentences (below ``short_match_min_similarity``, 0.3, measured with MiniLM on
    English), minor above (a sentence reworded almost beyond recognition), minor with use-m3 and
    across languages (whose counterpart threshold misses some true pairs); a retitled heading is minor.

    Why it matters: a sentence garbled or replaced by another in a copy that otherwise follows the
    original is a mistranslation that no word of the diff names; without this finding the pair
    only lowers the coverage.

    Example: "Lots of talk, little action" -> "The fake words the big ones" (similarity 0.26).
    """

    rule = "rewritten"
    explains_words = False  # about whole sentences: a finding inside stays
    reads = Reads.ALIGNMENT
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "A sentence of the copy stands where the original's does but says something else (too far apart to compare word by word)."
    example = "Lots of talk, little action -> The fake words the big ones"

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        th = ctx.thresholds
        # the unrelated level was measured on MiniLM cosines of English sentences; use-m3's, and any
        # model's across languages, are read against a calibration set to keep counterparts, which
        # also misses some true ones: there the finding stays minor
        english = Reads.ENGLISH in ctx.readable and ctx.embedder.name != "use-m3"
        unrelated = min(th.match_min_similarity, th.short_match_min_similarity) if english else 0.0
        for p in ctx.pairs:
            if p.kind != "match" or not (p.original and p.copy) or th.counterpart(p.similarity, p.chrf):
                continue
            similarity = p.similarity or 0.0
            headings = all(ctx.original_sentences[i].heading for i in p.original) and all(ctx.copy_sentences[j].heading for j in p.copy)
            level = Severity.MAJOR if similarity < unrelated and not headings else Severity.MINOR
            how = "as far apart as unrelated sentences" if similarity < unrelated else "reworded almost beyond recognition"
            yield Finding(
                self.rule, self.category, level,
                f"says something else: {how} (similarity {similarity:.2f}); compare the two sentences",
                _span(ctx.original_sentences, p.original), _span(ctx.copy_sentences, p.copy), p.index,
            )  # fmt: skip
