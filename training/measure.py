"""Summarise a demetr_features.py output: the issue-5 figures, per setting and item split.

    python training/measure.py FEATURES.jsonl [--items even|odd|all]

Prints per perturbation the share flagged at major or above, the clean false-flag rate, and
pairwise accuracy (clean pair's score strictly above the perturbed pair's score, same item).
The official benchmark is ``fidelity bench demetr``; this is the quick development loop.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--items", default="all", choices=["even", "odd", "all"])
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.path, encoding="utf-8")]
    rows = [r for r in rows if "error" not in r]
    if args.items != "all":
        rows = [r for r in rows if (r["item"] % 2 == 0) == (args.items == "even")]
    for setting in ("independent", "derived"):
        sub = [r for r in rows if r["setting"] == setting]
        if not sub:
            continue
        clean = {r["item"]: r["score"] for r in sub if r["perturbation"] == "clean"}
        by_pert: dict[str, list[dict]] = defaultdict(list)
        for r in sub:
            by_pert[r["perturbation"]].append(r)
        print(f"== {setting} ({args.items} items)")
        sev_flag: dict[str, list[int]] = defaultdict(list)
        sev_pair: dict[str, list[int]] = defaultdict(list)
        for pert in sorted(by_pert):
            rs = by_pert[pert]
            flagged = [r["top"] in ("major", "critical") for r in rs]
            pair = [clean[r["item"]] > r["score"] for r in rs if r["item"] in clean and r["perturbation"] != "clean"]
            sev = rs[0]["severity"]
            sev_flag[sev] += flagged
            sev_pair[sev] += pair
            acc = f"{sum(pair) / len(pair):.2f}" if pair else "  - "
            print(f"  {pert:34s} n={len(rs):4d} flagged={sum(flagged) / len(rs):.2f} pairwise={acc}")
        for sev in ("critical", "major", "minor", "base", "none"):
            if sev in sev_flag:
                f, p = sev_flag[sev], sev_pair[sev]
                acc = f"{sum(p) / len(p):.3f}" if p else "  - "
                print(f"  [{sev:8s}] flagged={sum(f) / len(f):.3f} pairwise={acc}")
        minor4 = [r for r in sub if r["perturbation"].split("_", 2)[-1] in ("case", "final_punc_removed", "punc_addition", "tokenized", "misspelled", "char_removed", "full_lower", "first_lower")]
        if minor4:
            print(f"  [minor case/punct/token/spelling] flagged={sum(r['top'] in ('major', 'critical') for r in minor4) / len(minor4):.3f}")


if __name__ == "__main__":
    main()
