"""Where a short document's pair stops being a counterpart: ``Thresholds.short_match_min_similarity``.

A text of one to three sentences gives coverage nothing to count: one honest paraphrase below
``match_min_similarity`` makes it "not a copy". This prints, on WMT22 honest dev (cs-en and zh-en;
de-en is held out), MiniLM cosines of the two professional translations of each line (counterparts),
of a line's original beside the next line's copy (same document and topic, other content), and of
sentences 500 lines apart (unrelated), then the share of each on either side of candidate thresholds.
The threshold is the 99th percentile of the unrelated cosines: below it a pair is as far apart as two
sentences of different documents.

    python training/fit_short_counterpart.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from fidelity.embed import get_embedder

ROOT = Path(__file__).resolve().parents[1]
DEV_PAIRS = ("cs-en", "zh-en")


def main() -> None:
    rows = [json.loads(line) for line in (ROOT / "benchmarks/data/wmt22-honest/honest.jsonl").open(encoding="utf-8")]
    dev = [r for r in rows if r["pair"] in DEV_PAIRS]
    model = get_embedder("minilm")
    o = model.encode([r["original"] for r in dev])
    c = model.encode([r["copy"] for r in dev])
    counterparts = (o * c).sum(1)
    neighbours = np.array([float(o[i] @ c[i + 1]) for i in range(len(dev) - 1) if dev[i]["pair"] == dev[i + 1]["pair"]])
    unrelated = np.array([float(o[i] @ c[(i + 500) % len(dev)]) for i in range(len(dev))])
    print(f"{len(dev)} honest dev lines ({', '.join(DEV_PAIRS)})")
    print(f"unrelated (500 lines apart): median {np.median(unrelated):.3f}, 95th {np.quantile(unrelated, 0.95):.3f}, 99th {np.quantile(unrelated, 0.99):.3f}")
    print(f"neighbours (next line's copy): median {np.median(neighbours):.3f}, 90th {np.quantile(neighbours, 0.9):.3f}")
    print("threshold  counterparts below  neighbours at/above  unrelated at/above")
    for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        print(f"{t:9.2f}  {np.mean(counterparts < t):18.4f}  {np.mean(neighbours >= t):19.4f}  {np.mean(unrelated >= t):18.4f}")
    print(f"chosen: the 99th percentile of unrelated cosines, {np.quantile(unrelated, 0.99):.3f}")


if __name__ == "__main__":
    main()
