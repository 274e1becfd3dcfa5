"""Wording: in a near-verbatim copy, a content word, a verb form or the mood changed, or words dropped or added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

import re
from collections.abc import Sequence

from fidelity import nlp
from fidelity.lang.en import CONTENT_POS, CONTRACTED, MODAL_AUX, NAMING, PERSONAL, REPORTING_VERBS, UNIT_NAMES
from fidelity.rules.base import HitRule
from fidelity.rules.evidence import Hit, HitKind, PairAnalysis
from fidelity.rules.grammar import reduced_relative
from fidelity.rules.tokens import entity_of, pertains, tokens_in
from fidelity.types import Category, Severity

# Present tense in the third person singular vs the other persons ("has" / "have"): agreement
# with a subject the translator construed differently, not a change of tense or aspect.
_AGREEMENT = frozenset({"VBZ", "VBP"})


def _spelt_out(o_toks: Sequence[Token], c_toks: Sequence[Token]) -> bool:
    """The two sides are the same words, one with a contraction the other spells out."""
    if len(o_toks) != len(c_toks) or not o_toks:
        return False
    for x, y in zip(o_toks, c_toks, strict=True):
        a, b = x.text.casefold(), y.text.casefold()
        if a != b and b not in CONTRACTED.get(a, ()) and a not in CONTRACTED.get(b, ()):
            return False
    return True


def _ellipsis_spelt_out(edit_toks: Sequence[Token], other_doc: Doc | None) -> bool:
    """Words inserted (or dropped) that only repeat what a coordination leaves understood: an
    auxiliary the other side has in the first conjunct, with or without a personal pronoun for
    the first conjunct's subject ("are independent or associated" ~ "are independent or are
    associated", "the bridge is long and it has" ~ "the bridge is long and has"). The words serve
    a conjunct verb; a pronoun agrees in number with the first conjunct's subject; and on the
    other side that verb follows its "and" / "or" directly (no clause between that could have
    had a subject of its own)."""
    if not edit_toks or other_doc is None:
        return False
    other_words = {t.text.casefold() for t in other_doc}
    for t in edit_toks:
        if t.pos_ == "AUX" and t.dep_ in ("aux", "auxpass", "ROOT", "conj"):
            if t.text.casefold() not in other_words:
                return False
            verb = t.head if t.dep_ in ("aux", "auxpass") else t
        elif t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass") and t.text.casefold() in PERSONAL:
            verb = t.head
            first = verb
            while first.dep_ == "conj" and first.head is not first:
                first = first.head  # up a chain of conjuncts to the one with the subject
            subjects = [c for c in first.children if c.dep_ in ("nsubj", "nsubjpass")] if first is not verb else []
            if not subjects or PERSONAL[t.text.casefold()] != _plural(subjects[0]):
                return False
        else:
            return False
        if verb.dep_ != "conj" or not _follows_conjunction(other_doc, verb.text):
            return False
    return True


def _plural(t: Token) -> bool:
    """A subject is plural: a plural noun, "they" / "we", coordinated nouns, or a quantity of a
    plural ("most of the islands")."""
    if t.tag_ in ("NNS", "NNPS") or t.text.casefold() in ("they", "we") or any(c.dep_ == "conj" for c in t.children):
        return True
    of = [c for c in t.children if c.dep_ == "prep" and c.text.casefold() == "of"] if t.pos_ not in ("NOUN", "PROPN") else []
    return any(g.dep_ == "pobj" and g.tag_ in ("NNS", "NNPS") for c in of for g in c.children)


def _follows_conjunction(doc: Doc, verb: str) -> bool:
    """The word ``verb`` stands in ``doc`` right after "and" / "or" / "but", with at most adverbs
    and auxiliaries between."""
    for t in doc:
        if t.text == verb:
            k = t.i - 1
            while k >= 0 and doc[k].pos_ in ("ADV", "AUX", "PART"):
                k -= 1
            if k >= 0 and doc[k].pos_ == "CCONJ":
                return True
    return False


def edit_hits(a: PairAnalysis, syndicated: bool) -> list[Hit]:
    """Judge each word-level edit: changed content, changed verb form, changed mood.

    In a near-verbatim pair (a syndicated copy, ``PairAnalysis.syndicated``) every changed
    content word is an editorial change of meaning and at least major; in a reworded pair the
    same edits are ordinary paraphrase and only feed the severity model (strength ``minor``).
    """
    hits: list[Hit] = []
    verbatim = syndicated
    o_end = a.o_text.rstrip()[-1:] if a.o_text.strip() else ""
    c_end = a.c_text.rstrip()[-1:] if a.c_text.strip() else ""
    if (c_end == "?") != (o_end == "?") and a.c_text.strip() and a.o_text.strip():
        hits.append(Hit(HitKind.MOOD, None, (len(a.c_text.rstrip()) - 1, len(a.c_text.rstrip())), "a statement became a question" if c_end == "?" else "a question became a statement", Severity.MAJOR))
    c_lemmas = {nlp.lemma(t.text, t.pos_) for t in a.c_doc} if a.c_doc is not None else set()
    o_lemmas = {nlp.lemma(t.text, t.pos_) for t in a.o_doc} if a.o_doc is not None else set()
    dropped_words = [w.casefold() for e in a.wa.edits if e.kind != "insert" for w in re.findall(r"\w+", e.o_text)]
    for _k, e in enumerate(a.wa.edits):
        if e.trivial:
            continue
        o_toks = tokens_in(a.o_doc, e.o_span) if e.kind != "insert" else []
        c_toks = tokens_in(a.c_doc, e.c_span) if e.kind != "drop" else []
        if _spelt_out(o_toks, c_toks) or _ellipsis_spelt_out(o_toks if e.kind == "drop" else c_toks if e.kind == "insert" else [], a.c_doc if e.kind == "drop" else a.o_doc):
            continue
        # (the common era said or left unsaid, "the ninth century AD", changes no date; nor does
        # "the year" before one: "around 1500" ~ "around the year 1500")
        o_content = [t for t in o_toks if t.pos_ in CONTENT_POS and not _common_era(t) and not _year_label(t)]
        c_content = [t for t in c_toks if t.pos_ in CONTENT_POS and not _common_era(t) and not _year_label(t)]
        # Word order: an inserted word that was dropped nearby is a move, not new content.
        if e.kind == "insert" and all(w.casefold() in dropped_words for w in re.findall(r"\w+", e.c_text)):
            continue
        if e.kind == "drop":
            inserted = [w.casefold() for x in a.wa.edits if x.kind == "insert" for w in re.findall(r"\w+", x.c_text)]
            if all(w.casefold() in inserted for w in re.findall(r"\w+", e.o_text)):
                continue
        if e.kind == "substitute" and o_content and c_content and {_unit_name(t.text) for t in o_content} == {_unit_name(t.text) for t in c_content} != {""}:
            continue  # a unit by its symbol on one side and its name on the other ("3.50 m" / "3.50 metres")
        if e.kind == "substitute" and o_content and c_content and all(t.like_num or re.fullmatch(r"[\d.,:]+", t.text) for t in o_content + c_content) and len(o_toks) == len(o_content) and len(c_toks) == len(c_content):
            continue  # figures for figures: the number check judges them ("5" / "7" is one finding, not two)
        lost = [t for t in o_content if nlp.lemma(t.text, t.pos_) not in c_lemmas]
        # A dropped subject or object is content even when it is a pronoun.
        # (A pronoun put in another form, he -> him or it -> itself, is still there.)
        c_words = {w.casefold() for w in re.findall(r"\w+", a.c_text)}
        pronoun_kept = any(t.pos_ == "PRON" for t in c_toks)
        # A relative pronoun stands for its antecedent, which stays ("the system, which is made
        # up of" ~ "the system, made up of").
        # A subject pronoun left unsaid before a verb that takes its subject from the main clause
        # ("as she read the verdict" ~ "while reading the verdict", "so that they can vote" ~ "to vote").
        understood = any(_takes_main_subject(t) for t in c_toks)
        lost += [t for t in o_toks if t.dep_ in ("nsubj", "nsubjpass", "dobj") and t not in lost and t.text.casefold() not in c_words
                 and not (t.pos_ == "PRON" and pronoun_kept) and not (t.tag_ in ("WDT", "WP") and t.head.dep_ == "relcl")
                 and not (t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass") and understood)]
        new = [t for t in c_content if nlp.lemma(t.text, t.pos_) not in o_lemmas]
        strength = Severity.MAJOR if verbatim else Severity.MINOR
        # Name parts dropped while the name itself stays ("President Anna Petrova" -> "Petrova"),
        # and an attribution added ("..., the paper writes") change no claim.
        o_doc = a.o_doc  # (lost words come from it: not None here)
        if lost and o_doc is not None and not new and all(t.pos_ == "PROPN" for t in lost) and any(
            r.text.casefold() in a.c_text.casefold() for t in lost for r in entity_of(o_doc, t.idx) if r not in lost
        ):
            strength = Severity.MINOR
        if new and not lost and any(t.pos_ == "VERB" and nlp.lemma(t.text, "VERB") in REPORTING_VERBS for t in c_toks):
            strength = Severity.MINOR
        if verbatim and lost and new and _synonym_swap(lost, new):
            # A WordNet synonym in place of the word (shared synset, or an adjective "similar to" it:
            # easy/simple, biggest/largest) is an independent translator's word choice, not a changed
            # claim; a hypernym (dog/animal) or another sense of the word shares no synset and stays major.
            strength = Severity.MINOR
        if len(o_toks) == 1 and len(c_toks) >= 1 and not lost and not new:
            # Same words in another form: a verb's tense or aspect matters, a part-of-speech shift does not.
            verbs = [t for t in o_toks + c_toks if t.pos_ in ("VERB", "AUX")]
            tags = {o_toks[0].tag_, c_toks[-1].tag_}
            # (the word itself in another form: a word moved away, "missing its side" ~ "with its side missing", is no tense)
            same_word = any(nlp.lemma(t.text, t.pos_) == nlp.lemma(o_toks[0].text, o_toks[0].pos_) for t in c_toks)
            if verbs and same_word and ((len(tags) > 1 and tags != _AGREEMENT) or len(c_toks) > 1):
                what = "an instruction became a statement" if _imperative(o_toks[0]) and c_toks[-1].tag_ in ("VBZ", "VBD") else "tense or aspect"
                hits.append(Hit(HitKind.VERB_FORM, e.o_span, e.c_span, f"{e.o_text!r} became {e.c_text!r} ({what})", strength))
            modal = [t.text.casefold() in MODAL_AUX for t in (o_toks[0], c_toks[-1])]
            if same_word or not verbs or not verbatim or not all(modal):
                continue  # (an auxiliary misspelt, "is" -> "i", is a slip, not another auxiliary)
            # an edit put another auxiliary in its place ("could rise" -> "will rise"): the modality,
            # judged below (in a reworded pair, as the severity model was fitted, it is no evidence)
        if not lost and not new:
            if (not c_toks and reduced_relative(o_toks)) or (not o_toks and reduced_relative(c_toks)):
                continue  # "which is" dropped before a participle, or put in
            aux = [t for t in o_toks + c_toks if t.text.casefold() in MODAL_AUX]
            if aux:
                hits.append(Hit(HitKind.VERB_FORM, e.o_span if e.kind != "insert" else None, e.c_span if e.kind != "drop" else None, f"{e.o_text or '∅'!r} became {e.c_text or '∅'!r} (tense, aspect or modality)", strength))
            continue
        if e.kind == "drop" or (lost and not new):
            # (a word put in its place that says nothing of its own, "last year" -> "this year", is named)
            what = f"{e.o_text!r} dropped" if e.kind == "drop" else f"{e.o_text!r} became {e.c_text!r}"
            hits.append(Hit(HitKind.CONTENT_DROPPED, e.o_span, e.c_span if e.kind != "drop" else None, what, strength))
        elif e.kind == "insert" or (new and not lost):
            hits.append(Hit(HitKind.CONTENT_ADDED, e.o_span if e.kind != "insert" else None, e.c_span, f"{e.c_text!r} added", strength))
        else:
            # Two or more words changed in a near-verbatim pair read as a close translation, not as a
            # copy edited in one place: each word choice alone is then minor (the severity model,
            # the checks of names, figures and opposites still read them). One changed word is an edit.
            several = verbatim and len([x for x in a.wa.edits if not x.trivial]) >= 2
            hits.append(Hit(HitKind.CONTENT_CHANGED, e.o_span, e.c_span, f"{e.o_text!r} became {e.c_text!r}", Severity.MINOR if several else strength))
    return hits


def _unit_name(word: str) -> str:
    """The unit a word names, by symbol or by name in either spelling ("m", "metres", "meters"
    -> "metre"); '' for any other word. "in", "t", "g", "h", "l" only count as symbols when the
    other side names that unit: a symbol alone is read here, not guessed."""
    w = word.casefold().rstrip(".")
    return UNIT_NAMES.get(w) or UNIT_NAMES.get(w[:-1] if w.endswith("s") else w, "")


def _year_label(t: Token) -> bool:
    """"year" put before a year in figures ("the year 1500")."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    return t.text.casefold() == "year" and nxt is not None and re.fullmatch(r"\d{3,4}", nxt.text) is not None


def _common_era(t: Token) -> bool:
    """"AD" or "CE" (with or without dots) after a year or a century."""
    prev = t.doc[t.i - 1] if t.i > 0 else None
    return t.text.replace(".", "") in ("AD", "CE") and prev is not None and (prev.like_num or prev.text.casefold() in ("century", "centuries", "millennium"))


def _synonym_swap(lost: Sequence[Token], new: Sequence[Token]) -> bool:
    """Every content word lost has a WordNet synonym among the new ones, and the other way round;
    a name and the adjective WordNet says pertains to it count as one ("the Moon's" / "lunar")."""

    def same(o: Token, c: Token) -> bool:
        return nlp.synonymous(o.text, o.pos_, c.text, c.pos_) or pertains(o.text, c.text) or (_naming(o) and _naming(c))

    return all(any(same(o, c) for c in new) for o in lost) and all(any(same(o, c) for o in lost) for c in new)


def _naming(t: Token) -> bool:
    """A verb that introduces what something is called: "called", "named", "known as", "referred to as"."""
    lem = nlp.lemma(t.text, "VERB")
    nxt = t.doc[t.i + 1].text.casefold() if t.i + 1 < len(t.doc) else ""
    after = t.doc[t.i + 2].text.casefold() if t.i + 2 < len(t.doc) else ""
    return t.pos_ == "VERB" and (lem in NAMING or (lem == "know" and nxt == "as") or (lem == "refer" and nxt == "to" and after == "as"))


def _imperative(t: Token) -> bool:
    """The verb (or its "do") of an instruction: a base form that opens its sentence, whose verb
    has no subject ("Do not take", "Leave four hours")."""
    verb = t.head if t.dep_ == "aux" else t
    first = next((u for u in t.sent if not u.is_punct), t)
    return t.tag_ == "VB" and first.i == t.i and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _takes_main_subject(t: Token) -> bool:
    """A verb with no subject of its own that takes the main clause's: a participle or gerund
    ("while reading", "having read") or an infinitive ("to vote"), in a clause that modifies
    another verb."""
    if t.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children):
        return False
    if t.dep_ not in ("advcl", "pcomp", "xcomp", "acl"):
        return False
    return t.tag_ in ("VBG", "VBN") or (t.tag_ == "VB" and any(c.dep_ == "aux" and c.text.casefold() == "to" for c in t.children))


class WordingRule(HitRule):
    """What it does: in a near-verbatim copy (``PairAnalysis.syndicated``), finds a changed
    content word, a changed verb tense, aspect or modality, or a statement turned into a question.
    Two or more changed words in one pair read as a close translation (each minor, not shown).

    Why it matters: a syndicated copy is expected to keep the original's words; one changed word
    there is an edit of the meaning made on purpose or by mistake.

    Example: "His research shows" -> "His research showed" (major); "... lungs." -> "... lungs?"
    """

    rule = "wording"
    explains_words = False  # a catch-all: a specific finding on its span is the explanation
    category = Category.MISTRANSLATION
    severity = Severity.MAJOR
    summary = "In a near-verbatim copy, a content word, a verb's tense/aspect or the sentence mood was changed."
    example = "His research shows -> His research showed; ... lungs. -> ... lungs?"
    kinds = frozenset({HitKind.CONTENT_CHANGED, HitKind.VERB_FORM, HitKind.MOOD})
    min_strength = Severity.MAJOR


class DroppedContentRule(HitRule):
    """What it does: finds words of the original (a qualifier, a phrase, a clause) missing from a
    near-verbatim copy, and in any copy a sentence that lost a word it needs: a main verb without
    its subject, an article without its noun, a clause without its verb, a phrase without its noun
    (the grammar family's detectors).

    Why it matters: a dropped qualifier changes the claim ("may" -> certainty, "some" -> all); a
    broken sentence shows that something was cut.

    Example: "can accelerate the maturation of the baby's lungs" -> "can accelerate the maturation"
    """

    rule = "dropped-content"
    explains_words = False  # a catch-all: a specific finding on its span is the explanation
    category = Category.OMISSION
    severity = Severity.MAJOR
    summary = "Words of the original (a qualifier, a phrase, a clause) are missing from a near-verbatim copy, or any copy's main verb lost its subject, an article its noun, a clause its verb or a phrase its noun."
    example = "can accelerate the maturation of the baby's lungs -> can accelerate the maturation"
    kinds = frozenset({HitKind.CONTENT_DROPPED, HitKind.SUBJECT_DROPPED, HitKind.ARTICLE_ORPHANED, HitKind.CLAUSE_BROKEN, HitKind.PHRASE_BROKEN})
    min_strength = Severity.MAJOR


class AddedContentRule(HitRule):
    """What it does: finds words with no source in the original inserted into a near-verbatim copy.

    Why it matters: an inserted adjective or clause puts a judgement in the original author's mouth.

    Example: "the administration of hormones" -> "the depressed administration of hormones" (major).
    """

    rule = "added-content"
    explains_words = False  # a catch-all: a specific finding on its span is the explanation
    category = Category.ADDITION
    severity = Severity.MAJOR
    summary = "Words with no source in the original were inserted into a near-verbatim copy."
    example = "the administration of hormones -> the depressed administration of hormones"
    kinds = frozenset({HitKind.CONTENT_ADDED})
    min_strength = Severity.MAJOR
