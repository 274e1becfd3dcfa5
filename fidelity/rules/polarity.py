"""Polarity: a negation added or dropped, a word replaced by its opposite, a gender changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

import itertools
import re
from collections import Counter
from collections.abc import Container, Iterator
from typing import Any

from fidelity import nlp
from fidelity.lang.en import (
    BOUND_RE,
    CONTRAST,
    FEMININE,
    IMPLICIT_NEGATIVE_NOUNS,
    IMPLICIT_NEGATIVES,
    MASCULINE,
    NEGATION_CUES,
    NEGATIVE_PREFIXES,
    UNIQUE,
)
from fidelity.rules.base import HitRule
from fidelity.rules.evidence import Figure, Hit, HitKind, PairAnalysis
from fidelity.rules.numbers import bound_of
from fidelity.rules.tokens import substitution_over, token_at, tokens_in
from fidelity.types import Category, Severity


def _negated(doc: Doc | None, start: int) -> bool:
    """A negation cue stands among the three words before the word at ``start``: "not ever", "not be fed", "no need to"."""
    before = [t for t in doc if t.idx < start and not t.is_punct][-3:] if doc is not None else []
    return any(_is_cue(t.text) for t in before)


def _said_as_synonym(a: PairAnalysis, word: str, pos: str, start: int, o_lem: dict[str, tuple[int, int, str]]) -> bool:
    """The original's ``word`` at ``start`` has, in the copy side of its own edit, a WordNet
    synonym the original does not use."""
    edit = substitution_over(a, start, start + 1)
    if edit is None:
        return False
    return any(
        t.pos_ == pos and nlp.lemma(t.text, t.pos_) not in o_lem and nlp.synonymous(word, pos, t.text, t.pos_)
        for t in tokens_in(a.c_doc, edit.c_span)
    )


def _particle(doc: Doc | None, start: int) -> bool:
    """The word at ``start`` is a phrasal verb's particle ("back" in "pay back")."""
    tok = token_at(doc, start)
    return tok is not None and tok.dep_ == "prt"


def _is_cue(word: str) -> bool:
    """A negation cue: one of ``NEGATION_CUES`` or a word ending in "n't" (either apostrophe)."""
    return word.casefold() in NEGATION_CUES or _plain_not(word)


def _plain_not(word: str) -> bool:
    """The plain negation: "not" or a word ending in "n't" (either apostrophe)."""
    w = word.casefold().replace("’", "'")
    return w == "not" or w.endswith("n't")


def _bound_cues(text: str, figures: list[Figure], other: str, other_figures: list[Figure]) -> set[int]:
    """Where the negations that open a bound on a figure start ("no more than four", "do not take
    more than eight", "must not exceed 4"), when the other side bounds the same figure too: the
    bound check compares the two bounds. A negated bound the other side drops ("not higher than
    600 degrees" / "600 degrees") stays a negation dropped. ``figures``: the side's figures as the
    shared pass read them (``PairAnalysis.o_numbers``)."""
    bounded = {v for v, s, e in other_figures if bound_of(other, s, e) is not None}
    starts = set()
    for v, s, e in figures:
        b = bound_of(text, s, e)
        if b is not None and b[1] < s and v in bounded:
            starts.add(b[1])
    return starts


def _implicit_negatives(doc: Doc | None, spent: Container[int] = ()) -> int:
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


def _neg_count(doc: Doc | None, text: str, bounds: Container[int] = ()) -> list[tuple[int, int]]:
    """The negation cues of a side, leaving out those at ``bounds`` (``_bound_cues``)."""
    spans = []
    for m in re.finditer(r"\w*n[’']t\b|\w+", text):
        if _is_cue(m.group(0)):
            if m.group(0).casefold() == "no" and re.match(r"\.?\s*\d", text[m.end() :]):
                continue  # the number sign: "Symphony No. 5"
            if m.group(0).casefold() == "no" and re.match(r"\s+(?:less|more|fewer|later|earlier|sooner)\s+than\b", text[m.end() :], re.IGNORECASE):
                continue  # a bound, not a negation: "no less than seven hours" is "at least seven hours"
            if m.start() in bounds:
                continue  # "not more than four", "do not take more than eight": a bound, read by the bound check
            if m.group(0).casefold() == "no" and re.match(r"\s*(?:[^\w\s]|$|(?:to|and|or)\b)", text[m.end() :], re.IGNORECASE):
                continue  # the answer, not a negation: "168 voting no", "said no to the plan"
            spans.append((m.start(), m.end()))
    return spans


_LEMMA_POS = frozenset({"ADJ", "VERB", "ADV", "NOUN", "AUX"})  # the words the polarity checks read by lemma


def _content_lemmas(doc: Doc | None) -> dict[str, tuple[int, int, str]]:
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


def _after_how(doc: Doc | None, start: int) -> bool:
    """The word at ``start`` follows "how" ("how old the tree is")."""
    tok = token_at(doc, start)
    return tok is not None and doc is not None and tok.i > 0 and doc[tok.i - 1].text.casefold() == "how"


def _renders_other(word: str, said: str, o_lem: dict[str, tuple[int, int, str]], c_lem: dict[str, tuple[int, int, str]]) -> bool:
    """The copy's ``word`` is, in some part of speech, a WordNet synonym of a word of the original
    other than ``said`` that the copy does not keep ("better" the verb is "improve")."""
    return any(
        w != said and w not in c_lem and any(nlp.synonymous(word, pos, w, p) for pos in ("VERB", "ADJ", "ADV", "NOUN") if _same_pos(pos, p))
        for w, (_, _, p) in o_lem.items()
    )


def _measured_by_noun(doc: Doc | None, start: int) -> bool:
    """The word at ``start`` ends a noun-hyphen-adjective compound ("waist-high", "knee-deep")."""
    tok = token_at(doc, start)
    return tok is not None and doc is not None and tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].pos_ == "NOUN"


def _lemma_counts(doc: Doc | None) -> Counter[str]:
    """How often each content lemma (as ``_content_lemmas`` reads them) stands in a parse."""
    return Counter(nlp.lemma(t.text, t.pos_) for t in doc if t.pos_ in _LEMMA_POS) if doc is not None else Counter()


def _base_forms(doc: Doc | None) -> set[str]:
    """Lemmas of a parse's adjectives, adverbs and verbs, with adverbs also as their adjective ("shortly" -> "short")."""
    out: set[str] = set()
    for t in doc if doc is not None else ():
        if t.pos_ in _LEMMA_POS:
            lem = nlp.lemma(t.text, t.pos_)
            out.add(lem)
            if t.pos_ == "ADV" and lem.endswith("ly") and len(lem) > 4:
                out.add(lem[:-3] + "y" if lem.endswith("ily") else lem[:-2])  # shortly -> short, easily -> easy
    return out


def _negation_paraphrased(doc: Doc | None, cue: tuple[int, int], other: Any, spent: set[int]) -> tuple[int, int] | None:
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
    for neg in negated:
        stem = neg.text.casefold()
        for w in other:
            word = _prefixed_word(w)
            rest = next((word[len(p) :] for p in NEGATIVE_PREFIXES if word.startswith(p) and len(word) - len(p) >= 4), "")
            # "not able" ~ "unable", "no one knows" ~ "unknown"; or the prefix on a synonym of
            # it: "without injury" ~ "unharmed" (harm ~ injury), "not sure" ~ "uncertain"
            if rest and w.idx not in spent and (
                (len(stem) >= 4 and rest[:4] == stem[:4]) or any(nlp.synonymous(base, neg.pos_, neg.text, neg.pos_) for base in {rest, nlp.lemma(rest, "VERB")})
            ):
                spent.add(w.idx)
                return (neg.idx, neg.idx + len(neg.text))
    return None


def _prefixed_word(t: Token) -> str:
    """A token's word, casefolded; a prefix the tokenizer split off at its hyphen is joined back
    to its word ("non-serious" -> "nonserious")."""
    word = t.text.casefold()
    doc = t.doc
    if word in NEGATIVE_PREFIXES and t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and doc[t.i + 2].is_alpha:
        return word + doc[t.i + 2].text.casefold()
    return word


def _said_otherwise(doc: Doc | None, text: str, cue: tuple[int, int], other_doc: Doc | None, other: str) -> bool:
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
    if plain and _not_exceeding(doc, cue) and BOUND_RE.search(other) and not BOUND_RE.search(text):
        return True
    if plain or word == "cannot" or doc is None or other_doc is None:
        return False
    mine = {t.text.casefold() for t in doc}
    theirs = {t.text.casefold() for t in other_doc}
    contrast = any(t.tag_ in ("JJR", "RBR") for t in doc) or bool(mine & CONTRAST - theirs)
    unique = any(t.tag_ in ("JJS", "RBS") and t.text.casefold() not in mine for t in other_doc) or bool(theirs & UNIQUE - mine)
    return contrast and unique


def _not_exceeding(doc: Doc | None, cue: tuple[int, int]) -> bool:
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


def _overlaps(x: tuple[int, int] | None, y: tuple[int, int] | None) -> bool:
    return x is not None and y is not None and x[0] < y[1] and y[0] < x[1]


def _same_pos(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"VERB", "AUX"}


def _anchored(doc: Doc | None, cue: tuple[int, int], other: Doc | None) -> bool:
    """The word a negation cue negates (its head: the verb of "not" / "never" / "nothing", the
    noun of "no") is said on the other side too, as that word or a WordNet synonym: then the
    cue on one side only flips a claim both sides make. In a reworded sentence whose negated
    word the other side does not say ("they could not believe" / "they were amazed", "we have
    not sought to influence" / "never influenced"), the two make the claim in other words, and
    a cue count says nothing of its polarity."""
    toks = tokens_in(doc, cue)
    if not toks or other is None:
        return True
    head = toks[0].head
    if head.pos_ == "AUX":  # a copula: what it says of its subject ("were not sufficient")
        head = next((c for c in head.children if c.dep_ in ("acomp", "attr", "oprd")), head)
    while head.pos_ == "AUX" and head.head.i != head.i:
        head = head.head  # "can not" -> the verb it serves
    if head.i == toks[0].i or head.pos_ not in ("VERB", "NOUN", "ADJ", "ADV", "PROPN"):
        return True  # nothing to anchor on: keep the count's word
    lemma = nlp.lemma(head.text, head.pos_)
    # (a synonym in another part of speech counts: "went far enough" ~ "were not sufficient")
    return any(nlp.lemma(t.text, t.pos_) == lemma or (t.is_alpha and nlp.synonymous(head.text, head.pos_, t.text, head.pos_)) for t in other)


Completed = tuple[bool, list["Token"], "Token"]  # (said not to happen, the verbs above it, the verb)


def _negated_here(t: Token, cues: Container[int]) -> bool:
    """A negation cue (one of ``cues``, where the side's cues start: ``_neg_count``) belongs to
    this verb's own clause: on the verb ("did *not* report", "*never* reported") or on one of its
    words ("report having *no* sex"), the nearest verb above the cue being this one."""
    for w in t.subtree:
        if w.i != t.i and w.idx in cues:
            up = w.head
            while up.pos_ not in ("VERB", "AUX") and up.head.i != up.i:
                up = up.head
            if up.i == t.i or (up.dep_ in ("aux", "auxpass") and up.head.i == t.i):
                return True
    return False


def _completed_verbs(doc: Doc | None) -> dict[str, list[Completed]]:
    """The verbs that complete another verb (an open complement: "failed to *report*", "chose to
    *report*", "avoided *paying*"), by lemma: (whether the chain says it did not happen, the verbs
    above it up the chain, the verb). The chain up through each open complement is read as spaCy
    parses it: every verb of ``IMPLICIT_NEGATIVES`` ("fail", "refuse", "avoid") and every negation
    in a verb's own clause turns it."""
    out: dict[str, list[Completed]] = {}
    # (a copula names no act: "shown to *be* safe" and "seems to *be* able" are two claims)
    if doc is None:
        return out
    completing = [t for t in doc if t.dep_ == "xcomp" and t.pos_ == "VERB" and t.head.i != t.i]
    if not completing:
        return out  # most sentences: their cues need not be read
    cues = {start for start, _ in _neg_count(doc, doc.text)}
    for t in completing:
        negative, chain, top = _negated_here(t, cues), [], t
        while top.dep_ == "xcomp" and top.head.i != top.i and top.head.pos_ in ("VERB", "AUX"):
            top = top.head
            chain.append(top)
            negative ^= nlp.lemma(top.text, "VERB") in IMPLICIT_NEGATIVES
            negative ^= _negated_here(top, cues)
        if chain:
            out.setdefault(nlp.lemma(t.text, "VERB"), []).append((negative, chain, t))
    return out


def flipped_complements(o_doc: Doc | None, c_doc: Doc | None) -> list[tuple[Completed, Completed]]:
    """A verb both sides complete with another verb, said to happen on one side and not on the
    other: "had failed to report them" / "chose to report them". Only a verb completed once on
    each side is read, so the two chains are about the same act; chains with a verb and its
    WordNet synonym ("refused to" / "declined to") say the same. ``benchmarks/eval_complement_flips.py``
    counts these over the benchmarks."""
    o_verbs, c_verbs = _completed_verbs(o_doc), _completed_verbs(c_doc)
    out = []
    for lemma, o_found in o_verbs.items():
        c_found = c_verbs.get(lemma, [])
        if len(o_found) != 1 or len(c_found) != 1 or o_found[0][0] == c_found[0][0]:
            continue
        if any(nlp.synonymous(x.text, "VERB", y.text, "VERB") for x in o_found[0][1] for y in c_found[0][1]):
            continue
        out.append((o_found[0], c_found[0]))
    return out


def _complement_flips(a: PairAnalysis) -> list[Hit]:
    """``flipped_complements`` as hits: the chain from its top verb to the completed verb on each
    side. The negation count sees no change there (no cue on either side); the verbs say it."""
    hits = []
    for (o_neg, o_chain, o_verb), (_, c_chain, c_verb) in flipped_complements(a.o_doc, a.c_doc):
        o_span = (min(o_chain[-1].idx, o_verb.idx), max(o_chain[-1].idx + len(o_chain[-1].text), o_verb.idx + len(o_verb.text)))
        c_span = (min(c_chain[-1].idx, c_verb.idx), max(c_chain[-1].idx + len(c_chain[-1].text), c_verb.idx + len(c_verb.text)))
        what = "the copy says it happened" if o_neg else "the copy says it did not happen"
        detail = f"{a.o_text[o_span[0]:o_span[1]]!r} became {a.c_text[c_span[0]:c_span[1]]!r}: {what}"
        hits.append(Hit(HitKind.COMPLEMENT_FLIPPED, o_span, c_span, detail, Severity.CRITICAL))
    return hits


def polarity_hits(a: PairAnalysis, reworded: bool = False) -> list[Hit]:
    """Negation count changes, WordNet antonyms, gender changes. In a ``reworded`` pair a
    negation on one side only whose negated word the other side does not say is minor
    (``_anchored``)."""
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
            antonym_hits.append(Hit(HitKind.ANTONYM, (os_, oe), (s, e), f"{a.o_text[os_:oe]!r} became its opposite {a.c_text[s:e]!r}", Severity.CRITICAL))
            break
    o_neg = _neg_count(a.o_doc, a.o_text, _bound_cues(a.o_text, a.o_numbers, a.c_text, a.c_numbers))
    c_neg = _neg_count(a.c_doc, a.c_text, _bound_cues(a.c_text, a.c_numbers, a.o_text, a.o_numbers))
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
            level = Severity.CRITICAL if not reworded or _anchored(a.c_doc, extra[0], a.o_doc) else Severity.MINOR
            hits.append(Hit(HitKind.NEGATION_ADDED, None, extra[0], f"negation {a.c_text[extra[0][0]:extra[0][1]]!r} added", level))
        else:
            missing = [sp for sp in o_neg if a.o_text[sp[0] : sp[1]].casefold() not in a.c_text.casefold()] or o_neg
            level = Severity.CRITICAL if not reworded or _anchored(a.o_doc, missing[0], a.c_doc) else Severity.MINOR
            hits.append(Hit(HitKind.NEGATION_DROPPED, missing[0], None, f"negation {a.o_text[missing[0][0]:missing[0][1]]!r} dropped", level))
    elif not diff:
        hits.extend(antonym_hits)
    if not diff:
        # (a verb of the chain said as its opposite, "managed to" ~ "failed to", is the antonym's finding)
        antonyms_kept = [h for h in antonym_hits if h in hits]
        hits.extend(f for f in _complement_flips(a) if not any(_overlaps(f.o, h.o) or _overlaps(f.c, h.c) for h in antonyms_kept))
    o_words = [(m.group(0).casefold(), m.start(), m.end()) for m in re.finditer(r"\w+", a.o_text)]
    c_words = [(m.group(0).casefold(), m.start(), m.end()) for m in re.finditer(r"\w+", a.c_text)]
    for mine, other in ((MASCULINE, FEMININE), (FEMININE, MASCULINE)):
        # One gender's words became the other's: fewer of one and more of the other in the copy
        # (a sentence may speak of a man and a woman: counts, not presence, are compared).
        o_has = [w for w in o_words if w[0] in mine]
        c_other = [w for w in c_words if w[0] in other]
        if len(c_other) > sum(w[0] in other for w in o_words) and sum(w[0] in mine for w in c_words) < len(o_has):
            hits.append(Hit(HitKind.GENDER, (o_has[0][1], o_has[0][2]), (c_other[0][1], c_other[0][2]), f"{o_has[0][0]!r} became {c_other[0][0]!r} (gender changed)", Severity.CRITICAL))
    return hits


class NegationRule(HitRule):
    """What it does: finds a negation added to or dropped from a pair: "not", "no", "never",
    "without", and words that say "not" in their meaning ("failed to", "lacks", "unable",
    "absence of"). A negation said another way on the other side ("did not stop" / "failed to
    stop", "not allowed" / "forbidden") is no change. Also a verb both sides complete with
    another verb, said to happen on one side and not on the other ("had failed to report them" /
    "chose to report them").

    Why it matters: a negation reverses the claim while keeping almost every word, so the
    sentence similarity barely moves.

    Example: "the trials are monitored" -> "the trials are not monitored" (critical).
    """

    rule = "negation"
    category = Category.NEGATION
    severity = Severity.CRITICAL
    summary = "A negation (not, no, never, without, ...) was added or dropped."
    example = "the trials are monitored -> the trials are not monitored"
    kinds = frozenset({HitKind.NEGATION_ADDED, HitKind.NEGATION_DROPPED, HitKind.COMPLEMENT_FLIPPED})


class AntonymRule(HitRule):
    """What it does: finds a word replaced by its opposite (a WordNet antonym, directly or
    through a similar adjective), unless the other side says the opposite too ("not small").

    Why it matters: an opposite reverses the claim in one word.

    Example: "Germany's army is too small" -> "Germany's army is too large" (critical).
    """

    rule = "antonym"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "A word was replaced by its opposite (WordNet antonym)."
    example = "Germany's army is too small -> Germany's army is too large"
    kinds = frozenset({HitKind.ANTONYM})


class GenderRule(HitRule):
    """What it does: finds a gender-marked pronoun or noun ("he", "her", "mother", "king")
    replaced by one of the other gender.

    Why it matters: it changes who the sentence is about.

    Example: "His research showed" -> "Her research shows" (critical).
    """

    rule = "gender"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "A gender-marked pronoun or noun changed gender."
    example = "His research showed -> Her research shows"
    kinds = frozenset({HitKind.GENDER})
