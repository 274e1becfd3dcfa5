"""The persistent vector cache on `fidelity check` of one original against 50 copies.

Builds 50 copies of seed 000 with mechanical edits (copy k: line k deleted, a digit changed,
two lines swapped or a word dropped, in turn), then runs in fresh processes, each with
``--format json``:

  1. ``--no-cache``                 the baseline, nothing reused between runs;
  2. ``--cache-dir EMPTY``          first run: computes everything and fills the cache;
  3. ``--cache-dir SAME``           second run: every report read back;
  4. ``--cache-dir SAME``, every copy touched (a blank line appended): new reports, but the
     same sentences, so sentence vectors and alignment calibrations are read back.

Prints the wall and CPU time of each, the ratio second/first (target <= 0.30), whether the
JSON outputs are byte-identical, and, from a cProfile of one more run like 4, the share of
its time spent in spaCy parsing (``fidelity.nlp.parse``, not cached across runs) and in
model loading. CPU time is the steadier figure on a shared machine.

Usage: python benchmarks/bench_cache.py [--copies 50] [--profile/--no-profile]
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "corpora" / "seeds" / "000_e4863368997e6bb7.txt"


def make_copies(original: str, count: int) -> list[str]:
    """``count`` deterministic variants of ``original``, each with one mechanical edit."""
    lines = original.splitlines()
    content = [i for i, line in enumerate(lines) if len(line.split()) >= 6]
    copies = []
    for k in range(count):
        out = list(lines)
        i = content[k % len(content)]
        kind = k % 4
        if kind == 0:
            del out[i]
        elif kind == 1:
            changed = re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), out[i], count=1)
            out[i] = changed if changed != out[i] else out[i].replace(" the ", " no ", 1)
        elif kind == 2:
            j = content[(k + 1) % len(content)]
            out[i], out[j] = out[j], out[i]
        else:
            words = out[i].split(" ")
            del words[len(words) // 2]
            out[i] = " ".join(words)
        copies.append("\n".join(out) + "\n")
    return copies


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"bench_cache: {' '.join(cmd[:4])} ... exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def shares(profile: Path) -> tuple[float, float, float]:
    """(total, spaCy parse, model load) seconds from a cProfile file, by cumulative time."""
    stats = pstats.Stats(str(profile))
    total = max(v[3] for v in stats.stats.values())  # type: ignore[attr-defined]
    parse = load = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename.endswith(os.path.join("fidelity", "nlp.py")) and name == "parse":
            parse = max(parse, cum)
        if filename.endswith(os.path.join("fidelity", "nlp.py")) and name == "_nlp":
            load = max(load, cum)
    return total, parse, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--no-profile", action="store_true", help="Skip the profiled extra warm run.")
    args = parser.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", NO_COLOR="1")
    env.pop("FIDELITY_NO_CACHE", None)
    with tempfile.TemporaryDirectory(prefix="fidelity-bench-cache-") as tmp:
        folder = Path(tmp)
        copies = []
        for k, text in enumerate(make_copies(ORIGINAL.read_text(encoding="utf-8"), args.copies)):
            path = folder / f"copy-{k:03d}.txt"
            path.write_text(text, encoding="utf-8")
            copies.append(str(path))
        cache = folder / "cache"
        base = [sys.executable, "-m", "fidelity", "check", str(ORIGINAL), *copies, "--output-format", "json", "--exit-zero"]
        baseline = run([*base, "--no-cache"], env)
        first = run([*base, "--cache-dir", str(cache)], env)
        second = run([*base, "--cache-dir", str(cache)], env)
        for path in copies:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("\n")
        touched = run([*base, "--cache-dir", str(cache)], env)
        for path in copies:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("\n")  # touched again, so the profiled run finds no report either
        size = sum(p.stat().st_size for p in cache.iterdir())
        profiled = None
        if not args.no_profile:
            prof = folder / "warm.prof"
            cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "fidelity", *base[3:], "--cache-dir", str(cache)]
            run(cmd, env)
            profiled = shares(prof)

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (a shared machine: compare CPU seconds)")
    print(f"fidelity check: 1 original x {args.copies} copies (seed 000 with mechanical edits), --output-format json")
    runs = (("no cache", baseline), ("first run, empty cache", first), ("second run, warm cache", second), ("copies touched, warm cache", touched))
    for label, (w, c, _) in runs:
        print(f"  {label:<26} {w:7.2f} s wall  {c:7.2f} s CPU")
    print(f"  second / first            {second[0] / first[0]:7.2f} wall  {second[1] / first[1]:7.2f} CPU   (target <= 0.30)")
    print(f"  touched / first           {touched[0] / first[0]:7.2f} wall  {touched[1] / first[1]:7.2f} CPU   (vectors and calibrations reused)")
    same = baseline[2] == first[2] == second[2]
    print(f"  outputs identical (no cache, first, second): {'yes' if same else 'NO'}; touched copies: {'same' if touched[2] == first[2] else 'differ'}; cache size {size / 1024:.0f} KiB")
    if profiled is not None:
        total, parse, load = profiled
        print(
            f"  touched-copies run profile: {total:.2f} s in all; spaCy parse {parse:.2f} s ({parse / total:.0%}), "
            f"spaCy load {load:.2f} s ({load / total:.0%}) [cProfile overhead included]"
        )
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
