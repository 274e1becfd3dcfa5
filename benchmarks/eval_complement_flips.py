"""How often the negation rule's complement check could fire: rows where a content verb is
completed by another verb on both sides ("failed to *report*" / "chose to *report*") and the two
chains say it happened on one side only (``fidelity.rules.polarity.flipped_complements``).

Reads the parses only, before the rule's other conditions (equal negation-cue counts, no antonym
finding on the chain), so the count is an upper bound on the rule's findings of this kind. Prints
each row found (the set, its label, the verb and the two chains) and the count per set.

Usage: python benchmarks/eval_complement_flips.py [--split dev|test]
    dev:  WMT22 honest dev, DEMETR dev, WMT23 dev
    test: WMT22 honest held-out, DEMETR test, WMT23 test
"""

from __future__ import annotations

import argparse

from fidelity import nlp
from fidelity.eval import demetr, honest, mqm
from fidelity.rules.polarity import flipped_complements


def flips(original: str, copy: str) -> list[tuple[str, list[str], list[str]]]:
    o_doc, c_doc = nlp.parse([original, copy])
    return [(o[2].text, [t.text for t in o[1]], [t.text for t in c[1]]) for o, c in flipped_complements(o_doc, c_doc)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    args = ap.parse_args()
    dev = args.split == "dev"
    sets = {
        "wmt22-honest": [(r.original, r.copy, r.pair) for r in honest.load(split="dev" if dev else "heldout")],
        "demetr": [(r.original, r.copy, r.perturbation) for r in demetr.load(split="dev" if dev else "test")],
        "wmt23-mqm": [(r.original, r.copy, f"mqm {r.mqm:g}") for r in mqm.load(split="dev" if dev else "test")],
    }
    for name, rows in sets.items():
        found = 0
        for original, copy, label in rows:
            hits = flips(original, copy)
            if hits:
                found += 1
                print(f"{name}  {label}  {hits}\n  - {original[:200]}\n  + {copy[:200]}", flush=True)
        print(f"{name} ({args.split}): {found} of {len(rows)} rows", flush=True)


if __name__ == "__main__":
    main()
