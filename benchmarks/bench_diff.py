"""Speed of `fidelity diff` on the seed pair 000 vs 002 (the re-translated copy).

Prints:
  * `fidelity --help` wall time (target < 0.5 s: heavy imports are lazy);
  * a cold `fidelity diff` in a fresh process: imports, model load and pipeline (target < 10 s),
    with the persistent vector cache off;
  * the embedding floor: a fresh process that loads fidelity's MiniLM and embeds every line of
    both files, run alternately with the cold diff, and the ratio cold diff / floor (target <= 1.5);
  * `fidelity diff` run again with the persistent cache warm (the report is read back);
  * the pipeline alone in a warm process (model loaded, nothing cached);
  * where one more cold diff's CPU goes (a fresh process whose stages are timed by wrappers:
    each stage's own CPU time, its inner stages' taken out; the rest is imports, extraction,
    scoring, the other checks and the report). That process loads spaCy when the checks first
    ask, not in the background (``nlp.preload`` is off there), so that no stage's CPU time
    holds the load's; the load costs the same CPU either way.

  * one more cold diff's CPU on its main thread against the whole process's: what ran on the
    main thread is serial; the rest ran in the encoder's threads and in the background thread
    that loads spaCy, parses ahead and reads the tables (``nlp.preload``), beside the encoder.

Every process runs with Python's bytecode cache on, in a temporary folder
(``PYTHONPYCACHEPREFIX``), warmed by one unmeasured run of each: an installed package has its
``.pyc`` files, and a checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
fidelity's own modules on every run (about 0.1 s of a cold diff, less of the floor).
Wall times count the whole process, the background load included.

Usage: python benchmarks/bench_diff.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "corpora" / "seeds" / "000_e4863368997e6bb7.txt"
COPY = ROOT / "corpora" / "seeds" / "002_8e37ae472674b90e.txt"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"HF_HUB_OFFLINE": "1", "NO_COLOR": "1", "FIDELITY_NO_CACHE": "1"}
FLOOR = f"""
from pathlib import Path
from fidelity.embed import MiniLM
lines = [x for p in ({str(ORIGINAL)!r}, {str(COPY)!r}) for x in Path(p).read_text(encoding="utf-8").splitlines() if x.strip()]
MiniLM().encode(lines)
"""

# The command itself, as both instrumented processes below run it (report to /dev/null).
RUN_DIFF = f"""sys.argv = ["fidelity", "diff", {str(ORIGINAL)!r}, {str(COPY)!r}, "--format", "json"]
sys.stdout = open(os.devnull, "w")
try:
    fidelity.cli.main()
except SystemExit:
    pass
"""

# A cold diff in a fresh process with its stages wrapped: each wrapper adds the CPU time of its
# call, less that of the wrapped stages called inside it, to its stage (process_time counts every
# thread of the process, so the encoder's threads are in).
PHASES = f"""
import json, os, sys, time
os.environ["FIDELITY_NO_CACHE"] = "1"
start = time.process_time()
import fidelity.cli
import fidelity.embed as embed, fidelity.models.minilm as minilm, fidelity.nlp as nlp
import fidelity.pipeline as pipeline, fidelity.rules.analysis as analysis, fidelity.segment as segment
nlp.preload = lambda *args, **kwargs: None  # spaCy loads when first asked, so its CPU is its own stage's
own, stack = {{}}, []  # stack: [stage, CPU of wrapped calls inside] per wrapped call under way
def wrap(owner, name, stage):
    real = getattr(owner, name)
    def timed(*args, **kwargs):
        # the model's calls from the drift rule's recovery are that stage's
        here = "recovery variants (MiniLM)" if stage.startswith("MiniLM") and any(s == "recover" for s, _ in stack) else stage
        stack.append([here, 0.0])
        t = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent = time.process_time() - t
            _, inner = stack.pop()
            own[here] = own.get(here, 0.0) + spent - inner
            if stack:
                stack[-1][1] += spent
    setattr(owner, name, timed)
wrap(segment, "_tokenizer", "sentence splitter load (punkt)")
wrap(pipeline, "segment", "segment")
wrap(minilm, "BertSentenceEncoder", "MiniLM load")
wrap(embed.MiniLM, "encode", "MiniLM: the sentences")
wrap(analysis, "recover", "recover")
wrap(nlp, "_nlp", "spaCy import and load")
wrap(nlp, "_parse", "spaCy parse")
wrap(pipeline, "align", "align")
wrap(analysis, "analyse", "checks' shared pass (detectors)")
{RUN_DIFF}own["total"] = time.process_time() - start
sys.__stdout__.write(json.dumps(own))
"""

# A cold diff as the command runs it (the background load on), reporting its main thread's CPU.
MAIN_THREAD = f"""
import os, sys, threading, time
import fidelity.cli
{RUN_DIFF}for thread in threading.enumerate():
    if thread is not threading.main_thread():
        thread.join()
sys.__stdout__.write(f"{{time.thread_time()}} {{time.process_time()}}")
"""


def wall(cmd: list[str], env: dict[str, str] = ENV) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys) of one run of ``cmd``. CPU time is the steadier
    figure on a shared machine: it does not grow when other jobs take the cores."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "fidelity"]
    bytecode = tempfile.TemporaryDirectory(prefix="fidelity-bench-pyc-")
    ENV["PYTHONPYCACHEPREFIX"] = bytecode.name

    diff = [*exe, "diff", str(ORIGINAL), str(COPY), "--format", "json"]
    wall(diff)  # unmeasured: writes the bytecode of everything a diff and the floor import
    wall([sys.executable, "-c", FLOOR])
    help_times = [wall([*exe, "--help"]) for _ in range(args.runs)]
    cold, floor = [], []
    for _ in range(args.runs):  # alternate, so that a change in the machine's load hits both
        cold.append(wall(diff))
        floor.append(wall([sys.executable, "-c", FLOOR]))
    with tempfile.TemporaryDirectory(prefix="fidelity-bench-diff-") as cache:
        cached_env = {k: v for k, v in ENV.items() if k != "FIDELITY_NO_CACHE"}
        wall([*diff, "--cache-dir", cache], cached_env)  # fills the cache
        warm_cache = [wall([*diff, "--cache-dir", cache], cached_env) for _ in range(args.runs)]

    os.environ["FIDELITY_NO_CACHE"] = "1"  # the in-process pipeline below embeds from scratch too
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
    rows = (
        ("fidelity --help", help_times, "(target < 0.5 s)"),
        ("cold fidelity diff 000 vs 002", cold, "(target < 10 s)"),
        ("embedding floor", floor, "(load MiniLM, embed every line)"),
        ("diff again, cache warm", warm_cache, "(report read back)"),
    )
    for label, runs, note in rows:
        w = statistics.median(r[0] for r in runs)
        c = statistics.median(r[1] for r in runs)
        print(f"{label:<32} median {w:6.2f} s wall, {c:6.2f} s CPU   {note}")
    wall_ratio = statistics.median(r[0] for r in cold) / statistics.median(r[0] for r in floor)
    cpu_ratio = statistics.median(r[1] for r in cold) / statistics.median(r[1] for r in floor)
    print(f"cold diff / embedding floor      {wall_ratio:6.2f}x wall, {cpu_ratio:5.2f}x CPU   (target <= 1.5x)")
    print(f"model load (in process)                 {load:6.2f} s")
    print(f"pipeline alone, model loaded     median {statistics.median(warm):6.2f} s")

    done = subprocess.run([sys.executable, "-c", PHASES], env=ENV, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        own = json.loads(done.stdout)
        total = own.pop("total")
        own["recovery variants (MiniLM)"] = own.get("recovery variants (MiniLM)", 0.0) + own.pop("recover", 0.0)
        print(f"one more cold diff, CPU by stage ({total:.2f} s CPU in all):")
        for stage, seconds in [*sorted(own.items(), key=lambda kv: -kv[1]), ("the rest", total - sum(own.values()))]:
            print(f"  {stage:<36} {seconds:6.2f} s  {seconds / total:4.0%}")
    else:
        print(f"stage breakdown failed: {done.stderr[-300:]}")
    done = subprocess.run([sys.executable, "-c", MAIN_THREAD], env=ENV, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        main_cpu, all_cpu = (float(x) for x in done.stdout.split())
        print(f"one more cold diff: main thread {main_cpu:.2f} s CPU of {all_cpu:.2f} s (the rest: encoder threads, background load)")
    else:
        print(f"main thread measurement failed: {done.stderr[-300:]}")
    bytecode.cleanup()


if __name__ == "__main__":
    main()
