"""Grid search of aligner settings on the synthetic gold pairs (never the seeds, which are held out).

    python corpora/tools/tune_align.py [--cache DIR] [--gold NAME ...] [--grid name=v1,v2 ...]

Embeds each pair once with minilm (vectors cached as .npy in --cache), then aligns with every
combination of the grid and prints strict/lax F1 and moved recall per pair and their mean.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np

from fidelity.align import AlignSettings, align
from fidelity.embed import get_embedder
from fidelity.eval.align import read_gold, score
from fidelity.extract import extract
from fidelity.segment import segment

GOLD = Path(__file__).resolve().parent.parent / "gold"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default="/tmp/fidelity-align-cache")
    parser.add_argument("--gold", nargs="*", default=["roundtrip", "edited", "long"])
    parser.add_argument("--grid", nargs="*", default=[], help="setting=v1,v2 (AlignSettings field names)")
    args = parser.parse_args()
    if any(name.startswith("seed") for name in args.gold):
        parser.error("the seed pairs are held out: tune on the synthetic pairs only")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    embedder = get_embedder("minilm")
    data = []
    for name in args.gold:
        gold = read_gold(GOLD / f"{name}.gold")
        s_o, s_c = segment(extract(str(gold.original))), segment(extract(str(gold.copy)))
        vecs = []
        for side, sents in (("o", s_o), ("c", s_c)):
            path = cache / f"{name}.{side}.npy"
            if not path.exists():
                np.save(path, embedder.encode([s.text for s in sents]))
            vecs.append(np.load(path))
        data.append((name, gold, s_o, s_c, vecs))
    grid = {k: [type(getattr(AlignSettings(), k))(v) for v in vs.split(",")] for k, vs in (g.split("=") for g in args.grid)}
    for combo in itertools.product(*grid.values()) if grid else [()]:
        settings = replace(AlignSettings(), **dict(zip(grid, combo, strict=True)))
        cells, f1s = [], []
        for name, gold, s_o, s_c, (e_o, e_c) in data:
            s = score(gold.groups, align(s_o, s_c, e_o, e_c, settings=settings).groups)
            moved = "-" if s.moves.recall is None else f"{s.moves.recall:.3f}"
            cells.append(f"{name} {s.strict_f1:.3f}/{s.lax_f1:.3f}/mv{moved}")
            f1s.append(s.strict_f1)
        print(dict(zip(grid, combo, strict=True)), f"mean strict {np.mean(f1s):.4f}", " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
