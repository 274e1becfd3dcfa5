"""Manifests for ``fidelity check``: a CSV or JSONL file listing the pairs to compare.

In: a manifest path (named by the config's ``manifest`` key or ``check --manifest``). Out: one
``PairSpec`` per row, paths relative to the manifest's folder, which must stay inside the
project (the config's folder, else the current one). A file the bounded reader
refuses, a malformed CSV or JSON line, a missing column or an unknown key is a ``ConfigError``
naming the file and line; a row that names no copy (or no original) becomes an error pair,
so the other rows still run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from fidelity.config import PairSpec, inside, read_text
from fidelity.errors import ConfigError
from fidelity.limits import loads_json

MANIFEST_COLUMNS = ("original", "copy", "partner")


def read_manifest(path: Path, *, root: Path | None = None) -> list[PairSpec]:
    """A CSV (header ``original,copy[,partner]``) or JSONL (one object a line) manifest -> pairs.

    A missing or unparseable manifest, or a CSV without the required columns, is a ``ConfigError``.
    A row that names no copy (or no original), or with ``root`` a file outside that folder (the
    project), becomes an error pair, so the other rows still run.
    """
    text = read_text(path, "manifest", "utf-8-sig")
    rows = _jsonl_rows(path, text) if path.suffix.lower() in (".jsonl", ".ndjson") else _csv_rows(path, text)
    out = []
    for line, row in rows:
        source = f"{path}:{line}"
        wrong = [k for k in MANIFEST_COLUMNS if row.get(k) is not None and not isinstance(row.get(k), str)]
        if wrong:
            raise ConfigError(f"{source}: {wrong[0]!r} must be a string (a path or a partner name)")
        original, copy = (str(row.get(k) or "").strip() for k in ("original", "copy"))
        partner = str(row.get("partner") or "").strip() or None
        if not original or not copy:
            missing = "original" if not original else "copy"
            out.append(PairSpec(path.parent / original, path.parent / copy, partner, source, f"{source}: row has no {missing!r}"))
            continue
        pair = PairSpec(path.parent / original, path.parent / copy, partner, source)
        outside = [p for p in (pair.original, pair.copy) if root is not None and not inside(root, p)]
        if outside:
            pair = replace(pair, error=f"{source}: {str(outside[0])!r} is outside the project ({root}); a manifest's paths must stay inside it")
        out.append(pair)
    return out


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a CSV manifest; a malformed one (a field over csv's 128 KiB limit, a NUL) is a
    ``ConfigError`` naming its line."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        yield from _csv_checked(path, reader)
    except csv.Error as exc:
        raise ConfigError(f"{path}:{reader.line_num}: not valid CSV ({exc})") from None


def _csv_checked(path: Path, reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("original", "copy") if c not in header]
    if missing:
        raise ConfigError(f"{path}:1: CSV header {header!r} lacks column(s) {', '.join(missing)}; expected columns: {', '.join(MANIFEST_COLUMNS)}")
    unknown = [c for c in header if c not in MANIFEST_COLUMNS]
    if unknown:
        raise ConfigError(f"{path}:1: unknown column(s) {', '.join(unknown)}; valid columns: {', '.join(MANIFEST_COLUMNS)}")
    for row in reader:
        if any((v or "").strip() for v in row.values() if isinstance(v, str)):
            yield reader.line_num, row


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = loads_json(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{number}: {exc}") from None
        if not isinstance(row, dict):
            raise ConfigError(f"{path}:{number}: expected an object with keys {', '.join(MANIFEST_COLUMNS)}")
        unknown = [k for k in row if k not in MANIFEST_COLUMNS]
        if unknown:
            raise ConfigError(f"{path}:{number}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(MANIFEST_COLUMNS)}")
        yield number, row
