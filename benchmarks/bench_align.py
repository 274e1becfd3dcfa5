"""Time and peak memory of the aligner on the long gold pair, and scaled to 10,000 sentences a side.

    python benchmarks/bench_align.py [--model minilm|hashing] [--gold corpora/gold/long.gold] [--cross-lingual]

Prints: sentences, embedding seconds (shown apart), alignment seconds, peak memory of the
alignment (tracemalloc, numpy buffers included) and of the whole process (ru_maxrss, which
includes the model), and strict/lax F1 against the gold. The 10k run concatenates the
long pair with itself (original after original, copy after copy) and cuts to 10,000
sentences a side, so the aligner sees a real 10k x 10k problem. ``--cross-lingual``: the
settings of a pair in two languages (``align.CROSS_LINGUAL``: overlap vectors, 5 runs a
sentence to embed; the 10k run tiles them likewise).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

from fidelity.align import CROSS_LINGUAL, MONOLINGUAL, AlignSettings, align, side_vectors
from fidelity.embed import get_embedder
from fidelity.eval.align import read_gold, score
from fidelity.extract import extract
from fidelity.segment import segment
from fidelity.types import Sentence

ROOT = Path(__file__).resolve().parent.parent


def run(label: str, s_o: list[Sentence], s_c: list[Sentence], e_o: np.ndarray, e_c: np.ndarray, gold=None,  # type: ignore[no-untyped-def]
        settings: AlignSettings = MONOLINGUAL) -> None:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    alignment = align(s_o, s_c, e_o, e_c, settings=settings)
    seconds = time.perf_counter() - t0
    load = max(load, os.getloadavg()[0])  # the machine is shared: say how busy it was
    # memory in a second run: tracemalloc slows Python code several times, so it must not be timed
    tracemalloc.start()
    align(s_o, s_c, e_o, e_c, settings=settings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = f"{label}: {len(s_o)} x {len(s_c)} sentences, align {seconds:.1f} s (1-min load average up to {load:.1f} on {os.cpu_count()} cores), align peak {peak / 2**20:.0f} MiB (tracemalloc), process max RSS {rss:.0f} MiB"
    if gold is not None:
        s = score(gold.groups, alignment.groups)
        line += f", strict F1 {s.strict_f1:.3f}, lax F1 {s.lax_f1:.3f}, moved recall {s.moves.recall if s.moves.recall is not None else float('nan'):.3f}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--gold", default=str(ROOT / "corpora/gold/long.gold"))
    parser.add_argument("--scale", type=int, default=10_000, help="sentences a side for the scaled run")
    parser.add_argument("--cross-lingual", action="store_true", help="align.CROSS_LINGUAL (overlap vectors) instead of the defaults")
    args = parser.parse_args()
    gold = read_gold(args.gold)
    s_o = segment(extract(str(gold.original)))
    s_c = segment(extract(str(gold.copy)))
    embedder = get_embedder(args.model)
    t0 = time.perf_counter()
    settings = CROSS_LINGUAL if args.cross_lingual else MONOLINGUAL
    e_o = side_vectors(embedder, [s.text for s in s_o], settings)
    e_c = side_vectors(embedder, [s.text for s in s_c], settings)
    print(f"model {embedder.name}-{embedder.version}, {'overlap' if settings.overlap else 'sentence'} vectors: embedding"
          f" {len(s_o) + len(s_c)} sentences took {time.perf_counter() - t0:.1f} s (not counted below)", flush=True)
    run("long pair", s_o, s_c, e_o, e_c, gold, settings)
    reps = -(-args.scale // min(len(s_o), len(s_c)))
    big_o = [replace(s, index=k) for k, s in enumerate(s_o * reps)][: args.scale]
    big_c = [replace(s, index=k) for k, s in enumerate(s_c * reps)][: args.scale]
    def tiled(vec: np.ndarray) -> np.ndarray:  # (n, d) or overlap vectors (k, n, d): repeat the sentences
        return np.tile(vec, (reps, 1))[: args.scale] if vec.ndim == 2 else np.tile(vec, (1, reps, 1))[:, : args.scale]

    run(f"scaled x{reps}", big_o, big_c, tiled(e_o), tiled(e_c), settings=settings)


if __name__ == "__main__":
    main()
