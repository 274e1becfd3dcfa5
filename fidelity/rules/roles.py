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
    return _receiver_acts(a)


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
    dependency parses): the same people or things, with their roles reversed.

    Why it matters: who did what to whom is the content of the sentence; a swap keeps every
    word, so word overlap and similarity both stay high.

    Example: "the council fined the company" -> "the company fined the council" (critical).
    """

    rule = "roles-swapped"
    category = Category.MISTRANSLATION
    severity = Severity.CRITICAL
    summary = "Who does what to whom changed: subject and object swapped (spaCy dependencies)."
    example = "the council fined the company -> the company fined the council"
    kinds = frozenset({HitKind.ROLES_SWAPPED})
