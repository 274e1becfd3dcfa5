"""One escaping function per output channel: text from the inputs is data, never commands.

In: any string that came from an input (a sentence, a file or partner name, a message that
quotes either). Out: the same string made inert for one channel.

- ``terminal``: control characters (C0 but newline and tab, DEL, C1), which a terminal would
  run as escape sequences (clear screen, OSC 0 window title, OSC 8 links, colours), and the
  bidirectional overrides and isolates, which reorder what a reader sees (Trojan Source),
  become visible placeholders.
- ``markup``: ``terminal`` plus rich's markup escaping, for a string interpolated into a rich
  markup string (``[bold]{name}[/]``), so ``[/bold].txt`` or ``[link=...]`` stay text.
- ``workflow_data`` / ``workflow_property``: ``terminal`` (a CI log shows colours and escape
  sequences as a terminal does; a line separator other than LF and CR is no separator to the
  runner), then the GitHub Actions runner's own escaping of a workflow command's message and of
  a property value (actions/toolkit ``escapeData`` and ``escapeProperty``), so a newline in a
  name cannot start a command of its own.

- ``markdown`` / ``markdown_code``: for GitHub-flavoured Markdown (the ``markdown`` format and
  the step summary): one line, ASCII punctuation backslash-escaped so a name cannot open a
  link, an image, raw HTML or a table cell; or a code span whose fence is longer than any
  run of backticks inside.
- ``uri``: a relative path as a percent-encoded URI reference (SARIF ``artifactLocation``).
- ``json_text``: serialised JSON (written with ``ensure_ascii=False``) with DEL, the C1 controls,
  the bidirectional controls and U+2028/U+2029 as ``\\uXXXX`` escapes: the same values, but a
  JSON report printed to a terminal carries no control character (JSON escapes only C0 itself).
- ``xml_text``: the same for serialised XML, as character references (JUnit).

HTML is escaped by Jinja2's autoescape in the HTML renderer; JSON, SARIF and JUnit by their
serialisers.
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates (Unicode TR9): U+202A-U+202E, U+2066-U+2069,
# and the marks U+200E, U+200F, U+061C that can flip the order of neighbouring text.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _placeholder(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC, ␍ for CR
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def terminal(text: str) -> str:
    """``text`` with every character a terminal would act on (or reorder by) made visible."""
    return _UNSAFE.sub(_placeholder, text)


def markup(text: str) -> str:
    """``terminal(text)`` escaped for interpolation into a rich markup string."""
    from rich.markup import escape

    return escape(terminal(text))


def workflow_data(text: str) -> str:
    """``terminal`` but for CR, then the runner's escaping of a workflow command's message
    (``escapeData``), which turns CR and LF into ``%0D`` and ``%0A``."""
    return "%0D".join(terminal(part).replace("%", "%25").replace("\n", "%0A") for part in text.split("\r"))


def workflow_property(text: str) -> str:
    """The runner's escaping of a workflow command's property value (``escapeProperty``)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&\"'=$:])")


def markdown(text: str) -> str:
    """``text`` as inert Markdown inline text on one line (GitHub-flavoured, inside a table too)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(terminal(text).split()))


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span on one line, safe inside a table cell."""
    flat = " ".join(terminal(text).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def json_text(serialised: str) -> str:
    """Serialised JSON with the characters of ``_JSON_UNSAFE`` written as ``\\uXXXX``. They can
    only stand inside a string literal (JSON's own syntax is ASCII), so the values are unchanged."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", serialised)


def xml_text(serialised: str) -> str:
    """Serialised XML with the characters of ``_JSON_UNSAFE`` as character references; they
    can only stand in text and attribute values (the names are fidelity's own)."""
    return _JSON_UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", serialised)


def uri(path: str) -> str:
    """A relative POSIX path as a URI reference: every byte outside the unreserved set and
    ``/`` percent-encoded (spaces, accents, ``#``, ``?``, ``%``)."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/", errors="backslashreplace")
