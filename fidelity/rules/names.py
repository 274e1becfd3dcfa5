"""Names: a person, place or organisation missing, replaced or misspelled between original and copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

import itertools
import re
import unicodedata
from collections.abc import Container, Iterator, Sequence
from difflib import SequenceMatcher
from typing import Any

from fidelity import nlp
from fidelity.lang.en import GLOSS_JOINERS, SCALE_SYMBOLS
from fidelity.rules.base import HitRule
from fidelity.rules.evidence import Hit, HitKind, PairAnalysis
from fidelity.rules.parsing import consonant_skeleton, month_number, translit_key
from fidelity.rules.tokens import entity_of, pertains, substitution_over, token_at, tokens_in
from fidelity.types import Category, Severity
from fidelity.wordalign import Edit


def name_variant_edit(a: PairAnalysis, e: Edit) -> bool:
    """The edit only writes a name another way: a "name-variant" hit covers its words on both sides."""
    for h in a.hits:
        if h.kind != HitKind.NAME_VARIANT or h.o is None or h.c is None:
            continue
        if e.o_span[0] <= h.o[0] < max(e.o_span[1], e.o_span[0] + 1) and e.c_span[0] <= h.c[0] < max(e.c_span[1], e.c_span[0] + 1):
            o_rest = a.o_text[e.o_span[0] : h.o[0]] + a.o_text[h.o[1] : e.o_span[1]]
            c_rest = a.c_text[e.c_span[0] : h.c[0]] + a.c_text[h.c[1] : e.c_span[1]]
            if not any(ch.isalnum() for ch in o_rest + c_rest):
                return True
    return False


def _names(doc: Doc | None, text: str, min_len: int) -> list[tuple[int, int, str]]:
    """Proper-noun tokens (capitalised PROPN, or inside a spaCy name entity) with local ranges."""
    if doc is None:
        return []
    out = []
    name_ents = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
    for t in doc:
        if len(t.text) < min_len and not (t.text.isupper() and len(t.text) >= 2):
            continue
        if not t.text[:1].isupper():
            continue
        if t.pos_ == "PROPN" or (t.ent_type_ in name_ents and t.pos_ in ("PROPN", "NOUN", "ADJ")):
            if t.is_sent_start and (_one_word_ent(t) or _modifies_next(t)) and nlp.ordinary_word(t.text):
                continue  # a sentence starts with a capital: "Wolf children ...", "Handmade items ..." are no names
            out.append((t.idx, t.idx + len(t.text), t.text))
    return out


def _single_token_ent(t: Token) -> bool:
    """The token is an entity of its own, one word long."""
    return t.ent_iob_ == "B" and (t.i + 1 >= len(t.doc) or t.doc[t.i + 1].ent_iob_ != "I")


def _modifies_next(t: Token) -> bool:
    """A one-word entity that only modifies the lower-case noun after it ("Sea turtles ...", which
    the small model reads as a place): with ``nlp.ordinary_word`` at a sentence's start, a common
    word in a compound (a place name that is also a common word, "Turkey would ...", stays a name)."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    return _single_token_ent(t) and nxt is not None and t.head.i == nxt.i and t.dep_ in ("compound", "amod") and nxt.pos_ == "NOUN" and nxt.text.islower()


def _one_word_ent(t: Token) -> bool:
    """No entity, or a one-word person or group: what the small model makes of an ordinary word
    that starts a sentence ("Wolf children" as a PERSON, "Handmade items" as a NORP). Places and
    organisations stay names ("Turkey would ...")."""
    if not t.ent_type_:
        return True
    return _single_token_ent(t) and t.ent_type_ in ("PERSON", "NORP")


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid): "Köln" -> "koln"."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _alias_in(doc: Doc, start: int, name: str, other_text: str) -> tuple[tuple[int, int], str] | None:
    """Where ``other_text`` uses another name for the name at ``start`` (the whole entity or the
    word alone: "Burma" ~ "Myanmar", "Mideast" ~ "Middle East", "aurora borealis" ~ "northern
    lights", after WordNet), with the form looked up; None when it does not."""
    entity = entity_of(doc, start)
    forms = [doc.text[entity[0].idx : entity[-1].idx + len(entity[-1].text)]] if entity else []
    # ... and the word with the one or two words after or before it, which the parser may have
    # left out of the entity ("Aurora borealis" with "borealis" read as a common noun)
    tok = token_at(doc, start)
    if tok is not None:
        for lo, hi in ((0, 2), (0, 1), (-2, 0), (-1, 0)):
            window = doc[max(0, tok.i + lo) : min(len(doc), tok.i + hi + 1)]
            if len(window) > 1 and all(t.is_alpha for t in window):
                forms.append(window.text)
    folded = _fold(other_text)
    for form in [*forms, name]:
        title = all(nlp.ordinary_word(w) for w in form.split())
        for alias in sorted(nlp.aliases(form), key=len, reverse=True):
            if not title and " " not in alias and nlp.ordinary_word(alias):
                continue  # a name said with an ordinary word ("pound" for "British pound") may say less
            alias = _fold(alias)
            m = re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", folded)
            if m:
                return m.span(), form
    return None


def _name_runs(tokens: Sequence[str]) -> Iterator[list[str]]:
    """Every stretch of two or more words inside the capitalised runs of a text ("of", "the",
    "and", "for" may sit inside a run and are left out): the spans an acronym can stand for."""
    run: list[str] = []
    for w in [*tokens, ""]:
        if w[:1].isupper():
            run.append(w)
        elif w.casefold() in ("of", "the", "and", "for") and run:
            continue
        else:
            for i in range(len(run)):
                for j in range(i + 2, len(run) + 1):
                    yield run[i:j]
            run = []


def _acronym(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words).casefold()


def _initials(tokens: Sequence[str]) -> set[str]:
    """Acronyms the capitalised word runs of a text could make: "United Kingdom" -> "uk"."""
    return {_acronym(words) for words in _name_runs(tokens)}


def _spelled_out(tokens: Sequence[str], acronyms: set[str]) -> set[str]:
    """Casefolded words of the capitalised runs whose initials make or start one of ``acronyms``:
    with "EU" on the other side, "European" and "Union" of "the European Union"; with "ISIS",
    "Islamic" and "State" (as ``_name_found`` reads an acronym against the start of its expansion)."""
    out = set()
    for words in _name_runs(tokens):
        initials = _acronym(words)
        if any(x.startswith(initials) for x in acronyms):
            out |= {w.casefold() for w in words}
    return out


def _glossed(doc: Doc | None) -> dict[str, str]:
    """The capitalised words of a name that the text glosses with its acronym in brackets, each
    with that acronym, casefolded: "the National Institute for Space Research (INPE)" ->
    {"national": "inpe", "institute": "inpe", ...}. The other side may give the acronym alone."""
    toks = [t for t in doc] if doc is not None else []
    out: dict[str, str] = {}
    for k in range(1, len(toks) - 2):
        acr = toks[k + 1].text.replace(".", "")
        if toks[k].text != "(" or toks[k + 2].text != ")" or len(acr) < 2 or not acr.isupper():
            continue
        j = k - 1
        while j >= 0 and k - j <= 10 and (toks[j].text[:1].isupper() or toks[j].text.casefold() in GLOSS_JOINERS or toks[j].text in ("-", "–")):
            if toks[j].text[:1].isupper():
                out[toks[j].text.casefold()] = acr.casefold()
            j -= 1
    return out


def _name_found(name: str, other_words: set[str], other_keys: set[str], other_initials: set[str], other_text: str, prefix: int) -> str:
    """'same', 'variant' or '' (not found) for one name token against the other side."""
    folded = name.casefold().replace(".", "")
    if folded in other_words or folded.replace("-", "") in other_words or name.casefold() in other_text:
        return "same"  # (K2 / K-2: ``name_hits`` adds each word without its hyphens)
    if name.replace(".", "").isupper() and (folded in other_initials or any(len(i) >= 2 and folded.startswith(i) for i in other_initials)):
        return "same"  # U.K. / United Kingdom; an acronym and the start of its expansion (ISIS / Islamic State)
    if _spelling_key(name, other_keys):
        return "variant"  # before the prefix rule: Zelenskyy / Zelenski is a spelling, not a derivation
    if len(folded) >= prefix and any(w.startswith(folded[:prefix]) and _derived(folded, w) for w in other_words):
        return "same"  # Ukraine / Ukrainian, Germany / German
    if any(pertains(w, folded) for w in other_words):
        return "same"  # the adjective WordNet says pertains to it: Dutch / the Netherlands, lunar / the Moon
    if _skeleton_key(name) in other_keys:
        return "variant"  # another romanisation: Chernobyl / Chornobyl
    return ""


def _scales_by_symbol(text: str) -> set[str]:
    """The names of the temperature scales a text gives by their symbols: "38 °C" names Celsius."""
    return set().union(*(names for pattern, names in SCALE_SYMBOLS if pattern.search(text)))


def _spelling_key(name: str, keys: Container[str]) -> str:
    """The key of ``name`` that ``keys`` has ('' when none): its ``translit_key`` (three letters
    or more), else its ``romanised_key``."""
    key = translit_key(name)
    if len(key) < 3:
        return ""
    return next((k for k in (key, romanised_key(key)) if k in keys), "")


def romanised_key(key: str) -> str:
    """A ``translit_key`` with what romanisations of one name also disagree on folded, marked
    "=": q read as k and w as v (Qumran / Kumran, Ahvaz / Ahwaz), a long vowel doubled or marked
    by an h before a consonant (Maasai / Masai, Khaan / Khan, Ohtani / Otani). Only used to say
    two names are one, not to measure how alike two spellings are. Doubled consonants stay: in
    a Latin-script name they are spelling (Meloni / Melloni is misspelt)."""
    s = key.replace("q", "k").replace("w", "v")
    s = re.sub(r"(?<=[aeiou])h(?=[^aeiouh])", "", s)
    return "=" + re.sub(r"([aeiou])\1+", r"\1", s)


def _skeleton_key(name: str) -> str:
    return "~" + consonant_skeleton(translit_key(name))


def _name_keys(doc: Doc, skeleton_min: int) -> dict[str, Any]:
    """The capitalised words of a parse by their ``translit_key``, marked "=", by their
    ``romanised_key``, and, marked "~", by their consonant skeleton when it has
    ``skeleton_min`` consonants or more."""
    keys: dict[str, Any] = {}
    for t in doc:
        if t.text[:1].isupper():
            key = translit_key(t.text)
            keys.setdefault(key, t)
            keys.setdefault(romanised_key(key), t)
            skeleton = _skeleton_key(t.text)
            if len(skeleton) - 1 >= skeleton_min:
                keys.setdefault(skeleton, t)
    return keys


def _said_by_class(a: PairAnalysis, names: Sequence[str], edit: Edit | None) -> tuple[int, int] | None:
    """The span of a noun in the copy side of ``edit``, absent from the original, that WordNet
    gives as the class of one of ``names`` (forms of one name); None when there is none."""
    classes = set().union(*(nlp.classes(n) for n in names))
    if not classes or edit is None or a.c_doc is None or a.o_doc is None:
        return None
    o_lemmas = {nlp.lemma(t.text, "NOUN") for t in a.o_doc}
    for t in tokens_in(a.c_doc, edit.c_span):
        lem = nlp.lemma(t.text, "NOUN")
        if t.pos_ == "NOUN" and lem in classes and lem not in o_lemmas:
            return (t.idx, t.idx + len(t.text))
    return None


def _derived(a: str, b: str) -> bool:
    """One word is the other with an ending added, less a final vowel (Ukraine / Ukrainian, China /
    Chinese, Israel / Israeli); a changed letter inside (Schwarz / Schwartz) is a spelling."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short.rstrip("aeiouy") or short)


def _cross_lingual(a: PairAnalysis, name: str, o_start: int, cname: str, c_start: int, ratio: float, cognate_min: float) -> str:
    """Why two similar names are one name in two languages ('' when they are not):

    Both need spellings at least ``cognate_min`` alike (translit-folded), which keeps chance
    look-alikes (Chinese / Chile, from the development data) as changed names.

    - a demonym and its place (Majorcan / Mallorca): spaCy tags exactly one side NORP;
    - a translated word of a name (Asociación / Association): the copy's form is an English
      word (not one the word list has only as a name: Schwarz / Schwartz), the original's is not;
      or the other way round, the name given in its own language, in letters English does not
      use (Association / Asociación; World / Worls is misspelt).
    """
    o_tok = token_at(a.o_doc, o_start)
    c_tok = token_at(a.c_doc, c_start)
    # (a demonym WordNet pairs with its place, French / France, is the same name: ``_name_found``)
    if ratio >= cognate_min and (o_tok is not None and o_tok.ent_type_ == "NORP") != (c_tok is not None and c_tok.ent_type_ == "NORP"):
        return "a demonym and its place"
    if ratio < cognate_min:
        return ""
    if nlp.is_english_word(cname.casefold()) and not nlp.is_name_only(cname) and not nlp.is_english_word(name.casefold()):
        return "the name translated"
    if nlp.is_english_word(name.casefold()) and not nlp.is_name_only(name) and not nlp.is_english_word(cname.casefold()) and not cname.isascii():
        # the other way round: Association / Asociación, written in that language's letters (a
        # plain-letter form that is no word, World / Worls, is a misspelling)
        return "the name in its own language"
    return ""


def name_hits(a: PairAnalysis, min_len: int, prefix: int, mangled_min: float, cognate_min: float, skeleton_min: int) -> list[Hit]:
    if a.o_doc is None or a.c_doc is None:
        return []
    o_names = _names(a.o_doc, a.o_text, min_len)
    c_names = _names(a.c_doc, a.c_text, min_len)
    c_words = {t.text.casefold().replace(".", "") for t in a.c_doc}
    o_words = {t.text.casefold().replace(".", "") for t in a.o_doc}
    c_words |= {w.replace("-", "") for w in c_words} | _scales_by_symbol(a.c_text)
    o_words |= {w.replace("-", "") for w in o_words} | _scales_by_symbol(a.o_text)
    c_keys = _name_keys(a.c_doc, skeleton_min)
    o_keys = set(_name_keys(a.o_doc, skeleton_min))
    c_init = _initials([t.text for t in a.c_doc])
    o_init = _initials([t.text for t in a.o_doc])
    # Copy names with no counterpart: candidates for "replaced" or "mangled".
    new_in_copy = [n for n in c_names if not _name_found(n[2], o_words, o_keys, o_init, a.o_text.casefold(), prefix)]
    def acronyms(doc: Doc) -> set[str]:
        return {t.text.replace(".", "").casefold() for t in doc if len(t.text.replace(".", "")) >= 2 and t.text.replace(".", "").isupper()}

    o_spelled = _spelled_out([t.text for t in a.o_doc], acronyms(a.c_doc))
    c_spelled = _spelled_out([t.text for t in a.c_doc], acronyms(a.o_doc))
    # a name written as two words on one side and one on the other: Ha Long / Halong, Hong Kong / Hongkong
    for doc, other_words, spelled, other_spelled in ((a.o_doc, c_words, o_spelled, c_spelled), (a.c_doc, o_words, c_spelled, o_spelled)):
        for x, y in itertools.pairwise(doc):
            joined = (x.text + y.text).casefold()
            if x.text[:1].isupper() and y.text[:1].isupper() and joined in other_words:
                spelled |= {x.text.casefold(), y.text.casefold()}
                other_spelled.add(joined)
    # a name glossed with its acronym on one side, given by the acronym alone on the other
    o_spelled |= {w for w, acr in _glossed(a.o_doc).items() if acr in c_words}
    c_spelled |= {w for w, acr in _glossed(a.c_doc).items() if acr in o_words}
    # A month is a date's number: "September 11" and "9/11" name the same day.
    o_values = {n[0] for n in a.o_numbers}
    c_values = {n[0] for n in a.c_numbers}
    new_in_copy = [n for n in new_in_copy if n[2].casefold() not in c_spelled and month_number(n[2]) not in o_values and _alias_in(a.c_doc, n[0], n[2], a.o_text) is None]
    # an acronym that only glosses a name the copy keeps in full ("the German Weather Service
    # (DWD)" / "the German Weather Service") takes nothing away with it
    glosses: dict[str, set[str]] = {}
    for w, acr in _glossed(a.o_doc).items():
        glosses.setdefault(acr, set()).add(w)
    hits: list[Hit] = []
    used: set[int] = set()
    for s, e, name in o_names:
        glossed = glosses.get(name.casefold().replace(".", ""))
        if glossed and glossed <= c_words:
            continue
        found = _name_found(name, c_words, set(c_keys), c_init, a.c_text.casefold(), prefix)
        if found == "same" or name.casefold() in o_spelled or month_number(name) in c_values:
            continue
        if found == "variant":
            t = c_keys[_spelling_key(name, c_keys) or _skeleton_key(name)]  # the word ``_name_found`` matched
            if t.text != name:
                hits.append(Hit(HitKind.NAME_VARIANT, (s, e), (t.idx, t.idx + len(t.text)), f"{name!r} spelled {t.text!r} (transliteration variant)", Severity.MINOR))
            continue
        alias = _alias_in(a.o_doc, s, name, a.c_text)
        edit = substitution_over(a, s, e)
        local = [k for k, (cs, ce, _) in enumerate(new_in_copy) if k not in used and edit is not None and edit.c_span[0] <= cs and ce <= edit.c_span[1]]
        if alias is not None and not any(not (alias[0][0] <= new_in_copy[k][0] < alias[0][1]) for k in local):
            # (another name in this one's very place, not the alias, replaced it: judged below)
            (cs, ce), whole = alias
            hits.append(Hit(HitKind.NAME_VARIANT, (s, e), (cs, ce), f"{whole!r} rendered {a.c_text[cs:ce]!r} (another name for it)", Severity.MINOR))
            continue
        # The closest new copy name by spelling anywhere in the pair: a mangled form of this one.
        best, best_ratio = None, 0.0
        for k, (_cs, _ce, cname) in enumerate(new_in_copy):
            if k in used:
                continue
            r = SequenceMatcher(None, translit_key(name), translit_key(cname)).ratio()
            if r > best_ratio:
                best, best_ratio = k, r
        if best is not None and best_ratio >= mangled_min:
            used.add(best)
            cs, ce, cname = new_in_copy[best]
            why = _cross_lingual(a, name, s, cname, cs, best_ratio, cognate_min)
            if why:
                hits.append(Hit(HitKind.NAME_VARIANT, (s, e), (cs, ce), f"{name!r} rendered {cname!r} ({why})", Severity.MINOR))
            else:
                hits.append(Hit(HitKind.NAME_MANGLED, (s, e), (cs, ce), f"{name!r} became {cname!r}", Severity.MAJOR))
            continue
        # A run of ordinary capitalised words that the model finds no name in ("Prime Minister",
        # "Foreign Secretary") is a title: said another way ("the premier", "the UN chief") it names
        # the same person, so its loss is minor.
        entity = entity_of(a.o_doc, s)
        words = entity or [t for t in a.o_doc if t.idx == s]
        title = bool(words) and not any(t.ent_type_ for t in words) and all(nlp.ordinary_word(t.text) for t in words)
        if title:
            hits.append(Hit(HitKind.NAME_REMOVED, (s, e), None, f"{name!r} (part of a title) is not in the copy", Severity.MINOR))
            continue
        # The thing named by what it is ("on Earth" / "on the planet", "the Nile" / "the river"):
        # in the name's place (its substitution), a copy noun that WordNet gives as its class.
        cls = _said_by_class(a, [" ".join(t.text for t in entity), name] if entity else [name], edit)
        if cls is not None:
            hits.append(Hit(HitKind.NAME_VARIANT, (s, e), cls, f"{name!r} rendered {a.c_text[cls[0]:cls[1]]!r} (what it is)", Severity.MINOR))
            continue
        # A new name in the very place of this one (same word-alignment edit) replaced it.
        local = [k for k in local if k not in used]
        if local:
            used.add(local[0])
            cs, ce, cname = new_in_copy[local[0]]
            if nlp.ordinary_word(name) and nlp.ordinary_word(cname) and any(nlp.synonymous(name, pos, cname, pos) for pos in ("ADJ", "NOUN")):
                # a common word of a name put in a synonym: "Intangible Heritage" / "Immaterial Heritage"
                hits.append(Hit(HitKind.NAME_VARIANT, (s, e), (cs, ce), f"{name!r} rendered {cname!r} (the name's word said another way)", Severity.MINOR))
                continue
            hits.append(Hit(HitKind.NAME_REPLACED, (s, e), (cs, ce), f"{name!r} replaced by {cname!r}", Severity.CRITICAL))
            continue
        # Part of a longer name dropped while the rest stays ("President Anna Petrova" ->
        # "Petrova") loses no referent; a whole name gone does.
        rest = [t for t in entity if t.idx != s and t.text[:1].isupper()]
        kept = any(_name_found(t.text, c_words, set(c_keys), c_init, a.c_text.casefold(), prefix) for t in rest)
        # (a capitalised word the parser tagged no entity is still a name when no dictionary has it: "Crete", "Cuomo")
        strength = Severity.MINOR if kept or (not entity and nlp.ordinary_word(name)) else Severity.MAJOR
        hits.append(Hit(HitKind.NAME_REMOVED, (s, e), None, f"{name!r} is missing from the copy", strength))
    for k, (cs, ce, cname) in enumerate(new_in_copy):
        if k not in used and cname.casefold() not in a.o_text.casefold():
            # A new name alone is usually a translator's expansion (an added first name, a title);
            # a name that *replaces* one is judged above.
            hits.append(Hit(HitKind.NAME_ADDED, None, (cs, ce), f"{cname!r} is not in the original", Severity.MINOR))
    return _one_per_name(hits, a.o_text, a.c_text)


def _one_per_name(hits: list[Hit], o_text: str, c_text: str) -> list[Hit]:
    """Words of one name that are all missing (or all new) make one finding: "'Forbidden City'
    is missing", not one for "Forbidden" and one for "City". Words join when only spaces, a
    possessive "'s", "of" or "the" stand between them ("House of Representatives", "People's
    Republic"); the finding takes the gravest strength."""
    joiner = re.compile(r"(?:['’]s)?\s+(?:(?:of|the|de|la|del)\s+)*")
    out: list[Hit] = []
    for h in hits:
        last = out[-1] if out else None
        if last is not None and h.kind == last.kind and "title" not in h.detail + last.detail:
            span = None
            if h.kind == HitKind.NAME_REMOVED and h.o and last.o and joiner.fullmatch(o_text[last.o[1] : h.o[0]]):
                span = (last.o[0], h.o[1])
                detail = f"{o_text[span[0]:span[1]]!r} is missing from the copy"
            elif h.kind == HitKind.NAME_ADDED and h.c and last.c and joiner.fullmatch(c_text[last.c[1] : h.c[0]]):
                span = (last.c[0], h.c[1])
                detail = f"{c_text[span[0]:span[1]]!r} is not in the original"
            if span is not None:
                strength = max(last.strength, h.strength, key=Severity)
                out[-1] = Hit(h.kind, span if h.kind == HitKind.NAME_REMOVED else None, span if h.kind == HitKind.NAME_ADDED else None, detail, strength, last.words + h.words)
                continue
        out.append(h)
    return out


class NameRule(HitRule):
    """What it does: finds a name (person, place, organisation) of the original that is missing,
    replaced or misspelled in the copy, or a name the copy adds. A name written another way
    (a romanisation, Yeltsin / Jeltsin; its own language's spelling, Asociación / Association;
    an acronym spelled out) is a minor variant; words of one name missing together are one finding.

    Why it matters: a wrong name attributes a statement or an event to someone else.

    Example: "Anna Petrova said" -> "Anna Pavlova said" (major); "Yeltsin" -> "Jeltsin" (minor).
    """

    rule = "named-entity"
    category = Category.NAMED_ENTITY
    severity = Severity.MAJOR
    summary = "A name (person, place, organisation) is missing, replaced or misspelled; transliteration variants are minor."
    example = "Anna Petrova -> Anna Pavlova (major); Yeltsin -> Jeltsin (minor)"
    kinds = frozenset({HitKind.NAME_REMOVED, HitKind.NAME_REPLACED, HitKind.NAME_MANGLED, HitKind.NAME_ADDED, HitKind.NAME_VARIANT})
