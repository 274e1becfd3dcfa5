"""Grid search of aligner settings on the development gold pairs (never the seeds, which are held out).

    python corpora/tools/tune_align.py [--gold NAME ...] [--overlap | --no-overlap] [--grid name=v1,v2 ...]

Each pair is aligned with the model and settings ``fidelity eval align`` chooses for it (minilm for
the English pairs, use-m3 for textberg-1957; ``align.settings_for`` its languages: overlap vectors
and the cross-lingual group cost for de-fr, the defaults for the others), embedded once per run
(and kept in fidelity's embedding cache), with every combination of the grid set over those; prints strict/lax F1, omission and addition recall and moved
recall per pair, and the mean strict F1. The figures in docs/alignment.md came from runs such as

    python corpora/tools/tune_align.py --grid length_penalty=0,0.2,0.4,0.6,0.8 skip_scale=1.5,1.8
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np

from fidelity.align import AlignSettings, settings_for
from fidelity.embed import CachedEmbedder, Embedder, get_embedder
from fidelity.eval.align import evaluate_gold, find_gold, read_gold

GOLD = Path(__file__).resolve().parent.parent / "gold"
DEV = ["roundtrip", "edited", "flores-mt", "long", "textberg-de-fr", "textberg-fr-frmt"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", nargs="*", default=DEV, help="gold names (file stems under corpora/gold)")
    parser.add_argument("--overlap", action=argparse.BooleanOptionalAction, default=None,
                        help="overlap embeddings on or off for every pair, as fidelity eval align --overlap/--no-overlap (default: per pair)")
    parser.add_argument("--grid", nargs="*", default=[], help="setting=v1,v2 (AlignSettings field names)")
    args = parser.parse_args()
    if any(name.startswith("seed") for name in args.gold):
        parser.error("the seed pairs are held out: tune on the development pairs only")
    by_name = {p.stem: p for p in find_gold(GOLD)}
    unknown = [name for name in args.gold if name not in by_name]
    if unknown:
        parser.error(f"unknown gold {', '.join(unknown)}; choose from {', '.join(sorted(by_name))}")
    golds = [read_gold(by_name[name]) for name in args.gold]
    loaded: dict[str, Embedder] = {}

    def embedder(name: str) -> Embedder:
        if name not in loaded:
            loaded[name] = CachedEmbedder(get_embedder(name))
        return loaded[name]

    grid = {k: [_value(getattr(AlignSettings(), k), v) for v in vs.split(",")] for k, vs in (g.split("=") for g in args.grid)}
    for combo in itertools.product(*grid.values()) if grid else [()]:
        cells, f1s = [], []
        for gold in golds:
            base = settings_for((gold.language, gold.meta.get("copy-language", gold.language)))
            settings = replace(base, **dict(zip(grid, combo, strict=True)))
            s = evaluate_gold(gold, embedder=embedder, settings=settings, overlap=args.overlap).scores

            def f(x: float | None) -> str:
                return "-" if x is None else f"{x:.2f}"

            cells.append(f"{gold.name} {s.strict_f1:.3f}/{s.lax_f1:.3f} om{f(s.omissions.recall)} "
                         f"ad{f(s.additions.recall)} mv{f(s.moves.recall)}")
            f1s.append(s.strict_f1)
        print(dict(zip(grid, combo, strict=True)), f"mean strict {np.mean(f1s):.4f}", " | ".join(cells), flush=True)


def _value(default: object, text: str) -> object:
    """A grid value typed as the setting's default (``overlap=0,1`` or ``true,false`` for a switch)."""
    if isinstance(default, bool):
        return text.strip().casefold() in ("1", "true", "yes", "on")
    return type(default)(text)


if __name__ == "__main__":
    main()
