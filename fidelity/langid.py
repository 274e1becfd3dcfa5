"""Which language a text is written in, offline: ``detect(text) -> Guess``.

Used to choose the model and the checks for a pair (``fidelity.pipeline.resolve``): two
texts in different languages need a multilingual embedder, and checks that read words
(names, wording, negation...) mean nothing across languages.

How: the stop-word lists that spaCy ships for each of its languages (``spacy/lang/XX/
stop_words.py``, MIT licence; read as data from the installed package, without importing
spaCy, which costs seconds). Each word of the text votes for every language whose list holds
it, with weight 1 / (number of lists holding it), so that ``a``, ``de`` or ``in`` (in many
lists) count little and ``und``, ``les`` or ``the`` much. A language wins when it gathers
both a share of the words (``MIN_SHARE``) and a lead over the runner-up (``MIN_LEAD``). A text
written mostly in a script of its own (CJK, kana, Hangul, Greek, Arabic, Hebrew, Devanagari,
Thai...) is told by its script, where stop words cannot (no spaces in CJK); Latin and Cyrillic
texts by their stop words.

The three numbers below were set a priori, not tuned. Measured (docs/alignment.md, "Across
languages"): every German, French and English document of ``corpora/`` told right; line by
line, 342 of textberg's 468 German lines told German and one English, the rest undecided; of
1,000 English DEMETR sentences 951 told English, 49 undecided, none wrong.

Short texts fall short of ``MIN_SHARE`` more often than they lead the wrong language: a share
of stop words per word varies much more over 50 words than over 3,000, while the lead over the
runner-up stays clear (a four-sentence French news text: 0.135 votes a word, three times
Catalan's). So an undecided ``Guess`` still carries its ``tentative`` language, the best guess
when it leads the runner-up by ``MIN_LEAD`` on at least ``MIN_EVIDENCE`` votes (and the text
has ``MIN_WORDS``), and ``fidelity.pipeline.resolve`` takes it for that side rather than the
other side's language (see ``pair``). Of the 1,000 DEMETR sentences, one of the 49 undecided carries ``en``, none
another language."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

MIN_WORDS = 8  # fewer words than this: no guess from stop words
MIN_SHARE = 0.15  # the winner's weighted votes per word (the seeds, English: 0.23-0.29; de.txt 0.35; fr.txt 0.20)
MIN_LEAD = 1.5  # ... and at least this many times the runner-up's
MIN_EVIDENCE = 4.0  # an undecided text's tentative guess needs this many weighted votes: four words of that
#                     language's list alone. One or two ("a" in Portuguese, "kong" in Tagalog) told a short
#                     English headline Portuguese or Tagalog: 47 of 3,770 WMT23 rows (none at 4)
SAMPLE_WORDS = 3000  # the words read (the start of the text)

# Scripts that name their language (or the language fidelity takes for them) outright.
_SCRIPT_LANGUAGE = {
    "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh", "THAI": "th", "GREEK": "el",
    "HEBREW": "he", "ARABIC": "ar", "DEVANAGARI": "hi", "GEORGIAN": "ka", "ARMENIAN": "hy",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Guess:
    """``language``: ISO 639-1 code, ``""`` when undecided; ``share``: the winner's weighted
    stop-word votes per word read; ``runner_up``: the second language's code; ``tentative``:
    the language when decided, else the best guess when it leads the runner-up by
    ``MIN_LEAD`` on ``MIN_EVIDENCE`` votes though its share is under ``MIN_SHARE`` (a short
    text), else ``""``."""

    language: str
    share: float = 0.0
    runner_up: str = ""
    tentative: str = ""

    @property
    def decided(self) -> bool:
        return bool(self.language)


def detect(text: str) -> Guess:
    """The language of ``text`` (its first ``SAMPLE_WORDS`` words), or an undecided ``Guess``."""
    from fidelity.embed import dominant_script

    script = dominant_script([text])
    if script == "CJK" and any("\u3040" <= ch <= "\u30ff" for ch in text[:4000]):
        return Guess("ja", 1.0, tentative="ja")  # kanji with kana: Japanese
    if script in _SCRIPT_LANGUAGE:
        return Guess(_SCRIPT_LANGUAGE[script], 1.0, tentative=_SCRIPT_LANGUAGE[script])
    words = [w.casefold() for w in _WORD.findall(text[: SAMPLE_WORDS * 12])][:SAMPLE_WORDS]
    if len(words) < MIN_WORDS:
        return Guess("")
    votes = _votes(words, _stop_words(), _weights())
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return Guess("")
    (best, top), second = ranked[0], ranked[1] if len(ranked) > 1 else ("", 0.0)
    share = top / len(words)
    if top < MIN_LEAD * second[1]:
        return Guess("", share, best)
    if share < MIN_SHARE:
        return Guess("", share, second[0], tentative=best if top >= MIN_EVIDENCE else "")
    return Guess(best, share, second[0], tentative=best)


def pair(original: Guess, copy: Guess) -> tuple[str, str]:
    """The languages of two texts from their guesses: each side's own language, decided or
    tentative; a side with neither takes the other side's, and English when neither side has
    one (the former default).

    A tentative guess is kept even where the other side is decided in another language: a
    short French copy of a long English original is French, not English for want of words
    (taking the English would embed French with the English model and call the copy
    unrelated). The risk is a pair in one language taken for two, which costs it the checks
    that need one language (and, for English, the English model); with ``MIN_EVIDENCE`` no
    short same-language snippet measured in docs/alignment.md is taken for two languages that
    was not before the tentative guess (a few decided wrong, as ever).
    """
    lang_o, lang_c = original.tentative, copy.tentative
    lang_o = lang_o or lang_c or "en"
    return lang_o, lang_c or lang_o


def _votes(words: list[str], lists: Mapping[str, frozenset[str]], weight: Mapping[str, float]) -> dict[str, float]:
    votes: dict[str, float] = {}
    for w in words:
        share = weight.get(w)
        if share is None:
            continue
        for code, stop in lists.items():
            if w in stop:
                votes[code] = votes.get(code, 0.0) + share
    return votes


@functools.cache
def _weights() -> dict[str, float]:
    """Stop word -> 1 / the number of languages whose list holds it."""
    counts: dict[str, int] = {}
    for stop in _stop_words().values():
        for w in stop:
            counts[w] = counts.get(w, 0) + 1
    return {w: 1.0 / n for w, n in counts.items()}


@functools.cache
def _stop_words() -> dict[str, frozenset[str]]:
    """ISO code -> spaCy's stop-word list for that language, for every language spaCy ships
    one for in the Latin or Cyrillic alphabet (the others are told by their script), read
    from the installed package's files without importing spaCy."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("spacy")
    out: dict[str, frozenset[str]] = {}
    if spec is None or not spec.submodule_search_locations:
        return out
    root = Path(next(iter(spec.submodule_search_locations))) / "lang"
    for path in sorted(root.glob("*/stop_words.py")):
        words = _literal_words(path.read_text(encoding="utf-8"))
        letters = set(itertools.islice((ch for w in words for ch in w if ch.isalpha()), 500))  # the first 500 letters
        scripts = {unicodedata.name(ch, "? ").split(" ")[0] for ch in letters}
        if words and scripts <= {"LATIN", "CYRILLIC"}:
            out[path.parent.name] = frozenset(w.casefold() for w in words)
    return out


def _literal_words(source: str) -> list[str]:
    """The words of ``STOP_WORDS = set(\"\"\"...\"\"\".split())`` (or a literal set or list):
    the file is parsed, never run."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "STOP_WORDS" for t in node.targets):
            strings = [n.value for n in ast.walk(node.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            return [w for s in strings for w in s.split()]
    return []
