"""CPU of one comparison of the seed pair 000 vs 002 with the drift-edit rule off and on.

    python benchmarks/bench_drift_edit.py [--runs 3]

One warm process (model, spaCy and parses loaded by a first comparison), then ``--runs``
comparisons each way, alternating, each with a fresh vector cache so every sentence and
recovery variant is embedded again; prints the process CPU seconds of each and the drift-edit
findings. What it measures: the extra cost of ``Thresholds(edit_findings=True)``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "corpora" / "seeds" / "000_e4863368997e6bb7.txt"
COPY = ROOT / "corpora" / "seeds" / "002_8e37ae472674b90e.txt"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("FIDELITY_NO_CACHE", "1")

    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare
    from fidelity.thresholds import Thresholds

    model = get_embedder("minilm")
    original, copy = extract(ORIGINAL), extract(COPY)

    def run(on: bool) -> tuple[float, int]:
        options = Options(model="minilm", language="en", thresholds=Thresholds(edit_findings=on))
        started = time.process_time()
        report = compare(original, copy, options=options, embedder=CachedEmbedder(model))
        return time.process_time() - started, sum(f.rule == "drift-edit" for f in report.findings)

    run(False)  # warm-up
    seconds: dict[bool, list[float]] = {False: [], True: []}
    found = 0
    for _ in range(args.runs):
        for on in (False, True):
            cpu, n = run(on)
            seconds[on].append(cpu)
            found = n if on else found
    off, on = min(seconds[False]), min(seconds[True])
    print(f"off: {' '.join(f'{s:.2f}' for s in seconds[False])} s CPU; on: {' '.join(f'{s:.2f}' for s in seconds[True])} s CPU")
    print(f"best of each: {off:.2f} -> {on:.2f} s ({on / off:.3f}x); drift-edit findings: {found}")


if __name__ == "__main__":
    main()
