"""Text parsing the rules share: numbers, dates and units, quotations, scripts, name spellings.

    numbers(text) -> [(value, start, end)]   figures with local character ranges
    quotes(text) -> [Quote]                  quoted passages (inside the marks)
    script(ch) -> str                        coarse Unicode script of a letter
    translit_key(name), consonant_skeleton(key)   spelling keys for romanised names

Pure functions over strings: no spaCy parse, no embedding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from fidelity.lang.en import A_UNIT, MONTHS, MULTIPLIERS, NUMBER_WORDS, UNITS
from fidelity.rules.evidence import Quote

# Digits: thousands grouped by commas or spaces ("5,000", "5 000"), a decimal point, or a decimal
# comma as most of Europe writes it ("84,4 million", "2,5 km": a comma before one, two or four or
# more digits; before exactly three it groups thousands); a unit may follow with no space ("3,776m").
# Otherwise a word, which may carry a figure inside it ("M7.6", "G7", "1990s").
_NUM_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?!\d)|\d+)(?:\.(\d+)|,(\d{1,2}|\d{4,})(?!\d))?(?:st|nd|rd|th)?(?=[^\W\d_]*(?!\w))"
    r"|([^\W\d_]+\d+(?:\.\d+)?[^\W\d_]*|\w+)",
    re.UNICODE,
)


_EMBEDDED_RE = re.compile(r"([^\W\d_]*)(\d+(?:\.\d+)?)([^\W\d_]*)", re.UNICODE)


_QUOTE_RE = re.compile(r"“([^”“]{2,}?)”|\"([^\"]{2,}?)\"|«([^»]{2,}?)»|‘([^’‘]{6,}?)’(?!\w)|(?<!\w)'([^']{6,}?)'(?!\w)")


def numbers(text: str) -> list[tuple[float, int, int]]:
    """Numbers with their local character ranges: digits ("5,000", "5000", "2.5"), number words
    ("five thousand", "a dozen"), multipliers ("5 million")."""
    out: list[tuple[float, int, int]] = []
    pending: tuple[float, int, int] | None = None  # a value that a following multiplier may scale
    dates = _numeric_dates(text)
    if dates:  # read as day, month and year, not as decimals ("4.4.2023") or a year range ("2024-01-23")
        masked = list(text)
        for (start, end), _ in dates:
            masked[start:end] = " " * (end - start)
        text = "".join(masked)
    for m in _NUM_RE.finditer(text):
        if m.group(1) and _military_time(text, m):
            # "1200 GMT", "at 0930 hours": a clock time, read as "12:00" / "09:30" are (hours, minutes)
            if pending:
                out.append(pending)
            pending = None
            out += [(float(m.group(1)[:2]), m.start(), m.start() + 2), (float(m.group(1)[2:]), m.start() + 2, m.end())]
            continue
        if m.group(1):
            digits = re.sub(r"[,\u202f\u00a0 ]", "", m.group(1))
            decimals = m.group(2) or m.group(3)
            value = float(digits + ("." + decimals if decimals else ""))
            if pending:
                out.append(pending)
            pending = (value, m.start(), m.end())
            continue
        word = m.group(4).casefold()
        # A figure that stands alone: digits inside a word ("3D", "p109", "G7", "1990s", "5km") or
        # a capitalised month name (not a sentence-initial "May").
        embedded = _EMBEDDED_RE.fullmatch(m.group(4))
        month = month_number(word) if m.group(4)[:1].isupper() and (word != "may" or m.start() > 0) else None
        if embedded or month:
            if pending:
                out.append(pending)
            pending = None
            if embedded:
                out.append((float(embedded.group(2)), m.start() + embedded.start(2), m.start() + embedded.end(2)))
            else:
                out.append((float(month or 0), m.start(), m.end()))
            continue
        if word in MULTIPLIERS and pending is not None and text[pending[2] : m.start()].strip() in ("", "-"):  # "a 12-million-rouble bribe"
            pending = (pending[0] * MULTIPLIERS[word], pending[1], m.end())
            continue
        if word == "one" and re.match(r"\s+another\b", text[m.end() :], re.IGNORECASE):
            word = ""  # the reciprocal pronoun "one another" counts nothing
        if word in A_UNIT and re.search(r"\b(?:a|an|the|this|that|next|last|past|coming|each|per|every)\s+$", text[: m.start()], re.IGNORECASE):
            if pending:  # "a decade" is ten years, "a week" seven days, as "one decade" is by ``equivalents``
                out.append(pending)
            pending = None
            out.append((A_UNIT[word], m.start(), m.end()))
            continue
        if word in ("half", "quarter") and out and out[-1][0] == int(out[-1][0]) and not re.match(r"\s+of\b", text[m.end() :]) and re.fullmatch(r"\s+and\s+an?\s+", text[out[-1][2] : m.start()], re.IGNORECASE):
            # "one and a half million": the fraction joins the figure before a multiplier scales it
            whole = out.pop()
            scale = MULTIPLIERS.get(text[whole[1] : whole[2]].split()[-1].casefold(), 1)  # "one million and a half"
            pending = (whole[0] + NUMBER_WORDS[word] * scale, whole[1], m.end())
            continue
        roman = _roman(m.group(4))
        if roman and (re.match(r"\s+centur", text[m.end() :], re.IGNORECASE) or re.search(r"\b[A-Z][a-z]+\s+$", text[: m.start()])):
            if pending:  # "the XVIII century", "Louis XIV", "Henry VIII" (not "I": the pronoun)
                out.append(pending)
            pending = None
            out.append((float(roman), m.start(), m.end()))
            continue
        if word == "other" and re.search(r"\bevery\s+$", text[: m.start()], re.IGNORECASE):
            word = "two"  # "every other year" is every two years
        if word in NUMBER_WORDS or word in MULTIPLIERS:
            value = float(NUMBER_WORDS.get(word, MULTIPLIERS.get(word, 0)))
            if pending and text[pending[2] : m.start()].strip() in ("", "-") and _is_word_number(text[pending[1] : pending[2]]):
                prev = pending[0]
                # "twenty five" adds, "five thousand" multiplies
                value = prev * value if word in MULTIPLIERS else prev + value if prev >= 20 and value < 10 else value
                if value != float(NUMBER_WORDS.get(word, 0)) or word in MULTIPLIERS:
                    pending = (value, pending[1], m.end())
                    continue
            if pending:
                out.append(pending)
            pending = (value, m.start(), m.end())
            continue
        if pending:
            out.append(pending)
            pending = None
    if pending:
        out.append(pending)
    # "2 hours (and) 30 minutes" is 2.5 hours, as "two and a half hours" is (joined above; a quarter,
    # a half or three quarters of an hour only: other minutes are stated as minutes on both sides)
    merged: list[tuple[float, int, int]] = []
    for figure in out:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last[0] == int(last[0])
            and figure[0] in (15, 30, 45)
            and re.fullmatch(r"\s*h(?:ours?|rs?)?,?\s+(?:and\s+)?", text[last[2] : figure[1]], re.IGNORECASE)
            and re.match(r"\s*min(?:ute)?s?\b", text[figure[2] :], re.IGNORECASE)
        ):
            merged[-1] = (last[0] + figure[0] / 60, last[1], figure[2])
        elif last is not None and last[0] == 12 and re.fullmatch(r"\s+", text[last[2] : figure[1]]) and text[figure[1] : figure[2]].casefold() in ("midnight", "noon", "midday"):
            merged[-1] = (figure[0], last[1], figure[2])  # "12 midnight" is midnight
        else:
            merged.append(figure)
    out = merged
    # A year range with its second year shortened: "1875–76" ends in 1876.
    for k in range(1, len(out)):
        (y, _, y_end), (v, v_start, v_end) = out[k - 1], out[k]
        if 1000 <= y <= 2999 and y == int(y) and 0 <= v < 100 and v == int(v) and re.fullmatch(r"[-–/]", text[y_end:v_start]) and v_end - v_start == 2:
            out[k] = (y - y % 100 + v + (100 if v < y % 100 else 0), v_start, v_end)
    # "one" and "second" are often not numbers ("one of them", "a second look"): keep them only
    # when digits say the same on the other side; that is decided by the number check.
    # (A date's figures join none of the above: they are added last, in text order.)
    return sorted(out + [figure for _, parts in dates for figure in parts], key=lambda figure: figure[1])


def _military_time(text: str, m: re.Match[str]) -> bool:
    """Four digits that are a 24-hour clock time without a colon: before GMT, UTC or Z ("1200
    GMT"), or after "at" and before "hours"/"hrs" ("at 0930 hours")."""
    digits = m.group(0)
    if not re.fullmatch(r"\d{4}", digits) or int(digits[:2]) > 23 or int(digits[2:]) > 59:
        return False
    after, before = text[m.end() : m.end() + 8], text[max(0, m.start() - 4) : m.start()]
    return re.match(r"\s?(?:GMT|UTC|Z)\b", after) is not None or (
        re.search(r"\bat\s+$", before, re.IGNORECASE) is not None and re.match(r"\s+(?:hours|hrs)\b", after, re.IGNORECASE) is not None
    )


# A date in figures: year-month-day (ISO), or day and month before a four-digit year with dots,
# slashes or hyphens ("4.4.2023", "31. 5. 2017", "23/01/2024"; month first, "1/23/2024", too)
_ISO_DATE_RE = re.compile(r"(?<![\w.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-])")


_DMY_DATE_RE = re.compile(r"(?<![\w.,])(\d{1,2})([./-])\s?(\d{1,2})\2\s?(\d{4})(?!\w|[.,]\d)")


def _numeric_dates(text: str) -> list[tuple[tuple[int, int], list[tuple[float, int, int]]]]:
    """Each date written in figures: its range and its day, month and year as figures."""
    out = []
    for m in _ISO_DATE_RE.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            out.append(((m.start(), m.end()), [(float(m.group(g)), m.start(g), m.end(g)) for g in (1, 2, 3)]))
    for m in _DMY_DATE_RE.finditer(text):
        first, second = int(m.group(1)), int(m.group(3))
        if 1 <= min(first, second) and max(first, second) <= 31 and min(first, second) <= 12 and 1000 <= int(m.group(4)) <= 2999:
            out.append(((m.start(), m.end()), [(float(m.group(g)), m.start(g), m.end(g)) for g in (1, 3, 4)]))
    return out


_UNIT_SCALES = tuple((re.compile(rf"[\s-]*(?:{pattern})\b"), size) for pattern, size in UNITS.values())


def equivalents(text: str, n: tuple[float, int, int]) -> set[float]:
    """The values a stated figure may be written as on the other side: itself, a clock hour in
    24-hour time ("6 p.m." = 18:00), a percentage as a fraction ("50%" = half), a decade by its
    last two digits ("the 1990s" = "the nineties"), and a quantity in the next smaller unit
    (km -> m, kg -> g, centuries -> years, decades -> years, weeks and fortnights -> days, days ->
    hours, hours -> minutes); a century by its
    ordinal ("the 18th century" = "the 1700s")."""
    value, start, end = n
    after = text[end : end + 20].casefold()
    out = {value}
    if end - start == 2 and re.fullmatch(r"\d{4}", text[start : start + 4]):
        out.add(float(text[start : start + 4]))  # the hours of "1200 GMT" (``_military_time``), which the other side may write as a plain 1200
    if 1 <= value < 12 and re.match(r"(?::\d\d)?\s*p\.?\s?m\b", after):
        out.add(value + 12)  # "6 p.m.", "6:04 p.m." = 18:04
    if value == 12 and re.match(r"(?::\d\d)?\s*a\.?\s?m\b", after):
        out.add(0.0)
    if value in (15, 30, 45) and (re.match(r"[\s-]*min(?:ute)?s?\b", after) or text[start - 1 : start] == ":"):
        out.add(value / 60)  # "15 minutes" = "a quarter of an hour"; "4:30" = "half past four"
    if re.match(r"\s*(?:%|per\s?cent\b)", after):
        out.add(value / 100)
    if re.match(r"[\s-]*months?\b", after):
        out.add(value / 12)  # "6 months" = "half a year", "18 months" = "a year and a half"
    if 3 <= value <= 10 and re.fullmatch(r"(?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?", text[start:end].casefold()) and re.search(
        r"\b(?:a|one)[\s-]+$", text[:start].casefold()
    ):
        out.add(1 / value)  # "a fifth of the water" = 20% of it
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text[start:end]):
        out.add(float(text[start:end].replace(".", "")))  # a continental thousands point: "20.000" = 20,000
    if value >= 1000 and value % 10 == 0 and text[end : end + 1] == "s":
        out.add(value % 100)
    ordinal = re.search(r"(?:st|nd|rd|th)$", text[start:end].casefold()) is not None or _roman(text[start:end]) is not None
    for pattern, scale in _UNIT_SCALES:
        if pattern.match(after) and not ordinal:
            out.add(value * scale)
    if ordinal and value >= 2 and value == int(value) and re.match(r"[\s-]*century\b", after):
        out.add((value - 1) * 100)  # the 18th century = the 1700s
    return out


def same_value(a: set[float], b: set[float]) -> bool:
    return any(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x in a for y in b)


def month_number(word: str) -> int | None:
    """The number of a month name or its abbreviation ("Sept." -> 9), else None."""
    return MONTHS.get(word.casefold().rstrip("."))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(word: str) -> int | None:
    """The value of an upper-case Roman numeral of two or more letters written the usual way,
    under 90 (centuries and regnal numbers: "XIV" = 14, "XVIII" = 18), else None."""
    if len(word) < 2 or not re.fullmatch(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", word):
        return None
    values = [_ROMAN[ch] for ch in word]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


def _is_word_number(text: str) -> bool:
    return text.isalpha()


def quotes(text: str) -> list[Quote]:
    out = []
    for m in _QUOTE_RE.finditer(text):
        for g in range(1, 6):
            if m.group(g):
                out.append(Quote(m.start(g), m.end(g), m.group(g)))
                break
    return out


@lru_cache(maxsize=4096)
def script(ch: str) -> str:
    """Coarse Unicode script of a letter: LATIN, GREEK, CYRILLIC, CJK, ARABIC, ... (first word of its name)."""
    name = unicodedata.name(ch, "")
    first = name.split(" ")[0] if name else ""
    return "CJK" if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else first


_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def translit_key(name: str) -> str:
    """Fold the spelling differences that romanisation systems disagree on (Yeltsin/
    Jeltsin, Khrushchev/Hrushchev, Dharamsala/Dharamshala): accents, y/j/i, kh/h, sh/s, ie/ye/e, doubled i; and British /
    American endings (Harbour/Harbor, Centre/Center)."""
    s = "".join(ch for ch in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(ch))
    s = s.translate(_UNDECOMPOSED)  # letters NFD leaves whole: Øresund / Öresund, Łódź / Lodz
    s = re.sub(r"[^a-z]", "", s)
    s = s.replace("kh", "h").replace("ph", "f").replace("ck", "k").replace("sh", "s")
    s = s.replace("j", "i").replace("y", "i")
    s = re.sub(r"i+e|ei", "i", s)
    s = re.sub(r"i+", "i", s)
    # British and American spellings of a name's English part (Pearl Harbour / Harbor, Centre / Center)
    s = re.sub(r"our$", "or", s)
    s = re.sub(r"tre$", "ter", s)
    return s


def consonant_skeleton(key: str) -> str:
    """The consonants of a ``translit_key``, as far as romanisations of one name agree on them
    (Chernobyl / Chornobyl, Dnipro / Dnieper, Hangul / Hangeul): vowels dropped, w read as v, an
    h after a consonant dropped. A doubled consonant stays two, and c stays apart from k: a
    Latin-script name that gains or loses a letter (Pellegrini / Pelegrinni) or trades c for k
    (Karoline / Caroline) is misspelt, not romanised. Only a skeleton of
    ``Thresholds.name_skeleton_min`` consonants or more says two names are one: short ones are
    shared by different names (Sudan / Sedan)."""
    s = key.replace("w", "v")
    s = re.sub(r"(?<=[^aeiou])h", "", s)
    return re.sub(r"[aeiou]", "", s)


def _matched_words(a: Sequence[str], b: Sequence[str]) -> int:
    """Words of ``a`` found, in order, in ``b`` (difflib's matching blocks)."""
    return sum(bl.size for bl in SequenceMatcher(None, list(a), list(b), autojunk=False).get_matching_blocks())


def word_containment(part: Sequence[str], whole: Sequence[str]) -> float:
    """Share of ``part``'s words found, in order, in ``whole``."""
    return _matched_words(part, whole) / len(part) if part else 0.0


def word_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice overlap of two word sequences, order-aware through difflib's matching blocks."""
    if not a or not b:
        return 0.0
    return 2.0 * _matched_words(a, b) / (len(a) + len(b))
