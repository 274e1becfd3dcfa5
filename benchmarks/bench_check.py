"""Benchmark: one original checked against 50 partners' copies with ``fidelity check``'s library.

    python benchmarks/bench_check.py [--model minilm] [--copies 50]

The copies are the seed corpus's two real copies (001 syndicated, 002 re-translated), each
varied so that no two are alike (one paragraph dropped, a partner line appended). Prints the
time per copy and how much of it is the original's embedding, which a shared
``CachedEmbedder`` pays once: a counting wrapper around the model shows every original
sentence reaching the model exactly once over the whole run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from fidelity.config import Config, PairSpec
from fidelity.embed import CachedEmbedder, Embedder, Vectors, get_embedder
from fidelity.extract import extract
from fidelity.gate import run_check
from fidelity.segment import segment

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


class Counting:
    """Passes texts to the model and counts how often each one reaches it."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.sent: Counter[str] = Counter()
        self.seconds = 0.0

    @property
    def version(self) -> str:
        return self.inner.version

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.sent.update(texts)
        t0 = time.perf_counter()
        out = self.inner.encode(texts)
        self.seconds += time.perf_counter() - t0
        return out


def make_copies(folder: Path, n: int) -> list[Path]:
    sources = [(SEEDS / name).read_text(encoding="utf-8") for name in ("001_f6ae38cdbea0309d.txt", "002_8e37ae472674b90e.txt")]
    paths = []
    for i in range(n):
        lines = sources[i % 2].splitlines()
        long_lines = [k for k, line in enumerate(lines) if len(line) > 80]
        drop = long_lines[(i // 2) % len(long_lines)]
        text = "\n".join(lines[:drop] + lines[drop + 1 :]) + f"\nRepublished by partner {i} with permission.\n"
        path = folder / f"partner{i:02d}" / "story.txt"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--copies", type=int, default=50)
    args = parser.parse_args()

    original = SEEDS / "000_e4863368997e6bb7.txt"
    with tempfile.TemporaryDirectory() as tmp:
        copies = make_copies(Path(tmp), args.copies)
        counting = Counting(get_embedder(args.model))
        counting.inner.encode(["warm-up: load the model before timing"])

        # The original's embedding on its own, on the warm model: what each copy would pay again
        # without a shared cache.
        sentences = [s.text for s in segment(extract(original))]
        t0 = time.perf_counter()
        counting.inner.encode(sentences)
        t_original = time.perf_counter() - t0

        cached = CachedEmbedder(counting)
        config = Config(path=None, root=Path(tmp), model=args.model)
        pairs = [PairSpec(original, c, c.parent.name) for c in copies]
        # Load spaCy and the other lazy stages once, outside the timing, as a CI process does once.
        run_check(config, pairs=pairs[:1], embedder=CachedEmbedder(get_embedder(args.model)))
        t0 = time.perf_counter()
        result = run_check(config, pairs=pairs, embedder=cached)
        total = time.perf_counter() - t0

    n = len(result.results)
    statuses = Counter(r.status for r in result.results)
    original_sent = [counting.sent[s] for s in dict.fromkeys(sentences)]
    print(f"fidelity check: 1 original x {n} copies, model {args.model}")
    print(f"signature: {result.signature}")
    print(f"pairs: {dict(statuses)}")
    print(f"total {total:.2f} s, {total / n * 1000:.0f} ms per copy")
    print(f"model time over the run: {counting.seconds:.2f} s for {sum(counting.sent.values())} texts ({cached.encoded} distinct)")
    print(
        f"original: {len(sentences)} sentences, embedded in {t_original * 1000:.0f} ms on the warm model; "
        f"each reached the model {min(original_sent)}-{max(original_sent)} time(s) over the {n} copies"
    )
    print(
        f"the original's embedding is paid once: {t_original * 1000:.0f} ms of {total:.2f} s "
        f"({t_original / total:.1%}); {t_original / n * 1000:.1f} ms per copy amortised, "
        f"against {t_original * 1000:.0f} ms per copy ({t_original * n:.2f} s in all) without the shared cache"
    )


if __name__ == "__main__":
    main()
