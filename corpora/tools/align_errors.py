"""What the aligner gets wrong on a gold pair, by kind, with counts and examples.

    python corpora/tools/align_errors.py [--gold NAME ...] [--examples N] [--overlap | --no-overlap]

Each pair is aligned as ``fidelity eval align`` aligns it (model and settings for its languages).
Every returned group that is not a gold group is one of:

- *piece*: all its sentences lie in one gold group (a gold n:m returned in pieces, or a gold
  group returned with a sentence left out);
- *merge*: it holds two or more gold groups whole (a 1:1 with a caption or debris line, two
  1:1 pairs as one 2:2);
- *shifted*: it reaches into two or more gold groups without holding all of them (a boundary
  in the wrong place).

Every gold group that is not returned is one of: *out of reach* (its sentences are not
consecutive on a side, e.g. debris the gold leaves out from inside a group, or it is larger
than any shape either pass tries), *in pieces* (each returned group that touches it lies
inside it), or *crossed* (a returned group reaches out of it). One-sided groups count a
sentence each, as the strict measure counts them, and are counted apart ("1-sided"). The figures in docs/alignment.md
("What the errors are") came from this script.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from fidelity.align import AlignSettings, settings_for
from fidelity.embed import CachedEmbedder, Embedder, get_embedder
from fidelity.eval.align import evaluate_gold, find_gold, format_group, read_gold
from fidelity.types import Group

GOLD = Path(__file__).resolve().parent.parent / "gold"
DEV = ["textberg-fr-frmt", "textberg-de-fr"]

Key = tuple[tuple[int, ...], tuple[int, ...]]


def units(groups: tuple[Group, ...] | list[Group]) -> list[Key]:
    """Groups as the strict measure counts them: a one-sided group is one unit a sentence."""
    out: list[Key] = []
    for g in groups:
        if g.original and g.copy:
            out.append((tuple(g.original), tuple(g.copy)))
        else:
            out += [((i,), ()) for i in g.original] + [((), (j,)) for j in g.copy]
    return out


def _owners(key: Key, of_o: dict[int, Key], of_c: dict[int, Key]) -> set[Key]:
    return {of_o[i] for i in key[0] if i in of_o} | {of_c[j] for j in key[1] if j in of_c}


def _holds(outer: Key, inner: Key) -> bool:
    return set(inner[0]) <= set(outer[0]) and set(inner[1]) <= set(outer[1])


def classify(gold: list[Key], test: list[Key], settings: AlignSettings) -> tuple[Counter[str], dict[str, list[Key]]]:
    """Counts and examples of each kind of error (module docstring): ``returned ...`` kinds
    for the returned groups not in the gold, ``gold ...`` kinds for the gold groups not returned."""
    gold_set, test_set = set(gold), set(test)
    index: dict[str, dict[int, Key]] = {"go": {}, "gc": {}, "to": {}, "tc": {}}
    for key in gold:
        index["go"].update(dict.fromkeys(key[0], key))
        index["gc"].update(dict.fromkeys(key[1], key))
    for key in test:
        index["to"].update(dict.fromkeys(key[0], key))
        index["tc"].update(dict.fromkeys(key[1], key))
    kinds: Counter[str] = Counter()
    examples: dict[str, list[Key]] = {}

    def note(kind: str, key: Key) -> None:
        kind += "" if key[0] and key[1] else " (1-sided)"
        kinds[kind] += 1
        examples.setdefault(kind, []).append(key)

    for key in test:
        if key in gold_set:
            continue
        owners = _owners(key, index["go"], index["gc"])
        if len(owners) <= 1:
            note("returned: piece", key)
        elif all(_holds(key, g) for g in owners):
            note("returned: merge", key)
        else:
            note("returned: shifted", key)
    reach = max(settings.max_group, settings.anchor_group)
    size = max(settings.max_size, settings.anchor_size)
    for key in gold:
        if key in test_set:
            continue
        o, c = key
        consecutive = all(list(side) == list(range(side[0], side[0] + len(side))) for side in (o, c) if side)
        if not consecutive or len(o) > reach or len(c) > reach or len(o) + len(c) > size:
            note("gold: out of reach", key)
        elif all(_holds(key, t) for t in _owners(key, index["to"], index["tc"])):
            note("gold: in pieces", key)
        else:
            note("gold: crossed", key)
    return kinds, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", nargs="*", default=DEV, help="gold names (file stems under corpora/gold)")
    parser.add_argument("--examples", type=int, default=5, help="examples shown per kind")
    parser.add_argument("--overlap", action=argparse.BooleanOptionalAction, default=None,
                        help="overlap embeddings on or off, as fidelity eval align --overlap/--no-overlap (default: per pair)")
    args = parser.parse_args()
    by_name = {p.stem: p for p in find_gold(GOLD)}
    unknown = [name for name in args.gold if name not in by_name]
    if unknown:
        parser.error(f"unknown gold {', '.join(unknown)}; choose from {', '.join(sorted(by_name))}")
    loaded: dict[str, Embedder] = {}

    def embedder(name: str) -> Embedder:
        if name not in loaded:
            loaded[name] = CachedEmbedder(get_embedder(name))
        return loaded[name]

    for name in args.gold:
        gold = read_gold(by_name[name])
        settings = settings_for((gold.language, gold.meta.get("copy-language", gold.language)))
        result = evaluate_gold(gold, embedder=embedder, settings=settings, overlap=args.overlap)
        kinds, examples = classify(units(gold.groups), units(result.alignment.groups), result.settings)
        s = result.scores
        print(f"{name}: strict F1 {s.strict_f1:.3f}, lax {s.lax_f1:.3f}; {result.settings.signature}")
        for kind in sorted(kinds):
            shown = ", ".join(format_group(Group(o, c, "match")) for o, c in examples[kind][: args.examples])
            print(f"  {kind:<30} {kinds[kind]:>4}   {shown}")


if __name__ == "__main__":
    main()
