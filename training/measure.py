"""Summarise a demetr_features.py output: the issue-5 figures, per setting and item split.

    python -m training.measure FEATURES.jsonl [--items even|odd|all]

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
    ap.add_argument("--rejudge", action="store_true", help="re-apply the shipped severity model to the stored features")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.path, encoding="utf-8")]
    rows = [r for r in rows if "error" not in r]
    if args.rejudge:
        for r in rows:
            _rejudge(r)
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


_RANK = {"": 0, "minor": 1, "major": 2, "critical": 3}
_PEN = {"minor": 0.03, "major": 0.25, "critical": 0.45}  # fidelity.score._PAIR_PENALTY


def _rejudge(r: dict) -> None:
    """What DriftCheck and score.py give with the current model, from the stored features
    (one-sentence pairs: the score is the pair quality times the findings' penalties)."""
    from fidelity.severity import probability
    from fidelity.thresholds import Thresholds

    th = Thresholds()
    if not r.get("features"):
        return
    findings = [f for f in r["findings"] if f[0] != "drift"]
    score = r["score"]
    for f in r["findings"]:
        if f[0] == "drift":
            score /= 1 - _PEN[f[1]]
    p = probability(r["features"])
    explicit = max((_RANK[f[1]] for f in findings), default=0)
    if p >= th.model_minor and explicit < 2 and r["features"]["verbatim"] < th.verbatim_pair:
        level = "critical" if p >= th.model_critical else "major" if p >= th.model_major else "minor"
        findings.append(["drift", level])
        score *= 1 - _PEN[level]
    r["findings"] = findings
    r["score"] = score
    r["top"] = max((f[1] for f in findings), key=lambda s: _RANK[s], default="")


if __name__ == "__main__":
    main()
