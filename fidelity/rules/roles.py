"""Roles: who does what to whom (subject and object swapped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


from fidelity import nlp
from fidelity.lang.en import RECEIVING
from fidelity.rules.base import HitRule
from fidelity.rules.evidence import Hit, HitKind, PairAnalysis
from fidelity.rules.parsing import translit_key
from fidelity.rules.tokens import tokens_in
from fidelity.types import Category, Severity


def _roles(doc: Doc | None) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
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
                    return [Hit(HitKind.ROLES_SWAPPED, oa[x], ca[y], f"who does what changed: {a.o_text[oa[x][0]:oa[x][1]]!r} and {a.o_text[op[y][0]:op[y][1]]!r} swapped roles", Severity.CRITICAL)]
    return _receiver_acts(a) or exchange_hits(a)


# The kinds of word an exchange must swap like for like: two things, two figures, two actions,
# two qualities ("from Paris to London", "31 to 12", "58 percent supported ... 27 percent opposed").
_KIND = {"NOUN": "thing", "PROPN": "thing", "NUM": "figure", "VERB": "action", "ADJ": "quality", "ADV": "manner"}
# What may stand between two coordinated items, whose order says nothing ("people and goods",
# "corn, tomatoes", "Biden, the U.S. president"): conjunctions, determiners, punctuation.
_COORDINATING = frozenset({"CCONJ", "DET", "PUNCT"})


def exchange_hits(a: PairAnalysis, longest: int = 4, widest: int = 24) -> list[Hit]:
    """Two words or phrases that changed places, the rest of the passage kept: the original's
    ``A ... B`` is the copy's ``B ... A``, with the same words between ("from Paris to London" /
    "from London to Paris", "58 percent supported the lanes, while 27 percent opposed them" /
    "... opposed the lanes, while 27 percent supported them"). Each side is at most ``longest``
    tokens, the passage at most ``widest``; the two are the same kind of word (both hold a noun,
    a figure, a verb...). Items that are only coordinated ("people and goods" / "goods and
    people", "20 km (15 miles)" / "15 miles (20 km)") are no change: what stands between them
    must hold something besides conjunctions, determiners and punctuation. Read from the word
    diff: the passage runs from one edit to one of the next three."""
    if a.o_doc is None or a.c_doc is None:
        return []
    toks = a.wa.original
    o_keys = [t.key for t in toks]
    c_keys = [t.key for t in a.wa.copy]
    edits = a.wa.edits
    for i, first in enumerate(edits):
        for last in edits[i : i + 4]:
            (o0, o1), (c0, c1) = (first.o[0], last.o[1]), (first.c[0], last.c[1])
            if o1 - o0 != c1 - c0 or not 3 <= o1 - o0 <= widest:
                continue
            found = _exchange(o_keys[o0:o1], c_keys[c0:c1], longest)
            if found is None:
                continue
            la, lb = found
            kinds_a = _kinds(a.o_doc, toks[o0].start, toks[o0 + la - 1].end)
            kinds_b = _kinds(a.o_doc, toks[o1 - lb].start, toks[o1 - 1].end)
            between = _pos(a.o_doc, toks[o0 + la].start, toks[o1 - lb - 1].end)
            if not kinds_a & kinds_b or between <= _COORDINATING:
                continue
            o_span = (toks[o0].start, toks[o1 - 1].end)
            c_span = (a.wa.copy[c0].start, a.wa.copy[c1 - 1].end)
            x = a.o_text[toks[o0].start : toks[o0 + la - 1].end]
            y = a.o_text[toks[o1 - lb].start : toks[o1 - 1].end]
            detail = f"{x!r} and {y!r} changed places: {a.o_text[o_span[0]:o_span[1]]!r} became {a.c_text[c_span[0]:c_span[1]]!r}"
            return [Hit(HitKind.ROLES_SWAPPED, o_span, c_span, detail, Severity.CRITICAL)]
    return []


def _exchange(o: list[str], c: list[str], longest: int) -> tuple[int, int] | None:
    """The lengths (len A, len B) when ``o`` is ``A Y B`` and ``c`` is ``B Y A``, with A and B
    different words and Y not empty; None otherwise."""
    n = len(o)
    for la in range(1, longest + 1):
        for lb in range(1, longest + 1):
            if la + lb >= n:
                continue
            a, b = o[:la], o[n - lb :]
            if a != b and c == b + o[la : n - lb] + a and _wordy(a) and _wordy(b):
                return la, lb
    return None


def _wordy(keys: list[str]) -> bool:
    return any(ch.isalnum() for k in keys for ch in k)


def _kinds(doc: Doc, start: int, end: int) -> set[str]:
    return {_KIND[t.pos_] for t in tokens_in(doc, (start, end)) if t.pos_ in _KIND}


def _pos(doc: Doc, start: int, end: int) -> set[str]:
    return {t.pos_ for t in tokens_in(doc, (start, end))}


def _receiver_acts(a: PairAnalysis) -> list[Hit]:
    """The one who receives an action in the original does it in the copy: "Ukraine will have
    NATO protection" (Ukraine is protected) -> "Ukraine would protect NATO". The original's
    subject of have / get / receive ... whose object is an action noun, the copy's subject of
    that action's verb (the noun begins with the verb: protection / protect, support / support),
    in the active voice."""
    if a.o_doc is None or a.c_doc is None:
        return []
    for t in a.o_doc:
        if t.pos_ not in ("VERB", "AUX") or nlp.lemma(t.text, "VERB") not in RECEIVING:
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
                return [Hit(HitKind.ROLES_SWAPPED, o_span, (doer.idx, v.idx + len(v.text)), f"who does what changed: {subj.text!r} is on the receiving end of {obj.text!r} in the original, the one who does it in the copy ({v.text!r})", Severity.CRITICAL)]
    return []


class RolesRule(HitRule):
    """What it does: finds a pair where subject and object swapped places (from the spaCy
    dependency parses): the same people or things, with their roles reversed; or where two
    words or phrases of the same kind changed places with the words between them kept
    ("from Paris to London" -> "from London to Paris", "voted 31 to 12" -> "voted 12 to 31"),
    unless they are only coordinated ("cars and lorries" -> "lorries and cars").

    Why it matters: who did what to whom is the content of the sentence; a swap keeps every
    word, so word overlap and similarity both stay high.

    Example: "the council fined the company" -> "the company fined the council" (critical).
    """

    rule = "roles-swapped"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "Who does what to whom changed: subject and object swapped (spaCy dependencies), or two items changed places."
    example = "the council fined the company -> the company fined the council"
    kinds = frozenset({HitKind.ROLES_SWAPPED})
