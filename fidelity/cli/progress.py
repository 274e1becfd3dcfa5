"""The progress bar of the long commands (batch, check over many pairs, bench), on stderr.

Shown only to a person: stderr is a terminal, ``--quiet`` is not given and no ``CI``
variable says the run is automated (CI logs are terminals on some runners, and a redrawn
bar there is noise). Otherwise the bar is disabled and writes nothing.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def enabled(quiet: bool) -> bool:
    ci = os.environ.get("CI", "").strip().lower()
    return not quiet and sys.stderr.isatty() and ci in ("", "0", "false", "no")


def bar(quiet: bool, label: str) -> Any:
    """A transient rich ``Progress`` on stderr (disabled per ``enabled``): N of M, elapsed, left."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled(quiet),
        transient=True,
    )
