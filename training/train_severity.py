"""Train the severity model (fidelity/data/severity-model.json) on DEMETR development items.

    python -m training.demetr_features /tmp/even.jsonl --items even     # features of the dev half
    python -m training.train_severity /tmp/even.jsonl [-o fidelity/data/severity-model.json] [--recovery-edits N --version V]
or, faster (vectors and parses cached), from the development loop's dump:
    python -m training.devloop --split dev --limit 100 --no-prune --dump /tmp/dev100.jsonl
    python -m training.train_severity /tmp/dev100.jsonl

Only even-numbered DEMETR items are used (rows of odd items are refused), both settings, and
only reworded pairs (verbatim share below ``Thresholds.verbatim_pair``): the population the
drift check applies the model to.
Label 1: critical and major perturbations (a reader would call the meaning changed);
label 0: clean pairs, the reference copied, and minor perturbations. The two "base"
sanity rows (empty copy, another sentence) are left out: whole-sentence losses are judged by
the structure checks, not by this model. Logistic regression (scikit-learn, L2, balanced
classes) over standardised features; the shipped JSON holds means, scales, coefficients and
the intercept, so the package needs no scikit-learn at run time.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("features", nargs="+")
    ap.add_argument("-o", "--output", default=str(ROOT / "fidelity/data/severity-model.json"))
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--recovery-edits", type=int, default=None,
                    help="recompute recovery_max/recovery_sum over only the N largest measured edits (rows need "
                         "demetr_features' recovery_edits); the model records N, which the drift rule then measures")
    ap.add_argument("--version", default="lr-1", help="the model's version, entering the report signature")
    ap.add_argument("--reworded-below", type=float, default=None,
                    help="train only on pairs whose verbatim share is below this (default: Thresholds.verbatim_pair)")
    args = ap.parse_args()

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from fidelity.severity import FEATURES
    from fidelity.thresholds import Thresholds

    # The model is applied only to reworded pairs (the drift check leaves near-verbatim pairs to
    # the exact word-diff checks), so it is fitted on that population: near-verbatim rows, most of
    # them derived copies with one edit, would teach it that "verbatim with a content edit" means
    # tampering, which in a reworded translation it does not.
    below = args.reworded_below if args.reworded_below is not None else Thresholds().verbatim_pair

    rows = []
    for path in args.features:
        rows += [json.loads(line) for line in open(path, encoding="utf-8")]
    for r in rows:  # a devloop --dump row: the one-sentence pair's features sit in its analysed pair
        if "features" not in r and len(r.get("pairs") or []) == 1:
            r["features"] = r["pairs"][0]["features"]
    rows = [r for r in rows if (r.get("features") and r["severity"] != "base") or r.get("perturbation") == "base_id35_reference"]
    rows = [r for r in rows if r.get("features") and r["features"]["verbatim"] < below]
    if any(r["item"] % 2 for r in rows):
        raise SystemExit("refusing to train on odd (held-out) DEMETR items")
    edits = args.recovery_edits if args.recovery_edits is not None else Thresholds().recovery_max_edits
    if args.recovery_edits is not None:
        if any("recovery_edits" not in r for r in rows):
            raise SystemExit("--recovery-edits needs rows with recovery_edits (training.demetr_features)")
        for r in rows:
            kept = [max(0.0, v) for v in r["recovery_edits"][: args.recovery_edits]]
            r["features"] = {**r["features"], "recovery_max": max(kept, default=0.0), "recovery_sum": sum(kept)}
    x = np.array([[r["features"].get(f, 0.0) for f in FEATURES] for r in rows], dtype=float)
    y = np.array([1 if r["severity"] in ("critical", "major") else 0 for r in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=args.C, class_weight="balanced", max_iter=2000)
    clf.fit((x - mean) / scale, y)
    acc = clf.score((x - mean) / scale, y)
    model = {
        "version": args.version,
        "recovery_edits": edits,
        "trained_on": f"DEMETR FLORES dev (even items), {len(rows)} pairs with verbatim share < {below}, independent+derived settings",
        "label": "1 = critical or major perturbation; 0 = clean, reference, minor",
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6),
        "train_accuracy": round(float(acc), 4),
    }
    Path(args.output).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    order = sorted(zip(FEATURES, clf.coef_[0], strict=False), key=lambda kv: -abs(kv[1]))
    print(f"{len(rows)} pairs, recovery over {edits} edit(s) a pair, train accuracy {acc:.3f}")
    for name, coef in order:
        print(f"  {name:18s} {coef:+.3f}")


if __name__ == "__main__":
    main()
