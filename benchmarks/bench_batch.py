"""`fidelity batch` throughput beside the raw encoder, and its peak memory by input size.

For each ``--rows`` N: an input of N pairs cycled from DEMETR (benchmarks/data/demetr-flores,
15,937 rows, in a fixed shuffled order so that any N mixes every perturbation; past 15,937 the
texts repeat under new ids, so the in-run vector cache hits and memory grows less than with N
distinct texts) is run through ``fidelity batch --quiet
--no-cache`` in a fresh process under /usr/bin/time, which gives wall time and peak RSS.
Then, for the smallest N, the raw encoder alone (MiniLM, loaded in a fresh process) embeds
the distinct segmented sentences of the same rows: both pairs/s are printed side by side,
with their ratio (target >= 0.70), by wall time and by whole-process CPU time (the steadier
one on a shared machine: the two runs are not at the same time).

With ``--stages``, one more run of the smallest N in a fresh process prints its CPU by stage:
leaf stages wrapped, each adding the process CPU time (all threads) of its calls; none of
them switches between the pairs of a round inside, so the figures do not nest. The encoder's
calls are split into the chunks' sentences (the texts the raw encoder embeds) and the rounds'
later texts; the checks' detectors are listed one by one; the rest is imports, the checks'
other work, report objects and the rounds' bookkeeping. Then the budget's two bounds: the
ratio left if nothing but the encoder's calls cost anything, and if spaCy's load and parse
cost what they do too.

Usage: python benchmarks/bench_batch.py [--rows 1000 10000 100000] [--stages]
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
ENCODER = """
import json, sys, time
from fidelity.embed import MiniLM
from fidelity.segment import segment
from fidelity.extract import extract
rows = [json.loads(x) for x in open(sys.argv[1], encoding="utf-8")]
start = time.perf_counter()
texts = {}
for row in rows:
    for side in ("original", "copy"):
        if row[side].strip():
            texts.update(dict.fromkeys(s.text for s in segment(extract("x", text=row[side]))))
model = MiniLM()
model.encode(list(texts))
print(json.dumps({"seconds": time.perf_counter() - start, "sentences": len(texts)}))
"""

STAGES = """
import json, os, sys, time
start = time.process_time()
import fidelity.cli
import fidelity.batch as batch, fidelity.embed as embed, fidelity.nlp as nlp, fidelity.pipeline as pipeline
import fidelity.rules.analysis as analysis, fidelity.score as score, fidelity.segment as segment
own = {}
def wrap(owner, name, stage):
    real = getattr(owner, name, None)
    if real is None:
        return
    def timed(*args, **kwargs):
        t = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            label = stage(args) if callable(stage) else stage
            own[label] = own.get(label, 0.0) + time.process_time() - t
    setattr(owner, name, timed)
def encoder_call(args):
    # the chunk's one call for its sentences (what the raw encoder embeds too), or a round's
    # call for the pairs' later texts (recovery variants, merged groups)
    caller = sys._getframe(3).f_code.co_name
    return "MiniLM: the chunks' sentences" if caller == "_run_chunk" else "MiniLM: the rounds' texts"
wrap(embed.MiniLM, "encode", encoder_call)
wrap(nlp, "_nlp", "spaCy import and load")
wrap(nlp, "_parse", "spaCy parse")
wrap(segment, "segment", "segment (chunk)")
wrap(pipeline, "segment", "segment (compare)")
wrap(batch, "_document", "extract")
wrap(batch, "resolve", "language and model (chunk)")
wrap(pipeline, "align", "align")
wrap(score, "score_pairs", "score pairs")
wrap(analysis, "wordalign", "word alignment")
wrap(batch, "record", "output records")
for detector in ("name_hits", "polarity_hits", "untranslated_hits", "edit_hits", "role_hits", "order_hits", "number_hits",
                 "quote_hits", "subject_hits", "article_hits", "broken_clause_hits", "broken_phrase_hits", "systematic"):
    wrap(analysis, detector, "checks: " + detector)
wrap(analysis, "features", "checks: severity features")
sys.argv = ["fidelity", "batch", sys.argv[1], "-o", sys.argv[2], "--quiet", "--no-cache"]
try:
    fidelity.cli.main()
except SystemExit:
    pass
own["total"] = time.process_time() - start
print(json.dumps(own))
"""


def write_rows(path: Path, count: int) -> None:
    # DEMETR is stored grouped by perturbation (its first 500 rows all have an empty copy):
    # a fixed shuffle makes every prefix a mix of all of them
    source = sorted(DATA.read_text(encoding="utf-8").splitlines(), key=lambda line: hashlib.sha256(line.encode()).digest())
    with path.open("w", encoding="utf-8") as fh:
        for k, line in enumerate(itertools.islice(itertools.cycle(source), count)):
            row = json.loads(line)
            fh.write(json.dumps({"id": k, "original": row["original"], "copy": row["copy"]}) + "\n")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS in KiB, stdout) of ``cmd`` under /usr/bin/time;
    exits if it failed. CPU time (user + system, all threads) hardly moves with the load of a
    shared machine, so the ratio of CPU times is the steadier one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M", *cmd], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some pair has findings at the failing severity
        sys.exit(f"bench_batch: {' '.join(cmd[:4])} ... exited {done.returncode}: {done.stderr[-500:]}")
    rss = int(next(x.split()[1] for x in done.stderr.splitlines() if x.startswith("MAXRSS")))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, rss, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1000])
    parser.add_argument("--stages", action="store_true", help="One more run of the smallest N, its CPU by stage.")
    args = parser.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", FIDELITY_NO_CACHE="1")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared: compare ratios, not seconds)")
    with tempfile.TemporaryDirectory(prefix="fidelity-bench-batch-") as tmp:
        first = None
        for n in sorted(args.rows):
            src = Path(tmp) / f"in-{n}.jsonl"
            write_rows(src, n)
            seconds, cpu, rss, _ = timed([sys.executable, "-m", "fidelity", "batch", str(src), "-o", str(Path(tmp) / "out.jsonl"), "--quiet", "--no-cache"], env)
            print(f"  fidelity batch, {n:>7} rows: {seconds:8.1f} s wall {cpu:8.1f} s CPU  {n / seconds:7.2f} pairs/s  peak RSS {rss / 1024:7.0f} MiB")
            first = first or (n, seconds, cpu, src)
        assert first is not None
        n, batch_wall, batch_cpu, src = first
        seconds, cpu, rss, out = timed([sys.executable, "-c", ENCODER, str(src)], env)
        enc = json.loads(out)
        enc_rate = n / enc["seconds"]
        print(
            f"  raw encoder (MiniLM), same {n} rows: {enc['sentences']} distinct sentences segmented and embedded in "
            f"{enc['seconds']:.1f} s = {enc_rate:.2f} pairs/s (process {seconds:.1f} s wall, {cpu:.1f} s CPU, peak RSS {rss / 1024:.0f} MiB)"
        )
        print(f"  batch / raw encoder: {n / batch_wall / enc_rate:.2f} by wall pairs/s, {cpu / batch_cpu:.2f} by whole-process CPU   (target >= 0.70)")
        if args.stages:
            done = subprocess.run([sys.executable, "-c", STAGES, str(src), str(Path(tmp) / "out.jsonl")], env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"bench_batch: stage run failed: {done.stderr[-500:]}")
            own = json.loads(done.stdout.strip().splitlines()[-1])
            total = own.pop("total")
            print(f"  one more batch of {n} rows, CPU by stage ({total:.1f} s CPU in all):")
            for stage, spent in [*sorted(own.items(), key=lambda kv: -kv[1]), ("the rest", total - sum(own.values()))]:
                print(f"    {stage:<36} {spent:7.2f} s  {spent / total:4.0%}")
            # the budget: the best ratio left if everything but these stages cost nothing
            model = sum(v for k, v in own.items() if k.startswith("MiniLM"))
            spacy = own.get("spaCy parse", 0.0) + own.get("spaCy import and load", 0.0)
            print(f"  bounds: with nothing but the encoder's calls {cpu / model:.2f}, with spaCy's load and parse too "
                  f"{cpu / (model + spacy):.2f} (raw encoder {cpu:.1f} s CPU / those stages' CPU)")


if __name__ == "__main__":
    main()
