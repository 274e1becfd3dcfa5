"""Speed of `fidelity diff` on the seed pair 000 vs 002 (the re-translated copy).

Prints:
  * `fidelity --help` wall time (target < 0.5 s: heavy imports are lazy);
  * a cold `fidelity diff` in a fresh process: imports, model load and pipeline (target < 10 s);
  * the pipeline alone in a warm process (model loaded, nothing cached), and its stages.

Usage: python benchmarks/bench_diff.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "corpora" / "seeds" / "000_e4863368997e6bb7.txt"
COPY = ROOT / "corpora" / "seeds" / "002_8e37ae472674b90e.txt"
ENV = dict(os.environ, HF_HUB_OFFLINE="1", NO_COLOR="1")


def wall(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys) of one run of ``cmd``. CPU time is the steadier
    figure on a shared machine: it does not grow when other jobs take the cores."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "fidelity"]

    help_times = [wall([*exe, "--help"]) for _ in range(args.runs)]
    cold = [wall([*exe, "diff", str(ORIGINAL), str(COPY), "--format", "json"]) for _ in range(args.runs)]

    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import compare

    model = get_embedder("minilm")
    t0 = time.perf_counter()
    model.encode(["warm-up"])
    load = time.perf_counter() - t0
    warm = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        compare(extract(ORIGINAL), extract(COPY), embedder=CachedEmbedder(model))
        warm.append(time.perf_counter() - t0)

    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}")
    for label, runs, target in (("fidelity --help", help_times, "0.5"), ("cold fidelity diff 000 vs 002", cold, "10")):
        w = statistics.median(r[0] for r in runs)
        c = statistics.median(r[1] for r in runs)
        print(f"{label:<32} median {w:6.2f} s wall, {c:6.2f} s CPU   (target < {target} s)")
    print(f"model load (in process)                 {load:6.2f} s")
    print(f"pipeline alone, model loaded     median {statistics.median(warm):6.2f} s")


if __name__ == "__main__":
    main()
