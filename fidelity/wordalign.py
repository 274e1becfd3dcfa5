"""Word-level alignment inside one aligned pair: two texts -> ``WordAlignment``.

    wordalign(original, copy) -> WordAlignment(tokens on both sides, edits, verbatim share)

Tokens keep character offsets into the text given, so a span found here becomes a span in
``Document.text`` by adding the sentence's ``start``. The alignment is a longest-matching-block
diff (difflib) over case-folded, quote-folded word and punctuation tokens; each non-equal block
is an ``Edit`` of kind ``substitute``, ``drop`` (original only) or ``insert`` (copy only), and
``Edit.trivial`` says when the change is only case, punctuation, spacing or a spelling slip.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

EditKind = Literal["substitute", "drop", "insert"]
Trivial = Literal["", "case", "punctuation", "spacing", "spelling", "repeat"]

_TOKEN = re.compile(r"\w+(?:[’'.\-]\w+)*|[^\w\s]", re.UNICODE)
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return any(ch.isalnum() for ch in self.text)

    @property
    def key(self) -> str:
        return self.text.translate(_FOLD).casefold()


@dataclass(frozen=True)
class Edit:
    kind: EditKind
    o: tuple[int, int]  # token range in the original, [start, end)
    c: tuple[int, int]  # token range in the copy
    o_text: str
    c_text: str
    o_span: tuple[int, int]  # character range in the original text (empty range at the gap for inserts)
    c_span: tuple[int, int]
    trivial: Trivial = ""


@dataclass(frozen=True)
class WordAlignment:
    original: tuple[Token, ...]
    copy: tuple[Token, ...]
    edits: tuple[Edit, ...]
    verbatim: float  # share of word tokens (both sides) inside equal blocks, 0..1

    def meaningful(self) -> list[Edit]:
        return [e for e in self.edits if not e.trivial]


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def wordalign(original: str, copy: str) -> WordAlignment:
    o_tok, c_tok = tokenize(original), tokenize(copy)
    matcher = SequenceMatcher(None, [t.key for t in o_tok], [t.key for t in c_tok], autojunk=False)
    edits: list[Edit] = []
    equal_words = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            equal_words += 2 * sum(1 for t in o_tok[i1:i2] if t.is_word)
            continue
        kind: EditKind = "substitute" if tag == "replace" else ("drop" if tag == "delete" else "insert")
        o_span = _char_span(o_tok, i1, i2)
        c_span = _char_span(c_tok, j1, j2)
        o_text, c_text = original[o_span[0] : o_span[1]], copy[c_span[0] : c_span[1]]
        trivial = _trivial(o_tok[i1:i2], c_tok[j1:j2], o_tok, c_tok, i1, j1, o_text, c_text)
        if trivial in ("case", "spelling", "spacing"):
            equal_words += sum(1 for t in o_tok[i1:i2] if t.is_word) + sum(1 for t in c_tok[j1:j2] if t.is_word)
        edits.append(Edit(kind, (i1, i2), (j1, j2), o_text, c_text, o_span, c_span, trivial))
    total = sum(1 for t in o_tok if t.is_word) + sum(1 for t in c_tok if t.is_word)
    return WordAlignment(tuple(o_tok), tuple(c_tok), tuple(edits), equal_words / total if total else 1.0)


def _char_span(tokens: list[Token], i: int, j: int) -> tuple[int, int]:
    if i < j:
        return tokens[i].start, tokens[j - 1].end
    # An empty range sits at the gap: just after the previous token.
    pos = tokens[i - 1].end if i > 0 else (tokens[0].start if tokens else 0)
    return pos, pos


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (transpositions count 1), capped at ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
        if min(prev) >= limit:
            return limit
    return min(prev[-1], limit)


def _two_words(a: str, b: str) -> bool:
    """Two different English words that differ at their start by more than a dropped, added or
    swapped letter (would/could, organic/inorganic, terrified/horrified): a word chosen, not a
    slip, and the meaning checks judge it. A letter lost or doubled (town/ton, part/art) is a
    typing slip even where it happens to spell a word, and words that share their start differ
    in an ending (flow/flows, region/regional): the same word in another form."""
    from fidelity.nlp import listed

    a, b = a.casefold(), b.casefold()
    if a[:2] == b[:2] or not listed(a) or not listed(b):
        return False
    one_letter = (len(a) != len(b) or sorted(a) == sorted(b)) and edit_distance(a, b, 2) == 1
    return not one_letter


_GROUPING = re.compile(r"(?<=\d)[.,'\u2019\u202f\u00a0 ](?=\d{3}(?!\d))")  # "5,000", "5.000", "5 000": thousands, not a decimal mark
_DECIMAL = re.compile(r"[.,](\d+)")


def _decimals(text: str) -> tuple[int, ...]:
    """Where a figure's decimal marks fall, as digits after each: "4.2" and "42" are different
    numbers though they differ only in punctuation; "5,000" and "5000" are one."""
    return tuple(len(m.group(1)) for m in _DECIMAL.finditer(_GROUPING.sub("", text)))


def _trivial(
    o: list[Token], c: list[Token], o_all: list[Token], c_all: list[Token], i1: int, j1: int, o_text: str, c_text: str
) -> Trivial:
    o_words = [t.key for t in o if t.is_word]
    c_words = [t.key for t in c if t.is_word]
    if not o_words and not c_words:
        return "punctuation"
    if o_words == c_words:
        return "punctuation"  # same words, only punctuation tokens differ
    if re.sub(r"[\W_]", "", "".join(o_words)) == re.sub(r"[\W_]", "", "".join(c_words)) and _decimals(o_text) == _decimals(c_text):
        return "spacing"  # "baby's" vs "baby 's", "long-standing" vs "long -standing", "be" vs "be_"
    if not o_words and c_words:
        # Inserted words that repeat their neighbour ("lungs lungs") add no content.
        before = c_all[j1 - 1].key if j1 > 0 else ""
        after = c_all[j1 + len(c)].key if j1 + len(c) < len(c_all) else ""
        if all(w == before for w in c_words) or all(w == after for w in c_words):
            return "repeat"
        return ""
    if len(o_words) == len(c_words) == 1:
        a, b = _strip_accents(o_words[0]), _strip_accents(c_words[0])
        if a == b:
            return "spelling"
        if any(ch.isdigit() for ch in a + b):
            return ""
        distance = edit_distance(a, b, 3)
        if len(a) >= 4 and distance <= (1 if len(a) < 6 else 2) and not _two_words(a, b):
            return "spelling"
        # A copy word that is no word at all, a keystroke or two from the original's
        # ("and" / "adn", "was" / "ws", "they" / "tyhe"): a typo, also in short words.
        from fidelity.nlp import listed

        if distance <= (1 if len(a) < 4 else 2) and listed(b) is False:
            return "spelling"
    return ""
