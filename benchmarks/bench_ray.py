"""Throughput of `fidelity batch --engine ray` with 1 and 2 actors, beside the local engine.

Takes the first ``--rows`` DEMETR pairs (benchmarks/data/demetr-flores: a FLORES sentence
or two against a perturbed translation), starts a local Ray runtime with 2 CPUs, and times
``fidelity.engines.ray.run`` with 1 and then 2 actors (each run includes its actors loading
the model and spaCy: that is what a job pays), then ``fidelity.batch.run_batch`` in this
process. Prints pairs/s for each, and checks that the records are the same.

Usage: python benchmarks/bench_ray.py [--rows 300]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "demetr-flores" / "demetr_flores.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--actors", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    os.environ.setdefault("FIDELITY_NO_CACHE", "1")  # measure the work, not the vector cache
    import ray

    from fidelity.batch import read_pairs, record, run_batch
    from fidelity.engines import ray as engine
    from fidelity.pipeline import Options

    lines = DATA.read_bytes().splitlines()[: args.rows]
    options = Options()
    ray.init(num_cpus=max(2, *args.actors), include_dashboard=False, log_to_driver=False, configure_logging=False)
    results: dict[str, tuple[float, list[str]]] = {}
    for actors in args.actors:
        start = time.perf_counter()
        rows = [r.record for r in engine.run(lines, options=options, actors=actors)]
        results[f"ray, {actors} actor{'s' if actors > 1 else ''}"] = (time.perf_counter() - start, rows)
    ray.shutdown()
    start = time.perf_counter()
    local = [json.dumps(record(r), ensure_ascii=False) for r in run_batch(read_pairs(lines), options=options)]
    results["local engine, 1 process"] = (time.perf_counter() - start, local)

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared: other jobs take CPU too)")
    print(f"{len(lines)} DEMETR pairs, model minilm, vector cache off; times include model and spaCy loading")
    for label, (seconds, rows) in results.items():
        same = "same records" if rows == local else "RECORDS DIFFER"
        print(f"  {label:<24} {seconds:7.1f} s  {len(rows) / seconds:6.2f} pairs/s   {same}")


if __name__ == "__main__":
    main()
