"""``fidelity batch --engine ray``: the local batch comparison, run on Ray Data.

    run(lines, options=..., actors=N) -> Iterator[RayRow]      (input order kept)

Input: the same JSONL lines as ``fidelity.batch`` (read on the driver, numbered there, so a
bad line is reported with its line number exactly as the local engine does). The rows go
to a fixed pool of ``actors`` Ray actors; each actor loads the embedder (and spaCy, on first
use) once and compares its batches of rows with ``fidelity.batch.run_batch``, the local
engine's own function, so every output record is byte-identical to the local one. Output:
one ``RayRow`` a line, in input order; the CLI writes them as JSONL, or as Parquet (columns
``line``, ``id`` (as JSON), ``record`` (the JSONL record), ``error`` and ``fails``).

``ray`` is an extra (``pip install 'fidelity[ray]'``); this module imports it only in
``run``. When no Ray runtime is up, ``run`` starts a local one (``address=None``) or joins
a cluster (``address="auto"`` inside ``ray job submit``; see docs/scale-out.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity.cache import ENV_DIR, ENV_OFF
from fidelity.errors import ConfigError
from fidelity.pipeline import Options
from fidelity.types import Severity

DEFAULT_BATCH_ROWS = 64
"""Rows an actor compares in one call: its sentences go to the model in one batch."""


@dataclass(frozen=True)
class RayRow:
    """One output line: the JSON record of ``fidelity.batch.record`` and what the CLI counts."""

    line: int
    record: str  # the JSON text of the local engine's output line, without the newline
    error: bool  # the line produced no result
    fails: bool  # a finding reaches the run's fail-on severity
    names_output: bool = False  # the line names the output file as a document (BatchError.names_output)


class PairComparer:
    """A Ray actor: loads the models once, then compares batches of numbered JSONL lines."""

    def __init__(self, options: Options, keep_boilerplate: bool, base: str | None, fail_on: str, cache_env: dict[str, str],
                 output: str | None = None) -> None:
        from fidelity.embed import CachedEmbedder, get_embedder, initial_model

        os.environ.update(cache_env)  # the driver's --cache-dir / --no-cache, on a node it did not start

        self.options = options
        self.keep_boilerplate = keep_boilerplate
        self.base = Path(base) if base is not None else None
        self.output = Path(output) if output is not None else None  # a line naming it is an error row
        self.fail_on = Severity(fail_on)
        self.embedder = CachedEmbedder(get_embedder(initial_model(options.model)))

    def __call__(self, batch: Any) -> dict[str, Any]:
        import numpy as np

        from fidelity.batch import BatchError, overlong, parse_line, record, run_batch
        from fidelity.report.escape import json_text

        numbers, raws = batch["line"].to_pylist(), batch["raw"].to_pylist()  # a pyarrow table
        items = [overlong(number) if raw is None else parse_line(raw, number, base=self.base, output=self.output) for number, raw in zip(numbers, raws, strict=True)]
        out: dict[str, list[Any]] = {"line": [], "record": [], "error": [], "fails": [], "names_output": []}
        results = run_batch(items, options=self.options, embedder=self.embedder, keep_boilerplate=self.keep_boilerplate, chunk_size=len(items) or 1)
        for item in results:
            out["line"].append(item.line)
            out["record"].append(json_text(json.dumps(record(item), ensure_ascii=False)))
            out["error"].append(isinstance(item, BatchError))
            out["names_output"].append(isinstance(item, BatchError) and item.names_output)
            out["fails"].append(not isinstance(item, BatchError) and any(f.severity >= self.fail_on for f in item.report.findings))
        return {key: np.array(values, dtype=object if key == "record" else None) for key, values in out.items()}


def run(
    lines: Iterable[bytes | None],
    *,
    options: Options,
    keep_boilerplate: bool = False,
    base: Path | None = None,
    fail_on: Severity = Severity.MAJOR,
    actors: int = 2,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    address: str | None = None,
    progress: bool = False,
    output: Path | None = None,
) -> Iterator[RayRow]:
    """Compare every usable input line on a pool of ``actors`` Ray actors; rows in input order.

    Blank lines are skipped, and a line naming ``output`` is an error row, as in
    ``fidelity.batch.read_pairs``. Starts a local Ray runtime
    (or joins ``address``) unless one is already initialised in this process.
    """
    ray = _import_ray()
    if actors < 1:
        raise ConfigError(f"--actors: expected 1 or more, got {actors}")
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # output lines in input order, like the local engine
    context.enable_progress_bars = progress
    rows = [
        {"line": number, "raw": raw}  # bytes: an actor decodes, so a non-UTF-8 line fails as it does locally
        for number, raw in enumerate(lines, start=1)
        if raw is None or raw.strip()  # None: a line over the size limit, reported as the local engine does
    ]
    if not rows:
        return
    # at least one block an actor, so every actor gets work; blocks of about batch_rows rows
    blocks = min(len(rows), max(actors, -(-len(rows) // batch_rows)))
    dataset = ray.data.from_items(rows, override_num_blocks=blocks)
    compared = dataset.map_batches(
        PairComparer,
        fn_constructor_kwargs={
            "options": options,
            "keep_boilerplate": keep_boilerplate,
            "base": str(base) if base is not None else None,
            "fail_on": fail_on.value,
            "cache_env": {k: v for k, v in os.environ.items() if k in (ENV_DIR, ENV_OFF)},
            "output": str(output) if output is not None else None,
        },
        compute=ray.data.ActorPoolStrategy(size=actors),
        batch_size=batch_rows,
        batch_format="pyarrow",
        num_cpus=1,
    )
    for row in compared.iter_rows():
        yield RayRow(int(row["line"]), str(row["record"]), bool(row["error"]), bool(row["fails"]), bool(row["names_output"]))


def write_parquet(rows: Iterable[RayRow], path: Path) -> None:
    """The output rows as one Parquet file (columns ``line``, ``id``, ``record``, ``error``, ``fails``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffered = list(rows)
    table = pa.table(
        {
            "line": [r.line for r in buffered],
            "id": [json.dumps(json.loads(r.record).get("id")) for r in buffered],
            "record": [r.record for r in buffered],
            "error": [r.error for r in buffered],
            "fails": [r.fails for r in buffered],
        }
    )
    pq.write_table(table, path)


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ModuleNotFoundError:
        raise ConfigError("--engine ray needs Ray: pip install 'fidelity[ray]'") from None
    return ray
