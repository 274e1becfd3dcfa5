"""Train the edit model (fidelity/data/edit-model.json) for the drift-edit rule, and choose its threshold.

    python -m training.edit_features mqm /tmp/edits-mqm.jsonl
    python -m training.edit_features honest /tmp/edits-honest.jsonl
    python -m training.edit_features demetr /tmp/edits-demetr.jsonl --limit 120
    python -m training.train_edit_model /tmp/edits-mqm.jsonl /tmp/edits-honest.jsonl /tmp/edits-demetr.jsonl

Rows and labels: ``training/edit_features.py`` (development splits only). Logistic regression
(scikit-learn, L2, balanced classes) over standardised ``severity.EDIT_FEATURES``; the JSON
holds means, scales, coefficients and the intercept, like the pair model.

The threshold (``Thresholds.edit_model_major``) is chosen on out-of-fold probabilities (5 folds
grouped by row, so no row is scored by a model that saw it): the lowest value at which at most
``--honest-rate`` of the honest dev rows get an edit at or above it (false alarms first: every
edit of an honest pair is a false alarm) and at most ``--error-free-rate`` of the error-free
MQM dev rows do. It prints what that value catches of the MQM major
accuracy edits and the DEMETR perturbation edits, and the rates at a few other values.
"""

from __future__ import annotations

import argparse
import json
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("features", nargs="+")
    ap.add_argument("-o", "--output", default=str(ROOT / "fidelity/data/edit-model.json"))
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--honest-rate", type=float, default=0.01, help="share of honest dev rows allowed an edit at the threshold")
    ap.add_argument("--error-free-rate", type=float, default=0.02, help="share of error-free MQM dev rows allowed an edit at the threshold")
    args = ap.parse_args()

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from fidelity.severity import EDIT_FEATURES

    rows = [json.loads(line) for path in args.features for line in open(path, encoding="utf-8")]
    for r in rows:
        if r["source"] == "demetr" and int(r["id"].split("-")[1]) % 2:
            raise SystemExit("refusing to train on odd (held-out) DEMETR items")
    x = np.array([[r["features"][f] for f in EDIT_FEATURES] for r in rows], dtype=float)
    y = np.array([r["label"] for r in rows])
    groups = np.array([zlib.crc32((r["source"] + r["id"]).encode()) for r in rows])  # stable across runs, unlike hash()
    source = np.array([r["source"] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    oof = np.zeros(len(rows))
    for train, test in GroupKFold(n_splits=5).split(z, y, groups):
        clf = LogisticRegression(C=args.C, class_weight="balanced", max_iter=2000).fit(z[train], y[train])
        oof[test] = clf.predict_proba(z[test])[:, 1]

    honest = source == "honest"
    honest_ids = sorted({r["id"] for r in rows if r["source"] == "honest"})
    n_honest_rows = _honest_rows(args.features) or len(honest_ids)

    error_free = _mqm_error_free(args.features)

    def rates(t: float) -> dict[str, float]:
        flagged_rows = {r["id"] for r, p in zip(rows, oof, strict=True) if r["source"] == "honest" and p >= t}
        flagged_ef = {r["id"] for r, p in zip(rows, oof, strict=True) if r["id"] in error_free and p >= t}
        out = {"honest_rows": len(flagged_rows) / n_honest_rows, "honest_edits": float(np.mean(oof[honest] >= t)),
               "mqm_error_free_rows": len(flagged_ef) / max(1, len(error_free))}  # fmt: skip
        for s in ("mqm", "demetr"):
            pos, neg = (source == s) & (y == 1), (source == s) & (y == 0)
            out[f"{s}_pos"] = float(np.mean(oof[pos] >= t)) if pos.any() else float("nan")
            out[f"{s}_neg"] = float(np.mean(oof[neg] >= t)) if neg.any() else float("nan")
        return out

    grid = [round(v, 3) for v in np.arange(0.5, 0.995, 0.005)]
    chosen = next((t for t in grid if rates(t)["honest_rows"] <= args.honest_rate and rates(t)["mqm_error_free_rows"] <= args.error_free_rate), grid[-1])
    print(f"{len(rows)} edits ({int(y.sum())} positive); honest dev rows {n_honest_rows}")
    for t in sorted({0.7, 0.8, 0.85, 0.9, 0.95, chosen}):
        print(f"  t={t:.3f} " + " ".join(f"{k}={v:.4f}" for k, v in rates(t).items()) + ("  <- chosen" if t == chosen else ""))

    clf = LogisticRegression(C=args.C, class_weight="balanced", max_iter=2000).fit(z, y)
    counts = {s: {"edits": int((source == s).sum()), "positive": int(((source == s) & (y == 1)).sum())} for s in sorted(set(source))}
    model = {
        "version": "edit-lr-1",
        "trained_on": "WMT23 zh-en MQM dev, DEMETR FLORES dev (even items, independent setting), WMT22 honest dev (cs-en, zh-en): "
        + json.dumps(counts),
        "label": "1 = the edit meets a major accuracy span (MQM) or a critical/major perturbation (DEMETR); 0 = meets no error span, or honest",
        "threshold": {"edit_model_major": chosen, "honest_rate": args.honest_rate, "error_free_rate": args.error_free_rate, "out_of_fold": rates(chosen)},
        "features": list(EDIT_FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6),
    }
    Path(args.output).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    for name, c in sorted(zip(EDIT_FEATURES, clf.coef_[0], strict=True), key=lambda kv: -abs(kv[1])):
        print(f"  {name:16s} {c:+.3f}")
    print(f"-> {args.output}")


def _mqm_error_free(paths: list[str]) -> set[str]:
    """Ids of the MQM dev rows no rater found an error in."""
    if not any("mqm" in Path(p).name for p in paths):
        return set()
    from fidelity.eval import mqm

    return {r.id for r in mqm.load(split="dev") if r.error_free}


def _honest_rows(paths: list[str]) -> int:
    """Rows of the honest dev split (those without a candidate edit count too)."""
    if not any("honest" in Path(p).name for p in paths):
        return 0
    from fidelity.eval import honest

    return len(honest.load(split="dev"))


if __name__ == "__main__":
    main()
