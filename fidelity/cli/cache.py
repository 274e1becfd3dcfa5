"""``--cache-dir`` and ``--no-cache``, shared by diff, check, batch and align.

The options become ``$FIDELITY_CACHE_DIR`` / ``$FIDELITY_NO_CACHE`` for this process, which
``fidelity.cache`` reads when an embedder opens its store: one place decides, and the worker
processes of ``batch --jobs N`` (spawned with this environment) follow the same choice.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from fidelity.cache import ENV_DIR, ENV_OFF

CACHE_DIR = typer.Option(None, "--cache-dir", help="Keep the cache (sentence vectors, parses, calibrations, reports) here (default: $FIDELITY_CACHE_DIR, else the user cache directory).")
NO_CACHE = typer.Option(False, "--no-cache", help="Neither read nor write the cache (also FIDELITY_NO_CACHE=1).")


def apply(cache_dir: Path | None, no_cache: bool) -> None:
    """Make the command's cache options the run's setting (see the module docstring)."""
    if cache_dir is not None:
        os.environ[ENV_DIR] = str(cache_dir)
    if no_cache:
        os.environ[ENV_OFF] = "1"
