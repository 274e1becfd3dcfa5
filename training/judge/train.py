"""Fit the judge (fidelity.judge) on dev data only; write its weights and the training figures.

    python training/judge/train.py [--version judge-v1] [--demetr-items 120]

Data (all dev; see README.md beside this script):
- WMT23 zh-en MQM dev (benchmarks/data/wmt23-zhen-mqm/dev.jsonl): each aligned pair's target is
  the share of the three raters who marked a major accuracy (or non-translation) error inside its
  copy sentences (omission pairs: inside the row, an omission);
- DEMETR FLORES dev (even items), reference vs perturbed MT: critical and major perturbations are
  errors (1), clean and minor ones are not (0); base perturbations are left out;
- WMT22 honest dev (cs-en, zh-en): every pair is honest (0).
The threshold on the model's probability is then chosen on the dev rows for a stated false-alarm
rate (honest dev rows flagged, WMT23 dev error-free rows flagged); see THRESHOLD_RATES.

Out: fidelity/data/{version}.json (features, standardisation, coefficients, threshold, data and
dev figures) and reports/judge/train-{version}.json (the same figures). The checks' reports are
cached under .cache/bench and the features under .cache/judge (both gitignored), so a rerun on
unchanged code takes minutes. Two cores, about 25 minutes cold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
# The false-alarm rates the threshold is set for, on dev rows: the highest probability threshold
# that keeps both at or under these (honest: every flag is false; WMT23: rows no rater faulted).
THRESHOLD_RATES = {"honest_dev_flagged": 0.04, "mqm_dev_error_free_flagged": 0.06}
# Each source's total weight in the fit, relative to WMT23 (natural errors: what the judge is for).
SOURCE_WEIGHT = {"mqm": 1.0, "demetr": 0.5, "honest": 0.5}
C = 0.5  # inverse L2 strength of the logistic regression (not tuned)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def reports_for(pairs: list[tuple[str, str]]) -> list:
    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.eval.common import compare_rows
    from fidelity.pipeline import Options

    options = Options()
    return compare_rows(pairs, options=options, embedder=CachedEmbedder(get_embedder(options.model)), cache=CACHE / "bench")


def evidence_for(name: str, reports: list) -> tuple[list, list, list]:
    """Per report: (sentences original, sentences copy, list[PairEvidence]); cached by report content."""
    import pickle

    from fidelity.judge.evidence import FEATURES, TokenStates, pair_evidence
    from fidelity.segment import segment

    key = hashlib.sha256(repr(FEATURES).encode() + (ROOT / "fidelity/judge/evidence.py").read_bytes())
    for r in reports:
        key.update(repr(r).encode() if isinstance(r, str) else (r.signature + r.original_doc.text + "\x1f" + r.copy_doc.text + repr(r.findings)).encode())
    path = CACHE / "judge" / f"evidence-{name}-{key.hexdigest()[:16]}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    sides = [(segment(r.original_doc), segment(r.copy_doc)) if not isinstance(r, str) else ([], []) for r in reports]
    texts = sorted({s.text for so, sc in sides for s in (*so, *sc)})
    log(f"{name}: token states of {len(texts)} sentences")
    states = dict(zip(texts, TokenStates().states(texts), strict=True))
    ev = [pair_evidence(r, so, sc, states) if not isinstance(r, str) else [] for r, (so, sc) in zip(reports, sides, strict=True)]
    out = ([s[0] for s in sides], [s[1] for s in sides], ev)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(out, fh)
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def mqm_targets(rows: list, reports: list, s_copy: list) -> list[list[float]]:
    """Per row, per pair: the share of raters with a major accuracy error on the pair's copy sentences."""
    from fidelity.eval.mqm import _is_accuracy

    out = []
    for row, report, sc in zip(rows, reports, s_copy, strict=True):
        if isinstance(report, str):
            out.append([])
            continue
        majors = [e for e in row.errors if e.severity == "major" and _is_accuracy(e.category)]
        targets = []
        for p in report.pairs:
            if p.copy:
                span = (min(sc[i].start for i in p.copy), max(sc[i].end for i in p.copy))
                raters = {e.rater for e in majors if e.start is not None and overlap((e.start, e.end), span)}
            else:
                raters = {e.rater for e in majors if e.start is None and "Omission" in e.category}
            targets.append(len(raters) / max(1, row.raters))
        out.append(targets)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--version", default="judge-v1")
    ap.add_argument("--demetr-items", type=int, default=120, help="DEMETR dev items used (each ~32 pairs)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from sklearn.linear_model import LogisticRegression

    from fidelity.eval import demetr, honest, mqm
    from fidelity.judge.evidence import FEATURES

    started = time.perf_counter()
    m_rows = mqm.load(split="dev")
    h_rows = honest.load(split="dev")
    d_rows = [r for r in demetr.load(split="dev", limit_items=args.demetr_items) if r.severity != "base"]
    log(f"rows: mqm dev {len(m_rows)}, honest dev {len(h_rows)}, demetr dev {len(d_rows)}")
    data = {}
    for name, rows in (("mqm", m_rows), ("honest", h_rows), ("demetr", d_rows)):
        log(f"{name}: reports")
        reports = reports_for([(r.original, r.copy) for r in rows])
        log(f"{name}: evidence")
        _, s_copy, ev = evidence_for(name, reports)
        data[name] = (rows, reports, s_copy, ev)

    xs, ys, ws, srcs = [], [], [], []
    for name, (rows, reports, s_copy, ev) in data.items():
        if name == "mqm":
            targets = mqm_targets(rows, reports, s_copy)
        elif name == "demetr":
            targets = [[float(r.severity in ("critical", "major"))] * len(e) for r, e in zip(rows, ev, strict=True)]
        else:
            targets = [[0.0] * len(e) for e in ev]
        n = sum(len(e) for e in ev)
        base = SOURCE_WEIGHT[name] * sum(len(e) for e in data["mqm"][3]) / max(1, n)
        for e_row, t_row in zip(ev, targets, strict=True):
            for e, t in zip(e_row, t_row, strict=True):
                # a soft target as two weighted examples: t of a positive, 1 - t of a negative
                for label, w in ((1, t), (0, 1.0 - t)):
                    if w > 0:
                        xs.append(e.features)
                        ys.append(label)
                        ws.append(w * base)
                        srcs.append(name)
    x, y, w = np.array(xs), np.array(ys), np.array(ws)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((x - mean) / scale, y, sample_weight=w)
    coef, intercept = clf.coef_[0], float(clf.intercept_[0])
    log(f"fit on {len(y)} weighted examples ({dict(zip(*np.unique(srcs, return_counts=True), strict=True))})")

    def row_max(name: str) -> np.ndarray:
        ev = data[name][3]
        out = []
        for e_row in ev:
            if not e_row:
                out.append(0.0)
                continue
            z = ((np.array([e.features for e in e_row]) - mean) / scale) @ coef + intercept
            out.append(float((1 / (1 + np.exp(-z))).max()))
        return np.array(out)

    p_h, p_m, p_d = row_max("honest"), row_max("mqm"), row_max("demetr")
    clean_m = np.array([r.error_free for r in m_rows])
    major_m = np.array([r.major_accuracy for r in m_rows])
    t_h = float(np.quantile(p_h, 1 - THRESHOLD_RATES["honest_dev_flagged"]))
    t_m = float(np.quantile(p_m[clean_m], 1 - THRESHOLD_RATES["mqm_dev_error_free_flagged"]))
    threshold = max(t_h, t_m)
    sev_d = np.array([r.severity for r in d_rows])
    figures = {
        "threshold_major": round(threshold, 4),
        "threshold_from": {"honest_dev": round(t_h, 4), "mqm_dev_error_free": round(t_m, 4)},
        "dev_honest_flagged": round(float((p_h >= threshold).mean()), 4),
        "dev_mqm_error_free_flagged": round(float((p_m[clean_m] >= threshold).mean()), 4),
        "dev_mqm_major_accuracy_flagged": round(float((p_m[major_m] >= threshold).mean()), 4),
        "dev_demetr_critical_flagged": round(float((p_d[sev_d == "critical"] >= threshold).mean()), 4),
        "dev_demetr_clean_flagged": round(float((p_d[sev_d == "none"] >= threshold).mean()), 4),
    }
    log(json.dumps(figures))
    weights = {
        "version": args.version,
        "model": "logistic regression over fidelity.judge.evidence.FEATURES, standardised",
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": round(intercept, 6),
        "thresholds": {"major": round(threshold, 4)},
        "threshold_rates": THRESHOLD_RATES,
        "data": {
            "mqm": f"benchmarks/data/wmt23-zhen-mqm/dev.jsonl, {len(m_rows)} rows",
            "honest": f"benchmarks/data/wmt22-honest/honest.jsonl split dev (cs-en, zh-en), {len(h_rows)} rows",
            "demetr": f"benchmarks/data/demetr-flores dev, first {args.demetr_items} even items, independent setting, base perturbations left out, {len(d_rows)} rows",
            "source_weight": SOURCE_WEIGHT,
            "C": C,
        },
        "dev_figures": figures,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (ROOT / "fidelity" / "data" / f"{args.version}.json").write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    out = ROOT / "reports" / "judge" / f"train-{args.version}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({k: weights[k] for k in ("version", "data", "threshold_rates", "dev_figures", "seconds")} | {"coef": dict(zip(FEATURES, weights["coef"], strict=True))}, indent=1) + "\n", encoding="utf-8")
    log(f"wrote fidelity/data/{args.version}.json and {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
