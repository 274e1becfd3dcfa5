"""Stage 1, extract: a file, stdin or a string -> ``Document``.

Decodes, in this order: a byte-order mark (UTF-8, UTF-16), an encoding the document
declares (HTML ``<meta charset>``, an XML declaration), UTF-16 without a BOM (recognised by
its zero bytes), UTF-8 (a file that is UTF-8 but for a few invalid bytes keeps its UTF-8
and shows each bad byte as U+FFFD), then a single-byte code page: the one charset_normalizer
detects when it decodes to a non-Latin alphabet (Greek cp1253, Cyrillic cp1251, ...),
else cp1252. Rejects binary and undecodable input with a one-line ``InputError``; reads
through ``fidelity.limits`` (size limit, regular files only). HTML goes through
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
from fidelity.limits import MAX_BYTES, check_text, read_bytes
from fidelity.types import Document

__all__ = ["MAX_BYTES", "BoilerplateSettings", "TextFormat", "decode", "extract", "normalize"]

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
        try:
            check_text(decoded)
        except ValueError as exc:
            raise InputError(doc_name, str(exc)) from None
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
        if len(data) > MAX_BYTES:
            raise InputError(name, f"is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")
        return data
    return read_bytes(source, name)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ``InputError`` for binary or undecodable bytes."""
    if not data.strip():
        raise InputError(name, "is empty or contains only whitespace")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16's, which it starts with
        return _strict(data, "utf-32", name), "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    utf16 = _utf16_without_bom(data[:8192])
    if utf16 is not None:
        return _strict(data[: len(data) // 2 * 2], utf16, name), utf16
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise InputError(name, "looks like a binary file, not text")
    declared = _declared_encoding(data[:4096])
    if declared is not None:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # a wrong declaration: fall through to what the bytes say
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(data)
    if text is not None:
        return text, "utf-8 (invalid bytes replaced)"
    legacy = _legacy_code_page(data)
    if legacy is not None:
        return legacy
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    if any("\x80" <= ch <= "\x9f" for ch in text):
        raise InputError(name, "bytes that no supported encoding decodes (not UTF-8, UTF-16 or UTF-32, no code page detected, control codes as cp1252)")
    return text, "latin-1"


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when most odd (or even) bytes are zero, as in UTF-16 of Latin text."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)


def _declared_encoding(head: bytes) -> str | None:
    import codecs

    match = _DECLARED.search(head)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # WHATWG: a page labelled latin-1/ascii is decoded as windows-1252; a UTF-16 label in bytes
    # that reached here (no zero bytes) cannot be right.
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return None if codec.startswith("utf-16") else codec


def _mostly_utf8(data: bytes) -> str | None:
    """The UTF-8 reading of ``data`` when it holds valid multi-byte sequences and at most one
    invalid byte in a thousand (a damaged UTF-8 file, not a legacy code page); else ``None``."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte >= 1 and bad <= max(1, len(data) // 1000) and multibyte >= bad:
        return text
    return None


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


_SINGLE_BYTE = re.compile(r"cp125\d|iso8859_\d+|koi8_[ru]|mac_cyrillic|mac_greek")
_CJK = re.compile(r"gb2312|gbk|gb18030|big5|big5hkscs|cp950|shift_jis|shift_jis_2004|cp932|euc_j[ip]s?.*|euc_kr|cp949|johab")


def _legacy_code_page(data: bytes) -> tuple[str, str] | None:
    """The code page charset_normalizer detects, when its reading can be trusted over cp1252:

    - a single-byte or CJK multi-byte code page whose reading is mostly letters of a non-Latin
      script (Greek, Cyrillic, Hebrew, Arabic, Chinese, Japanese, Korean ...);
    - a Windows Latin code page (Central European cp1250, Turkish cp1254, Baltic cp1257 ...)
      only when the text has at least 20 letters outside ASCII, the detector finds the cp1252
      reading implausible (it is none of its candidates) and the two readings differ: between
      Latin code pages detection is unreliable on short texts, so cp1252, the web's default,
      stays the reading whenever the detector allows it.
    """
    try:
        import charset_normalizer
    except ImportError:
        return None
    matches = list(charset_normalizer.from_bytes(data[:65536]))
    if not matches:
        return None
    best = matches[0].encoding
    if not (_SINGLE_BYTE.fullmatch(best) or _CJK.fullmatch(best)):
        return None
    try:
        text = data.decode(best)
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    if len(high) >= 20 and sum(1 for ch in high if _LATIN.match(ch)) <= len(high) // 4:
        return text, best
    if not best.startswith("cp125") or len(high) < 20 or any(m.encoding == "cp1252" for m in matches):
        return None
    try:
        as_cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        return text, best  # cp1252 cannot read it at all
    return None if as_cp1252 == text else (text, best)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not valid {encoding} despite its byte-order mark ({exc.reason} at byte {exc.start})") from None


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(head) // 100)


def _sniff(text: str) -> Literal["text", "html"]:
    """HTML when the text starts as a page does (doctype, ``<html>``, ``<head>``), or starts
    with a comment, an XML declaration or a block tag it also closes *and* holds most of its
    text inside elements (``_mostly_inside_elements``). A plain text that merely mentions
    ``<p>``, or Markdown that opens with an HTML block (a centred logo in a README), is text."""
    head = text.lstrip()[:1024].lower()
    if head.startswith(("<!doctype html", "<html", "<head")):
        return "html"
    if head.startswith(("<?xml", "<!--")):
        return "html" if _mostly_inside_elements(text[:65536]) else "text"
    tag = re.match(r"<(body|article|main|section|div|p|h[1-6]|title)[\s>]", head)
    if tag and f"</{tag.group(1)}>" in text[:65536].lower() and _mostly_inside_elements(text[:65536]):
        return "html"
    return "text"


_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _mostly_inside_elements(text: str) -> bool:
    """Whether at least half of the visible characters stand inside an element (an HTML
    fragment: ``<p>...</p>`` around every paragraph) rather than outside all of them (text
    with a few tags). Void elements (``<img>``, ``<br>``) hold nothing."""
    from html.parser import HTMLParser

    counts = [0, 0]  # characters outside, inside

    class Depth(HTMLParser):
        depth = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in _VOID:
                self.depth += 1

        def handle_endtag(self, tag: str) -> None:
            if tag not in _VOID:
                self.depth = max(0, self.depth - 1)

        def handle_data(self, data: str) -> None:
            counts[self.depth > 0] += len("".join(data.split()))

    parser = Depth(convert_charrefs=True)
    parser.feed(text)
    parser.close()
    return counts[1] >= counts[0]


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


def _visible(line: str) -> str:
    """``line`` without format characters (Unicode category Cf: zero-width spaces and joiners,
    the soft hyphen, the word joiner, bidi controls, the Mongolian vowel separator, tag
    characters ...), which change no word a reader sees."""
    if line.isascii():
        return line
    return "".join(ch for ch in line if unicodedata.category(ch) != "Cf")


def _classify(line: str, settings: BoilerplateSettings) -> Literal["good", "short", "furniture"]:
    # Invisible characters must not hide a furniture line ("Sh\u200bare" is still "Share").
    stripped = _visible(line).strip()
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
