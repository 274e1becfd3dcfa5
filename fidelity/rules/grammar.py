"""Grammar: a copy's sentence that lost a word: an orphaned article, a broken clause or phrase, a verb without its subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

import itertools
import re
from collections.abc import Callable, Sequence

from fidelity.lang.en import ARTICLES, COMPARED, FINITE_BE_HAVE, FLOATING, MODALS, NO_CLAUSE_MARKS, SUBJECT_PRONOUNS
from fidelity.rules.evidence import Hit, HitKind, PairAnalysis
from fidelity.types import Severity


def orphan_articles(doc: Doc | None) -> list[Token]:
    """Articles that introduce no noun phrase: followed by a verb, an auxiliary, a preposition or
    punctuation ("the is looking", "a of the crowd"), or read by the parser as a pronoun (it
    does so for an article left alone). A participle after an article is an adjective ("the
    existing borders") and fine."""
    out = []
    # quotation marks are transparent: 'a “battle order”' introduces its noun
    toks = [t for t in doc if not t.is_space and not t.is_quote] if doc is not None else []
    for k, t in enumerate(toks):
        if t.text.casefold() not in ARTICLES:
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        # "a few days", "a dozen times": the parser hangs the article on its quantifier
        quantifier = t.dep_ == "quantmod" and nxt is not None and nxt.pos_ in ("ADJ", "NUM")
        if t.pos_ != "DET" or not (t.dep_ == "det" or quantifier) or nxt is None or (
            nxt.pos_ in ("VERB", "AUX", "ADP", "PUNCT", "CCONJ", "DET", "PRON", "SCONJ", "PART") and nxt.tag_ not in ("VBG", "VBN")
        ):
            out.append(t)
    return out


def _more_in_copy(a: PairAnalysis, find: Callable[[Doc], list[Token]]) -> Token | None:
    """The copy's first token that ``find`` picks out, when it picks out more in the copy than in
    the original (a sign the original also shows is the text's style, not a lost word)."""
    if a.o_doc is None or a.c_doc is None:
        return None
    found = find(a.c_doc)
    return found[0] if len(found) > len(find(a.o_doc)) else None


def article_hits(a: PairAnalysis) -> list[Hit]:
    """The copy has an article with nothing to introduce where the original has none: the word
    after it was lost ("the team was looking" -> "the is looking"). Written English leaves no
    article alone, so this holds in a reworded pair as well."""
    t = _more_in_copy(a, orphan_articles)
    if t is None:
        return []
    after = a.c_text[t.idx : t.idx + len(t.text) + 12].split()
    shown = " ".join(after[:2]) if len(after) > 1 else t.text
    return [Hit(HitKind.ARTICLE_ORPHANED, None, (t.idx, t.idx + len(t.text)), f"a word is missing after {t.text!r} ({shown!r}...): what it introduced was dropped", Severity.MAJOR)]


def _plain(t: Token) -> bool:
    """A word the parser can be trusted to have tagged: letters (and hyphens, apostrophes) only,
    not two words glued by a typo ('make”he')."""
    return re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", t.text) is not None


def broken_clauses(doc: Doc | None) -> list[Token]:
    """Tokens where a clause has lost its verb, in constructions written English does not have:
    a modal before a noun, determiner or preposition ("can proteins", "would also over"), a
    subject pronoun before a determiner or pronoun ("you someone"), a relative pronoun that heads
    its clause or hangs on a preposition ("a job that them from", "who by hunting"), a preposition
    before a modal ("is for could"), a sentence whose root is a function word, a statement that
    begins with a modal or "is", "was", "has" ("May have been the source"); and a subject
    that lost its noun: "a" and an adjective ("a presidential recommended"). (An object pronoun
    as subject, "him said", is more often a wrong case than a lost noun: not counted.)"""
    toks = [t for t in doc if not t.is_space] if doc is not None else []
    out = []
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        word = t.text.casefold()
        if t.is_sent_start and t.text[:1].isupper() and (t.tag_ == "MD" or word in FINITE_BE_HAVE) and not t.sent.text.rstrip().endswith("?"):
            out.append(t)  # "May have been the source of ...": a statement that starts with its verb lost its subject
            continue
        if t.tag_ == "MD" and word in MODALS:
            j = k + 1
            while j < len(toks) and toks[j].pos_ == "ADV" and toks[j].text.casefold() not in ("not", "n't"):
                j += 1
            compared = toks[j].pos_ == "ADP" and k >= 2 and toks[k - 1].pos_ in ("PRON", "NOUN", "PROPN") and toks[k - 2].text.casefold() in COMPARED if j < len(toks) else False
            if j < len(toks) and toks[j].pos_ in ("NOUN", "DET", "ADP", "PROPN", "PRON", "ADJ", "NUM") and toks[j].text.casefold() not in FLOATING and _plain(toks[j]) and not compared:
                out.append(t)  # (not the verb a comparison leaves understood: "as you would on asphalt")
        elif nxt is not None and word in SUBJECT_PRONOUNS and t.dep_ == "nsubj" and nxt.pos_ in ("DET", "PRON") and _plain(nxt):
            out.append(t)
        elif t.tag_ in ("WDT", "WP") and (t.dep_ in ("relcl", "ROOT", "ccomp", "advcl") or (t.dep_ == "nsubj" and t.head.pos_ == "ADP")):
            out.append(t)
        elif (
            t.pos_ == "ADJ" and t.dep_ in ("nsubj", "nsubjpass") and word not in ("few", "little", "many")
            and any(c.dep_ == "det" and c.text.casefold() in ("a", "an") for c in t.children)
            and not any(c.dep_ == "prep" and c.text.casefold() == "of" for c in t.children)
        ):
            out.append(t)  # "a presidential recommended": the noun of the subject is gone ("a few of them" is whole)
        elif nxt is not None and t.pos_ == "ADP" and nxt.tag_ == "MD":
            out.append(t)
        elif t.dep_ == "ROOT" and t.pos_ in ("ADP", "DET", "CCONJ", "SCONJ", "PART"):
            out.append(t)
    return out


def broken_phrases(doc: Doc | None) -> list[Token]:
    """Tokens where a phrase has lost its noun, in constructions written English does not have:
    a preposition with no object before a conjunction and a noun ("the cities of and Santorini")
    or before closing punctuation ("millions of,"); a possessive "'s" with nothing before it to
    own ("the source of 's water") or followed by a verb ("when Brazil's are expected"); a clause's
    conjunction right before its verb ("because cannot be predicted", "so that could watch"; not
    "as", "than", "if", "whether", "though": "as was expected" is whole); a list that ends
    in "and." ("spinal cord, and."). (A sentence that begins with a comma, ", 53, took office", is
    not counted: a sentence split after an abbreviation in spaced-out text, "e.g. , APS", makes one.)"""
    toks = [t for t in doc if not t.is_space and not t.is_quote] if doc is not None else []
    out = []
    for k, t in enumerate(toks):
        prev = toks[k - 1] if k > 0 else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        after = toks[k + 2] if k + 2 < len(toks) else None
        objectless = t.pos_ == "ADP" and t.dep_ == "prep" and t.is_alpha and not any(c.dep_ in ("pobj", "pcomp") for c in t.children)
        if objectless and nxt is not None and nxt.pos_ == "CCONJ" and after is not None and after.pos_ in ("NOUN", "PROPN", "DET"):
            out.append(t)
        elif objectless and nxt is not None and nxt.text in (".", ",", ";", ":", ")") and t.head.pos_ in ("NOUN", "PROPN"):
            out.append(t)
        elif t.tag_ == "POS" and (prev is None or prev.pos_ in ("ADP", "DET", "PUNCT", "CCONJ", "SCONJ")):
            out.append(t)
        elif t.tag_ == "POS" and nxt is not None and nxt.pos_ in ("AUX", "VERB") and nxt.tag_ not in ("VBG", "VBN"):
            out.append(t)
        elif t.dep_ == "mark" and t.text.casefold() not in NO_CLAUSE_MARKS and nxt is not None and nxt.tag_ in ("MD", "VBD", "VBZ", "VBP"):
            out.append(t)
        elif t.pos_ == "CCONJ" and prev is not None and prev.text == "," and nxt is not None and nxt.text in (".", ")"):
            out.append(t)  # a list that lost its last item: "the brain, spinal cord, and."
    return out


def broken_phrase_hits(a: PairAnalysis) -> list[Hit]:
    """The copy has a phrase that lost its noun (``broken_phrases``) where the original has none:
    what it named is no longer said, in a reworded pair as well."""
    t = _more_in_copy(a, broken_phrases)
    if t is None:
        return []
    near = t.doc[max(0, t.i - 1) : t.i + 3]  # the word before and two after: "cities of and Santorini"
    shown = a.c_text[near.start_char : near.end_char]
    return [Hit(HitKind.PHRASE_BROKEN, None, (t.idx, t.idx + len(t.text)), f"a word is missing near {shown!r}: what the phrase named was dropped", Severity.MAJOR)]


def broken_clause_hits(a: PairAnalysis) -> list[Hit]:
    """The copy has a clause that lost its verb or its subject's noun (``broken_clauses``) where
    the original has none: what was done, or by whom, is no longer said, in a reworded pair as well."""
    t = _more_in_copy(a, broken_clauses)
    if t is None:
        return []
    if t.dep_ == "ROOT" and a.o_doc is not None and not any(x.pos_ in ("VERB", "AUX") for x in a.o_doc):
        return []  # the parser found no verb in the original either ("shuffle" read as a noun): a misreading, not a lost verb
    shown = " ".join(a.c_text[t.idx : t.idx + len(t.text) + 14].split()[:2])
    return [Hit(HitKind.CLAUSE_BROKEN, None, (t.idx, t.idx + len(t.text)), f"a word is missing at {shown!r}...: the clause no longer says what was done or by whom", Severity.MAJOR)]


def reduced_relative(toks: Sequence[Token]) -> bool:
    """The words are a relative pronoun and the auxiliary of its clause ("which is", "who were"):
    dropping them leaves the same clause reduced ("the system, made up of")."""
    pron = [t for t in toks if t.tag_ in ("WDT", "WP") and t.head.dep_ == "relcl"]
    return bool(pron) and all(t in pron or (t.dep_ in ("aux", "auxpass") and t.head == pron[0].head) for t in toks if t.is_alpha)


def subject_hits(a: PairAnalysis) -> list[Hit]:
    """The copy's main verb has no subject where the original's has one: who acts is lost
    ("He said the talks failed" -> "Said the talks failed"), in a reworded pair as well."""
    if a.o_doc is None or a.c_doc is None:
        return []
    root = next((t for t in a.c_doc if t.dep_ == "ROOT"), None)
    o_root = next((t for t in a.o_doc if t.dep_ == "ROOT"), None)
    if o_root is not None and o_root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in o_root.children):
        return []  # the original is an instruction ("check the website"): it has no subject to lose
    # A noun, pronoun or clause before the subjectless root may be its subject misread by the
    # small parser ("Moving the bow ... produces" with "Moving" as an adverbial clause).
    if root is not None and any(c.i < root.i and c.pos_ in ("NOUN", "PROPN", "PRON", "VERB", "AUX") for c in root.children):
        return []
    if grammar_flags(a.c_doc)["no_subject"] and not grammar_flags(a.o_doc)["no_subject"]:
        span = (root.idx, root.idx + len(root.text)) if root is not None else None
        return [Hit(HitKind.SUBJECT_DROPPED, None, span, "the main verb has lost its subject (who acts is no longer said)", Severity.MAJOR)]
    return []


def grammar_flags(doc: Doc | None) -> dict[str, float]:
    """Cheap signs that a sentence lost a word: no verb, a verb with no subject, a dangling determiner."""
    if doc is None or len(doc) == 0:
        return {"no_verb": 0.0, "no_subject": 0.0, "dangling": 0.0}
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    no_subj = any(r.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass") for c in r.children) and r.tag_ not in ("VB",) for r in roots)
    dangling = 0
    toks = [t for t in doc if not t.is_space]
    for t, nxt in itertools.pairwise(toks):
        if t.pos_ == "DET" and t.dep_ == "det" and nxt.pos_ in ("ADP", "PUNCT", "CCONJ", "VERB", "AUX", "DET"):
            dangling += 1
        if t.pos_ == "ADP" and nxt.pos_ in ("PUNCT", "ADP", "CCONJ") and t.dep_ == "prep":
            dangling += 1
    return {"no_verb": 0.0 if has_verb else 1.0, "no_subject": 1.0 if no_subj else 0.0, "dangling": float(dangling)}
