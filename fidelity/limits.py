"""The bounded reader: every limit fidelity puts on what it reads, in one place.

In: bytes or text from a user (a document, a JSONL line of a batch or a manifest, a config).
Out: the same data, or an ``InputError`` naming the limit that was passed. Nothing here
prints; the CLI turns the error into one line and exit 2 (a batch row into an error row).

The limits exist so that no input, however built, makes a run hang, eat the machine's
memory or die with a traceback; they are far above any real article or manifest:

- ``MAX_BYTES``: a document (10 MiB).
- ``MAX_BATCH_LINE_BYTES``: one JSONL line of ``fidelity batch`` (two documents and an id).
- ``MAX_DEPTH``: nesting of JSON arrays/objects and of TOML tables/arrays.
- ``MAX_INT_DIGITS``: an integer in JSON (an id).
- ``MAX_FIELD_BYTES``: one field of a CSV manifest.
- ``MAX_SENTENCE_CHARS`` (in ``fidelity.segment``): a sentence longer than this is cut.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from fidelity.errors import InputError

MAX_BYTES = 10 * 1024 * 1024
MAX_BATCH_LINE_BYTES = 2 * MAX_BYTES + 64 * 1024
MAX_DEPTH = 32
MAX_INT_DIGITS = 64
MAX_FIELD_BYTES = 1024 * 1024


def open_regular(path: str | Path, name: str | None = None) -> IO[bytes]:
    """Open ``path`` for reading if it is a regular file, else raise ``InputError`` saying why.

    A FIFO, a device or a socket would block or never end, so they are refused before
    opening; a symlink loop, a missing file and a folder each get their own reason.
    """
    shown = name or str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(shown, _os_reason(exc)) from None
    except ValueError:  # os.stat refuses a path with a NUL character
        raise InputError(shown, "is not a valid path (it contains a NUL character)") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(shown, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
        raise InputError(shown, f"is {kind}; give a regular file")
    try:
        return open(path, "rb")  # the caller closes it
    except OSError as exc:
        raise InputError(shown, _os_reason(exc)) from None


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (through a link too); by absolute name when either
    does not exist yet."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one does not exist yet (or is no valid path): compare names
        return os.path.abspath(a) == os.path.abspath(b)


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot be read ({exc.strerror or exc})"


def read_bytes(path: str | Path, name: str | None = None, *, limit: int = MAX_BYTES) -> bytes:
    """A whole regular file, refused when larger than ``limit``."""
    shown = name or str(path)
    with open_regular(path, shown) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(shown, _os_reason(exc)) from None
    if len(data) > limit:
        raise InputError(shown, f"is larger than the {_size(limit)} limit")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"


def lines(stream: IO[bytes], *, limit: int = MAX_BATCH_LINE_BYTES) -> Iterator[bytes | None]:
    """The lines of ``stream``, each read with at most ``limit`` bytes in memory.

    A longer line yields ``None`` (the caller reports it) and is skipped to its end, so an
    endless stream without newlines costs a bounded amount of memory.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drop the rest of the line in bounded pieces
                rest = stream.readline(1024 * 1024)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer longer than {MAX_INT_DIGITS} digits")
    return int(digits)


def _parse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads_json(text: str) -> Any:
    """``json.loads`` within the limits: raises ``ValueError`` with a one-line reason for bad
    JSON, integers over ``MAX_INT_DIGITS`` digits, NaN/Infinity, nesting deeper than
    ``MAX_DEPTH``, or a string holding an unpaired surrogate (which no UTF-8 output can
    carry)."""
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    check_depth(value, "JSON")
    return value


def check_depth(value: Any, what: str) -> None:
    """Raise ``ValueError`` when ``value`` nests deeper than ``MAX_DEPTH`` or holds a string
    (key or value) with an unpaired surrogate. Iterative: no recursion limit to hit."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise ValueError(f"{what} nested deeper than {MAX_DEPTH} levels")
            if isinstance(item, dict):
                stack.extend((k, depth + 1) for k in item)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)


def check_text(text: str) -> None:
    """Raise ``ValueError`` when ``text`` holds an unpaired surrogate (U+D800-U+DFFF)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains an unpaired surrogate U+{ord(text[exc.start]):04X}, which is not text") from None
