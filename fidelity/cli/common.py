"""What every command shares: the error boundary, exit codes, the safe writer and option helpers.

The error boundary (``guarded``): a ``FidelityError`` is the user's problem, one line and
exit 2; any other exception is a bug, reported as one "internal error" line with exit 2 (never
1, which CI reads as "the copy failed") and a hint to rerun with ``--debug`` for the traceback.

The safe writer (``write_output``, ``output_file``): ``-`` is stdout; a path is refused when it
is one of the inputs (same file, also through a link); otherwise the text goes to a temporary
file beside it that is renamed over it at the end, so a crash leaves the previous file whole.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TypeVar

import typer

from fidelity.errors import FidelityError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


class Split(StrEnum):
    """``--split``: segment with Punkt, or take the files as one sentence per line."""

    sentences = "sentences"
    lines = "lines"


class TextOrJson(StrEnum):
    """``--format`` of the commands that print either a table for a person or JSON."""

    text = "text"
    json = "json"


def error(message: str) -> typer.Exit:
    """Print one line on stderr (input-derived text made inert) and return the exit to raise."""
    from fidelity.report.escape import terminal

    line = " ".join(terminal(message).split("\n"))
    sys.stderr.write(f"fidelity: error: {line}\n".encode("utf-8", "backslashreplace").decode("utf-8"))
    sys.stderr.flush()
    return typer.Exit(EXIT_ERROR)


DEBUG_ENV = "FIDELITY_DEBUG"


def debugging() -> bool:
    """True when ``fidelity --debug`` (which sets ``FIDELITY_DEBUG=1`` for the process: typer
    runs the command outside the option's reach) or the environment asked for tracebacks."""
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def guarded(func: F) -> F:
    """Turn ``FidelityError``, a broken pipe, Ctrl-C and any unexpected exception (a bug) into
    one line on stderr and exit 2; ``--debug`` re-raises the unexpected ones with the traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except FidelityError as exc:
            raise error(str(exc)) from None
        except KeyboardInterrupt:
            raise error("interrupted") from None
        except BrokenPipeError:
            with contextlib.suppress(OSError, ValueError):  # no second error flushing stdout at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_ERROR) from None
        except OSError as exc:  # writing an output file: a directory, no permission, disk full
            where = exc.filename or "output"
            raise error(f"{where}: {exc.strerror or exc}") from None
        except Exception as exc:
            if debugging():
                raise
            raise error(
                f"internal error ({type(exc).__name__}: {_first_line(exc)}); this is a bug in fidelity, "
                "please report it; rerun with --debug for the traceback"
            ) from None

    return wrapper  # type: ignore[return-value]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no message"


# --- the safe writer ---------------------------------------------------------------------


def check_output(output: str | Path | None, inputs: Iterable[str | Path]) -> None:
    """Refuse (``FidelityError``) an output path that is one of ``inputs``, before any work."""
    from fidelity.errors import ConfigError
    from fidelity.limits import same_file

    if output is None or str(output) == "-":
        return
    out = Path(output)
    for source in inputs:
        if str(source) == "-":
            continue
        if same_file(out, Path(source)):
            raise ConfigError(f"--output {output} is also an input; it would be overwritten with the report")
    if out.is_dir():
        raise ConfigError(f"--output {output} is a directory")
    if not out.parent.is_dir():
        raise ConfigError(f"--output {output}: folder {out.parent} does not exist")
    if out.exists() and not out.is_file():
        raise ConfigError(f"--output {output} is not a regular file")


@contextlib.contextmanager
def output_file(output: str | Path | None, inputs: Iterable[str | Path] = ()) -> Iterator[IO[str]]:
    """A text stream for the report: stdout for ``None`` or ``-``, else a temporary file beside
    ``output`` renamed over it when the block ends without an exception (removed if it fails)."""
    check_output(output, inputs)
    if output is None or str(output) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
            yield fh
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(text: str, output: str | Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``text`` through ``output_file``."""
    with output_file(output, inputs) as fh:
        fh.write(text)


def check_model_language(model: str, language: str, split: str) -> None:
    """Refuse (``FidelityError``, before any work) an unknown ``--model`` or a ``--language``
    that is malformed or, when sentences are split, has no segmenter; ``auto`` passes."""
    from fidelity.embed import MODELS, parse_languages
    from fidelity.errors import ConfigError
    from fidelity.segment import language_name

    if model != "auto" and model not in MODELS:
        raise ConfigError(f"unknown model {model!r}; choose one of: auto, {', '.join(MODELS)}")
    for lang in parse_languages(language):
        if lang != "auto" and split == "sentences":
            language_name(lang)


def parse_severity(value: str, option: str) -> Any:
    from fidelity.errors import ConfigError
    from fidelity.types import Severity

    try:
        return Severity(value.lower())
    except ValueError:
        raise ConfigError(f"{option}: unknown severity {value!r}; choose one of: minor, major, critical") from None


def split_list(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())
