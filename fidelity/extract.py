"""Stage 1, extract: a file, stdin or a string -> ``Document``.

Decodes UTF-8 (with or without BOM), UTF-16 (with BOM) and cp1252/latin-1; rejects
binary and undecodable input with a one-line ``InputError``. HTML goes through
trafilatura. Plain text keeps every character but marks page furniture (menus,
share counters, "related stories", syndication footers) as outside ``Document.content``,
so later stages never align, score or report it.
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fidelity.errors import InputError
from fidelity.types import Document

MAX_BYTES = 10 * 1024 * 1024
"""Largest input accepted (10 MiB): far above any article, small enough to refuse a mistake."""

TextFormat = Literal["auto", "text", "html", "lines"]


@dataclass(frozen=True)
class BoilerplateSettings:
    """How plain text is split into article text and page furniture (see ``_content_ranges``).

    Defaults were set by reading web-page dumps of news articles (jusText's classes,
    simplified): a *good* line is prose, a *short* line may be a heading, a *furniture*
    line is a counter, menu item, byline, date or share/footer line.
    """

    good_min_words: int = 10  # prose line, whatever its ending
    good_min_words_punct: int = 6  # prose line ending in . ! ? or a closing quote
    max_gap: int = 3  # non-prose lines allowed between two prose lines of one block
    max_furniture_in_gap: int = 2
    keep_block_ratio: float = 0.25  # other blocks kept if this large relative to the main one
    title_min_words: int = 4  # a recurring line above the body this long is the page's headline


def extract(
    source: str | Path,
    *,
    name: str | None = None,
    text: str | None = None,
    format: TextFormat = "auto",
    keep_boilerplate: bool = False,
    settings: BoilerplateSettings = BoilerplateSettings(),
) -> Document:
    """Read a path (``"-"`` for stdin) or, with ``text=``, a string, into a ``Document``."""
    if text is not None:
        doc_name = name or str(source)
        encoding = "str"
        decoded = text
    else:
        doc_name = name or ("<stdin>" if str(source) == "-" else str(source))
        data = _read_bytes(source, doc_name)
        decoded, encoding = decode(data, doc_name)
    decoded = unicodedata.normalize("NFC", decoded.replace("\r\n", "\n").replace("\r", "\n"))
    if not decoded.strip():
        raise InputError(doc_name, "is empty or contains only whitespace")
    fmt = _sniff(decoded) if format == "auto" else format
    if fmt == "html":
        return _from_html(decoded, doc_name, encoding)
    if fmt == "lines" or keep_boilerplate:
        content = _all_lines(decoded)
        return Document(doc_name, decoded, content, fmt, encoding, 0)
    content, dropped = _content_ranges(decoded, settings)
    return Document(doc_name, decoded, content, "text", encoding, dropped)


def _read_bytes(source: str | Path, name: str) -> bytes:
    if str(source) == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(name, "no such file")
        if path.is_dir():
            raise InputError(name, "is a directory, not a file")
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise InputError(name, f"is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")
    return data


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ``InputError`` for binary or undecodable bytes."""
    if not data.strip():
        raise InputError(name, "is empty or contains only whitespace")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise InputError(name, "looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    if any("\x80" <= ch <= "\x9f" for ch in text):
        raise InputError(name, "bytes that no supported encoding decodes (tried utf-8, utf-16, cp1252, latin-1)")
    return text, "latin-1"


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not valid {encoding} despite its byte-order mark ({exc.reason} at byte {exc.start})") from None


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(head) // 100)


def _sniff(text: str) -> Literal["text", "html"]:
    head = text.lstrip()[:1024].lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(body|article|div|p)[\s>]", head):
        return "html"
    return "text"


def _from_html(html: str, name: str, encoding: str) -> Document:
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=True)
    if not body or not body.strip():
        raise InputError(name, "is HTML but no article text could be extracted")
    body = unicodedata.normalize("NFC", body)
    kept = {line.strip() for line in body.split("\n") if line.strip()}
    page_lines = _html_text_lines(html)
    dropped = sum(1 for line in page_lines if line not in kept)
    return Document(name, body, _all_lines(body), "html", encoding, dropped)


def _html_text_lines(html: str) -> list[str]:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    text = tree.text_content()
    return [line.strip() for line in text.split("\n") if line.strip()]


def _all_lines(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((s, e) for s, e, line in _lines(text) if line.strip())


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


# Furniture: what a news page prints around an article. Generic web patterns (the kind
# jusText and trafilatura also discard), not phrases of any particular page.
_FURNITURE = [
    re.compile(r"^[\d.,]+\s*[kKmM]?$"),  # share/view counters
    re.compile(r"^[A-Z]{3,}$"),  # SHARES, VIEWS, MENU
    re.compile(r"^\s*[•·▪◦‣*]\s*\S+(\s+\S+){0,3}\s*$"),  # menu items
    re.compile(r"^(share|tweet|pin|email|print)(\s*on\s+\w+|\d+)?", re.I),
    re.compile(r"\b(share|tweet)\d+", re.I),
    re.compile(r"^(read|see|view|load|show)\s+(more|all)(\s+\w+)?\s*[»›>…]*$", re.I),
    re.compile(r"^no results?$", re.I),
    re.compile(r"^(copyright|©|\(c\))", re.I),
    re.compile(r"\bappeared first on\b", re.I),  # WordPress syndication footer
    re.compile(r"^by\s+\S+(\s+\S+){0,3}$", re.I),  # bylines
    re.compile(r"^(home|menu|search|subscribe|sign in|log in|advertisement)$", re.I),
    re.compile(r"^(in\s+)?(\w+,\s+){1,5}\w+$"),  # category lists: "in Europe, News, Politics"
    re.compile(  # date lines
        r"^(\w+day,?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\.?\s+\d{1,2},?\s+\d{4}$", re.I
    ),
    re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$"),
]

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[”\"]\s*$")


def _classify(line: str, settings: BoilerplateSettings) -> Literal["good", "short", "furniture"]:
    stripped = line.strip()
    if any(p.search(stripped) for p in _FURNITURE):
        return "furniture"
    words = len(stripped.split())
    if words >= settings.good_min_words:
        return "good"
    if words >= settings.good_min_words_punct and _SENTENCE_END.search(stripped):
        return "good"
    return "short"


def _content_ranges(text: str, settings: BoilerplateSettings) -> tuple[tuple[tuple[int, int], ...], int]:
    """Keep the article: blocks of prose lines joined across short gaps (headings), the
    largest block and any block at least ``keep_block_ratio`` of its size, plus a short
    line directly before and up to two after each kept block (title, credit, sign-off)."""
    lines = [(s, e, ln) for s, e, ln in _lines(text) if ln.strip()]
    if not lines:
        return (), 0
    kinds = [_classify(ln, settings) for _, _, ln in lines]
    good = [i for i, k in enumerate(kinds) if k == "good"]
    if not good:
        return tuple((s, e) for s, e, _ in lines), 0
    blocks: list[list[int]] = [[good[0], good[0]]]
    for prev, cur in itertools.pairwise(good):
        gap = kinds[prev + 1 : cur]
        if len(gap) <= settings.max_gap and gap.count("furniture") <= settings.max_furniture_in_gap:
            blocks[-1][1] = cur
        else:
            blocks.append([cur, cur])

    def size(block: list[int]) -> int:
        return sum(lines[i][1] - lines[i][0] for i in range(block[0], block[1] + 1) if kinds[i] == "good")

    biggest = max(size(b) for b in blocks)
    keep: set[int] = set()
    for first, last in blocks:
        if size([first, last]) < settings.keep_block_ratio * biggest:
            continue
        keep.update(i for i in range(first, last + 1) if kinds[i] != "furniture")
        if first > 0 and kinds[first - 1] == "short":
            keep.add(first - 1)
        for i in range(last + 1, min(last + 3, len(lines))):
            if kinds[i] != "short":
                break
            keep.add(i)
    if keep:
        title = _page_title(lines, kinds, min(keep), settings)
        if title is not None:
            keep.add(title)
    ranges = tuple((lines[i][0], lines[i][1]) for i in sorted(keep))
    return ranges, len(lines) - len(keep)


def _page_title(
    lines: Sequence[tuple[int, int, str]], kinds: Sequence[str], body_start: int, settings: BoilerplateSettings
) -> int | None:
    """The article's headline among the furniture above the body, if the page has one.

    Pages print their headline more than once (breadcrumb, title, share widgets), so a
    non-furniture line of at least ``title_min_words`` words that recurs verbatim is the
    headline; its last occurrence before the body is kept.
    """
    counts: dict[str, int] = {}
    for _, _, ln in lines:
        counts[ln.strip()] = counts.get(ln.strip(), 0) + 1
    for i in range(body_start - 1, -1, -1):
        text = lines[i][2].strip()
        if kinds[i] != "furniture" and counts[text] >= 2 and len(text.split()) >= settings.title_min_words:
            return i
    return None


_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    }
)  # fmt: skip


def normalize(text: str) -> str:
    """Comparison form: typographic quotes, dashes and spaces folded to ASCII, NFKC, spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text.translate(_FOLD))).strip()
