"""Peak memory of `fidelity batch` as the number of rows grows: is the streaming bounded?

One `fidelity batch --quiet --no-cache` process over N rows whose texts never repeat (the
DEMETR rows in bench_batch.py's fixed shuffled order; past its 15,937 rows the same rows with
" (cycle K)" appended to both texts, so no in-run cache hits a repeat and every bounded cache
fills). The results stream to a file; every ``--every`` seconds the script reads the process's
high-water mark of RSS (``VmHWM`` in /proc) and the rows written so far, and prints the peak
reached by each checkpoint, then the slope between the last checkpoints (MiB per 1,000 rows).

``--model hashing`` takes the encoder out (no torch model): what is left is the streaming
structure itself (chunks, rounds, the vector and parse caches, spaCy, the aligner).

Usage: python benchmarks/bench_memory.py [--rows 40000] [--checkpoints 10000,20000,40000] [--model minilm|hashing]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "demetr-flores" / "demetr_flores.jsonl"


def write_distinct_rows(path: Path, count: int) -> None:
    source = sorted(DATA.read_text(encoding="utf-8").splitlines(), key=lambda line: hashlib.sha256(line.encode()).digest())
    with path.open("w", encoding="utf-8") as fh:
        for k, line in enumerate(itertools.islice(itertools.cycle(source), count)):
            row = json.loads(line)
            cycle = k // len(source)
            tail = f" (cycle {cycle})" if cycle else ""
            fh.write(json.dumps({"id": k, "original": row["original"] + tail, "copy": row["copy"] + tail}) + "\n")


def high_water_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=40000)
    ap.add_argument("--checkpoints", default="", help="comma-separated row counts (default: quarters of --rows)")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    args = ap.parse_args()
    marks = sorted(int(x) for x in args.checkpoints.split(",") if x) or [args.rows * q // 4 for q in (1, 2, 3, 4)]

    with tempfile.TemporaryDirectory() as tmp:
        rows, out = Path(tmp) / "rows.jsonl", Path(tmp) / "out.jsonl"
        write_distinct_rows(rows, args.rows)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        cmd = [sys.executable, "-m", "fidelity", "batch", "--quiet", "--no-cache", "--model", args.model, str(rows)]
        print(f"fidelity batch --model {args.model}, {args.rows} distinct rows, checkpoints {marks}", flush=True)
        start = time.perf_counter()
        samples: list[tuple[int, int, float]] = []  # (rows written, high-water KiB, seconds)
        written = 0
        pending = list(marks)
        with out.open("wb") as sink, out.open("rb") as reader:
            proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL, env=env)
            while proc.poll() is None:
                time.sleep(args.every)
                try:
                    hwm = high_water_kib(proc.pid)
                except (FileNotFoundError, ProcessLookupError):
                    break
                if not hwm:  # the process has just ended: /proc no longer reports its memory
                    break
                written += reader.read().count(b"\n")
                samples.append((written, hwm, time.perf_counter() - start))
                while pending and written >= pending[0]:  # a long run reports each checkpoint as it passes
                    print(f"  passed {pending.pop(0)} rows: {hwm / 1024:.0f} MiB high-water mark at {written} rows, "
                          f"{samples[-1][2]:.0f} s, load average {os.getloadavg()[0]:.1f}", flush=True)
            # (a process that has just ended stays a zombie, without a VmHWM line, until it is waited for)
            proc.wait()
            written += reader.read().count(b"\n")
            cpu = os.times()
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            sys.exit(f"fidelity batch exited {proc.returncode}")
        # the kernel's own peak of the whole run (ru_maxrss of the one child, in KiB on Linux)
        whole = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        # the last sample before the process ended stands for its last rows
    load = os.getloadavg()
    print(f"fidelity batch --model {args.model}, {args.rows} distinct rows: {wall:.0f} s wall, "
          f"{cpu.children_user + cpu.children_system:.0f} s CPU, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"whole run ({written} rows written): peak RSS {whole / 1024:.0f} MiB (the kernel's high-water mark of the process)")
    print(f"{'rows':>8}  {'peak RSS':>9}")
    points: list[tuple[int, float]] = []
    for mark in marks:
        reached = [(w, h) for w, h, _ in samples if w >= mark]
        before = [(w, h) for w, h, _ in samples if w < mark]
        if reached:  # the high-water mark at the first sample past the checkpoint
            w, h = reached[0]
        elif before and mark >= args.rows:
            w, h = before[-1]
        else:
            continue
        points.append((mark, h / 1024))
        print(f"{mark:>8}  {h / 1024:>5.0f} MiB  (sampled at {w} rows)")
    for (a, ha), (b, hb) in itertools.pairwise(points):
        print(f"slope {a}-{b} rows: {(hb - ha) / (b - a) * 1000:.1f} MiB per 1,000 rows")


if __name__ == "__main__":
    main()
