"""Untranslated: text in another script or language left in the copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

import itertools
import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from fidelity import nlp
from fidelity.lang.en import GLOSS_JOINERS
from fidelity.rules.base import CheckContext, HitRule, Reads, Rule
from fidelity.rules.evidence import Evidence, Hit, HitKind, PairAnalysis
from fidelity.rules.names import romanised_key
from fidelity.rules.parsing import script, translit_key
from fidelity.types import Category, Finding, Severity, Span


def untranslated_hits(a: PairAnalysis, min_chars: int, english_share: float, name_like: float) -> list[Hit]:
    """Copy words in a script the original does not use, or (English copies) unknown words not in the original."""
    o_scripts: dict[str, int] = {}
    for ch in a.o_text:
        if ch.isalpha():
            sc = script(ch)
            o_scripts[sc] = o_scripts.get(sc, 0) + 1
    hits: list[Hit] = []
    foreign = [m for m in re.finditer(r"[^\W\d_]+", a.c_text) if any(ch.isalpha() and script(ch) not in o_scripts for ch in m.group(0))]  # (not "km²")
    if sum(len(m.group(0)) for m in foreign) >= min_chars:
        s, e = foreign[0].start(), foreign[-1].end()
        hits.append(Hit(HitKind.UNTRANSLATED_SCRIPT, None, (s, e), f"{a.c_text[s:e]!r} is in another script", Severity.CRITICAL))
        return hits
    if a.c_doc is None or not nlp.wordlist_available():
        return hits
    words = [t for t in a.c_doc if t.is_alpha]
    if not words:
        return hits
    known = [nlp.is_english_word(t.text, t.pos_) for t in words]
    if sum(known) / len(known) < english_share:
        return hits  # not an English copy: the word list says nothing about it
    o_fold = a.o_text.casefold()
    o_words = re.findall(r"[^\W\d_]+", o_fold)
    o_joined = {x + y for x, y in itertools.pairwise(o_words)}
    o_values = {n[0] for n in a.o_numbers}
    c_numbers = {(s, e): v for v, s, e in a.c_numbers}
    seen: set[str] = set()
    o_caps = {translit_key(t.text) for t in a.o_doc if t.text[:1].isupper()} if a.o_doc is not None else set()
    o_names = {translit_key(t.text) for t in a.o_doc if t.text[:1].isupper() and not nlp.ordinary_word(t.text)} if a.o_doc is not None else set()
    o_spellings = {romanised_key(translit_key(w)) for w in o_words}
    for t, ok in zip(words, known, strict=False):
        if ok or t.text.casefold() in o_fold or t.text.casefold() in seen:
            continue
        if {romanised_key(translit_key(t.text)), romanised_key(translit_key(re.sub(r"e?s$", "", t.text)))} & o_spellings:
            continue  # the original's own foreign word, spelt another way or in the plural: "qvevri" / "kvevri", "krathongs"
        initial = t.i == 0 or t.is_sent_start
        if t.text[:1].isupper() and ((t.pos_ == "PROPN" or _spelt_like(t.text, o_names, name_like)) if initial else not _lone_capital(t, o_caps, name_like)):
            continue  # a name (one the original spells another way is judged by the name check)
        accented = any(not ch.isascii() for ch in t.text)
        prev = t.doc[t.i - 1] if t.i > 0 else None
        if prev is not None and prev.text == "-" and t.i >= 2 and t.doc[t.i - 2].text[:1].isupper() and not t.doc[t.i - 2].whitespace_:
            continue  # the lowercase half of a hyphenated name: "Mao Tse-tung"
        if not accented and (len(t.text) < 3 or nlp.edits1_known(t.text) or _misspells(t.text, o_words)):
            continue  # a typo of an English word or of the original's own word, not a foreign one
        if not accented and _compound(t.text.casefold(), o_joined):
            continue  # "tiebreak" for "tie break": English words written as one
        beside = [t.doc[i] for i in (t.i - 1, t.i + 1) if 0 <= i < len(t.doc)]
        if any(c_numbers.get((n.idx, n.idx + len(n.text))) in o_values for n in beside):
            continue  # the unit of a figure the original states, spelled out ("Nu 150" -> "150 ngultrums")
        seen.add(t.text.casefold())
        hits.append(Hit(HitKind.UNTRANSLATED_WORD, None, (t.idx, t.idx + len(t.text)), f"{t.text!r} is not English and not in the original", Severity.CRITICAL))
    return hits


def _misspells(word: str, o_words: Sequence[str]) -> bool:
    """One edit away from a word of the original: that word misspelt ("thier" / "their"), the
    original's own foreign word too ("thanakha" / "thanaka")."""
    w = word.casefold()
    return any(len(x) >= 3 and _one_edit(w, x) for x in o_words)


def _one_edit(a: str, b: str) -> bool:
    """One deletion, insertion, substitution or transposition turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


def _lone_capital(t: Token, o_caps: set[str], name_like: float) -> bool:
    """A capitalised word that reads as a common noun left in another language, not a name: alone
    among lowercase words ("won the Trophäe two weeks", "both Männer held") and spelt like none of
    the original's capitalised words (at ``name_like``, the name check's ``name_mangled``: a name
    the copy spells differently is judged as a name)."""
    doc = t.doc
    prev = doc[t.i - 1] if t.i > 0 else None
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if prev is None or not prev.is_alpha or prev.text[:1].isupper() or (nxt is not None and nxt.text[:1].isupper()) or t.text.isupper():
        return False  # (an acronym or a currency code: "CZK 2 million")
    if prev.text.casefold() in GLOSS_JOINERS - {"the"} and t.i >= 2 and doc[t.i - 2].text[:1].isupper():
        return False  # the end of a longer name: "the Institute of Geophysics and Volcanology"
    return not _spelt_like(t.text, o_caps, name_like)


def _spelt_like(word: str, keys: set[str], name_like: float) -> bool:
    """The word's ``translit_key`` is at least ``name_like`` alike (difflib ratio) one of ``keys``."""
    key = translit_key(word)
    return any(SequenceMatcher(None, key, k).ratio() >= name_like for k in keys)


def _compound(word: str, joined_pairs: set[str], part_min: int = 4) -> bool:
    """True when ``word`` is two adjacent words of the original written as one, or splits into
    two English words of at least ``part_min`` letters each (a closed compound)."""
    if word in joined_pairs:
        return True
    return any(nlp.is_english_word(word[:i]) and nlp.is_english_word(word[i:]) for i in range(part_min, len(word) - part_min + 1))


class UntranslatedRule(HitRule):
    """What it does: finds text in another script (Cyrillic, CJK, Arabic ...) or, in an English
    copy, a word in no dictionary that reads as another language's, which the original does not
    have. Names, and words spelt like the original's names, are left alone.

    Why it matters: a reader of the copy cannot read what was left untranslated.

    Example: "under the new treaty" -> "under the new Vertrag" (critical).
    """

    rule = "untranslated"
    category = Category.UNTRANSLATED
    severity = Severity.CRITICAL
    summary = "Text in another script or language was left in the copy."
    example = "under the new treaty -> under the new [Vertrag]"
    kinds = frozenset({HitKind.UNTRANSLATED_SCRIPT, HitKind.UNTRANSLATED_WORD})


class UntranslatedSentenceRule(Rule):
    """What it does: between an original and its translation into another language, finds a
    sentence of the translation, paired with the original's, that is still written in the
    original's language: the language detector (``fidelity.langid``: stop words, or the script)
    decides for that sentence alone, and decides the original's language. A sentence too short
    for the detector to decide (a name, a title, a date) is left alone.

    Why it matters: a reader of the translation cannot read it; the multilingual model reads it
    as a perfect match, so nothing else reports it.

    Example: an English original's "Work will take six months." left as it is in the French
    translation, where "Les travaux dureront six mois." belongs.
    """

    rule = "untranslated-sentence"
    reads = Reads.ACROSS
    category = Category.UNTRANSLATED
    severity = Severity.CRITICAL
    summary = "Across languages: a sentence of the translation is still in the original's language."
    example = "Work will take six months. -> (left as) Work will take six months."
    explains_words = False  # about a whole sentence

    def run(self, ctx: CheckContext, evidence: Evidence) -> Iterable[Finding]:
        from fidelity.langid import detect

        lang_o, lang_c = ctx.languages
        for p in ctx.pairs:
            if p.kind not in ("match", "moved") or not p.original:
                continue
            for j in p.copy:
                s = ctx.copy_sentences[j]
                guess = detect(s.text)
                if guess.decided and guess.language == lang_o != lang_c:
                    yield Finding(
                        self.rule, self.category, self.severity, f"left in the original's language ({lang_o}), not translated into {lang_c}",
                        None, Span(s.start, s.end, s.text), p.index,
                    )  # fmt: skip
