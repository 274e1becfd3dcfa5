"""What every command shares: the error boundary, exit codes and option parsing helpers."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

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
    """Print one line on stderr and return the exit to raise."""
    print(f"fidelity: error: {message}", file=sys.stderr)
    return typer.Exit(EXIT_ERROR)


def guarded(func: F) -> F:
    """Turn ``FidelityError`` (and a broken pipe or Ctrl-C) into one line on stderr and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FidelityError as exc:
            raise error(str(exc)) from None
        except KeyboardInterrupt:
            raise error("interrupted") from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(EXIT_ERROR) from None
        except OSError as exc:  # writing an output file: a directory, no permission, disk full
            where = exc.filename or "output"
            raise error(f"{where}: {exc.strerror or exc}") from None

    return wrapper  # type: ignore[return-value]


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
