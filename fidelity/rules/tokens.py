"""Helpers over spaCy parses and word-alignment edits that several rule families share.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


from fidelity import nlp
from fidelity.rules.evidence import PairAnalysis
from fidelity.wordalign import Edit


def token_at(doc: Doc | None, start: int) -> Token | None:
    """The token of a parse that starts at character ``start`` (None when none does or there is no parse)."""
    return next((t for t in doc if t.idx == start), None) if doc is not None else None


def entity_of(doc: Doc, start: int) -> list[Token]:
    """Tokens of the named entity (or the run of proper nouns) containing the token at ``start``."""
    for ent in doc.ents:
        if ent.start_char <= start < ent.end_char:
            return list(ent)
    tok = token_at(doc, start)
    if tok is None or tok.pos_ != "PROPN":
        return []
    i, j = tok.i, tok.i
    while i > 0 and doc[i - 1].pos_ == "PROPN":
        i -= 1
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN":
        j += 1
    return list(doc[i : j + 1]) if j > i else []


def pertains(a: str, b: str) -> bool:
    """One word is the adjective WordNet says pertains to the other name, either way round."""
    return nlp.demonym_of(a, b) or nlp.demonym_of(b, a)


def substitution_over(a: PairAnalysis, start: int, end: int) -> Edit | None:
    """The word-alignment substitution whose original side covers the range [start, end), if any."""
    return next((x for x in a.wa.edits if x.kind == "substitute" and x.o_span[0] <= start and end <= x.o_span[1]), None)


def tokens_in(doc: Doc | None, span: tuple[int, int]) -> list[Token]:
    """The tokens of a parse that overlap the character range [start, end): ``t.idx < end`` and
    ``t.idx + len(t.text) > start``.

    Tokens do not overlap and come in text order, so both their starts and their ends rise: the
    tokens ending after ``start`` are a tail, those starting before ``end`` a head, and the
    answer is the run between two binary searches (the checks ask this hundreds of times per
    diff; reading every token each time was a tenth of a second of a cold run).
    """
    if doc is None:
        return []
    s, e = span
    positions = range(len(doc))
    lo = bisect.bisect_right(positions, s, key=lambda i: doc[i].idx + len(doc[i].text))
    hi = bisect.bisect_left(positions, e, lo=lo, key=lambda i: doc[i].idx)
    return [doc[i] for i in range(lo, hi)]
